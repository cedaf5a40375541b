//! A ledger line's voucher (凭证、票据 photo). The enterprise sees its own; an officer sees an
//! enterprise's only for a complaint or inspection that concerns it within the bureau tree (the
//! rule for opening the ledger), the refusal recorded. Every read is an audit entry written in the
//! store's transaction with that reference. Served under its sniffed type with `nosniff` and a
//! sandbox, under a neutral name, never cached.

use super::service::{self, Caller, Officer};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use xinqiao_domain::cases::attachments::{MediaType, shown_inline};
use xinqiao_domain::ids::Uscc;
use xinqiao_store::audit::Actor;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger/entries/{id}/voucher", get(own))
        .route("/bureau/ledgers/{uscc}/entries/{id}/voucher", get(officers))
}

/// The voucher's bytes, opened; the store records the read.
async fn open(
    state: &AppState,
    actor: &Actor,
    uscc: &Uscc,
    id: &str,
    reference: &str,
) -> Result<(MediaType, Vec<u8>), AppError> {
    let (sha256, media, sealed) = state.store.ledger_voucher(actor, uscc, id, reference).await?;
    let media = MediaType::parse(&media).ok_or_else(|| AppError::Internal("unknown stored media".into()))?;
    let bytes = state
        .secrets
        .open_bytes(&crate::cases::files::blob_aad(&sha256), &sealed)
        .ok_or_else(|| AppError::Internal("a voucher did not open".into()))?;
    Ok((media, bytes))
}

/// An enterprise's voucher for an officer, for a reference that concerns the enterprise.
pub async fn for_officer(
    state: &AppState,
    o: &Officer,
    uscc: &str,
    id: &str,
    reference: &str,
) -> Result<(MediaType, Vec<u8>), AppError> {
    let uscc = Uscc::parse(uscc)?;
    let reference = service::check_reference(state, o, &uscc, reference).await?;
    let e = state.store.ledger_enterprise(&uscc).await?.ok_or(AppError::NotFound)?;
    if !o.scope.has_org(&e.org_id) {
        return Err(AppError::NotFound);
    }
    open(state, &o.actor, &uscc, id, &reference).await
}

/// An enterprise's own voucher.
pub async fn for_keeper(state: &AppState, k: &service::Keeper, id: &str) -> Result<(MediaType, Vec<u8>), AppError> {
    open(state, &k.actor, &k.enterprise.uscc, id, "").await
}

/// The voucher as an answer: its sniffed type, `nosniff`, a sandbox, a neutral name, not cached.
pub(crate) fn answer(media: MediaType, bytes: Vec<u8>) -> Response {
    let disposition = if shown_inline(media, &bytes) { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, media.mime().to_owned()),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename=\"voucher.{}\"", media.extension())),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn own(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    let (media, bytes) = for_keeper(&state, &k, &id).await?;
    Ok(answer(media, bytes))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Reference {
    reference: String,
}

async fn officers(
    State(state): State<AppState>,
    staff: Staff,
    Path((uscc, id)): Path<(String, String)>,
    Query(q): Query<Reference>,
) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let (media, bytes) = for_officer(&state, &o, &uscc, &id, &q.reference).await?;
    Ok(answer(media, bytes))
}
