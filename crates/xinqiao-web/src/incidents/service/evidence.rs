//! The service's evidence for publication: an officer uploads a photo or video still (the
//! original sealed, shown to staff only as a bare re-encoded copy), boxes faces, plates and
//! screens, and the published copy is made on the server from the pixels with the boxes filled.
//! The public side reads only that copy.

use super::{Officer, for_change, in_scope, invalid};
use crate::AppState;
use crate::cases::files::blob_aad;
use crate::error::AppError;
use crate::extract::UploadedFile;
use xinqiao_domain::incidents::model::one_line;
use xinqiao_domain::incidents::redaction::{self, RedactBox, RedactionError};
use xinqiao_store::incidents::{Evidence, SealedFile};

fn refused(e: RedactionError) -> AppError {
    match e {
        RedactionError::Encode => AppError::Internal(e.to_string()),
        RedactionError::BadBox { .. }
        | RedactionError::EmptyBox { .. }
        | RedactionError::OutsideImage { .. }
        | RedactionError::TooManyBoxes => AppError::field("boxes", e.code(), e.to_string()),
        _ => AppError::field("file", e.code(), e.to_string()),
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| AppError::Internal("image worker failed".into()))
}

fn sealed(state: &AppState, media: &str, bytes: &[u8]) -> SealedFile {
    let sha256 = xinqiao_store::sha256_hex(bytes);
    SealedFile {
        sealed: state.secrets.seal_bytes(&blob_aad(&sha256), bytes),
        media: media.to_owned(),
        size: bytes.len() as i64,
        sha256,
    }
}

/// Keeps a photo (JPEG or PNG) of the incident: decoded once to check it and learn its size as
/// shown, the original sealed as sent. The caption is masked like a media excerpt.
pub async fn add_evidence(
    state: &AppState,
    by: &Officer,
    id: &str,
    caption: &str,
    file: Option<UploadedFile>,
) -> Result<String, AppError> {
    let incident = for_change(state, by, id).await?;
    let caption = one_line("caption", "证据说明", caption, 200).map_err(invalid)?;
    let file = file.ok_or_else(|| AppError::field("file", "required", "请选择要上传的照片或视频截图"))?;
    let bytes = file.bytes;
    let (bytes, size) = blocking(move || {
        let d = redaction::decode(&bytes)?;
        Ok::<_, RedactionError>(((d.width(), d.height()), bytes))
    })
    .await?
    .map(|(size, bytes)| (bytes, size))
    .map_err(refused)?;
    let media = if bytes.starts_with(b"\x89PNG") { "png" } else { "jpeg" };
    let detector = state.detector().await;
    let caption = detector.mask_for(&caption, &[incident.enterprise_name.as_str()]);
    let original = sealed(state, media, &bytes);
    Ok(state.store.add_incident_evidence(&by.actor, id, &caption, &original, size).await?)
}

/// The incident's evidence, for staff of its tree.
pub async fn evidence(state: &AppState, by: &Officer, id: &str) -> Result<Vec<Evidence>, AppError> {
    in_scope(state, by, id).await?;
    Ok(state.store.incident_evidence(id).await?)
}

pub async fn evidence_item(state: &AppState, by: &Officer, id: &str, evidence: &str) -> Result<Evidence, AppError> {
    in_scope(state, by, id).await?;
    Ok(state.store.incident_evidence_item(id, evidence).await?)
}

/// The original as staff see it to draw on: its pixels re-encoded as a bare PNG (turned as shown,
/// no metadata), never the sealed file itself.
pub async fn evidence_working_copy(
    state: &AppState,
    by: &Officer,
    id: &str,
    evidence: &str,
) -> Result<Vec<u8>, AppError> {
    in_scope(state, by, id).await?;
    let item = state.store.incident_evidence_item(id, evidence).await?;
    let (_, sealed) = state.store.incident_evidence_original(id, evidence).await?;
    let bytes = state
        .secrets
        .open_bytes(&blob_aad(&item.original_sha256), &sealed)
        .ok_or_else(|| AppError::Internal("sealed evidence did not open".into()))?;
    blocking(move || redaction::redact(&bytes, &[])).await?.map_err(refused)
}

/// Makes the published copy with `boxes` (as typed: one `x,y,w,h` a line) filled and publishes
/// it on the incident's public page, replacing an earlier copy.
pub async fn redact_evidence(
    state: &AppState,
    by: &Officer,
    id: &str,
    evidence: &str,
    boxes: &str,
) -> Result<(), AppError> {
    let boxes: Vec<RedactBox> = redaction::parse_boxes(boxes).map_err(refused)?;
    redact_evidence_with(state, by, id, evidence, boxes).await
}

/// [`redact_evidence`] with the boxes already read (the API sends them as numbers).
pub async fn redact_evidence_with(
    state: &AppState,
    by: &Officer,
    id: &str,
    evidence: &str,
    boxes: Vec<RedactBox>,
) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    let item = state.store.incident_evidence_item(id, evidence).await?;
    redaction::check_boxes(&boxes, item.width, item.height).map_err(refused)?;
    let (_, sealed_original) = state.store.incident_evidence_original(id, evidence).await?;
    let bytes = state
        .secrets
        .open_bytes(&blob_aad(&item.original_sha256), &sealed_original)
        .ok_or_else(|| AppError::Internal("sealed evidence did not open".into()))?;
    let drawn = boxes.clone();
    let copy = blocking(move || redaction::redact(&bytes, &drawn)).await?.map_err(refused)?;
    let boxes_json = serde_json::to_string(&boxes).map_err(|e| AppError::Internal(e.to_string()))?;
    let copy = sealed(state, "png", &copy);
    Ok(state.store.publish_incident_evidence(&by.actor, id, evidence, &boxes_json, &copy).await?)
}

/// The published copy of a piece of evidence, for anyone: only once the incident has a public
/// page and the evidence was redacted; the original is never read here.
pub async fn published_evidence(state: &AppState, id: &str, evidence: &str) -> Result<Vec<u8>, AppError> {
    super::public_incident(state, id).await?;
    let item = state.store.incident_evidence_item(id, evidence).await?;
    let sha = item.published_sha256.ok_or(AppError::NotFound)?;
    let (_, sealed) = state.store.incident_evidence_published(id, evidence).await?;
    state
        .secrets
        .open_bytes(&blob_aad(&sha), &sealed)
        .ok_or_else(|| AppError::Internal("sealed copy did not open".into()))
}

/// The ids and captions of the published evidence, for the public page.
pub async fn published_evidence_list(state: &AppState, id: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .store
        .incident_evidence(id)
        .await?
        .into_iter()
        .filter(|e| e.published_sha256.is_some())
        .map(|e| (e.id, e.caption))
        .collect())
}
