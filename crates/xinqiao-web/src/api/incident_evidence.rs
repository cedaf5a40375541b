//! 突发事件's evidence for publication over the API, through the incidents service the pages
//! use: the incident's evidence, a photo uploaded (the original sealed), the bare working copy to
//! draw on, and the boxes that make the published copy. Another tree's incident is not found; only
//! its team and the tree's supervisors change it.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiUpload};
use crate::incidents::service::{self, Officer};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::incidents::redaction::RedactBox;
use xinqiao_store::incidents::Evidence;

/// A rectangle in pixels of the picture as shown (turned as its camera said).
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct BoxView {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    id: String,
    /// Masked like a media excerpt.
    caption: String,
    width: u32,
    height: u32,
    added_at_ms: i64,
    /// The boxes of the published copy; empty before it is published.
    boxes: Vec<BoxView>,
    /// Where the public reads the published copy; null before it is published.
    public_url: Option<String>,
    published_at_ms: Option<i64>,
}

impl EvidenceView {
    fn of(e: Evidence) -> Self {
        let boxes = e
            .boxes
            .as_deref()
            .and_then(|b| serde_json::from_str::<Vec<RedactBox>>(b).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|b| BoxView { x: b.x, y: b.y, w: b.w, h: b.h })
            .collect();
        EvidenceView {
            public_url: e.published_sha256.as_ref().map(|_| format!("/statements/{}/evidence/{}", e.incident_id, e.id)),
            published_at_ms: e.published_at,
            boxes,
            caption: e.caption,
            width: e.width,
            height: e.height,
            added_at_ms: e.added_at,
            id: e.id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

async fn officer(state: &AppState, caller: &ApiUser) -> Result<Officer, AppError> {
    Officer::of_api(state, caller).await
}

/// The incident's evidence (staff of its tree).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/evidence", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = Vec<EvidenceView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<EvidenceView>>> {
    let by = officer(&state, &caller).await?;
    Ok(Json(service::evidence(&state, &by, &id).await?.into_iter().map(EvidenceView::of).collect()))
}

/// The upload (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceForm {
    /// What the picture shows (personal data in it is masked).
    caption: String,
    /// One JPEG or PNG, as a part named `file`.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CaptionFields {
    caption: String,
}

/// Keep a photo of the incident (its team and the tree's supervisors). The original is sealed as
/// sent and never served; nothing is public until boxes are set.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/evidence", tag = "incidents", security(("bearer" = [])),
    request_body(content = EvidenceForm, content_type = "multipart/form-data"),
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiUpload(upload): ApiUpload,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let CaptionFields { caption } = upload.form.typed(&[])?;
    let id = service::add_evidence(&state, &by, &id, &caption, upload.files.into_iter().next()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The picture to draw boxes on: its pixels re-encoded as a bare PNG (no metadata), never the
/// sealed original (staff of the tree).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/evidence/{evidence}/image", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident"), ("evidence" = String, Path, description = "the evidence")),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn image(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, evidence)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let by = officer(&state, &caller).await?;
    let png = service::evidence_working_copy(&state, &by, &id, &evidence).await?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, no-store")], png).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// The regions to fill (faces, plates, screens), at most 100, each inside the picture.
    boxes: Vec<BoxView>,
}

/// Set the boxes and publish the copy made from the pixels with them filled, replacing an
/// earlier copy (its team and the tree's supervisors).
#[utoipa::path(put, path = "/api/v1/incidents/{id}/evidence/{evidence}/redaction", tag = "incidents", security(("bearer" = [])),
    request_body = Redaction,
    params(("id" = String, Path, description = "the incident"), ("evidence" = String, Path, description = "the evidence")),
    responses((status = 200, body = EvidenceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn redact(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, evidence)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<Redaction>,
) -> ApiResult<Json<EvidenceView>> {
    let by = officer(&state, &caller).await?;
    let boxes = req.boxes.iter().map(|b| RedactBox { x: b.x, y: b.y, w: b.w, h: b.h }).collect();
    service::redact_evidence_with(&state, &by, &id, &evidence, boxes).await?;
    Ok(Json(EvidenceView::of(service::evidence_item(&state, &by, &id, &evidence).await?)))
}
