//! 检索同义词与口语词: supervisors edit the synonym groups of search and the everyday-words
//! vocabulary of the Q&A search (开胶 → 质量问题 …, and other departments' words); each is kept as
//! a setting every node follows, effective at once on this one. An officer who opens the page
//! is told who keeps these lists and how to ask for a word (403), not given a bare error.

use super::service;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/knowledge/synonyms", get(synonyms_page).post(save_synonyms))
        .route("/knowledge/vocabulary", post(save_vocabulary))
}

#[derive(Template)]
#[template(path = "knowledge/synonyms.html")]
struct SynonymsPage {
    layout: Layout,
    lines: String,
    error: Option<String>,
    vocabulary: String,
    vocabulary_error: Option<String>,
}

/// What the page shows: the two lists (as stored, or as typed when refused) and the messages.
#[derive(Default)]
struct Shown {
    lines: Option<String>,
    vocabulary: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    vocabulary_error: Option<String>,
}

async fn synonyms_view(state: &AppState, staff: &Staff, shown: Shown) -> PageResult<Response> {
    let failed = shown.error.is_some() || shown.vocabulary_error.is_some();
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let index = state.search_index().await?;
    let page = SynonymsPage {
        layout: Layout::staff(
            "检索同义词与口语词",
            staff.user(),
            staff.csrf(),
            "/knowledge",
            !state.config.require_admin_totp,
        )
        .with_notice(shown.notice),
        lines: shown.lines.unwrap_or_else(|| index.synonyms().to_lines()),
        error: shown.error,
        vocabulary: shown.vocabulary.unwrap_or_else(|| index.vocabulary().to_lines()),
        vocabulary_error: shown.vocabulary_error,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "knowledge/synonyms_forbidden.html")]
struct ForbiddenPage {
    layout: Layout,
}

/// What an officer who may not keep the vocabulary sees instead of a bare error: what they
/// cannot do here, who can, what they can do instead, and the way back (403).
fn forbidden(state: &AppState, staff: &Staff) -> PageResult<Response> {
    let layout =
        Layout::staff("检索同义词与口语词", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp);
    Ok((StatusCode::FORBIDDEN, render(&ForbiddenPage { layout })?).into_response())
}

/// The service's answer as a page: a refusal of the roles is the explanation page, bad input the
/// lists again with the message beside the list, success the lists with the notice.
async fn answer(
    state: &AppState,
    staff: &Staff,
    result: Result<(), AppError>,
    saved: &str,
    typed: impl FnOnce(String) -> Shown,
) -> PageResult<Response> {
    match result {
        Ok(()) => synonyms_view(state, staff, Shown { notice: Some(saved.into()), ..Shown::default() }).await,
        Err(AppError::Forbidden(_)) => forbidden(state, staff),
        Err(e @ AppError::Validation(_)) => synonyms_view(state, staff, typed(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

async fn synonyms_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    match service::search_words(&state, &Caller::Page(&staff)).await {
        Ok(words) => {
            let shown = Shown { lines: Some(words.synonyms), vocabulary: Some(words.vocabulary), ..Shown::default() };
            synonyms_view(&state, &staff, shown).await
        }
        Err(AppError::Forbidden(_)) => forbidden(&state, &staff),
        Err(e) => Err(e.into()),
    }
}

/// Supervisors edit the synonym groups; they are kept as a setting (every node reads them) and
/// take effect at once on this node.
async fn save_synonyms(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::SynonymsInput = form.typed(&[])?;
    let result = service::save_synonyms(&state, &Caller::Page(&staff), &input).await;
    let lines = input.lines;
    answer(&state, &staff, result, "同义词已保存。", |error| Shown {
        lines: Some(lines),
        error: Some(error),
        ..Shown::default()
    })
    .await
}

/// Supervisors edit the everyday-words vocabulary of the Q&A search, kept like the synonyms.
async fn save_vocabulary(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::VocabularyInput = form.typed(&[])?;
    let result = service::save_vocabulary(&state, &Caller::Page(&staff), &input).await;
    let lines = input.vocabulary;
    answer(&state, &staff, result, "口语词表已保存。", |error| Shown {
        vocabulary: Some(lines),
        vocabulary_error: Some(error),
        ..Shown::default()
    })
    .await
}
