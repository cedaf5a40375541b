//! 先行和解 (ODR) for supervisors: which enterprises settle with consumers first, and for how
//! many working days a complaint about them waits with the enterprise before it comes to the
//! bureau. The window is the bureau's own setting, not a legal time limit. A timer brings
//! complaints whose window has passed to the bureau.

use crate::AppState;
use crate::auth::Staff;
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
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::ids::Uscc;
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
    let rows = state
        .store
        .odr_enterprises()
        .await?
        .into_iter()
        .map(|e| Row { uscc: e.uscc, name: e.name, joined: format_cst(e.joined_at) })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("先行和解（ODR）", staff.user(), staff.csrf(), "/odr", !state.config.require_admin_totp)
            .with_notice(notice),
        rows,
        days: policy(state).await?.days,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "odr").await?;
    view(&state, &staff, None, None).await
}

/// The enterprise named on the join and leave forms (the name only when joining).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnterpriseForm {
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    name: String,
}

async fn join(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "odr").await?;
    staff.check_csrf(&form)?;
    let parsed = (|| -> Result<(Uscc, String), AppError> {
        let input: EnterpriseForm = form.typed(&[])?;
        let name = input.name.trim().to_owned();
        if name.chars().count() < 2 || name.chars().count() > 100 {
            return Err(AppError::field("name", "length", "请填写企业名称（2至100个字）"));
        }
        Ok((Uscc::parse(&input.uscc)?, name))
    })();
    match parsed {
        Ok((uscc, name)) => match state.store.join_odr(&staff.actor(), uscc.as_str(), &name).await {
            Ok(()) => view(&state, &staff, Some(format!("{name}已加入先行和解。")), None).await,
            Err(xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
                xinqiao_store::conflict::CaseConflict::AlreadyInOdr,
            ))) => view(&state, &staff, None, Some("该企业已在先行和解名单中".into())).await,
            Err(e) => Err(AppError::from(e).into()),
        },
        Err(e @ AppError::Validation(_)) => view(&state, &staff, None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

async fn leave(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "odr").await?;
    staff.check_csrf(&form)?;
    let input: EnterpriseForm = form.typed(&[])?;
    match state.store.leave_odr(&staff.actor(), &input.uscc).await {
        Ok(()) => view(&state, &staff, Some("已移出先行和解名单。已在和解中的投诉按原期限处理。".into()), None).await,
        Err(xinqiao_store::StoreError::NotFound) => {
            view(&state, &staff, None, Some("该企业不在先行和解名单中".into())).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn set_policy(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "odr").await?;
    staff.check_csrf(&form)?;
    match form.number::<u32>("days", "和解期限") {
        Ok(days @ 1..=30) => {
            state.store.put_setting(&staff.actor(), POLICY_KEY, &OdrPolicy { days }).await?;
            view(&state, &staff, Some(format!("先行和解期限已设为{days}个工作日，对此后收到的投诉生效。")), None).await
        }
        _ => view(&state, &staff, None, Some("和解期限应为1至30个工作日".into())).await,
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
