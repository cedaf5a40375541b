//! Files sent with a case: checked and cleaned in the domain (type sniffed from the bytes,
//! metadata stripped from images), sealed under the data key, and given back to staff only as a
//! verified image or PDF, never as anything a browser would run. An image is shown in the browser
//! only while its header gives a size a browser can hold ([`shown_inline`]); a larger one (a
//! 30000×30000 PNG would take 3.6 GB decoded) or one whose size cannot be read is a download.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::UploadedFile;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::cases::attachments::{MediaType, check_count, download_name, sanitize, shown_inline};
use xinqiao_store::cases::{Attachment, NewAttachment};

pub fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/files/{file}", get(download))
}

/// Checks, cleans and seals uploaded files; the first bad one is a 422 naming it.
pub async fn prepare(state: &AppState, files: Vec<UploadedFile>) -> Result<Vec<NewAttachment>, AppError> {
    check_count(files.len()).map_err(|e| AppError::field("attachments", e.code(), e.to_string()))?;
    let secrets = state.secrets.clone();
    tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|f| {
                let cleaned = sanitize(&f.bytes).map_err(|e| {
                    let shown: String = f.name.chars().filter(|c| !c.is_control()).take(40).collect();
                    AppError::field("attachments", e.code(), format!("附件“{shown}”：{e}"))
                })?;
                Ok(NewAttachment {
                    sealed: secrets.seal_bytes(&blob_aad(&cleaned.sha256_hex), &cleaned.bytes),
                    sha256: cleaned.sha256_hex,
                    media: cleaned.media.as_str().to_owned(),
                    size: cleaned.bytes.len() as i64,
                    name: download_name(&f.name, cleaned.media),
                })
            })
            .collect()
    })
    .await
    .map_err(|_| AppError::Internal("attachment worker failed".into()))?
}

pub(crate) fn blob_aad(sha256: &str) -> String {
    format!("blob:{sha256}")
}

/// A file as listed on a page.
pub struct FileView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub source: &'static str,
}

impl FileView {
    pub fn of(a: &Attachment) -> Self {
        let kind = MediaType::parse(&a.media).map_or("文件", |m| m.label());
        let size = if a.size >= 1024 * 1024 {
            format!("{:.1} MB", a.size as f64 / 1024.0 / 1024.0)
        } else {
            format!("{} KB", (a.size + 1023) / 1024)
        };
        let source = if a.source == "supplement" { "补充材料" } else { "提交时" };
        Self { id: a.id.clone(), name: a.name.clone(), kind, size, source }
    }
}

/// A case's file for the staff who handle it: the read is audited; images of a displayable size
/// are shown, a PDF or a huge image is downloaded; either way under its sniffed type, with
/// `nosniff` and a sandbox.
async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(String, String)>,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    let (a, sealed) = state.store.read_attachment(&staff.actor(), &case.id, &file).await?;
    let media = MediaType::parse(&a.media).ok_or_else(|| AppError::Internal("unknown stored media".into()))?;
    let bytes = state
        .secrets
        .open_bytes(&blob_aad(&a.sha256), &sealed)
        .ok_or_else(|| AppError::Internal("an attachment did not open".into()))?;
    let disposition = if shown_inline(media, &bytes) { "inline" } else { "attachment" };
    let encoded: String = a
        .name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, media.mime().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"file.{}\"; filename*=UTF-8''{encoded}", media.extension()),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
