//! 政策问答's keeping over the API, through the knowledge service the pages use: the law registry
//! and a law's new version or repeal (`/laws`), the search's synonym groups and everyday-words
//! vocabulary (`/knowledge/synonyms`), and the questions the public asked without an answer,
//! grouped, with a draft started from a group (`/knowledge/gaps`).

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::knowledge::service::{self, GapDraftInput, LawChangeInput, SynonymsInput, VocabularyInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct LawOut {
    /// Stable slug that citations use, e.g. `consumer-rights-law`.
    id: String,
    name: String,
    /// 制定机关.
    issuer: String,
    /// 文号; empty where not known for sure.
    doc_number: String,
    /// Whether name, number and dates were checked against the official text; an unverified law
    /// is shown as such.
    verified: bool,
    /// Where the record comes from.
    source: String,
    /// Oldest first.
    versions: Vec<LawVersionOut>,
}

#[derive(Serialize, ToSchema)]
pub struct LawVersionOut {
    id: String,
    /// `YYYY-MM-DD`; null where the date is not known for sure (never guessed).
    effective: Option<String>,
    /// current, amended, repealed …
    status: String,
    /// The status in words (现行有效 …).
    status_label: String,
}

/// The law registry with every version (officers and supervisors, those who write entries).
#[utoipa::path(get, path = "/api/v1/laws", tag = "knowledge", security(("bearer" = [])),
    responses((status = 200, body = Vec<LawOut>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn laws(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<LawOut>>> {
    let laws = service::laws(&state, &Caller::Api(&caller)).await?;
    Ok(Json(
        laws.into_iter()
            .map(|l| LawOut {
                versions: l
                    .versions
                    .iter()
                    .map(|v| LawVersionOut {
                        id: v.id.clone(),
                        effective: v.effective.map(|d| d.to_string()),
                        status: v.status.code().into(),
                        status_label: v.status.label().into(),
                    })
                    .collect(),
                id: l.id,
                name: l.name,
                issuer: l.issuer,
                doc_number: l.doc_number,
                verified: l.verified,
                source: l.source,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LawChange {
    /// The new version's name, e.g. `2027修正` (required unless `status` is `repealed`).
    #[serde(default)]
    version: String,
    /// When it takes effect, `YYYY-MM-DD`; empty where not known.
    #[serde(default)]
    effective: String,
    /// `current` (a new version in force, the default) or `repealed`.
    #[serde(default)]
    status: String,
}

#[derive(Serialize, ToSchema)]
pub struct LawChanged {
    /// What was recorded and how many entries went back to 待复核, in words.
    message: String,
}

/// Record a law's new version or its repeal (supervisors). Every 待审 or 已发布 entry citing an
/// older version becomes 待复核 and appears on its author's list.
#[utoipa::path(post, path = "/api/v1/laws/{id}/versions", tag = "knowledge", security(("bearer" = [])), request_body = LawChange,
    params(("id" = String, Path, description = "the law's id")),
    responses((status = 200, body = LawChanged), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_law(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<LawChange>,
) -> ApiResult<Json<LawChanged>> {
    let input = LawChangeInput { version: req.version, effective: req.effective, status: req.status };
    let message = service::change_law(&state, &Caller::Api(&caller), &id, &input).await?;
    Ok(Json(LawChanged { message }))
}

/// The search's word lists, one rule a line, exactly as the page edits them.
#[derive(Serialize, ToSchema)]
pub struct SearchWords {
    /// Synonym groups, one group a line, words separated by spaces or commas.
    synonyms: String,
    /// Everyday words → the words entries use, one rule a line (开胶 → 质量问题).
    vocabulary: String,
}

/// The synonym groups and the everyday-words vocabulary in force (supervisors).
#[utoipa::path(get, path = "/api/v1/qa/words", tag = "knowledge", security(("bearer" = [])),
    responses((status = 200, body = SearchWords), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn words(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<SearchWords>> {
    let w = service::search_words(&state, &Caller::Api(&caller)).await?;
    Ok(Json(SearchWords { synonyms: w.synonyms, vocabulary: w.vocabulary }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WordLines {
    /// The whole list, one rule a line (it replaces the list in force).
    lines: String,
}

/// Replace the synonym groups (supervisors). The list is checked whole first (a bad line is
/// refused with its line number, 422, nothing saved), then kept as a setting every node
/// follows, effective at once on this one. Answers both lists now in force.
#[utoipa::path(put, path = "/api/v1/qa/words/synonyms", tag = "knowledge", security(("bearer" = [])), request_body = WordLines,
    responses((status = 200, body = SearchWords), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn put_synonyms(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<WordLines>,
) -> ApiResult<Json<SearchWords>> {
    let caller = Caller::Api(&caller);
    service::save_synonyms(&state, &caller, &SynonymsInput { lines: req.lines }).await?;
    let w = service::search_words(&state, &caller).await?;
    Ok(Json(SearchWords { synonyms: w.synonyms, vocabulary: w.vocabulary }))
}

/// Replace the everyday-words vocabulary (supervisors), checked and kept like the synonyms.
#[utoipa::path(put, path = "/api/v1/qa/words/vocabulary", tag = "knowledge", security(("bearer" = [])), request_body = WordLines,
    responses((status = 200, body = SearchWords), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn put_vocabulary(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<WordLines>,
) -> ApiResult<Json<SearchWords>> {
    let caller = Caller::Api(&caller);
    service::save_vocabulary(&state, &caller, &VocabularyInput { vocabulary: req.lines }).await?;
    let w = service::search_words(&state, &caller).await?;
    Ok(Json(SearchWords { synonyms: w.synonyms, vocabulary: w.vocabulary }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GapsQuery {
    /// Weeks up to this one, 1–52 (default 8).
    weeks: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct GapsOut {
    /// The Mondays of the weeks covered (`YYYY-MM-DD`), oldest first.
    weeks: Vec<String>,
    /// Questions kept in those weeks.
    questions: usize,
    /// Groups of similar wording, the most asked first.
    groups: Vec<GapGroupOut>,
}

#[derive(Serialize, ToSchema)]
pub struct GapGroupOut {
    /// The wording asked most often (public text: personal data dropped whole).
    example: String,
    words: Vec<String>,
    /// The questions' ids (send them back to start a draft).
    ids: Vec<String>,
    /// Questions per week, in the order of `weeks`.
    counts: Vec<usize>,
    total: usize,
    /// Searches that found nothing.
    no_match: usize,
    /// Answers the asker said did not help.
    unhelpful: usize,
    /// `enterprise`, `consumer`, or null when nobody said.
    audience: Option<String>,
    /// The draft entry already started from the group.
    drafted: Option<String>,
}

/// The questions the public asked without an answer, grouped by similar wording and counted per
/// week (supervisors). Never who asked or from where.
#[utoipa::path(get, path = "/api/v1/qa/gaps", tag = "knowledge", security(("bearer" = [])), params(GapsQuery),
    responses((status = 200, body = GapsOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn gaps(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<GapsQuery>,
) -> ApiResult<Json<GapsOut>> {
    let report = service::gaps_report(&state, &Caller::Api(&caller), q.weeks.unwrap_or(service::DEFAULT_WEEKS)).await?;
    let groups = report
        .groups
        .iter()
        .map(|g| GapGroupOut {
            counts: report.counts(g),
            example: g.example.clone(),
            words: g.words.clone(),
            ids: g.ids.clone(),
            total: g.total,
            no_match: g.no_match,
            unhelpful: g.unhelpful,
            audience: g.audience.map(|a| a.code().to_owned()),
            drafted: g.drafted.clone(),
        })
        .collect();
    Ok(Json(GapsOut {
        weeks: report.mondays.iter().map(ToString::to_string).collect(),
        questions: report.questions,
        groups,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GapDraft {
    /// The group's wording (it passes the public-text check again).
    question: String,
    /// The group's question ids.
    #[serde(default)]
    ids: Vec<String>,
    /// `enterprise` or `consumer` (default).
    #[serde(default)]
    audience: String,
    /// The group's key words (the first five become the draft's tags).
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftStarted {
    /// The new draft entry (edit it with `PUT /api/v1/qa/entries/{id}`).
    id: String,
}

/// Start a draft entry from a group of unanswered questions (supervisors); the group then shows
/// it as drafted.
#[utoipa::path(post, path = "/api/v1/qa/gaps/drafts", tag = "knowledge", security(("bearer" = [])), request_body = GapDraft,
    responses((status = 201, body = DraftStarted), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn draft_from_gaps(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<GapDraft>,
) -> ApiResult<(StatusCode, Json<DraftStarted>)> {
    let input = GapDraftInput {
        question: req.question,
        ids: req.ids.join(","),
        audience: req.audience,
        words: req.words.join("、"),
    };
    let id = service::draft_from_gaps(&state, &Caller::Api(&caller), &input).await?;
    Ok((StatusCode::CREATED, Json(DraftStarted { id })))
}
