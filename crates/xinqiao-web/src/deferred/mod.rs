//! 容缺受理 pages (客户体验官, 主管): accept an application with materials to follow, mark it
//! supplied or ended, the bureau tree's list with the report of days saved and the reminders
//! given before a deadline, and (主管) the policy; the applicant's own page (企业用户,
//! /enterprise/deferred) with its reminders. Typed forms; the service decides.

pub mod service;

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::TypedForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use service::{Application, Handler};
use xinqiao_domain::deferred::{Policy, Standing};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deferred", get(list).post(accept))
        .route("/deferred/policy", post(set_policy))
        .route("/deferred/{id}/{action}", post(close))
        .route("/enterprise/deferred", get(applicant_page))
}

struct Row {
    id: String,
    enterprise: String,
    matter: String,
    missing: String,
    accepted: String,
    deadline: String,
    standing: &'static str,
    open: bool,
    saved: u32,
    /// The reminder before the deadline, once given (open matters only).
    reminder: Option<String>,
}

#[derive(Template)]
#[template(path = "deferred.html")]
struct Page {
    layout: Layout,
    rows: Vec<Row>,
    policy: Policy,
    supervisor: bool,
    report: (usize, usize, usize, u32),
    due_soon: usize,
    error: Option<String>,
}

async fn view(state: &AppState, staff: &Staff, by: &Handler, error: Option<AppError>) -> PageResult<Response> {
    let items = service::list(state, by).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = Page {
        layout: Layout::staff("容缺受理", staff.user(), staff.csrf(), "/deferred", !state.config.require_admin_totp),
        report: service::report(&items),
        due_soon: service::due_soon(&items),
        rows: items
            .into_iter()
            .map(|(d, saved)| Row {
                reminder: (d.standing == Standing::Open)
                    .then(|| d.reminded_on.map(|on| format!("{on} 已提醒")))
                    .flatten(),
                id: d.id,
                enterprise: d.enterprise_name,
                matter: d.matter,
                missing: d.missing.join("；"),
                accepted: d.accepted_on.to_string(),
                deadline: d.deadline.to_string(),
                standing: d.standing.label(),
                open: d.standing == Standing::Open,
                saved,
            })
            .collect(),
        policy: service::policy(state).await?,
        supervisor: by.supervisor,
        error: error.map(|e| e.to_string()),
    };
    Ok((status, render(&page)?).into_response())
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let by = Handler::authorise(&state, &staff).await?;
    view(&state, &staff, &by, None).await
}

#[derive(Debug, Deserialize)]
struct AcceptForm {
    csrf: String,
    #[serde(default)]
    enterprise_name: String,
    #[serde(default)]
    enterprise_uscc: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    missing: String,
    #[serde(default)]
    core_complete: Option<String>,
    #[serde(default)]
    promise_signed: Option<String>,
    #[serde(default)]
    bad_credit: Option<String>,
}

async fn accept(
    State(state): State<AppState>,
    staff: Staff,
    TypedForm(f): TypedForm<AcceptForm>,
) -> PageResult<Response> {
    let by = Handler::authorise(&state, &staff).await?;
    staff.check_csrf_token(&f.csrf)?;
    let a = Application {
        enterprise_name: f.enterprise_name,
        enterprise_uscc: f.enterprise_uscc,
        matter: f.matter,
        missing: f.missing,
        core_complete: f.core_complete.is_some(),
        promise_signed: f.promise_signed.is_some(),
        bad_credit: f.bad_credit.is_some(),
    };
    match service::accept(&state, &by, &a).await {
        Ok(_) => Ok(Redirect::to("/deferred").into_response()),
        Err(e @ AppError::Validation(_)) => view(&state, &staff, &by, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn close(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(String, String)>,
    TypedForm(f): TypedForm<CsrfOnly>,
) -> PageResult<Response> {
    let by = Handler::authorise(&state, &staff).await?;
    staff.check_csrf_token(&f.csrf)?;
    let supplied = match action.as_str() {
        "supplied" => true,
        "ended" => false,
        _ => return Err(AppError::NotFound.into()),
    };
    match service::close(&state, &by, &id, supplied).await {
        Ok(()) => Ok(Redirect::to("/deferred").into_response()),
        Err(e @ AppError::Conflict(_)) => view(&state, &staff, &by, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct PolicyForm {
    csrf: String,
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    days_to_supply: String,
    #[serde(default)]
    refuse_bad_credit: Option<String>,
    #[serde(default)]
    remind_before: String,
}

async fn set_policy(
    State(state): State<AppState>,
    staff: Staff,
    TypedForm(f): TypedForm<PolicyForm>,
) -> PageResult<Response> {
    staff.require(&state, xinqiao_domain::accounts::Permission::SuperviseCases, "deferred.policy").await?;
    let by = Handler::authorise(&state, &staff).await?;
    staff.check_csrf_token(&f.csrf)?;
    let days = f.days_to_supply.trim().parse().unwrap_or(0);
    let before = match f.remind_before.trim() {
        "" => service::policy(&state).await?.remind_before,
        text => match text.parse() {
            Ok(n) => n,
            Err(_) => {
                let e = AppError::field("remind_before", "range", "请填写到期前几个工作日提醒（0 表示到期当日提醒）");
                return view(&state, &staff, &by, Some(e)).await;
            }
        },
    };
    match service::set_policy(&state, &by, f.enabled.is_some(), days, f.refuse_bad_credit.is_some(), before).await {
        Ok(_) => Ok(Redirect::to("/deferred").into_response()),
        Err(e @ AppError::Validation(_)) => view(&state, &staff, &by, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

struct ApplicantRow {
    matter: String,
    missing: String,
    accepted: String,
    deadline: String,
    standing: &'static str,
    /// The reminder's text while the matter is open and its deadline near.
    reminder: Option<String>,
}

#[derive(Template)]
#[template(path = "enterprise_deferred.html")]
struct ApplicantPage {
    layout: Layout,
    rows: Vec<ApplicantRow>,
}

/// The applicant's own 容缺受理 matters, with the reminder before each deadline.
async fn applicant_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let by = service::Applicant::of(&state, staff.user(), &staff.actor()).await?;
    let rows = service::of_applicant(&state, &by)
        .await?
        .into_iter()
        .map(|d| ApplicantRow {
            reminder: (d.standing == Standing::Open && d.reminded_on.is_some())
                .then(|| xinqiao_domain::deferred::reminder_text(&d.matter, &d.missing, d.deadline)),
            matter: d.matter,
            missing: d.missing.join("；"),
            accepted: d.accepted_on.to_string(),
            deadline: d.deadline.to_string(),
            standing: d.standing.label(),
        })
        .collect();
    let layout = Layout::staff(
        "容缺受理事项",
        staff.user(),
        staff.csrf(),
        "/enterprise/deferred",
        !state.config.require_admin_totp,
    );
    Ok(render(&ApplicantPage { layout, rows })?)
}
