//! Cases over the API for the public: intake and its preview, and progress, rating, the settlement
//! answer and supplements for whoever holds the tracking code and the access key. Staff's
//! operations on a case are in `case_staff.rs`.

use super::ErrorBody;
use crate::AppState;
use crate::cases::intake::submit;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiUpload, ClientAddr};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
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
    /// True when the date runs into a year whose holiday notice is not yet published: counted on
    /// weekends and the statutory holidays only (`calendar_note` says so in words).
    decision_due_provisional: Option<bool>,
    /// For a complaint about an enterprise in ODR: YYYY-MM-DD until which it settles directly
    /// with the enterprise (先行和解) before it comes to the bureau.
    settle_until: Option<String>,
    /// True when `settle_until` is provisional (see `decision_due_provisional`).
    settle_until_provisional: Option<bool>,
    /// Why a date above is not on a verified holiday notice, in words (e.g. 暂按法定节假日计算，2027年调休安排尚未公布).
    calendar_note: Option<String>,
}

/// Submit a complaint, report, consultation, suggestion or enterprise request. No account needed.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseSubmission,
    responses((status = 201, body = CaseReceipt), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(form): ApiJson<IntakeForm>,
) -> ApiResult<(StatusCode, Json<CaseReceipt>)> {
    let r = submit(&state, &Actor::anonymous("", &addr), &form, &Default::default(), Vec::new()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CaseReceipt {
            cases: r
                .cases
                .iter()
                .map(|(k, c)| SubmittedCase { kind: k.code().into(), tracking_code: c.to_string() })
                .collect(),
            access_key: r.access_key,
            decision_due: r.decision_due.as_ref().map(|(d, _)| d.date.clone()),
            decision_due_verified: r.decision_due.as_ref().map(|(_, v)| *v),
            decision_due_provisional: r.decision_due.as_ref().map(|(d, _)| d.provisional),
            settle_until: r.settle_until.as_ref().map(|d| d.date.clone()),
            settle_until_provisional: r.settle_until.as_ref().map(|d| d.provisional),
            calendar_note: r
                .decision_due
                .as_ref()
                .and_then(|(d, _)| d.note.clone())
                .or_else(|| r.settle_until.as_ref().and_then(|d| d.note.clone())),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DoubtfulSpan {
    /// Character offsets in the narrative as sent.
    start: usize,
    end: usize,
    text: String,
    /// possible_name, long_number or possible_address.
    reason: String,
    reason_label: String,
}

#[derive(Serialize, ToSchema)]
pub struct CasePreview {
    /// True for a complaint: these texts are what the enterprise will see (after the bureau's
    /// masking review). Other kinds never go to the enterprise.
    to_enterprise: bool,
    enterprise_name: String,
    /// The narrative and demand masked exactly as they will be stored.
    narrative: String,
    demand: String,
    /// What the detector left but is unsure of: the submitter may reword these before submitting.
    doubtful: Vec<DoubtfulSpan>,
}

/// Preview a submission: validated and masked exactly as `POST /api/v1/cases` would store it,
/// storing nothing. The same service as the form's 预览.
#[utoipa::path(post, path = "/api/v1/cases/preview", tag = "cases", request_body = CaseSubmission,
    responses((status = 200, body = CasePreview), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiJson(form): ApiJson<IntakeForm>,
) -> ApiResult<Json<CasePreview>> {
    let p = crate::cases::intake::preview(&state, &form, &Default::default()).await?;
    Ok(Json(CasePreview {
        to_enterprise: p.case.kind == xinqiao_domain::cases::CaseKind::Complaint,
        enterprise_name: p.case.enterprise_name.clone(),
        narrative: p.masked.narrative,
        demand: p.masked.demand,
        doubtful: p
            .doubts
            .into_iter()
            .map(|d| DoubtfulSpan {
                start: d.start,
                end: d.end,
                text: d.text,
                reason: serde_json::to_value(d.reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                reason_label: d.reason.label().into(),
            })
            .collect(),
    }))
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
    /// YYYY-MM-DD: the last day of 先行和解, while the complaint is in it.
    settle_until: Option<String>,
    /// The enterprise's settlement proposal waiting for an answer.
    settlement_proposal: Option<String>,
    attachments: Vec<FileInfo>,
    /// The time limit the case is waiting on now (none once decided or closed).
    deadline: Option<DeadlineInfo>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineInfo {
    /// What is due: 受理决定, 核查决定, 调解.
    label: String,
    /// YYYY-MM-DD, or 暂停计时 while the clock stands still.
    date: String,
    /// False when the time limit has not been checked against the official text.
    verified: bool,
    /// True when the date runs into a year whose holiday notice is not yet published.
    provisional: bool,
    /// Why the calendar under the date is not a verified notice, in words.
    calendar_note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FileInfo {
    name: String,
    /// jpeg, png, gif, webp or pdf.
    media: String,
    size: i64,
    /// intake or supplement.
    source: String,
}

/// Progress of a case, for the holder of its access key (header `X-Access-Key`).
#[utoipa::path(get, path = "/api/v1/cases/{code}", tag = "cases",
    params(("code" = String, Path, description = "受理编号"), ("X-Access-Key" = String, Header, description = "查询码")),
    responses((status = 200, body = CaseProgress), (status = 404, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Json<CaseProgress>> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (case, events) = crate::cases::public_lookup(&state, &code, key).await?.ok_or(AppError::NotFound)?;
    let settlement_proposal = state
        .store
        .proposals(&case.id)
        .await?
        .into_iter()
        .rfind(|p| p.status == xinqiao_store::cases::ProposalStatus::Proposed)
        .map(|p| p.text);
    let attachments = state
        .store
        .attachments(&case.id)
        .await?
        .into_iter()
        .map(|a| FileInfo { name: a.name, media: a.media, size: a.size, source: a.source.code().to_owned() })
        .collect();
    let settle_until = case
        .settle_until
        .filter(|_| case.status == xinqiao_domain::cases::Status::Settling)
        .map(|d| xinqiao_domain::calendar::Date(d).to_string());
    let deadline = crate::cases::view::deadline(&state, &case).await?.map(|d| DeadlineInfo {
        label: d.label.into(),
        date: d.date,
        verified: d.verified,
        provisional: d.provisional,
        calendar_note: d.calendar_note,
    });
    Ok(Json(CaseProgress {
        deadline,
        settle_until,
        settlement_proposal,
        attachments,
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
    ApiPath(code): ApiPath<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RatingRequest>,
) -> ApiResult<StatusCode> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    crate::cases::public_rate(&state, &code, key, &req.rating.to_string(), &req.comment, &addr).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementAnswer {
    /// true to accept the enterprise's proposal, false to decline it.
    accept: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SettlementOutcome {
    /// The case's status afterwards: closed when accepted; awaiting_acceptance when a 先行和解
    /// was declined; unchanged when a proposal during mediation was declined.
    status: String,
    status_label: String,
}

/// Answer the enterprise's settlement proposal, as the holder of the access key.
#[utoipa::path(post, path = "/api/v1/cases/{code}/settlement", tag = "cases", request_body = SettlementAnswer,
    params(("code" = String, Path, description = "受理编号"), ("X-Access-Key" = String, Header, description = "查询码")),
    responses((status = 200, body = SettlementOutcome), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn settlement(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SettlementAnswer>,
) -> ApiResult<Json<SettlementOutcome>> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let status = crate::cases::public_answer_settlement(&state, &code, key, req.accept, &addr).await?;
    Ok(Json(SettlementOutcome { status: status.code().into(), status_label: status.label().into() }))
}

/// The supplement form (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SupplementForm {
    /// What the complainant adds (personal data in it is masked).
    note: String,
    /// Up to 5 files (JPG, PNG, GIF, WebP or PDF; at most 10 MB each), each as a part named
    /// `attachments`.
    #[schema(value_type = Vec<String>, format = Binary)]
    attachments: Vec<Vec<u8>>,
}

/// The supplement's text field (the files come apart).
#[derive(Default, Deserialize)]
#[serde(default)]
struct SupplementFields {
    note: String,
}

/// Send more materials (补充材料) on an open case, as the holder of the access key. A clock
/// paused for the supplement starts again.
#[utoipa::path(post, path = "/api/v1/cases/{code}/supplement", tag = "cases",
    request_body(content = SupplementForm, content_type = "multipart/form-data"),
    params(("code" = String, Path, description = "受理编号"), ("X-Access-Key" = String, Header, description = "查询码")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn supplement(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    ApiUpload(upload): ApiUpload,
) -> ApiResult<StatusCode> {
    let key = headers.get("x-access-key").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let SupplementFields { note } = upload.form.typed(&[])?;
    crate::cases::public_supplement(&state, &code, key, &note, upload.files, &addr).await?;
    Ok(StatusCode::NO_CONTENT)
}
