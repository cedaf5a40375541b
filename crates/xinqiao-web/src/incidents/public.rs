//! The public side of an incident, without sign-in: one page per incident with its published
//! statements as a timestamped timeline (corrections beside the earlier text, with the reason),
//! its Atom feed, and the redacted copies of its published evidence.

use super::service::{self, PublicEntry};
use crate::AppState;
use crate::error::PageResult;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statements/{id}", get(page))
        .route("/statements/{id}/feed.atom", get(feed))
        .route("/statements/{id}/evidence/{e}", get(evidence))
}

#[derive(Template)]
#[template(path = "incidents/public.html")]
struct PublicPage {
    layout: Layout,
    id: String,
    title: String,
    enterprise_name: String,
    entries: Vec<PublicEntry>,
    /// Published evidence: id and caption.
    evidence: Vec<(String, String)>,
}

async fn page(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    let p = service::public_incident(&state, &id).await?;
    let evidence = service::published_evidence_list(&state, &id).await?;
    Ok(render(&PublicPage {
        evidence,
        layout: Layout::public("情况通报", false),
        id: p.id,
        title: p.title,
        enterprise_name: p.enterprise_name,
        entries: p.entries,
    })?)
}

async fn feed(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    let xml = service::feed(&state, &id).await?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

/// A published evidence picture: the redacted copy only (the sealed original has no public route).
async fn evidence(State(state): State<AppState>, Path((id, e)): Path<(String, String)>) -> PageResult<Response> {
    let png = service::published_evidence(&state, &id, &e).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}
