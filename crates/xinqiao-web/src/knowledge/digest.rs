//! 本周新政问答: the entries published or revised in a date range, as Markdown or HTML ready to
//! paste into an enterprise group chat. Both are rendered by templates (the HTML one escapes).

use super::service;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/knowledge/digest", get(digest))
}

#[derive(serde::Deserialize)]
struct DigestQuery {
    from: String,
    to: String,
    #[serde(default)]
    format: String,
}

pub struct Item {
    question: String,
    answer: String,
    citations: String,
}

#[derive(Template)]
#[template(path = "knowledge/digest.html")]
struct DigestHtml<'a> {
    title: &'a str,
    items: &'a [Item],
}

#[derive(Template)]
#[template(path = "knowledge/digest.md", escape = "none")]
struct DigestMd<'a> {
    title: &'a str,
    items: &'a [Item],
}

async fn digest(State(state): State<AppState>, staff: Staff, Query(q): Query<DigestQuery>) -> PageResult<Response> {
    let items: Vec<Item> = service::digest(&state, &Caller::Page(&staff), &q.from, &q.to)
        .await?
        .into_iter()
        .map(|(d, citations)| Item { citations: citations.join("；"), question: d.question, answer: d.answer })
        .collect();
    let title = format!("本周新政问答（{} 至 {}）", q.from, q.to);
    if q.format == "html" {
        let html = DigestHtml { title: &title, items: &items }.render().map_err(AppError::from)?;
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    let md = DigestMd { title: &title, items: &items }.render().map_err(AppError::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"digest.md\""),
        ],
        md,
    )
        .into_response())
}
