//! A learned score for the name model's candidates (a surname + one or two given-name characters):
//! a logistic regression over what `names` already computes — the surname prior, the given-name
//! likelihood, jieba's reading of the span and of its neighbours, word boundaries, the hand-set
//! segmentation and context scores, lists — in place of the hand-set sum and threshold. Weights
//! are trained by the bench `name_train` on the tuning part of `data/pii-eval` only (never the
//! held-out fifth) and compiled in from `data/privacy/name-weights.tsv`.

use super::names::{Scan, THRESHOLD};
use super::text::is_han;

/// The features, in the order of the weights file.
pub const FEATURES: [&str; 27] = [
    "bias",
    "surname_prior",
    "given_likelihood",
    "two_characters",
    "compound_surname",
    "segmentation",
    "context",
    "jieba_name_word",
    "jieba_name_guess",
    "jieba_longer_name",
    "jieba_other_word",
    "jieba_verbal_word",
    "starts_inside_word",
    "cut_at_end",
    "clause_start",
    "clause_end",
    "next_verb",
    "next_noun",
    "next_function",
    "prev_verb",
    "prev_function",
    "prev_numeral",
    "list",
    "place_after",
    "glued_to_next",
    "next_name_guess",
    "cue",
];

pub type Features = [f32; FEATURES.len()];

const WEIGHTS: &str = include_str!("../../data/privacy/name-weights.tsv");

/// The weights and the decision threshold (on the logit).
#[derive(Clone, Debug)]
pub(super) struct Learned {
    pub weights: Features,
    pub threshold: f32,
}

impl Learned {
    pub fn new() -> Self {
        let mut weights = [0.0; FEATURES.len()];
        let mut threshold = 0.0;
        for line in WEIGHTS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let Some((name, value)) = line.split_once('\t') else { continue };
            let value: f32 = value.trim().parse().unwrap_or(0.0);
            if name == "threshold" {
                threshold = value;
            } else if let Some(k) = FEATURES.iter().position(|f| *f == name) {
                weights[k] = value;
            }
        }
        Self { weights, threshold }
    }

    pub fn logit(&self, f: &Features) -> f32 {
        self.weights.iter().zip(f).map(|(w, x)| w * x).sum()
    }
}

/// How the name model's candidates (surname + given name) are decided, and the learned weights.
#[derive(Clone, Debug)]
pub(super) struct Scoring {
    pub learned: Learned,
    pub mode: NameScoring,
}

/// Which score decides the name model's candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScoring {
    /// The hand-set sum and its threshold alone.
    Hand,
    /// The learned logistic regression and its threshold alone.
    Learned,
    /// Either of them (the default): the learned score adds names, never removes one.
    Either,
}

impl Scoring {
    pub fn new() -> Self {
        Self { learned: Learned::new(), mode: NameScoring::Either }
    }

    /// The best (score, end) of a candidate by the mode: the hand-set one, the learned one
    /// (both on the hand-set scale), or the higher.
    pub fn decide(&self, hand: Option<(f32, usize)>, learned: Option<(f32, usize)>) -> Option<(f32, usize)> {
        match self.mode {
            NameScoring::Hand => hand,
            NameScoring::Learned => learned,
            NameScoring::Either if learned.is_some_and(|l| hand.is_none_or(|h| l.0 > h.0)) => learned,
            NameScoring::Either => hand,
        }
    }
}

/// A candidate of the name model and its features (for training the learned score).
#[derive(Clone, Debug)]
pub struct Traced {
    pub start: usize,
    pub end: usize,
    pub features: Features,
}

fn tag_is(t: Option<&jieba_rs::Tag<'_>>, at: usize, heads: &[&str]) -> bool {
    t.is_some_and(|t| t.start == at && heads.iter().any(|h| t.tag.starts_with(h)))
}

impl Scan<'_, '_> {
    /// The learned score of the candidate `s..e` on the hand-set scale (its threshold maps to
    /// `THRESHOLD`), when the mode asks for it; records the features when tracing. No name where
    /// the segmentation vetoes one: a verb or an adjective (陈述), a surname standing as a
    /// function word (和台湾), a start inside a word (威廉斯堡, 崇尚文明).
    pub(super) fn learned(&mut self, s: usize, e: usize, sl: usize, parts: [f32; 4]) -> Option<f32> {
        let scoring = &self.lex.scoring;
        if scoring.mode == NameScoring::Hand && self.trace.is_none() {
            return None;
        }
        let features = self.features(s, e, sl, parts);
        let vetoed = parts[2] <= -3.0 || self.verbal_word(s, e);
        let score = THRESHOLD + scoring.learned.logit(&features) - scoring.learned.threshold;
        if let Some(trace) = &mut self.trace {
            trace.push(Traced { start: s, end: e, features });
        }
        (!vetoed).then_some(score)
    }

    /// Whether jieba reads `s..e` as one ordinary verb, adjective or adverb (陈述, 查处, 付清):
    /// no name, whatever the score (as in the hand-set score).
    pub(super) fn verbal_word(&self, s: usize, e: usize) -> bool {
        self.words.at(s).is_some_and(|t| {
            t.start == s
                && t.end == e
                && !t.tag.starts_with("nr")
                && ["v", "a", "d"].iter().any(|h| t.tag.starts_with(h))
                && self.jieba.has_word(t.word)
        })
    }

    /// The features of the candidate `s..e` (surname of `sl` characters), given the parts the
    /// hand-set score is made of.
    pub(super) fn features(&self, s: usize, e: usize, sl: usize, parts: [f32; 4]) -> Features {
        let [sur, given, segmentation, context] = parts;
        let (chars, words) = (self.chars, self.words);
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        let first = words.at(s);
        let nr = |t: &jieba_rs::Tag<'_>| t.tag.starts_with("nr");
        let exact = first.filter(|t| t.start == s && t.end == e);
        let name_word = exact.is_some_and(|t| nr(t) && self.jieba.has_word(t.word));
        let name_guess = exact.is_some_and(|t| nr(t) && !self.jieba.has_word(t.word));
        let longer = first.is_some_and(|t| t.start == s && t.end > e && nr(t));
        let other = exact.is_some_and(|t| !nr(t) && self.jieba.has_word(t.word));
        let punct = |c: char| !is_han(c) && !c.is_ascii_alphanumeric();
        let next = words.at(e);
        let before = s.checked_sub(1).and_then(|k| words.at(k)).filter(|t| t.end == s);
        let glued = words.at(e - 1).is_some_and(|t| t.end > e && !self.jieba.has_word(t.word));
        [
            1.0,
            sur,
            given.clamp(-8.0, 8.0),
            b(e - s == 2 && sl == 1),
            b(sl == 2),
            segmentation,
            context,
            b(name_word),
            b(name_guess),
            b(longer),
            b(other),
            b(self.verbal_word(s, e)),
            b(first.is_some_and(|t| t.start < s)),
            b(!words.ends_word(e)),
            b(s == 0 || punct(chars[s - 1])),
            b(chars.get(e).is_none_or(|&c| punct(c))),
            b(tag_is(next, e, &["v"])),
            b(tag_is(next, e, &["n"]) && !next.is_some_and(nr)),
            b(tag_is(next, e, &["u", "p", "c", "y"])),
            b(before.is_some_and(|t| t.tag.starts_with('v'))),
            b(before.is_some_and(|t| ["p", "c", "u"].iter().any(|h| t.tag.starts_with(h)))),
            b(before.is_some_and(|t| t.tag.starts_with('m') || t.tag.starts_with('q'))),
            b(s > 0 && matches!(chars[s - 1], '、') || matches!(chars.get(e), Some('、'))),
            b(chars.get(e).is_some_and(|c| "村镇乡庄屯寨湾营坡沟堡".contains(*c))),
            b(glued),
            b(next.is_some_and(|t| t.start == e && nr(t) && !self.jieba.has_word(t.word))),
            b(self.cue_before(s).is_some()),
        ]
    }
}
