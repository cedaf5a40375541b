//! 保密资料交换 over the API: open an exchange (客户体验官, 主管), list and read those one is
//! party to, sign the 保密承诺 (a named officer), deposit images or PDFs with the enterprise's
//! commitment (企业用户), and view an image, or a PDF page by page, as its watermarked SVG
//! rendering (never the bytes deposited). The same service as the pages.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::confidential::service::{self, Detail, Party};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiUpload};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::cases::attachments::MediaType;
use xinqiao_domain::confidential::neutral_name;
use xinqiao_store::confidential::Exchange;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConfidentialExchange {
    /// The matter of the consultation, 2–60 characters.
    matter: String,
    /// The enterprise whose accounts deposit the files.
    enterprise_uscc: String,
    /// Account names of the officers who may view (1–10, of the caller's bureau tree).
    officers: Vec<String>,
    /// `YYYY-MM-DD`, after today and within 366 days: from this day nobody views and the files are destroyed.
    destroy_day: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConfidentialOfficer {
    name: String,
    /// When they signed the 保密承诺 (epoch ms); null while not.
    signed_at_ms: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ConfidentialFileInfo {
    seq: i64,
    /// The neutral name it is shown under.
    name: String,
    size: i64,
    deposited_at_ms: i64,
    deposited_by: String,
    /// The commitment the enterprise signed with it.
    commitment: String,
    destroyed: bool,
    /// A PDF's page count (view each page at `…/files/{seq}/pages/{page}`); null for an image.
    pages: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ConfidentialViewInfo {
    seq: i64,
    /// The PDF page viewed; null for an image.
    page: Option<i64>,
    viewer: String,
    username: String,
    viewed_at_ms: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ConfidentialExchange {
    id: String,
    matter: String,
    enterprise_uscc: String,
    opened_by: String,
    /// `YYYY-MM-DD`
    destroy_day: String,
    /// The destruction record: when (epoch ms) and how many files; null until destroyed.
    destroyed_at_ms: Option<i64>,
    destroyed_files: Option<i64>,
    officers: Vec<ConfidentialOfficer>,
}

#[derive(Serialize, ToSchema)]
pub struct ConfidentialDetail {
    exchange: ConfidentialExchange,
    /// enterprise | named | opener
    party: String,
    /// A named officer signed the 保密承诺.
    signed: bool,
    /// Access ended (the destruction day came).
    closed: bool,
    files: Vec<ConfidentialFileInfo>,
    /// Every view, newest first (shown to the enterprise).
    views: Vec<ConfidentialViewInfo>,
}

fn shown(x: Exchange) -> ConfidentialExchange {
    ConfidentialExchange {
        id: x.id,
        matter: x.matter,
        enterprise_uscc: x.enterprise_uscc,
        opened_by: x.opened_by_name,
        destroy_day: x.destroy_day.to_string(),
        destroyed_at_ms: x.destroyed_at,
        destroyed_files: x.destroyed_files,
        officers: x
            .officers
            .into_iter()
            .map(|o| ConfidentialOfficer { name: o.name, signed_at_ms: o.signed_at })
            .collect(),
    }
}

fn detail_view(d: Detail) -> ConfidentialDetail {
    let (party, signed) = match d.party {
        Party::Enterprise => ("enterprise", false),
        Party::Named { signed } => ("named", signed),
        Party::Opener => ("opener", false),
    };
    ConfidentialDetail {
        exchange: shown(d.exchange),
        party: party.into(),
        signed,
        closed: d.closed,
        files: d
            .files
            .into_iter()
            .map(|f| ConfidentialFileInfo {
                name: MediaType::parse(&f.media)
                    .map_or_else(|| format!("保密资料-{}", f.seq), |m| neutral_name(f.seq, m)),
                seq: f.seq,
                size: f.size,
                deposited_at_ms: f.deposited_at,
                deposited_by: f.deposited_by_name,
                commitment: f.commitment,
                destroyed: f.destroyed,
                pages: f.pages,
            })
            .collect(),
        views: d
            .views
            .into_iter()
            .map(|v| ConfidentialViewInfo {
                seq: v.file_seq,
                page: v.page,
                viewer: v.user_name,
                username: v.username,
                viewed_at_ms: v.viewed_at,
            })
            .collect(),
    }
}

async fn detail_of(state: &AppState, caller: &ApiUser, id: &str) -> ApiResult<Json<ConfidentialDetail>> {
    Ok(Json(detail_view(service::detail(state, &caller.user, &caller.actor(), id).await?)))
}

/// The exchanges the caller is party to, newest first.
#[utoipa::path(get, path = "/api/v1/confidential", tag = "confidential", security(("bearer" = [])),
    responses((status = 200, body = Vec<ConfidentialExchange>)))]
pub async fn list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<ConfidentialExchange>>> {
    Ok(Json(service::list(&state, &caller.user).await?.into_iter().map(shown).collect()))
}

/// Opens an exchange naming the officers who may view (客户体验官, 主管).
#[utoipa::path(post, path = "/api/v1/confidential", tag = "confidential", security(("bearer" = [])),
    request_body = NewConfidentialExchange,
    responses((status = 201, body = ConfidentialDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<NewConfidentialExchange>,
) -> ApiResult<(StatusCode, Json<ConfidentialDetail>)> {
    let id = service::open(
        &state,
        &caller.user,
        &caller.actor(),
        &body.matter,
        &body.enterprise_uscc,
        &body.destroy_day,
        &body.officers,
    )
    .await?;
    Ok((StatusCode::CREATED, detail_of(&state, &caller, &id).await?))
}

/// One exchange for its parties (404 for anyone else).
#[utoipa::path(get, path = "/api/v1/confidential/{id}", tag = "confidential", security(("bearer" = [])),
    params(("id" = String, Path, description = "the exchange")),
    responses((status = 200, body = ConfidentialDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ConfidentialDetail>> {
    detail_of(&state, &caller, &id).await
}

/// A named officer signs the 保密承诺 (once; 409 the second time or after the destruction day).
#[utoipa::path(post, path = "/api/v1/confidential/{id}/commitment", tag = "confidential", security(("bearer" = [])),
    params(("id" = String, Path, description = "the exchange")),
    responses((status = 200, body = ConfidentialDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn sign(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ConfidentialDetail>> {
    service::sign(&state, &caller.user, &caller.actor(), &id, true).await?;
    detail_of(&state, &caller, &id).await
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DepositForm {
    /// A JPEG or PNG image or a PDF (at most 30 pages, not encrypted, no scripts; checked by its
    /// content, not its name); up to five parts named `files`. GIF and WebP are refused.
    #[schema(value_type = String, format = Binary)]
    files: Vec<u8>,
    /// `true`: the enterprise signs its commitment that the files are what it says.
    commitment: bool,
}

/// The enterprise deposits images or PDFs, signing its commitment (企业用户 of the exchange's
/// enterprise). Each PDF is drawn once, every page, within a time budget: a malformed, encrypted,
/// too long or too complex one is refused (422) with a Chinese reason.
#[utoipa::path(post, path = "/api/v1/confidential/{id}/files", tag = "confidential", security(("bearer" = [])),
    params(("id" = String, Path, description = "the exchange")),
    request_body(content = DepositForm, content_type = "multipart/form-data"),
    responses((status = 201, body = ConfidentialDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody, headers(("Retry-After" = u64, description = "seconds")))))]
pub async fn deposit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiUpload(upload): ApiUpload,
) -> ApiResult<(StatusCode, Json<ConfidentialDetail>)> {
    let signed = upload.form.typed::<super::super::confidential::DepositFields>(&[])?.commitment;
    service::deposit(&state, &caller.user, &caller.actor(), &id, signed, upload.files).await?;
    Ok((StatusCode::CREATED, detail_of(&state, &caller, &id).await?))
}

/// A named officer who signed views image `seq`: an SVG document with the image and the viewer's
/// name, account and time tiled over it (the account and time burned into the pixels); the view
/// is recorded and shown to the enterprise. A PDF is viewed page by page (409 `pdf_by_page`).
#[utoipa::path(get, path = "/api/v1/confidential/{id}/files/{seq}", tag = "confidential", security(("bearer" = [])),
    params(("id" = String, Path, description = "the exchange"), ("seq" = i64, Path, description = "the file's number")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn view(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, seq)): ApiPath<(String, i64)>,
) -> ApiResult<Response> {
    let svg = service::view(&state, &caller.user, &caller.actor(), &id, seq, None).await?;
    Ok(crate::confidential::svg_response(svg, &seq.to_string()))
}

/// A named officer who signed views page `page` (from 1) of PDF `seq`: the page drawn to pixels
/// with the viewer's account and time burned in, inside an SVG document with the name, account
/// and time tiled over it; the view (file and page) is recorded and shown to the enterprise.
/// 404 for a page the PDF does not have or an image; 409 once destroyed or when the page cannot
/// be drawn in time; 429 while the renderers are all busy.
#[utoipa::path(get, path = "/api/v1/confidential/{id}/files/{seq}/pages/{page}", tag = "confidential",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "the exchange"), ("seq" = i64, Path, description = "the file's number"),
           ("page" = i64, Path, description = "the page, from 1")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 429, body = ErrorBody, headers(("Retry-After" = u64, description = "seconds")))))]
pub async fn view_page(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, seq, page)): ApiPath<(String, i64, i64)>,
) -> ApiResult<Response> {
    let svg = service::view(&state, &caller.user, &caller.actor(), &id, seq, Some(page)).await?;
    Ok(crate::confidential::svg_response(svg, &format!("{seq}-p{page}")))
}
