//! 复检机构随机确定 for an incident's re-test request: the draw is stored once per measure with
//! its seed and list (so that anyone can recompute it) and audited; a second draw is a conflict,
//! never a redraw. Read back into the domain's draw, checked.

use super::{IncidentConflict, IncidentError, Result, event};
use crate::Store;
use crate::audit::{self, Actor};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::incidents::{ClockKind, RetestDraw, RetestPool};

/// A stored draw of a re-test laboratory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetestLab {
    pub measure_id: String,
    pub draw: RetestDraw,
    pub drawn_by: String,
    pub drawn_at: i64,
}

fn bad(column: &'static str) -> IncidentError {
    IncidentError::BadRow { table: "incident_retest_labs", column }
}

impl Store {
    /// Records the draw for a `retest_request` measure of the incident; a measure of another
    /// clock is not found, a measure already drawn for is a conflict.
    pub async fn draw_retest_lab(&self, actor: &Actor, id: &str, measure: &str, draw: &RetestDraw) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let clock: Option<String> =
            sqlx::query_scalar("SELECT clock FROM incident_measures WHERE id = $1 AND incident_id = $2")
                .bind(measure)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if clock.as_deref() != Some(ClockKind::RetestRequest.key()) {
            return Err(IncidentError::NotFound);
        }
        let candidates = serde_json::to_string(&draw.pool.eligible).expect("a list of strings serialises");
        let done = sqlx::query(
            "INSERT INTO incident_retest_labs (measure_id, incident_id, original_lab, candidates, seed, picked, \
             drawn_by, drawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (measure_id) DO NOTHING",
        )
        .bind(measure)
        .bind(id)
        .bind(&draw.pool.original)
        .bind(&candidates)
        .bind(draw.seed_hex())
        .bind(&draw.picked)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::Conflict(IncidentConflict::RetestDrawn));
        }
        let detail = json!({
            "measure": measure,
            "candidates": draw.pool.eligible.len(),
            "seed": draw.seed_hex(),
            "picked": draw.picked,
        });
        audit::append(&mut tx, actor, event("incident.retest_lab", id).detail(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The incident's draws, oldest first; a stored draw that does not recompute is an error.
    pub async fn incident_retest_labs(&self, id: &str) -> Result<Vec<RetestLab>> {
        let rows = sqlx::query(
            "SELECT measure_id, original_lab, candidates, seed, picked, drawn_by, drawn_at \
             FROM incident_retest_labs WHERE incident_id = $1 ORDER BY drawn_at, measure_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut labs = Vec::with_capacity(rows.len());
        for r in rows {
            let eligible: Vec<String> =
                serde_json::from_str(&r.try_get::<String, _>("candidates")?).map_err(|_| bad("candidates"))?;
            let seed = RetestDraw::seed_from_hex(&r.try_get::<String, _>("seed")?).ok_or(bad("seed"))?;
            let original: String = r.try_get("original_lab")?;
            let draw = RetestDraw { pool: RetestPool { original, eligible }, seed, picked: r.try_get("picked")? };
            if !draw.verifies() {
                return Err(bad("picked"));
            }
            labs.push(RetestLab {
                measure_id: r.try_get("measure_id")?,
                draw,
                drawn_by: r.try_get("drawn_by")?,
                drawn_at: r.try_get("drawn_at")?,
            });
        }
        Ok(labs)
    }
}
