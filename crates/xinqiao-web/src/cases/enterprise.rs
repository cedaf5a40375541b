//! The enterprise portal's pages: an 企业用户 sees the complaints about its own 统一社会信用代码,
//! masked and without anything about the complainant, answers them, and sees its own counts.
//! Everything is decided by the one service, `portal.rs`, which the API calls too.

use super::portal::{self, ProposalInput, ReplyInput};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::PageResult;
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprise", get(list))
        .route("/enterprise/cases/{id}", get(detail))
        .route("/enterprise/cases/{id}/reply", post(reply))
        .route("/enterprise/cases/{id}/settlement", post(propose))
}

pub struct Row {
    id: String,
    code: String,
    status: String,
    received: String,
    narrative: String,
    /// What the enterprise must do by when (先行和解's last day), if anything.
    due: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/enterprise_list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    total: usize,
    open: usize,
    settled: usize,
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let found = portal::list(&state, &Caller::Page(&staff)).await?;
    let page = ListPage {
        layout: Layout::staff(
            "本企业诉求",
            staff.user(),
            staff.csrf(),
            "/enterprise",
            !state.config.require_admin_totp,
        ),
        total: found.total,
        open: found.open,
        settled: found.settled,
        rows: found
            .cases
            .into_iter()
            .map(|c| Row {
                id: c.id,
                code: c.code,
                status: c.status_label,
                received: format_cst(c.received_at_ms),
                narrative: c.excerpt,
                due: c.settle_until.map(|d| format!("{d} 前与消费者协商和解")),
            })
            .collect(),
    };
    Ok(render(&page)?)
}

pub struct Step {
    time: String,
    text: String,
}

#[derive(Template)]
#[template(path = "cases/enterprise_detail.html")]
struct DetailPage {
    layout: Layout,
    id: String,
    code: String,
    status: String,
    narrative: String,
    demand: String,
    steps: Vec<Step>,
    can_reply: bool,
    can_propose: bool,
    settle_until: Option<crate::dates::ShownDate>,
    proposals: Vec<super::view::ProposalView>,
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let case = portal::detail(&state, &Caller::Page(&staff), &id).await?;
    let page = DetailPage {
        layout: Layout::staff("诉求详情", staff.user(), staff.csrf(), "/enterprise", !state.config.require_admin_totp),
        id: case.id,
        code: case.code,
        status: case.status_label,
        narrative: case.narrative,
        demand: case.demand,
        steps: case.steps.into_iter().map(|s| Step { time: format_cst(s.at_ms), text: s.text }).collect(),
        can_reply: case.can_reply,
        can_propose: case.can_propose,
        settle_until: case
            .settle_window
            .map(|(from, until)| crate::dates::ShownDate::stored(&state.calendar(), from, until)),
        proposals: case
            .proposals
            .into_iter()
            .map(|p| super::view::ProposalView { time: format_cst(p.proposed_at_ms), text: p.text, status: p.status })
            .collect(),
    };
    Ok(render(&page)?)
}

async fn reply(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = portal::own_case(&state, &Caller::Page(&staff), &id).await?;
    staff.check_csrf(&form)?;
    portal::reply(&state, &Caller::Page(&staff), &case, form.typed::<ReplyInput>(&[])?).await?;
    Ok(Redirect::to(&format!("/enterprise/cases/{id}")).into_response())
}

/// The enterprise proposes a settlement on a complaint in 先行和解 or mediation; the complainant
/// answers it on the tracking page.
async fn propose(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = portal::own_case(&state, &Caller::Page(&staff), &id).await?;
    staff.check_csrf(&form)?;
    portal::propose(&state, &Caller::Page(&staff), &case, form.typed::<ProposalInput>(&[])?).await?;
    Ok(Redirect::to(&format!("/enterprise/cases/{id}")).into_response())
}
