//! The public page of 政策问答: a search box over published entries, each answer with its
//! citations and dates, and "was this helpful" votes.

use super::{laws_of, status_of, to_domain};
use crate::AppState;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::knowledge::QaStatus;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/qa", get(search)).route("/qa/{id}", get(entry)).route("/qa/{id}/vote", post(vote))
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    /// `enterprise` or `consumer`.
    #[serde(default)]
    audience: String,
    /// A GB/T 4754 section letter.
    #[serde(default)]
    industry: String,
}

/// The page's filters as the search takes them (unknown values are ignored).
pub(crate) fn filters_of(audience: &str, industry: &str) -> crate::search::PublicFilters {
    crate::search::PublicFilters {
        audience: xinqiao_domain::knowledge::Audience::parse(audience),
        industry: xinqiao_domain::ids::Industry::parse(industry).ok(),
        since_ms: None,
    }
}

#[derive(Template)]
#[template(path = "knowledge/public_search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    audience: String,
    industry: String,
    industries: Vec<(char, &'static str)>,
    hits: Vec<super::entries::Hit>,
}

async fn search(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> PageResult<Response> {
    let filters = filters_of(&q.audience, &q.industry);
    let hits = if q.q.trim().is_empty() {
        Vec::new()
    } else {
        crate::search::public_search(&state, q.q.trim(), &filters).await?
    };
    let page = SearchPage {
        layout: Layout::public("政策问答", false),
        q: q.q,
        audience: q.audience,
        industry: q.industry,
        industries: xinqiao_domain::ids::Industry::all().collect(),
        hits,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "knowledge/public_entry.html")]
struct EntryPage {
    layout: Layout,
    id: String,
    question: String,
    answer: String,
    explanation: String,
    citations: Vec<String>,
    published: String,
    example: bool,
}

async fn entry(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    let e = state.store.entry(&id).await?;
    if status_of(&e) != QaStatus::Published {
        return Err(AppError::NotFound.into());
    }
    let laws = laws_of(&state.store.laws().await?);
    let d = to_domain(&e.id, &e.text);
    let page = EntryPage {
        layout: Layout::public("政策问答", false),
        id: e.id.clone(),
        question: d.question.clone(),
        answer: d.answer.clone(),
        explanation: d.explanation.clone(),
        citations: d.citations.iter().map(|c| c.label(&laws)).collect(),
        published: e.published_at.map(format_cst).unwrap_or_default(),
        example: e.text.example,
    };
    Ok(render(&page)?.into_response())
}

async fn vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: crate::extract::PageForm,
) -> PageResult<Response> {
    state.store.vote_entry(&id, form.get("helpful") == "1").await?;
    Ok(Redirect::to(&format!("/qa/{id}")).into_response())
}
