//! The staff pages of 突发事件: the list of the bureau tree's incidents with a form to open one,
//! and the incident page (legal clocks apart from the bureau's promises, statements with what
//! stops their publication, who opened it), with forms that call the one service.

use super::service::{self, MeasureInput, NewIncidentInput, Officer, PromiseInput, SecretInput, StatementInput};
use super::view::IncidentView;
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
use xinqiao_domain::incidents::reminders::{Stage, Subject};
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list).post(create))
        .route("/incidents/{id}", get(detail))
        .route("/incidents/{id}/measures", post(add_measure))
        .route("/incidents/{id}/promises", post(add_promise))
        .route("/incidents/{id}/secrets", post(add_secret))
        .route("/incidents/{id}/statements", post(draft))
        .route("/incidents/{id}/statements/{sid}/publish", post(publish))
        .route("/incidents/{id}/review", get(review).post(save_review))
}

fn layout(state: &AppState, staff: &Staff, title: &str) -> Layout {
    Layout::staff(title, staff.user(), staff.csrf(), "/incidents", !state.config.require_admin_totp)
}

async fn officer(state: &AppState, staff: &Staff) -> Result<Officer, AppError> {
    Officer::of(state, staff.user(), &staff.addr).await
}

pub struct Row {
    id: String,
    title: String,
    enterprise: String,
    created: String,
}

#[derive(Template)]
#[template(path = "incidents/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    reminders: Vec<ReminderRow>,
}

/// A reminder of the signed-in person: a clock or promise about to be (or already) missed.
pub struct ReminderRow {
    incident_id: String,
    incident_title: String,
    kind: &'static str,
    text: String,
    stage: &'static str,
    missed: bool,
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    list_page(&state, &staff, None).await
}

async fn list_page(state: &AppState, staff: &Staff, notice: Option<String>) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let rows = service::list(state, &by)
        .await?
        .into_iter()
        .map(|i| Row { created: format_cst(i.created_at), id: i.id, title: i.title, enterprise: i.enterprise_name })
        .collect();
    let reminders = state
        .store
        .incident_reminders_for(&by.user.id, 100)
        .await?
        .into_iter()
        .map(|r| ReminderRow {
            kind: match r.subject {
                Subject::Measure => "法定时限",
                Subject::Promise => "对公众的承诺",
            },
            stage: r.stage.label(),
            missed: r.stage == Stage::Missed,
            incident_id: r.incident_id,
            incident_title: r.incident_title,
            text: r.subject_text,
        })
        .collect();
    Ok(render(&ListPage { layout: layout(state, staff, "突发事件").with_notice(notice), rows, reminders })?)
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let input = NewIncidentInput {
        title: form.get("title").into(),
        enterprise_name: form.get("enterprise_name").into(),
        enterprise_uscc: Some(form.get("enterprise_uscc").into()),
        owner_id: None,
        team: Vec::new(),
    };
    match service::create(&state, &by, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/incidents/{id}")).into_response()),
        Err(e) => list_page(&state, &staff, Some(message(&e))).await,
    }
}

/// A refusal in one line: every field's message.
fn message(e: &AppError) -> String {
    match e.fields() {
        [] => e.to_string(),
        fields => fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"),
    }
}

pub struct StatementRow {
    id: String,
    published: Option<String>,
    facts: String,
    measures: String,
    correction: Option<String>,
    refusals: Vec<String>,
    own: bool,
}

#[derive(Template)]
#[template(path = "incidents/detail.html")]
struct DetailPage {
    layout: Layout,
    i: IncidentView,
    statements: Vec<StatementRow>,
    secrets: usize,
    public: bool,
    viewers: Vec<(String, String)>,
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    detail_page(&state, &staff, &id, None).await
}

async fn detail_page(state: &AppState, staff: &Staff, id: &str, notice: Option<String>) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let i = service::open(state, &by, id).await?;
    let statements: Vec<StatementRow> = service::statements(state, &by, id)
        .await?
        .into_iter()
        .map(|s| StatementRow {
            published: s.published_at_ms.map(format_cst),
            facts: s.facts,
            measures: s.measures,
            correction: s.correction_reason,
            refusals: s.refusals.into_iter().map(|r| r.message).collect(),
            own: s.own,
            id: s.id,
        })
        .collect();
    let public = statements.iter().any(|s| s.published.is_some());
    let secrets = state.store.incident_secrets(id).await?.len();
    let viewers = i.viewers.iter().map(|v| (v.username.clone(), format_cst(v.viewed_at_ms))).collect();
    let title = i.title.clone();
    Ok(render(&DetailPage {
        layout: layout(state, staff, &title).with_notice(notice),
        i,
        statements,
        secrets,
        public,
        viewers,
    })?)
}

/// After a change: back to the incident, or the incident with the refusal on top.
async fn after(
    state: &AppState,
    staff: &Staff,
    id: &str,
    result: Result<impl Sized, AppError>,
) -> PageResult<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/incidents/{id}")).into_response()),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => detail_page(state, staff, id, Some(message(&e))).await,
    }
}

async fn add_measure(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let input = MeasureInput {
        clock: form.get("clock").into(),
        title: form.get("title").into(),
        started_on: form.get("started_on").into(),
    };
    let result = service::add_measure(&state, &by, &id, input).await;
    after(&state, &staff, &id, result).await
}

async fn add_promise(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let input = PromiseInput {
        text: form.get("text").into(),
        unit: form.get("unit").into(),
        amount: form.get("amount").trim().parse().unwrap_or(0),
    };
    let result = service::add_promise(&state, &by, &id, input).await;
    after(&state, &staff, &id, result).await
}

async fn add_secret(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let result = service::declare_secret(&state, &by, &id, SecretInput { term: form.get("term").into() }).await;
    after(&state, &staff, &id, result).await
}

async fn draft(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let input = StatementInput {
        facts: form.get("facts").into(),
        measures: form.get("measures").into(),
        next_update_at: Some(form.get("next_update_at").into()),
        correction_reason: Some(form.get("correction_reason").into()),
    };
    let corrects = Some(form.get("corrects")).filter(|s| !s.is_empty());
    let result = service::draft_statement(&state, &by, &id, corrects, input).await;
    after(&state, &staff, &id, result).await
}

async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, sid)): Path<(String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let result = service::publish(&state, &by, &id, &sid).await;
    after(&state, &staff, &id, result).await
}

#[derive(Template)]
#[template(path = "incidents/review.html")]
struct ReviewPage {
    layout: Layout,
    r: service::ReviewView,
}

async fn review(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    review_page(&state, &staff, &id, None).await
}

async fn review_page(state: &AppState, staff: &Staff, id: &str, notice: Option<String>) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let r = service::review(state, &by, id).await?;
    let title = format!("复盘：{}", r.title);
    Ok(render(&ReviewPage { layout: layout(state, staff, &title).with_notice(notice), r })?)
}

async fn save_review(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    match service::save_review(&state, &by, &id, form.get("lessons")).await {
        Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/review")).into_response()),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => review_page(&state, &staff, &id, Some(message(&e))).await,
    }
}
