//! 先行和解 (ODR), the one service: which enterprises settle with consumers first, and the
//! bureau's window (working days a complaint waits with the enterprise). Supervisors of the
//! bureau change both; the pages and the API call the same functions.

use super::{OdrPolicy, POLICY_KEY, policy};
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::ids::Uscc;

/// An enterprise to add to the list (or, with the USCC alone, to take off it).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    #[serde(default)]
    pub uscc: String,
    /// 2–100 characters (only when joining).
    #[serde(default)]
    pub name: String,
}

/// The window in working days (1–30), for complaints received from now on.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    #[serde(deserialize_with = "crate::extract::form_number")]
    pub days: u32,
}

/// An enterprise on the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OdrEnterpriseView {
    pub uscc: String,
    pub name: String,
    pub joined_at_ms: i64,
}

/// The list and the window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OdrView {
    pub days: u32,
    pub enterprises: Vec<OdrEnterpriseView>,
}

async fn authorise(state: &AppState, caller: &Caller<'_>) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "odr").await
}

/// The enterprises in 先行和解 and the window.
pub async fn show(state: &AppState, caller: &Caller<'_>) -> Result<OdrView, AppError> {
    authorise(state, caller).await?;
    let enterprises = state
        .store
        .odr_enterprises()
        .await?
        .into_iter()
        .map(|e| OdrEnterpriseView { uscc: e.uscc, name: e.name, joined_at_ms: e.joined_at })
        .collect();
    Ok(OdrView { days: policy(state).await?.days, enterprises })
}

/// Adds an enterprise (its name is returned for the page's message).
pub async fn join(state: &AppState, caller: &Caller<'_>, input: EnterpriseInput) -> Result<String, AppError> {
    authorise(state, caller).await?;
    let name = input.name.trim().to_owned();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        return Err(AppError::field("name", "length", "请填写企业名称（2至100个字）"));
    }
    let uscc = Uscc::parse(&input.uscc)?;
    match state.store.join_odr(&caller.actor(), uscc.as_str(), &name).await {
        Ok(()) => Ok(name),
        Err(xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::AlreadyInOdr,
        ))) => Err(AppError::Conflict("该企业已在先行和解名单中".into())),
        Err(e) => Err(e.into()),
    }
}

/// Takes an enterprise off the list; complaints already settling keep their window.
pub async fn leave(state: &AppState, caller: &Caller<'_>, uscc: &str) -> Result<(), AppError> {
    authorise(state, caller).await?;
    match state.store.leave_odr(&caller.actor(), uscc.trim()).await {
        Ok(()) => Ok(()),
        Err(xinqiao_store::StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Sets the window for complaints received from now on.
pub async fn set_policy(state: &AppState, caller: &Caller<'_>, input: PolicyInput) -> Result<OdrPolicy, AppError> {
    authorise(state, caller).await?;
    if !(1..=30).contains(&input.days) {
        return Err(AppError::field("days", "range", "和解期限应为1至30个工作日"));
    }
    let policy = OdrPolicy { days: input.days };
    state.store.put_setting(&caller.actor(), POLICY_KEY, &policy).await?;
    Ok(policy)
}
