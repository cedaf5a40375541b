//! 洞察与预警: where problems concentrate (dashboards over roll-ups), early warnings, campaign
//! effects, the taxonomy and its suggestions, and the public complaint statistics.

pub(crate) mod campaign_service;
mod campaigns;
pub mod classify;
mod dashboard;
pub mod demo;
mod export;
mod model;
mod names;
mod public;
mod scan;
pub(crate) mod service;
mod taxonomy;
mod warnings;

use crate::AppState;
use crate::error::AppError;
use crate::tasks::{Task, TaskError};
use axum::Router;

pub use dashboard::Table;
pub use model::{CubeCopy, Insights, Suggested, TAXONOMY_SETTING, Trained};
pub use names::{percent, yuan};
pub use public::{EnterpriseStat, Publication, publication};
pub use scan::{scan, scanner};
pub use service::FilterForm;
pub use service::forget as forget_publications;
pub use warnings::{plain_words, rule_label, warnings_assigned_to};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(dashboard::router())
        .merge(export::router())
        .merge(warnings::router())
        .merge(campaigns::router())
        .merge(taxonomy::router())
        .merge(public::router())
}

/// Changes applied per follower step.
const BATCH: i64 = 5_000;
/// Steps a page waits for before it answers with what is there (the background follower does
/// the rest).
const INLINE_STEPS: usize = 4;

/// Applies what the change log holds to the roll-ups (bounded), then reads the roll-up rows
/// changed since this node last read them into its copy.
pub async fn refresh(state: &AppState) -> Result<(), AppError> {
    let _turn = state.insights.refresh_turn.lock().await;
    for _ in 0..INLINE_STEPS {
        if state.store.follow_insights(BATCH).await? == 0 {
            break;
        }
    }
    // The roll-ups were rebuilt (`xinqiao rollups rebuild`): this node's copy starts over.
    let generation = state.store.rollup_generation().await?;
    {
        let mut copy = state.insights.cube.write().await;
        if copy.generation != generation {
            *copy = CubeCopy { generation, ..CubeCopy::default() };
        }
    }
    // Read in pages of positions (a batch of changes marks its rows with one position), applying
    // each page before reading the next: a first load of a million roll-up rows never holds them
    // all in memory at once. A row touched meanwhile carries a newer position and comes next time.
    let mut at = state.insights.cube.read().await.seq;
    let head = state.store.rollup_head().await?;
    while at < head {
        let upto = head.min(at.saturating_add(ROLLUP_PAGE));
        let rows = state.store.rollups_between(at, upto).await?;
        let mut copy = state.insights.cube.write().await;
        for (key, m) in rows {
            copy.cube.set(&key, m);
        }
        copy.seq = upto;
        at = upto;
    }
    Ok(())
}

/// Positions per page when a node reads roll-up rows (about as many rows at most).
const ROLLUP_PAGE: i64 = 5_000;

/// The follower in the background: every five seconds (the first at start), roll-ups and this
/// node's copy.
pub fn follower() -> Task {
    Task::every("insights", std::time::Duration::from_secs(5), |state: AppState| async move {
        // An edited taxonomy reaches every node within one tick.
        state.reload_taxonomy();
        match refresh(&state).await {
            Ok(()) => {
                state.health.recovered(crate::health::Component::Insights);
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "insights follower could not apply changes");
                state.health.degraded(
                    crate::health::Component::Insights,
                    state.now_ms(),
                    "统计汇总暂时无法更新，看板数字可能不含最新诉求",
                );
                Err(TaskError("统计汇总未能更新"))
            }
        }
    })
}
