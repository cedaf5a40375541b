//! The enterprise portal: an 企业用户 sees the complaints about its own 统一社会信用代码, masked and
//! without anything about the complainant, answers them, and sees its own counts. Reports (举报)
//! about it are not shown at all: the reporter is protected absolutely. A complaint appears only
//! once an officer confirmed its masking (unless the bureau turned that review off).

use super::view::shown_code;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_domain::time::format_cst;
use xinqiao_store::cases::{CaseFilter, CaseRecord};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprise", get(list))
        .route("/enterprise/cases/{id}", get(detail))
        .route("/enterprise/cases/{id}/reply", post(reply))
        .route("/enterprise/cases/{id}/settlement", post(propose))
}

fn uscc_of(staff: &Staff) -> Result<String, AppError> {
    staff.user().uscc.clone().ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))
}

/// A complaint about the caller's own enterprise, or 404.
async fn own_case(state: &AppState, staff: &Staff, id: &str) -> Result<CaseRecord, AppError> {
    staff.require(state, Permission::EnterprisePortal, &format!("case:{id}")).await?;
    let uscc = uscc_of(staff)?;
    let case = state.store.case(id).await?;
    if case.kind != CaseKind::Complaint
        || case.enterprise_uscc.as_deref() != Some(uscc.as_str())
        || !super::privacy::enterprise_may_see(state, &case).await?
    {
        return Err(AppError::NotFound);
    }
    Ok(case)
}

pub struct Row {
    id: String,
    code: String,
    status: &'static str,
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
    staff.require(&state, Permission::EnterprisePortal, "enterprise").await?;
    let uscc = uscc_of(&staff)?;
    let cases = state
        .store
        .list_cases(&CaseFilter {
            uscc: Some(uscc),
            kinds: vec![CaseKind::Complaint],
            privacy_confirmed: super::privacy::review_required(&state).await?,
            limit: 500,
            ..Default::default()
        })
        .await?;
    let closed = |s: Status| matches!(s, Status::Closed | Status::FollowedUp | Status::Rejected);
    let page = ListPage {
        layout: Layout::staff(
            "本企业诉求",
            staff.user(),
            staff.csrf(),
            "/enterprise",
            !state.config.require_admin_totp,
        ),
        total: cases.len(),
        open: cases.iter().filter(|c| !closed(c.status)).count(),
        settled: cases.iter().filter(|c| matches!(c.status, Status::Closed | Status::FollowedUp)).count(),
        rows: cases
            .iter()
            .map(|c| Row {
                id: c.id.clone(),
                code: shown_code(c),
                status: c.status.label(),
                received: format_cst(c.received_at),
                narrative: c.narrative_masked.chars().take(60).collect(),
                due: c
                    .settle_until
                    .filter(|_| c.status == Status::Settling)
                    .map(|d| format!("{} 前与消费者协商和解", xinqiao_domain::calendar::Date(d))),
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
    status: &'static str,
    narrative: String,
    demand: String,
    steps: Vec<Step>,
    can_reply: bool,
    can_propose: bool,
    settle_until: Option<crate::dates::ShownDate>,
    proposals: Vec<super::view::ProposalView>,
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let case = own_case(&state, &staff, &id).await?;
    let steps = state
        .store
        .case_events(&case.id, true)
        .await?
        .into_iter()
        .map(|e| Step {
            time: format_cst(e.at_ms),
            text: match e.to_status {
                Some(s) => format!("{}：{}", s.label(), e.note),
                None => e.note,
            },
        })
        .collect();
    let page = DetailPage {
        layout: Layout::staff("诉求详情", staff.user(), staff.csrf(), "/enterprise", !state.config.require_admin_totp),
        id: case.id.clone(),
        code: shown_code(&case),
        status: case.status.label(),
        narrative: case.narrative_masked.clone(),
        demand: case.demand_masked.clone(),
        steps,
        can_reply: !matches!(case.status, Status::FollowedUp | Status::Rejected),
        can_propose: matches!(case.status, Status::Settling | Status::Mediating),
        settle_until: case.settle_until.filter(|_| case.status == Status::Settling).map(|d| {
            use xinqiao_domain::calendar::Date;
            crate::dates::ShownDate::stored(&state.calendar(), Date(case.received_day), Date(d))
        }),
        proposals: state
            .store
            .proposals(&case.id)
            .await?
            .into_iter()
            .map(|p| super::view::ProposalView {
                time: format_cst(p.proposed_at),
                text: p.text,
                status: p.status.label(),
            })
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
    let case = own_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let text = form.get("reply").trim();
    if text.chars().count() < 5 || text.chars().count() > 2000 {
        return Err(AppError::field("reply", "length", "答复应为5至2000个字").into());
    }
    // The enterprise's own name is no personal data.
    let masked = state.detector().await.mask_for(text, &[case.enterprise_name.as_str()]);
    let note = format!("企业答复：{masked}");
    state.store.add_case_note(&staff.actor(), &case.id, "enterprise.reply", &note, true).await?;
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
    let case = own_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let text = form.get("proposal").trim();
    if text.chars().count() < 5 || text.chars().count() > 1000 {
        return Err(AppError::field("proposal", "length", "和解方案应为5至1000个字").into());
    }
    // The enterprise's own name is no personal data.
    let masked = state.detector().await.mask_for(text, &[case.enterprise_name.as_str()]);
    state.store.propose_settlement(&staff.actor(), &case.id, &masked).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::ChangedMeanwhile,
        )) => AppError::Conflict("只有先行和解或调解中的投诉可以提出和解方案".into()),
        other => other.into(),
    })?;
    Ok(Redirect::to(&format!("/enterprise/cases/{id}")).into_response())
}
