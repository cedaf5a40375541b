//! 政策问答 over the API: public search of published entries, one entry with its citations, the
//! plain-language check (说人话检查) for any draft text, and the staff's drafts, versions and
//! lifecycle — each through the knowledge service the pages use.

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::knowledge::service::{self, ActInput, EntryInput};
use crate::qa_rows::status_of;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QaSearch {
    /// The question in everyday words (empty: nothing is searched).
    q: Option<String>,
    /// Who asks: `enterprise` or `consumer` (企业 / 消费者 also accepted). Entries written for
    /// them come first; the others stay. Any other value is refused (422, `unknown_audience`).
    audience: Option<String>,
    /// A GB/T 4754 section letter, A to T: only entries for that industry (or for all). Any other
    /// value is refused (422, `unknown_industry`).
    industry: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QaSearchHit {
    id: String,
    question: String,
    /// A passage of the answer; the highlighted parts are the matches.
    snippet: Vec<SnippetPart>,
}

#[derive(Serialize, ToSchema)]
pub struct SnippetPart {
    text: String,
    highlighted: bool,
}

/// Search published Q&A entries. No account needed. An empty list means that no entry fits the
/// question well enough (没有找到): the question is then kept, masked and without anything that
/// identifies the asker, for the officers who write new entries; the public page offers the
/// 12315 hotline and 提交咨询 instead.
#[utoipa::path(get, path = "/api/v1/qa", tag = "knowledge", params(QaSearch),
    responses((status = 200, body = Vec<QaSearchHit>), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<QaSearch>,
) -> ApiResult<Json<Vec<QaSearchHit>>> {
    let (text, audience, industry) =
        (q.q.as_deref().unwrap_or(""), q.audience.as_deref().unwrap_or(""), q.industry.as_deref().unwrap_or(""));
    let hits = service::public_search(&state, text, audience, industry).await?;
    Ok(Json(
        hits.into_iter()
            .map(|h| QaSearchHit {
                id: h.id,
                question: h.title,
                snippet: h.snippet.into_iter().map(|(text, highlighted)| SnippetPart { text, highlighted }).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct QaView {
    id: String,
    question: String,
    answer: String,
    explanation: String,
    /// Readable citations, e.g. 《中华人民共和国消费者权益保护法》第二十五条（2013年版）.
    citations: Vec<String>,
    /// Epoch milliseconds.
    published_at: Option<i64>,
    /// Drafted example content awaiting legal review.
    example: bool,
}

/// One published entry.
#[utoipa::path(get, path = "/api/v1/qa/{id}", tag = "knowledge", params(("id" = String, Path, description = "entry id")),
    responses((status = 200, body = QaView), (status = 404, body = ErrorBody)))]
pub async fn entry(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> ApiResult<Json<QaView>> {
    let service::PublishedEntry { row, entry: d, citations } = service::published_entry(&state, &id).await?;
    Ok(Json(QaView {
        citations,
        id: row.id,
        question: d.question,
        answer: d.answer,
        explanation: d.explanation,
        published_at: row.published_at,
        example: row.text.example,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LintRequest {
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct LintFinding {
    /// long_sentence, jargon, stacked_nouns, no_action, long_answer.
    kind: String,
    /// Character offsets, end exclusive.
    start: usize,
    end: usize,
    message: String,
    suggestion: Option<String>,
}

/// The plain-language check of a text: advice with positions; it never blocks anything.
#[utoipa::path(post, path = "/api/v1/qa/lint", tag = "knowledge", request_body = LintRequest,
    responses((status = 200, body = Vec<LintFinding>), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LintRequest>,
) -> ApiResult<Json<Vec<LintFinding>>> {
    Ok(Json(
        service::lint_text(&state, &req.text)
            .await?
            .into_iter()
            .map(|f| LintFinding {
                kind: f.kind.code().into(),
                start: f.start,
                end: f.end,
                message: f.message,
                suggestion: f.suggestion,
            })
            .collect(),
    ))
}

/// An entry's place in its lifecycle, as the staff's operations answer it.
#[derive(Serialize, ToSchema)]
pub struct EntryState {
    id: String,
    /// draft, review, published, stale, retired.
    status: String,
    /// The version now stored (send it back when revising).
    version: i64,
}

async fn entry_state(state: &AppState, id: &str) -> Result<EntryState, AppError> {
    let row = state.store.entry(id).await?;
    Ok(EntryState { status: status_of(&row).code().into(), version: row.version, id: row.id })
}

/// Write a new entry as a draft (officers and supervisors), the same checks as the editor.
#[utoipa::path(post, path = "/api/v1/qa/entries", tag = "knowledge", security(("bearer" = [])), request_body = EntryInput,
    responses((status = 201, body = EntryState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_entry(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<EntryInput>,
) -> ApiResult<(StatusCode, Json<EntryState>)> {
    let id = service::create_entry(&state, &Caller::Api(&caller), &req).await?;
    Ok((StatusCode::CREATED, Json(entry_state(&state, &id).await?)))
}

/// A new version of an entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseEntry {
    /// The version the change was made on; a newer one stored meanwhile is a 409. Absent: the
    /// current version.
    #[serde(default)]
    version: Option<i64>,
    entry: EntryInput,
}

/// Save a new version of an entry (officers and supervisors). A published or 待复核 entry goes
/// back to 草稿; a retired one cannot be changed (409).
#[utoipa::path(put, path = "/api/v1/qa/entries/{id}", tag = "knowledge", security(("bearer" = [])), request_body = ReviseEntry,
    params(("id" = String, Path, description = "entry id")),
    responses((status = 200, body = EntryState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revise_entry(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ReviseEntry>,
) -> ApiResult<Json<EntryState>> {
    service::revise_entry(&state, &Caller::Api(&caller), &id, req.version, &req.entry).await?;
    Ok(Json(entry_state(&state, &id).await?))
}

/// Move an entry through its lifecycle: `submit` (for review), `approve` (publish: a supervisor
/// other than the author), `reject`, `retire` (supervisors).
#[utoipa::path(post, path = "/api/v1/qa/entries/{id}/actions", tag = "knowledge", security(("bearer" = [])), request_body = ActInput,
    params(("id" = String, Path, description = "entry id")),
    responses((status = 200, body = EntryState), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ActInput>,
) -> ApiResult<Json<EntryState>> {
    service::act(&state, &Caller::Api(&caller), &id, &req).await?;
    Ok(Json(entry_state(&state, &id).await?))
}
