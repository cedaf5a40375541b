//! The batches an early warning (预警) is about; linking is audited and idempotent (the same batch
//! linked twice stays one link).

use super::{LedgerResult, col};
use crate::Store;
use crate::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::ledger::{Batch, Gtin};

/// A batch linked to a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningBatch {
    pub gtin: Gtin,
    pub batch: Batch,
    pub created_at: i64,
}

impl Store {
    /// Links a batch to a warning (by its id); returns false when it was linked already.
    pub async fn ledger_link_warning_batch(
        &self,
        actor: &Actor,
        warning_id: &str,
        gtin: &Gtin,
        batch: &Batch,
    ) -> LedgerResult<bool> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "INSERT INTO ledger_warning_batches (warning_id, gtin, batch, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (warning_id, gtin, batch) DO NOTHING",
        )
        .bind(warning_id)
        .bind(gtin.as_str())
        .bind(batch.as_str())
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            let event = Event::new("ledger.warning_batch.link", format!("warning:{warning_id}"), Outcome::Success)
                .detail(json!({"gtin": gtin.as_str()}));
            audit::append(&mut tx, actor, event).await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The batches linked to a warning, in the order they were linked.
    pub async fn ledger_warning_batches(&self, warning_id: &str) -> LedgerResult<Vec<WarningBatch>> {
        let rows = sqlx::query(
            "SELECT gtin, batch, created_at FROM ledger_warning_batches \
             WHERE warning_id = $1 ORDER BY created_at, gtin, batch",
        )
        .bind(warning_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WarningBatch {
                    gtin: col(r, "gtin", Gtin::parse)?,
                    batch: col(r, "batch", Batch::parse)?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
