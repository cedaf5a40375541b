//! Cases over the API: public intake, and progress for whoever holds the tracking code and the
//! access key.

use super::ErrorBody;
use crate::AppState;
use crate::cases::intake::submit;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ClientAddr};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_store::audit::Actor;

/// The submission (every field is text, as typed; booleans for the two choices).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CaseSubmission {
    /// complaint, report, consultation, suggestion or enterprise_request.
    kind: String,
    enterprise_name: String,
    /// 统一社会信用代码 (optional; checked with its GB 32100 check character).
    uscc: String,
    /// GB/T 4754 section letter A–T.
    industry: String,
    /// GB/T 2260 six-digit code of where it happened.
    region_code: String,
    narrative: String,
    /// Yuan, e.g. "5000" or "128.50".
    amount: String,
    demand: String,
    /// YYYY-MM-DD.
    event_date: String,
    name: String,
    mobile: String,
    id_number: String,
    address: String,
    consent_publish: bool,
    also_report: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SubmittedCase {
    kind: String,
    tracking_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseReceipt {
    cases: Vec<SubmittedCase>,
    /// Shown only here; send it as `X-Access-Key` to read progress.
    access_key: String,
    /// YYYY-MM-DD by which the bureau decides whether to accept (complaints, reports).
    decision_due: Option<String>,
    /// False when the time limit has not been checked against the official text.
    decision_due_verified: Option<bool>,
}

/// Submit a complaint, report, consultation, suggestion or enterprise request. No account needed.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseSubmission,
    responses((status = 201, body = CaseReceipt), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(form): ApiJson<IntakeForm>,
) -> ApiResult<(StatusCode, Json<CaseReceipt>)> {
    let r = submit(&state, &Actor::anonymous("", &addr), &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(CaseReceipt {
            cases: r
                .cases
                .iter()
                .map(|(k, c)| SubmittedCase { kind: k.code().into(), tracking_code: c.to_string() })
                .collect(),
            access_key: r.access_key,
            decision_due: r.decision_due.map(|(d, _)| d.to_string()),
            decision_due_verified: r.decision_due.map(|(_, v)| v),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ProgressEvent {
    at_ms: i64,
    status: Option<String>,
    status_label: Option<String>,
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseProgress {
    tracking_code: String,
    kind: String,
    status: String,
    status_label: String,
    enterprise_name: String,
    bureau: Option<String>,
    events: Vec<ProgressEvent>,
}

/// Progress of a case, for the holder of its access key (header `X-Access-Key`).
#[utoipa::path(get, path = "/api/v1/cases/{code}", tag = "cases",
    params(("code" = String, Path, description = "受理编号"), ("X-Access-Key" = String, Header, description = "查询码")),
    responses((status = 200, body = CaseProgress), (status = 404, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<CaseProgress>> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (case, events) = crate::cases::public_lookup(&state, &code, key).await?.ok_or(AppError::NotFound)?;
    Ok(Json(CaseProgress {
        tracking_code: code.trim().to_owned(),
        kind: case.kind.code().into(),
        status: case.status.code().into(),
        status_label: case.status.label().into(),
        enterprise_name: case.enterprise_name,
        bureau: case.org_name,
        events: events
            .into_iter()
            .map(|e| ProgressEvent {
                at_ms: e.at_ms,
                status: e.to_status.map(|s| s.code().into()),
                status_label: e.to_status.map(|s| s.label().into()),
                note: e.note,
            })
            .collect(),
    }))
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// 1 (worst) to 5 (best).
    rating: u8,
    #[serde(default)]
    comment: String,
}

/// Rate a closed case (once), as the holder of its access key (header `X-Access-Key`).
#[utoipa::path(post, path = "/api/v1/cases/{code}/rating", tag = "cases", request_body = RatingRequest,
    params(("code" = String, Path, description = "受理编号"), ("X-Access-Key" = String, Header, description = "查询码")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RatingRequest>,
) -> ApiResult<StatusCode> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    crate::cases::public_rate(&state, &code, key, &req.rating.to_string(), &req.comment, &addr).await?;
    Ok(StatusCode::NO_CONTENT)
}
