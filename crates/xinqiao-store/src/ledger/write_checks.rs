//! What a ledger write checks before it is stored, in the enterprise's turn: the producers'
//! chain (each raw-material use names a batch the enterprise holds, filled in where its batch
//! alone names the product), a corrected production line keeping the batch its uses point to, and
//! a corrected purchase or production keeping at least what already went out of its batch.

use super::entries::EntryWrite;
use super::{LedgerConflict, LedgerError, LedgerResult, col};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeSet;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::production::{self, ChainFacts, ChainLine, Lot};
use xinqiao_domain::ledger::{Batch, EntryKind, Gtin};

/// Takes the enterprise's turn to write (a row lock on PostgreSQL; SQLite has one writer), so two
/// submissions cannot both spend the same stock, and its per-(batch, keeper) sums are changed by
/// one transaction at a time (every writer of a row of them holds its keeper's turn).
pub(crate) async fn lock_enterprise(conn: &mut AnyConnection, uscc: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE ledger_enterprises SET name = name WHERE uscc = $1").bind(uscc).execute(conn).await?;
    Ok(())
}

/// Reads what the producers' chain check needs from the enterprise's current lines (without
/// `except`, the line being corrected) and runs it, filling in each raw-material use's product
/// GTIN where its batch alone names it. A submission without uses or their fields reads nothing.
pub(super) async fn check_chain(
    conn: &mut AnyConnection,
    uscc: &Uscc,
    lines: &mut [EntryWrite],
    except: &str,
) -> LedgerResult<()> {
    let named = |w: &EntryWrite| w.kind == EntryKind::MaterialUse || w.into_batch.is_some() || w.into_gtin.is_some();
    if !lines.iter().any(named) {
        return Ok(());
    }
    lock_enterprise(conn, uscc.as_str()).await?;
    let mut facts = ChainFacts::default();
    let batches: BTreeSet<Batch> = lines.iter().filter_map(|w| w.into_batch.clone()).collect();
    for batch in batches {
        let rows = sqlx::query(
            "SELECT e.gtin FROM ledger_entries e WHERE e.uscc = $1 AND e.kind = 'production' AND e.batch = $2 \
             AND e.id <> $3 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)",
        )
        .bind(uscc.as_str())
        .bind(batch.as_str())
        .bind(except)
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            facts.produced.insert(Lot::new(col(r, "gtin", Gtin::parse)?, batch.clone()));
        }
    }
    let lots: BTreeSet<Lot> = lines
        .iter()
        .filter(|w| w.kind == EntryKind::MaterialUse)
        .filter_map(|w| w.batch.clone().map(|b| Lot::new(w.gtin.clone(), b)))
        .collect();
    for lot in lots {
        let rows = sqlx::query(
            "SELECT e.kind, e.quantity_milli FROM ledger_entries e WHERE e.uscc = $1 AND e.gtin = $2 AND e.batch = $3 \
             AND e.id <> $4 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)",
        )
        .bind(uscc.as_str())
        .bind(lot.gtin.as_str())
        .bind(lot.batch.as_str())
        .bind(except)
        .fetch_all(&mut *conn)
        .await?;
        let mut on_hand = 0;
        for r in &rows {
            on_hand += col(r, "kind", EntryKind::parse)?.stock_sign() * r.try_get::<i64, _>("quantity_milli")?;
        }
        facts.on_hand.insert(lot, on_hand);
    }
    let mut chain: Vec<ChainLine> = lines
        .iter()
        .map(|w| ChainLine {
            kind: w.kind,
            gtin: w.gtin.clone(),
            batch: w.batch.clone(),
            quantity_milli: w.quantity.milli(),
            into_gtin: w.into_gtin.clone(),
            into_batch: w.into_batch.clone(),
        })
        .collect();
    production::check(&mut chain, &facts).map_err(LedgerError::Invalid)?;
    for (w, c) in lines.iter_mut().zip(chain) {
        w.into_gtin = c.into_gtin;
    }
    Ok(())
}

/// A correction of a production line keeps a batch that current raw-material uses point to.
pub(super) async fn check_production_kept(
    conn: &mut AnyConnection,
    uscc: &Uscc,
    target: &str,
    old: &Lot,
    w: &EntryWrite,
) -> LedgerResult<()> {
    if w.kind == EntryKind::Production && w.gtin == old.gtin && w.batch.as_ref() == Some(&old.batch) {
        return Ok(());
    }
    let (uses,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM ledger_entries e WHERE e.uscc = $1 AND e.kind = 'material_use' AND e.into_gtin = $2 \
         AND e.into_batch = $3 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)",
    )
    .bind(uscc.as_str())
    .bind(old.gtin.as_str())
    .bind(old.batch.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let (others,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM ledger_entries e WHERE e.uscc = $1 AND e.kind = 'production' AND e.gtin = $2 \
         AND e.batch = $3 AND e.id <> $4 AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)",
    )
    .bind(uscc.as_str())
    .bind(old.gtin.as_str())
    .bind(old.batch.as_str())
    .bind(target)
    .fetch_one(&mut *conn)
    .await?;
    production::check_production_correction(old, uses, others > 0).map_err(|e| LedgerError::Invalid(vec![(0, e)]))
}

/// A correction of a line that brought stock in (a purchase or a production) may not leave its
/// batch with less than has already gone out of it (sold, shipped or used as raw material) in
/// this ledger: `BelowUsed`, unless the batch was already short before and the correction does
/// not make it shorter.
pub(super) async fn check_stock_kept(
    conn: &mut AnyConnection,
    uscc: &Uscc,
    target: &str,
    old: (EntryKind, &Gtin, Option<&Batch>, i64),
    w: &EntryWrite,
) -> LedgerResult<()> {
    let (kind, gtin, batch, milli) = old;
    if kind.stock_sign() <= 0 {
        return Ok(());
    }
    let sql = format!(
        "SELECT e.kind, e.quantity_milli FROM ledger_entries e WHERE e.uscc = $1 AND e.gtin = $2 AND e.id <> $3 {} \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)",
        if batch.is_some() { "AND e.batch = $4" } else { "AND e.batch IS NULL" }
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(uscc.as_str()).bind(gtin.as_str()).bind(target);
    if let Some(b) = batch {
        q = q.bind(b.as_str());
    }
    let mut others = 0;
    for r in q.fetch_all(&mut *conn).await? {
        others += col(&r, "kind", EntryKind::parse)?.stock_sign() * r.try_get::<i64, _>("quantity_milli")?;
    }
    let same_batch = w.gtin == *gtin && w.batch.as_ref() == batch;
    let after = others + if same_batch { w.kind.stock_sign() * w.quantity.milli() } else { 0 };
    let before = others + milli;
    if after < 0 && after < before {
        return Err(LedgerConflict::BelowUsed.into());
    }
    Ok(())
}
