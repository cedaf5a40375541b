//! 检索同义词: supervisors edit the synonym groups of search; kept as a setting every node
//! follows, effective at once on this one.

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
use axum::routing::get;
use xinqiao_domain::accounts::Permission;

pub fn router() -> Router<AppState> {
    Router::new().route("/knowledge/synonyms", get(synonyms_page).post(save_synonyms))
}

#[derive(Template)]
#[template(path = "knowledge/synonyms.html")]
struct SynonymsPage {
    layout: Layout,
    lines: String,
    error: Option<String>,
}

async fn synonyms_view(
    state: &AppState,
    staff: &Staff,
    lines: String,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SynonymsPage {
        layout: Layout::staff("检索同义词", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp)
            .with_notice(notice),
        lines,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn synonyms_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    let index = state.search_index().await?;
    synonyms_view(&state, &staff, index.synonyms().to_lines(), None, None).await
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
            state.search_index().await?.set_synonyms(parsed.clone());
            synonyms_view(&state, &staff, parsed.to_lines(), Some("同义词已保存。".into()), None).await
        }
        Err(e) => synonyms_view(&state, &staff, lines, None, Some(e.to_string())).await,
    }
}
