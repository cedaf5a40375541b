//! 试卷: a candidate's test paper, drawn from the question bank by a recorded random draw per
//! dimension, and its automatic scoring.
//!
//! **Drawing** (reproducible from the recorded source: same bank, request and source → same paper).
//! 1. K is RFC 3797's key of the source read as one text source ([`crate::draws::rfc3797::key`]:
//!    whitespace trimmed and collapsed, then `.` and `/` appended).
//! 2. For each requested `(dimension, count)`, in the order requested: the bank's items of that
//!    dimension sorted by id (byte order) form the list; the key is `K ‖ "dimension:" ‖ code ‖ "/"`;
//!    the items are the first `count` picks of [`crate::draws::select`] over that list, in pick
//!    order.
//! 3. The paper lists the dimensions' items one dimension after another.
//!
//! **Scoring.** A single-choice item earns its points when the one chosen option is the correct
//! one; a multiple-choice item only when the chosen set equals the correct set (all or nothing); a
//! situational-judgement item earns `points × option score ÷ sjt_max_score`. An unanswered item
//! earns nothing. Answers naming an item not on the paper or an option the item does not have are
//! refused, as is more than one option on a single-choice or situational item.

use super::questions::{Item, ItemKind, QuestionBank};
use crate::draws::rfc3797::{SourceKind, key as rfc_key, select};
use crate::error::FieldError;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

fn bad(code: &'static str, message: String) -> FieldError {
    FieldError::new("paper", code, message)
}

/// A drawn paper: the items themselves (answers included — show candidates [`TestPaper::questions`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestPaper {
    pub bank_version: String,
    pub source: String,
    /// K, the key before the per-dimension suffix.
    pub key: String,
    pub per_dimension: Vec<(String, usize)>,
    pub sjt_max_score: u8,
    pub items: Vec<Item>,
}

/// An item as the candidate sees it: no answers, scores or explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub kind: ItemKind,
    pub points: u32,
    pub stem: String,
    /// (key, text)
    pub options: Vec<(String, String)>,
}

/// Draws a paper (see the module documentation).
pub fn assemble(bank: &QuestionBank, per_dimension: &[(&str, usize)], source: &str) -> Result<TestPaper, FieldError> {
    if per_dimension.is_empty() {
        return Err(bad("empty_request", "请至少指定一个维度的抽题数量".into()));
    }
    let key = rfc_key([(SourceKind::Text, source)])
        .map_err(|(_, reason)| bad("bad_source", format!("随机数来源无效：{reason}")))?;
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for &(dimension, count) in per_dimension {
        if !seen.insert(dimension) {
            return Err(bad("duplicate_dimension", format!("维度“{dimension}”重复指定")));
        }
        if count == 0 {
            return Err(bad("zero_count", format!("维度“{dimension}”的抽题数量须大于 0")));
        }
        let mut list: Vec<&Item> = bank.items.iter().filter(|i| i.dimension == dimension).collect();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        if list.len() < count {
            return Err(bad(
                "too_few_items",
                format!("维度“{dimension}”题库中只有 {} 道题，不足所需的 {count} 道", list.len()),
            ));
        }
        let dkey = format!("{key}dimension:{dimension}/");
        let picks = select(dkey.as_bytes(), list.len(), count).map_err(|e| bad("draw_failed", e.to_string()))?;
        items.extend(picks.into_iter().map(|i| list[i].clone()));
    }
    Ok(TestPaper {
        bank_version: bank.version.clone(),
        source: source.to_owned(),
        key,
        per_dimension: per_dimension.iter().map(|&(d, n)| (d.to_owned(), n)).collect(),
        sjt_max_score: bank.sjt_max_score,
        items,
    })
}

impl TestPaper {
    pub fn questions(&self) -> Vec<QuestionView> {
        self.items
            .iter()
            .map(|i| QuestionView {
                id: i.id.clone(),
                kind: i.kind,
                points: i.points,
                stem: i.stem.clone(),
                options: i.options.iter().map(|o| (o.key.clone(), o.text.clone())).collect(),
            })
            .collect()
    }

    pub fn total_points(&self) -> u32 {
        self.items.iter().map(|i| i.points).sum()
    }
}

/// Points earned out of points possible.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Score {
    pub earned: f64,
    pub possible: f64,
}

impl Score {
    fn add(&mut self, earned: f64, possible: f64) {
        self.earned += earned;
        self.possible += possible;
    }

    /// earned ÷ possible (0 when nothing was possible).
    pub fn fraction(&self) -> f64 {
        if self.possible > 0.0 { self.earned / self.possible } else { 0.0 }
    }

    /// The fraction on the rubric's 1–5 scale.
    pub fn five_point(&self) -> f64 {
        five_point(self.fraction())
    }
}

/// A fraction 0–1 on the 1–5 scale: 1 + 4 × fraction (0 → 1, ½ → 3, 1 → 5), clamped.
pub fn five_point(fraction: f64) -> f64 {
    1.0 + 4.0 * fraction.clamp(0.0, 1.0)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    pub id: String,
    pub dimension: String,
    pub criterion: String,
    pub answered: bool,
    pub earned: f64,
    pub possible: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    pub items: Vec<ItemScore>,
    pub per_dimension: BTreeMap<String, Score>,
    pub per_criterion: BTreeMap<String, Score>,
    pub total: Score,
}

fn earned(paper: &TestPaper, item: &Item, chosen: &BTreeSet<&str>) -> f64 {
    let points = f64::from(item.points);
    match item.kind {
        ItemKind::SingleChoice | ItemKind::MultipleChoice => {
            if *chosen == item.correct_keys() {
                points
            } else {
                0.0
            }
        }
        ItemKind::SituationalJudgement => {
            let option = chosen.first().and_then(|k| item.option(k));
            let s = option.and_then(|o| o.score).unwrap_or(0);
            points * f64::from(s) / f64::from(paper.sjt_max_score)
        }
    }
}

/// Scores a paper (see the module documentation). `answers`: item id → chosen option keys.
pub fn score(paper: &TestPaper, answers: &BTreeMap<String, Vec<String>>) -> Result<TestResult, FieldError> {
    if let Some(id) = answers.keys().find(|id| !paper.items.iter().any(|i| &i.id == *id)) {
        return Err(bad("unknown_item", format!("答卷中的题目“{id}”不在本试卷中")));
    }
    let mut result = TestResult {
        items: Vec::with_capacity(paper.items.len()),
        per_dimension: BTreeMap::new(),
        per_criterion: BTreeMap::new(),
        total: Score::default(),
    };
    for item in &paper.items {
        let chosen: BTreeSet<&str> = answers.get(&item.id).into_iter().flatten().map(String::as_str).collect();
        if let Some(k) = chosen.iter().find(|k| item.option(k).is_none()) {
            return Err(bad("unknown_option", format!("题目“{}”没有选项“{k}”", item.id)));
        }
        if item.kind != ItemKind::MultipleChoice && chosen.len() > 1 {
            return Err(bad("one_option_only", format!("{}“{}”只能选一个选项", item.kind.label(), item.id)));
        }
        let got = if chosen.is_empty() { 0.0 } else { earned(paper, item, &chosen) };
        let possible = f64::from(item.points);
        result.per_dimension.entry(item.dimension.clone()).or_default().add(got, possible);
        result.per_criterion.entry(item.criterion.clone()).or_default().add(got, possible);
        result.total.add(got, possible);
        result.items.push(ItemScore {
            id: item.id.clone(),
            dimension: item.dimension.clone(),
            criterion: item.criterion.clone(),
            answered: !chosen.is_empty(),
            earned: got,
            possible,
        });
    }
    Ok(result)
}
