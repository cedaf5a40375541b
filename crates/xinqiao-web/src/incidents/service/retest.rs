//! 复检机构随机确定 (食品安全法 art. 88): for a re-test request of the incident, the officer enters
//! the first laboratory and the published directory; the server draws a random seed and the
//! domain picks a different laboratory from it, once. The seed and list are kept so anyone can
//! recompute the pick.

use super::{Officer, for_change};
use crate::AppState;
use crate::error::AppError;
use serde::Deserialize;
use xinqiao_domain::incidents::{ClockKind, RetestPool};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetestLabInput {
    /// The laboratory that issued the contested result (初检机构).
    pub original_lab: String,
    /// The published directory of re-test laboratories (复检机构名录), one per line.
    pub candidates: String,
}

/// Draws the re-test laboratory of a `retest_request` measure; returns the laboratory drawn.
pub async fn draw_retest_lab(
    state: &AppState,
    by: &Officer,
    id: &str,
    measure: &str,
    input: RetestLabInput,
) -> Result<String, AppError> {
    let incident = for_change(state, by, id).await?;
    let m = incident.measure(measure).ok_or(AppError::NotFound)?;
    if m.clock != ClockKind::RetestRequest {
        return Err(AppError::field("measure", "not_retest", "只有“当事人申请复检”措施可以随机确定复检机构"));
    }
    let pool = RetestPool::new(&input.original_lab, &input.candidates).map_err(AppError::Validation)?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    let draw = pool.draw(seed);
    state.store.draw_retest_lab(&by.actor, id, measure, &draw).await?;
    Ok(draw.picked)
}
