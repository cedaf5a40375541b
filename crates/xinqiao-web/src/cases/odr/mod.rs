//! 先行和解 (ODR) for supervisors: which enterprises settle with consumers first, and for how
//! many working days a complaint about them waits with the enterprise before it comes to the
//! bureau. The window is the bureau's own setting, not a legal time limit. A timer brings
//! complaints whose window has passed to the bureau.

pub mod service;

use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::tasks::{Task, TaskError};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use service::{EnterpriseInput, PolicyInput};
use xinqiao_domain::time::format_cst;

pub const POLICY_KEY: &str = "odr_policy";

/// How long the enterprise has a complaint first, in working days.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct OdrPolicy {
    pub days: u32,
}

impl Default for OdrPolicy {
    fn default() -> Self {
        Self { days: 7 }
    }
}

pub async fn policy(state: &AppState) -> Result<OdrPolicy, AppError> {
    Ok(state.store.setting::<OdrPolicy>(POLICY_KEY).await?.unwrap_or_default())
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/odr", get(show).post(join))
        .route("/odr/leave", post(leave))
        .route("/odr/policy", post(set_policy))
}

pub struct Row {
    uscc: String,
    name: String,
    joined: String,
}

#[derive(Template)]
#[template(path = "cases/odr.html")]
struct Page {
    layout: Layout,
    rows: Vec<Row>,
    days: u32,
    error: Option<String>,
}

async fn view(state: &AppState, staff: &Staff, notice: Option<String>, error: Option<String>) -> PageResult<Response> {
    let shown = service::show(state, &Caller::Page(staff)).await?;
    let rows = shown
        .enterprises
        .into_iter()
        .map(|e| Row { uscc: e.uscc, name: e.name, joined: format_cst(e.joined_at_ms) })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("先行和解（ODR）", staff.user(), staff.csrf(), "/odr", !state.config.require_admin_totp)
            .with_notice(notice),
        rows,
        days: shown.days,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    view(&state, &staff, None, None).await
}

/// Who may not keep the list is refused before a form is read (the service checks again).
async fn refuse_early(state: &AppState, staff: &Staff) -> Result<(), AppError> {
    staff.require(state, xinqiao_domain::accounts::Permission::SuperviseCases, "odr").await
}

/// A refusal the page shows beside its forms; anything else is the error page.
async fn told(state: &AppState, staff: &Staff, e: AppError) -> PageResult<Response> {
    match e {
        AppError::Validation(_) | AppError::Conflict(_) => view(state, staff, None, Some(e.to_string())).await,
        AppError::NotFound => view(state, staff, None, Some("该企业不在先行和解名单中".into())).await,
        other => Err(other.into()),
    }
}

async fn join(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    refuse_early(&state, &staff).await?;
    staff.check_csrf(&form)?;
    match service::join(&state, &Caller::Page(&staff), form.typed::<EnterpriseInput>(&[])?).await {
        Ok(name) => view(&state, &staff, Some(format!("{name}已加入先行和解。")), None).await,
        Err(e) => told(&state, &staff, e).await,
    }
}

async fn leave(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    refuse_early(&state, &staff).await?;
    staff.check_csrf(&form)?;
    let input: EnterpriseInput = form.typed(&[])?;
    match service::leave(&state, &Caller::Page(&staff), &input.uscc).await {
        Ok(()) => view(&state, &staff, Some("已移出先行和解名单。已在和解中的投诉按原期限处理。".into()), None).await,
        Err(e) => told(&state, &staff, e).await,
    }
}

async fn set_policy(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    refuse_early(&state, &staff).await?;
    staff.check_csrf(&form)?;
    let set = match form.typed::<PolicyInput>(&[]) {
        Ok(input) => service::set_policy(&state, &Caller::Page(&staff), input).await,
        Err(_) => Err(AppError::field("days", "range", "和解期限应为1至30个工作日")),
    };
    match set {
        Ok(p) => {
            let said = format!("先行和解期限已设为{}个工作日，对此后收到的投诉生效。", p.days);
            view(&state, &staff, Some(said), None).await
        }
        Err(e) => told(&state, &staff, e).await,
    }
}

/// Brings complaints whose settlement window has passed to the bureau; run at start and then
/// every ten minutes (a task of the supervisor, see `tasks`).
pub fn settlement_timer() -> Task {
    Task::every("settlements", std::time::Duration::from_secs(600), |state: AppState| async move {
        let today = state.today().0;
        match state.store.return_expired_settlements(today).await {
            Ok(0) => Ok(()),
            Ok(n) => {
                tracing::info!(cases = n, "settlement windows ended; complaints came to the bureau");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not end settlement windows");
                Err(TaskError("先行和解期满的投诉未能转回本局"))
            }
        }
    })
}
