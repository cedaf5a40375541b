//! The public page of 政策问答: a search box over published entries (the asker's audience moves
//! entries written for them up), each answer with its citations and dates, and "was this
//! helpful" votes. When nothing fits the question the page says so (没有找到) and offers the
//! hotline and 提交咨询 with the question filled in; the question is kept, masked, for the
//! officers (see `gaps`), as is a question whose answers the asker found unhelpful.

use super::service;
use crate::AppState;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::knowledge::{Audience, QaStatus};
use xinqiao_domain::time::format_cst;

/// The national consumer hotline offered when nothing is found.
pub use crate::text::HOTLINE;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/qa", get(search))
        .route("/qa/unhelpful", post(none_helped))
        .route("/qa/{id}", get(entry))
        .route("/qa/{id}/vote", post(vote))
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    /// Who asks: `enterprise` or `consumer` (or 企业 / 消费者).
    #[serde(default)]
    audience: String,
    /// A GB/T 4754 section letter.
    #[serde(default)]
    industry: String,
    /// Set after "这些回答都没帮助" was sent.
    #[serde(default)]
    noted: String,
}

pub(crate) use crate::text::query_value;

pub struct HitView {
    hit: crate::search::Hit,
    /// The entry's page, carrying the question (so that a "没帮助" vote can keep it).
    link: String,
}

#[derive(Template)]
#[template(path = "knowledge/public_search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    audience: String,
    industry: String,
    industries: Vec<(char, &'static str)>,
    hits: Vec<HitView>,
    error: Option<String>,
    noted: bool,
    hotline: &'static str,
    csrf: String,
    /// Before any search: every published entry by topic (its first tag).
    topics: Vec<Topic>,
}

pub struct Topic {
    name: String,
    /// (link, question).
    entries: Vec<(String, String)>,
}

/// Published entries grouped by their first tag (their topic), larger topics first; entries
/// without a tag under 其他.
fn topics_of(entries: Vec<xinqiao_store::knowledge::EntryRow>) -> Vec<Topic> {
    let mut by: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for e in entries {
        let topic = e.text.tags.split(',').map(str::trim).find(|t| !t.is_empty()).unwrap_or("其他").to_owned();
        by.entry(topic).or_default().push((format!("/qa/{}", e.id), e.text.question));
    }
    let mut topics: Vec<Topic> = by
        .into_iter()
        .map(|(name, mut entries)| {
            entries.sort_by(|a, b| a.1.cmp(&b.1));
            Topic { name, entries }
        })
        .collect();
    topics.sort_by(|a, b| b.entries.len().cmp(&a.entries.len()).then_with(|| a.name.cmp(&b.name)));
    topics
}

/// `res` with the anonymous cookie set, when a new one was made.
fn with_cookie(mut res: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = c.parse()
    {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    res
}

async fn search(
    State(state): State<AppState>,
    viewer: crate::auth::Viewer,
    Query(q): Query<SearchQuery>,
) -> PageResult<Response> {
    let (csrf, cookie) = crate::auth::anonymous_csrf(&state, &viewer, "vote");
    let text = q.q.trim().to_owned();
    let (hits, error) = match service::public_search(&state, &text, &q.audience, &q.industry).await {
        Ok(hits) => (hits, None),
        Err(e @ AppError::Validation(_)) => (Vec::new(), Some(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    // The question travels to the entry's page (for a "没帮助" vote) masked, never as typed.
    let carried = if hits.is_empty() { String::new() } else { query_value(&state.detector().await.mask(&text)) };
    let topics = if text.is_empty() && error.is_none() {
        topics_of(state.store.entries(&[QaStatus::Published], None, 500).await?)
    } else {
        Vec::new()
    };
    let page = SearchPage {
        topics,
        layout: Layout::public("政策问答", crate::pages::demo(&state)),
        hits: hits.into_iter().map(|hit| HitView { link: format!("/qa/{}?q={carried}", hit.id), hit }).collect(),
        q: q.q,
        audience: q.audience,
        industry: q.industry,
        industries: xinqiao_domain::ids::Industry::all().collect(),
        error,
        noted: !q.noted.is_empty(),
        hotline: HOTLINE,
        csrf,
    };
    Ok(with_cookie((status, render(&page)?).into_response(), cookie))
}

/// The visitor's vote forms: the question asked, for whom, and whether an answer helped.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct VoteForm {
    q: String,
    audience: String,
    helpful: String,
}

/// "这些回答都没帮助": the question is kept for the officers; the page says so.
async fn none_helped(
    State(state): State<AppState>,
    viewer: crate::auth::Viewer,
    form: crate::extract::PageForm,
) -> PageResult<Response> {
    crate::auth::check_anonymous_csrf(&state, &viewer, "vote", form.csrf())?;
    let f: VoteForm = form.typed(&[])?;
    let text = f.q.trim().to_owned();
    let audience = Audience::parse(&f.audience);
    service::none_helped(&state, &text, audience).await;
    let mut to = format!("/qa?noted=1&q={}", query_value(&text));
    if let Some(a) = audience {
        to.push_str(&format!("&audience={}", a.code()));
    }
    Ok(Redirect::to(&to).into_response())
}

#[derive(serde::Deserialize, Default)]
struct EntryQuery {
    /// The question that led here, if any.
    #[serde(default)]
    q: String,
    /// Back from a vote this visitor had already given.
    #[serde(default)]
    voted: String,
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
    asked: String,
    csrf: String,
    /// This visitor voted on the entry before: the second vote was not counted.
    voted: bool,
}

async fn entry(
    State(state): State<AppState>,
    viewer: crate::auth::Viewer,
    Path(id): Path<String>,
    Query(from): Query<EntryQuery>,
) -> PageResult<Response> {
    let (csrf, cookie) = crate::auth::anonymous_csrf(&state, &viewer, "vote");
    let service::PublishedEntry { row: e, entry: d, citations } = service::published_entry(&state, &id).await?;
    let page = EntryPage {
        layout: Layout::public("政策问答", crate::pages::demo(&state)),
        id: e.id.clone(),
        question: d.question,
        answer: d.answer,
        explanation: d.explanation,
        citations,
        published: e.published_at.map(format_cst).unwrap_or_default(),
        example: e.text.example,
        asked: from.q.trim().chars().take(xinqiao_store::qa_gaps::MAX_GAP_CHARS).collect(),
        csrf,
        voted: from.voted == "1",
    };
    Ok(with_cookie(render(&page)?.into_response(), cookie))
}

/// A vote; "没帮助" on an entry reached by a question keeps that question for the officers.
async fn vote(
    State(state): State<AppState>,
    viewer: crate::auth::Viewer,
    Path(id): Path<String>,
    form: crate::extract::PageForm,
) -> PageResult<Response> {
    crate::auth::check_anonymous_csrf(&state, &viewer, "vote", form.csrf())?;
    let f: VoteForm = form.typed(&[])?;
    let helpful = f.helpful == "1";
    // The visitor is the anonymous cookie the CSRF check just vouched for, keyed.
    let visitor = state.secrets.blind_index("qa-vote", viewer.pre.as_deref().unwrap_or_default());
    if !service::vote(&state, &id, &visitor, helpful, &f.q).await? {
        return Ok(Redirect::to(&format!("/qa/{id}?voted=1")).into_response());
    }
    Ok(Redirect::to(&format!("/qa/{id}")).into_response())
}
