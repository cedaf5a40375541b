//! 廉洁登记, the one service under the pages and the API: an officer records an entry (validated
//! in the domain, texts masked, a 请托 made a tie in the same transaction, audited); an officer
//! reads their own; a supervisor reads those of their bureau tree; the annual review reads a
//! holder's year. Who may do what is decided here, through the actor types.

use crate::AppState;
use crate::error::AppError;
use crate::scope::Scope;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::integrity::EntryForm;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::integrity::{IntegrityEntry, IntegrityScope, NewIntegrityEntry};
use xinqiao_store::users::User;

/// A 客户体验官 or 主管: may record and read their own entries.
#[derive(Debug, Clone)]
pub struct Officer {
    user: User,
    actor: Actor,
}

/// A 主管: may read the entries of their bureau tree.
#[derive(Debug, Clone)]
pub struct Supervisor {
    scope: Scope,
}

async fn refuse(state: &AppState, actor: &Actor, perm: Permission) -> Result<(), AppError> {
    let event = Event::new("access.denied", "integrity", xinqiao_domain::audit::Outcome::Denied)
        .detail(serde_json::json!({"permission": format!("{perm:?}")}));
    state.store.audit(actor, event).await?;
    Err(AppError::forbidden())
}

impl Officer {
    /// `user` acting as `actor`, if their roles let them handle cases (a refusal is audited).
    pub async fn authorise(state: &AppState, user: &User, actor: Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::HandleCases) {
            refuse(state, &actor, Permission::HandleCases).await?;
        }
        Ok(Officer { user: user.clone(), actor })
    }
}

impl Supervisor {
    /// `user` as a supervisor of their bureau tree (a refusal is audited).
    pub async fn authorise(state: &AppState, user: &User, actor: &Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::SuperviseCases) {
            refuse(state, actor, Permission::SuperviseCases).await?;
        }
        Ok(Supervisor { scope: Scope::of_org(state, user.org_id.as_deref()).await? })
    }
}

/// Records an entry; returns its id.
pub async fn record(state: &AppState, by: &Officer, form: &EntryForm) -> Result<String, AppError> {
    let entry = form.validate(state.today()).map_err(AppError::Validation)?;
    let detector = state.detector().await;
    let stored = NewIntegrityEntry {
        tie: entry.tie(),
        kind: entry.kind,
        day: entry.day,
        enterprise_uscc: entry.enterprise_uscc,
        enterprise_name: entry.enterprise_name,
        happened_masked: detector.mask(&entry.happened),
        action_masked: detector.mask(&entry.action),
    };
    Ok(state.store.record_integrity(&by.actor, &by.user.id, by.user.org_id.as_deref(), &stored).await?)
}

/// The officer's own entries (all of them).
pub async fn mine(state: &AppState, by: &Officer) -> Result<Vec<IntegrityEntry>, AppError> {
    Ok(state.store.integrity_entries(IntegrityScope::Officer(&by.user.id), 0, i64::MAX).await?)
}

/// The entries recorded in the supervisor's bureau tree in the last `days` days.
pub async fn bureau(state: &AppState, by: &Supervisor, days: i64) -> Result<Vec<IntegrityEntry>, AppError> {
    let now = state.now_ms();
    let from = now - days.clamp(1, 3660) * 86_400_000;
    Ok(state.store.integrity_entries(IntegrityScope::Bureaus(&by.scope.org_ids), from, now + 1).await?)
}

/// A certificate holder's entries of `year`, for the annual review (the caller has checked that
/// the reader is the holder or oversees them).
pub async fn of_year(state: &AppState, holder: &str, year: i64) -> Result<Vec<IntegrityEntry>, AppError> {
    let bad = || AppError::field("year", "bad_year", "年份无效");
    let start = Date::from_ymd(year, 1, 1).ok_or_else(bad)?;
    let end = Date::from_ymd(year + 1, 1, 1).ok_or_else(bad)?;
    Ok(state.store.integrity_entries(IntegrityScope::Officer(holder), start.start_ms(), end.start_ms()).await?)
}
