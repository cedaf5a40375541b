//! The assessment's steps, shared by the pages and the JSON API: apply (gates), the timed test,
//! the panel draw and its blind scoring, the organiser's evidence scores, the decision (with the
//! certificate) and the appeal. Every rule lives in the domain; this glues it to the store.

use super::dossier::DossierInput;
use crate::AppState;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{
    AssessmentMethod, Assessor, CriterionAggregate, Decision, Dossier, Framework, GateResult, PanelDraw, PanelRequest,
    QuestionBank, TestPaper, TestResult, aggregate_criteria, all_passed, appeal_deadline, assemble, decide, draw_panel,
    evaluate_gates, five_point, score,
};
use xinqiao_store::audit::Actor;
use xinqiao_store::qualification::{AssessmentRow, NewAssessment, status};
use xinqiao_store::users::User;

/// Bureau parameters of the process (setting `qualification.params`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Minutes allowed for the written test.
    pub test_minutes: u32,
    /// Assessors on a panel (at least 3).
    pub panel_size: usize,
    /// Days after a decision within which the candidate may appeal.
    pub appeal_days: u32,
    /// Years a certificate is valid.
    pub validity_years: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self { test_minutes: 60, panel_size: 3, appeal_days: 15, validity_years: 2 }
    }
}

pub const PARAMS: &str = "qualification.params";
/// Answers handed in this long after the deadline still count (a slow network, not extra time).
const GRACE_MS: i64 = 60_000;

pub async fn params(state: &AppState) -> Result<Params, AppError> {
    Ok(state.store.setting(PARAMS).await?.unwrap_or_default())
}

/// An organiser acting on `subject` (a candidate or a certificate holder working in
/// `subject_org`): never on oneself, and only within one's own bureau tree — what lies outside is
/// not found, so its existence is not confirmed either.
pub async fn oversee(state: &AppState, by: &User, subject: &str, subject_org: Option<&str>) -> Result<(), AppError> {
    if by.id == subject {
        return Err(AppError::Forbidden("不能办理与本人有关的任职资格事项（应当回避）".into()));
    }
    let scope = crate::scope::Scope::of_org(state, by.org_id.as_deref()).await?;
    match subject_org {
        Some(org) if scope.has_org(org) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

pub fn today(state: &AppState) -> Date {
    state.today()
}

fn internal(what: &str) -> AppError {
    AppError::Internal(format!("stored qualification data: {what}"))
}

/// The framework in force (the newest version; the shipped example on first use).
pub async fn current_framework(state: &AppState) -> Result<Framework, AppError> {
    if let Some(row) = state.store.framework_versions().await?.into_iter().next() {
        return Framework::from_toml(&row.body).map_err(|_| internal("framework"));
    }
    let shipped = Framework::shipped();
    state.store.save_framework(&Actor::console(), &shipped.version, &shipped.fingerprint(), &shipped.to_toml()).await?;
    Ok(shipped)
}

/// The framework version an assessment is pinned to (checked against its fingerprint).
pub async fn pinned_framework(state: &AppState, row: &AssessmentRow) -> Result<Framework, AppError> {
    let stored = state.store.framework_version(&row.framework_version).await?.ok_or_else(|| internal("framework"))?;
    let framework = Framework::from_toml(&stored.body).map_err(|_| internal("framework"))?;
    if framework.fingerprint() != row.framework_fingerprint {
        return Err(internal("framework fingerprint"));
    }
    Ok(framework)
}

/// Stores a revised framework as a new version.
pub async fn revise_framework(state: &AppState, actor: &Actor, toml: &str) -> Result<Framework, AppError> {
    let old = current_framework(state).await?;
    let new = Framework::from_toml(toml)?;
    xinqiao_domain::qualification::check_revision(&old, &new)?;
    if new.fingerprint() == old.fingerprint() {
        return Err(AppError::field("framework", "unchanged", "框架内容没有变化"));
    }
    state.store.save_framework(actor, &new.version, &new.fingerprint(), &new.to_toml()).await?;
    Ok(new)
}

pub(crate) fn aad(id: &str) -> String {
    format!("qualification-dossier:{id}")
}

/// The dossier as the candidate gave it.
pub fn open_dossier(state: &AppState, row: &AssessmentRow) -> Result<DossierInput, AppError> {
    let plain = state.secrets.open(&aad(&row.candidate_id), &row.dossier_sealed).ok_or_else(|| internal("dossier"))?;
    serde_json::from_slice(&plain).map_err(|_| internal("dossier"))
}

fn domain_dossier(user: &User, input: &DossierInput, on: Date) -> Result<Dossier, AppError> {
    input.to_dossier(&user.id, &user.display_name, user.org_id.as_deref().unwrap_or_default(), on)
}

/// The gates as checked on the assessment's record-check day.
pub async fn gates(state: &AppState, row: &AssessmentRow, framework: &Framework) -> Result<Vec<GateResult>, AppError> {
    let user = state.store.user(&row.candidate_id).await?;
    let input = open_dossier(state, row)?;
    let day = Date(row.checked_on);
    let dossier = domain_dossier(&user, &input, day)?;
    Ok(evaluate_gates(&dossier, &framework.gates, day))
}

/// How many items each tested dimension draws: two per tested criterion, at most what the bank has.
fn paper_request(framework: &Framework, bank: &QuestionBank) -> Vec<(String, usize)> {
    let available = bank.count_by_dimension();
    framework
        .dimensions
        .iter()
        .filter_map(|d| {
            let tested = d
                .criteria
                .iter()
                .filter(|c| matches!(c.method, AssessmentMethod::WrittenTest | AssessmentMethod::SituationalJudgement))
                .count();
            let have = available.get(d.code.as_str()).copied().unwrap_or(0);
            (tested > 0 && have > 0).then(|| (d.code.clone(), (tested * 2).min(have)))
        })
        .collect()
}

/// The candidate's paper, drawn again from the recorded source (the draw is reproducible).
pub fn paper(framework: &Framework, source: &str) -> Result<TestPaper, AppError> {
    let bank = QuestionBank::shipped();
    let request = paper_request(framework, &bank);
    let borrowed: Vec<(&str, usize)> = request.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    Ok(assemble(&bank, &borrowed, source)?)
}

fn random_source() -> String {
    xinqiao_store::random_bytes::<16>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies with a dossier: the gates are checked today; a failed gate ends the assessment.
pub async fn apply(state: &AppState, actor: &Actor, user: &User, input: &DossierInput) -> Result<String, AppError> {
    apply_with_paper(state, actor, user, input, random_source()).await
}

/// [`apply`] with the source the test paper is drawn from given (the demo's is fixed, so the
/// same day seeds the same paper).
pub async fn apply_with_paper(
    state: &AppState,
    actor: &Actor,
    user: &User,
    input: &DossierInput,
    paper_source: String,
) -> Result<String, AppError> {
    if user.org_id.is_none() {
        return Err(AppError::field("candidate", "no_unit", "申请人须属于某一机构（请管理员先设置所属机构）"));
    }
    let open = state.store.assessments(Some(&user.id), None).await?;
    if open.iter().any(|a| a.status == status::IN_PROGRESS) {
        return Err(AppError::Conflict("已有一项进行中的任职资格评估".into()));
    }
    let framework = current_framework(state).await?;
    let day = today(state);
    let dossier = domain_dossier(user, input, day)?;
    let gates = evaluate_gates(&dossier, &framework.gates, day);
    let plain = serde_json::to_vec(input).map_err(|_| internal("dossier"))?;
    let new = NewAssessment {
        candidate_id: user.id.clone(),
        framework_version: framework.version.clone(),
        framework_fingerprint: framework.fingerprint(),
        dossier_sealed: state.secrets.seal(&aad(&user.id), &plain),
        checked_on: day.0,
        gates_passed: all_passed(&gates),
        paper_source: Some(paper_source),
        ..Default::default()
    };
    Ok(state.store.create_assessment(actor, new).await?)
}

/// Opens the timed test (the first opening starts the clock); returns the paper and the deadline.
pub async fn open_test(state: &AppState, actor: &Actor, row: &AssessmentRow) -> Result<(TestPaper, i64), AppError> {
    let framework = pinned_framework(state, row).await?;
    let source = row.paper_source.as_deref().ok_or_else(|| AppError::Conflict("本次评估不含笔试".into()))?;
    let paper = paper(&framework, source)?;
    if let Some(due) = row.test_due_at {
        return Ok((paper, due));
    }
    let minutes = i64::from(params(state).await?.test_minutes);
    let due = state.now_ms() + minutes * 60_000;
    state.store.start_test(actor, &row.id, due).await?;
    let row = state.store.assessment(&row.id).await?.ok_or(AppError::NotFound)?;
    Ok((paper, row.test_due_at.unwrap_or(due)))
}

/// Hands in answers (item id → option keys): refused after the deadline, scored at once.
pub async fn submit_test(
    state: &AppState,
    actor: &Actor,
    row: &AssessmentRow,
    answers: &BTreeMap<String, Vec<String>>,
) -> Result<TestResult, AppError> {
    let due = row.test_due_at.ok_or_else(|| AppError::Conflict("考试尚未开始".into()))?;
    if state.now_ms() > due + GRACE_MS {
        return Err(AppError::field("answers", "time_up", "考试时间已到，答卷不再接收"));
    }
    let framework = pinned_framework(state, row).await?;
    let paper = paper(&framework, row.paper_source.as_deref().unwrap_or_default())?;
    let result = score(&paper, answers)?;
    let json = serde_json::to_string(answers).map_err(|_| internal("answers"))?;
    let detail = serde_json::json!({"earned": result.total.earned, "possible": result.total.possible});
    state.store.submit_answers(actor, &row.id, &json, detail).await?;
    Ok(result)
}

/// The scored test, once handed in.
pub fn test_result(row: &AssessmentRow, framework: &Framework) -> Result<Option<TestResult>, AppError> {
    let (Some(source), Some(answers)) = (&row.paper_source, &row.answers) else { return Ok(None) };
    let answers: BTreeMap<String, Vec<String>> = serde_json::from_str(answers).map_err(|_| internal("answers"))?;
    Ok(Some(score(&paper(framework, source)?, &answers)?))
}

/// Draws the interview panel from the 评审员 pool, skipping anyone with a tie to the candidate.
pub async fn draw(state: &AppState, actor: &Actor, row: &AssessmentRow, source: &str) -> Result<PanelDraw, AppError> {
    let candidate = state.store.user(&row.candidate_id).await?;
    let ties = state.store.assessor_ties().await?;
    let pool: Vec<Assessor> = state
        .store
        .assessor_pool()
        .await?
        .into_iter()
        .filter(|m| m.id != candidate.id)
        .map(|m| Assessor {
            relatives: ties.iter().filter(|t| t.0 == m.id && t.2 == "relative").map(|t| t.1.clone()).collect(),
            conflicts: ties.iter().filter(|t| t.0 == m.id && t.2 != "relative").map(|t| t.1.clone()).collect(),
            unit: m.org_id.unwrap_or_default(),
            name: m.display_name,
            id: m.id,
        })
        .collect();
    let dossier = open_dossier(state, row)?;
    let mut earlier = Vec::new();
    let mut previous = row.appeal_of.clone();
    while let Some(id) = previous {
        earlier.extend(state.store.panel_members(&id).await?);
        previous = state.store.assessment(&id).await?.and_then(|a| a.appeal_of);
    }
    let source = if source.trim().is_empty() { random_source() } else { source.trim().to_owned() };
    let request = PanelRequest {
        candidate_id: candidate.id.clone(),
        candidate_unit: candidate.org_id.clone().unwrap_or_default(),
        candidate_relatives: dossier.related_assessors.clone(),
        candidate_conflicts: dossier.related_assessors,
        earlier_panel: earlier,
        size: params(state).await?.panel_size,
        source,
    };
    let drawn = draw_panel(&pool, &request)?;
    let json = serde_json::to_string(&drawn).map_err(|_| internal("panel"))?;
    state.store.set_panel(actor, &row.id, &json, &drawn.members).await?;
    Ok(drawn)
}

/// The interview criteria's codes, in framework order.
pub fn interview_criteria(framework: &Framework) -> Vec<String> {
    framework.criteria_by_method(AssessmentMethod::StructuredInterview).iter().map(|c| c.code.clone()).collect()
}

/// The criteria the organiser scores from records and work evidence.
pub fn evidence_criteria(framework: &Framework) -> Vec<String> {
    framework
        .criteria()
        .filter(|(_, c)| matches!(c.method, AssessmentMethod::RecordCheck | AssessmentMethod::WorkEvidence))
        .map(|(_, c)| c.code.clone())
        .collect()
}

/// An assessor's scores: every interview criterion, 1–5.
pub async fn submit_scores(
    state: &AppState,
    actor: &Actor,
    row: &AssessmentRow,
    scores: &BTreeMap<String, u8>,
    note: &str,
) -> Result<(), AppError> {
    let framework = pinned_framework(state, row).await?;
    let wanted = interview_criteria(&framework);
    if let Some(c) = wanted.iter().find(|c| !scores.contains_key(*c)) {
        return Err(AppError::field("scores", "missing", format!("请为指标“{}”评分", label(&framework, c))));
    }
    if let Some(c) = scores.keys().find(|c| !wanted.contains(c)) {
        return Err(AppError::field("scores", "unknown_criterion", format!("“{c}”不是面试指标")));
    }
    xinqiao_domain::qualification::check_scores(&scores.values().copied().collect::<Vec<_>>())?;
    if note.chars().count() > 2000 {
        return Err(AppError::field("note", "too_long", "评语不超过2000字"));
    }
    let json = serde_json::to_string(scores).map_err(|_| internal("scores"))?;
    let note = state.detector().await.mask(note.trim());
    Ok(state.store.submit_scores(actor, &row.id, &json, &note).await?)
}

pub fn label(framework: &Framework, code: &str) -> String {
    framework.criterion(code).map_or_else(|| code.to_owned(), |(_, c)| c.label.clone())
}

/// One organiser's evidence score.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EvidenceScore {
    pub score: u8,
    /// The evidence the score rests on.
    pub note: String,
}

pub async fn set_evidence(
    state: &AppState,
    actor: &Actor,
    row: &AssessmentRow,
    evidence: &BTreeMap<String, EvidenceScore>,
) -> Result<(), AppError> {
    let framework = pinned_framework(state, row).await?;
    let allowed = evidence_criteria(&framework);
    for (code, e) in evidence {
        if !allowed.contains(code) {
            return Err(AppError::field(
                "evidence",
                "unknown_criterion",
                format!("“{code}”不是记录核查或工作实绩指标"),
            ));
        }
        if !(1..=5).contains(&e.score) {
            return Err(AppError::field("evidence", "score_out_of_range", "评分须为 1 至 5 分"));
        }
        if e.note.trim().is_empty() || e.note.chars().count() > 1000 {
            return Err(AppError::field(
                "evidence",
                "note",
                format!("请写明“{}”评分所依据的证据（1000字以内）", label(&framework, code)),
            ));
        }
    }
    // Notes are kept masked, like every free text that may name a person.
    let detector = state.detector().await;
    let masked: BTreeMap<&String, EvidenceScore> = evidence
        .iter()
        .map(|(code, e)| (code, EvidenceScore { score: e.score, note: detector.mask(e.note.trim()) }))
        .collect();
    let json = serde_json::to_string(&masked).map_err(|_| internal("evidence"))?;
    Ok(state.store.set_evidence(actor, &row.id, &json).await?)
}

/// The panel's aggregated scores, and how many members have not submitted yet.
pub async fn panel_result(
    state: &AppState,
    row: &AssessmentRow,
    framework: &Framework,
) -> Result<(Vec<CriterionAggregate>, usize), AppError> {
    let members = state.store.panel_members(&row.id).await?;
    let submitted = state.store.panel_scores(&row.id).await?;
    let mut by_criterion: BTreeMap<String, Vec<u8>> =
        interview_criteria(framework).into_iter().map(|c| (c, Vec::new())).collect();
    for s in &submitted {
        let scores: BTreeMap<String, u8> = serde_json::from_str(&s.scores).map_err(|_| internal("scores"))?;
        for (c, v) in scores {
            by_criterion.entry(c).or_default().push(v);
        }
    }
    let missing = members.len().saturating_sub(submitted.len());
    Ok((aggregate_criteria(&by_criterion)?, if members.is_empty() { usize::MAX } else { missing }))
}

pub fn stored_evidence(row: &AssessmentRow) -> Result<BTreeMap<String, EvidenceScore>, AppError> {
    serde_json::from_str(&row.evidence).map_err(|_| internal("evidence"))
}

/// Every criterion's score so far: test (per criterion, else its dimension's test score), the
/// panel's aggregates once every member has submitted (`missing == 0`), and the organiser's
/// evidence scores.
pub fn criterion_scores(
    row: &AssessmentRow,
    framework: &Framework,
    test: Option<&TestResult>,
    panel: &[CriterionAggregate],
    missing: usize,
) -> Result<BTreeMap<String, f64>, AppError> {
    let mut scores = BTreeMap::new();
    if let Some(test) = test {
        for (d, c) in framework.criteria() {
            if matches!(c.method, AssessmentMethod::WrittenTest | AssessmentMethod::SituationalJudgement) {
                let s = test.per_criterion.get(&c.code).or_else(|| test.per_dimension.get(&d.code));
                if let Some(s) = s.filter(|s| s.possible > 0.0) {
                    scores.insert(c.code.clone(), five_point(s.fraction()));
                }
            }
        }
    }
    if missing == 0 {
        for a in panel {
            if let Some(s) = a.score {
                scores.insert(a.criterion.clone(), s);
            }
        }
    }
    for (code, e) in stored_evidence(row)? {
        scores.insert(code, f64::from(e.score));
    }
    Ok(scores)
}

/// Flagged criteria the panel has not yet discussed.
pub fn open_flags(panel: &[CriterionAggregate], row: &AssessmentRow) -> Vec<String> {
    let resolved: Vec<&str> = row.flags_resolved.split(',').collect();
    panel
        .iter()
        .filter(|a| a.flagged && !resolved.contains(&a.criterion.as_str()))
        .map(|a| a.criterion.clone())
        .collect()
}

/// The organiser records that the panel discussed flagged criteria (members may have revised
/// their scores first); the note goes to the audit trail.
pub async fn resolve_discussion(
    state: &AppState,
    actor: &Actor,
    row: &AssessmentRow,
    criteria: &[String],
    note: &str,
) -> Result<(), AppError> {
    let framework = pinned_framework(state, row).await?;
    let (panel, missing) = panel_result(state, row, &framework).await?;
    if missing != 0 {
        return Err(AppError::Conflict("评审组全部提交评分后才能讨论分歧".into()));
    }
    let flagged: Vec<String> = panel.iter().filter(|a| a.flagged).map(|a| a.criterion.clone()).collect();
    if criteria.is_empty() || criteria.iter().any(|c| !flagged.contains(c)) {
        return Err(AppError::field("criterion", "not_flagged", "请选择评分分歧达到 2 分的指标"));
    }
    let note = note.trim();
    if note.chars().count() < 5 || note.chars().count() > 2000 {
        return Err(AppError::field("note", "length", "请记录评审组讨论的结论（5至2000字）"));
    }
    let mut resolved: Vec<String> =
        row.flags_resolved.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect();
    resolved.extend(criteria.iter().cloned());
    resolved.sort();
    resolved.dedup();
    let masked = state.detector().await.mask(note);
    Ok(state.store.resolve_flags(actor, &row.id, &resolved, &masked).await?)
}

/// The decision: refused while the test, the panel or a discussion is outstanding; issues the
/// certificate when qualified.
pub async fn decide_now(
    state: &AppState,
    actor: &Actor,
    row: &AssessmentRow,
) -> Result<(Decision, Option<String>), AppError> {
    let framework = pinned_framework(state, row).await?;
    if row.paper_source.is_some() && row.answers.is_none() {
        return Err(AppError::Conflict("候选人尚未交卷".into()));
    }
    let (panel, missing) = panel_result(state, row, &framework).await?;
    if missing == usize::MAX {
        return Err(AppError::Conflict("尚未抽取评审组".into()));
    }
    if missing > 0 {
        return Err(AppError::Conflict(format!("评审组尚有 {missing} 人未提交评分")));
    }
    let flags: Vec<String> = open_flags(&panel, row).iter().map(|c| label(&framework, c)).collect();
    let gates = gates(state, row, &framework).await?;
    let test = test_result(row, &framework)?;
    let scores = criterion_scores(row, &framework, test.as_ref(), &panel, missing)?;
    let decision = decide(&framework, &gates, &scores, &flags)?;
    let p = params(state).await?;
    let day = today(state);
    let candidate = state.store.user(&row.candidate_id).await?;
    let region = match &candidate.org_id {
        Some(org) => state.store.org(org).await?.region_code,
        None => return Err(AppError::field("candidate", "no_unit", "候选人未设置所属机构，无法发证")),
    };
    let (year, _, _) = xinqiao_domain::time::civil_from_days(day.0);
    let prefix = format!("{}-{region}-{year:04}-", xinqiao_domain::qualification::certificate::NUMBER_PREFIX);
    let valid_until = xinqiao_domain::qualification::add_years(day, i64::from(p.validity_years)).0 - 1;
    let json = serde_json::to_string(&decision).map_err(|_| internal("decision"))?;
    let deadline = appeal_deadline(day, p.appeal_days);
    let number = state
        .store
        .record_decision(actor, &row.id, &json, decision.qualified, day.0, deadline.0, Some((&prefix, valid_until)))
        .await?;
    Ok((decision, number))
}

/// The candidate appeals within the deadline: a new assessment with the same record, test and
/// evidence goes to a new panel (no member of an earlier panel sits on it).
pub async fn appeal(state: &AppState, actor: &Actor, row: &AssessmentRow, reason: &str) -> Result<String, AppError> {
    if row.status != status::DECIDED {
        return Err(AppError::Conflict("只有已评定的评估才能申诉".into()));
    }
    if row.appeal_until.is_some_and(|d| today(state).0 > d) {
        return Err(AppError::field("reason", "too_late", "申诉期限已过"));
    }
    let reason = reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 2000 {
        return Err(AppError::field("reason", "length", "请写明申诉理由（5至2000字）"));
    }
    let masked = state.detector().await.mask(reason);
    let new = NewAssessment {
        candidate_id: row.candidate_id.clone(),
        framework_version: row.framework_version.clone(),
        framework_fingerprint: row.framework_fingerprint.clone(),
        dossier_sealed: row.dossier_sealed.clone(),
        checked_on: row.checked_on,
        gates_passed: row.gates_passed,
        paper_source: row.paper_source.clone(),
        answers: row.answers.clone(),
        test_submitted_at: row.test_submitted_at,
        evidence: Some(row.evidence.clone()),
        appeal_of: Some(row.id.clone()),
        appeal_reason: Some(masked),
    };
    Ok(state.store.create_assessment(actor, new).await?)
}
