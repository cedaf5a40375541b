//! Personal names. Candidates start with a surname (single or compound) and are scored: the name
//! model (`lexicon`: how much the surname and the given-name characters look like a name rather
//! than ordinary words, trained on jieba's dictionary), how jieba segments the text (a common
//! word is no name; a name starts and ends words), and the context (a word that introduces a
//! person before — 我叫, 校长, 户名, 舅舅 —, a title after — 先生, 经理, 师傅); a learned score over
//! the same evidence (`name_learned`) may add a candidate the hand-set sum leaves out. A surname with a
//! title or a nickname (赵经理, 钟女士, 小刘, 老李) is a name too: it points at one person. Names of
//! minority peoples are read from their parts (扎西顿珠), foreign names by their `·`. Place names,
//! brands, shops and the case's own enterprise are never cut into names.

use super::PiiKind;
use super::cues::{self, Cue};
use super::lexicon::Lexicon;
use super::name_rules::latin_name;
pub(super) use super::name_surnames::surname_len;
use super::text::{is_han, is_stop};

type Found = Vec<(PiiKind, usize, usize)>;

/// Words jieba tags `nr` that are not names.
pub(super) const COMMON_NOT_NAMES: [&str; 12] =
    ["谢谢", "申请人", "师傅", "老板", "周末", "金额", "高速", "方便", "白天", "常常", "宁可", "章程"];
/// jieba tags of function words: a surname-like character with one of these is no surname.
const FUNCTION_TAGS: [&str; 6] = ["c", "p", "y", "e", "o", "u"];

/// jieba tags of verbs, adjectives and adverbs.
const VERBAL: [&str; 4] = ["v", "a", "d", "ad"];

/// Scores at or above this make a name.
pub(super) const THRESHOLD: f32 = 3.0;

pub(super) use super::words::Words;

pub(super) struct Scan<'a, 'w> {
    pub(super) chars: &'a [char],
    pub(super) words: &'a Words<'w>,
    pub(super) lex: &'a Lexicon,
    pub(super) jieba: &'a jieba_rs::Jieba,
    pub(super) protected: &'a [(usize, usize)],
    /// (score, start, end)
    pub(super) cands: Vec<(f32, usize, usize)>,
    /// Candidates a little below the threshold.
    pub(super) near: Vec<(f32, usize, usize)>,
    /// For each position, the cue that ends right before it (computed once: asked often).
    pub(super) cue_end: Vec<Option<Cue>>,
    /// The name model's candidates with their features, when asked for (training).
    pub(super) trace: Option<Vec<super::name_learned::Traced>>,
}

pub(super) fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Characters a given name may hold.
pub(super) fn given_char(c: char) -> bool {
    is_han(c) && !is_stop(c) && !matches!(c, '某' | '氏')
}

/// Characters that follow a name or a title as a new word (说, 发, 让 …): function words and
/// common verbs.
pub(super) fn follower(c: char) -> bool {
    is_stop(c)
        || "说讲称发转让给在是也都就还答承表告打来去把被对跟已不没又再才会要叫问带收拿家多很先后今昨明一帮替向这那真太最刚正只从"
            .contains(c)
}

/// Last characters of place, document, organisation and shop names (王庄村, 安全法, 李记).
pub(super) fn ends_like_a_place(c: char) -> bool {
    "村镇乡县区市省路街巷法证店厂局站部司处室楼组屯寨记院园馆城".contains(c)
}

impl Scan<'_, '_> {
    /// A surname that nicknames and familiar titles are built on (小刘, 柳姐, 老霍): one of the
    /// hundred commonest, or one the name model rates a likely surname (prior ≥ 2: 柳, 霍, 柯,
    /// 庞) where jieba reads no ordinary word over `s..e` (小苗 the seedling, 老乔 is fine).
    pub(super) fn nickname_surname(&self, at: usize, s: usize, e: usize) -> bool {
        let c = self.chars[at];
        cues::common_surname(c)
            || self.lex.scores(c).surname >= 2.0
                && !self.words.at(s).is_some_and(|t| {
                    t.start == s && t.end == e && !t.tag.starts_with("nr") && self.jieba.has_word(t.word)
                })
    }

    /// A surname that is also the start of common words (皮, 母, 杭: `surnames-cued.txt`), right
    /// after a word that introduces a person (申请人杭建国, 校长母丽) and rated no likely surname by
    /// the model: a surname here.
    pub(super) fn cued_surname_at(&self, s: usize) -> bool {
        matches!(self.cue_before(s), Some(Cue::Strong | Cue::Role))
            && self.lex.cued_surname(self.chars[s])
            && self.lex.scores(self.chars[s]).surname < super::lexicon::SURNAME_FLOOR
    }

    pub(super) fn cue_before(&self, s: usize) -> Option<Cue> {
        self.cue_end.get(s).copied().flatten()
    }

    /// A candidate that overlaps a protected range (enterprise, public body, the case's own
    /// enterprise), or begins a brand or a place name (a place only where no cue says person:
    /// 负责人乌兰 is a person, 去乌兰 a county).
    pub(super) fn blocked(&self, s: usize, e: usize) -> bool {
        // Inside a place or brand that began earlier (吴中区|盛宇 → 区 is 吴中区's).
        let inside = (1..=6.min(s)).any(|k| {
            let (p, b) = (self.lex.place_at(self.chars, s - k), self.lex.brand_at(self.chars, s - k));
            p > k || b > k
        });
        if inside || super::products::not_a_person(self, s, e) || super::name_bare::no_person(self.chars, s, e) {
            return true;
        }
        if self.spokesperson(s, e) {
            return true;
        }
        // (A place followed by 的 or 人 is where someone is from, cue or not: 我是张家口的, 我是石家庄人.)
        let place_len = self.lex.place_at(self.chars, s);
        let origin = self.chars.get(s + place_len).is_some_and(|c| matches!(c, '的' | '人'));
        // (…and a place with 人 is one too, whatever reads it as a name: 老板是吴江人 is no 吴江人.)
        let place = place_len >= (e - s).min(3) && (self.cue_before(s).is_none() || origin)
            || place_len >= 2 && origin && self.chars[s + place_len] == '人' && e == s + place_len + 1;
        self.protected.iter().any(|p| s < p.1 && p.0 < e) || place || self.lex.brand_at(self.chars, s) >= (e - s).min(3)
    }

    pub(super) fn push(&mut self, score: f32, s: usize, e: usize) {
        if e > s + 1 && !self.blocked(s, e) {
            self.cands.push((score, s, e));
        }
    }

    /// A candidate below the threshold, kept in case a list of names vouches for it.
    pub(super) fn near(&mut self, score: f32, s: usize, e: usize) {
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
        // Three-character words tagged `nr` that are built on an ordinary word (黄金周, 银行卡)
        // are ordinary too.
        let ordinary = |t: &jieba_rs::Tag<'_>| {
            t.end - t.start >= 2
                && self.jieba.has_word(t.word)
                && (!nr(t)
                    || t.end - t.start == 2
                    || COMMON_NOT_NAMES.contains(&t.word)
                    || self.lex.common_nr3_word(&self.chars[t.start..t.end]))
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
            } else if e - s == 3 && self.lex.common_nr3_word(&self.chars[s..e]) {
                // A word built on an ordinary word (黄金周 on 黄金): no 是 or verb around makes it
                // a name.
                score -= 6.0;
            } else if ordinary(first) {
                // Two-character dictionary words tagged `nr` are often real names (李娜) too.
                score -=
                    if nr(first) && !COMMON_NOT_NAMES.contains(&first.word) && !common_nr(first) { 2.0 } else { 3.5 };
            } else if nr(first) {
                // A name jieba's model found counts more than one its dictionary lists (the
                // dictionary also tags words such as 连衣裙 `nr`).
                score += if self.jieba.has_word(first.word) { 0.5 } else { 1.5 };
            }
        } else if first.start == s && ordinary(first) {
            // The name would begin with an ordinary word (郑重|承诺, 阳光|小区).
            score -= 4.0;
        } else if first.start == s && len == 1 && FUNCTION_TAGS.iter().any(|f| first.tag.starts_with(f)) {
            // A surname-like character standing as a function word (和/c, 于/p, 向/p).
            score -= 3.0;
        }
        // jieba may glue a cue to the surname (我妈林|爱华, 叫何|一凡), or its model the end of
        // the word before where no dictionary word covers both and it reads what follows as a
        // given name (群里易|红霞/nr, not 茶膏贺|新春/t): no evidence either way.
        let glued_to_cue =
            first.start < s && (self.cue_before(s).is_some() || self.glued_before_a_name(s) || self.glued_start(s));
        if first.start != s && !glued_to_cue {
            // The name would start inside another word (奥林|巴斯 in 奥林巴斯, 吴中区|盛宇).
            score -= if ordinary(first) || nr(first) { 4.5 } else { 3.0 };
        }
        // A family name before a place word is a place (刘家村, 王庄镇).
        if self.chars.get(e).is_some_and(|c| "村镇乡庄屯寨湾营坡沟堡".contains(*c)) {
            score -= 3.0;
        }
        // (A word jieba's model glued on, 平说 in 许国|平说, is no evidence.)
        if !self.words.ends_word(e)
            && self.words.at(e - 1).is_some_and(|t| t.end - t.start >= 2 && !nr(t) && self.jieba.has_word(t.word))
        {
            score -= 2.5;
        }
        // An ordinary word of two or more characters inside the given name (王先生, 李经理).
        let mut i = s + 1;
        while i < e {
            let Some(t) = self.words.at(i) else { break };
            // Given names are often words (建国, 海洋): a verb or an adverb counts more. A word
            // the dictionary has seen rarely (立新 51 times in 潘|立新) is a weak reading of its
            // own, so the name reading is let stand where jieba glued the surname to the word
            // before by its model's guess (这件事潘立新最清楚 → 事潘/立新).
            if t.start == i && t.end <= e && ordinary(t) && !(self.glued_start(s) && self.rare_word(t.word)) {
                score -= if VERBAL.iter().any(|v| t.tag.starts_with(v)) { 2.5 } else { 1.5 };
            }
            i = t.end.max(i + 1);
        }
        score
    }

    /// Context: what stands before `s` and after `e`.
    pub(super) fn context(&self, s: usize, e: usize) -> f32 {
        let mut score = 0.0;
        match self.cue_before(s) {
            Some(Cue::Strong) => score += 4.0,
            Some(Cue::Role) => score += 3.0,
            Some(Cue::Copula) => score += 1.5,
            None => {}
        }
        score += self.person_verbs(s, e);
        score += self.subject_of_a_role(s, e);
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
        // After a numeral and a classifier (一件, 两瓶) comes a thing, not a person.
        if s > 0
            && self.words.at(s - 1).is_some_and(|t| t.end == s && (t.tag.starts_with('m') || t.tag.starts_with('q')))
        {
            score -= 3.0;
        }
        score
    }

    /// A clause that says what the candidate is, a person's role (高飞是极兔速递网点的负责人，
    /// 温建新是楼长。, 黎明（不是那个明星）是我们这片的快递员): at the clause's start, followed by 是
    /// (a remark in brackets between), the clause ending with a role word.
    pub(super) fn subject_of_a_role(&self, s: usize, e: usize) -> f32 {
        let clause_start = s == 0 || self.chars.get(s - 1).is_some_and(|&c| !is_han(c) && !c.is_ascii_alphanumeric());
        let mut e = e;
        if matches!(self.chars.get(e), Some('（' | '(')) {
            match (e + 1..self.chars.len().min(e + 16)).find(|&k| matches!(self.chars[k], '）' | ')')) {
                Some(close) => e = close + 1,
                None => return 0.0,
            }
        }
        if !clause_start || self.chars.get(e) != Some(&'是') || !self.chars.get(e + 1).is_some_and(|&c| is_han(c)) {
            return 0.0;
        }
        let Some(k) = (e + 2..self.chars.len().min(e + 24)).find(|&k| !is_han(self.chars[k])) else {
            return 0.0;
        };
        let role = cues::role_word_before(self.chars, k) || matches!(self.chars[k - 1], '长' | '员' | '师');
        if role { 2.5 } else { 0.0 }
    }

    /// Surname + one or two given-name characters at `s`.
    fn model(&mut self, s: usize) {
        let cued = self.cued_surname_at(s);
        let sl = if cued { 1 } else { surname_len(self.lex, self.chars, s) };
        if sl == 0 || super::name_evidence::classifier_after_a_determiner(self.chars, s) {
            return;
        }
        let sur = if sl == 2 {
            3.0
        } else if cued {
            super::lexicon::SURNAME_FLOOR
        } else {
            self.lex.scores(self.chars[s]).surname.min(4.0)
        };
        let mut best: Option<(f32, usize)> = None;
        let mut best_learned: Option<(f32, usize)> = None;
        // Each length's own decided score (one or two given-name characters).
        let mut lengths: [Option<(f32, usize)>; 2] = [None, None];
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
            // A numeral before 人, 位, 名 counts people (端木蓉三人): no given name's character.
            if g == 2
                && "一二两三四五六七八九几".contains(self.chars[e - 1])
                && self.chars.get(e).is_some_and(|c| "人位名个户家".contains(*c))
            {
                break;
            }
            let given = self.lex.given_score(&self.chars[s + sl..e]);
            let context = self.context(s, e);
            // Two characters and nothing around them that says person: a name only on strong evidence.
            let short = if g == 1 && sl == 1 { if context < 1.0 { -1.5 } else { -1.0 } } else { 0.0 };
            let segmentation = self.segmentation(s, e);
            let score = 0.6 * sur + given + short + segmentation + context;
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, e));
            }
            let learned = self.learned(s, e, sl, [sur, given, segmentation, context]);
            if let Some(learned) = learned
                && best_learned.is_none_or(|b| learned > b.0)
            {
                best_learned = Some((learned, e));
            }
            lengths[g - 1] = self.lex.scoring.decide(Some((score, e)), learned.map(|l| (l, e)));
        }
        let best = self.lex.scoring.decide(best, best_learned);
        match best {
            Some((score, e)) if score >= THRESHOLD => {
                let before = self.cands.len();
                self.push(score, s, e);
                // The shorter reading, where it passes too and the best one was not blocked (a
                // brand, a place, a spokesperson): if a better name next to it takes the best
                // reading's last character (吕正操汪锋郑天翔: 汪锋郑 loses to 郑天翔), it still stands.
                if self.cands.len() > before
                    && let Some((other, end)) = lengths[0]
                    && end < e
                    && other >= THRESHOLD
                {
                    self.push(other.min(score - 0.01), s, end);
                }
            }
            Some((score, e)) if score >= THRESHOLD - 3.0 => self.near(score, s, e),
            _ => {}
        }
    }
}

pub(super) fn scan(
    jieba: &jieba_rs::Jieba,
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
    trace: Option<&mut Vec<super::name_learned::Traced>>,
) {
    let cue_end = (0..=chars.len())
        .map(|i| {
            cues::cue_ending_at(chars, i)
                .or_else(|| super::name_context::agent_noun_before(words, chars, i))
                .or_else(|| super::name_bare::person_noun_before(words, chars, i))
        })
        .collect();
    let mut scan = Scan {
        chars,
        words,
        lex,
        jieba,
        protected,
        cands: Vec::new(),
        near: Vec::new(),
        cue_end,
        trace: trace.is_some().then(Vec::new),
    };
    for i in 0..chars.len() {
        let c = chars[i];
        super::name_latin::at(&mut scan, i);
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
                // 阿 + a Latin name (阿May, 阿Ken): a nickname.
                if e > i + 1 && i > 0 && chars[i - 1] == '阿' && !chars.get(e).is_some_and(char::is_ascii_alphanumeric)
                {
                    scan.push(4.5, i - 1, e);
                }
            }
            continue;
        }
        if cues::may_start_cue(c) {
            scan.after_cue(i);
        }
        // Foreign names jieba knows (克林顿, 普里马科夫): three characters or more, no place, and
        // something around that says person (jieba tags foreign places and phrases nrt too).
        if let Some(t) = words.at(i).filter(|t| t.start == i && t.tag == "nrt" && t.end - t.start >= 3)
            && lex.place_at(chars, i) == 0
            && !matches!(chars[t.end - 1], '人' | '族' | '语' | '式' | '派')
            // (jieba's model may glue a verb of speech onto a brand: 老板|说巴奴/nrt|不给退.)
            && !matches!(chars[i], '说' | '讲' | '让' | '给' | '叫' | '跟' | '被' | '把' | '找' | '问')
            && scan.context(i, t.end) >= 0.8
        {
            scan.push(4.0, i, t.end);
        }
        scan.titled(i);
        scan.decided_by_context(i);
        scan.given_name_kin(i);
        scan.role_surname(i);
        scan.role_name_word(i);
        scan.verb_framed(i);
        scan.form_value(i);
        scan.nickname_framed(i);
        scan.given_alone(i);
        scan.rank_nickname(i);
        scan.withheld_given_name(i);
        scan.bare_surname(i);
        scan.rare_surname_after_cue(i);
        scan.verb_read_after_role(i);
        if words.starts_word(i) || scan.cue_before(i).is_some() {
            scan.transliterated(i);
        }
        if words.starts_word(i)
            || words.at(i).is_some_and(|t| t.tag.starts_with("nr"))
            || scan.cue_before(i).is_some()
            || scan.glued_before_a_name(i)
            || surname_len(lex, chars, i) > 0 && scan.glued_start(i)
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
    if let (Some(out), Some(traced)) = (trace, scan.trace.take()) {
        out.extend(traced);
    }
    // Names in a list (赵满仓、李铁锁、王秋菊): a near candidate next to a name by 、 or 和 is one.
    // Repeated, so a list vouches along its length.
    let items = scan.list_items();
    let mut cands = scan.cands;
    cands.extend(items);
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
    let from = found.len();
    for (_, s, e) in cands {
        if !kept.iter().any(|k| s < k.1 && k.0 < e) {
            kept.push((s, e));
            found.push((PiiKind::Name, s, e));
        }
    }
    super::name_evidence::second_mentions(jieba, chars, words, protected, found, from);
    super::name_evidence::keep_located_places(lex, chars, found, from);
}
