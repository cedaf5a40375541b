//! Cases over the API for staff (the case page's services): the actions on a case and the closure
//! review, the 政策问答 links and drafts, a tie's override and a recusal, the clock's pause and
//! resume, the masking review and its setting, and the classification.

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::cases::handling;
use crate::cases::service::{self, ActInput, Acted, ClosureReviewInput};
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;

#[derive(Serialize, ToSchema)]
pub struct ActionOutcome {
    /// The case's status afterwards (unchanged while a closure waits for review).
    status: String,
    status_label: String,
    /// True when the 办结 went to a supervisor for review (审核办结) instead of closing the case.
    awaiting_review: bool,
}

/// Take an action on a case of the caller's bureau tree (客户体验官, 主管), by its 受理编号. The
/// same service as the case page's action forms: only what the workflow allows now; with the
/// bureau's closure review on, an officer's 办结 waits for a supervisor.
#[utoipa::path(post, path = "/api/v1/cases/{code}/actions", tag = "cases", security(("bearer" = [])),
    request_body = ActInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 200, body = ActionOutcome), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ActInput>,
) -> ApiResult<Json<ActionOutcome>> {
    let caller = Caller::Api(&caller);
    let case = service::case_by_code(&state, &caller, &code).await?;
    let (status, awaiting_review) = match service::act(&state, &caller, &case, &input).await? {
        Acted::Done(s) => (s, false),
        Acted::AwaitingReview => (case.status, true),
        Acted::ConfirmFirst => {
            return Err(AppError::field(
                "confirmed",
                "unconfirmed",
                "不能撤回的操作须确认：confirmed 应为 \"1\"，或不传",
            )
            .into());
        }
    };
    Ok(Json(ActionOutcome { status: status.code().into(), status_label: status.label().into(), awaiting_review }))
}

/// Approve or return an officer's closure waiting for review (主管 of the case's bureau tree,
/// not the officer who asked).
#[utoipa::path(post, path = "/api/v1/cases/{code}/closure-review", tag = "cases", security(("bearer" = [])),
    request_body = ClosureReviewInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 200, body = ActionOutcome), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn closure_review(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ClosureReviewInput>,
) -> ApiResult<Json<ActionOutcome>> {
    let caller = Caller::Api(&caller);
    let case = service::case_by_code(&state, &caller, &code).await?;
    let status = service::review_closure(&state, &caller, &case, &input).await?;
    Ok(Json(ActionOutcome {
        status: status.code().into(),
        status_label: status.label().into(),
        awaiting_review: false,
    }))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureReviewSetting {
    /// True: an officer's 办结 waits for a supervisor's approval (审核办结).
    required: bool,
}

/// Whether officers' closures wait for a supervisor (审核办结; off unless turned on).
#[utoipa::path(get, path = "/api/v1/cases/closure-review-setting", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = ClosureReviewSetting), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_closure_setting(
    State(state): State<AppState>,
    caller: ApiUser,
) -> ApiResult<Json<ClosureReviewSetting>> {
    Caller::Api(&caller).require(&state, Permission::HandleCases, "settings:closure_review").await?;
    Ok(Json(ClosureReviewSetting { required: service::closure_review_on(&state).await? }))
}

/// Turn the closure review on or off (主管).
#[utoipa::path(put, path = "/api/v1/cases/closure-review-setting", tag = "cases", security(("bearer" = [])),
    request_body = ClosureReviewSetting,
    responses((status = 200, body = ClosureReviewSetting), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_closure_setting(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<ClosureReviewSetting>,
) -> ApiResult<Json<ClosureReviewSetting>> {
    service::set_closure_review(&state, &Caller::Api(&caller), req.required).await?;
    Ok(Json(req))
}

/// Record that the reply on a case used a published 政策问答 entry (客户体验官, 主管 of the case's
/// bureau tree, without a tie to its parties); the public tracking page then shows its question.
#[utoipa::path(post, path = "/api/v1/cases/{code}/qa-links", tag = "cases", security(("bearer" = [])),
    request_body = crate::knowledge::in_cases::CiteInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cite_qa(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<crate::knowledge::in_cases::CiteInput>,
) -> ApiResult<StatusCode> {
    let caller = Caller::Api(&caller);
    let case = service::case_by_code(&state, &caller, &code).await?;
    crate::knowledge::in_cases::cite_in_case(&state, &caller, &case, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The id of a new Q&A draft.
#[derive(Serialize, ToSchema)]
pub struct DraftCreated {
    id: String,
}

/// Turn a case into a 政策问答 draft: its public account as the question, the last public answer
/// as the answer (personal data dropped whole). The draft is then edited and reviewed as usual.
#[utoipa::path(post, path = "/api/v1/cases/{code}/qa-draft", tag = "cases", security(("bearer" = [])),
    params(("code" = String, Path, description = "受理编号")),
    responses((status = 201, body = DraftCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn qa_draft(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<DraftCreated>)> {
    let caller = Caller::Api(&caller);
    let case = service::case_by_code(&state, &caller, &code).await?;
    let id = crate::knowledge::in_cases::draft_from_case(&state, &caller, &case).await?;
    Ok((StatusCode::CREATED, Json(DraftCreated { id })))
}

/// The id of the case with this 受理编号 (dashes as people write them allowed); the service
/// then decides whether the caller may see it.
pub(super) async fn case_id(state: &AppState, code: &str) -> Result<String, AppError> {
    let code: String = code.chars().filter(|c| *c != '-').collect();
    Ok(state.store.case_by_tracking_code(code.trim()).await?.id)
}

/// A supervisor lets an officer barred by a declared tie handle the case, with a written reason
/// (stored masked).
#[utoipa::path(post, path = "/api/v1/cases/{code}/tie-override", tag = "cases", security(("bearer" = [])),
    request_body = handling::TieOverrideInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tie_override(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<handling::TieOverrideInput>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    handling::grant_tie_override(&state, &Caller::Api(&caller), &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The assigned officer steps aside with a reason; the case goes to the next officer free of
/// ties, or waits for a supervisor.
#[utoipa::path(post, path = "/api/v1/cases/{code}/recusal", tag = "cases", security(("bearer" = [])),
    request_body = handling::RecusalInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recuse(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<handling::RecusalInput>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    handling::recuse(&state, &Caller::Api(&caller), &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops the case's clock (检测鉴定, waiting for a supplement).
#[utoipa::path(post, path = "/api/v1/cases/{code}/pause", tag = "cases", security(("bearer" = [])),
    request_body = handling::PauseInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pause(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<handling::PauseInput>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    handling::pause(&state, &Caller::Api(&caller), &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts the case's clock again.
#[utoipa::path(post, path = "/api/v1/cases/{code}/resume", tag = "cases", security(("bearer" = [])),
    params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn resume(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    handling::resume(&state, &Caller::Api(&caller), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The officer's review of what is masked in a complaint before the enterprise sees it.
#[utoipa::path(post, path = "/api/v1/cases/{code}/privacy-review", tag = "cases", security(("bearer" = [])),
    request_body = handling::PrivacyReviewInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn privacy_review(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<handling::PrivacyReviewInput>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    handling::review_privacy(&state, &Caller::Api(&caller), &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewSetting {
    required: bool,
}

/// Turns the review before the enterprise sees a complaint on or off (主管).
#[utoipa::path(put, path = "/api/v1/cases/privacy-review-setting", tag = "cases", security(("bearer" = [])),
    request_body = ReviewSetting,
    responses((status = 200, body = ReviewSetting), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn privacy_review_setting(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<ReviewSetting>,
) -> ApiResult<Json<ReviewSetting>> {
    handling::set_privacy_review(&state, &Caller::Api(&caller), input.required).await?;
    Ok(Json(input))
}

/// Confirms or corrects a case's 问题分类 from the bureau's taxonomy (the suggestion model then
/// learns from it).
#[utoipa::path(post, path = "/api/v1/cases/{code}/classification", tag = "cases", security(("bearer" = [])),
    request_body = crate::insights::classify::ClassifyInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn classify(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<crate::insights::classify::ClassifyInput>,
) -> ApiResult<StatusCode> {
    let id = case_id(&state, &code).await?;
    crate::insights::classify::classify(&state, &Caller::Api(&caller), &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
