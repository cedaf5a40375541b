//! 廉洁登记 pages: an officer's own register with the form to record an entry (`/integrity`), and
//! the entries of a supervisor's bureau tree (`/integrity/bureau`). Typed forms; the service decides.

pub mod service;

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::TypedForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use service::{Officer, Supervisor};
use xinqiao_domain::integrity::{EntryForm, EntryKind};
use xinqiao_store::integrity::IntegrityEntry;

pub fn router() -> Router<AppState> {
    Router::new().route("/integrity", get(own).post(record)).route("/integrity/bureau", get(bureau))
}

/// An entry as a row of a table.
pub struct Shown {
    pub day: String,
    pub kind: &'static str,
    pub officer: String,
    pub enterprise: String,
    pub happened: String,
    pub action: String,
    pub tied: bool,
}

impl From<&IntegrityEntry> for Shown {
    fn from(e: &IntegrityEntry) -> Self {
        let enterprise = match (&e.enterprise_uscc, e.enterprise_name.is_empty()) {
            (Some(u), true) => u.as_str().to_owned(),
            (Some(u), false) => format!("{}（{}）", e.enterprise_name, u.as_str()),
            (None, _) => e.enterprise_name.clone(),
        };
        Shown {
            day: e.day.to_string(),
            kind: e.kind.label(),
            officer: e.user_name.clone(),
            enterprise,
            happened: e.happened_masked.clone(),
            action: e.action_masked.clone(),
            tied: e.tied,
        }
    }
}

#[derive(Debug, Deserialize)]
struct PageEntry {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    enterprise_uscc: String,
    #[serde(default)]
    enterprise_name: String,
    #[serde(default)]
    happened: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "integrity/own.html")]
struct OwnPage {
    layout: Layout,
    entries: Vec<Shown>,
    kinds: Vec<(&'static str, &'static str)>,
    form: EntryForm,
    errors: FormErrors,
    today: String,
}

async fn own_view(
    state: &AppState,
    staff: &Staff,
    officer: &Officer,
    form: EntryForm,
    errors: FormErrors,
) -> PageResult<Response> {
    let entries = service::mine(state, officer).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OwnPage {
        layout: Layout::staff("廉洁登记", staff.user(), staff.csrf(), "/integrity", !state.config.require_admin_totp),
        entries: entries.iter().map(Shown::from).collect(),
        kinds: EntryKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        form,
        errors,
        today: state.today().to_string(),
    };
    Ok((status, render(&page)?).into_response())
}

async fn own(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let officer = Officer::authorise(&state, staff.user(), staff.actor()).await?;
    own_view(&state, &staff, &officer, EntryForm::default(), FormErrors::default()).await
}

async fn record(
    State(state): State<AppState>,
    staff: Staff,
    TypedForm(f): TypedForm<PageEntry>,
) -> PageResult<Response> {
    let officer = Officer::authorise(&state, staff.user(), staff.actor()).await?;
    staff.check_csrf_token(&f.csrf)?;
    let form = EntryForm {
        kind: f.kind,
        date: f.date,
        enterprise_uscc: f.enterprise_uscc,
        enterprise_name: f.enterprise_name,
        happened: f.happened,
        action: f.action,
    };
    match service::record(&state, &officer, &form).await {
        Ok(_) => Ok(Redirect::to("/integrity").into_response()),
        Err(AppError::Validation(fields)) => own_view(&state, &staff, &officer, form, FormErrors(fields)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "integrity/bureau.html")]
struct BureauPage {
    layout: Layout,
    entries: Vec<Shown>,
    days: i64,
}

#[derive(Debug, Deserialize)]
struct Window {
    days: Option<i64>,
}

async fn bureau(State(state): State<AppState>, staff: Staff, Query(w): Query<Window>) -> PageResult<Response> {
    let supervisor = Supervisor::authorise(&state, staff.user(), &staff.actor()).await?;
    let days = w.days.unwrap_or(365).clamp(1, 3660);
    let entries = service::bureau(&state, &supervisor, days).await?;
    let page = BureauPage {
        layout: Layout::staff(
            "本局廉洁登记",
            staff.user(),
            staff.csrf(),
            "/integrity",
            !state.config.require_admin_totp,
        ),
        entries: entries.iter().map(Shown::from).collect(),
        days,
    };
    Ok(render(&page)?.into_response())
}
