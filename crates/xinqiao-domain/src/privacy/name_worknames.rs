//! Names a trade's frame gives away on text nobody here wrote (issue 24, fourteenth pass): English
//! work names after a role or before the person's act (交付专员Ivy承诺, 调度Sam改了, 易居的Amy带我,
//! 剧本杀DMVivi在); familiar forms after a role (老板娘糖糖姐, 老板娘房姐收了, 收银员花姐（); 老X家 next
//! to a neighbour's place (隔壁单元老纪家); bare surnames in a list before a group's title (倪、袁两位师傅),
//! after 姓 (她姓花，), cut off after 叫 (我爸叫邱——), alone in a form's field (客户：尤), read alone right
//! after a role (中介谭两头收); a surname with a title after a floor or a door (12楼符师傅); a nickname
//! jieba glued to 叫 (叫二牛，).
//!
//! Every rule here starts with a test of one or two characters at the candidate (they run at every
//! position of the text).

use super::cues::{self, Cue};
use super::lexicon::known_surname;
use super::names::{Scan, follower, given_char, surname_len};
use super::text::is_han;

/// Latin role abbreviations written right before a work name (DMVivi, GM-阿紫, DM阿九).
const LATIN_ROLES: [&str; 8] = ["DM", "GM", "HR", "PM", "BD", "NPC", "CEO", "CS"];

/// Where a Latin role abbreviation ends right before `s`, a hyphen between allowed (GM-阿紫): the
/// abbreviation starts a word.
pub(super) fn latin_role_before(chars: &[char], s: usize) -> bool {
    let e = if s > 0 && matches!(chars[s - 1], '-' | '－') { s - 1 } else { s };
    LATIN_ROLES.iter().any(|r| {
        let n = r.len();
        e >= n && chars[e - n..e].iter().copied().eq(r.chars()) && (e == n || !chars[e - n - 1].is_ascii_alphabetic())
    })
}

/// Whether `c` ends a clause after a name (punctuation, a line break, the end).
fn clause_mark(c: Option<&char>) -> bool {
    c.is_none_or(|&c| !is_han(c) && !c.is_ascii_alphanumeric())
}

/// Words after 两位, 二位, 几位 … that make a group of the surnames before (倪、袁两位师傅).
const GROUPS: [&str; 8] = ["两位", "二位", "三位", "两人", "二人", "三人", "两名", "等人"];

/// Words for a neighbour's place before 老X家 (隔壁老王家, 楼上老纪家, 对门老周家).
const NEIGHBOURS: [&str; 8] = ["隔壁", "单元", "对门", "楼上", "楼下", "对面", "邻居", "前院"];

impl Scan<'_, '_> {
    /// Every Han-position rule of this file at `s` (each starts with its own test of one or two
    /// characters).
    pub(super) fn worknames_at(&mut self, s: usize) {
        // (After a role or a form word: asked of a table computed once, most positions have none.)
        if matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) {
            self.familiar_after_role(s);
            self.role_lone_surname(s);
        }
        self.neighbour_lao(s);
        self.surname_group(s);
        self.surname_said_alone(s);
        self.door_titled(s);
        self.glued_call_nickname(s);
    }

    /// The person's act right after `e`: a function word or a verb of one character, or a word jieba
    /// reads as a verb or a time (改了, 带我, 承诺, 当时说); not a noun (Nike鞋, Coach包).
    fn act_after(&self, e: usize) -> bool {
        let Some(&c) = self.chars.get(e) else { return false };
        is_han(c)
            && (follower(c)
                || self.words.at(e).is_some_and(|t| {
                    t.start == e && (t.tag.starts_with('v') || t.tag == "t" || t.tag == "ul" || t.tag == "p")
                }))
    }

    /// An English work name (Ivy, Sam, Kaiser): a capitalised Latin word, not glued to digits or an
    /// id, after a role word of the cue list or a staff noun (交付专员Ivy, 维修员Kaiser), a Latin role
    /// (DMVivi, glued), or — a frequent given name of the tables — after any Chinese word (调度Sam,
    /// 易居的Amy, 那个Tony), before the person's act. Not a brand of the tables nor a pair the tables
    /// call no name.
    pub(super) fn latin_work_name(&mut self, i: usize) {
        let chars = self.chars;
        // Cheapest test first: an upper-case letter starting its run, or right after a Latin role.
        if !chars[i].is_ascii_uppercase() || i == 0 {
            return;
        }
        let glued_role = chars[i - 1].is_ascii_uppercase() && latin_role_before(chars, i);
        if chars[i - 1].is_ascii_alphabetic() && !glued_role {
            return;
        }
        let mut e = i + 1;
        while chars.get(e).is_some_and(char::is_ascii_lowercase) {
            e += 1;
        }
        if !(3..=10).contains(&(e - i))
            || chars.get(e).is_some_and(|c| c.is_ascii_alphanumeric() || "_@.-".contains(*c))
        {
            return;
        }
        let lower: String = chars[i..e].iter().map(char::to_ascii_lowercase).collect();
        let known = super::name_latin::given_name(&lower);
        let prev = chars[i - 1];
        let role = glued_role
            || matches!(self.cue_before(i), Some(Cue::Role | Cue::Strong)) && cues::role_word_before(chars, i);
        let framed = role || known && is_han(prev);
        if !framed || !self.act_after(e) || self.lex.brand_at(chars, i) > 0 {
            return;
        }
        if !self.cands.iter().any(|c| c.1 < e && i < c.2) {
            self.push(4.5, i, e);
        }
    }

    /// A familiar form right after a role: a doubled pet name with 姐, 哥 or alone (老板娘糖糖姐不回,
    /// 老板娘糖糖说), or a surname with 姐 or 哥 (老板娘房姐收了, 收银员花姐（), before the person's act or
    /// a clause's end. Not a kin word doubled (姐姐), nor a word of the cue list (柜姐).
    pub(super) fn familiar_after_role(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        let doubled = a == b;
        if !doubled && !matches!(b, '姐' | '哥') || !is_han(a) || !self.words.starts_word(s) {
            return;
        }
        if !matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) || !cues::role_word_before(chars, s) {
            return;
        }
        let e = if doubled {
            if cues::kin_doubled(a) || !given_char(a) {
                return;
            }
            if chars.get(s + 2).is_some_and(|&c| matches!(c, '姐' | '哥')) { s + 3 } else { s + 2 }
        } else {
            if !(known_surname(a) || self.lex.cued_surname(a)) || surname_len(self.lex, chars, s) == 2 {
                return;
            }
            s + 2
        };
        // (A doubled word jieba reads as a time or an adverb is none: 天天, 常常.)
        let plain = self.words.at(s).is_some_and(|t| {
            t.start == s && t.end == s + 2 && ["t", "d", "v", "m", "q", "r"].iter().any(|h| t.tag.starts_with(h))
        });
        let word_on_jie = !doubled && (cues::cue_at(chars, s).is_some() || cues::nickname_is_a_word(a, b));
        let next_ok =
            clause_mark(chars.get(e)) || self.act_after(e) || chars.get(e).is_some_and(|&c| "不没也都".contains(c));
        if !plain && !word_on_jie && next_ok && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// 老 + a surname + 家 right after a neighbour's place (隔壁单元老纪家装了, 对门老周家): the neighbour.
    pub(super) fn neighbour_lao(&mut self, s: usize) {
        let chars = self.chars;
        if chars[s] != '老' || chars.get(s + 2) != Some(&'家') || s < 2 {
            return;
        }
        let b = chars[s + 1];
        let near = NEIGHBOURS.iter().any(|w| chars[s - 2..s].iter().copied().eq(w.chars()));
        if near && known_surname(b) && !cues::nickname_is_a_word('老', b) && !self.blocked(s, s + 2) {
            self.push(4.5, s, s + 2);
        }
    }

    /// Bare surnames in a list before a group's word (来安检的倪、袁两位师傅, 钟、符、邓等人): each is a
    /// person; the list starts at `s`.
    pub(super) fn surname_group(&mut self, s: usize) {
        let chars = self.chars;
        if chars.get(s + 1) != Some(&'、') || !is_han(chars[s]) || s > 0 && chars[s - 1] == '、' {
            return;
        }
        let mut items = vec![s];
        let mut k = s;
        while chars.get(k + 1) == Some(&'、') && chars.get(k + 2).is_some_and(|&c| is_han(c)) && items.len() < 5 {
            k += 2;
            items.push(k);
        }
        let group = GROUPS.iter().any(|w| super::names::starts_with_at(chars, k + 1, w))
            || chars.get(k + 1) == Some(&'等') && chars.get(k + 2).is_some_and(|&c| matches!(c, '人' | '师' | '老'));
        if items.len() < 2 || !group {
            return;
        }
        let surnames = items.iter().all(|&p| {
            let c = chars[p];
            (known_surname(c) || super::name_bare::rare_surname(c)) && surname_len(self.lex, chars, p) == 1
        });
        if surnames {
            for p in items {
                if !self.blocked(p, p + 1) {
                    self.cands.push((5.0, p, p + 1));
                }
            }
        }
    }

    /// A surname said alone: after 姓 ending its clause (不对，她姓花，), cut off after 叫 (我爸叫邱——),
    /// or alone in a form's field to the line's end (客户：尤): any surname of the tables, also one
    /// that is a word.
    pub(super) fn surname_said_alone(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 {
            return;
        }
        let prev = chars[s - 1];
        if !matches!(prev, '姓' | '叫' | '：' | ':') {
            return;
        }
        let c = chars[s];
        let next = chars.get(s + 1);
        let table = is_han(c) && (known_surname(c) || super::name_bare::rare_surname(c));
        if !table || surname_len(self.lex, chars, s).max(1) != 1 {
            return;
        }
        let hit = match prev {
            '姓' => {
                matches!(chars[s - 2], '她' | '他' | '我' | '你')
                    && next.is_some_and(|&n| matches!(n, '，' | '。' | '；' | ',' | '！' | '—' | '…'))
            }
            '叫' => next.is_some_and(|&n| matches!(n, '—' | '…')),
            _ => {
                // (A field of a person: a role or form word, or a label on 户, 人, 主 or 员: 客户：尤.)
                let person_label = s >= 3 && "户人主员".contains(chars[s - 2]) && is_han(chars[s - 3]);
                next.is_none_or(|&n| n == '\n')
                    && (matches!(self.cue_before(s), Some(Cue::Strong | Cue::Role))
                        && cues::role_word_before(chars, s - 1)
                        || person_label)
            }
        };
        if hit && !self.blocked(s, s + 1) {
            self.cands.push((5.0, s, s + 1));
        }
    }

    /// A common surname jieba reads as a word of its own right after a role, the next word no title
    /// and no dictionary pair with it (中介谭两头收定金): the role names the person by surname.
    pub(super) fn role_lone_surname(&mut self, s: usize) {
        let chars = self.chars;
        let c = chars[s];
        if !cues::common_surname(c) || !self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 1) {
            return;
        }
        if !matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) || !cues::role_word_before(chars, s) {
            return;
        }
        let Some(&n) = chars.get(s + 1) else { return };
        // (The next word is one of its own: a numeral's or a verb's, not a title nor a given name.)
        let next_word = self.words.at(s + 1).filter(|t| t.start == s + 1);
        let own = next_word.is_some_and(|t| t.end - t.start >= 2 && (t.tag.starts_with('m') || t.tag.starts_with('v')));
        let tag = self.words.at(s).map_or("", |t| t.tag);
        if is_han(n)
            && own
            && matches!(tag, "zg" | "nr" | "ng")
            && cues::title_at(chars, s + 1).is_none()
            && !self.blocked(s, s + 1)
        {
            self.cands.push((5.0, s, s + 1));
        }
    }

    /// A surname with a title right after a floor, a door or a room (12楼符师傅, 302室孔阿姨): the
    /// neighbour, even where jieba glued the surname to the floor (楼符/n).
    pub(super) fn door_titled(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 || !matches!(chars[s - 1], '楼' | '号' | '室' | '栋') || !chars[s - 2].is_ascii_digit() {
            return;
        }
        let c = chars[s];
        if !is_han(c)
            || !(known_surname(c) || super::name_bare::rare_surname(c))
            || surname_len(self.lex, chars, s) != 1
        {
            return;
        }
        let Some(n) = cues::title_at(chars, s + 1).filter(|&n| n >= 2) else { return };
        if !self.blocked(s, s + 1 + n) {
            self.push(4.5, s, s + 1 + n);
        }
    }

    /// A nickname jieba glued to 叫 (救生员只有一个，叫二牛，): 二, 阿, 小 or 老 and a character, the
    /// clause ending after it, the reading of three characters no dictionary word.
    pub(super) fn glued_call_nickname(&mut self, s: usize) {
        let chars = self.chars;
        if s == 0 || chars[s - 1] != '叫' || !matches!(chars[s], '二' | '阿' | '小' | '老') {
            return;
        }
        let e = s + 2;
        if !chars.get(s + 1).is_some_and(|&c| given_char(c)) || !clause_mark(chars.get(e)) {
            return;
        }
        let glued =
            self.words.at(s - 1).is_some_and(|t| t.start == s - 1 && t.end == e && !self.jieba.has_word(t.word));
        if glued && !cues::nickname_is_a_word(chars[s], chars[s + 1]) && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }
}
