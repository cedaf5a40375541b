//! 年报 help, the one service: the guide (fields linked to their Q&A entries: the entry itself
//! once published, else a search for it), the enterprise's own period, reminders and statement
//! that it filed, the reminder task (stages before 30 June from the data, the day from the app's
//! clock), and the bureau tree's campaign: pass rate (reported / should report) this year and the
//! year before, per bureau.

use crate::AppState;
use crate::error::AppError;
use crate::scope::Scope;
use crate::tasks::{Task, TaskError};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::annual_report::{Guide, Period, pass_rate};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::QaStatus;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::users::User;

pub fn guide() -> &'static Guide {
    static GUIDE: OnceLock<Guide> = OnceLock::new();
    GUIDE.get_or_init(Guide::builtin)
}

async fn refusal(state: &AppState, actor: &Actor, perm: Permission) -> AppError {
    let event = Event::new("access.denied", "annual_report", Outcome::Denied)
        .detail(serde_json::json!({"permission": format!("{perm:?}")}));
    match state.store.audit(actor, event).await {
        Ok(_) => AppError::forbidden(),
        Err(e) => e.into(),
    }
}

/// Where each field's Q&A link goes: the published entry, else a search for the field.
pub async fn qa_links(state: &AppState) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for f in &guide().fields {
        let published = match state.store.entry(&f.qa).await {
            Ok(row) => row.status == QaStatus::Published,
            Err(xinqiao_store::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        out.push(if published {
            format!("/qa/{}", f.qa)
        } else {
            format!("/qa?q={}", crate::text::query_value(&format!("年报 {}", f.name)))
        });
    }
    Ok(out)
}

/// An 企业用户 with its 统一社会信用代码.
#[derive(Debug, Clone)]
pub struct Filer {
    actor: Actor,
    uscc: String,
    org_id: Option<String>,
}

impl Filer {
    pub async fn of(state: &AppState, user: &User, actor: Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::EnterprisePortal) {
            return Err(refusal(state, &actor, Permission::EnterprisePortal).await);
        }
        let uscc = user.uscc.clone().ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))?;
        Ok(Filer { actor, uscc, org_id: user.org_id.clone() })
    }
}

/// What the enterprise sees.
pub struct Standing {
    pub period: Period,
    pub days_left: Option<i64>,
    pub filed: Option<Date>,
    /// (days before the deadline, day given), latest first — only while not filed.
    pub reminders: Vec<(u32, Date)>,
}

pub async fn standing(state: &AppState, by: &Filer) -> Result<Standing, AppError> {
    let today = state.today();
    let period = guide().period(today);
    let filed =
        state.store.annual_filings(period.reported_year).await?.into_iter().find(|(u, _)| *u == by.uscc).map(|x| x.1);
    let reminders = if filed.is_some() {
        Vec::new()
    } else {
        state.store.annual_reminders_of(period.reported_year, &by.uscc).await?
    };
    Ok(Standing { days_left: period.days_left(today), period, filed, reminders })
}

/// The enterprise states it filed this year's report (once).
pub async fn file(state: &AppState, by: &Filer) -> Result<(), AppError> {
    let today = state.today();
    let year = guide().period(today).reported_year;
    if state.store.record_annual_filing(&by.actor, year, &by.uscc, by.org_id.as_deref(), today).await? {
        Ok(())
    } else {
        Err(AppError::Conflict(format!("本企业{year}年度年报已登记为已报送")))
    }
}

/// Gives the reminders due today to the enterprises that have not filed; returns how many.
pub async fn remind(state: &AppState) -> Result<usize, AppError> {
    let today = state.today();
    let Some(stage) = guide().reminder_stage(today) else { return Ok(0) };
    let year = guide().period(today).reported_year;
    let filed: BTreeSet<String> = state.store.annual_filings(year).await?.into_iter().map(|x| x.0).collect();
    let due: Vec<String> =
        state.store.annual_reporters().await?.into_iter().map(|r| r.uscc).filter(|u| !filed.contains(u)).collect();
    Ok(state.store.remind_annual(year, stage, today, &due).await?)
}

/// The supervised task that gives the reminders (hourly; the day comes from the app's clock).
pub fn reminder_task() -> Task {
    Task::every("annual-report-reminders", std::time::Duration::from_secs(3600), |state: AppState| async move {
        match remind(&state).await {
            Ok(0) => Ok(()),
            Ok(n) => {
                tracing::info!(enterprises = n, "年报 reminders given");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not give 年报 reminders");
                Err(TaskError("年报到期提醒未能发出"))
            }
        }
    })
}

/// One bureau's line of the campaign.
pub struct CampaignRow {
    pub org: String,
    pub should: usize,
    pub reported: usize,
    pub reminded: usize,
    /// Per cent this year, and the year before for the same enterprises.
    pub rate: Option<f64>,
    pub before: Option<f64>,
}

/// The campaign over the staff member's bureau tree: a row per bureau and the total (last).
pub async fn campaign(state: &AppState, user: &User, actor: &Actor) -> Result<(Period, Vec<CampaignRow>), AppError> {
    if !allows(&user.roles, Permission::HandleCases) {
        return Err(refusal(state, actor, Permission::HandleCases).await);
    }
    let scope = Scope::of_org(state, user.org_id.as_deref()).await?;
    let period = guide().period(state.today());
    let year = period.reported_year;
    let now: BTreeSet<String> = state.store.annual_filings(year).await?.into_iter().map(|x| x.0).collect();
    let then: BTreeSet<String> = state.store.annual_filings(year - 1).await?.into_iter().map(|x| x.0).collect();
    let reminded: BTreeSet<String> = state.store.annual_reminder_count(year).await?.into_iter().map(|x| x.0).collect();
    let mut by_org: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in state.store.annual_reporters().await?.into_iter().filter(|r| scope.has_org(&r.org_id)) {
        by_org.entry(r.org_id).or_default().push(r.uscc);
    }
    let orgs = state.store.list_orgs().await?;
    let row = |org: String, usccs: &[String]| {
        let count = |set: &BTreeSet<String>| usccs.iter().filter(|u| set.contains(*u)).count();
        CampaignRow {
            org,
            should: usccs.len(),
            reported: count(&now),
            reminded: count(&reminded),
            rate: pass_rate(count(&now), usccs.len()),
            before: pass_rate(count(&then), usccs.len()),
        }
    };
    let mut rows: Vec<CampaignRow> = scope
        .org_ids
        .iter()
        .filter_map(|id| {
            let usccs = by_org.get(id)?;
            let name = orgs.iter().find(|o| &o.id == id).map_or_else(|| id.clone(), |o| o.name.clone());
            Some(row(name, usccs))
        })
        .collect();
    let all: Vec<String> = by_org.into_values().flatten().collect();
    rows.push(row("合计".into(), &all));
    Ok((period, rows))
}
