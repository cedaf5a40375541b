//! The staff pages of 突发事件: the list of the bureau tree's incidents with a form to open one,
//! and the incident page (team, legal clocks apart from the bureau's promises, statements with
//! what stops their publication, batch traces and the integrity register, evidence, leak drills,
//! who opened it), with forms that call the one service. The after-action review, the evidence
//! redaction page and the leak drill report are in `records.rs`.

use super::service::{
    self, DrillInput, LinkInput, MeasureInput, MediaInput, NewIncidentInput, Officer, ProductInput, PromiseInput,
    SecretInput, StatementInput, TeamInput,
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
        .route("/incidents/{id}/{what}", post(change))
}

pub(super) fn layout(state: &AppState, staff: &Staff, title: &str) -> Layout {
    Layout::staff(title, staff.user(), staff.csrf(), "/incidents", !state.config.require_admin_totp)
}

pub(super) async fn officer(state: &AppState, staff: &Staff) -> Result<Officer, AppError> {
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
    let input: NewIncidentInput = form.typed(&[])?;
    match service::create(&state, &by, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/incidents/{id}")).into_response()),
        Err(e) => list_page(&state, &staff, Some(message(&e))).await,
    }
}

/// A refusal to act at all (not found, forbidden) as the page's own error; anything else is
/// given back to be shown beside the form.
pub(super) fn refused(e: AppError) -> Result<AppError, crate::error::PageError> {
    match e {
        AppError::NotFound | AppError::Forbidden(_) => Err(e.into()),
        other => Ok(other),
    }
}

/// A refusal in one line: every field's message.
pub(super) fn message(e: &AppError) -> String {
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
    advice: Vec<service::AdviceView>,
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
    evidence: Vec<EvidenceRow>,
    owner_name: String,
    team_names: Vec<String>,
    traces: Vec<service::TraceLink>,
    integrity: Vec<crate::integrity::Shown>,
    supervisor: bool,
    drills: Vec<DrillRow>,
}

/// A leak drill on the incident page (supervisors only).
pub struct DrillRow {
    id: String,
    plan: String,
    started: String,
    closed: bool,
}

/// A piece of evidence on the incident page: its caption and whether its redacted copy is public.
pub struct EvidenceRow {
    id: String,
    caption: String,
    published: Option<String>,
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    detail_page(&state, &staff, &id, None).await
}

pub(super) async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    notice: Option<String>,
) -> PageResult<Response> {
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
            advice: s.advice,
            own: s.own,
            id: s.id,
        })
        .collect();
    let public = statements.iter().any(|s| s.published.is_some());
    let secrets = state.store.incident_secrets(id).await?.len();
    let viewers = i.viewers.iter().map(|v| (v.username.clone(), format_cst(v.viewed_at_ms))).collect();
    let evidence = service::evidence(state, &by, id)
        .await?
        .into_iter()
        .map(|e| EvidenceRow { published: e.published_at.map(format_cst), id: e.id, caption: e.caption })
        .collect();
    let name = |id: String| async move { state.store.user(&id).await.map_or(id, |u| u.username) };
    let owner_name = name(i.owner_id.clone()).await;
    let mut team_names = Vec::new();
    for member in i.team.iter().filter(|m| **m != i.owner_id) {
        team_names.push(name(member.clone()).await);
    }
    let traces = service::trace_links(&state.store.incident(id).await?);
    let integrity =
        service::integrity_during(state, &by, id).await?.iter().map(crate::integrity::Shown::from).collect();
    let title = i.title.clone();
    let drills = if by.is_supervisor() {
        service::drills(state, &by, id)
            .await?
            .into_iter()
            .map(|d| DrillRow {
                started: format_cst(d.started_at),
                closed: d.closed_at.is_some(),
                id: d.id,
                plan: d.plan,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&DetailPage {
        drills,
        supervisor: by.is_supervisor(),
        traces,
        integrity,
        evidence,
        owner_name,
        team_names,
        layout: layout(state, staff, &title).with_notice(notice),
        i,
        statements,
        secrets,
        public,
        viewers,
    })?)
}

/// After a change: back to the incident, or the incident with the refusal on top.
pub(super) async fn after(
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
/// `promises`, `secrets`, `statements`, `links`, `media`, `products`, `team`.
async fn change(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, what)): Path<(String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let st = &state;
    // A form that does not fit its struct (a number that is not one) is told beside the forms.
    let result = match what.as_str() {
        "measures" => match form.typed::<MeasureInput>(&[]) {
            Ok(input) => service::add_measure(st, &by, &id, input).await.map(drop),
            Err(e) => Err(e),
        },
        "promises" => match form.typed::<PromiseInput>(&[]) {
            Ok(input) => service::add_promise(st, &by, &id, input).await.map(drop),
            Err(e) => Err(e),
        },
        "secrets" => match form.typed::<SecretInput>(&[]) {
            Ok(input) => service::declare_secret(st, &by, &id, input).await,
            Err(e) => Err(e),
        },
        "statements" => match form.typed::<StatementInput>(&[]) {
            Ok(input) => service::draft_statement(st, &by, &id, input).await.map(drop),
            Err(e) => Err(e),
        },
        "links" => match form.typed::<LinkInput>(&[]) {
            Ok(input) => service::link(st, &by, &id, input).await,
            Err(e) => Err(e),
        },
        "media" => match form.typed::<MediaInput>(&[]) {
            Ok(input) => service::add_media(st, &by, &id, input).await.map(drop),
            Err(e) => Err(e),
        },
        "products" => match form.typed::<ProductInput>(&[]) {
            Ok(input) => service::add_product(st, &by, &id, input).await,
            Err(e) => Err(e),
        },
        "drills" => {
            let started = match form.typed::<DrillInput>(&[]) {
                Ok(input) => service::start_drill(st, &by, &id, input).await,
                Err(e) => Err(e),
            };
            return match started {
                Ok(d) => Ok(Redirect::to(&format!("/incidents/{id}/drills/{d}")).into_response()),
                Err(e) => after(&state, &staff, &id, Err::<(), _>(refused(e)?)).await,
            };
        }
        "team" => match form.typed::<TeamForm>(&[]) {
            Ok(names) => {
                let owner_id = user_id(st, &names.owner).await;
                let mut team = Vec::new();
                for name in names.team.split(|c: char| c.is_whitespace() || ",，、;；".contains(c)) {
                    if !name.is_empty() {
                        team.push(user_id(st, name).await);
                    }
                }
                service::change_team(st, &by, &id, TeamInput { owner_id, team }).await.map(drop)
            }
            Err(e) => Err(e),
        },
        _ => return Err(AppError::NotFound.into()),
    };
    after(&state, &staff, &id, result).await
}

/// The team form: user names, as people know each other, where the API takes ids.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamForm {
    owner: String,
    #[serde(default)]
    team: String,
}

/// The id of the user with this name; an unknown name becomes a value no user has, refused by
/// the service like someone outside the tree (the form tells no more than that).
async fn user_id(state: &AppState, username: &str) -> String {
    state.store.user_by_name(username.trim()).await.map_or_else(|_| format!("unknown:{}", username.trim()), |u| u.id)
}
