//! The staff pages of 突发事件: the list of the bureau tree's incidents with a form to open one,
//! and the incident page (team, legal clocks apart from the bureau's promises, statements with
//! what stops their publication, batch traces and the integrity register, evidence, leak drills,
//! who opened it), with forms that call the one service; the evidence redaction page and the
//! leak drill report.

use super::service::{
    self, DayInput, DrillInput, FindingsInput, LinkInput, MeasureInput, MediaInput, NewIncidentInput, Officer,
    ProductInput, PromiseInput, SecretInput, StatementInput, TeamInput, TestingInput,
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
        .route(
            "/incidents/{id}/evidence",
            post(upload_evidence).layer(axum::extract::DefaultBodyLimit::max(crate::extract::UPLOAD_BODY_LIMIT)),
        )
        .route("/incidents/{id}/drills/{d}", get(drill_page))
        .route("/incidents/{id}/evidence/{e}", get(evidence_page))
        .route("/incidents/{id}/evidence/{e}/image", get(evidence_image))
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
    let input: NewIncidentInput = form.typed(&[])?;
    match service::create(&state, &by, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/incidents/{id}")).into_response()),
        Err(e) => list_page(&state, &staff, Some(message(&e))).await,
    }
}

/// A refusal to act at all (not found, forbidden) as the page's own error; anything else is
/// given back to be shown beside the form.
fn refused(e: AppError) -> Result<AppError, crate::error::PageError> {
    match e {
        AppError::NotFound | AppError::Forbidden(_) => Err(e.into()),
        other => Ok(other),
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

/// The redaction form: the boxes drawn over the picture (`x,y,w,h;…`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BoxesForm {
    #[serde(default)]
    boxes: String,
}

/// The evidence upload's text field.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptionForm {
    #[serde(default)]
    caption: String,
}

/// The id of the user with this name; an unknown name becomes a value no user has, refused by
/// the service like someone outside the tree (the form tells no more than that).
async fn user_id(state: &AppState, username: &str) -> String {
    state.store.user_by_name(username.trim()).await.map_or_else(|_| format!("unknown:{}", username.trim()), |u| u.id)
}

/// The changes of one measure, promise or statement: `measures/{m}/extension|testing|completion|laboratory`,
/// `promises/{p}/kept`, `statements/{s}/publish`.
async fn change_one(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, kind, one, what)): Path<(String, String, String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let st = &state;
    let result = match (kind.as_str(), what.as_str()) {
        ("measures", "extension") => service::extend(st, &by, &id, &one, form.typed::<DayInput>(&[])?).await,
        ("measures", "testing") => service::add_testing(st, &by, &id, &one, form.typed::<TestingInput>(&[])?).await,
        ("measures", "completion") => service::complete(st, &by, &id, &one, form.typed::<DayInput>(&[])?).await,
        ("measures", "laboratory") => service::draw_retest_lab(st, &by, &id, &one, form.typed(&[])?).await.map(drop),
        ("promises", "kept") => service::keep_promise(st, &by, &id, &one).await,
        ("statements", "publish") => service::publish(st, &by, &id, &one).await.map(drop),
        ("drills", "findings") => {
            return match service::close_drill(st, &by, &id, &one, form.typed::<FindingsInput>(&[])?).await {
                Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/drills/{one}")).into_response()),
                Err(e) => drill_page_with(&state, &staff, &id, &one, Some(message(&refused(e)?))).await,
            };
        }
        ("evidence", "redaction") => {
            let BoxesForm { boxes } = form.typed(&[])?;
            return match service::redact_evidence(st, &by, &id, &one, &boxes).await {
                Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/evidence/{one}")).into_response()),
                Err(e) => {
                    let notice = Some(message(&refused(e)?));
                    evidence_page_with(&state, &staff, &id, &one, notice, &boxes).await
                }
            };
        }
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
    let service::LessonsInput { lessons } = form.typed(&[])?;
    match service::save_review(&state, &by, &id, &lessons).await {
        Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/review")).into_response()),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => review_page(&state, &staff, &id, Some(message(&e))).await,
    }
}

async fn upload_evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    upload: crate::extract::Upload,
) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let by = officer(&state, &staff).await?;
    let CaptionForm { caption } = upload.form.typed(&[])?;
    let file = upload.files.into_iter().next();
    match service::add_evidence(&state, &by, &id, &caption, file).await {
        Ok(e) => Ok(Redirect::to(&format!("/incidents/{id}/evidence/{e}")).into_response()),
        Err(e) => detail_page(&state, &staff, &id, Some(message(&refused(e)?))).await,
    }
}

#[derive(Template)]
#[template(path = "incidents/evidence.html")]
struct EvidencePage {
    layout: Layout,
    incident_id: String,
    incident_title: String,
    id: String,
    caption: String,
    width: u32,
    height: u32,
    boxes: String,
    published: Option<String>,
}

async fn evidence_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, e)): Path<(String, String)>,
) -> PageResult<Response> {
    evidence_page_with(&state, &staff, &id, &e, None, "").await
}

async fn evidence_page_with(
    state: &AppState,
    staff: &Staff,
    id: &str,
    e: &str,
    notice: Option<String>,
    typed: &str,
) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let item = service::evidence_item(state, &by, id, e).await?;
    let incident = state.store.incident(id).await?;
    let stored = item
        .boxes
        .as_deref()
        .and_then(|b| serde_json::from_str::<Vec<xinqiao_domain::incidents::redaction::RedactBox>>(b).ok())
        .map(|b| xinqiao_domain::incidents::redaction::boxes_text(&b))
        .unwrap_or_default();
    Ok(render(&EvidencePage {
        layout: layout(state, staff, "证据打码").with_notice(notice),
        incident_id: incident.id,
        incident_title: incident.title,
        id: item.id,
        caption: item.caption,
        width: item.width,
        height: item.height,
        boxes: if typed.is_empty() { stored } else { typed.to_owned() },
        published: item.published_at.map(format_cst),
    })?)
}

/// The picture staff draw on: the original's pixels as a bare PNG, never the sealed file.
async fn evidence_image(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, e)): Path<(String, String)>,
) -> PageResult<Response> {
    let by = officer(&state, &staff).await?;
    let png = service::evidence_working_copy(&state, &by, &id, &e).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "image/png"), (axum::http::header::CACHE_CONTROL, "private, no-store")],
        png,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "incidents/drill.html")]
struct DrillPage {
    layout: Layout,
    r: service::DrillReport,
}

async fn drill_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, d)): Path<(String, String)>,
) -> PageResult<Response> {
    drill_page_with(&state, &staff, &id, &d, None).await
}

async fn drill_page_with(
    state: &AppState,
    staff: &Staff,
    id: &str,
    d: &str,
    notice: Option<String>,
) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let r = service::drill_report(state, &by, id, d).await?;
    Ok(render(&DrillPage { layout: layout(state, staff, "泄密演练报告").with_notice(notice), r })?)
}
