//! 预警 over the API: the warnings of the caller's bureau tree, one warning, and a supervisor's
//! acknowledge, assign and close — through the insights service the pages use, so the same
//! refusals (role, bureau tree, input) hold at both doors.

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::insights::service::{self, WarningAct};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::calendar::Date;
use xinqiao_store::warnings::WarningRow;

/// A warning as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct WarningView {
    id: String,
    /// enterprise_spike, prepaid_spike, category_surge.
    rule: String,
    /// The rule in words.
    rule_label: String,
    /// What it is about (an enterprise and its district, or a category and a region).
    label: String,
    /// Region code of the bureau whose cases raised it.
    bureau: String,
    /// The week looked at, `YYYY-MM-DD`, both days included.
    window_from: String,
    window_to: String,
    /// In plain words: 平时每周约 0.5 件，最近一周 7 件.
    plain: String,
    observed: i64,
    /// The usual count for seven days.
    expected: String,
    p_value: String,
    /// open, acknowledged, assigned, closed.
    status: String,
    /// The officer's account id, once assigned.
    assigned_to: Option<String>,
    /// What was done (masked).
    note: String,
    /// How many cases are behind it.
    cases: usize,
}

impl WarningView {
    fn of(w: WarningRow) -> Self {
        use crate::insights::{plain_words, rule_label};
        WarningView {
            plain: plain_words(w.w.observed, &w.w.expected),
            rule_label: rule_label(&w.w.rule).to_owned(),
            window_from: Date(w.w.window_end - 6).to_string(),
            window_to: Date(w.w.window_end).to_string(),
            cases: w.w.case_ids.len(),
            id: w.id,
            rule: w.w.rule,
            label: w.w.label,
            bureau: w.w.bureau,
            observed: w.w.observed,
            expected: w.w.expected,
            p_value: w.w.p_value,
            status: w.status,
            assigned_to: w.assigned_to,
            note: w.note,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WarningsQuery {
    /// `true`: only those assigned to me and not yet closed.
    #[serde(default)]
    mine: bool,
}

/// The warnings of my bureau tree, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/warnings", tag = "insights", security(("bearer" = [])), params(WarningsQuery),
    responses((status = 200, body = Vec<WarningView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<WarningsQuery>,
) -> ApiResult<Json<Vec<WarningView>>> {
    let rows = service::warnings(&state, &Caller::Api(&caller), q.mine).await?;
    Ok(Json(rows.into_iter().map(WarningView::of).collect()))
}

/// One warning of my bureau tree (another bureau's is not found).
#[utoipa::path(get, path = "/api/v1/warnings/{id}", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "warning id")),
    responses((status = 200, body = WarningView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WarningView>> {
    Ok(Json(WarningView::of(service::warning(&state, &Caller::Api(&caller), &id).await?)))
}

/// A supervisor acknowledges, assigns (to an active officer of the tree) or closes (with a
/// note) a warning of their bureau tree.
#[utoipa::path(post, path = "/api/v1/warnings/{id}/actions", tag = "insights", security(("bearer" = [])),
    request_body = WarningAct, params(("id" = String, Path, description = "warning id")),
    responses((status = 200, body = WarningView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<WarningAct>,
) -> ApiResult<Json<WarningView>> {
    Ok(Json(WarningView::of(service::act(&state, &Caller::Api(&caller), &id, &req).await?)))
}

/// What a scan raised.
#[derive(Serialize, ToSchema)]
pub struct ScanView {
    /// New warnings in the caller's bureau tree (the scan covers every bureau; the others are
    /// not the caller's to know of).
    raised: usize,
}

/// Runs the warning scan now (supervisors), as the nightly task does.
#[utoipa::path(post, path = "/api/v1/warnings/scan", tag = "insights", security(("bearer" = [])),
    responses((status = 200, body = ScanView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn scan(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<ScanView>> {
    Ok(Json(ScanView { raised: service::scan_now(&state, &Caller::Api(&caller)).await? }))
}

/// Sets how many complaints an enterprise needs before the public statistics name it
/// (supervisors); the published tables are recomputed.
#[utoipa::path(put, path = "/api/v1/stats/minimum", tag = "insights", security(("bearer" = [])), request_body = service::MinimumInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_minimum(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<service::MinimumInput>,
) -> ApiResult<axum::http::StatusCode> {
    service::set_public_minimum(&state, &Caller::Api(&caller), input).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The complaint taxonomy (nature and subject axes) as TOML (officers and supervisors).
#[utoipa::path(get, path = "/api/v1/taxonomy", tag = "insights", security(("bearer" = [])),
    responses((status = 200, body = service::TaxonomyText), (status = 403, body = ErrorBody)))]
pub async fn get_taxonomy(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<service::TaxonomyText>> {
    Ok(Json(service::taxonomy_text(&state, &Caller::Api(&caller)).await?))
}

/// Replaces the taxonomy (supervisors); a text that does not validate is 422 and changes nothing.
#[utoipa::path(put, path = "/api/v1/taxonomy", tag = "insights", security(("bearer" = [])), request_body = service::TaxonomyText,
    responses((status = 200, body = service::TaxonomyText), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_taxonomy(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<service::TaxonomyText>,
) -> ApiResult<Json<service::TaxonomyText>> {
    let by = Caller::Api(&caller);
    service::save_taxonomy(&state, &by, &input.text).await?;
    Ok(Json(service::taxonomy_text(&state, &by).await?))
}
