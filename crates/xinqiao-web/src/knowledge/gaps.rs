//! 群众问了但没有答案的问题 on the web. A public search (page or API) that found nothing, and a
//! question whose answers the asker said did not help, is kept: as public text (every piece of
//! personal data the detector finds dropped whole, [已隐去]),
//! with the search's key words, the week and the reason; never who asked or from where.
//! Supervisors see the questions grouped by similar wording and counted per week, and start a
//! draft entry from a group in one click (the seed's weekly 问答, written from what was asked).

use super::service;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::PageResult;
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::knowledge::Audience;

pub fn router() -> Router<AppState> {
    Router::new().route("/knowledge/gaps", get(gaps_page)).route("/knowledge/gaps/draft", post(start_draft))
}

#[derive(serde::Deserialize, Default)]
struct GapsQuery {
    #[serde(default)]
    weeks: String,
}

pub struct GroupView {
    example: String,
    words: String,
    ids: String,
    counts: Vec<usize>,
    total: usize,
    no_match: usize,
    unhelpful: usize,
    audience: &'static str,
    drafted: Option<String>,
}

#[derive(Template)]
#[template(path = "knowledge/gaps.html")]
struct GapsPage {
    layout: Layout,
    weeks: i64,
    /// Mondays shown, oldest first.
    columns: Vec<String>,
    groups: Vec<GroupView>,
    questions: usize,
}

async fn gaps_page(State(state): State<AppState>, staff: Staff, Query(q): Query<GapsQuery>) -> PageResult<Response> {
    let weeks = q.weeks.trim().parse::<i64>().unwrap_or(service::DEFAULT_WEEKS);
    let report = service::gaps_report(&state, &Caller::Page(&staff), weeks).await?;
    let groups = report
        .groups
        .iter()
        .map(|g| GroupView {
            counts: report.counts(g),
            example: g.example.clone(),
            words: g.words.join("、"),
            ids: g.ids.join(","),
            total: g.total,
            no_match: g.no_match,
            unhelpful: g.unhelpful,
            audience: g.audience.map_or("未说明", Audience::label),
            drafted: g.drafted.clone(),
        })
        .collect();
    let page = GapsPage {
        layout: Layout::staff(
            "群众问了但没有答案的问题",
            staff.user(),
            staff.csrf(),
            "/knowledge",
            !state.config.require_admin_totp,
        ),
        weeks: report.mondays.len() as i64,
        columns: report.mondays.iter().map(|m| m.to_string()[5..].to_owned()).collect(),
        groups,
        questions: report.questions,
    };
    Ok(render(&page)?.into_response())
}

/// One click: a draft entry whose question is the group's wording, linked to its questions;
/// the officer then writes the answer in the editor.
async fn start_draft(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::GapDraftInput = form.typed(&[])?;
    let entry = service::draft_from_gaps(&state, &Caller::Page(&staff), &input).await?;
    Ok(Redirect::to(&format!("/knowledge/{entry}/edit")).into_response())
}
