//! 政策问答 on the web: officers write entries in plain language (checked as they save), a
//! supervisor other than the author publishes them, a law's new version or repeal sends every
//! entry citing it back for review, entries are linked to case replies, a weekly digest is
//! exported, the public searches and votes, and what the public asked without an answer is
//! kept for the next entries.

mod digest;
mod editor;
mod entries;
mod gap_service;
mod gaps;
pub mod in_cases;
mod law_service;
mod laws;
mod public;
mod replies;
pub(crate) mod service;
mod synonyms;

use crate::AppState;
use axum::Router;
use xinqiao_domain::knowledge::Law;

pub use crate::search::Hit;
pub use entries::seed_registry;
pub use public::HOTLINE;

pub fn router() -> Router<AppState> {
    use axum::routing::get;
    Router::new()
        .route("/knowledge", get(entries::list).post(editor::create))
        .route("/knowledge/new", get(editor::new_form))
        .route("/knowledge/{id}/edit", get(editor::edit_form).post(editor::edit))
        .merge(entries::router())
        .merge(laws::router())
        .merge(digest::router())
        .merge(replies::router())
        .merge(synonyms::router())
        .merge(gaps::router())
        .merge(public::router())
}

pub(crate) use crate::qa_rows::{law_row, laws_of, status_of, to_domain, to_store};

/// The law registry as the domain sees it, read from the store.
pub(crate) async fn registry(state: &AppState) -> Result<Vec<Law>, crate::error::AppError> {
    Ok(laws_of(&state.store.laws().await?))
}
