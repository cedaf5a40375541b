//! The reminder timer of 突发事件: every quarter of an hour, each open measure within its
//! warning days of the legal last day (or past it) and each promise within its warning hours (or
//! missed) is told once per stage to the incident's owner and its bureau's supervisors; they see
//! it on the workbench and above the incident list until the measure is done or the promise kept.

use crate::AppState;
use crate::tasks::{Task, TaskError};
use xinqiao_domain::incidents::Clocks;
use xinqiao_domain::incidents::reminders;

pub const TASK: &str = "incident_reminders";

pub fn timer() -> Task {
    Task::every(TASK, std::time::Duration::from_secs(900), |state: AppState| async move {
        match remind(&state).await {
            Ok(0) => Ok(()),
            Ok(n) => {
                tracing::info!(reminders = n, "incident reminders recorded");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not record incident reminders");
                Err(TaskError("突发事件时限提醒未能生成"))
            }
        }
    })
}

/// One pass: returns how many reminders were new.
pub async fn remind(state: &AppState) -> Result<u64, xinqiao_store::incidents::IncidentError> {
    let clocks = Clocks::builtin();
    let calendar = state.calendar();
    let (today, now) = (state.today(), state.now_ms());
    let mut new = 0;
    for id in state.store.incidents_with_open_clocks().await? {
        let incident = state.store.incident(&id).await?;
        let due = reminders::due(&incident.measures, &incident.promises, &clocks, &calendar, today, now);
        if due.is_empty() {
            continue;
        }
        let mut to = state.store.supervisors_over(&incident.org_id).await?;
        to.push(incident.owner_id.clone());
        to.sort();
        to.dedup();
        let due: Vec<_> = due.into_iter().map(|d| (d, to.clone())).collect();
        new += state.store.record_incident_reminders(&id, &due).await?;
    }
    Ok(new)
}
