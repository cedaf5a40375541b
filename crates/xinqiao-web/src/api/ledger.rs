//! 电子台账 in the JSON API: an enterprise's own ledger (lines, corrections, parties, export,
//! confirming a recall, its vouchers), and the bureau's side (an enterprise's ledger for a case or
//! inspection, batch tracing, recall and sealing lists, a complaint's batches, a voucher read for
//! a case) — all through `ledger::service` and the ledger module's functions the pages call.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, ApiUpload};
use crate::ledger::cases::{self, CaseBatches, LinkInput, Selected};
use crate::ledger::service::{
    self, BatchQuery, Caller, CorrectionInput, EntryInput, LineView, Overview, PartyInput, PartyView, RecallInput,
    RecallView,
};
use crate::ledger::trace::Trace;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// The caller's own ledger: lines with retention dates, stock with 临期/过期 alerts, parties,
/// recall lists (enterprise accounts).
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", security(("bearer" = [])),
    responses((status = 200, body = Overview), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn overview(State(state): State<AppState>, user: ApiUser) -> ApiResult<Json<Overview>> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    Ok(Json(service::overview(&state, &k).await?))
}

/// Adds a line (a GS1 string or GTIN in `code`; the product master fills name and specification).
#[utoipa::path(post, path = "/api/v1/ledger/entries", tag = "ledger", security(("bearer" = [])), request_body = EntryInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<EntryInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let id = service::add_entry(&state, &k, &input, None).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Corrects a line: a new line pointing at it, with the reason; the old one stays.
#[utoipa::path(post, path = "/api/v1/ledger/entries/{id}/correction", tag = "ledger", security(("bearer" = [])), request_body = CorrectionInput,
    params(("id" = String, Path, description = "the line corrected")),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<CorrectionInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let id = service::correct(&state, &k, &id, &input, None).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Adds a supplier or buyer (its USCC is checked).
#[utoipa::path(post, path = "/api/v1/ledger/parties", tag = "ledger", security(("bearer" = [])), request_body = PartyInput,
    responses((status = 201, body = PartyView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_party(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<PartyInput>,
) -> ApiResult<(StatusCode, Json<PartyView>)> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let p = service::add_party(&state, &k, &input).await?;
    Ok((StatusCode::CREATED, Json(PartyView::of(&p))))
}

/// Every line as CSV (UTF-8 with BOM), corrected ones included and marked.
#[utoipa::path(get, path = "/api/v1/ledger/export.csv", tag = "ledger", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn export(State(state): State<AppState>, user: ApiUser) -> ApiResult<impl IntoResponse> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let csv = service::export_csv(&state, &k).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")], csv))
}

/// A holder confirms the recalled or sealed batch is set aside.
#[utoipa::path(post, path = "/api/v1/ledger/recalls/{id}/confirm", tag = "ledger", security(("bearer" = [])),
    params(("id" = String, Path, description = "the recall or sealing list")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    service::confirm_set_aside(&state, &k, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LookQuery {
    /// The tracking code of a complaint about the enterprise, or the id of an inspection task
    /// that drew it with the officer on the team.
    reference: String,
}

/// An enterprise's ledger for an officer, for the case or inspection given (audited with it).
#[utoipa::path(get, path = "/api/v1/bureau/ledgers/{uscc}", tag = "ledger", security(("bearer" = [])),
    params(("uscc" = String, Path, description = "统一社会信用代码"), LookQuery),
    responses((status = 200, body = Vec<LineView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn bureau_ledger(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(uscc): ApiPath<String>,
    ApiQuery(q): ApiQuery<LookQuery>,
) -> ApiResult<Json<Vec<LineView>>> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    Ok(Json(service::open_ledger(&state, &o, &uscc, &q.reference).await?))
}

/// Traces a batch across the ledgers of the officer's bureau tree.
#[utoipa::path(post, path = "/api/v1/bureau/trace", tag = "ledger", security(("bearer" = [])), request_body = BatchQuery,
    responses((status = 200, body = Trace), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn trace(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(q): ApiJson<BatchQuery>,
) -> ApiResult<Json<Trace>> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    Ok(Json(service::trace(&state, &o, &q).await?))
}

/// Makes a recall or sealing list of every holder of a batch.
#[utoipa::path(post, path = "/api/v1/bureau/recalls", tag = "ledger", security(("bearer" = [])), request_body = RecallInput,
    responses((status = 201, body = RecallView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_recall(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<RecallInput>,
) -> ApiResult<(StatusCode, Json<RecallView>)> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    Ok((StatusCode::CREATED, Json(service::open_recall(&state, &o, &input).await?)))
}

/// A recall or sealing list with each holder's confirmation.
#[utoipa::path(get, path = "/api/v1/bureau/recalls/{id}", tag = "ledger", security(("bearer" = [])),
    params(("id" = String, Path, description = "the list")),
    responses((status = 200, body = RecallView), (status = 404, body = ErrorBody)))]
pub async fn recall(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<RecallView>> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    Ok(Json(service::recall(&state, &o, &id).await?))
}

/// The same list as CSV (UTF-8 with BOM).
#[utoipa::path(get, path = "/api/v1/bureau/recalls/{id}/export.csv", tag = "ledger", security(("bearer" = [])),
    params(("id" = String, Path, description = "the list")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn recall_csv(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    let r = service::recall(&state, &o, &id).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")],
        service::recall_csv(&r),
    ))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The spreadsheet: an XLSX workbook (its first worksheet) or a UTF-8 CSV, told apart by
    /// content; the first row holds the column names.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    lines: usize,
}

/// Imports a spreadsheet (XLSX or CSV): every row checked, all written or none (422 naming each
/// bad row and its column).
#[utoipa::path(post, path = "/api/v1/ledger/import", tag = "ledger", security(("bearer" = [])),
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Imported), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    ApiUpload(upload): ApiUpload,
) -> ApiResult<(StatusCode, Json<Imported>)> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let file = upload
        .files
        .into_iter()
        .next()
        .ok_or_else(|| crate::error::AppError::field("file", "required", "请附上表格文件（.xlsx 或 .csv）"))?;
    let lines = crate::ledger::import::import_file(&state, &k, file.bytes).await?;
    Ok((StatusCode::CREATED, Json(Imported { lines })))
}

/// A complaint's batches: those linked to it, and with `gtin` and `batch` one of them traced across
/// the officer's bureau tree, each ledger line set against the claimed date (the look audited with
/// the case). A case outside the tree, or a batch not linked to it, is not found.
#[utoipa::path(get, path = "/api/v1/ledger/cases/{code}/batches", tag = "ledger", security(("bearer" = [])),
    params(("code" = String, Path, description = "the case's tracking code"), Selected),
    responses((status = 200, body = CaseBatches), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case_batches(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiQuery(selected): ApiQuery<Selected>,
) -> ApiResult<Json<CaseBatches>> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    Ok(Json(cases::case_batches(&state, &o, &code, &selected).await?))
}

/// Links a batch to a complaint in the officer's bureau tree, with the date the complainant or
/// the enterprise claims for it (audited; linking the same batch again keeps the first link).
/// Answers the case's batches.
#[utoipa::path(post, path = "/api/v1/ledger/cases/{code}/batches", tag = "ledger", security(("bearer" = [])),
    params(("code" = String, Path, description = "the case's tracking code")), request_body = LinkInput,
    responses((status = 201, body = CaseBatches), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_case_batch(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<LinkInput>,
) -> ApiResult<(StatusCode, Json<CaseBatches>)> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    cases::link_batch(&state, &o, &code, &input).await?;
    let v = cases::case_batches(&state, &o, &code, &Selected::default()).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A line's voucher (凭证、票据 photo), for the enterprise that keeps the line (the read audited).
#[utoipa::path(get, path = "/api/v1/ledger/entries/{id}/voucher", tag = "ledger", security(("bearer" = [])),
    params(("id" = String, Path, description = "the ledger line")),
    responses((status = 200, description = "the voucher as stored, under its sniffed type",
            content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/gif"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn own_voucher(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::response::Response> {
    let k = service::keeper(&state, &Caller::Api(&user)).await?;
    let (media, bytes) = crate::ledger::vouchers::for_keeper(&state, &k, &id).await?;
    Ok(crate::ledger::vouchers::answer(media, bytes))
}

/// An enterprise's voucher for an officer: only for a complaint about the enterprise in the
/// officer's bureau tree or an inspection that drew it with the officer on the team (refusals
/// recorded); the read is audited with that reference.
#[utoipa::path(get, path = "/api/v1/ledger/enterprises/{uscc}/entries/{id}/voucher", tag = "ledger", security(("bearer" = [])),
    params(("uscc" = String, Path, description = "统一社会信用代码"), ("id" = String, Path, description = "the ledger line"), LookQuery),
    responses((status = 200, description = "the voucher as stored, under its sniffed type",
            content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/gif"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn officer_voucher(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((uscc, id)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<LookQuery>,
) -> ApiResult<axum::response::Response> {
    let o = service::officer(&state, &Caller::Api(&user)).await?;
    let (media, bytes) = crate::ledger::vouchers::for_officer(&state, &o, &uscc, &id, &q.reference).await?;
    Ok(crate::ledger::vouchers::answer(media, bytes))
}
