//! The assessment pages: the overview (my assessments, my panels, all of them for organisers),
//! the application form, one assessment (gates, test, panel, scoring, evidence, decision report
//! with the radar chart, appeal) and the timed test.

mod apply;
mod test;

use super::dossier;
use super::service::{self, EvidenceScore};
use super::view::{self, AssessmentView, Role};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::BTreeMap;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::qualification::{Framework, QuestionView};
use xinqiao_store::qualification::{AssessmentRow, status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/qualification", get(index))
        .route("/qualification/apply", get(apply::apply_form).post(apply::apply))
        .route("/qualification/ties", post(declare_tie))
        .route("/qualification/assessments/{id}", get(show))
        .route("/qualification/assessments/{id}/test", get(test::test_page).post(test::hand_in))
        .route("/qualification/assessments/{id}/panel", post(draw))
        .route("/qualification/assessments/{id}/scores", post(scores))
        .route("/qualification/assessments/{id}/evidence", post(evidence))
        .route("/qualification/assessments/{id}/discussion", post(discussion))
        .route("/qualification/assessments/{id}/decide", post(decide))
        .route("/qualification/assessments/{id}/appeal", post(appeal))
}

/// Officers, supervisors and 评审员 use these pages.
pub async fn guard(state: &AppState, staff: &Staff) -> Result<(), AppError> {
    if staff.can(Permission::HandleCases) || staff.can(Permission::ReviewQualifications) {
        return Ok(());
    }
    staff.require(state, Permission::ReviewQualifications, "qualification").await
}

pub fn layout(state: &AppState, staff: &Staff, title: &str) -> Layout {
    Layout::staff(title, staff.user(), staff.csrf(), "/qualification", !state.config.require_admin_totp)
}

pub struct Row {
    pub id: String,
    pub candidate: String,
    pub status: &'static str,
    pub created: String,
    pub appeal: bool,
}

fn rows(list: Vec<AssessmentRow>) -> Vec<Row> {
    list.into_iter()
        .map(|a| Row {
            status: view::status_label(&a.status),
            created: xinqiao_domain::calendar::Date::of_epoch_ms(a.created_at).to_string(),
            appeal: a.appeal_of.is_some(),
            candidate: a.candidate_name,
            id: a.id,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "qualification/index.html")]
struct IndexPage {
    layout: Layout,
    framework: Framework,
    mine: Vec<Row>,
    panels: Vec<Row>,
    all: Vec<Row>,
    can_apply: bool,
    organiser: bool,
    reviewer: bool,
    /// Candidates an assessor may declare a tie to (assessments still without a panel).
    open_candidates: Vec<(String, String)>,
    my_status: Option<&'static str>,
    message: Option<String>,
}

async fn index_page(state: &AppState, staff: &Staff, message: Option<String>) -> PageResult<Response> {
    guard(state, staff).await?;
    let user = staff.user();
    let organiser = staff.can(Permission::SuperviseCases);
    let reviewer = staff.can(Permission::ReviewQualifications);
    // Organisers and reviewers see the assessments of their own bureau tree.
    let scope = staff.scope(state).await?;
    let all_rows: Vec<_> = if organiser || reviewer {
        state
            .store
            .assessments(None, None)
            .await?
            .into_iter()
            .filter(|a| a.candidate_org.as_deref().is_some_and(|o| scope.has_org(o)))
            .collect()
    } else {
        Vec::new()
    };
    let open_candidates = all_rows
        .iter()
        .filter(|a| reviewer && a.status == status::IN_PROGRESS && a.panel.is_none() && a.candidate_id != user.id)
        .map(|a| (a.candidate_id.clone(), a.candidate_name.clone()))
        .collect();
    let page = IndexPage {
        layout: layout(state, staff, "任职资格"),
        framework: service::current_framework(state).await?,
        mine: rows(state.store.assessments(Some(&user.id), None).await?),
        panels: rows(state.store.assessments(None, Some(&user.id)).await?),
        all: if organiser { rows(all_rows) } else { Vec::new() },
        can_apply: staff.can(Permission::HandleCases),
        organiser,
        reviewer,
        open_candidates,
        my_status: state.store.roster_status(&user.id, service::today(state)).await?.map(|s| s.label()),
        message,
    };
    let status = if page.message.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

async fn index(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    index_page(&state, &staff, None).await
}

/// The text fields of the assessment's forms (the score forms are read by criterion).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct AssessmentForm {
    source: String,
    criterion: Vec<String>,
    note: String,
    reason: String,
}

/// An assessor declares a relative or a conflict of interest with a candidate before a draw.
async fn declare_tie(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ReviewQualifications, "qualification.ties").await?;
    staff.check_csrf(&form)?;
    let input: super::ties::AssessorTieInput = form.typed(&[])?;
    match super::ties::declare_assessor_tie(&state, &crate::caller::Caller::Page(&staff), input).await {
        Ok(()) => Ok(Redirect::to("/qualification").into_response()),
        Err(e @ AppError::Validation(_)) => index_page(&state, &staff, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

/// The assessment and the viewer's part in it; 404 for anyone with no part.
pub async fn load(state: &AppState, staff: &Staff, id: &str) -> Result<(AssessmentRow, Role), AppError> {
    guard(state, staff).await?;
    let row = state.store.assessment(id).await?.ok_or(AppError::NotFound)?;
    match view::role_of(state, staff.user(), &row).await? {
        Some(role) => Ok((row, role)),
        None => {
            staff.deny(state, &format!("assessment:{id}"), "not a party to the assessment").await?;
            Err(AppError::NotFound)
        }
    }
}

/// An interview criterion: code, label, and the rubric anchor of each score.
type Anchored = (String, String, Vec<(u8, String)>);

#[derive(Template)]
#[template(path = "qualification/assessment.html")]
struct AssessmentPage {
    layout: Layout,
    a: AssessmentView,
    role: Role,
    interview: Vec<Anchored>,
    evidence_criteria: Vec<(String, String, String, String)>,
    flagged: Vec<(String, String)>,
    error: Option<String>,
    today_can_appeal: bool,
}

async fn assessment_page(state: &AppState, staff: &Staff, id: &str, error: Option<AppError>) -> PageResult<Response> {
    guard(state, staff).await?;
    let (row, role) = load(state, staff, id).await?;
    let framework = service::pinned_framework(state, &row).await?;
    let a = view::build(state, staff.user(), &row, role).await?;
    let interview = service::interview_criteria(&framework)
        .into_iter()
        .filter_map(|code| {
            framework.criterion(&code).map(|(_, c)| {
                (
                    code.clone(),
                    c.label.clone(),
                    (1..=5).map(|s| (s, c.anchor(s).unwrap_or_default().to_owned())).collect(),
                )
            })
        })
        .collect();
    let evidence_criteria = service::evidence_criteria(&framework)
        .into_iter()
        .filter_map(|code| {
            let (_, c) = framework.criterion(&code)?;
            let stored = a.evidence.get(&code);
            Some((
                code.clone(),
                c.label.clone(),
                stored.map(|e| e.score.to_string()).unwrap_or_default(),
                stored.map(|e| e.note.clone()).unwrap_or_else(|| c.evidence.clone()),
            ))
        })
        .collect();
    let flagged = a.criteria.iter().filter(|c| c.flagged).map(|c| (c.code.clone(), c.label.clone())).collect();
    let today_can_appeal = role.candidate
        && row.status == status::DECIDED
        && row.appeal_until.is_some_and(|d| service::today(state).0 <= d);
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let error = error.map(|e| e.to_string());
    let page = AssessmentPage {
        layout: layout(state, staff, "任职资格评估"),
        a,
        role,
        interview,
        evidence_criteria,
        flagged,
        error,
        today_can_appeal,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    assessment_page(&state, &staff, &id, None).await
}

/// Runs a step on the assessment page: back to the page on success, the page with the error
/// (422/409) when the step was refused.
async fn step(state: &AppState, staff: &Staff, id: &str, result: Result<(), AppError>) -> PageResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => assessment_page(state, staff, id, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// The organiser (a supervisor, not the candidate) taking a step: permission, CSRF, the row.
async fn as_organiser(
    state: &AppState,
    staff: &Staff,
    id: &str,
    form: &PageForm,
    what: &str,
) -> Result<AssessmentRow, AppError> {
    staff.require(state, Permission::SuperviseCases, what).await?;
    staff.check_csrf(form)?;
    let (row, role) = load(state, staff, id).await?;
    if !role.organiser {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

/// The candidate taking a step of their own (an appeal, the test's hand-in): CSRF, the row.
async fn as_candidate(state: &AppState, staff: &Staff, id: &str, form: &PageForm) -> Result<AssessmentRow, AppError> {
    staff.check_csrf(form)?;
    let (row, role) = load(state, staff, id).await?;
    if !role.candidate {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

/// A 1–5 score field `score_{code}` of a form whose fields are named by criterion; empty is `None`.
fn score_field(form: &BTreeMap<String, String>, field: &'static str, code: &str) -> Result<Option<u8>, AppError> {
    let v = form.get(&format!("score_{code}")).map_or("", String::as_str);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<u8>().map(Some).map_err(|_| AppError::field(field, "not_a_number", "评分须为 1 至 5 的整数"))
}

async fn draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.panel").await?;
    let f: AssessmentForm = form.typed(&[])?;
    let result = service::draw(&state, &staff.actor(), &row, &f.source).await.map(|_| ());
    step(&state, &staff, &id, result).await
}

async fn scores(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::ReviewQualifications, "qualification.score").await?;
    staff.check_csrf(&form)?;
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.assessor {
        return Err(AppError::forbidden().into());
    }
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        // The fields are named by the framework's criteria: read as a map, not a fixed struct.
        let fields: BTreeMap<String, String> = form.typed(&[])?;
        let mut scores = BTreeMap::new();
        for code in service::interview_criteria(&framework) {
            if let Some(s) = score_field(&fields, "scores", &code)? {
                scores.insert(code, s);
            }
        }
        let note = fields.get("note").map_or("", String::as_str);
        service::submit_scores(&state, &staff.actor(), &row, &scores, note).await
    }
    .await;
    step(&state, &staff, &id, result).await
}

async fn evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.evidence").await?;
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        let fields: BTreeMap<String, String> = form.typed(&[])?;
        let mut evidence = BTreeMap::new();
        for code in service::evidence_criteria(&framework) {
            if let Some(score) = score_field(&fields, "evidence", &code)? {
                let note = fields.get(&format!("note_{code}")).cloned().unwrap_or_default();
                evidence.insert(code, EvidenceScore { score, note });
            }
        }
        service::set_evidence(&state, &staff.actor(), &row, &evidence).await
    }
    .await;
    step(&state, &staff, &id, result).await
}

async fn discussion(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.discussion").await?;
    let f: AssessmentForm = form.typed(&["criterion"])?;
    let result = service::resolve_discussion(&state, &staff.actor(), &row, &f.criterion, &f.note).await;
    step(&state, &staff, &id, result).await
}

async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.decide").await?;
    let result = service::decide_now(&state, &staff.actor(), &row).await.map(|_| ());
    step(&state, &staff, &id, result).await
}

async fn appeal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_candidate(&state, &staff, &id, &form).await?;
    let f: AssessmentForm = form.typed(&[])?;
    match service::appeal(&state, &staff.actor(), &row, &f.reason).await {
        Ok(new_id) => Ok(Redirect::to(&format!("/qualification/assessments/{new_id}")).into_response()),
        Err(e) => step(&state, &staff, &id, Err(e)).await,
    }
}
