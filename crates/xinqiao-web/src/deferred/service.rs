//! 容缺受理, the one service: the bureau's policy (a setting with its source; 主管 change it), an
//! application admitted by the domain's conditions with its deadline on the working-day
//! calendar, marked supplied or ended, reminded before the deadline (a supervised task; the
//! applicant sees it on the enterprise's page, the officer on /deferred and the workbench), and
//! the report of days saved — all within the handler's bureau tree, every change audited by the
//! store. The pages and the API both go through the actor types here.

use crate::AppState;
use crate::auth::Staff;
use crate::error::AppError;
use crate::scope::Scope;
use crate::tasks::{Task, TaskError};
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::deferred::{self, Policy, Request, Standing};
use xinqiao_domain::ids::Uscc;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::deferred::{Deferred, DeferredError, NewDeferred};
use xinqiao_store::users::User;

pub const POLICY: &str = "services.deferred";

/// A 客户体验官 or 主管 working in a bureau.
#[derive(Debug, Clone)]
pub struct Handler {
    actor: Actor,
    org_id: String,
    scope: Scope,
    pub supervisor: bool,
}

/// Records a refusal in the audit trail; the 403 to answer.
async fn refusal(state: &AppState, actor: &Actor, perm: Permission) -> AppError {
    let event = Event::new("access.denied", "deferred", Outcome::Denied)
        .detail(serde_json::json!({"permission": format!("{perm:?}")}));
    match state.store.audit(actor, event).await {
        Ok(_) => AppError::forbidden(),
        Err(e) => e.into(),
    }
}

impl Handler {
    pub async fn authorise(state: &AppState, staff: &Staff) -> Result<Self, AppError> {
        Self::of(state, staff.user(), staff.actor()).await
    }

    /// `user` acting as `actor` (a page's session or an API token).
    pub async fn of(state: &AppState, user: &User, actor: Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::HandleCases) {
            return Err(refusal(state, &actor, Permission::HandleCases).await);
        }
        let org_id = user.org_id.clone().ok_or_else(|| AppError::Forbidden("您的账户还没有所属机构".into()))?;
        Ok(Handler {
            actor,
            scope: Scope::of_org(state, Some(&org_id)).await?,
            org_id,
            supervisor: allows(&user.roles, Permission::SuperviseCases),
        })
    }
}

/// An 企业用户: sees the applications made under its own 统一社会信用代码.
#[derive(Debug, Clone)]
pub struct Applicant {
    uscc: String,
}

impl Applicant {
    pub async fn of(state: &AppState, user: &User, actor: &Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::EnterprisePortal) {
            return Err(refusal(state, actor, Permission::EnterprisePortal).await);
        }
        let uscc = user.uscc.clone().ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))?;
        Ok(Applicant { uscc })
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
    remind_before: u32,
) -> Result<Policy, AppError> {
    if !by.supervisor {
        return Err(refusal(state, &by.actor, Permission::SuperviseCases).await);
    }
    if !(1..=60).contains(&days) {
        return Err(AppError::field("days_to_supply", "range", "补齐期限应为 1 至 60 个工作日"));
    }
    if remind_before > days {
        return Err(AppError::field("remind_before", "range", "到期提醒的提前天数不能超过补齐期限"));
    }
    let p = Policy { enabled, days_to_supply: days, refuse_bad_credit, remind_before, ..policy(state).await? };
    state.store.put_setting(&by.actor, POLICY, &p).await?;
    Ok(p)
}

/// What the officer enters.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub enterprise_name: String,
    /// Optional; when given, the enterprise's accounts see the application and its reminder.
    pub enterprise_uscc: String,
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
    let uscc = match a.enterprise_uscc.trim() {
        "" => None,
        code => Some(
            Uscc::parse(code)
                .map_err(|_| {
                    AppError::field("enterprise_uscc", "invalid", "统一社会信用代码有误，请核对18位代码（可不填）")
                })?
                .as_str()
                .to_owned(),
        ),
    };
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
        enterprise_uscc: uscc,
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

/// One application of the handler's bureau tree.
pub async fn one(state: &AppState, by: &Handler, id: &str) -> Result<(Deferred, u32), AppError> {
    let d = state.store.deferred(id).await.map_err(closed_error)?;
    if !by.scope.has_org(&d.org_id) {
        return Err(AppError::NotFound);
    }
    let saved = deferred::days_saved(&state.calendar(), d.standing, d.accepted_on, d.closed_on);
    Ok((d, saved))
}

/// The applications under the applicant's own 统一社会信用代码.
pub async fn of_applicant(state: &AppState, by: &Applicant) -> Result<Vec<Deferred>, AppError> {
    Ok(state.store.deferred_of_enterprise(&by.uscc).await?)
}

/// Open applications of the handler's tree whose reminder was given: the deadline is near.
pub fn due_soon(items: &[(Deferred, u32)]) -> usize {
    items.iter().filter(|(d, _)| d.standing == Standing::Open && d.reminded_on.is_some()).count()
}

/// Gives the reminders that fell due today; returns how many.
pub async fn remind(state: &AppState) -> Result<usize, AppError> {
    let p = policy(state).await?;
    let (cal, today) = (state.calendar(), state.today());
    let mut n = 0;
    for d in state.store.deferred_to_remind().await? {
        if deferred::reminder_due(&cal, d.standing, d.deadline, today, p.remind_before)
            && state.store.remind_deferred(&d.id, today).await?
        {
            n += 1;
        }
    }
    Ok(n)
}

/// The supervised task that gives the reminders (hourly; the day comes from the app's clock).
pub fn reminder_task() -> Task {
    Task::every("deferred-reminders", std::time::Duration::from_secs(3600), |state: AppState| async move {
        match remind(&state).await {
            Ok(0) => Ok(()),
            Ok(n) => {
                tracing::info!(applications = n, "容缺受理 reminders given");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not give 容缺受理 reminders");
                Err(TaskError("容缺受理到期提醒未能发出"))
            }
        }
    })
}

/// Counts: (open, supplied, ended, working days saved in all).
pub fn report(items: &[(Deferred, u32)]) -> (usize, usize, usize, u32) {
    let count = |s: Standing| items.iter().filter(|(d, _)| d.standing == s).count();
    (count(Standing::Open), count(Standing::Supplied), count(Standing::Ended), items.iter().map(|(_, n)| n).sum())
}
