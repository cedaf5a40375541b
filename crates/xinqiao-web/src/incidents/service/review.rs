//! The service's 复盘 (after-action review): the incident's timeline, each legal clock and promise
//! with whether it was met, what the public was told and when, and the lessons — saved masked,
//! into the writer's work log (and so into the annual review's evidence).

use super::{Officer, for_change, in_scope, open};
use crate::AppState;
use crate::error::AppError;
use serde::Serialize;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::incidents::{Clocks, PromiseState};
use xinqiao_domain::time::format_cst;
use xinqiao_store::incidents::StatementStatus;

/// One moment of the incident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Moment {
    pub at_ms: i64,
    /// `YYYY-MM-DD HH:MM` (China time), or the day alone for day-counted events.
    pub when: String,
    pub what: String,
}

/// A clock or promise and how it ended (or stands).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// 法定时限 or 对公众的承诺.
    pub kind: String,
    pub title: String,
    pub due: String,
    pub outcome: String,
    pub missed: bool,
}

/// The lessons an incident's review writes down.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonsInput {
    #[serde(default)]
    pub lessons: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub id: String,
    pub title: String,
    pub enterprise_name: String,
    pub timeline: Vec<Moment>,
    pub outcomes: Vec<Outcome>,
    /// What the public was told: `(published, facts)`, oldest first.
    pub told: Vec<Moment>,
    pub lessons: Option<String>,
    pub lessons_by: Option<String>,
}

fn day_moment(d: Date, what: String) -> Moment {
    Moment { at_ms: d.start_ms(), when: d.to_string(), what }
}

fn moment(at_ms: i64, what: String) -> Moment {
    Moment { at_ms, when: format_cst(at_ms)[..16].to_owned(), what }
}

/// The review of an incident of the officer's tree (opening it is recorded like any view).
pub async fn review(state: &AppState, by: &Officer, id: &str) -> Result<ReviewView, AppError> {
    let view = open(state, by, id).await?;
    let incident = in_scope(state, by, id).await?;
    let clocks = Clocks::builtin();
    let now = state.now_ms();
    let mut timeline = vec![moment(incident.created_at, "登记事件".into())];
    for m in &incident.media {
        timeline.push(moment(m.seen_at_ms, format!("媒体报道：{}", m.url.as_str())));
    }
    for m in &incident.measures {
        let label = &clocks.rule(m.clock).label;
        timeline.push(day_moment(m.started_on, format!("措施开始：{}（{label}）", m.title)));
        if let Some((on, _)) = &m.extension {
            timeline.push(day_moment(*on, format!("经批准延长：{}", m.title)));
        }
        for t in &m.testing {
            timeline.push(day_moment(t.from, format!("检测期间开始（不计入期限）：{}，至 {}", m.title, t.until)));
        }
        if let Some(on) = m.done_on {
            timeline.push(day_moment(on, format!("措施办结：{}", m.title)));
        }
    }
    for p in &incident.promises {
        timeline.push(moment(p.made_at_ms, format!("对公众承诺：{}", p.text)));
        if let Some(at) = p.kept_at_ms {
            timeline.push(moment(at, format!("承诺兑现：{}", p.text)));
        }
    }
    let mut told = Vec::new();
    for s in state.store.incident_statements(id).await? {
        if s.status != StatementStatus::Published {
            continue;
        }
        let at = s.published_at.unwrap_or(s.drafted_at);
        let kind = if s.corrects.is_some() { "发布更正通报" } else { "发布情况通报" };
        timeline.push(moment(at, kind.to_owned()));
        told.push(moment(at, s.draft.facts.clone()));
    }
    timeline.sort_by_key(|m| m.at_ms);
    told.sort_by_key(|m| m.at_ms);
    let mut outcomes: Vec<Outcome> = view
        .measures
        .iter()
        .map(|m| Outcome {
            kind: "法定时限".into(),
            title: format!("{}（{}）", m.title, m.clock_label),
            due: m.due.as_ref().map(|d| d.date.clone()).unwrap_or_default(),
            outcome: m.state.clone(),
            missed: m.overdue,
        })
        .collect();
    for p in &incident.promises {
        let s = p.state(&clocks, now);
        outcomes.push(Outcome {
            kind: "对公众的承诺".into(),
            title: p.text.clone(),
            due: format_cst(p.due_at_ms)[..16].to_owned(),
            outcome: s.describe(),
            missed: matches!(s, PromiseState::Missed { .. } | PromiseState::KeptLate { .. }),
        });
    }
    let review = state.store.incident_review(id).await?;
    let lessons_by = match &review {
        Some(r) => Some(state.store.user(&r.written_by).await.map(|u| u.username).unwrap_or_default()),
        None => None,
    };
    Ok(ReviewView {
        id: incident.id,
        title: incident.title,
        enterprise_name: incident.enterprise_name,
        timeline,
        outcomes,
        told,
        lessons: review.map(|r| r.lessons),
        lessons_by,
    })
}

/// Saves the lessons (masked) and logs the work in the writer's 工作日志.
pub async fn save_review(state: &AppState, by: &Officer, id: &str, lessons: &str) -> Result<(), AppError> {
    let incident = for_change(state, by, id).await?;
    let lessons = lessons.trim();
    let n = lessons.chars().count();
    if !(10..=3000).contains(&n) {
        return Err(AppError::field("lessons", "bad_length", "经验教训应为10至3000字"));
    }
    let detector = state.detector().await;
    let masked = detector.mask_for(lessons, &[incident.enterprise_name.as_str()]);
    let view = review(state, by, id).await?;
    let missed = view.outcomes.iter().filter(|o| o.missed).count();
    let solved = format!("突发事件复盘：{}", incident.title);
    let told = format!(
        "对外发布通报 {} 次；法定时限与承诺共 {} 项，其中超期或逾期 {} 项",
        view.told.len(),
        view.outcomes.len(),
        missed
    );
    Ok(state.store.save_incident_review(&by.actor, id, &masked, &solved, &told).await?)
}
