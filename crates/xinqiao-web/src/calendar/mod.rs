//! 节假日安排 (the working-day calendar at run time): the notices loaded since the release are
//! read from the database at start and whenever another node loads one; loading a notice checks
//! it, moves the deadlines it changes (with a history note on each case), and is audited. The
//! horizon (the last year with a verified notice) is shown to those who must act before it ends.

mod pages;

use crate::AppState;
use crate::error::AppError;
use crate::tasks::{Task, TaskError};
use axum::Router;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use xinqiao_domain::FieldError;
use xinqiao_domain::calendar::{Calendar, CalendarError, Date, Notice};
use xinqiao_domain::cases::Status;
use xinqiao_store::audit::Actor;
use xinqiao_store::calendar::{CaseMove, NewNotice, ResultMove};
use xinqiao_store::cases::CaseClock;

pub fn router() -> Router<AppState> {
    pages::router()
}

/// How often a node looks for notices loaded on another node.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(10);

pub use crate::dates::{Horizon, REMIND_DAYS, horizon};

/// Which loaded notices this node has read (the count of stored versions).
#[derive(Debug, Default)]
pub struct Revision(AtomicI64);

/// The shipped calendar with every notice stored in the database. A stored notice that no longer
/// reads is skipped with a warning (the shipped data or the statutory base stands in).
pub async fn refresh(state: &AppState) -> Result<(), AppError> {
    let revision = state.store.calendar_revision().await?;
    let stored = state.store.calendar_notices().await?;
    let mut notices = Vec::new();
    for s in stored {
        match Notice::parse_file(&s.body) {
            Ok(mut n) => notices.append(&mut n),
            Err(e) => {
                tracing::warn!(year = s.year, version = s.version, error = %e, "a stored holiday notice does not read")
            }
        }
    }
    state.set_calendar(Calendar::builtin().with_notices(notices));
    state.calendar_revision.0.store(revision, Ordering::Relaxed);
    Ok(())
}

/// Keeps this node's calendar in step with notices loaded anywhere, looking `every` so often
/// (the first look after one period: the calendar was read at start).
pub fn follower(every: Duration) -> Task {
    Task::every("calendar", every, |state: AppState| async move {
        match state.store.calendar_revision().await {
            Ok(r) if r != state.calendar_revision.0.load(Ordering::Relaxed) => {
                if let Err(e) = refresh(&state).await {
                    tracing::warn!(error = %e, "holiday notices could not be reloaded");
                    return Err(TaskError("节假日安排无法重新读取"));
                }
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "holiday notices could not be checked");
                Err(TaskError("节假日安排无法检查"))
            }
        }
    })
    .after_first_period()
}

/// Starts (or restarts) this node's calendar follower with the period `every`, running by itself
/// even in a test app whose tasks are driven by hand.
pub fn start_follower(state: AppState, every: Duration) {
    state.tasks.spawn_running(&state, follower(every));
}

/// What loading a notice did.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// (year, version) of each notice loaded.
    pub loaded: Vec<(i64, i64)>,
    pub cases_moved: usize,
    pub results_moved: usize,
}

fn invalid(message: String) -> AppError {
    AppError::Validation(vec![FieldError::new("notice", "invalid_notice", message)])
}

/// Checks and loads the notice(s) in `text` (the `holidays-cn.toml` shape). Deadlines that move
/// are moved in the same transaction; every node picks the notice up without a restart.
pub async fn load(state: &AppState, actor: &Actor, text: &str) -> Result<LoadReport, AppError> {
    const MAX_BYTES: usize = 64 * 1024;
    if text.len() > MAX_BYTES {
        return Err(invalid(format!("节假日安排文件过大（上限 {} KB）", MAX_BYTES / 1024)));
    }
    let notices = Notice::parse_file(text).map_err(|e| match e {
        CalendarError::Invalid(problems) => invalid(problems.join("；")),
        CalendarError::BadData(m) => invalid(format!("文件格式有误：{m}")),
    })?;
    let old = state.calendar();
    let mut problems = Vec::new();
    for n in &notices {
        if let Err(p) = n.check(old.statutory()) {
            problems.extend(p);
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems.join("；")));
    }
    let new = old.with_notices(notices.clone());
    let (cases, results) = moves(state, &old, &new).await?;
    let rows: Vec<NewNotice> = notices
        .iter()
        .map(|n| NewNotice { year: n.year, body: n.to_toml(), source: n.source.clone(), verified: n.verified })
        .collect();
    let loaded = state.store.load_calendar_notices(actor, &rows, &cases, &results).await?;
    refresh(state).await?;
    Ok(LoadReport { loaded, cases_moved: cases.len(), results_moved: results.len() })
}

/// The deadlines that differ between `old` and `new`: open cases (their current limit and the
/// stored end of 先行和解) and unpublished inspection results.
async fn moves(state: &AppState, old: &Calendar, new: &Calendar) -> Result<(Vec<CaseMove>, Vec<ResultMove>), AppError> {
    let today = state.today();
    let running = [
        Status::Settling,
        Status::AwaitingAcceptance,
        Status::AwaitingVerification,
        Status::Accepted,
        Status::Assigned,
        Status::Mediating,
    ];
    let cases = state.store.cases_in_statuses(&running).await?;
    let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    let clocks = state.store.clocks(&ids).await?;
    let none = CaseClock::default();
    let mut case_moves = Vec::new();
    for case in &cases {
        let clock = clocks.get(&case.id).unwrap_or(&none);
        let mut notes = Vec::new();
        let before = crate::cases::view::deadline_on(old, &state.rules, today, case, clock);
        let after = crate::cases::view::deadline_on(new, &state.rules, today, case, clock);
        if let (Some(b), Some(a)) = (&before, &after)
            && b.date != a.date
        {
            notes.push(format!("{}期限由 {} 调整为 {}", a.label, b.date, a.date));
        }
        let mut settle_until = None;
        if let Some(until) = case.settle_until.filter(|_| case.status == Status::Settling) {
            let (received, until) = (Date(case.received_day), Date(until));
            let n = old.working_days_between(received, until).value;
            let moved = new.add_working_days(received, n).value;
            if moved != until {
                notes.push(format!("先行和解期限由 {until} 调整为 {moved}"));
                settle_until = Some(moved.0);
            }
        }
        if !notes.is_empty() {
            let note = format!("因节假日安排公布，{}。", notes.join("；"));
            case_moves.push(CaseMove { case_id: case.id.clone(), settle_until, note });
        }
    }
    let mut result_moves = Vec::new();
    for r in state.store.unpublished_results().await? {
        let recorded = Date::of_epoch_ms(r.recorded_at);
        let n = old.working_days_between(recorded, Date(r.due_day)).value;
        let moved = new.add_working_days(recorded, n).value;
        if moved.0 != r.due_day {
            result_moves.push(ResultMove { task_id: r.task_id, uscc: r.uscc, due_day: moved.0 });
        }
    }
    Ok((case_moves, result_moves))
}

/// One year as the settings page and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct YearInfo {
    pub year: i64,
    /// notice (verified notice), unverified_notice, or statutory (no notice yet: provisional).
    pub basis: &'static str,
    pub basis_label: &'static str,
    pub source: String,
    /// The statutory holidays of the year (date and name).
    pub statutory: Vec<(String, String)>,
}

/// The years around today: every year with a notice, and the next two years.
pub fn years(calendar: &Calendar, today: Date) -> Vec<YearInfo> {
    use xinqiao_domain::calendar::Basis;
    let mut years: Vec<i64> = calendar.notices().map(|n| n.year).collect();
    years.extend([today.year(), today.year() + 1, today.year() + 2]);
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let (basis, basis_label) = match calendar.basis(year) {
                Basis::Notice => ("notice", "国务院通知（已核实）"),
                Basis::UnverifiedNotice => ("unverified_notice", "国务院通知（尚未与原文核对）"),
                Basis::Statutory => ("statutory", "暂按法定节假日（调休安排尚未公布）"),
            };
            let source = match calendar.notice(year) {
                Some(n) => n.source.clone(),
                None => calendar.statutory().version(year).source.clone(),
            };
            let statutory = calendar.statutory().days(year).into_iter().map(|d| (d.date.to_string(), d.name)).collect();
            YearInfo { year, basis, basis_label, source, statutory }
        })
        .collect()
}
