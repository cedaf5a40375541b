//! 任职资格 in the JSON API: the framework and its versions, applications, the timed test, the
//! panel (draw, blind scores, discussion), evidence scores, the decision and appeals — the same
//! steps as the pages, through `qualification::service`. The roster, annual reviews and ties are
//! in `qualification_roster.rs`.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath};
use crate::qualification::dossier::DossierInput;
use crate::qualification::roster::{self};
use crate::qualification::service::{self, EvidenceScore, Params};
use crate::qualification::view::{self, AssessmentView, Role};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;
use xinqiao_store::qualification::AssessmentRow;

#[derive(Serialize, ToSchema)]
pub struct FrameworkDoc {
    version: String,
    fingerprint: String,
    /// Whether the bureau has reviewed and adopted it.
    verified: bool,
    /// The canonical TOML (the format of `data/competency-framework.toml`).
    toml: String,
    /// All versions, newest first.
    versions: Vec<String>,
}

pub(super) async fn either(state: &AppState, user: &ApiUser) -> Result<(), AppError> {
    if user.can(Permission::HandleCases) || user.can(Permission::ReviewQualifications) {
        return Ok(());
    }
    user.require(state, Permission::ReviewQualifications, "qualification").await
}

/// The framework in force.
#[utoipa::path(get, path = "/api/v1/qualification/framework", tag = "qualification", security(("bearer" = [])),
    responses((status = 200, body = FrameworkDoc), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn framework(State(state): State<AppState>, user: ApiUser) -> ApiResult<Json<FrameworkDoc>> {
    either(&state, &user).await?;
    let f = service::current_framework(&state).await?;
    let versions =
        state.store.framework_versions().await.map_err(AppError::from)?.into_iter().map(|v| v.version).collect();
    Ok(Json(FrameworkDoc {
        version: f.version.clone(),
        fingerprint: f.fingerprint(),
        verified: f.verified,
        toml: f.to_toml(),
        versions,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRevision {
    /// The whole framework as TOML, with a new version string.
    toml: String,
}

/// Revises the framework: stored as a new version (supervisors).
#[utoipa::path(put, path = "/api/v1/qualification/framework", tag = "qualification", security(("bearer" = [])), request_body = FrameworkRevision,
    responses((status = 200, body = FrameworkDoc), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revise(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(req): ApiJson<FrameworkRevision>,
) -> ApiResult<Json<FrameworkDoc>> {
    user.require(&state, Permission::SuperviseCases, "qualification.framework").await?;
    service::revise_framework(&state, &user.actor(), &req.toml).await?;
    framework(State(state), user).await
}

/// The process parameters and the certificate requirement, as one flat object (the fields of
/// `Params` spelled out, so the schema closes over exactly what is sent and read).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamsDoc {
    /// Minutes allowed for the written test.
    test_minutes: u32,
    /// Assessors on a panel (at least 3).
    panel_size: usize,
    /// Days after a decision within which the candidate may appeal.
    appeal_days: u32,
    /// Years a certificate is valid.
    validity_years: u32,
    /// Only officers with a valid certificate are offered new cases.
    require_certificate: bool,
}

impl ParamsDoc {
    fn of(p: Params, require_certificate: bool) -> Self {
        Self {
            test_minutes: p.test_minutes,
            panel_size: p.panel_size,
            appeal_days: p.appeal_days,
            validity_years: p.validity_years,
            require_certificate,
        }
    }

    fn params(&self) -> Params {
        Params {
            test_minutes: self.test_minutes,
            panel_size: self.panel_size,
            appeal_days: self.appeal_days,
            validity_years: self.validity_years,
        }
    }
}

/// The process parameters (test minutes, panel size, appeal days, certificate validity).
#[utoipa::path(get, path = "/api/v1/qualification/params", tag = "qualification", security(("bearer" = [])),
    responses((status = 200, body = ParamsDoc), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn params(State(state): State<AppState>, user: ApiUser) -> ApiResult<Json<ParamsDoc>> {
    either(&state, &user).await?;
    let require =
        state.store.setting::<bool>(xinqiao_store::certificates::REQUIRE_CERTIFICATE).await.map_err(AppError::from)?;
    Ok(Json(ParamsDoc::of(service::params(&state).await?, require.unwrap_or(true))))
}

/// Sets the process parameters (supervisors).
#[utoipa::path(put, path = "/api/v1/qualification/params", tag = "qualification", security(("bearer" = [])), request_body = ParamsDoc,
    responses((status = 200, body = ParamsDoc), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_params(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(req): ApiJson<ParamsDoc>,
) -> ApiResult<Json<ParamsDoc>> {
    user.require(&state, Permission::SuperviseCases, "qualification.params").await?;
    roster::put_params(&state, &user.actor(), &req.params(), req.require_certificate).await?;
    Ok(Json(req))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub(super) id: String,
}

/// Applies for an assessment with one's dossier; the gates are checked at once (201 either way;
/// the assessment's status says whether it continues).
#[utoipa::path(post, path = "/api/v1/qualification/assessments", tag = "qualification", security(("bearer" = [])), request_body = DossierInput,
    responses((status = 201, body = AssessmentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<DossierInput>,
) -> ApiResult<(StatusCode, Json<AssessmentView>)> {
    user.require(&state, Permission::HandleCases, "qualification.apply").await?;
    let id = service::apply(&state, &user.actor(), &user.user, &input).await?;
    let (row, role) = load(&state, &user, &id).await?;
    Ok((StatusCode::CREATED, Json(view::build(&state, &user.user, &row, role).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentSummary {
    id: String,
    candidate_id: String,
    candidate_name: String,
    status: String,
    created_at: i64,
    appeal_of: Option<String>,
}

/// Assessments the caller has a part in: their own, those on their panels, and all of them for
/// supervisors.
#[utoipa::path(get, path = "/api/v1/qualification/assessments", tag = "qualification", security(("bearer" = [])),
    responses((status = 200, body = Vec<AssessmentSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> ApiResult<Json<Vec<AssessmentSummary>>> {
    either(&state, &user).await?;
    let id = &user.user.id;
    let mut rows = state.store.assessments(Some(id), None).await.map_err(AppError::from)?;
    rows.extend(state.store.assessments(None, Some(id)).await.map_err(AppError::from)?);
    if user.can(Permission::SuperviseCases) {
        let scope = crate::scope::Scope::of_org(&state, user.user.org_id.as_deref()).await?;
        let mine = id.clone();
        rows = state
            .store
            .assessments(None, None)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .filter(|a| a.candidate_id == mine || a.candidate_org.as_deref().is_some_and(|o| scope.has_org(o)))
            .collect();
    }
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    rows.dedup_by(|a, b| a.id == b.id);
    Ok(Json(
        rows.into_iter()
            .map(|r| AssessmentSummary {
                id: r.id,
                candidate_id: r.candidate_id,
                candidate_name: r.candidate_name,
                status: r.status,
                created_at: r.created_at,
                appeal_of: r.appeal_of,
            })
            .collect(),
    ))
}

async fn load(state: &AppState, user: &ApiUser, id: &str) -> Result<(AssessmentRow, Role), AppError> {
    either(state, user).await?;
    let row = state.store.assessment(id).await?.ok_or(AppError::NotFound)?;
    view::role_of(state, &user.user, &row).await?.map(|role| (row, role)).ok_or(AppError::NotFound)
}

/// One assessment as the caller may see it (panel scores stay blind until all are in).
#[utoipa::path(get, path = "/api/v1/qualification/assessments/{id}", tag = "qualification", security(("bearer" = [])),
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, body = AssessmentView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AssessmentView>> {
    let (row, role) = load(&state, &user, &id).await?;
    Ok(Json(view::build(&state, &user.user, &row, role).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Question {
    id: String,
    /// single_choice | multiple_choice | situational_judgement
    kind: String,
    points: u32,
    stem: String,
    /// (key, text)
    options: Vec<(String, String)>,
}

#[derive(Serialize, ToSchema)]
pub struct TestDoc {
    /// Epoch milliseconds; answers after it are refused.
    due_at: i64,
    questions: Vec<Question>,
}

/// The candidate's test paper; the first request starts the clock.
#[utoipa::path(get, path = "/api/v1/qualification/assessments/{id}/test", tag = "qualification", security(("bearer" = [])),
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, body = TestDoc), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn test(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<TestDoc>> {
    let (row, role) = load(&state, &user, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    if row.answers.is_some() {
        return Err(AppError::Conflict("答卷已提交".into()).into());
    }
    let (paper, due_at) = service::open_test(&state, &user.actor(), &row).await?;
    let questions = paper
        .questions()
        .into_iter()
        .map(|q| Question { id: q.id, kind: q.kind.code().into(), points: q.points, stem: q.stem, options: q.options })
        .collect();
    Ok(Json(TestDoc { due_at, questions }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Item id → chosen option keys.
    answers: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct TestScore {
    earned: f64,
    possible: f64,
}

/// Hands the answers in (once, before the deadline); scored at once.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/test", tag = "qualification", security(("bearer" = [])), request_body = Answers,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, body = TestScore), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn hand_in(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<Answers>,
) -> ApiResult<Json<TestScore>> {
    let (row, role) = load(&state, &user, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    let result = service::submit_test(&state, &user.actor(), &row, &req.answers).await?;
    Ok(Json(TestScore { earned: result.total.earned, possible: result.total.possible }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// The randomness source announced beforehand; empty: generated and recorded.
    #[serde(default)]
    source: String,
}

async fn organiser(state: &AppState, user: &ApiUser, id: &str, what: &str) -> Result<AssessmentRow, AppError> {
    user.require(state, Permission::SuperviseCases, what).await?;
    let (row, role) = load(state, user, id).await?;
    if !role.organiser {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

/// Draws the interview panel (supervisors): the recorded draw, with exclusions and their reasons.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/panel", tag = "qualification", security(("bearer" = [])), request_body = DrawRequest,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, description = "the recorded draw", content_type = "application/json"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn draw(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<DrawRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let row = organiser(&state, &user, &id, "qualification.panel").await?;
    let drawn = service::draw(&state, &user.actor(), &row, &req.source).await?;
    Ok(Json(serde_json::to_value(drawn).map_err(|_| AppError::Internal("panel".into()))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresRequest {
    /// Interview criterion code → 1–5.
    scores: BTreeMap<String, u8>,
    #[serde(default)]
    note: String,
}

/// A panel member's scores (all interview criteria); a later call revises them.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/scores", tag = "qualification", security(("bearer" = [])), request_body = ScoresRequest,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 204, description = "recorded"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn scores(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ScoresRequest>,
) -> ApiResult<StatusCode> {
    user.require(&state, Permission::ReviewQualifications, "qualification.score").await?;
    let (row, role) = load(&state, &user, &id).await?;
    if !role.assessor {
        return Err(AppError::forbidden().into());
    }
    service::submit_scores(&state, &user.actor(), &row, &req.scores, &req.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRequest {
    /// Record-check and work-evidence criterion code → score and the evidence it rests on.
    evidence: BTreeMap<String, EvidenceScore>,
}

/// The organiser's scores of record-check and work-evidence criteria (replaced whole).
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/evidence", tag = "qualification", security(("bearer" = [])), request_body = EvidenceRequest,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 204, description = "recorded"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn evidence(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<EvidenceRequest>,
) -> ApiResult<StatusCode> {
    let row = organiser(&state, &user, &id, "qualification.evidence").await?;
    service::set_evidence(&state, &user.actor(), &row, &req.evidence).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscussionRequest {
    /// Flagged criterion codes the panel discussed.
    criteria: Vec<String>,
    note: String,
}

/// Records the panel's discussion of flagged criteria.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/discussion", tag = "qualification", security(("bearer" = [])), request_body = DiscussionRequest,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 204, description = "recorded"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn discussion(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<DiscussionRequest>,
) -> ApiResult<StatusCode> {
    let row = organiser(&state, &user, &id, "qualification.discussion").await?;
    service::resolve_discussion(&state, &user.actor(), &row, &req.criteria, &req.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decides (supervisors): 合格 issues the certificate. Refused while the test, a panel score or a
/// discussion is outstanding.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/decide", tag = "qualification", security(("bearer" = [])),
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 200, body = AssessmentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AssessmentView>> {
    let row = organiser(&state, &user, &id, "qualification.decide").await?;
    service::decide_now(&state, &user.actor(), &row).await?;
    let (row, role) = load(&state, &user, &id).await?;
    Ok(Json(view::build(&state, &user.user, &row, role).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    reason: String,
}

/// The candidate appeals within the deadline; a new assessment goes to a new panel.
#[utoipa::path(post, path = "/api/v1/qualification/assessments/{id}/appeal", tag = "qualification", security(("bearer" = [])), request_body = AppealRequest,
    params(("id" = String, Path, description = "assessment id")),
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn appeal(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<AppealRequest>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let (row, role) = load(&state, &user, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    let id = service::appeal(&state, &user.actor(), &row, &req.reason).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
