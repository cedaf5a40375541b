//! 本周新政问答: the entries published or revised in a date range, as Markdown or HTML ready to
//! paste into an enterprise group chat. Both are rendered by templates (the HTML one escapes).

use super::{registry, to_domain};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::accounts::Permission;

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
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let parse = xinqiao_domain::time::parse_cst_date;
    let (Some(from), Some(to)) = (parse(&q.from), parse(&q.to)) else {
        return Err(AppError::field("from", "date", "请填写起止日期（YYYY-MM-DD）").into());
    };
    let laws = registry(&state).await?;
    let items: Vec<Item> = state
        .store
        .published_between(from, to + 86_400_000)
        .await?
        .iter()
        .map(|e| {
            let d = to_domain(&e.id, &e.text);
            Item {
                citations: d.citations.iter().map(|c| c.label(&laws)).collect::<Vec<_>>().join("；"),
                question: d.question,
                answer: d.answer,
            }
        })
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
