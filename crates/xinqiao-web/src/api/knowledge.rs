//! 政策问答 over the API: public search of published entries, one entry with its citations, and
//! the plain-language check (说人话检查) for any draft text.

use super::ErrorBody;
use crate::AppState;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::qa_rows::{laws_of, status_of, to_domain};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::knowledge::{GapReason, QaStatus, Rules, lint};

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
    let now = state.now_ms();
    let filters =
        crate::knowledge::filters_of(q.audience.as_deref().unwrap_or(""), q.industry.as_deref().unwrap_or(""))?;
    let text = q.q.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return Ok(Json(Vec::new()));
    }
    let hits = crate::search::public_search(&state, text, &filters).await?;
    if hits.is_empty() {
        crate::knowledge::keep_quietly(&state, text, GapReason::NoMatch, filters.audience, None, now).await;
    }
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
    let e = state.store.entry(&id).await.map_err(AppError::from)?;
    if status_of(&e) != QaStatus::Published {
        return Err(AppError::NotFound.into());
    }
    let laws = laws_of(&state.store.laws().await.map_err(AppError::from)?);
    let d = to_domain(&e.id, &e.text);
    Ok(Json(QaView {
        citations: d.citations.iter().map(|c| c.label(&laws)).collect(),
        id: e.id,
        question: d.question,
        answer: d.answer,
        explanation: d.explanation,
        published_at: e.published_at,
        example: e.text.example,
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
    if req.text.chars().count() > 20_000 {
        return Err(AppError::field("text", "too_long", "文本不超过20000字").into());
    }
    let detector = state.detector().await;
    Ok(Json(
        lint(detector.jieba(), &req.text, &Rules::builtin())
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
