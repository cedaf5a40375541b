//! 检索同义词与口语词: supervisors edit the synonym groups of search and the everyday-words
//! vocabulary of the Q&A search (开胶 → 质量问题 …, and other departments' words); each is kept as
//! a setting every node follows, effective at once on this one.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageResult;
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;

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

async fn synonyms_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    crate::search::sync(&state).await?;
    synonyms_view(&state, &staff, Shown::default()).await
}

/// Supervisors edit the synonym groups; they are kept as a setting (every node reads them) and
/// take effect at once on this node.
async fn save_synonyms(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    staff.check_csrf(&form)?;
    let lines = form.get("lines").to_owned();
    match xinqiao_search::Synonyms::from_lines(&lines) {
        Ok(parsed) => {
            state.store.put_setting(&staff.actor(), crate::search::SYNONYMS_KEY, &parsed.groups()).await?;
            state.search_index().await?.set_synonyms(parsed);
            synonyms_view(&state, &staff, Shown { notice: Some("同义词已保存。".into()), ..Shown::default() }).await
        }
        Err(e) => {
            let shown = Shown { lines: Some(lines), error: Some(e.to_string()), ..Shown::default() };
            synonyms_view(&state, &staff, shown).await
        }
    }
}

/// Supervisors edit the everyday-words vocabulary of the Q&A search, kept like the synonyms.
async fn save_vocabulary(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    staff.check_csrf(&form)?;
    let lines = form.get("vocabulary").to_owned();
    match xinqiao_search::Vocabulary::from_lines(&lines) {
        Ok(parsed) => {
            let stored = crate::search::StoredVocabulary::of(&parsed);
            state.store.put_setting(&staff.actor(), crate::search::VOCABULARY_KEY, &stored).await?;
            state.search_index().await?.set_vocabulary(parsed);
            synonyms_view(&state, &staff, Shown { notice: Some("口语词表已保存。".into()), ..Shown::default() }).await
        }
        Err(e) => {
            let shown = Shown { vocabulary: Some(lines), vocabulary_error: Some(e.to_string()), ..Shown::default() };
            synonyms_view(&state, &staff, shown).await
        }
    }
}
