//! Names framed by a role or a form on text nobody here wrote (issue 24, thirteenth pass): a bare
//! surname after a role before a verb of speech or a speaker's colon, even one that is a word (值班经理南
//! 说, 老板尹跑了, 执法人员莫：); a surname with a title after a role or a department (承办人于科长, 消保科
//! 林科长) or with 队 (尹队说); 老/小 + a surname that jieba glued to the verb after it (老宁|卖给我, 小甘|分
//! 了); nicknames on 阿 and 大 before a verb or after a role (房东阿杰说, 阿坤负责, 大鹏负责, 摊主大刘：); a
//! full name filling a signer's field (整理人：柯文静). And frames that say no person: a word said
//! three times (有有有), a role noun on 姐 (柜姐, by the cue list), a surname a group
//! shares (我们都姓曹), a village on 家 (马家河), a shop on 老X家 (老米家泡馍), a performer before a play
//! or a ticket (孟京辉话剧, 周杰伦12月20日…的票).

use super::cues::{self, Cue};
use super::lexicon::known_surname;
use super::names::{Scan, follower, given_char, surname_len};
use super::text::is_han;

/// Verbs of one character a person's act starts with after a bare surname (经理南|说, 老板尹|跑路).
const ACTS: &str = "说讲称来跑把让叫给回拿收送带骂打推拒答问";

/// Whether `c` is one of `ACTS`: asked at every character, so one bit of a set.
fn act_char(c: char) -> bool {
    static SET: super::charset::HanSet = super::charset::HanSet::new(ACTS);
    SET.contains(c)
}

/// Last characters of a village or a landmark named by a family (马家河, 王家庄, 李家沟).
fn family_place_end(c: char) -> bool {
    "河村庄沟湾坡岭屯堡坪营寨集桥嘴坝冲洼峪塘岗埠圩窑".contains(c)
}

/// Characters that end a shop's fare or goods after 老X家 (老米家泡馍, 老王家牛肉面).
fn fare_char(c: char) -> bool {
    "馍面粉饭肉饼包饺馆店铺坊茶酒鸡鸭鱼羊牛汤锅串货菜糕酥".contains(c)
}

/// Words after a performer's name that make the name a show's (孟京辉话剧, 薛之谦的歌).
const SHOWS: [&str; 12] =
    ["话剧", "音乐剧", "音乐会", "巡演", "专场", "的歌", "的新歌", "新专辑", "见面会", "脱口秀", "的演出", "签售会"];

impl Scan<'_, '_> {
    /// Whether jieba reads exactly `s..e` as one word with a tag starting with one of `heads`.
    fn read_as(&self, s: usize, e: usize, heads: &[&str]) -> bool {
        self.words.at(s).is_some_and(|t| t.start == s && t.end == e && heads.iter().any(|h| t.tag.starts_with(h)))
    }

    /// Whether a word jieba reads as a verb, adjective, function word, number or time starts inside
    /// `s..e` (验收：合格 fills its field with no name).
    fn plain_word_in(&self, s: usize, e: usize) -> bool {
        (s..e).any(|k| {
            self.words.at(k).is_some_and(|t| {
                t.start == k && ["v", "a", "d", "p", "c", "u", "r", "m", "q", "t"].iter().any(|h| t.tag.starts_with(h))
            })
        })
    }

    fn after_role(&self, s: usize) -> bool {
        matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) && cues::role_word_before(self.chars, s)
    }

    /// A bare surname right after a role, before a verb of speech or act of one character (值班经理南说,
    /// 老板尹跑路了, 抄表员于来了) or a speaker's colon (执法人员莫：): any surname of the tables, also
    /// one that is a word, as the role and the verb frame it. Not a pair jieba's dictionary holds
    /// (于是, 向来), nor a function word's character unless a common surname (于) or before a colon.
    pub(super) fn role_bare_surname(&mut self, s: usize) {
        let chars = self.chars;
        let Some(&next) = chars.get(s + 1) else { return };
        let colon = matches!(next, '：' | ':');
        if !colon && (!is_han(next) || !act_char(next)) {
            return;
        }
        // (The role's cue next, a read of a vector: most positions end here before any table.)
        if !matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) {
            return;
        }
        let c = chars[s];
        // (A surname of the tables the model rates likely, a common one or a rare one: 全 in 教练全跑了 is
        // an adverb jieba glued to the verb.)
        let likely = cues::common_surname(c) || self.lex.scores(c).surname >= 1.0;
        let table =
            known_surname(c) && likely && surname_len(self.lex, chars, s) == 1 || super::name_bare::rare_surname(c);
        if !is_han(c) || !table || !self.after_role(s) {
            return;
        }
        // (A word jieba's dictionary holds that runs from before the surname is no role and surname:
        // 中介费|收.)
        let inside = self.words.at(s).is_some_and(|t| t.start < s && self.jieba.has_word(t.word));
        // (An adverb or a function word of its own, 全/d 跑了, is a surname only if a common one.)
        let function = self.read_as(s, s + 1, &["d", "p", "c", "r", "u"]) && !cues::common_surname(c);
        if inside || function && !colon {
            return;
        }
        if !colon {
            let pair: String = chars[s..s + 2].iter().collect();
            if self.jieba.has_word(&pair) || follower(c) && !cues::common_surname(c) {
                return;
            }
            // (说明, 说法, 称为: the verb goes on as a word of its own.)
            if chars.get(s + 2).is_some_and(|&n| "明法服为号赞得".contains(n)) {
                return;
            }
        } else if follower(c) && !cues::common_surname(c) || !self.words.ends_word(s) && !self.words.starts_word(s) {
            return;
        }
        if !self.blocked(s, s + 1) {
            self.cands.push((5.0, s, s + 1));
        }
    }

    /// A surname with a title of two characters or more right after a role or a department (承办人于
    /// 科长, 消保科林科长, 外科林医生), even where jieba reads the surname as a preposition or glues it
    /// to the department; and a surname with 队, a team leader's title (尹队说, 张队，).
    pub(super) fn titled_after_role(&mut self, s: usize) {
        let chars = self.chars;
        // Cheapest tests first: this runs on every character.
        let (Some(&c), Some(&next)) = (chars.get(s), chars.get(s + 1)) else { return };
        if s == 0 || !is_han(c) || !is_han(next) || !known_surname(c) {
            return;
        }
        let title = if next == '队' { None } else { cues::title_at(chars, s + 1).filter(|&n| n >= 2) };
        if title.is_none() && next != '队' || surname_len(self.lex, chars, s) != 1 {
            return;
        }
        if let Some(n) = title {
            let prev = chars[s - 1];
            let department = s >= 2 && "科部处室股".contains(prev) && is_han(chars[s - 2]);
            let role = self.after_role(s) || prev == '人' && s >= 3 && is_han(chars[s - 2]);
            if (department || role) && !self.blocked(s, s + 1 + n) {
                self.push(4.5, s, s + 1 + n);
            }
            return;
        }
        let e = s + 2;
        let ends = chars.get(e).is_none_or(|&n| !is_han(n) || follower(n));
        let word_ok = self
            .words
            .at(s)
            .is_some_and(|t| t.start == s && t.end == e && (t.tag.starts_with("nr") || !self.jieba.has_word(t.word)));
        let likely = cues::common_surname(c) || self.lex.scores(c).surname >= 1.0;
        if ends && word_ok && likely && self.words.ends_word(s) && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// 老 or 小 + a surname that jieba glued to the verb after it (老宁卖/nr, 老常卖/v, 小甘分/n): the
    /// reading of three characters is no dictionary word and its last character starts an act.
    pub(super) fn glued_familiar(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&a), Some(&b), Some(&v)) = (chars.get(s), chars.get(s + 1), chars.get(s + 2)) else { return };
        if !matches!(a, '老' | '小') || !known_surname(b) || !"卖买说给拿收送做带让把被分开找要借骗".contains(v)
        {
            return;
        }
        let glued = self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 3 && !self.jieba.has_word(t.word))
            // (…or 小 read alone and the surname glued to the verb: 小/a 欧说/v.)
            || self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 1)
                && self.words.at(s + 1).is_some_and(|t| t.start == s + 1 && t.end == s + 3)
                && self.words.ends_word(s + 3)
                && !self.jieba.has_word(&chars[s + 1..s + 3].iter().collect::<String>());
        if glued && !cues::nickname_is_a_word(a, b) && !self.blocked(s, s + 2) {
            self.push(4.5, s, s + 2);
        }
    }

    /// A nickname on 阿 (房东阿杰说, 阿坤负责, 供货人为“阿东”) or on 大 that jieba reads as a name (大鹏负责)
    /// before a verb or after a role; 大 + a common surname after a role before a colon, a comma or a
    /// verb (摊主大刘：). Not 阿 + a kinship word (阿姨), nor a place of the tables.
    pub(super) fn a_nickname(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        if !matches!(a, '阿' | '大' | '二') || !given_char(b) {
            return;
        }
        let e = s + 2;
        // (jieba may glue the verb after the nickname: 阿伟换/nr 了, 阿紫说/nr; no dictionary word.)
        let glued_verb = a == '阿'
            && chars.get(e).is_some_and(|&c| act_char(c) || "换修装拆".contains(c))
            && self.words.at(s).is_some_and(|t| t.start == s && t.end == e + 1 && !self.jieba.has_word(t.word));
        if chars.get(e).is_some_and(|&c| given_char(c) && !self.words.starts_word(e)) && !glued_verb {
            return;
        }
        let quoted = s > 0 && matches!(chars[s - 1], '“' | '"' | '「');
        let role = self.after_role(s)
            || quoted && matches!(self.cue_before(s - 1), Some(Cue::Role | Cue::Strong))
            || super::name_worknames::latin_role_before(chars, s);
        let verb = self.words.at(e).is_some_and(|t| t.start == e && t.tag.starts_with('v'))
            || chars.get(e).is_some_and(|&c| "说讲把被让给叫".contains(c))
            || glued_verb;
        let clause_ends = chars.get(e).is_none_or(|&c| !is_han(c) || follower(c));
        let hit = if a == '阿' {
            let kin = "姨婆公伯叔哥妹嫂爸妈姐弟爷奶舅".contains(b);
            let read = self.read_as(s, e, &["nr", "ns", "nz"])
                || self.words.at(s).is_some_and(|t| t.start == s && t.end == e && !self.jieba.has_word(t.word))
                || glued_verb;
            // (With a verb alone, the nickname opens its clause: 阿坤负责; after a role it may stand anywhere.)
            let opens = s == 0 || !is_han(chars[s - 1]);
            let latin = super::name_worknames::latin_role_before(chars, s);
            !kin && read
                && self.lex.place_at(chars, s) < 2
                && (verb && opens
                    || role && (clause_ends || quoted || glued_verb)
                    || latin && self.read_as(s, e, &["nr"]))
        } else if a == '二' {
            // 二 + a nickname's character (二娃, 二虎, 二蛋): jieba reads a name, or no word of its
            // dictionary where a role, a kin word or a verb of asking frames it; not a count (二楼, 二次).
            let count = "十百千万亿个只件斤两年月日天号楼层次人手期批级等类种点分元块位名条";
            let asked = s > 0 && "找叫问给跟让".contains(chars[s - 1]);
            let guessed = self.words.at(s).is_some_and(|t| t.start == s && t.end == e && !self.jieba.has_word(t.word));
            !count.contains(b)
                && self.words.starts_word(s)
                && (self.read_as(s, e, &["nr"]) || guessed && (role || asked))
                && (verb || (role || asked) && clause_ends)
        } else {
            // (A clause starts at it, or a role names it: not 发动机大修/nr 要.)
            let opens = s == 0 || !is_han(chars[s - 1]);
            let named = self.read_as(s, e, &["nr"]) && !self.read_as(s, e, &["nrt"]);
            let surname = cues::common_surname(b) && role && (clause_ends || verb);
            named && (verb && opens || role) && self.words.starts_word(s) || surname
        };
        if hit && !cues::nickname_is_a_word(a, b) && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A full name filling a signer's field (整理人：柯文静, 收货：伍小梅): a surname and one or two
    /// given-name characters to the field's end, which jieba reads as no verb, adjective or function
    /// word (验收：合格).
    pub(super) fn signed_full_name(&mut self, s: usize) {
        let chars = self.chars;
        if s < 3 || !matches!(chars[s - 1], '：' | ':') || !super::name_bare::signing_label_before(chars, s - 1) {
            return;
        }
        let sl = surname_len(self.lex, chars, s);
        if sl == 0 {
            return;
        }
        let mut e = s + sl;
        while e < chars.len() && e - s < 4 && given_char(chars[e]) {
            e += 1;
        }
        let ends = chars.get(e).is_none_or(|&c| matches!(c, '\n' | ' ' | '，' | '。' | '、' | '；' | '）' | ',' | ';'));
        if !ends || !(s + sl + 1..=s + sl + 2).contains(&e) {
            return;
        }
        let plain = self.plain_word_in(s, e);
        if !plain && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A name jieba glued to 叫 (我叫晓雯/nr): the name after 叫, with a surname (叫刘晓雯) or a given
    /// name the name model rates as one (晓雯).
    pub(super) fn glued_to_call(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 || chars[s - 1] != '叫' || !matches!(chars[s - 2], '我' | '他' | '她' | '就' | '都') {
            return;
        }
        let Some(t) = self.words.at(s - 1).filter(|t| t.start == s - 1 && t.tag.starts_with("nr")) else { return };
        let e = t.end;
        if !(s + 2..=s + 3).contains(&e) || !chars[s..e].iter().all(|&c| given_char(c)) {
            return;
        }
        let named = surname_len(self.lex, chars, s) >= 1 || e == s + 2 && self.lex.given_score(&chars[s..e]) >= 3.5;
        if named && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A signature: a name alone on its line before a date (…此致\n拓守仁\n二〇二六年…), or after a dash
    /// ending the text or its line (…——冷锋).
    pub(super) fn signature_line(&mut self, s: usize) {
        let chars = self.chars;
        let dashed = s >= 2 && chars[s - 1] == '—' && chars[s - 2] == '—';
        if !(dashed || s > 0 && chars[s - 1] == '\n') {
            return;
        }
        let c = chars[s];
        let sl = match surname_len(self.lex, chars, s) {
            0 if is_han(c) && super::name_bare::rare_surname(c) => 1,
            n => n,
        };
        if sl == 0 {
            return;
        }
        let mut e = s + sl;
        while e < chars.len() && e - s < 4 && given_char(chars[e]) {
            e += 1;
        }
        if !(s + sl + 1..=s + sl + 2).contains(&e) || chars.get(e).is_some_and(|&n| n != '\n') {
            return;
        }
        // (Before a date on the next line, 2026年 or 二〇二六年, unless a dash signs it.)
        let dated = || {
            let line = &chars[(e + 1).min(chars.len())..(e + 12).min(chars.len())];
            let year = line.iter().take_while(|&&d| d.is_ascii_digit() || "〇零一二三四五六七八九".contains(d)).count();
            year == 4 && line.get(4) == Some(&'年')
        };
        let plain = self.plain_word_in(s, e);
        if (dashed || dated()) && !plain && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }
}

/// Frames that make the candidate `s..e` no person: a word said three times (有有有), a surname a group shares (我们都姓曹), a village on 家 (马家河),
/// a shop on 老X家 (老米家泡馍), a show's performer (孟京辉话剧, 周杰伦12月20日…的票).
pub(super) fn no_person_frame(scan: &Scan<'_, '_>, s: usize, e: usize) -> bool {
    let chars = scan.chars;
    let Some(&first) = chars.get(s) else { return false };
    // 有有有, 对对对: a filler, not a doubled pet name.
    if e == s + 2 && chars[s + 1] == first && (chars.get(e) == Some(&first) || s > 0 && chars[s - 1] == first) {
        return true;
    }
    // 我们都姓曹: the surname of a group.
    if e == s + 1 && s >= 2 && chars[s - 1] == '姓' && matches!(chars[s - 2], '都' | '们') {
        return true;
    }
    // 马家河, 王家庄: a village or a place named by a family.
    if chars.get(s + 1) == Some(&'家') && chars.get(s + 2).is_some_and(|&c| family_place_end(c)) && e <= s + 3 {
        return true;
    }
    // “老蔡烧烤”: 老X and the shop's goods filling the quotes.
    if first == '老' && e == s + 2 && s > 0 && matches!(chars[s - 1], '“' | '"' | '「') {
        let close = (e + 1..(e + 5).min(chars.len())).find(|&k| matches!(chars[k], '”' | '"' | '」'));
        if close.is_some_and(|k| chars[e..k].iter().all(|&c| is_han(c))) {
            return true;
        }
    }
    // 老米家泡馍, “老米家”: a shop named by its owner, goods after 家 or its name in quotes.
    if first == '老' && e == s + 2 && chars.get(e) == Some(&'家') {
        if s > 0 && matches!(chars[s - 1], '“' | '"' | '「') {
            return true;
        }
        let w = scan.words.at(e + 1).filter(|t| t.start == e + 1);
        let fare = w.map_or_else(
            || chars.get(e + 1).is_some_and(|&c| fare_char(c)),
            |t| t.word.chars().last().is_some_and(fare_char),
        );
        if fare {
            return true;
        }
    }
    shop_or_card(chars, s, e) || show_performer(chars, e)
}

/// A shop's name in brackets right after the kind of shop (饭店（金鼎轩）, 茶馆（…）), and a card's
/// name on 卡 before an amount, 会员 or in quotes (储值卡2000, “金卡会员”): no person.
fn shop_or_card(chars: &[char], s: usize, e: usize) -> bool {
    let open = s > 1 && matches!(chars[s - 1], '（' | '(');
    if open && matches!(chars.get(e), Some('）' | ')')) && "店馆厅楼坊铺行".contains(chars[s - 2]) {
        return true;
    }
    chars[e - 1] == '卡'
        && (chars.get(e).is_some_and(|&c| c.is_ascii_digit() || matches!(c, '会' | '”' | '"' | '余'))
            || s > 0 && matches!(chars[s - 1], '“' | '"'))
}

/// A performer before a show's word (孟京辉话剧, 薛之谦的歌) or before a date and a ticket in the same
/// clause (周杰伦12月20日杭州奥体的票).
fn show_performer(chars: &[char], e: usize) -> bool {
    let Some(&next) = chars.get(e) else { return false };
    if "话音巡专的新见脱签".contains(next) && SHOWS.iter().any(|w| super::names::starts_with_at(chars, e, w)) {
        return true;
    }
    if !next.is_ascii_digit() {
        return false;
    }
    let mut k = e;
    while chars.get(k).is_some_and(char::is_ascii_digit) {
        k += 1;
    }
    if chars.get(k) != Some(&'月') {
        return false;
    }
    let clause_end = (k..(k + 24).min(chars.len()))
        .find(|&i| matches!(chars[i], '，' | '。' | '；' | '！' | '？' | '\n'))
        .unwrap_or((k + 24).min(chars.len()));
    let clause: String = chars[k..clause_end].iter().collect();
    ["的票", "门票", "演唱会", "场次", "巡演"].iter().any(|w| clause.contains(w))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_act_set_holds_exactly_the_act_verbs() {
        for u in 0x3000..=0xA000u32 {
            let c = char::from_u32(u).unwrap();
            assert_eq!(super::act_char(c), super::ACTS.contains(c), "{u:X}");
        }
        for c in ['a', '1', '：', ':', ' '] {
            assert!(!super::act_char(c));
        }
    }
}
