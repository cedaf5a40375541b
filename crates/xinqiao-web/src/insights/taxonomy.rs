//! 问题分类: supervisors edit the taxonomy (TOML, validated, kept as a setting every node reads);
//! officers confirm or correct a case's suggested category on the case page, and the model that
//! suggests categories learns from the correction.

use super::classify::ClassifyInput;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::insights::Axis;

pub fn router() -> Router<AppState> {
    Router::new().route("/insights/taxonomy", get(page).post(save)).route("/cases/{id}/classify", post(classify))
}

#[derive(Template)]
#[template(path = "insights/taxonomy.html")]
struct Page {
    layout: Layout,
    text: String,
    natures: Vec<(String, String, usize)>,
    subjects: Vec<(String, String, usize)>,
    verified: bool,
    source: String,
    can_edit: bool,
    error: Option<String>,
}

async fn view(
    state: &AppState,
    staff: &Staff,
    text: Option<String>,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let t = state.taxonomy().await?;
    let rows = |axis| t.entries(axis).iter().map(|e| (e.code.clone(), e.label.clone(), e.keywords.len())).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("问题分类", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp)
            .with_notice(notice),
        text: text.unwrap_or_else(|| t.to_toml()),
        natures: rows(Axis::Nature),
        subjects: rows(Axis::Subject),
        verified: t.verified,
        source: t.source.clone(),
        can_edit: super::service::may_manage(&Caller::Page(staff)),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    super::service::require_taxonomy_reader(&state, &Caller::Page(&staff)).await?;
    view(&state, &staff, None, None, None).await
}

/// The taxonomy editor's text (TOML).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct TaxonomyForm {
    text: String,
}

/// A supervisor saves an edited taxonomy; a text that does not validate is shown again with the
/// reason, and nothing changes.
async fn save(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let TaxonomyForm { text } = form.typed(&[])?;
    match super::service::save_taxonomy(&state, &Caller::Page(&staff), &text).await {
        Ok(()) => view(&state, &staff, None, Some("问题分类已保存。".into()), None).await,
        Err(e @ AppError::Validation(_)) => view(&state, &staff, Some(text), None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

/// An officer confirms or corrects the category of a case they handle.
async fn classify(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let input: ClassifyInput = form.typed(&[])?;
    super::classify::classify(&state, &Caller::Page(&staff), &id, input).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}
