//! 法规库: the registry of laws with their versions, and recording a new version or a repeal,
//! which sends every 待审 or 已发布 entry citing an older version back to 待复核.

use super::service;
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
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new().route("/laws", get(laws_page)).route("/laws/{id}/versions", post(change_law))
}

pub struct LawView {
    id: String,
    name: String,
    issuer: String,
    doc_number: String,
    verified: bool,
    versions: String,
}

#[derive(Template)]
#[template(path = "knowledge/laws.html")]
struct LawsPage {
    layout: Layout,
    laws: Vec<LawView>,
    can_change: bool,
    error: Option<String>,
}

async fn laws_view(
    state: &AppState,
    staff: &Staff,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let laws = service::laws(state, &Caller::Page(staff))
        .await?
        .into_iter()
        .map(|l| LawView {
            versions: l
                .versions
                .iter()
                .map(|v| {
                    let date = v.effective.map(|d| d.to_string()).unwrap_or_else(|| "日期未核实".into());
                    format!("{}（{}，{}）", v.id, v.status.label(), date)
                })
                .collect::<Vec<_>>()
                .join("；"),
            id: l.id,
            name: l.name,
            issuer: l.issuer,
            doc_number: l.doc_number,
            verified: l.verified,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = LawsPage {
        layout: Layout::staff("法规库", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp)
            .with_notice(notice),
        laws,
        can_change: service::may_supervise(&Caller::Page(staff)),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn laws_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    laws_view(&state, &staff, None, None).await
}

/// A law's new version or repeal: every 待审 or 已发布 entry citing an older version becomes
/// 待复核 and appears on its author's list.
async fn change_law(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::LawChangeInput = form.typed(&[])?;
    match service::change_law(&state, &Caller::Page(&staff), &id, &input).await {
        Ok(notice) => laws_view(&state, &staff, Some(notice), None).await,
        Err(e @ AppError::Validation(_)) => laws_view(&state, &staff, None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}
