//! 群众问了但没有答案的问题 on the web. A public search (page or API) that found nothing, and a
//! question whose answers the asker said did not help, is kept: as public text (every piece of
//! personal data the detector finds dropped whole, [已隐去]),
//! with the search's key words, the week and the reason; never who asked or from where.
//! Supervisors see the questions grouped by similar wording and counted per week, and start a
//! draft entry from a group in one click (the seed's weekly 问答, written from what was asked).

use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, Gap, GapReason, group_gaps, week_of};

pub fn router() -> Router<AppState> {
    Router::new().route("/knowledge/gaps", get(gaps_page)).route("/knowledge/gaps/draft", post(start_draft))
}

/// Weeks shown by default, and at most.
const DEFAULT_WEEKS: i64 = 8;
const MAX_WEEKS: i64 = 52;
/// Questions read for the page, at most.
const MAX_ROWS: i64 = 20_000;
/// Groups shown, at most.
const MAX_GROUPS: usize = 200;

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
    super::service::require_gap_reader(&state, &Caller::Page(&staff)).await?;
    let weeks = q.weeks.trim().parse::<i64>().unwrap_or(DEFAULT_WEEKS).clamp(1, MAX_WEEKS);
    let today = state.today();
    let page = gaps_view(&state, &staff, today, weeks).await?;
    Ok(render(&page)?.into_response())
}

/// The page for the `weeks` weeks up to the one holding `today`.
async fn gaps_view(state: &AppState, staff: &Staff, today: Date, weeks: i64) -> Result<GapsPage, AppError> {
    let this_week = week_of(today);
    let first = Date(this_week.0 - 7 * (weeks - 1));
    let rows = state.store.gaps_since(first.0, MAX_ROWS).await?;
    let gaps: Vec<Gap> = rows
        .into_iter()
        .map(|r| Gap {
            id: r.id,
            question: r.question,
            words: r.words,
            week: Date(r.week),
            reason: GapReason::parse(&r.reason).unwrap_or(GapReason::NoMatch),
            audience: Audience::parse(&r.audience),
            drafted: r.draft_id,
        })
        .collect();
    let mondays: Vec<Date> = (0..weeks).map(|i| Date(first.0 + 7 * i)).collect();
    let groups = group_gaps(&gaps)
        .into_iter()
        .take(MAX_GROUPS)
        .map(|g| GroupView {
            counts: mondays.iter().map(|m| g.per_week.iter().find(|(w, _)| w == m).map_or(0, |(_, n)| *n)).collect(),
            example: g.example,
            words: g.words.join("、"),
            ids: g.ids.join(","),
            total: g.total,
            no_match: g.no_match,
            unhelpful: g.unhelpful,
            audience: g.audience.map_or("未说明", Audience::label),
            drafted: g.drafted,
        })
        .collect();
    Ok(GapsPage {
        layout: Layout::staff(
            "群众问了但没有答案的问题",
            staff.user(),
            staff.csrf(),
            "/knowledge",
            !state.config.require_admin_totp,
        ),
        weeks,
        columns: mondays.iter().map(|m| m.to_string()[5..].to_owned()).collect(),
        groups,
        questions: gaps.len(),
    })
}

/// One click: a draft entry whose question is the group's wording, linked to its questions;
/// the officer then writes the answer in the editor.
async fn start_draft(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: super::service::GapDraftInput = form.typed(&[])?;
    let entry = super::service::draft_from_gaps(&state, &Caller::Page(&staff), &input).await?;
    Ok(Redirect::to(&format!("/knowledge/{entry}/edit")).into_response())
}
