//! The name model's score of a candidate: surname prior × given-name likelihood (`lexicon`),
//! how jieba segments the text around it, and the context (cues before, titles after); `model`
//! turns them into candidates of one or two given-name characters at a surname.

use super::cues::{self, Cue};
use super::names::{COMMON_NOT_NAMES, Scan, THRESHOLD, ends_like_a_place, given_char, surname_len};
use super::text::is_han;

/// jieba tags of function words: a surname-like character with one of these is no surname.
const FUNCTION_TAGS: [&str; 6] = ["c", "p", "y", "e", "o", "u"];

/// jieba tags of verbs, adjectives and adverbs.
const VERBAL: [&str; 4] = ["v", "a", "d", "ad"];

impl Scan<'_, '_> {
    /// The jieba evidence about a name at `s..e`: positive when jieba reads a name there,
    /// negative when the span is or cuts an ordinary word.
    pub(super) fn segmentation(&self, s: usize, e: usize) -> f32 {
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
    pub(super) fn model(&mut self, s: usize) {
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
