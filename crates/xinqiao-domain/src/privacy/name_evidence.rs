//! Names that are also ordinary words (高飞, 黎明, 江河, 甘露) or that jieba glues to the word
//! before (群里易|红霞), decided by what the sentence says about them rather than by a list: the
//! speaker naming a person with the clause ending at the name (我叫甘露。同学叫江河，), the
//! subject of a clause that gives the person's role (黎明（…）是…快递员), a familiar 姐/哥 on a
//! given-name character (芳姐, 涛哥), and a second mention of a name already found.

use super::PiiKind;
use super::cues;
use super::names::{Scan, THRESHOLD, given_char, surname_len};
use super::text::is_han;

/// Words after which the clause names a person when it ends at the name (我叫甘露。, 同学叫江河，,
/// 我是雷雨，, 我名字甘露). 叫 stands for 我叫, 名叫, 他叫, 名字叫.
const NAMING: [&str; 7] = ["叫", "我是", "他是", "她是", "名字", "名字是", "本人是"];

/// jieba tags of readings that are no name: verbs, adjectives, adverbs, pronouns, numerals,
/// conjunctions, prepositions, particles.
const NOT_A_NAME: [&str; 10] = ["v", "a", "d", "r", "m", "q", "c", "p", "u", "t"];

impl Scan<'_, '_> {
    /// An item of a list between two names (江德福、江水生、邵桂花): a surname and one to three
    /// more characters with 、 on both sides, whatever jieba's words there (江水/ns 生).
    pub(super) fn list_items(&self) -> Vec<(f32, usize, usize)> {
        let chars = self.chars;
        let named = |s: usize, e: usize| self.cands.iter().any(|c| c.0 >= THRESHOLD && c.1 == s && c.2 == e);
        let mut out = Vec::new();
        for &(score, _, a_end) in &self.cands {
            if score < THRESHOLD || chars.get(a_end) != Some(&'、') {
                continue;
            }
            let s = a_end + 1;
            out.extend(self.items_to_deng(s));
            let Some(e) = (s + 2..=s + 4).find(|&e| chars.get(e) == Some(&'、')) else { continue };
            let next_named = (e + 3..=e + 5).any(|n| named(e + 1, n));
            if next_named
                && surname_len(self.lex, chars, s) > 0
                && chars[s..e].iter().all(|&c| given_char(c))
                && !self.cands.iter().any(|c| c.1 < e && s < c.2)
                && !self.blocked(s, e)
            {
                out.push((THRESHOLD + 1.0, s, e));
            }
        }
        out
    }

    /// The items of a list that runs from a name to 等 (温若琳、薄一鸣、于晴等37名会员): each a surname and
    /// one or two name characters between 、, the last before 等; all or none.
    fn items_to_deng(&self, mut s: usize) -> Vec<(f32, usize, usize)> {
        let chars = self.chars;
        let mut items = Vec::new();
        while items.len() < 8 {
            let sl = match surname_len(self.lex, chars, s) {
                0 if chars.get(s).is_some_and(|&c| is_han(c) && super::lexicon::known_surname(c)) => 1,
                n => n,
            };
            let Some(e) = (s + sl + 1..=s + sl + 2).find(|&e| matches!(chars.get(e), Some('、' | '等'))) else {
                return Vec::new();
            };
            if sl == 0
                || !chars[s + sl..e].iter().all(|&c| given_char(c))
                || self.cands.iter().any(|c| c.1 < e && s < c.2 && !(c.1 == s && c.2 == e))
                || self.blocked(s, e)
            {
                return Vec::new();
            }
            items.push((THRESHOLD + 1.0, s, e));
            if chars[e] == '等' {
                return items;
            }
            s = e + 1;
        }
        Vec::new()
    }

    /// Whether jieba glued the end of the word before onto the surname at `s` (群里易 in
    /// 业主群里易红霞): a word that starts before `s`, ends right after it and is no dictionary word.
    pub(super) fn glued_on(&self, s: usize) -> bool {
        self.words.at(s).is_some_and(|t| t.start < s && t.end == s + 1 && !self.jieba.has_word(t.word))
    }

    /// `glued_on(s)`, and jieba reads the characters after the surname as a name (群里易|红霞/nr).
    pub(super) fn glued_before_a_name(&self, s: usize) -> bool {
        // The cheap test first: this is asked of every character inside a word.
        self.words.at(s + 1).is_some_and(|t| t.start == s + 1 && t.end > s + 1 && t.tag.starts_with("nr"))
            && self.glued_on(s)
    }

    /// Whether jieba's reading runs over a surname at `s` only by its model's guess, so that a
    /// name may start there whatever the reading (这件事潘立新最清楚 → 事潘/立新): the word holding
    /// `s` starts before it and is no dictionary word, and what stands before `s` in it is one
    /// character or a dictionary word — the reading with a boundary at `s` is the dictionary's.
    pub(super) fn glued_start(&self, s: usize) -> bool {
        self.words.at(s).is_some_and(|t| {
            t.start < s
                && self.words.guessed_at(self.jieba, s)
                && (s - t.start == 1 || self.jieba.has_word(&self.chars[t.start..s].iter().collect::<String>()))
        })
    }

    /// Whether jieba's dictionary has seen `word` fewer than `RARE_WORD` times.
    pub(super) fn rare_word(&self, word: &str) -> bool {
        self.jieba.suggest_freq(word) < RARE_WORD
    }

    /// A public figure named as an advertisement's spokesperson or a star (请刘德华代言, 代言人是刘德华,
    /// 形象大使成龙, 明星黄晓明, 刘德华同款): kept, as public figures are.
    pub(super) fn spokesperson(&self, s: usize, e: usize) -> bool {
        let before = |w: &str| {
            let n = w.chars().count();
            s >= n && self.chars[s - n..s].iter().copied().eq(w.chars())
        };
        let after = |w: &str| super::names::starts_with_at(self.chars, e, w);
        after("代言")
            || after("同款")
            || after("演唱会")
            || after("的演唱会")
            || after("做代言")
            || ["代言人", "代言人是", "代言人为", "形象大使", "品牌大使", "明星"].iter().any(|w| before(w))
    }

    /// Whether a new word may start at `i` although jieba's reading runs on: the word there is
    /// one its model guessed (no dictionary word: 韩拉着 in 小|韩拉着) and a dictionary word
    /// starts at `i` (拉).
    pub(super) fn splits_at(&self, i: usize) -> bool {
        self.words.starts_word(i) || hmm_split(self.jieba, self.words, self.chars, i)
    }

    /// Whether the clause ends at `e`: the end of the text or a punctuation mark.
    fn clause_ends(&self, e: usize) -> bool {
        self.chars.get(e).is_none_or(|&c| {
            matches!(c, '，' | '。' | ',' | '.' | ';' | '；' | '！' | '!' | '？' | '?' | '、' | '）' | ')' | '（' | '(')
                || c == '\n'
                || c == ' '
        })
    }

    /// Whether one of `NAMING` ends right before `s`, at a word boundary.
    fn naming_before(&self, s: usize) -> bool {
        s > 0
            && self.words.ends_word(s)
            && NAMING.iter().any(|w| {
                let n = w.chars().count();
                s >= n && self.chars[s - n..s].iter().copied().eq(w.chars())
            })
    }

    /// A surname + one or two characters that jieba may read as an ordinary word, named by the
    /// sentence: after `NAMING` with the clause ending at it, or the subject of a clause that
    /// gives a person's role. A verb, an adjective, a pronoun or a time word there is no name
    /// (我是担心，), nor a role or kinship word (他是老师。), a place or a brand.
    pub(super) fn decided_by_context(&mut self, s: usize) {
        let chars = self.chars;
        // Cheapest tests first: this runs on every character.
        let clause_start = s == 0 || !is_han(chars[s - 1]) && !chars[s - 1].is_ascii_alphanumeric();
        if !clause_start && !matches!(chars[s - 1], '叫' | '是' | '字') {
            return;
        }
        let naming = self.naming_before(s);
        if !naming && !clause_start {
            return;
        }
        // A surname the name model never saw (花) where jieba reads a name (她叫花蕊，).
        let read_as_name =
            self.words.at(s).is_some_and(|t| t.start == s && t.tag.starts_with("nr") && (2..=3).contains(&(t.end - s)));
        let sl = match surname_len(self.lex, chars, s) {
            0 if naming && read_as_name && given_char(chars[s]) => 1,
            sl => sl,
        };
        if sl == 0 {
            return;
        }
        for g in [2, 1] {
            let e = s + sl + g;
            if e > chars.len() || !(s + sl..e).all(|k| given_char(chars[k])) || !self.words.ends_word(e) {
                continue;
            }
            let named = naming && self.clause_ends(e);
            let subject = !named && clause_start && self.subject_of_a_role(s, e) > 0.0;
            if !named && !subject {
                continue;
            }
            let reading = self.words.at(s).filter(|t| t.start == s && t.end == e);
            // After 名字 jieba's verb reading is no evidence (我名字叫甘露/v。); after 是 or 叫 alone
            // it is (我是担心，, 叫停, 叫醒: 叫 takes verbs too).
            let after_name_word = ["名字", "名字叫", "名字是"].iter().any(|w| {
                let n = w.chars().count();
                s >= n && chars[s - n..s].iter().copied().eq(w.chars())
            });
            let dictionary_noun = reading.is_some_and(|t| !t.tag.starts_with("nr") && self.jieba.has_word(t.word));
            // Named (叫江河): a two-character noun may be a name, a longer one (名字叫向日葵) is a
            // screen name or a thing. The subject of a role clause: only what jieba does not
            // read as an ordinary noun (楼主是…本人).
            let not_a_name = reading.is_some_and(|t| {
                NOT_A_NAME.iter().any(|f| t.tag.starts_with(f)) && !(after_name_word && t.tag.starts_with('v'))
            }) || dictionary_noun && (subject || e - s > 2);
            let role = cues::cue_at(chars, s).is_some_and(|(_, end)| end >= e) || cues::title_at(chars, s).is_some();
            // A place or a brand at the start (我是江苏人，), or an ordinary word that the name
            // would begin with (江苏|人).
            let place = self.lex.place_at(chars, s) > 0 || self.lex.brand_at(chars, s) > 0;
            let cut = self
                .words
                .at(s)
                .is_some_and(|t| t.start == s && t.end < e && !t.tag.starts_with("nr") && self.jieba.has_word(t.word));
            if !not_a_name && !role && !place && !cut {
                self.push(4.5, s, e);
            }
            return;
        }
    }

    /// A familiar 姐 or 哥 after a character that is mostly a given name's (店里的芳姐, 涛哥说):
    /// the person's given name with a familiar title. Dictionary words (大姐, 表哥, 帅哥, 空姐)
    /// are none.
    pub(super) fn given_name_kin(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&c), Some(&t)) = (chars.get(s), chars.get(s + 1)) else { return };
        if !matches!(t, '姐' | '哥')
            || !given_char(c)
            || surname_len(self.lex, chars, s) > 0
            || cues::nickname_is_a_word(c, t)
        {
            return;
        }
        let scores = self.lex.scores(c);
        if scores.given1.max(scores.given2) < 1.0 {
            return;
        }
        let pair: String = chars[s..s + 2].iter().collect();
        let boundary = s == 0 || !is_han(chars[s - 1]) || self.words.starts_word(s);
        let ends = chars.get(s + 2).is_none_or(|&n| !given_char(n) || self.words.starts_word(s + 2));
        if boundary && ends && !self.jieba.has_word(&pair) && !self.blocked(s, s + 2) {
            self.push(5.0, s, s + 2);
        }
    }
}

/// Dictionary words seen fewer times than this (of about 60 million in jieba's dictionary) are
/// rare: 立新 (51), 文海 (18).
const RARE_WORD: usize = 100;

/// A surname character that is also a classifier right after a determiner or a numeral (那张卡,
/// 这条裤子, 两支笔): a thing is counted, no person named.
pub(super) fn classifier_after_a_determiner(chars: &[char], s: usize) -> bool {
    s > 0
        && matches!(chars[s], '张' | '条' | '支' | '把' | '根' | '台' | '双' | '包' | '盒' | '瓶' | '件' | '间' | '顿')
        && (matches!(chars[s - 1], '这' | '那' | '哪' | '每' | '几' | '一' | '两' | '三' | '四' | '五' | '六')
            || matches!(chars[s - 1], '七' | '八' | '九' | '十' | '半' | '俩')
            || chars[s - 1].is_ascii_digit())
}

/// Other mentions of a name already found (…分派给小郝，小郝休产假; 张幸福 … 张幸福说): the same
/// characters, two to four, where jieba starts and ends a word there, outside protected ranges
/// and spans already found. Names with a title (王经理) are looked for too.
pub(super) fn second_mentions(
    jieba: &jieba_rs::Jieba,
    chars: &[char],
    words: &super::names::Words<'_>,
    protected: &[(usize, usize)],
    found: &mut Vec<(PiiKind, usize, usize)>,
    from: usize,
) {
    let names: Vec<(usize, usize)> = found[from..]
        .iter()
        .filter(|f| f.0 == PiiKind::Name && (2..=4).contains(&(f.2 - f.1)))
        .map(|f| (f.1, f.2))
        .collect();
    latin_mentions(chars, protected, found, from);
    for (s, e) in names {
        let n = e - s;
        let mut i = 0;
        while i + n <= chars.len() {
            if chars[i..i + n] != chars[s..e] {
                i += 1;
                continue;
            }
            let taken =
                found.iter().any(|f| i < f.2 && f.1 < i + n) || protected.iter().any(|p| i < p.1 && p.0 < i + n);
            let bounded = (i == 0 || words.starts_word(i) || !is_han(chars[i - 1]))
                && (i + n == chars.len()
                    || words.starts_word(i + n)
                    || !is_han(chars[i + n])
                    || hmm_split(jieba, words, chars, i + n));
            if !taken && bounded {
                found.push((PiiKind::Name, i, i + n));
            }
            i += n;
        }
    }
}

/// Other mentions of a one-word Latin name already found (销售Cindy说 … Cindy的电话 … 前台说Cindy已经
/// 离职): the same letters, whole (no letter or digit on either side), outside protected ranges.
fn latin_mentions(chars: &[char], protected: &[(usize, usize)], found: &mut Vec<(PiiKind, usize, usize)>, from: usize) {
    let names: Vec<(usize, usize)> = found[from..]
        .iter()
        .filter(|f| f.0 == PiiKind::Name && f.2 - f.1 >= 3 && chars[f.1..f.2].iter().all(char::is_ascii_alphabetic))
        .map(|f| (f.1, f.2))
        .collect();
    let alnum = |i: usize| chars.get(i).is_some_and(char::is_ascii_alphanumeric);
    for (s, e) in names {
        let n = e - s;
        for i in 0..=chars.len().saturating_sub(n) {
            if chars[i..i + n] != chars[s..e] || i > 0 && alnum(i - 1) || alnum(i + n) {
                continue;
            }
            let taken =
                found.iter().any(|f| i < f.2 && f.1 < i + n) || protected.iter().any(|p| i < p.1 && p.0 < i + n);
            if !taken {
                found.push((PiiKind::Name, i, i + n));
            }
        }
    }
}

/// Whether jieba's model glued `i` to the characters before it (a word that is no dictionary
/// word runs over `i`) while a dictionary word, one character or more, starts at `i`.
pub(super) fn hmm_split(jieba: &jieba_rs::Jieba, words: &super::names::Words<'_>, chars: &[char], i: usize) -> bool {
    words.at(i).is_some_and(|t| t.start < i && !jieba.has_word(t.word))
        && (1..=3).any(|n| i + n <= chars.len() && jieba.has_word(&chars[i..i + n].iter().collect::<String>()))
}

/// A person named like a place (来电人宁波) leaves the place itself unmasked where the text goes
/// somewhere (在宁波旅游, 去宁波): a must-keep place name, not the person again. Drops such spans
/// among the names found from `from`.
pub(super) fn keep_located_places(
    lex: &super::lexicon::Lexicon,
    chars: &[char],
    found: &mut Vec<(PiiKind, usize, usize)>,
    from: usize,
) {
    let mut k = from;
    while k < found.len() {
        let (_, s, e) = found[k];
        if locative_place(lex, chars, s, e) {
            found.remove(k);
        } else {
            k += 1;
        }
    }
}

/// Whether `s..e` is a listed place (GB/T 2260 or elsewhere) that the text goes to, stays in or
/// comes from: a locative word right before it (在, 到, 去, 从, 回, 往, 赴, 来自), or a trip right
/// after it (旅游, 出差, 打工, 玩).
fn locative_place(lex: &super::lexicon::Lexicon, chars: &[char], s: usize, e: usize) -> bool {
    if e < s + 2 || lex.place_at(chars, s) < e - s {
        return false;
    }
    let before = s > 0 && matches!(chars[s - 1], '在' | '到' | '去' | '从' | '回' | '往' | '赴')
        || s >= 2 && chars[s - 2..s] == ['来', '自'];
    let after = ["旅游", "出差", "打工", "玩"].iter().any(|w| super::names::starts_with_at(chars, e, w));
    before || after
}
