//! 回避申报: an officer declares the industries they work in and their ties to enterprises or
//! people (a person is stored only as a blind index of a mobile or ID number). Declared ties
//! keep the officer off those parties' cases. The pages adapt the one service (`service.rs`).

pub mod service;

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
use service::IndustriesInput;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::independence::TieKind;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/ties", get(show).post(declare)).route("/ties/industries", post(industries))
}

pub struct Row {
    kind: String,
    party: String,
    note: String,
    at: String,
}

pub struct Check {
    code: char,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cases/ties.html")]
struct Page {
    layout: Layout,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
    industries: Vec<Check>,
    error: Option<String>,
}

async fn view(state: &AppState, staff: &Staff, notice: Option<String>, error: Option<String>) -> PageResult<Response> {
    let mine = service::mine(state, &Caller::Page(staff)).await?;
    let rows = mine
        .ties
        .into_iter()
        .map(|t| Row { kind: t.kind_label, party: t.party, note: t.note, at: format_cst(t.declared_at_ms) })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("回避申报", staff.user(), staff.csrf(), "/ties", !state.config.require_admin_totp)
            .with_notice(notice),
        rows,
        kinds: TieKind::ALL.iter().filter(|k| k.declarable()).map(|k| (k.code(), k.label())).collect(),
        industries: Industry::all()
            .map(|(code, label)| Check { code, label, checked: mine.industries.contains(&code) })
            .collect(),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    view(&state, &staff, None, None).await
}

async fn declare(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "ties").await?;
    staff.check_csrf(&form)?;
    match service::declare(&state, &Caller::Page(&staff), form.typed(&[])?).await {
        Ok(_) => view(&state, &staff, Some("已申报。涉及该当事方的诉求将不再分派给您。".into()), None).await,
        Err(e @ AppError::Validation(_)) => view(&state, &staff, None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

/// The industry check boxes as the page posts them (one `industry` per ticked box).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct IndustryBoxes {
    industry: Vec<String>,
}

async fn industries(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "ties").await?;
    staff.check_csrf(&form)?;
    let IndustryBoxes { industry } = form.typed(&["industry"])?;
    let input = IndustriesInput { industries: industry };
    match service::set_industries(&state, &Caller::Page(&staff), input).await {
        Ok(_) => view(&state, &staff, Some("擅长行业已保存。".into()), None).await,
        Err(e @ AppError::Validation(_)) => view(&state, &staff, None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}
