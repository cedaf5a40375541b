//! 结构化面试: drawing the panel of 评审员 and aggregating their 1–5 scores per criterion.
//!
//! **Aggregation.** Under 3 scores: none. 3–4 scores: the median (the mean of the middle two for
//! 4). 5 or more: the mean after dropping one highest and one lowest score. A criterion whose
//! scores spread by 2 points or more (max − min ≥ 2) is flagged for panel discussion before a
//! decision.
//!
//! **Panel draw** (recorded and reproducible). 1. Assessor ids must be unique and non-empty.
//! 2. Every assessor with a tie to the candidate is excluded, with the first applying reason in
//! this order: same unit (trimmed unit names equal), relative (either side lists the other),
//! declared conflict (either side declared it), member of an earlier panel for the same candidate
//! (an appeal goes to a new panel). 3. The others, sorted by id (byte order), are the eligible
//! list. 4. The key is RFC 3797's key of the recorded `source` read as one text source
//! ([`crate::draws::rfc3797::key`]), followed by `panel:<candidate id>/`; the members are the
//! first `size` picks of [`crate::draws::select`] over the eligible list, in pick order. Anyone
//! can recompute the draw from the pool, the request and the source ([`verify_panel`]).

use crate::draws::rfc3797::{SourceKind, key as rfc_key, select};
use crate::error::FieldError;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The fewest assessors a panel may have.
pub const MIN_PANEL: usize = 3;

fn bad(code: &'static str, message: String) -> FieldError {
    FieldError::new("panel", code, message)
}

/// Refuses any score outside 1–5.
pub fn check_scores(scores: &[u8]) -> Result<(), FieldError> {
    match scores.iter().find(|s| !(1..=5).contains(*s)) {
        Some(s) => Err(bad("score_out_of_range", format!("评分须为 1 至 5 分的整数，收到 {s} 分"))),
        None => Ok(()),
    }
}

/// The panel's score of one criterion (see the module documentation); `Ok(None)` under 3 scores.
pub fn aggregate(scores: &[u8]) -> Result<Option<f64>, FieldError> {
    check_scores(scores)?;
    let mut s: Vec<f64> = scores.iter().map(|&x| f64::from(x)).collect();
    s.sort_by(f64::total_cmp);
    Ok(match s.len() {
        0..=2 => None,
        3 => Some(s[1]),
        4 => Some((s[1] + s[2]) / 2.0),
        n => Some(s[1..n - 1].iter().sum::<f64>() / (n - 2) as f64),
    })
}

/// Whether the scores spread by 2 points or more.
pub fn spread_flag(scores: &[u8]) -> bool {
    match (scores.iter().max(), scores.iter().min()) {
        (Some(max), Some(min)) => max - min >= 2,
        _ => false,
    }
}

/// One criterion's panel result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionAggregate {
    pub criterion: String,
    pub scores: Vec<u8>,
    pub score: Option<f64>,
    /// Spread ≥ 2: to be discussed by the panel before a decision.
    pub flagged: bool,
}

/// Aggregates every criterion's scores (criterion code → the assessors' scores).
pub fn aggregate_criteria(scores: &BTreeMap<String, Vec<u8>>) -> Result<Vec<CriterionAggregate>, FieldError> {
    scores
        .iter()
        .map(|(criterion, s)| {
            Ok(CriterionAggregate {
                criterion: criterion.clone(),
                scores: s.clone(),
                score: aggregate(s)?,
                flagged: spread_flag(s),
            })
        })
        .collect()
}

/// A 评审员 of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessor {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// Ids of the people (candidates) this assessor is related to.
    pub relatives: Vec<String>,
    /// Ids of the candidates this assessor declared a conflict with.
    pub conflicts: Vec<String>,
}

/// Why an assessor may not sit on the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieReason {
    SameUnit,
    Relative,
    DeclaredConflict,
    EarlierPanel,
}

impl TieReason {
    pub fn code(self) -> &'static str {
        match self {
            TieReason::SameUnit => "same_unit",
            TieReason::Relative => "relative",
            TieReason::DeclaredConflict => "declared_conflict",
            TieReason::EarlierPanel => "earlier_panel",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TieReason::SameUnit => "与候选人同一单位",
            TieReason::Relative => "与候选人有亲属关系",
            TieReason::DeclaredConflict => "已申报与候选人存在利益冲突",
            TieReason::EarlierPanel => "曾参加该候选人此前的评审",
        }
    }
}

/// What the panel is drawn for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelRequest {
    pub candidate_id: String,
    pub candidate_unit: String,
    /// Assessor ids the candidate declared as relatives.
    pub candidate_relatives: Vec<String>,
    /// Assessor ids the candidate declared a conflict with.
    pub candidate_conflicts: Vec<String>,
    /// Members of earlier panels for this candidate (an appeal's new panel excludes them).
    pub earlier_panel: Vec<String>,
    /// At least [`MIN_PANEL`].
    pub size: usize,
    /// The recorded randomness source (e.g. a published lottery result), announced beforehand.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelExclusion {
    pub assessor: String,
    pub reason: TieReason,
}

/// A recorded panel draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelDraw {
    pub candidate_id: String,
    pub source: String,
    /// The key the picks were made with.
    pub key: String,
    /// The eligible assessors, sorted by id: the list the picks index.
    pub eligible: Vec<String>,
    pub exclusions: Vec<PanelExclusion>,
    /// The members, in pick order.
    pub members: Vec<String>,
}

fn tie(a: &Assessor, r: &PanelRequest) -> Option<TieReason> {
    let unit = a.unit.trim();
    if !unit.is_empty() && unit == r.candidate_unit.trim() {
        Some(TieReason::SameUnit)
    } else if a.relatives.contains(&r.candidate_id) || r.candidate_relatives.contains(&a.id) {
        Some(TieReason::Relative)
    } else if a.conflicts.contains(&r.candidate_id) || r.candidate_conflicts.contains(&a.id) {
        Some(TieReason::DeclaredConflict)
    } else if r.earlier_panel.contains(&a.id) {
        Some(TieReason::EarlierPanel)
    } else {
        None
    }
}

/// Draws a panel (see the module documentation for the procedure).
pub fn draw_panel(pool: &[Assessor], request: &PanelRequest) -> Result<PanelDraw, FieldError> {
    if request.size < MIN_PANEL {
        return Err(bad(
            "panel_too_small",
            format!("评审组至少需要 {MIN_PANEL} 名评审员，当前设定为 {} 名", request.size),
        ));
    }
    let mut ids = BTreeSet::new();
    for a in pool {
        if a.id.trim().is_empty() {
            return Err(bad("empty_id", "评审员库中有人缺少编号".into()));
        }
        if !ids.insert(a.id.as_str()) {
            return Err(bad("duplicate_assessor", format!("评审员编号“{}”重复", a.id)));
        }
    }
    let mut exclusions = Vec::new();
    let mut eligible = Vec::new();
    for a in pool {
        match tie(a, request) {
            Some(reason) => exclusions.push(PanelExclusion { assessor: a.id.clone(), reason }),
            None => eligible.push(a.id.clone()),
        }
    }
    eligible.sort();
    exclusions.sort_by(|x, y| x.assessor.cmp(&y.assessor));
    if eligible.len() < request.size {
        return Err(bad(
            "too_few_eligible",
            format!(
                "评审员库共 {} 人，回避 {} 人后只剩 {} 人，不足所需的 {} 人，请扩充评审员库后再抽取",
                pool.len(),
                exclusions.len(),
                eligible.len(),
                request.size
            ),
        ));
    }
    let base = rfc_key([(SourceKind::Text, request.source.as_str())])
        .map_err(|(_, reason)| bad("bad_source", format!("随机数来源无效：{reason}")))?;
    let key = format!("{base}panel:{}/", request.candidate_id);
    let picks = select(key.as_bytes(), eligible.len(), request.size)
        .map_err(|e| bad("draw_failed", format!("抽取失败：{e}")))?;
    let members = picks.into_iter().map(|i| eligible[i].clone()).collect();
    Ok(PanelDraw {
        candidate_id: request.candidate_id.clone(),
        source: request.source.clone(),
        key,
        eligible,
        exclusions,
        members,
    })
}

/// Whether a recorded draw is what the procedure gives for this pool and request.
pub fn verify_panel(pool: &[Assessor], request: &PanelRequest, recorded: &PanelDraw) -> bool {
    draw_panel(pool, request).is_ok_and(|d| d == *recorded)
}
