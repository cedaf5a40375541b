//! The staff pages of 突发事件: the list of the bureau tree's incidents with a form to open one,
//! and the incident page (legal clocks apart from the bureau's promises, statements with what
//! stops their publication, who opened it), with forms that call the one service.

use super::service::{
    self, DayInput, LinkInput, MeasureInput, MediaInput, NewIncidentInput, Officer, ProductInput, PromiseInput,
    SecretInput, StatementInput, TestingInput,
};
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
        .route("/incidents/{id}/review", get(review).post(save_review))
        .route("/incidents/{id}/{what}", post(change))
        .route("/incidents/{id}/{kind}/{one}/{what}", post(change_one))
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

/// Every change of the incident page's forms, by the segment after the incident: `measures`,
/// `promises`, `secrets`, `statements`, `links`, `media`, `products`.
async fn change(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, what)): Path<(String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let (st, f) = (&state, |k: &str| form.get(k).to_owned());
    let result = match what.as_str() {
        "measures" => {
            let input = MeasureInput { clock: f("clock"), title: f("title"), started_on: f("started_on") };
            service::add_measure(st, &by, &id, input).await.map(drop)
        }
        "promises" => {
            let amount = form.get("amount").trim().parse().unwrap_or(0);
            let input = PromiseInput { text: f("text"), unit: f("unit"), amount };
            service::add_promise(st, &by, &id, input).await.map(drop)
        }
        "secrets" => service::declare_secret(st, &by, &id, SecretInput { term: f("term") }).await,
        "statements" => {
            let input = StatementInput {
                facts: f("facts"),
                measures: f("measures"),
                next_update_at: Some(f("next_update_at")),
                correction_reason: Some(f("correction_reason")),
            };
            let corrects = Some(form.get("corrects")).filter(|s| !s.is_empty());
            service::draft_statement(st, &by, &id, corrects, input).await.map(drop)
        }
        "links" => service::link(st, &by, &id, LinkInput { kind: f("kind"), target: f("target") }).await,
        "media" => {
            let input = MediaInput { url: f("url"), excerpt: f("excerpt"), seen_at: f("seen_at") };
            service::add_media(st, &by, &id, input).await.map(drop)
        }
        "products" => service::add_product(st, &by, &id, ProductInput { gtin: f("gtin"), batch: f("batch") }).await,
        _ => return Err(AppError::NotFound.into()),
    };
    after(&state, &staff, &id, result).await
}

/// The changes of one measure, promise or statement: `measures/{m}/extension|testing|completion`,
/// `promises/{p}/kept`, `statements/{s}/publish`.
async fn change_one(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, kind, one, what)): Path<(String, String, String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let (st, f) = (&state, |k: &str| form.get(k).to_owned());
    let result = match (kind.as_str(), what.as_str()) {
        ("measures", "extension") => service::extend(st, &by, &id, &one, DayInput { on: f("on") }).await,
        ("measures", "testing") => {
            let notified_on = Some(f("notified_on"));
            let input = TestingInput { from: f("from"), until: f("until"), notified_on };
            service::add_testing(st, &by, &id, &one, input).await
        }
        ("measures", "completion") => service::complete(st, &by, &id, &one, DayInput { on: f("on") }).await,
        ("promises", "kept") => service::keep_promise(st, &by, &id, &one).await,
        ("statements", "publish") => service::publish(st, &by, &id, &one).await.map(drop),
        _ => return Err(AppError::NotFound.into()),
    };
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
