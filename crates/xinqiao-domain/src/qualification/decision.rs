//! 评定: 合格 or 不合格, with the reasons, each dimension's score against its minimum, and the
//! weighted total against the threshold; and the appeal deadline.
//!
//! **Rule.** 合格 only when (1) the gates were run and all passed, (2) every criterion of the
//! framework has a score, (3) every gate criterion reaches the framework's `gate_min_score`,
//! (4) every dimension's weighted score reaches its minimum, and (5) the weighted total reaches
//! the threshold. A dimension's score is the weight-weighted mean of its criteria's scores; the
//! weighted total is the weight-weighted mean of all criteria's scores. All scores are on the 1–5
//! scale. A failed gate ends the assessment: the reasons are then the failed gates only.
//!
//! A decision is refused while any criterion is still flagged for panel discussion (spread ≥ 2).

use super::dossier::GateResult;
use super::framework::Framework;
use crate::calendar::Date;
use crate::error::FieldError;
use serde::Serialize;
use std::collections::BTreeMap;

/// Tolerance for comparing weighted means with minimums.
const EPS: f64 = 1e-9;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    pub code: String,
    pub label: String,
    pub weight: u32,
    pub gate: bool,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionResult {
    pub code: String,
    pub label: String,
    pub minimum: f64,
    /// `None` while a criterion lacks a score.
    pub score: Option<f64>,
    pub met: bool,
    pub criteria: Vec<CriterionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub framework_version: String,
    pub framework_fingerprint: String,
    pub qualified: bool,
    /// Why, in Chinese: every unmet condition when 不合格, a summary when 合格.
    pub reasons: Vec<String>,
    pub gates: Vec<GateResult>,
    pub dimensions: Vec<DimensionResult>,
    pub weighted_total: Option<f64>,
    pub threshold: f64,
}

impl Decision {
    pub fn verdict(&self) -> &'static str {
        if self.qualified { "合格" } else { "不合格" }
    }
}

fn bad(code: &'static str, message: String) -> FieldError {
    FieldError::new("decision", code, message)
}

fn weighted(pairs: impl IntoIterator<Item = (u32, Option<f64>)>) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0u32);
    for (w, s) in pairs {
        sum += f64::from(w) * s?;
        weight += w;
    }
    (weight > 0).then(|| sum / f64::from(weight))
}

fn fmt2(x: f64) -> String {
    format!("{x:.2}")
}

/// Decides (see the module documentation). `scores`: criterion code → score 1–5 (panel
/// aggregates, test results mapped by [`super::paper::five_point`], record checks);
/// `open_flags`: criterion codes still flagged for panel discussion.
pub fn decide(
    framework: &Framework,
    gates: &[GateResult],
    scores: &BTreeMap<String, f64>,
    open_flags: &[String],
) -> Result<Decision, FieldError> {
    if !open_flags.is_empty() {
        return Err(bad(
            "open_flags",
            format!("以下指标的评分分歧达到 2 分以上，须经评审组讨论后才能评定：{}", open_flags.join("、")),
        ));
    }
    for (code, &s) in scores {
        if framework.criterion(code).is_none() {
            return Err(bad("unknown_criterion", format!("指标“{code}”不在框架 {} 版中", framework.version)));
        }
        if !s.is_finite() || !(1.0..=5.0).contains(&s) {
            return Err(bad("score_out_of_range", format!("指标“{code}”的得分须在 1 至 5 分之间，收到 {s}")));
        }
    }
    let dimensions: Vec<DimensionResult> = framework
        .dimensions
        .iter()
        .map(|d| {
            let criteria: Vec<CriterionResult> = d
                .criteria
                .iter()
                .map(|c| CriterionResult {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    weight: c.weight,
                    gate: c.gate,
                    score: scores.get(&c.code).copied(),
                })
                .collect();
            let score = weighted(criteria.iter().map(|c| (c.weight, c.score)));
            let met = score.is_some_and(|s| s + EPS >= d.minimum);
            DimensionResult { code: d.code.clone(), label: d.label.clone(), minimum: d.minimum, score, met, criteria }
        })
        .collect();
    let weighted_total = weighted(dimensions.iter().flat_map(|d| d.criteria.iter().map(|c| (c.weight, c.score))));

    let mut reasons = Vec::new();
    if gates.is_empty() {
        reasons.push("尚未进行门槛核查".to_owned());
    }
    let failed: Vec<&GateResult> = gates.iter().filter(|g| !g.passed).collect();
    for g in &failed {
        reasons.push(format!("门槛条件“{}”未通过：{}", g.label, g.reason));
    }
    if failed.is_empty() && !gates.is_empty() {
        for d in &dimensions {
            let missing: Vec<&str> =
                d.criteria.iter().filter(|c| c.score.is_none()).map(|c| c.label.as_str()).collect();
            if !missing.is_empty() {
                reasons.push(format!("维度“{}”缺少以下指标的评分：{}", d.label, missing.join("、")));
            }
            for c in d.criteria.iter().filter(|c| c.gate) {
                if let Some(s) = c.score.filter(|s| s + EPS < framework.gate_min_score) {
                    reasons.push(format!(
                        "门槛指标“{}”得分 {}，低于 {} 分",
                        c.label,
                        fmt2(s),
                        framework.gate_min_score
                    ));
                }
            }
            if let Some(s) = d.score.filter(|_| !d.met) {
                reasons.push(format!("维度“{}”得分 {}，未达到最低分 {}", d.label, fmt2(s), d.minimum));
            }
        }
        if let Some(t) = weighted_total.filter(|t| t + EPS < framework.threshold) {
            reasons.push(format!("加权总分 {}，未达到合格线 {}", fmt2(t), framework.threshold));
        }
    }
    let qualified = reasons.is_empty();
    if qualified {
        let total = weighted_total.map(fmt2).unwrap_or_default();
        reasons.push(format!(
            "门槛条件全部通过，{} 个维度均达到最低分，加权总分 {total} 达到合格线 {}",
            dimensions.len(),
            framework.threshold
        ));
    }
    Ok(Decision {
        framework_version: framework.version.clone(),
        framework_fingerprint: framework.fingerprint(),
        qualified,
        reasons,
        gates: gates.to_vec(),
        dimensions,
        weighted_total,
        threshold: framework.threshold,
    })
}

/// The last day to appeal: `days` calendar days counted from the day after the decision.
pub fn appeal_deadline(decided: Date, days: u32) -> Date {
    Date(decided.0 + i64::from(days))
}
