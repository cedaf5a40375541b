//! The pages of 工作日志 for officers, and the form for notes on a case: what was solved today,
//! what the parties said, what was learned. The desk service (`desk.rs`) decides and masks.

use super::desk::{self, NoteInput, WorkLogInput};
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
use xinqiao_domain::accounts::Permission;

pub fn router() -> Router<AppState> {
    Router::new().route("/worklog", get(show).post(add)).route("/cases/{id}/note", post(note))
}

pub struct Entry {
    day: String,
    solved: String,
    party_said: String,
    learned: String,
}

#[derive(Template)]
#[template(path = "cases/worklog.html")]
struct Page {
    layout: Layout,
    today: String,
    entries: Vec<Entry>,
    error: Option<String>,
}

async fn view(state: &AppState, staff: &Staff, error: Option<String>) -> PageResult<Response> {
    let entries = desk::work_logs(state, &Caller::Page(staff))
        .await?
        .into_iter()
        .map(|e| Entry { day: e.day, solved: e.solved, party_said: e.party_said, learned: e.learned })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("工作日志", staff.user(), staff.csrf(), "/worklog", !state.config.require_admin_totp),
        today: state.today().to_string(),
        entries,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    view(&state, &staff, None).await
}

async fn add(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    // Who may not keep a log is refused before the form is read (the service checks again).
    staff.require(&state, Permission::HandleCases, "worklog").await?;
    staff.check_csrf(&form)?;
    match desk::add_work_log(&state, &Caller::Page(&staff), form.typed::<WorkLogInput>(&[])?).await {
        Ok(()) => Ok(Redirect::to("/worklog").into_response()),
        Err(e @ AppError::Validation(_)) => view(&state, &staff, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

/// An internal note on a case (masked).
async fn note(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    desk::add_note(&state, &Caller::Page(&staff), &case, form.typed::<NoteInput>(&[])?).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}
