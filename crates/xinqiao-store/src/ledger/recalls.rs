//! Recall and sealing (封存) lists of one batch: every holder found by the trace when the list was
//! made — of the batch itself and of the batches made from it (a raw-material lot) — and each
//! holder's confirmation that the batch is set aside.

use super::{LedgerConflict, LedgerError, LedgerResult, col};
use crate::audit::{self, Actor, Event};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::{Batch, Gtin, Lot, RecallKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recall {
    pub id: String,
    pub org_id: String,
    pub kind: RecallKind,
    pub gtin: Gtin,
    pub batch: Batch,
    pub reference: String,
    pub created_at: i64,
}

/// One enterprise on a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub uscc: Uscc,
    pub name: String,
    /// On hand of the recalled batch itself (0 when the holder has only batches made from it).
    pub on_hand_milli: i64,
    pub confirmed_at: Option<i64>,
    /// Batches made from the recalled lot that this holder holds, with what was on hand.
    pub lots: Vec<(Lot, i64)>,
}

fn recall_from(row: &AnyRow) -> LedgerResult<Recall> {
    Ok(Recall {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        kind: col(row, "kind", RecallKind::parse)?,
        gtin: col(row, "gtin", Gtin::parse)?,
        batch: col(row, "batch", Batch::parse)?,
        reference: row.try_get("reference")?,
        created_at: row.try_get("created_at")?,
    })
}

fn holder_from(row: &AnyRow) -> LedgerResult<Holder> {
    Ok(Holder {
        uscc: col(row, "uscc", Uscc::stored)?,
        name: row.try_get("name")?,
        on_hand_milli: row.try_get("on_hand_milli")?,
        confirmed_at: row.try_get("confirmed_at")?,
        lots: Vec::new(),
    })
}

const RECALL_COLUMNS: &str = "r.id, r.org_id, r.kind, r.gtin, r.batch, r.reference, r.created_at";

/// The batches made from a recalled lot that holders hold, by holder (`$1` the list, `$2` one
/// holder or NULL for all).
async fn lots_of(store: &Store, recall_id: &str, uscc: Option<&Uscc>) -> LedgerResult<Vec<(Uscc, Lot, i64)>> {
    let rows = sqlx::query(
        "SELECT uscc, gtin, batch, on_hand_milli FROM ledger_recall_lots WHERE recall_id = $1 \
         AND ($2 IS NULL OR uscc = $2) ORDER BY uscc, gtin, batch",
    )
    .bind(recall_id)
    .bind(uscc.map(|u| u.as_str().to_owned()))
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                col(r, "uscc", Uscc::stored)?,
                Lot::new(col(r, "gtin", Gtin::parse)?, col(r, "batch", Batch::parse)?),
                r.try_get("on_hand_milli")?,
            ))
        })
        .collect()
}

fn attach(holder: &mut Holder, lots: &[(Uscc, Lot, i64)]) {
    holder.lots = lots.iter().filter(|(u, ..)| *u == holder.uscc).map(|(_, l, q)| (l.clone(), *q)).collect();
}

impl Store {
    /// Makes a list of the holders the caller found (the trace), in one transaction: `holders`
    /// of the batch itself, and `lots`, the batches made from it with who holds them (each such
    /// holder is on the list too, with nothing of the batch itself on hand if not in `holders`).
    #[allow(clippy::too_many_arguments)]
    pub async fn ledger_open_recall(
        &self,
        actor: &Actor,
        org_id: &str,
        kind: RecallKind,
        gtin: &Gtin,
        batch: &Batch,
        reference: &str,
        holders: &[(Uscc, i64)],
        lots: &[(Uscc, Lot, i64)],
    ) -> LedgerResult<Recall> {
        let id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO ledger_recalls (id, org_id, kind, gtin, batch, reference, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(org_id)
        .bind(kind.as_str())
        .bind(gtin.as_str())
        .bind(batch.as_str())
        .bind(reference)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut listed: Vec<(&Uscc, i64)> = holders.iter().map(|(u, q)| (u, *q)).collect();
        for (uscc, ..) in lots {
            if !listed.iter().any(|(u, _)| *u == uscc) {
                listed.push((uscc, 0));
            }
        }
        for (uscc, on_hand) in &listed {
            sqlx::query("INSERT INTO ledger_recall_holders (recall_id, uscc, on_hand_milli) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(uscc.as_str())
                .bind(on_hand)
                .execute(&mut *tx)
                .await?;
        }
        for (uscc, lot, on_hand) in lots {
            sqlx::query(
                "INSERT INTO ledger_recall_lots (recall_id, uscc, gtin, batch, on_hand_milli) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(uscc.as_str())
            .bind(lot.gtin.as_str())
            .bind(lot.batch.as_str())
            .bind(on_hand)
            .execute(&mut *tx)
            .await?;
        }
        let mut event = Event::new("ledger.recall.open", format!("recall:{id}"), Outcome::Success).detail(
            json!({"kind": kind.as_str(), "gtin": gtin.as_str(), "holders": listed.len(), "made_from": lots.len()}),
        );
        event.purpose = reference.to_owned();
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(Recall {
            id,
            org_id: org_id.to_owned(),
            kind,
            gtin: gtin.clone(),
            batch: batch.clone(),
            reference: reference.to_owned(),
            created_at: now,
        })
    }

    /// A list and its holders (names from their ledgers), in USCC order.
    pub async fn ledger_recall(&self, id: &str) -> LedgerResult<Option<(Recall, Vec<Holder>)>> {
        let sql = format!("SELECT {RECALL_COLUMNS} FROM ledger_recalls r WHERE r.id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let recall = recall_from(&row)?;
        let rows = sqlx::query(
            "SELECT h.uscc, le.name, h.on_hand_milli, h.confirmed_at FROM ledger_recall_holders h \
             JOIN ledger_enterprises le ON le.uscc = h.uscc WHERE h.recall_id = $1 ORDER BY h.uscc",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut holders: Vec<Holder> = rows.iter().map(holder_from).collect::<LedgerResult<_>>()?;
        let lots = lots_of(self, id, None).await?;
        for h in &mut holders {
            attach(h, &lots);
        }
        Ok(Some((recall, holders)))
    }

    /// The lists an enterprise is on, newest first, with its own line.
    pub async fn ledger_recalls_for(&self, uscc: &Uscc) -> LedgerResult<Vec<(Recall, Holder)>> {
        let sql = format!(
            "SELECT {RECALL_COLUMNS}, h.uscc, le.name, h.on_hand_milli, h.confirmed_at FROM ledger_recalls r \
             JOIN ledger_recall_holders h ON h.recall_id = r.id JOIN ledger_enterprises le ON le.uscc = h.uscc \
             WHERE h.uscc = $1 ORDER BY r.created_at DESC, r.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(uscc.as_str()).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let (recall, mut holder) = (recall_from(r)?, holder_from(r)?);
            attach(&mut holder, &lots_of(self, &recall.id, Some(uscc)).await?);
            out.push((recall, holder));
        }
        Ok(out)
    }

    /// A holder confirms the batch is set aside: once.
    pub async fn ledger_confirm_set_aside(&self, actor: &Actor, recall_id: &str, uscc: &Uscc) -> LedgerResult<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM ledger_recalls WHERE id = $1")
            .bind(recall_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(LedgerConflict::RecallNotFound.into());
        }
        let row = sqlx::query("SELECT confirmed_at FROM ledger_recall_holders WHERE recall_id = $1 AND uscc = $2")
            .bind(recall_id)
            .bind(uscc.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(LedgerConflict::NotAHolder)?;
        if row.try_get::<Option<i64>, _>("confirmed_at")?.is_some() {
            return Err(LedgerConflict::AlreadyConfirmed.into());
        }
        let done = sqlx::query(
            "UPDATE ledger_recall_holders SET confirmed_at = $1, confirmed_by = $2 \
             WHERE recall_id = $3 AND uscc = $4 AND confirmed_at IS NULL",
        )
        .bind(now)
        .bind(&actor.id)
        .bind(recall_id)
        .bind(uscc.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(LedgerError::Conflict(LedgerConflict::AlreadyConfirmed));
        }
        let event = Event::new("ledger.recall.confirm", format!("recall:{recall_id}"), Outcome::Success)
            .detail(json!({"uscc": uscc.as_str()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(())
    }
}
