//! The service's 泄密演练: a supervisor of the tree exercises the leak of an incident's plan and
//! reads the report — everyone who opened the incident before the plan was carried out (off the
//! team first), the drill's time against the bureau's own target, the incident's legal clocks and
//! promises as they stand — then closes it with the findings. Reading a report is audited.

use super::{Officer, in_scope, invalid};
use crate::AppState;
use crate::error::AppError;
use crate::incidents::view::build_view;
use serde::{Deserialize, Serialize};
use xinqiao_domain::incidents::drill::{DrillTiming, Opening, openers_before};
use xinqiao_domain::incidents::model::one_line;
use xinqiao_domain::time::format_cst;
use xinqiao_store::incidents::{LeakDrill, NewLeakDrill};

fn supervisor(by: &Officer) -> Result<(), AppError> {
    if by.is_supervisor() { Ok(()) } else { Err(AppError::Forbidden("泄密演练由主管组织和查阅".into())) }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillInput {
    /// The plan whose leak is exercised (检查方案、封存行动 …).
    pub plan: String,
    /// When the plan was (or is to be) carried out: `YYYY-MM-DDTHH:MM` (China time).
    pub carried_out_at: String,
    /// The scenario (stored masked).
    pub scenario: String,
    /// The bureau's own target for finding who knew the plan, in hours (1–720; not a legal clock).
    #[serde(deserialize_with = "crate::extract::form_number")]
    pub target_hours: u32,
}

/// Starts a leak drill on the incident (supervisors of the tree).
pub async fn start_drill(state: &AppState, by: &Officer, id: &str, input: DrillInput) -> Result<String, AppError> {
    supervisor(by)?;
    let incident = in_scope(state, by, id).await?;
    let plan = one_line("plan", "演练的方案", &input.plan, 100).map_err(invalid)?;
    let carried_out_at = super::statements::instant("carried_out_at", &input.carried_out_at)?;
    let scenario = input.scenario.trim();
    if scenario.is_empty() || scenario.chars().count() > 2000 {
        return Err(AppError::field("scenario", "bad_scenario", "请填写演练情景（2000字以内）"));
    }
    if !(1..=720).contains(&input.target_hours) {
        return Err(AppError::field("target_hours", "bad_target", "演练目标时限应在1至720小时之间"));
    }
    let detector = state.detector().await;
    let scenario = detector.mask_for(scenario, &[incident.enterprise_name.as_str()]);
    let new = NewLeakDrill { plan, carried_out_at, scenario, target_hours: input.target_hours };
    Ok(state.store.start_leak_drill(&by.actor, id, &new).await?)
}

/// The incident's drills (supervisors of the tree).
pub async fn drills(state: &AppState, by: &Officer, id: &str) -> Result<Vec<LeakDrill>, AppError> {
    supervisor(by)?;
    in_scope(state, by, id).await?;
    Ok(state.store.leak_drills(id).await?)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpenerView {
    pub username: String,
    pub first_ms: i64,
    pub first: String,
    pub last: String,
    pub times: usize,
    pub on_team: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockLine {
    /// `legal` (a measure's clock) or `promise` (the bureau's promise to the public).
    pub kind: String,
    pub title: String,
    pub due: String,
    pub state: String,
    pub missed: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrillReport {
    pub id: String,
    pub incident_id: String,
    pub incident_title: String,
    pub plan: String,
    pub carried_out_at_ms: i64,
    pub carried_out: String,
    pub scenario: String,
    pub started: String,
    /// The drill's time against its target, in words.
    pub timing: String,
    pub target_hours: u32,
    /// Whether the target was met, once the drill is closed.
    pub target_met: Option<bool>,
    /// Everyone who opened the incident before the plan was carried out: off the team first.
    pub openers: Vec<OpenerView>,
    /// How many of them are not on the team.
    pub outside_team: usize,
    pub clocks: Vec<ClockLine>,
    pub findings: Option<String>,
    pub closed: Option<String>,
}

/// The drill's report (supervisors of the tree); the reading is audited.
pub async fn drill_report(state: &AppState, by: &Officer, id: &str, drill: &str) -> Result<DrillReport, AppError> {
    supervisor(by)?;
    in_scope(state, by, id).await?;
    let d = state.store.leak_drill(id, drill).await?;
    state.store.record_drill_view(&by.actor, id, drill).await?;
    let incident = state.store.incident(id).await?;
    let viewers = state.store.incident_viewers(id).await?;
    let openings: Vec<Opening> =
        viewers.iter().map(|v| Opening { user_id: v.user_id.clone(), at_ms: v.viewed_at }).collect();
    let names: std::collections::HashMap<&str, &str> =
        viewers.iter().map(|v| (v.user_id.as_str(), v.username.as_str())).collect();
    let openers: Vec<OpenerView> = openers_before(&openings, d.carried_out_at, &incident.team)
        .into_iter()
        .map(|o| OpenerView {
            username: names.get(o.user_id.as_str()).map_or_else(|| o.user_id.clone(), |n| (*n).to_owned()),
            first_ms: o.first_ms,
            first: format_cst(o.first_ms),
            last: format_cst(o.last_ms),
            times: o.times,
            on_team: o.on_team,
        })
        .collect();
    let timing = DrillTiming::new(d.started_at, d.closed_at, state.now_ms(), d.target_hours);
    let view = build_view(state, incident.clone(), Vec::new());
    let clocks = view
        .measures
        .iter()
        .map(|m| ClockLine {
            kind: "legal".into(),
            title: format!("{}（{}）", m.title, m.clock_label),
            due: m.due.as_ref().map_or_else(String::new, |d| d.date.clone()),
            state: m.state.clone(),
            missed: m.overdue,
        })
        .chain(view.promises.iter().map(|p| ClockLine {
            kind: "promise".into(),
            title: p.text.clone(),
            due: format_cst(p.due_at_ms),
            state: p.countdown.clone(),
            missed: !p.kept && p.due_at_ms < state.now_ms(),
        }))
        .collect();
    Ok(DrillReport {
        id: d.id,
        incident_id: incident.id,
        incident_title: incident.title,
        plan: d.plan,
        carried_out_at_ms: d.carried_out_at,
        carried_out: format_cst(d.carried_out_at),
        scenario: d.scenario,
        started: format_cst(d.started_at),
        timing: timing.describe(),
        target_hours: d.target_hours,
        target_met: timing.closed.then(|| timing.met()),
        outside_team: openers.iter().filter(|o| !o.on_team).count(),
        openers,
        clocks,
        findings: d.findings,
        closed: d.closed_at.map(format_cst),
    })
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingsInput {
    /// What the drill found (stored masked); closes the drill.
    pub findings: String,
}

/// Closes the drill with its findings (supervisors of the tree), once.
pub async fn close_drill(
    state: &AppState,
    by: &Officer,
    id: &str,
    drill: &str,
    input: FindingsInput,
) -> Result<(), AppError> {
    supervisor(by)?;
    let incident = in_scope(state, by, id).await?;
    state.store.leak_drill(id, drill).await?;
    let findings = input.findings.trim();
    if findings.is_empty() || findings.chars().count() > 5000 {
        return Err(AppError::field("findings", "bad_findings", "请填写演练结论（5000字以内）"));
    }
    let detector = state.detector().await;
    let findings = detector.mask_for(findings, &[incident.enterprise_name.as_str()]);
    Ok(state.store.close_leak_drill(&by.actor, id, drill, &findings).await?)
}
