//! The batches a case is about, each with an optional claimed date; linking is audited and
//! idempotent (the same batch linked twice stays one link, the first claim kept).

use super::{LedgerError, LedgerResult, col};
use crate::Store;
use crate::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ledger::{Batch, Claim, DateKind, Gtin};

/// A batch linked to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseBatch {
    pub gtin: Gtin,
    pub batch: Batch,
    pub claim: Option<Claim>,
    pub created_at: i64,
}

impl Store {
    /// Links a batch to a case (by the case's id); returns false when it was linked already.
    pub async fn ledger_link_case_batch(
        &self,
        actor: &Actor,
        case_id: &str,
        gtin: &Gtin,
        batch: &Batch,
        claim: Option<Claim>,
    ) -> LedgerResult<bool> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "INSERT INTO ledger_case_batches (case_id, gtin, batch, claimed_kind, claimed_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, gtin, batch) DO NOTHING",
        )
        .bind(case_id)
        .bind(gtin.as_str())
        .bind(batch.as_str())
        .bind(claim.map(|c| c.kind.as_str().to_owned()))
        .bind(claim.map(|c| c.on.0))
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            let event = Event::new("ledger.case_batch.link", format!("case:{case_id}"), Outcome::Success)
                .detail(json!({"gtin": gtin.as_str(), "claim": claim.map(|c| c.kind.as_str())}));
            audit::append(&mut tx, actor, event).await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The batches linked to a case, in the order they were linked.
    pub async fn ledger_case_batches(&self, case_id: &str) -> LedgerResult<Vec<CaseBatch>> {
        let rows = sqlx::query(
            "SELECT gtin, batch, claimed_kind, claimed_on, created_at FROM ledger_case_batches \
             WHERE case_id = $1 ORDER BY created_at, gtin, batch",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: Option<String> = r.try_get("claimed_kind")?;
                let on: Option<i64> = r.try_get("claimed_on")?;
                let claim = match (kind, on) {
                    (Some(k), Some(on)) => Some(Claim {
                        kind: DateKind::parse(&k)
                            .map_err(|_| LedgerError::BadRow { column: "claimed_kind", value: k.clone() })?,
                        on: Date(on),
                    }),
                    (None, None) => None,
                    (k, _) => return Err(LedgerError::BadRow { column: "claimed_on", value: format!("{k:?}") }),
                };
                Ok(CaseBatch {
                    gtin: col(r, "gtin", Gtin::parse)?,
                    batch: col(r, "batch", Batch::parse)?,
                    claim,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
