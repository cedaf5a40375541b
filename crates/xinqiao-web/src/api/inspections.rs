//! 双随机、一公开 as open data: every task's published document (TASK.json) and the published
//! inspection results, no account needed; and for staff, recording and publishing results (the
//! task page's service).

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::inspections::draft::{self, DrawInput};
use crate::inspections::service::{self, RecordResult, RevealInput};
use crate::inspections::verification;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::draws::{ResultCategories, Verification};

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultQuery {
    /// Part of the enterprise's name or 统一社会信用代码.
    #[serde(default)]
    q: String,
    /// At most this many (1–1000, default 200).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedResult {
    task_id: String,
    uscc: String,
    enterprise_name: String,
    /// Stable result code (see the category list in the data file).
    category: String,
    category_label: String,
    note: String,
    /// Epoch milliseconds.
    published_at: i64,
}

/// Published inspection results, newest first.
#[utoipa::path(get, path = "/api/v1/inspection-results", tag = "inspections", params(ResultQuery),
    responses((status = 200, body = Vec<PublishedResult>), (status = 422, body = ErrorBody)))]
pub async fn results(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ResultQuery>,
) -> ApiResult<Json<Vec<PublishedResult>>> {
    let categories = ResultCategories::builtin();
    let limit = super::limit(q.limit, 200)?;
    let rows = state.store.search_results(&q.q, limit).await.map_err(AppError::from)?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PublishedResult {
                category_label: categories.get(&r.category).map_or_else(|| r.category.clone(), |c| c.label.clone()),
                task_id: r.task_id,
                uscc: r.uscc,
                enterprise_name: r.name,
                category: r.category,
                note: r.note,
                published_at: r.published_at.unwrap_or_default(),
            })
            .collect(),
    ))
}

/// A draw task's published document (TASK.json): the frozen pool, parameters, exclusions and
/// sources, and once drawn the outcome; recompute it with `xinqiao draw verify`.
#[utoipa::path(get, path = "/api/v1/draws/{id}", tag = "inspections",
    params(("id" = String, Path, description = "task id")),
    responses((status = 200, description = "TASK.json", content_type = "application/json"), (status = 404, body = ErrorBody)))]
pub async fn draw(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<serde_json::Value>> {
    let (_, json) = state.store.draw_task(&id).await.map_err(AppError::from)?;
    let value = serde_json::from_str(&json).map_err(|_| AppError::Internal("stored draw document".into()))?;
    Ok(Json(value))
}

/// Record the result of a drawn target (an inspector of its team, or a 主管); refused once the
/// task's results are published. The same service as the task page's form.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/results", tag = "inspections", security(("bearer" = [])),
    request_body = RecordResult, params(("id" = String, Path, description = "task id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_result(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<RecordResult>,
) -> ApiResult<StatusCode> {
    service::record_result(&state, &Caller::Api(&caller), &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish the task's recorded results (主管).
#[utoipa::path(post, path = "/api/v1/inspections/{id}/publish", tag = "inspections", security(("bearer" = [])),
    params(("id" = String, Path, description = "task id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn publish_results(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    service::publish_results(&state, &Caller::Api(&caller), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new task and whether its commitment is confirmed (it cannot be undone).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDraw {
    task: DrawInput,
    /// Must be true: 公示并固定 freezes the pool, the exclusions and the sources for good.
    confirmed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DrawCreated {
    id: String,
}

/// Create and commit a draw task (主管): the pool and exclusions are built from the directories
/// and frozen with the announced sources; read the document with its SHA-256 at
/// `/api/v1/draws/{id}`. The same service as the /inspections/new form.
#[utoipa::path(post, path = "/api/v1/draws", tag = "inspections", security(("bearer" = [])), request_body = NewDraw,
    responses((status = 201, body = DrawCreated), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_draw(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<NewDraw>,
) -> ApiResult<(StatusCode, Json<DrawCreated>)> {
    let caller = Caller::Api(&caller);
    if !input.confirmed {
        caller.require(&state, xinqiao_domain::accounts::Permission::SuperviseCases, "inspections").await?;
        return Err(AppError::field("confirmed", "unconfirmed", "公示并固定后不能撤回：confirmed 应为 true").into());
    }
    let id = draft::create(&state, &caller, &input.task).await?;
    Ok((StatusCode::CREATED, Json(DrawCreated { id })))
}

/// Enter the announced sources' values and run the draw (主管); refused before a source has
/// published its value (409) and when the values make no key (422).
#[utoipa::path(post, path = "/api/v1/draws/{id}/reveal", tag = "inspections", security(("bearer" = [])),
    request_body = RevealInput, params(("id" = String, Path, description = "task id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reveal_draw(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<RevealInput>,
) -> ApiResult<StatusCode> {
    service::reveal_as(&state, &Caller::Api(&caller), &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A recomputation's verdict.
#[derive(Serialize, ToSchema)]
pub struct VerificationView {
    /// Whether the commitment and every published pick equal the recomputation.
    matches: bool,
    /// The verdict in words (一致：… or 不一致：… naming the first difference).
    message: String,
    /// Where the published draw and the recomputation first differ, when they do.
    difference: Option<DifferenceView>,
}

#[derive(Serialize, ToSchema)]
pub struct DifferenceView {
    /// What differs, in Chinese (“第 3 个抽中的检查对象” …).
    what: String,
    published: String,
    recomputed: String,
}

impl VerificationView {
    fn of(v: Verification) -> Self {
        let message = v.to_string();
        let difference = match v {
            Verification::Match { .. } => None,
            Verification::Mismatch(d) => {
                Some(DifferenceView { what: d.what, published: d.published, recomputed: d.recomputed })
            }
        };
        VerificationView { matches: difference.is_none(), message, difference }
    }
}

/// Recomputes a published draw from its own published inputs (anyone): the commitment, the key
/// from the announced sources, every stratum's and every inspector's picks. A task not drawn yet
/// has nothing to verify (409).
#[utoipa::path(post, path = "/api/v1/draws/{id}/verify", tag = "inspections",
    params(("id" = String, Path, description = "task id")),
    responses((status = 200, body = VerificationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn verify_draw(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<VerificationView>> {
    let checked = verification::stored(&state, &id).await?;
    Ok(Json(VerificationView::of(checked.map_err(|e| verification::refusal(&e))?)))
}

/// Recomputes a TASK.json sent as the body (anyone: a copy downloaded at 公示 still proves what was
/// promised). A document that does not parse, of another format, or without an outcome is 422 /
/// 409 with the reason.
#[utoipa::path(post, path = "/api/v1/draws/verify", tag = "inspections",
    request_body(content = Object, description = "TASK.json as published", content_type = "application/json"),
    responses((status = 200, body = VerificationView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn verify_document(ApiJson(document): ApiJson<serde_json::Value>) -> ApiResult<Json<VerificationView>> {
    let text = serde_json::to_string(&document).map_err(|_| AppError::Internal("a JSON value serialises".into()))?;
    Ok(Json(VerificationView::of(verification::pasted(&text).map_err(|e| verification::refusal(&e))?)))
}
