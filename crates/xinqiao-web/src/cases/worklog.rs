//! 工作日志 for officers, and notes on a case: what was solved today, what the parties said, what
//! was learned. Personal data in the text is masked before it is stored.

use crate::AppState;
use crate::auth::Staff;
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
use xinqiao_domain::calendar::Date;

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
    let entries = state
        .store
        .work_logs(&staff.user().id, 200)
        .await?
        .into_iter()
        .map(|e| Entry { day: Date(e.day).to_string(), solved: e.solved, party_said: e.party_said, learned: e.learned })
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
    staff.require(&state, Permission::HandleCases, "worklog").await?;
    view(&state, &staff, None).await
}

/// A day's work log: what was solved, what the parties said, what was learned.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkLogForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    solved: String,
    #[serde(default)]
    party_said: String,
    #[serde(default)]
    learned: String,
}

/// An internal note's text.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteForm {
    #[serde(default)]
    text: String,
}

async fn add(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "worklog").await?;
    staff.check_csrf(&form)?;
    let today = state.today();
    let input: WorkLogForm = form.typed(&[])?;
    let day = match Date::parse(&input.day) {
        Some(d) if d <= today => d,
        _ => return view(&state, &staff, Some("日期应为今天或之前的 YYYY-MM-DD".into())).await,
    };
    let texts = [input.solved, input.party_said, input.learned].map(|t| t.trim().to_owned());
    if texts.iter().all(|t| t.is_empty()) || texts.iter().any(|t| t.chars().count() > 2000) {
        return view(&state, &staff, Some("请至少填写一项，每项不超过2000字".into())).await;
    }
    let detector = state.detector().await;
    let [solved, said, learned] = texts.map(|t| detector.mask(&t));
    state.store.add_work_log(&staff.actor(), day.0, &solved, &said, &learned).await?;
    Ok(Redirect::to("/worklog").into_response())
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
    let NoteForm { text } = form.typed(&[])?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(AppError::field("text", "length", "记录应为1至2000字").into());
    }
    let masked = state.detector().await.mask(text);
    state.store.add_case_note(&staff.actor(), &case.id, "case.note", &masked, false).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}
