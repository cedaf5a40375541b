//! What an incident looks like to its officers: each measure with its legal clock (due date with
//! its calendar note, the state in words, the rule's basis and whether it was verified), the
//! bureau's promises apart from the law with their countdown and warning, and who opened it.

use crate::AppState;
use crate::dates::ShownDate;
use serde::Serialize;
use xinqiao_domain::incidents::{ClockKind, ClockState, Clocks, PromiseState};
use xinqiao_store::incidents::{Incident, ViewRecord};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureView {
    pub id: String,
    pub title: String,
    /// The clock's key (`sealing` …) and label.
    pub clock: String,
    pub clock_label: String,
    pub basis: String,
    /// The rule was read in the official text; otherwise shown as unverified.
    pub verified: bool,
    pub started_on: String,
    #[schema(value_type = Option<Object>)]
    pub due: Option<ShownDate>,
    /// The state in words (剩余 3 天（2 个工作日）, 已超期 1 天 …), or why the clock cannot be computed.
    pub state: String,
    pub overdue: bool,
    pub extended: bool,
    /// The rule allows an extension and it was not used yet.
    pub extendable: bool,
    /// Testing periods excluded, as `from..=until`.
    pub testing: Vec<String>,
    pub done_on: Option<String>,
    /// A re-test request whose laboratory is still to be drawn.
    pub retest_drawable: bool,
    pub retest_lab: Option<RetestLabView>,
}

/// The re-test laboratory drawn at random, with what anyone needs to recompute the draw.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RetestLabView {
    pub picked: String,
    /// The laboratory of the first test, which could not be drawn.
    pub original_lab: String,
    /// The laboratories the draw was made from, in the order hashed.
    pub candidates: Vec<String>,
    /// The random seed, 64 hexadecimal digits.
    pub seed: String,
    /// The user id of the officer who drew it.
    pub drawn_by: String,
    pub drawn_at_ms: i64,
    /// When, in China time (YYYY-MM-DD HH:MM).
    pub drawn_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PromiseView {
    pub id: String,
    pub text: String,
    pub made_at_ms: i64,
    pub due_at_ms: i64,
    pub countdown: String,
    /// The owner and the supervisor must be warned (due soon or missed).
    pub warning: bool,
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ViewerView {
    pub username: String,
    pub viewed_at_ms: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub enterprise_name: String,
    pub enterprise_uscc: Option<String>,
    pub owner_id: String,
    pub team: Vec<String>,
    /// Linked cases and warnings, oldest first.
    pub links: Vec<LinkView>,
    pub media: Vec<MediaView>,
    pub products: Vec<ProductView>,
    pub measures: Vec<MeasureView>,
    pub promises: Vec<PromiseView>,
    pub viewers: Vec<ViewerView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    /// `case` or `warning`.
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductView {
    /// GTIN-14.
    pub gtin: String,
    pub batch: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MediaView {
    pub url: String,
    pub excerpt: String,
    pub seen_at_ms: i64,
}

pub fn build_view(state: &AppState, i: Incident, viewers: Vec<ViewRecord>) -> IncidentView {
    let clocks = Clocks::builtin();
    let calendar = state.calendar();
    let (today, now) = (state.today(), state.now_ms());
    let measures = i
        .measures
        .iter()
        .map(|m| {
            let rule = clocks.rule(m.clock);
            let due = m.due(&clocks, &calendar);
            let clock_state = due.as_ref().ok().map(|d| ClockState::of(&calendar, d.value, today, m.done_on));
            let retest_lab = i.retest_lab(&m.id).map(|r| RetestLabView {
                picked: r.draw.picked.clone(),
                original_lab: r.draw.pool.original.clone(),
                candidates: r.draw.pool.eligible.clone(),
                seed: r.draw.seed_hex(),
                drawn_by: r.drawn_by.clone(),
                drawn_at_ms: r.drawn_at,
                drawn_at: xinqiao_domain::time::format_cst(r.drawn_at),
            });
            MeasureView {
                id: m.id.clone(),
                title: m.title.clone(),
                clock: m.clock.key().to_owned(),
                clock_label: rule.label.clone(),
                basis: rule.basis.clone(),
                verified: rule.verified,
                started_on: m.started_on.to_string(),
                due: due.as_ref().ok().map(|d| ShownDate::of(*d)),
                state: match (&due, clock_state) {
                    (Err(e), _) => format!("无法计算：{e}"),
                    (_, Some(s)) => s.describe(),
                    _ => String::new(),
                },
                overdue: matches!(clock_state, Some(ClockState::Overdue { .. } | ClockState::Missed { .. })),
                extended: m.extension.is_some(),
                extendable: rule.extendable_by.is_some() && m.extension.is_none() && m.done_on.is_none(),
                testing: m.testing.iter().map(|t| format!("{} 至 {}", t.from, t.until)).collect(),
                done_on: m.done_on.map(|d| d.to_string()),
                retest_drawable: m.clock == ClockKind::RetestRequest && retest_lab.is_none(),
                retest_lab,
            }
        })
        .collect();
    let promises = i
        .promises
        .iter()
        .map(|p| {
            let s = p.state(&clocks, now);
            PromiseView {
                id: p.id.clone(),
                text: p.text.clone(),
                made_at_ms: p.made_at_ms,
                due_at_ms: p.due_at_ms,
                countdown: s.describe(),
                warning: s.needs_warning(),
                kept: matches!(s, PromiseState::Kept { .. } | PromiseState::KeptLate { .. }),
            }
        })
        .collect();
    IncidentView {
        id: i.id,
        org_id: i.org_id,
        title: i.title,
        enterprise_name: i.enterprise_name,
        enterprise_uscc: i.enterprise_uscc.map(|u| u.as_str().to_owned()),
        owner_id: i.owner_id,
        team: i.team,
        links: i.links.into_iter().map(|(k, t)| LinkView { kind: k.key().to_owned(), id: t }).collect(),
        media: i
            .media
            .into_iter()
            .map(|m| MediaView { url: m.url.as_str().to_owned(), excerpt: m.excerpt, seen_at_ms: m.seen_at_ms })
            .collect(),
        products: i
            .products
            .into_iter()
            .map(|p| ProductView { gtin: p.gtin.as_str().to_owned(), batch: p.batch.as_str().to_owned() })
            .collect(),
        measures,
        promises,
        viewers: viewers.into_iter().map(|v| ViewerView { username: v.username, viewed_at_ms: v.viewed_at }).collect(),
    }
}
