//! Personal data in Chinese text: detection and masking. Found: mobile numbers (also spaced,
//! dashed, +86, full-width, or read out in Chinese numerals: 一三九，七一零六…, 幺), landlines,
//! 身份证号 and bank cards (by structure: a wrong check digit changes nothing), e-mail, licence
//! plates, QQ/WeChat ids, platform handles and screen names (网名, 昵称, a streamer's name in
//! quotes), detailed addresses (streets, compounds, villages and groups), and personal names (a
//! name model with jieba's segmentation and context — cue words, roles, verbs of speech and
//! action —, titles and nicknames, a bare surname after a role, minority and foreign names).
//! Place names, brands, public bodies, enterprise names, the case's own enterprise,
//! 统一社会信用代码 and enterprises' 400/800 service lines are not personal data and survive.
//! Offsets are in characters.

mod address;
mod address_parts;
mod charset;
mod chat;
mod contact;
mod cues;
mod digits;
pub mod eval;
mod foreign_ids;
mod handles;
mod jielong;
mod landmarks;
mod lexicon;
mod memo;
mod name_bare;
mod name_context;
mod name_english;
mod name_evidence;
mod name_frames;
mod name_latin;
mod name_learned;
mod name_roles;
mod name_rules;
mod name_score;
mod name_surnames;
mod name_titles;
mod name_worknames;
mod names;
mod nicknames;
mod numbers;
mod ocr;
mod products;
mod public;
mod references;
mod review;
mod running_names;
mod senders;
mod streamers;
mod text;
mod threads;
mod trad;
mod words;

pub use name_learned::FEATURES as NAME_FEATURES;
pub use name_learned::{NameScoring, Traced as NameCandidate};
pub use public::drop_masked_fragments;
use review::doubtful_spans;
pub use review::{Doubt, DoubtReason, render_public};

use serde::Serialize;

/// What a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Mobile,
    Landline,
    IdCard,
    BankCard,
    Email,
    Plate,
    ImId,
    Address,
    Name,
}

impl PiiKind {
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Mobile => "手机号",
            PiiKind::Landline => "固定电话",
            PiiKind::IdCard => "身份证号",
            PiiKind::BankCard => "银行卡号",
            PiiKind::Email => "电子邮箱",
            PiiKind::Plate => "车牌号",
            PiiKind::ImId => "QQ/微信号",
            PiiKind::Address => "详细地址",
            PiiKind::Name => "姓名",
        }
    }
}

/// One piece of personal data: `start..end` in characters of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The detector. Building it loads jieba's dictionary (a few hundred milliseconds): build one and
/// share it.
pub struct Detector {
    jieba: &'static jieba_rs::Jieba,
    lexicon: lexicon::Lexicon,
    /// Short texts already read and found clean (see [`memo`]).
    memo: memo::Memo,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Detector")
    }
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

/// Characters normalised one-for-one (full-width ASCII to ASCII, ideographic space to space,
/// traditional characters to simplified ones, look-alike letters in numbers to digits), so
/// offsets in the normalised text are offsets in the input.
pub(crate) fn normalise(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => trad::simplified(c),
        })
        .collect();
    ocr::read_lookalikes(&mut chars);
    chars
}

/// jieba with its built-in dictionary, loaded once for the process (about 37 MB): the detector,
/// the similarity of reports and the search analyzer all cut text with this one instance.
pub fn shared_jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

impl Detector {
    pub fn new() -> Self {
        Self { jieba: shared_jieba(), lexicon: lexicon::Lexicon::new(), memo: memo::Memo::default() }
    }

    /// For measuring: the name model's candidates decided by the hand-set score, the learned one or
    /// either, and the learned threshold (a logit) moved.
    pub fn with_name_scoring(mut self, mode: NameScoring, threshold: Option<f32>) -> Self {
        self.lexicon.scoring.mode = mode;
        self.memo.clear();
        if let Some(t) = threshold {
            self.lexicon.scoring.learned.threshold = t;
        }
        self
    }

    /// Which score decides the name model's candidates.
    pub fn name_scoring(&self) -> NameScoring {
        self.lexicon.scoring.mode
    }

    /// For training the learned name score: every candidate of the name model in `text` (a
    /// surname + one or two characters) with its features (`NAME_FEATURES`).
    pub fn name_candidates(&self, text: &str, enterprises: &[&str]) -> Vec<NameCandidate> {
        let chars = normalise(text);
        let mut protected = text::protected_ranges(&chars);
        protected.extend_from_slice(&occurrences(&chars, enterprises));
        let norm: String = chars.iter().collect();
        let words = names::Words::new(self.jieba, &norm, chars.len());
        let mut trace = Vec::new();
        names::scan(self.jieba, &self.lexicon, &words, &chars, &protected, &mut Vec::new(), Some(&mut trace));
        trace
    }

    /// The loaded segmenter, shared with other text work (similarity of reports) so that the
    /// dictionary is in memory once.
    pub fn jieba(&self) -> &'static jieba_rs::Jieba {
        self.jieba
    }

    /// Every span of personal data in `text`, in order, without overlaps (where two scanners
    /// claim the same characters, the longer span wins).
    pub fn detect(&self, text: &str) -> Vec<Span> {
        self.detect_for(text, &[])
    }

    /// As `detect`, knowing the names of the enterprises the case is about (from the form): they
    /// are never masked, nor cut into names, wherever they appear.
    pub fn detect_for(&self, text: &str, enterprises: &[&str]) -> Vec<Span> {
        let chars = normalise(text);
        let own = occurrences(&chars, enterprises);
        // A short text without the case's own enterprise, found clean when it was last read.
        let short = own.is_empty() && chars.len() <= memo::MAX_CHARS;
        if short && self.memo.is_clean(text) {
            return Vec::new();
        }
        let spans = self.spans_of(text, &chars, &own);
        if short && spans.is_empty() {
            self.memo.put_clean(text);
        }
        spans
    }

    /// The pipeline of [`Detector::detect_for`] on `text`, normalised to `chars`, with the case's
    /// own enterprises found at `own`.
    fn spans_of(&self, text: &str, chars: &[char], own: &[(usize, usize)]) -> Vec<Span> {
        let mut protected = text::protected_ranges(chars);
        protected.extend_from_slice(own);
        let mut found: Vec<(PiiKind, usize, usize)> = Vec::new();
        numbers::scan(chars, &protected, &mut found);
        // Digit runs (also read out and spaced), found once for the two scanners that read them.
        let runs = digits::runs(chars);
        digits::scan(chars, &runs, &protected, &mut found);
        numbers::extensions(chars, &mut found);
        text::scan(chars, &mut found);
        contact::scan(chars, &runs, &protected, &mut found);
        foreign_ids::scan(chars, &protected, &mut found);
        let norm: String = chars.iter().collect();
        let words = names::Words::new(self.jieba, &norm, chars.len());
        address::scan(chars, &words, &mut found);
        names::scan(self.jieba, &self.lexicon, &words, chars, &protected, &mut found, None);
        chat::scan(&self.lexicon, &words, self.jieba, chars, &protected, &mut found);
        // Longest first, then earliest; keep what does not overlap a kept span nor the case's
        // own enterprise.
        found.sort_by(|a, b| (b.2 - b.1).cmp(&(a.2 - a.1)).then(a.1.cmp(&b.1)));
        let mut kept: Vec<(PiiKind, usize, usize)> = Vec::new();
        for mut f in found {
            // An address that runs into the case's own enterprise (…芙蓉南路二段128号维多利亚医疗
            // 美容医院三楼) keeps its part before the name: the enterprise survives, the address
            // is still masked.
            if f.0 == PiiKind::Address
                && let Some(o) = own.iter().filter(|o| f.1 < o.1 && o.0 < f.2).map(|o| o.0).min()
                && o >= f.1 + 4
            {
                f.2 = o;
            }
            if !kept.iter().any(|k| f.1 < k.2 && k.1 < f.2) && !own.iter().any(|o| f.1 < o.1 && o.0 < f.2) {
                kept.push(f);
            }
        }
        kept.sort_by_key(|k| k.1);
        // Each span's text sliced from the input: the spans are in order and apart, so their
        // offsets (characters) are read as bytes in one walk over the text.
        let mut walk = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).enumerate();
        let mut last = (usize::MAX, 0);
        let mut byte_at = |c: usize| {
            if last.0 != c {
                last = walk.find(|&(k, _)| k == c).unwrap_or((c, text.len()));
            }
            last.1
        };
        kept.into_iter()
            .map(|(kind, start, end)| {
                let (s, e) = (byte_at(start), byte_at(end));
                Span { kind, start, end, text: text[s..e].to_owned() }
            })
            .collect()
    }

    /// Ranges that a later reviewer should look at: see `review::doubtful_spans`.
    pub fn doubtful(&self, text: &str, masked: &[Span]) -> Vec<Doubt> {
        doubtful_spans(&self.lexicon, self.jieba, text, masked)
    }

    /// `text` with every span masked, readable: 138****5678, 张**, 某经理, [地址].
    pub fn mask(&self, text: &str) -> String {
        mask_spans(text, &self.detect(text))
    }

    /// As `mask`, keeping the named enterprises whole (see `detect_for`).
    pub fn mask_for(&self, text: &str, enterprises: &[&str]) -> String {
        mask_spans(text, &self.detect_for(text, enterprises))
    }
}

/// Where each of `names` (normalised like the text, two characters or more) occurs in `chars`.
fn occurrences(chars: &[char], names: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for name in names {
        let n: Vec<char> = normalise(name.trim());
        if n.len() < 2 {
            continue;
        }
        let mut i = 0;
        while i + n.len() <= chars.len() {
            if chars[i..i + n.len()] == n[..] {
                out.push((i, i + n.len()));
                i += n.len();
            } else {
                i += 1;
            }
        }
    }
    out
}

/// Replaces each span (from `detect` on the same text) with its masked form.
pub fn mask_spans(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.extend(&chars[at..s.start]);
        out.push_str(&masked(s.kind, &normalise(&s.text)));
        at = s.end;
    }
    out.extend(&chars[at..]);
    out
}

fn masked(kind: PiiKind, chars: &[char]) -> String {
    // Numbers read out (一三九…) are masked by their digits like written ones.
    let digits: String =
        chars
            .iter()
            .filter_map(|&c| {
                if c.is_ascii_alphanumeric() { Some(c) } else { digits::digit_of(c).map(|d| char::from(b'0' + d)) }
            })
            .collect();
    let keep = |head: usize, tail: usize, s: &str| -> String {
        let n = s.chars().count();
        if n <= head + tail {
            return "*".repeat(n);
        }
        let head_part: String = s.chars().take(head).collect();
        let tail_part: String = s.chars().skip(n - tail).collect();
        format!("{head_part}{}{tail_part}", "*".repeat(n - head - tail))
    };
    match kind {
        PiiKind::Mobile => {
            let core = &digits[digits.len().saturating_sub(11)..];
            keep(3, 4, core)
        }
        PiiKind::Landline => keep(3, 4, &digits),
        PiiKind::IdCard => keep(3, 2, &digits),
        PiiKind::BankCard => keep(0, 4, &digits),
        PiiKind::Email => {
            let s: String = chars.iter().collect();
            match s.split_once('@') {
                Some((local, domain)) => {
                    format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
                }
                None => "[电子邮箱]".into(),
            }
        }
        PiiKind::Plate => {
            let s: String = chars.iter().filter(|c| !matches!(c, '·' | '•' | ' ' | '-')).collect();
            keep(2, 0, &s)
        }
        PiiKind::ImId => "[QQ/微信号]".into(),
        PiiKind::Address => "[地址]".into(),
        PiiKind::Name => {
            // A surname with a title or a nickname shows the title only (某经理, 小某): the
            // surname is all there is to hide.
            let s: String = chars.iter().collect();
            if let Some(t) = (1..chars.len()).find(|&k| cues::title_at(chars, k) == Some(chars.len() - k)) {
                format!("某{}", chars[t..].iter().collect::<String>())
            } else if chars.len() == 3 && chars[0] == '老' && chars[2] == '头' {
                "老某头".into()
            } else if chars.len() == 2 && matches!(chars[0], '小' | '老') {
                format!("{}某", chars[0])
            } else if chars.len() == 1 {
                "某".into()
            } else if lexicon::known_surname(chars[0]) {
                let first: String = s.chars().take(1).collect();
                format!("{first}{}", "*".repeat(chars.len().saturating_sub(1)))
            } else {
                // Not a surname first (a given name alone, a name in Latin letters): nothing of it.
                "*".repeat(chars.len().max(2))
            }
        }
    }
}

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ids;
#[cfg(test)]
mod tests_ids2;
#[cfg(test)]
mod tests_ids3;
#[cfg(test)]
mod tests_ids4;
#[cfg(test)]
mod tests_ids5;
#[cfg(test)]
mod tests_ids6;
#[cfg(test)]
mod tests_ids7;
#[cfg(test)]
mod tests_ids8;
#[cfg(test)]
mod tests_latin;
#[cfg(test)]
mod tests_odd;
#[cfg(test)]
mod tests_trad;
#[cfg(test)]
mod tests_v10;
#[cfg(test)]
mod tests_v11;
#[cfg(test)]
mod tests_v12;
#[cfg(test)]
mod tests_v13;
#[cfg(test)]
mod tests_v14;
#[cfg(test)]
mod tests_v15;
#[cfg(test)]
mod tests_v2;
#[cfg(test)]
mod tests_v3;
#[cfg(test)]
mod tests_v4;
#[cfg(test)]
mod tests_v5;
#[cfg(test)]
mod tests_v6;
#[cfg(test)]
mod tests_v7;
#[cfg(test)]
mod tests_v8;
#[cfg(test)]
mod tests_v9;
