//! Category suggestion from a (masked) narrative: keyword rules from the taxonomy, and a multinomial
//! naive Bayes model trained on cases whose category a person confirmed or corrected.
//!
//! A suggestion only pre-fills the form; a person decides. Until the model has seen
//! [`MIN_MODEL_EXAMPLES`] confirmed cases, suggestions come from keywords alone; after that the
//! model's posterior is blended with the keyword evidence ([`MODEL_WEIGHT`]), so corrections made
//! by staff move future suggestions.

use super::taxonomy::{Axis, Taxonomy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Confirmed examples a model needs before its opinion is used.
pub const MIN_MODEL_EXAMPLES: usize = 30;
/// Weight of the model's posterior against the keyword shares once the model is used.
pub const MODEL_WEIGHT: f64 = 0.7;
/// Keyword characters at which keyword strength reaches one half (see [`keyword_scores`]).
const KEYWORD_HALF_STRENGTH: f64 = 2.0;

/// Multi-character tokens that carry no content of their own.
const STOP_WORDS: &[&str] = &[
    "我们", "你们", "他们", "她们", "它们", "自己", "本人", "这个", "那个", "这些", "那些", "这样", "那样", "这里",
    "那里", "一个", "一下", "一些", "什么", "怎么", "因为", "所以", "但是", "而且", "并且", "然后", "如果", "或者",
    "还是", "已经", "就是", "可是", "以及", "非常", "现在", "当时", "您好", "你好", "谢谢", "请问",
];
/// Single-character function words; other single characters (店, 卡, 退, 没) are kept.
const STOP_CHARS: &str = "的地得了着过吗呢吧啊呀哦嘛啦么是在我你您他她它这那就也都和与及并很还又被把给对说从向往到让将而但或等个之其于以为则该此即里";

fn fold(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_mask_neighbour(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-')
}

/// Full-width folded to ASCII and lower-cased, with masking placeholders (【手机号】, [地址]) and
/// masked values (138****5678, 张**, z***@qq.com) replaced by a space.
pub fn clean(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(fold).flat_map(char::to_lowercase).collect();
    let mut keep = vec![true; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        let close = match chars[i] {
            '[' => Some(']'),
            '【' => Some('】'),
            _ => None,
        };
        if let Some(close) = close {
            let end = chars[i + 1..].iter().take(12).position(|&c| c == close);
            if let Some(off) = end {
                keep[i..=i + 1 + off].fill(false);
                i += off + 2;
                continue;
            }
        } else if chars[i] == '*' {
            let mut end = i;
            while end < chars.len() && (chars[end] == '*' || is_mask_neighbour(chars[end])) {
                end += 1;
            }
            let mut start = i;
            while start > 0 && keep[start - 1] && is_mask_neighbour(chars[start - 1]) {
                start -= 1;
            }
            // A masked name keeps its surname: 张** loses the 张 too.
            if start == i && start > 0 && keep[start - 1] && !chars[start - 1].is_ascii() {
                start -= 1;
            }
            keep[start..end].fill(false);
            i = end;
            continue;
        }
        i += 1;
    }
    chars.iter().zip(keep).map(|(&c, k)| if k { c } else { ' ' }).collect()
}

fn is_stop_word(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_ascii() || STOP_CHARS.contains(c),
        _ => STOP_WORDS.contains(&word),
    }
}

/// Words of a narrative for the model: [`clean`]ed, cut by jieba (no HMM, so the result depends
/// only on the text and jieba's dictionary), without punctuation, whitespace, numbers, stop words
/// and single ASCII characters.
pub fn tokens(jieba: &jieba_rs::Jieba, text: &str) -> Vec<String> {
    let cleaned = clean(text);
    jieba
        .cut(&cleaned, false)
        .into_iter()
        .map(|t| t.word.trim())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .filter(|w| !w.chars().all(|c| c.is_numeric() || c == '.' || c == ','))
        .filter(|w| !is_stop_word(w))
        .map(str::to_owned)
        .collect()
}

/// Keyword evidence for one category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeywordScore {
    pub code: String,
    /// Characters of the matched keywords, counting a keyword inside another matched one once.
    pub score: f64,
    /// Matched keywords, in taxonomy order.
    pub matched: Vec<String>,
}

/// Every category of `axis` with at least one keyword in `text`, best first (ties by code).
pub fn keyword_scores(taxonomy: &Taxonomy, axis: Axis, text: &str) -> Vec<KeywordScore> {
    let cleaned = clean(text);
    let mut out: Vec<KeywordScore> = taxonomy
        .entries(axis)
        .iter()
        .filter_map(|e| {
            let hits: Vec<&String> =
                e.keywords.iter().filter(|k| cleaned.contains(k.trim().to_lowercase().as_str())).collect();
            let matched: Vec<String> = hits
                .iter()
                .filter(|k| !hits.iter().any(|o| o.len() > k.len() && o.contains(k.as_str())))
                .map(|k| (*k).clone())
                .collect();
            let score = matched.iter().map(|k| k.chars().count() as f64).sum::<f64>();
            (score > 0.0).then(|| KeywordScore { code: e.code.clone(), score, matched })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.code.cmp(&b.code)));
    out
}

/// Per-class counts of the naive Bayes model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ClassStats {
    examples: u64,
    tokens: u64,
    counts: BTreeMap<String, u64>,
}

/// Multinomial naive Bayes with Laplace (add-one) smoothing, computed in log space. Serialisable,
/// with sorted maps, so a stored model is byte-stable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayes {
    examples: u64,
    classes: BTreeMap<String, ClassStats>,
    vocabulary: BTreeSet<String>,
}

impl NaiveBayes {
    pub fn new() -> Self {
        Self::default()
    }

    /// A model trained on `(tokens, label)` examples.
    pub fn train(examples: impl IntoIterator<Item = (Vec<String>, String)>) -> Self {
        let mut model = Self::new();
        for (tokens, label) in examples {
            model.add(&tokens, &label);
        }
        model
    }

    /// Learns one more example.
    pub fn add(&mut self, tokens: &[String], label: &str) {
        self.examples += 1;
        let class = self.classes.entry(label.to_owned()).or_default();
        class.examples += 1;
        for t in tokens {
            class.tokens += 1;
            *class.counts.entry(t.clone()).or_default() += 1;
            if !self.vocabulary.contains(t) {
                self.vocabulary.insert(t.clone());
            }
        }
    }

    /// Examples seen.
    pub fn len(&self) -> usize {
        self.examples as usize
    }

    pub fn is_empty(&self) -> bool {
        self.examples == 0
    }

    /// Labels seen, sorted.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.classes.keys().map(String::as_str)
    }

    /// Whether any of `tokens` was seen in training (otherwise [`NaiveBayes::predict`] returns the
    /// class priors alone).
    pub fn knows_any(&self, tokens: &[String]) -> bool {
        tokens.iter().any(|t| self.vocabulary.contains(t))
    }

    /// Posterior probability of every label, summing to one, best first (ties by label). Tokens
    /// never seen in training are ignored. Empty for an untrained model.
    pub fn predict(&self, tokens: &[String]) -> Vec<(String, f64)> {
        if self.examples == 0 {
            return Vec::new();
        }
        let v = self.vocabulary.len() as f64;
        let known: Vec<&String> = tokens.iter().filter(|t| self.vocabulary.contains(*t)).collect();
        let logs: Vec<(&String, f64)> = self
            .classes
            .iter()
            .map(|(label, c)| {
                let denominator = (c.tokens as f64 + v).ln();
                let mut log = (c.examples as f64 / self.examples as f64).ln();
                for t in &known {
                    let count = c.counts.get(*t).copied().unwrap_or(0) as f64;
                    log += (count + 1.0).ln() - denominator;
                }
                (label, log)
            })
            .collect();
        let max = logs.iter().map(|(_, l)| *l).fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = logs.iter().map(|(_, l)| (l - max).exp()).sum();
        let mut out: Vec<(String, f64)> = logs.into_iter().map(|(k, l)| (k.clone(), (l - max).exp() / total)).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// Where a suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Keywords,
    Model,
    /// The model's choice, also matched by keywords.
    Both,
}

/// A proposed category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub code: String,
    /// In (0, 1]: a posterior blend with a model; with keywords alone, the leading category's
    /// share of keyword evidence times its strength (score / (score + 2)).
    pub confidence: f64,
    pub source: Source,
    /// The chosen category's keywords found in the text.
    pub matched_keywords: Vec<String>,
}

/// Suggests a category on `which` axis for a narrative (`text`, and its [`tokens`]).
///
/// With a model of at least [`MIN_MODEL_EXAMPLES`] examples that knows some of the tokens, the
/// model's posterior (restricted to codes in the taxonomy, renormalised) is blended with the
/// keyword shares: `MODEL_WEIGHT × posterior + (1 − MODEL_WEIGHT) × keyword share`, or the
/// posterior alone when no keyword matched. Otherwise keywords alone decide, and `None` means not
/// a single keyword matched.
pub fn suggest(
    taxonomy: &Taxonomy,
    which: Axis,
    model: Option<&NaiveBayes>,
    tokens: &[String],
    text: &str,
) -> Option<Suggestion> {
    let keywords = keyword_scores(taxonomy, which, text);
    let keyword_total: f64 = keywords.iter().map(|k| k.score).sum();
    let matched_of = |code: &str| keywords.iter().find(|k| k.code == code).map(|k| k.matched.clone());

    let posterior: Vec<(String, f64)> = model
        .filter(|m| m.len() >= MIN_MODEL_EXAMPLES && m.knows_any(tokens))
        .map(|m| m.predict(tokens))
        .unwrap_or_default()
        .into_iter()
        .filter(|(code, _)| taxonomy.entry(which, code).is_some())
        .collect();
    let mass: f64 = posterior.iter().map(|(_, p)| p).sum();

    if posterior.is_empty() || mass <= 0.0 {
        let top = keywords.first()?;
        let strength = top.score / (top.score + KEYWORD_HALF_STRENGTH);
        return Some(Suggestion {
            code: top.code.clone(),
            confidence: top.score / keyword_total * strength,
            source: Source::Keywords,
            matched_keywords: top.matched.clone(),
        });
    }

    let mut blended: BTreeMap<&str, f64> = BTreeMap::new();
    let model_weight = if keywords.is_empty() { 1.0 } else { MODEL_WEIGHT };
    for (code, p) in &posterior {
        *blended.entry(code.as_str()).or_default() += model_weight * p / mass;
    }
    for k in &keywords {
        *blended.entry(k.code.as_str()).or_default() += (1.0 - MODEL_WEIGHT) * k.score / keyword_total;
    }
    let (code, confidence) = blended.into_iter().max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
    let matched = matched_of(code);
    Some(Suggestion {
        code: code.to_owned(),
        confidence,
        source: if matched.is_some() { Source::Both } else { Source::Model },
        matched_keywords: matched.unwrap_or_default(),
    })
}

/// Hold-out accuracy of the model on labelled examples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub held_out: usize,
    pub correct: usize,
    /// `correct / held_out`; `None` when nothing was held out.
    pub accuracy: Option<f64>,
}

/// Trains on all examples but every `holdout_every`-th (the k-th, 2k-th, … in order) and tests on
/// those; deterministic. `holdout_every == 0` holds nothing out.
pub fn evaluate(examples: &[(Vec<String>, String)], holdout_every: usize) -> Evaluation {
    let held = |i: usize| holdout_every > 0 && (i + 1).is_multiple_of(holdout_every);
    let model = NaiveBayes::train(examples.iter().enumerate().filter(|(i, _)| !held(*i)).map(|(_, e)| e.clone()));
    let (mut held_out, mut correct) = (0, 0);
    for (_, (tokens, label)) in examples.iter().enumerate().filter(|(i, _)| held(*i)) {
        held_out += 1;
        if model.predict(tokens).first().is_some_and(|(l, _)| l == label) {
            correct += 1;
        }
    }
    Evaluation { held_out, correct, accuracy: (held_out > 0).then(|| correct as f64 / held_out as f64) }
}

#[cfg(test)]
#[path = "classifier_tests.rs"]
mod tests;
