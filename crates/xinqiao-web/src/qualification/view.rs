//! What one person may see of an assessment, built once for the page and the API: the candidate,
//! the panel's members and the organisers (supervisors) each see their part. Panel scores stay
//! blind — each assessor sees only their own — until every member has submitted.

use super::service::{self, EvidenceScore};
use crate::AppState;
use crate::error::AppError;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{AssessmentMethod, Decision, Framework, GateResult, decide};
use xinqiao_store::qualification::{AssessmentRow, status};
use xinqiao_store::users::User;

/// How the viewer stands to the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    pub candidate: bool,
    pub assessor: bool,
    pub organiser: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GateView {
    pub code: String,
    pub label: String,
    pub passed: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CriterionView {
    pub dimension: String,
    pub code: String,
    pub label: String,
    pub method: String,
    pub weight: u32,
    pub gate: bool,
    /// 1–5 once known (panel scores only when every member has submitted).
    pub score: Option<f64>,
    /// Where the score comes from, in words.
    pub evidence: String,
    /// The panel's individual scores (when all are in) and whether they spread by 2 or more.
    pub panel_scores: Vec<u8>,
    pub flagged: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub submitted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DimensionScore {
    pub code: String,
    pub label: String,
    pub minimum: f64,
    pub score: Option<f64>,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub framework_version: String,
    pub framework_fingerprint: String,
    pub framework_verified: bool,
    /// gates_failed | in_progress | decided | appealed
    pub status: String,
    pub status_label: String,
    pub checked_on: String,
    pub gates: Vec<GateView>,
    pub test_open: bool,
    pub test_due_at: Option<i64>,
    pub test_submitted: bool,
    /// Earned / possible points once handed in.
    pub test_points: Option<(f64, f64)>,
    pub panel_drawn: bool,
    pub panel_source: Option<String>,
    pub panel: Vec<MemberView>,
    pub panel_missing: usize,
    /// The viewer's own scores, if they sit on the panel and submitted.
    pub my_scores: BTreeMap<String, u8>,
    pub criteria: Vec<CriterionView>,
    pub open_flags: Vec<String>,
    pub evidence: BTreeMap<String, EvidenceScore>,
    pub decided: bool,
    pub qualified: Option<bool>,
    pub verdict: Option<String>,
    pub reasons: Vec<String>,
    pub dimensions: Vec<DimensionScore>,
    pub weighted_total: Option<f64>,
    pub threshold: f64,
    pub decided_on: Option<String>,
    pub appeal_until: Option<String>,
    pub appeal_of: Option<String>,
    pub appeal_reason: Option<String>,
    pub certificate: Option<String>,
}

pub fn status_label(s: &str) -> &'static str {
    match s {
        status::GATES_FAILED => "门槛未通过",
        status::IN_PROGRESS => "评估中",
        status::DECIDED => "已评定",
        status::APPEALED => "已申诉",
        _ => "未知",
    }
}

fn method_evidence(m: AssessmentMethod) -> &'static str {
    match m {
        AssessmentMethod::WrittenTest | AssessmentMethod::SituationalJudgement => {
            "笔试得分（本指标无题时取本维度笔试得分）"
        }
        AssessmentMethod::StructuredInterview => "评审组结构化面试（3–4人取中位数，5人以上去掉最高最低后取平均）",
        AssessmentMethod::RecordCheck | AssessmentMethod::WorkEvidence => "组织方依据档案和工作实绩评分",
    }
}

/// Who the viewer is to this assessment; `None` when they may not see it.
pub async fn role_of(state: &AppState, user: &User, row: &AssessmentRow) -> Result<Option<Role>, AppError> {
    let members = state.store.panel_members(&row.id).await?;
    let organiser = allows(&user.roles, Permission::SuperviseCases)
        && super::service::oversee(state, user, &row.candidate_id, row.candidate_org.as_deref()).await.is_ok();
    let role = Role {
        candidate: user.id == row.candidate_id,
        assessor: members.contains(&user.id) && allows(&user.roles, Permission::ReviewQualifications),
        organiser,
    };
    Ok((role.candidate || role.assessor || role.organiser).then_some(role))
}

fn day(d: Option<i64>) -> Option<String> {
    d.map(|d| Date(d).to_string())
}

fn gate_views(gates: Vec<GateResult>) -> Vec<GateView> {
    gates
        .into_iter()
        .map(|g| GateView { code: g.code.into(), label: g.label.into(), passed: g.passed, reason: g.reason })
        .collect()
}

pub async fn build(state: &AppState, user: &User, row: &AssessmentRow, role: Role) -> Result<AssessmentView, AppError> {
    let framework: Framework = service::pinned_framework(state, row).await?;
    let gates = service::gates(state, row, &framework).await?;
    let (panel, missing) = service::panel_result(state, row, &framework).await?;
    let members = state.store.panel_members(&row.id).await?;
    let submitted = state.store.panel_scores(&row.id).await?;
    let all_in = missing == 0;
    let mut my_scores = BTreeMap::new();
    if let Some(mine) = submitted.iter().find(|s| s.assessor_id == user.id) {
        my_scores = serde_json::from_str(&mine.scores).unwrap_or_default();
    }
    let mut panel_view = Vec::new();
    for m in &members {
        let name = state.store.user(m).await.map(|u| u.display_name).unwrap_or_default();
        panel_view.push(MemberView { id: m.clone(), name, submitted: submitted.iter().any(|s| &s.assessor_id == m) });
    }
    let test = service::test_result(row, &framework)?;
    let scores = service::criterion_scores(row, &framework, test.as_ref(), &panel, missing)?;
    let evidence = service::stored_evidence(row)?;
    let criteria = framework
        .criteria()
        .map(|(d, c)| {
            let agg = panel.iter().find(|a| a.criterion == c.code);
            let show_panel = all_in && agg.is_some();
            let note = evidence.get(&c.code).map(|e| e.note.clone());
            CriterionView {
                dimension: d.label.clone(),
                code: c.code.clone(),
                label: c.label.clone(),
                method: c.method.label().into(),
                weight: c.weight,
                gate: c.gate,
                score: scores.get(&c.code).copied(),
                evidence: note.unwrap_or_else(|| method_evidence(c.method).into()),
                panel_scores: if show_panel { agg.map(|a| a.scores.clone()).unwrap_or_default() } else { Vec::new() },
                flagged: show_panel && agg.is_some_and(|a| a.flagged),
            }
        })
        .collect();
    let open_flags = if all_in { service::open_flags(&panel, row) } else { Vec::new() };
    // A decided assessment's inputs are frozen, so recomputing gives the decision as recorded.
    let decision: Option<Decision> =
        row.decision.as_ref().map(|_| decide(&framework, &gates, &scores, &[])).transpose()?;
    let dimensions = match &decision {
        Some(d) => d
            .dimensions
            .iter()
            .map(|x| DimensionScore {
                code: x.code.clone(),
                label: x.label.clone(),
                minimum: x.minimum,
                score: x.score,
                met: x.met,
            })
            .collect(),
        None => framework
            .dimensions
            .iter()
            .map(|x| DimensionScore {
                code: x.code.clone(),
                label: x.label.clone(),
                minimum: x.minimum,
                score: None,
                met: false,
            })
            .collect(),
    };
    let certificate = if row.qualified == Some(true) {
        state
            .store
            .certificates(Some(&row.candidate_id))
            .await?
            .into_iter()
            .find(|c| c.assessment_id.as_deref() == Some(&row.id))
            .map(|c| c.certificate.number)
    } else {
        None
    };
    let panel_source = row
        .panel
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|v| v["source"].as_str().map(str::to_owned));
    Ok(AssessmentView {
        id: row.id.clone(),
        candidate_id: row.candidate_id.clone(),
        candidate_name: row.candidate_name.clone(),
        framework_version: framework.version.clone(),
        framework_fingerprint: row.framework_fingerprint.clone(),
        framework_verified: framework.verified,
        status: row.status.clone(),
        status_label: status_label(&row.status).into(),
        checked_on: Date(row.checked_on).to_string(),
        gates: gate_views(gates),
        test_open: row.status == status::IN_PROGRESS && row.paper_source.is_some() && row.answers.is_none(),
        test_due_at: row.test_due_at,
        test_submitted: row.answers.is_some(),
        test_points: test.map(|t| (t.total.earned, t.total.possible)),
        panel_drawn: row.panel.is_some(),
        panel_source,
        panel: if role.organiser || role.assessor || row.decision.is_some() { panel_view } else { Vec::new() },
        panel_missing: if members.is_empty() { 0 } else { missing },
        my_scores,
        criteria,
        open_flags: open_flags.iter().map(|c| service::label(&framework, c)).collect(),
        evidence: if role.organiser || row.decision.is_some() { evidence } else { BTreeMap::new() },
        decided: decision.is_some(),
        qualified: row.qualified,
        verdict: decision.as_ref().map(|d| d.verdict().to_owned()),
        reasons: decision.as_ref().map(|d| d.reasons.clone()).unwrap_or_default(),
        dimensions,
        weighted_total: decision.as_ref().and_then(|d| d.weighted_total),
        threshold: framework.threshold,
        decided_on: day(row.decided_on),
        appeal_until: day(row.appeal_until),
        appeal_of: row.appeal_of.clone(),
        appeal_reason: row.appeal_reason.clone(),
        certificate,
    })
}
