//! A surname standing for one person without its given name: with a word that withholds the given
//! name (张某, 胡某某, 汪氏, 孔君), alone where the text's shape says a person (an officer signing a
//! note: 转区市场监管局。房, 同意办结。岳11.22; a field of a record: 记录：潘, 回访人：林; a role right
//! before: 店长敖：, 护士长沈), before 姓 (霍姓店主); and a name whose rare surname the name model does
//! not know (危丽, 綦小龙, 那桂琴, 庹晓燕) right after a word that introduces a person, where jieba
//! reads a name. Rules over the text's shape and the surname tables, not a list of people.

use super::cues::{self, Cue};
use super::lexicon::known_surname;
use super::names::{Scan, follower, given_char, surname_len};
use super::text::is_han;

/// Surnames the name model does not know (`surnames-rare.txt`).
const RARE: &str = include_str!("../../data/privacy/surnames-rare.txt");

/// Whether `c` is a rare surname of `surnames-rare.txt`.
pub(super) fn rare_surname(c: char) -> bool {
    // One bit per character of the Han block (asked at many positions: a bit costs less than a
    // hash), any surname outside the block in a set.
    type Sets = (super::charset::HanSet, std::collections::HashSet<char>);
    static SET: std::sync::LazyLock<Sets> = std::sync::LazyLock::new(|| {
        let mut han = super::charset::HanSet::new("");
        let others = RARE
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter_map(|w| w.chars().next())
            .filter(|&c| !han.insert(c))
            .collect();
        (han, others)
    });
    SET.0.contains(c) || !SET.1.is_empty() && SET.1.contains(&c)
}

/// Words of two characters in which a surname-like character before 君 is no surname (诸君, 夫君).
const NOT_JUN: [&str; 12] =
    ["诸君", "郎君", "夫君", "明君", "昏君", "国君", "储君", "暴君", "仁君", "使君", "尊君", "家君"];

/// After 某 these make 某 a determiner of a thing or a time (于某日, 向某地, 任某种): no name.
const AFTER_MOU_NOT_A_NAME: &str = "日天年月时地处种些个位项件次样方品类物事段条份回号国省市县区";

/// Words of record and sign-off that a bare surname may fill (记录：潘, 经办：左, 回访人：林).
pub(super) fn signing_label_before(chars: &[char], colon: usize) -> bool {
    if colon < 2 {
        return false;
    }
    let last = chars[colon - 1];
    let pair = [chars[colon - 2], last];
    matches!(last, '人' | '员' | '长')
        || cues::role_word_before(chars, colon)
        || [
            ['记', '录'],
            ['经', '办'],
            ['签', '发'],
            ['审', '核'],
            ['承', '办'],
            ['签', '字'],
            ['署', '名'],
            ['签', '名'],
            ['收', '货'],
            ['验', '收'],
            ['送', '货'],
            ['整', '理'],
            ['复', '核'],
            ['收', '件'],
            ['制', '表'],
        ]
        .contains(&pair)
}

/// A date written right after a signature (岳11.22, 房 11/23): digits, a separator, digits.
fn date_at(chars: &[char], at: usize) -> bool {
    let mut i = at;
    if chars.get(i) == Some(&' ') {
        i += 1;
    }
    let d0 = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    (1..=4).contains(&(i - d0))
        && chars.get(i).is_some_and(|c| matches!(c, '.' | '/' | '-'))
        && chars.get(i + 1).is_some_and(char::is_ascii_digit)
}

impl Scan<'_, '_> {
    /// Whether jieba reads the character at `s` as a function word of its own (于/p, 向/p, 和/c).
    fn function_word_at(&self, s: usize) -> bool {
        self.words.at(s).is_some_and(|t| {
            t.start == s && t.end == s + 1 && ["p", "c", "u", "d", "r"].iter().any(|f| t.tag.starts_with(f))
        })
    }

    /// A surname with 某, 某某, 氏 or 君 (张某, 胡某某, 汪氏, 柯门林氏, 孔君): the text names one
    /// person and withholds the given name; the surname is still the person's.
    pub(super) fn withheld_given_name(&mut self, s: usize) {
        let chars = self.chars;
        // Cheapest test first: this runs on every character.
        let marks = |c: Option<&char>| c.is_some_and(|&c| matches!(c, '某' | '氏' | '君'));
        if !marks(chars.get(s + 1)) && !marks(chars.get(s + 2)) {
            return;
        }
        let sl = match surname_len(self.lex, chars, s) {
            0 if is_han(chars[s]) && known_surname(chars[s]) => 1,
            0 => return,
            n => n,
        };
        let Some(&m) = chars.get(s + sl).filter(|&&c| matches!(c, '某' | '氏' | '君')) else { return };
        // The surname starts a word, or a word that introduces a person ends right before it (店主|张某):
        // not 地区|某国.
        let starts = s == 0 || !is_han(chars[s - 1]) || self.words.starts_word(s) || self.cue_before(s).is_some();
        // (A function word's character before 某某 is a surname all the same: 我是任某某.)
        let double = chars.get(s + sl) == Some(&'某') && chars.get(s + sl + 1) == Some(&'某');
        if !double && (self.function_word_at(s) || !starts) {
            return;
        }
        let mut e = s + sl + 1;
        let next = chars.get(e).copied();
        match m {
            '某' => {
                if next == Some('某') {
                    e += 1;
                } else if next.is_some_and(|c| AFTER_MOU_NOT_A_NAME.contains(c))
                    && !(next == Some('个') && chars.get(e + 1) == Some(&'人'))
                {
                    return;
                }
            }
            _ => {
                // 氏 and 君 end the word (汪氏，, 孔君（): 阮氏香 and 王君平 are whole names, 王氏调味品
                // a shop, 诸君 a word.
                let ends = next.is_none_or(|c| !is_han(c) || follower(c) || matches!(c, '者' | '之'));
                let word: String = chars[s + sl - 1..=s + sl].iter().collect();
                if !ends || m == '君' && NOT_JUN.contains(&word.as_str()) || m == '氏' && sl == 1 && chars[s] == '姓'
                {
                    return;
                }
            }
        }
        self.push(5.0, s, e);
    }

    /// A surname standing alone for a person: an officer's signature ending a note (…转区市场监管局。房,
    /// 同意办结。岳11.22), the value of a record's field (记录：潘, 回访人：林, 经办：左), a surname right
    /// after a role and before a colon or the line's end (店长敖：, 护士长沈), and a surname before 姓
    /// (霍姓店主, 项姓).
    pub(super) fn bare_surname(&mut self, s: usize) {
        let chars = self.chars;
        let Some(&c) = chars.get(s) else { return };
        let next = chars.get(s + 1).copied();
        // Cheapest test first: what follows a bare surname is the end, a line break, a colon, a
        // date, a comma-like mark, or 姓.
        let after_ok = next.is_none_or(|n| {
            matches!(n, '\n' | '：' | ':' | '，' | ',' | '、' | '。' | '；' | ';' | ' ' | '（' | '(' | '姓')
        }) || next.is_some_and(|n| n.is_ascii_digit())
            || s > 0 && chars[s - 1] == '、' && matches!(next, Some('两' | '二' | '等'));
        if !after_ok || !is_han(c) || !known_surname(c) || surname_len(self.lex, chars, s) == 2 {
            return;
        }
        let prior = self.lex.scores(c).surname;
        let prev = s.checked_sub(1).map(|p| chars[p]);
        let line_end = next.is_none_or(|n| n == '\n');
        let surname_ok = prior >= 0.4 || cues::common_surname(c);
        let hit = if next == Some('姓') {
            // 霍姓店主, （项姓，名项秉钧）: not 百姓, 复姓, 单姓, nor 姓名 (the field), nor 姓氏.
            let after = chars.get(s + 2).copied();
            surname_ok
                && !matches!(after, Some('名' | '氏'))
                && !prev.is_some_and(|p| {
                    matches!(
                        p,
                        '老' | '百'
                            | '复'
                            | '单'
                            | '异'
                            | '同'
                            | '本'
                            | '改'
                            | '随'
                            | '冒'
                            | '大'
                            | '小'
                            | '贵'
                            | '姓'
                    )
                })
                && (prev.is_none_or(|p| !is_han(p)) || self.words.starts_word(s))
        } else if prev.is_some_and(|p| matches!(p, '：' | ':')) {
            // A field of a record: 记录：潘, 回访人：林, 经办：左，签发：….
            surname_ok
                && !matches!(next, Some('：' | ':' | '姓'))
                && !next.is_some_and(|n| n.is_ascii_digit())
                && signing_label_before(chars, s - 1)
        } else if prev == Some('、') && self.cands.iter().any(|c| c.0 >= 5.0 && c.1 + 2 == s && c.2 + 1 == s) {
            // The next of a list of bare surnames (复查人尚、于, 抽样人 奚、窦): even a function word's
            // character (于), the list ending at it.
            // (…and 两人, 二人, 等 after the last: 执法人员尹、晏两人到.)
            let group = matches!(next, Some('两' | '二')) && chars.get(s + 2) == Some(&'人') || next == Some('等');
            surname_ok
                && (group || next.is_none_or(|n| matches!(n, '\n' | '、' | '（' | '(' | ' ' | '。' | '，' | '；')))
        } else if prev == Some(' ') {
            // A form filled in with spaces (负责人 鞠  电话, 抽样人 奚、窦): a signing label before the
            // spaces, the field ending at the surname.
            let mut k = s - 1;
            while k > 0 && s - k < 3 && chars[k - 1] == ' ' {
                k -= 1;
            }
            k >= 2
                && chars[k] == ' '
                && next.is_none_or(|n| matches!(n, ' ' | '、' | '\n'))
                && signing_label_before(chars, k)
                && self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 1)
        } else if prev.is_some_and(|p| matches!(p, '。' | '，' | ',' | '；' | ';' | '！' | '!' | '？' | '?')) {
            // A signature ending a note, alone on its line or before a date.
            surname_ok
                && (line_end || next.is_some_and(|n| n.is_ascii_digit()) && date_at(chars, s + 1))
                && !self.function_word_at(s)
        } else if s >= 2 && is_han(chars[s - 1]) {
            // A role right before, the surname ending the line or before a colon or 、 (店长敖：,
            // 护士长沈\n, 郑院长、护士长沈).
            // A signer's label on 人 (复查人尚、) and a role before a bracket (摊主吴（卖鱼的）) too.
            let signer =
                s >= 3 && chars[s - 1] == '人' && is_han(chars[s - 3]) && matches!(next, Some('、' | '（' | '('));
            // (Before a bracket, only where jieba reads the surname as a name of its own: 摊主吴/nr（, not 销售单（.)
            let bracket_ok = !matches!(next, Some('（' | '('))
                || self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 1 && t.tag.starts_with("nr"));
            (prior >= 1.0 || cues::common_surname(c))
                && matches!(next, None | Some('\n' | '：' | ':' | '、' | '（' | '('))
                && bracket_ok
                && (matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) && cues::role_word_before(chars, s)
                    || signer && signing_label_before(chars, s)
                    || chars[s - 1] == '长'
                        && !matches!(chars[s - 2], '成' | '增' | '生' | '延' | '加' | '家' | '擅' | '特'))
                && !self.function_word_at(s)
        } else {
            false
        };
        if hit && !self.blocked(s, s + 1) {
            self.cands.push((5.0, s, s + 1));
        }
    }

    /// A name jieba's dictionary reads as a verb (付强, 甘露) right after a role word, followed by a
    /// word that starts the person's predicate (派单维修师傅付强于…上门, 调解员甘露向双方说明): the role
    /// names the person and the predicate follows. A likely surname and a likely second character of a
    /// given name; not before 了, 过, punctuation (师傅付清了, 付清。).
    pub(super) fn verb_read_after_role(&mut self, s: usize) {
        let chars = self.chars;
        let e = s + 2;
        // Cheapest test first: this runs on every character.
        if !chars.get(e).is_some_and(|&c| {
            matches!(
                c,
                '于' | '向'
                    | '在'
                    | '从'
                    | '对'
                    | '把'
                    | '被'
                    | '已'
                    | '也'
                    | '就'
                    | '还'
                    | '又'
                    | '说'
                    | '称'
                    | '将'
            )
        }) {
            return;
        }
        if !matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) || !cues::role_word_before(chars, s) {
            return;
        }
        let Some(t) = self.words.at(s) else { return };
        if t.start != s || t.end != e || !t.tag.starts_with('v') || surname_len(self.lex, chars, s) != 1 {
            return;
        }
        let c = chars[s];
        let likely = cues::common_surname(c) || self.lex.scores(c).surname >= 1.0;
        if likely && given_char(chars[s + 1]) && self.lex.scores(chars[s + 1]).given2 >= 0.5 && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A name whose surname the name model does not know or rates low (危丽, 綦小龙, 那桂琴, 庹晓燕,
    /// 燕小燕) right after a word that introduces a person (客服主管危丽, 执法人员綦小龙, 住户那桂琴):
    /// jieba reads a name there (its tag `nr`), the surname is one of the tables', every character a
    /// given name's, and the name ends its word.
    pub(super) fn rare_surname_after_cue(&mut self, s: usize) {
        if !matches!(self.cue_before(s), Some(Cue::Strong | Cue::Role)) {
            return;
        }
        let chars = self.chars;
        let c = chars[s];
        // (A surname the model rates likely is the model's to judge.)
        let sl = surname_len(self.lex, chars, s);
        if !(known_surname(c) || rare_surname(c)) || sl == 2 || sl == 1 && self.lex.scores(c).surname >= 1.0 {
            return;
        }
        // jieba reads a name, or guesses a word no dictionary holds (危丽/a) that is no verb, or reads
        // the surname as a word of its own (綦/nr, 禤/x) and the given name as the next (小龙/nr, 志豪/n).
        let Some(t) = self.words.at(s).filter(|t| t.start == s) else { return };
        let e = if t.end == s + 1 {
            if !(t.tag.starts_with("nr") || matches!(t.tag, "x" | "n" | "ng")) {
                return;
            }
            match self.words.at(s + 1) {
                Some(g) if g.start == s + 1 && g.end - g.start <= 2 && (g.tag == "n" || g.tag.starts_with("nr")) => {
                    g.end
                }
                _ => return,
            }
        } else if t.tag.starts_with("nr") || !t.tag.starts_with('v') && self.words.guessed_at(self.jieba, s) {
            // jieba's model may glue a function word or a verb after the name (庹晓燕于, 门丽到).
            let glued = "于到在说和给把被跟向是也都就还".contains(chars[t.end - 1]);
            if t.end - t.start >= 3 && glued { t.end - 1 } else { t.end }
        } else {
            return;
        };
        if !(s + 2..=s + 3).contains(&e) || !chars[s + 1..e].iter().all(|&g| given_char(g)) {
            return;
        }
        if e - s == 2 && self.lex.common_nr_word(chars[s], chars[s + 1]) {
            return;
        }
        // The name ends a word (经办人那仁|电话, 住户那桂琴，).
        let next_ok = chars.get(e).is_none_or(|&n| !is_han(n) || follower(n)) || self.words.starts_word(e);
        if next_ok && cues::title_at(chars, s + 1).is_none() && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }
}

/// A noun for a person that no list holds, ending right before `s` (a colon or a space between),
/// a department (质检部, 钢筋班), or a party's side (投诉方, 品牌方):
/// two or three characters that jieba reads as one noun ending in 员, 工, 户, 师 or 长 (抄表员,
/// 钢筋工, 住户, 维修师, 楼长, 护士长) — a role, so what follows may name the person. Not the nouns
/// on those characters that are things or qualities (窗户, 特长, 人工).
pub(super) fn person_noun_before(words: &super::names::Words<'_>, chars: &[char], s: usize) -> Option<Cue> {
    let mut e = s;
    while e > 0 && s - e < 2 && matches!(chars[e - 1], ' ' | ':' | '：') {
        e -= 1;
    }
    // A party's side (投诉方莫先生, 品牌方钟经理): a person of that side may follow.
    if e >= 2 && chars[e - 1] == '方' && "牌双对甲乙买卖供需诉请院校厂司警资劳官".contains(chars[e - 2])
    {
        return Some(Cue::Role);
    }
    // Cheapest test first: this runs on every character.
    if e < 2 || !matches!(chars[e - 1], '员' | '工' | '户' | '师' | '长' | '部' | '科' | '组' | '班' | '室' | '队')
    {
        return None;
    }
    // (Not before a conjunction or a preposition: 州长|和|波士顿市长.)
    if words
        .at(s)
        .is_some_and(|w| w.start == s && w.end == s + 1 && ["c", "p", "u"].iter().any(|f| w.tag.starts_with(f)))
    {
        return None;
    }
    let t = words.at(e - 1)?;
    let len = t.end - t.start;
    let thing = ["窗户", "门户", "特长", "专长", "人工", "手工", "分工", "工长", "账户"].contains(&t.word);
    // A department (质检部, 财务科, 钢筋班) is a word of three characters.
    let department = matches!(chars[e - 1], '部' | '科' | '组' | '班' | '室' | '队');
    // (jieba may read it as two words: 质检/j 部/n.)
    let split_department = department
        && len == 1
        && words.at(e - 2).is_some_and(|w| w.end == e - 1 && w.end - w.start == 2 && matches!(w.tag, "n" | "j" | "vn"));
    if split_department && t.tag == "n" {
        return Some(Cue::Role);
    }
    // (A department jieba reads as an organisation, 外交部/nt, is a body speaking: not counted.)
    let fits = if department { len == 3 && t.tag == "n" } else { (2..=3).contains(&len) };
    (t.end == e && fits && t.tag.starts_with('n') && !t.tag.starts_with("nr") && !thing).then_some(Cue::Role)
}

/// Readings that start like a name and are none (asked by `Scan::blocked`): a party's side (品牌方代表,
/// 被申请人方：: 方 after the party), the verb 戴 (戴着工牌, 戴帽子), the Shanghainese pronoun 阿拉 (阿拉是
/// 开店的: "we"), and a trade noun's last character before a nickname (中介商老孙: the nickname is 老孙).
pub(super) fn no_person(chars: &[char], s: usize, e: usize) -> bool {
    let prev = s.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(s + 1).copied();
    match chars[s] {
        // (After a role ending in 人, 家, 者, 户 or 商, 方 is a surname unless the party's word
        // goes on: 投保人方志国 is a person, 被申请人方： and 卖家方代表 a side.)
        '方' => {
            prev.is_some_and(|p| "牌双对甲乙买卖供需诉请院校厂司警资劳官".contains(p))
                || prev.is_some_and(|p| "人家者户商".contains(p))
                    && (next.is_none_or(|n| !is_han(n))
                        || matches!(next, Some('面'))
                        || chars.get(s + 1..s + 3) == Some(&['代', '表']))
        }
        '戴' => next.is_some_and(|n| "着了过上好帽口眼手头耳围在的".contains(n)),
        '阿' => next == Some('拉') && e == s + 2,
        '商' | '员' | '户' | '工' => {
            e == s + 3
                && prev.is_some_and(is_han)
                && matches!(next, Some('老' | '小'))
                && cues::common_surname(chars[s + 2])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rare_surname_set_holds_the_list_and_nothing_else() {
        let listed: std::collections::HashSet<char> = super::RARE
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter_map(|w| w.chars().next())
            .collect();
        assert!(listed.len() >= 100);
        for u in (0x3000..=0xA100u32).chain(0x20000..=0x20100) {
            let c = char::from_u32(u).unwrap();
            assert_eq!(super::rare_surname(c), listed.contains(&c), "{u:X}");
        }
    }
}
