//! The second line of defence, owned by a person: what the detector left that may still be
//! personal data (for the officer to mask or leave with one click), and text for public output,
//! where a masked span is dropped whole ([已隐去]), never shown in part (欧***, 139****5678).

use super::lexicon::Lexicon;
use super::names::{Words, surname_len};
use super::text::{is_han, is_stop};
use super::{Span, digits, normalise};
use serde::Serialize;

/// Why a span is doubtful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DoubtReason {
    /// Two to four Han characters starting with a surname that jieba does not know as a word.
    PossibleName,
    /// Seven or more digits (written or read out) that no rule took.
    LongNumber,
    /// Looks like part of an address (a road, a compound, a village with a number).
    PossibleAddress,
}

impl DoubtReason {
    pub fn label(self) -> &'static str {
        match self {
            DoubtReason::PossibleName => "可能是姓名",
            DoubtReason::LongNumber => "较长的数字，可能是号码",
            DoubtReason::PossibleAddress => "可能是详细地址",
        }
    }
}

/// A range of the text (characters) that a person should look at before it leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Doubt {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub reason: DoubtReason,
}

/// Places in `text` that may be personal data the detector did not mask (`masked` is what it
/// found, e.g. `Detector::detect_for`): unknown 2–4 character Han runs starting with a surname,
/// digit runs of 7 or more, address-like runs. None overlaps a masked span.
pub(super) fn doubtful_spans(lex: &Lexicon, jieba: &jieba_rs::Jieba, text: &str, masked: &[Span]) -> Vec<Doubt> {
    let chars = normalise(text);
    let free = |s: usize, e: usize| !masked.iter().any(|m| s < m.end && m.start < e);
    let mut out: Vec<(usize, usize, DoubtReason)> = Vec::new();
    for run in digits::runs(&chars) {
        let (s, e) = (run.at[0], run.at[run.at.len() - 1] + 1);
        let glued = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_alphabetic());
        if run.digits.len() >= 7 && free(s, e) && !glued(s.checked_sub(1).and_then(|p| chars.get(p))) {
            out.push((s, e, DoubtReason::LongNumber));
        }
    }
    let words = Words::new(jieba, text, chars.len());
    let mut i = 0;
    while i < chars.len() {
        let sl = surname_len(lex, &chars, i);
        let t = words.at(i);
        let starts = t.is_some_and(|t| t.start == i);
        if sl == 0 || !starts || !free(i, i + 1) || lex.place_at(&chars, i) > 0 || lex.brand_at(&chars, i) > 0 {
            i += 1;
            continue;
        }
        // The run ends at a stop character or where an ordinary word of its own begins.
        let ordinary_from = |k: usize| {
            words.at(k).is_some_and(|t| {
                t.start == k && t.end - t.start >= 2 && !t.tag.starts_with("nr") && jieba.has_word(t.word)
            })
        };
        let mut e = i + sl;
        while e < chars.len() && e < i + 4 && is_han(chars[e]) && !is_stop(chars[e]) && !ordinary_from(e) {
            e += 1;
        }
        let word = t.map(|t| t.word).unwrap_or_default();
        let known = t.is_some_and(|t| t.end - t.start >= 2 && !t.tag.starts_with("nr")) && jieba.has_word(word);
        if e >= i + 2 && !known && free(i, e) {
            out.push((i, e, DoubtReason::PossibleName));
            i = e;
        } else {
            i += 1;
        }
    }
    for (k, &c) in chars.iter().enumerate() {
        let marker = matches!(c, '路' | '街' | '巷' | '弄' | '村' | '组' | '栋' | '幢' | '室' | '苑' | '屯');
        let numbered = chars.get(k + 1).is_some_and(|n| n.is_ascii_digit() || digits::digit_of(*n).is_some())
            || k > 0 && (chars[k - 1].is_ascii_digit() || matches!(chars[k - 1], '一'..='九' | '十'));
        if marker && numbered {
            let mut s = k;
            while s > 0 && k - s < 8 && !is_stop(chars[s - 1]) {
                s -= 1;
            }
            let mut e = k + 1;
            while e < chars.len() && e - k < 10 && !is_stop(chars[e]) {
                e += 1;
            }
            if free(s, e) && !out.iter().any(|o| s < o.1 && o.0 < e) {
                out.push((s, e, DoubtReason::PossibleAddress));
            }
        }
    }
    out.sort_by_key(|o| o.0);
    let original: Vec<char> = text.chars().collect();
    out.into_iter()
        .map(|(start, end, reason)| Doubt { start, end, text: original[start..end].iter().collect(), reason })
        .collect()
}

/// `text` for public output (statistics, open data, a Q&A draft): every span is replaced whole
/// by [已隐去], so no fragment of it (a surname, the first digits of a number) is shown.
pub fn render_public(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in sorted {
        if s.start < at || s.end > chars.len() {
            continue;
        }
        out.extend(&chars[at..s.start]);
        out.push_str("[已隐去]");
        at = s.end;
    }
    out.extend(&chars[at..]);
    out
}
