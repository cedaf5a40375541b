//! The officer's and supervisor's workbench counts (工作台): 待受理, due within two working days,
//! overdue, 待回访, warnings assigned to me and draws waiting for my results — each a link to the
//! queue or page that lists exactly what it counts.

use crate::AppState;
use crate::auth::Staff;
use crate::error::AppError;
use xinqiao_domain::accounts::Permission;

/// One count on the workbench.
pub struct WorkItem {
    pub id: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub href: String,
    /// Shown in the warning colour when not zero.
    pub urgent: bool,
}

/// The counts for `staff`; empty for someone who does not handle cases.
pub async fn items(state: &AppState, staff: &Staff) -> Result<Vec<WorkItem>, AppError> {
    if !staff.can(Permission::HandleCases) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if let Some(c) = crate::cases::queue::counts(state, staff).await? {
        let item = |id, label, count, href: &str, urgent| WorkItem { id, label, count, href: href.to_owned(), urgent };
        out.push(item("work-awaiting", "待受理", c.awaiting_acceptance, "/cases?status=awaiting_acceptance", false));
        out.push(item("work-soon", "两个工作日内到期", c.soon, "/cases?due=soon&sort=due", true));
        out.push(item("work-overdue", "已超期", c.overdue, "/cases?due=overdue&sort=due", true));
        out.push(item("work-follow-up", "待回访", c.follow_up, "/cases?status=closed", false));
    }
    let me = staff.user().id.as_str();
    let warnings = crate::insights::warnings_assigned_to(state, staff).await?;
    out.push(WorkItem {
        id: "work-warnings",
        label: "指派给我的预警",
        count: warnings,
        href: "/insights/warnings?mine=1".into(),
        urgent: false,
    });
    let draws = draws_waiting_for(state, me).await?;
    out.push(WorkItem {
        id: "work-draws",
        label: "待我录入结果的抽查",
        count: draws.len(),
        href: match draws.as_slice() {
            [one] => format!("/inspections/{one}"),
            _ => "/inspections".into(),
        },
        urgent: false,
    });
    Ok(out)
}

/// Drawn tasks in which `user_id` (as an inspector in the directory) has a target without a result.
async fn draws_waiting_for(state: &AppState, user_id: &str) -> Result<Vec<String>, AppError> {
    let Some(cert) = state.store.cert_of_user(user_id).await? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for task in state.store.draw_tasks().await?.into_iter().filter(|t| t.status == "drawn") {
        let (_, json) = state.store.draw_task(&task.id).await?;
        let doc = crate::inspections::document(&json)?;
        let results = state.store.task_results(&task.id, false).await?;
        let waiting = doc
            .outcome
            .iter()
            .flat_map(|o| o.targets.iter())
            .any(|t| t.inspectors.contains(&cert) && !results.iter().any(|r| r.uscc == t.uscc));
        if waiting {
            out.push(task.id);
        }
    }
    Ok(out)
}
