//! Personal names. Candidates start with a surname (single or compound) and are scored: the name
//! model (`lexicon`: how much the surname and the given-name characters look like a name rather
//! than ordinary words, trained on jieba's dictionary), how jieba segments the text (a common
//! word is no name; a name starts and ends words), and the context (a word that introduces a
//! person before — 我叫, 校长, 户名, 舅舅 —, a title after — 先生, 经理, 师傅). A surname with a
//! title or a nickname (赵经理, 钟女士, 小刘, 老李) is a name too: it points at one person. Names of
//! minority peoples are read from their parts (扎西顿珠), foreign names by their `·`. Place names,
//! brands, shops and the case's own enterprise are never cut into names.

use super::PiiKind;
use super::cues::{self, Cue};
use super::lexicon::Lexicon;
use super::text::{is_han, is_stop};

type Found = Vec<(PiiKind, usize, usize)>;

/// Compound surnames (two characters).
pub(super) const COMPOUND_SURNAMES: [&str; 20] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "端木", "宇文",
    "长孙", "南宫", "西门", "呼延", "澹台", "申屠",
];

/// Words jieba tags `nr` that are not names.
const NOT_NAMES: [&str; 12] =
    ["谢谢", "申请人", "师傅", "老板", "周末", "金额", "高速", "方便", "白天", "常常", "宁可", "章程"];
/// jieba tags of function words: a surname-like character with one of these is no surname.
const FUNCTION_TAGS: [&str; 6] = ["c", "p", "y", "e", "o", "u"];

/// jieba tags of verbs, adjectives and adverbs.
const VERBAL: [&str; 4] = ["v", "a", "d", "ad"];

/// Scores at or above this make a name.
const THRESHOLD: f32 = 3.0;

/// jieba's reading of the text, indexed by character: which word starts where.
pub(super) struct Words<'a> {
    pub tags: Vec<jieba_rs::Tag<'a>>,
    /// For each character, the index in `tags` of the word that contains it.
    word_of: Vec<usize>,
}

impl<'a> Words<'a> {
    pub fn new(jieba: &'a jieba_rs::Jieba, text: &'a str, len: usize) -> Self {
        let tags = jieba.tag(text, true);
        let mut word_of = vec![0; len];
        for (k, t) in tags.iter().enumerate() {
            for w in &mut word_of[t.start.min(len)..t.end.min(len)] {
                *w = k;
            }
        }
        Self { tags, word_of }
    }

    pub fn at(&self, i: usize) -> Option<&jieba_rs::Tag<'a>> {
        self.word_of.get(i).map(|&k| &self.tags[k])
    }

    pub fn starts_word(&self, i: usize) -> bool {
        self.at(i).is_none_or(|t| t.start == i)
    }

    pub fn ends_word(&self, i: usize) -> bool {
        i == 0 || self.at(i - 1).is_none_or(|t| t.end == i)
    }
}

struct Scan<'a, 'w> {
    chars: &'a [char],
    words: &'a Words<'w>,
    lex: &'a Lexicon,
    jieba: &'a jieba_rs::Jieba,
    protected: &'a [(usize, usize)],
    /// (score, start, end)
    cands: Vec<(f32, usize, usize)>,
    /// Candidates a little below the threshold.
    near: Vec<(f32, usize, usize)>,
    /// For each position, the cue that ends right before it (computed once: asked often).
    cue_end: Vec<Option<Cue>>,
}

/// The length of the surname at `at` (2 for compound surnames), or 0.
pub(super) fn surname_len(lex: &Lexicon, chars: &[char], at: usize) -> usize {
    let Some(&first) = chars.get(at) else { return 0 };
    let compound_first =
        matches!(first, '欧' | '司' | '诸' | '上' | '东' | '皇' | '尉' | '公' | '慕' | '令' | '夏' | '端')
            || matches!(first, '宇' | '长' | '南' | '西' | '呼' | '澹' | '申');
    if compound_first && COMPOUND_SURNAMES.iter().any(|c| starts_with_at(chars, at, c)) {
        2
    } else if lex.scores(first).surname > 0.0 {
        1
    } else {
        0
    }
}

pub(super) fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Characters a given name may hold.
fn given_char(c: char) -> bool {
    is_han(c) && !is_stop(c) && !matches!(c, '某' | '氏')
}

/// Characters that follow a name or a title as a new word (说, 发, 让 …): function words and
/// common verbs.
fn follower(c: char) -> bool {
    is_stop(c) || "说讲称发转让给在是也都就还答承表告打来去把被对跟已不没又再才会要叫问带收拿家".contains(c)
}

/// Last characters of place, document, organisation and shop names (王庄村, 安全法, 李记).
fn ends_like_a_place(c: char) -> bool {
    "村镇乡县区市省路街巷法证店厂局站部司处室楼组屯寨记院园馆城".contains(c)
}

impl Scan<'_, '_> {
    fn cue_before(&self, s: usize) -> Option<Cue> {
        self.cue_end.get(s).copied().flatten()
    }

    /// A candidate that overlaps a protected range (enterprise, public body, the case's own
    /// enterprise), or begins a brand or a place name (a place only where no cue says person:
    /// 负责人乌兰 is a person, 去乌兰 a county).
    fn blocked(&self, s: usize, e: usize) -> bool {
        let place = self.lex.place_at(self.chars, s) >= (e - s).min(3) && self.cue_before(s).is_none();
        self.protected.iter().any(|p| s < p.1 && p.0 < e) || place || self.lex.brand_at(self.chars, s) >= (e - s).min(3)
    }

    fn push(&mut self, score: f32, s: usize, e: usize) {
        if e > s + 1 && !self.blocked(s, e) {
            self.cands.push((score, s, e));
        }
    }

    /// A candidate below the threshold, kept in case a list of names vouches for it.
    fn near(&mut self, score: f32, s: usize, e: usize) {
        if e > s + 1 && !self.blocked(s, e) {
            self.near.push((score, s, e));
        }
    }

    /// The jieba evidence about a name at `s..e`: positive when jieba reads a name there,
    /// negative when the span is or cuts an ordinary word.
    fn segmentation(&self, s: usize, e: usize) -> f32 {
        let mut score = 0.0;
        let Some(first) = self.words.at(s) else { return -5.0 };
        let nr = |t: &jieba_rs::Tag<'_>| t.tag.starts_with("nr");
        let len = first.end - first.start;
        // An ordinary dictionary word; jieba's dictionary also tags many two-character words
        // `nr` (顾问, 付清, 过敏): those count as ordinary too.
        let common_nr = |t: &jieba_rs::Tag<'_>| {
            t.end - t.start == 2 && self.lex.common_nr_word(self.chars[t.start], self.chars[t.start + 1])
        };
        let ordinary = |t: &jieba_rs::Tag<'_>| {
            t.end - t.start >= 2
                && self.jieba.has_word(t.word)
                && (!nr(t) || t.end - t.start == 2 || NOT_NAMES.contains(&t.word))
        };
        let sl = surname_len(self.lex, self.chars, s);
        if first.start < s {
            // Judged above and below.
        } else if sl == 2 && first.start == s && first.end == s + 2 {
            // A compound surname jieba reads as a word of its own (欧阳/建国).
        } else if first.start == s && first.end == e {
            if ordinary(first) && VERBAL.iter().any(|v| first.tag.starts_with(v)) {
                // A verb or an adjective (陈述, 查处, 付清) is no name, whatever the cue before.
                score -= 7.0;
            } else if ordinary(first) {
                // Two-character dictionary words tagged `nr` are often real names (李娜) too.
                score -= if nr(first) && !NOT_NAMES.contains(&first.word) && !common_nr(first) { 2.0 } else { 3.5 };
            } else if nr(first) {
                score += 1.5;
            }
        } else if first.start == s && ordinary(first) {
            // The name would begin with an ordinary word (郑重|承诺, 阳光|小区).
            score -= 4.0;
        } else if first.start == s && len == 1 && FUNCTION_TAGS.iter().any(|f| first.tag.starts_with(f)) {
            // A surname-like character standing as a function word (和/c, 于/p, 向/p).
            score -= 3.0;
        }
        // jieba may glue a cue to the surname (我妈林|爱华, 叫何|一凡): no evidence either way.
        let glued_to_cue = first.start < s && self.cue_before(s).is_some();
        if first.start != s && !nr(first) && !glued_to_cue {
            // The name would start inside another word (奥林|巴斯 in 奥林巴斯).
            score -= if ordinary(first) { 4.5 } else { 3.0 };
        }
        // A family name before a place word is a place (刘家村, 王庄镇).
        if self.chars.get(e).is_some_and(|c| "村镇乡庄屯寨湾营坡沟堡".contains(*c)) {
            score -= 3.0;
        }
        if !self.words.ends_word(e) && self.words.at(e - 1).is_some_and(|t| t.end - t.start >= 2 && !nr(t)) {
            score -= 2.5;
        }
        // An ordinary word of two or more characters inside the given name (王先生, 李经理).
        let mut i = s + 1;
        while i < e {
            let Some(t) = self.words.at(i) else { break };
            // Given names are often words (建国, 海洋): a verb or an adverb counts more.
            if t.start == i && t.end <= e && ordinary(t) {
                score -= if VERBAL.iter().any(|v| t.tag.starts_with(v)) { 2.5 } else { 1.5 };
            }
            i = t.end.max(i + 1);
        }
        score
    }

    /// Context: what stands before `s` and after `e`.
    fn context(&self, s: usize, e: usize) -> f32 {
        let mut score = 0.0;
        match self.cue_before(s) {
            Some(Cue::Strong) => score += 4.0,
            Some(Cue::Role) => score += 3.0,
            None => {}
        }
        match cues::title_at(self.chars, e) {
            Some(t) if t > 1 || self.title_ends(e + 1) => score += 3.0,
            _ => {}
        }
        if let Some(&c) = self.chars.get(e) {
            if matches!(c, '说' | '称' | '讲' | '告' | '答' | '承' | '表' | '（' | '(' | '、') {
                score += 0.8;
            }
            if matches!(c, '，' | '。' | ',' | ' ' | '：' | ':') {
                score += 0.3;
            }
        }
        if s > 0
            && matches!(self.chars[s - 1], '叫' | '找' | '问' | '跟' | '和' | '与' | '让' | '给' | '被' | '、' | '是')
        {
            score += 0.5;
        }
        score
    }

    /// Surname + one or two given-name characters at `s`.
    fn model(&mut self, s: usize) {
        let sl = surname_len(self.lex, self.chars, s);
        if sl == 0 {
            return;
        }
        let sur = if sl == 2 { 3.0 } else { self.lex.scores(self.chars[s]).surname.min(4.0) };
        let mut best: Option<(f32, usize)> = None;
        for g in 1..=2 {
            let e = s + sl + g;
            if e > self.chars.len() || !(s + sl..e).all(|k| given_char(self.chars[k])) {
                break;
            }
            let title =
                cues::title_at(self.chars, e - g).is_some() || g == 2 && cues::title_at(self.chars, e - 1).is_some();
            if ends_like_a_place(self.chars[e - 1]) || title {
                break;
            }
            let given = self.lex.given_score(&self.chars[s + sl..e]) + if g == 1 { -1.0 } else { 0.0 };
            let score = 0.6 * sur + given + self.segmentation(s, e) + self.context(s, e);

            if best.is_none_or(|b| score > b.0) {
                best = Some((score, e));
            }
        }
        match best {
            Some((score, e)) if score >= THRESHOLD => self.push(score, s, e),
            Some((score, e)) if score >= THRESHOLD - 3.0 => self.near(score, s, e),
            _ => {}
        }
    }

    /// Whether a one-character title (总, 局, 科, 姐) ends a word at `at` (周局。, 蔡总发, not 处理).
    fn title_ends(&self, at: usize) -> bool {
        self.words.starts_word(at) || self.chars.get(at).is_none_or(|&c| !is_han(c) || follower(c))
    }

    /// A surname and a one-character title (许科, 丁总): a common surname, not an ordinary word
    /// together (全局, 大局, 高科), and the title ends a word.
    fn single_title_ok(&self, s: usize, sl: usize) -> bool {
        let pair: String = self.chars[s..s + sl + 1].iter().collect();
        (sl == 2 || cues::common_surname(self.chars[s])) && !self.jieba.has_word(&pair) && self.title_ends(s + sl + 1)
    }

    /// A surname with a title right after (赵经理, 钟女士), and a nickname (小刘, 老李): the span
    /// holds the title, since the surname alone then points at the person.
    fn titled(&mut self, s: usize) {
        let (chars, words) = (self.chars, self.words);
        let sl = surname_len(self.lex, chars, s);
        if sl > 0
            && let Some(t) = cues::title_at(chars, s + sl)
            && (s == 0
                || !is_han(chars[s - 1])
                || is_stop(chars[s - 1])
                || t > 1 && words.starts_word(s)
                || self.cue_before(s).is_some())
            && (t > 1 || self.single_title_ok(s, sl))
        {
            self.push(6.0, s, s + sl + t);
        }
        if matches!(chars[s], '小' | '老')
            && chars.get(s + 1).is_some_and(|&c| cues::common_surname(c))
            && words.starts_word(s)
            && !cues::nickname_is_a_word(chars[s], chars[s + 1])
            && (words.ends_word(s + 2) && words.at(s + 1).is_some_and(|t| t.end == s + 2))
            && !chars
                .get(s + 2)
                .is_some_and(|&c| cues::title_at(chars, s + 2).is_none() && given_char(c) && !words.starts_word(s + 2))
        {
            self.push(5.0, s, s + 2);
        }
    }

    /// After a word that introduces a name: minority names, foreign names, a bare surname after 姓.
    fn after_cue(&mut self, at: usize) {
        let chars = self.chars;
        let Some((cue, end)) = cues::cue_at(chars, at) else { return };
        let mut s = end;
        while matches!(chars.get(s), Some(' ' | ':' | '：' | '是' | '叫' | '为')) {
            s += 1;
        }
        if chars[at] == '姓' && end == at + 1 {
            // 姓 as a word of its own (我姓钟), not inside one (百姓, 贵姓).
            if at > 0 && matches!(chars[at - 1], '百' | '贵' | '同' | '复' | '改' | '单' | '双' | '大') {
                return;
            }
            let sl = surname_len(self.lex, chars, s);
            if sl > 0 && !self.blocked(s, s + sl) {
                self.cands.push((5.0, s, s + sl));
            }
            return;
        }
        let p = self.parts_from(s);
        if p > s + 1 {
            self.push(5.0, s, p);
        }
        let latin = latin_name(chars, s);
        if latin > s + 1 && cue == Cue::Role || latin > s + 2 {
            self.push(4.0, s, latin);
        }
        // A compound surname alone (店长欧阳).
        if surname_len(self.lex, chars, s) == 2 && !chars.get(s + 2).is_some_and(|&c| given_char(c)) {
            self.push(5.0, s, s + 2);
        }
        // Nicknames and pet names: 小美, 阿强, 甜甜, 乐乐 — after a cue, at a word's end.
        if let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1))
            && given_char(b)
            && !chars.get(s + 2).is_some_and(|&c| given_char(c) && !self.words.starts_word(s + 2))
            && (matches!(a, '小' | '阿') || a == b)
            && !self.ordinary_at(s)
            && !cues::nickname_is_a_word(a, b)
        {
            self.push(4.5, s, s + 2);
        }
        // 阿 + a character: a nickname (阿龙, 阿杰).
        if chars[s..].first() == Some(&'阿')
            && chars.get(s + 1).is_some_and(|&c| given_char(c))
            && self.words.at(s).is_some_and(|t| t.start == s && (t.end == s + 2 || t.end == s + 1))
            && !self
                .words
                .at(s)
                .is_some_and(|t| t.end == s + 2 && !t.tag.starts_with("nr") && self.jieba.has_word(t.word))
        {
            self.push(4.0, s, s + 2);
        }
    }

    /// The end of a run of minority-name parts from `s` (two parts, or one part that follows a cue
    /// or precedes a title), or `s`.
    fn parts_from(&self, s: usize) -> usize {
        let mut e = s;
        let mut n = 0;
        while let l @ 1.. = self.lex.part_at(self.chars, e) {
            e += l;
            n += 1;
            if matches!(self.chars.get(e), Some('·' | '•')) {
                e += 1;
            }
        }
        if n >= 1 { e } else { s }
    }

    /// Foreign and minority names written with `·` between their parts.
    fn dotted(&mut self, dot: usize) {
        let chars = self.chars;
        let name_char = |c: char| is_han(c) && !is_stop(c);
        if dot == 0 || !chars.get(dot + 1).is_some_and(|&c| name_char(c)) || !name_char(chars[dot - 1]) {
            return;
        }
        // Leftwards: the words just before the dot that are not ordinary words, four characters at most.
        let mut s = dot;
        while s > 0 && dot - s < 6 && name_char(chars[s - 1]) {
            let t = self.words.at(s - 1);
            let ordinary =
                t.is_some_and(|t| t.end - t.start >= 2 && !t.tag.starts_with("nr") && self.jieba.has_word(t.word));
            if ordinary && dot - s >= 2 || self.cue_before(s).is_some() {
                break;
            }
            s -= 1;
        }
        let mut e = dot + 1;
        while e < chars.len() && e - dot <= 8 && (name_char(chars[e]) || matches!(chars[e], '·' | '•')) {
            if e > dot + 2 && (cues::title_at(chars, e).is_some() || self.words.starts_word(e) && self.ordinary_at(e)) {
                break;
            }
            e += 1;
        }
        if dot - s >= 2 || (dot - s >= 1 && e - dot >= 3) {
            self.push(6.0, s, e);
        }
    }

    /// Whether an ordinary word (not a name) starts at `i` or runs through it.
    fn ordinary_at(&self, i: usize) -> bool {
        self.words.at(i).is_some_and(|t| {
            !t.tag.starts_with("nr")
                && (t.end - t.start >= 2 && self.jieba.has_word(t.word) || t.start == i && is_stop(self.chars[i]))
        })
    }
}

/// The end of a Latin-letter name at `s` (Lisa, Tony, Lily Han), or `s`.
fn latin_name(chars: &[char], s: usize) -> usize {
    if !chars.get(s).is_some_and(char::is_ascii_uppercase) {
        return s;
    }
    let mut e = s + 1;
    while chars.get(e).is_some_and(char::is_ascii_lowercase) {
        e += 1;
    }
    if e - s < 2 {
        return s;
    }
    if chars.get(e) == Some(&' ') && chars.get(e + 1).is_some_and(char::is_ascii_uppercase) {
        let mut f = e + 2;
        while chars.get(f).is_some_and(char::is_ascii_lowercase) {
            f += 1;
        }
        if f > e + 2 {
            e = f;
        }
    }
    e
}

pub(super) fn scan(
    jieba: &jieba_rs::Jieba,
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
) {
    let cue_end = (0..=chars.len()).map(|i| cues::cue_ending_at(chars, i)).collect();
    let mut scan = Scan { chars, words, lex, jieba, protected, cands: Vec::new(), near: Vec::new(), cue_end };
    for i in 0..chars.len() {
        let c = chars[i];
        if !is_han(c) {
            if matches!(c, '·' | '•') {
                scan.dotted(i);
            } else if c.is_ascii_uppercase() && (i == 0 || !chars[i - 1].is_ascii_alphabetic()) {
                let e = latin_name(chars, i);
                if e > i + 1
                    && (cues::title_at(chars, e).is_some()
                        || chars.get(e).is_some_and(|&c| {
                            lex.scores(c).surname > 2.0
                                && surname_len(lex, chars, e) == 1
                                && !chars.get(e + 1).is_some_and(|&n| given_char(n))
                        }))
                {
                    let end = if cues::title_at(chars, e).is_some() { e } else { e + 1 };
                    scan.push(4.0, i, end);
                }
            }
            continue;
        }
        if cues::may_start_cue(c) {
            scan.after_cue(i);
        }
        // Foreign names jieba knows (克林顿, 普里马科夫): three characters or more, no place.
        if let Some(t) = words.at(i).filter(|t| t.start == i && t.tag == "nrt" && t.end - t.start >= 3)
            && lex.place_at(chars, i) == 0
            && !matches!(chars[t.end - 1], '人' | '族' | '语' | '式' | '派')
        {
            scan.push(4.0, i, t.end);
        }
        scan.titled(i);
        if words.starts_word(i) || words.at(i).is_some_and(|t| t.tag.starts_with("nr")) || scan.cue_before(i).is_some()
        {
            scan.model(i);
        }
        if words.starts_word(i) && lex.part_at(chars, i) >= 2 {
            let e = scan.parts_from(i);
            let parts = {
                let mut n = 0;
                let mut k = i;
                while let l @ 1.. = lex.part_at(chars, k) {
                    k += l;
                    n += 1;
                }
                n
            };
            if parts >= 2 || cues::title_at(chars, e).is_some() {
                scan.push(5.0, i, e);
            }
        }
    }
    // Names in a list (赵满仓、李铁锁、王秋菊): a near candidate next to a name by 、 or 和 is one.
    // Repeated, so a list vouches along its length.
    let mut cands = scan.cands;
    let mut near = scan.near;
    let joined = |a: usize, b: usize| b == a + 1 && matches!(chars[a], '、' | '和' | '与' | '及');
    loop {
        let before = near.len();
        near.retain(|&(score, s, e)| {
            let vouched = cands.iter().any(|c| c.0 >= THRESHOLD && (joined(c.2, s) || joined(e, c.1)));
            if vouched {
                cands.push((score + 3.0, s, e));
            }
            !vouched
        });
        if near.len() == before {
            break;
        }
    }
    // The best-scoring candidates that do not overlap.

    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then((b.2 - b.1).cmp(&(a.2 - a.1))));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (_, s, e) in cands {
        if !kept.iter().any(|k| s < k.1 && k.0 < e) {
            kept.push((s, e));
            found.push((PiiKind::Name, s, e));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compound_surnames_are_all_found() {
        let lex = super::Lexicon::new();
        for c in super::COMPOUND_SURNAMES {
            let chars: Vec<char> = format!("{c}明").chars().collect();
            assert_eq!(super::surname_len(&lex, &chars, 0), 2, "{c}");
        }
    }
}
