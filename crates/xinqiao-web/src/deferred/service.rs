//! 容缺受理, the one service: the bureau's policy (a setting with its source; 主管 change it), an
//! application admitted by the domain's conditions with its deadline on the working-day
//! calendar, marked supplied or ended, and the report of days saved — all within the handler's
//! bureau tree, every change audited by the store.

use crate::AppState;
use crate::auth::Staff;
use crate::error::AppError;
use crate::scope::Scope;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::deferred::{self, Policy, Request, Standing};
use xinqiao_store::audit::Actor;
use xinqiao_store::deferred::{Deferred, DeferredError, NewDeferred};

pub const POLICY: &str = "services.deferred";

/// A 客户体验官 or 主管 working in a bureau.
#[derive(Debug, Clone)]
pub struct Handler {
    actor: Actor,
    org_id: String,
    scope: Scope,
    pub supervisor: bool,
}

impl Handler {
    pub async fn authorise(state: &AppState, staff: &Staff) -> Result<Self, AppError> {
        staff.require(state, Permission::HandleCases, "deferred").await?;
        let org_id = staff.user().org_id.clone().ok_or_else(|| AppError::Forbidden("您的账户还没有所属机构".into()))?;
        Ok(Handler {
            actor: staff.actor(),
            scope: staff.scope(state).await?,
            org_id,
            supervisor: staff.can(Permission::SuperviseCases),
        })
    }
}

pub async fn policy(state: &AppState) -> Result<Policy, AppError> {
    Ok(state.store.setting(POLICY).await?.unwrap_or_default())
}

/// A 主管 changes the policy's parameters (its source stays with it).
pub async fn set_policy(
    state: &AppState,
    by: &Handler,
    enabled: bool,
    days: u32,
    refuse_bad_credit: bool,
) -> Result<Policy, AppError> {
    if !by.supervisor {
        return Err(AppError::forbidden());
    }
    if !(1..=60).contains(&days) {
        return Err(AppError::field("days_to_supply", "range", "补齐期限应为 1 至 60 个工作日"));
    }
    let p = Policy { enabled, days_to_supply: days, refuse_bad_credit, ..policy(state).await? };
    state.store.put_setting(&by.actor, POLICY, &p).await?;
    Ok(p)
}

/// What the officer enters.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub enterprise_name: String,
    pub matter: String,
    /// One material per line.
    pub missing: String,
    pub core_complete: bool,
    pub promise_signed: bool,
    pub bad_credit: bool,
}

pub async fn accept(state: &AppState, by: &Handler, a: &Application) -> Result<String, AppError> {
    let name = a.enterprise_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("enterprise_name", "length", "请填写申请人（企业或个体工商户）名称，100字以内"));
    }
    let matter = a.matter.trim();
    if matter.is_empty() || matter.chars().count() > 60 {
        return Err(AppError::field("matter", "length", "请填写办理事项，60字以内"));
    }
    let detector = state.detector().await;
    let missing: Vec<String> =
        a.missing.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| detector.mask(l)).collect();
    if missing.len() > 20 || missing.iter().any(|m| m.chars().count() > 100) {
        return Err(AppError::field("missing", "length", "后补材料最多20项，每项100字以内"));
    }
    let request = Request {
        core_complete: a.core_complete,
        promise_signed: a.promise_signed,
        bad_credit: a.bad_credit,
        missing: missing.clone(),
    };
    let today = state.today();
    let due = deferred::admit(&policy(state).await?, &request, today, &state.calendar())
        .map_err(|r| AppError::field("conditions", "refused", r.to_string()))?;
    let new = NewDeferred {
        org_id: by.org_id.clone(),
        enterprise_name: name.to_owned(),
        matter: matter.to_owned(),
        missing,
        accepted_on: today,
        deadline: due.value,
    };
    Ok(state.store.create_deferred(&by.actor, &new).await?)
}

fn closed_error(e: DeferredError) -> AppError {
    match e {
        DeferredError::NotFound => AppError::NotFound,
        DeferredError::AlreadyClosed => AppError::Conflict("该事项已经结束（可能已由他人处理），请刷新后查看".into()),
        DeferredError::Store(e) => e.into(),
    }
}

/// Marks an application supplied (`true`) or ended (`false`) today.
pub async fn close(state: &AppState, by: &Handler, id: &str, supplied: bool) -> Result<(), AppError> {
    let d = state.store.deferred(id).await.map_err(closed_error)?;
    if !by.scope.has_org(&d.org_id) {
        return Err(AppError::NotFound);
    }
    let today = state.today();
    let to = if supplied {
        deferred::supply(d.standing, d.deadline, today)
    } else {
        deferred::end(d.standing, d.deadline, today)
    }
    .map_err(|m| AppError::Conflict(m.into()))?;
    state.store.close_deferred(&by.actor, id, to, today).await.map_err(closed_error)
}

/// The applications of the handler's bureau tree, each with the working days it saved.
pub async fn list(state: &AppState, by: &Handler) -> Result<Vec<(Deferred, u32)>, AppError> {
    let cal = state.calendar();
    Ok(state
        .store
        .deferred_in(&by.scope.org_ids)
        .await?
        .into_iter()
        .map(|d| {
            let saved = deferred::days_saved(&cal, d.standing, d.accepted_on, d.closed_on);
            (d, saved)
        })
        .collect())
}

/// Counts: (open, supplied, ended, working days saved in all).
pub fn report(items: &[(Deferred, u32)]) -> (usize, usize, usize, u32) {
    let count = |s: Standing| items.iter().filter(|(d, _)| d.standing == s).count();
    (count(Standing::Open), count(Standing::Supplied), count(Standing::Ended), items.iter().map(|(_, n)| n).sum())
}
