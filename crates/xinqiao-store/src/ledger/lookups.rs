//! Batch look-ups across the enterprises of a bureau tree: the lines of one GTIN and batch, the
//! uses into a product batch, a whole level of the producers' chain in one query, and the uses
//! that name a batch without its product. Each query's text is public so that a test can read its
//! plan (never a scan of the ledger).

use super::entries::{ENTRY_SELECT, Entry, entry_from};
use super::{LedgerResult, col, params};
use crate::Store;
use sqlx::AssertSqlSafe;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_domain::ledger::{Batch, Gtin};

/// The query behind [`Store::ledger_batch_lines`]: `$1` the GTIN, `$2` the batch when
/// `with_batch`, then `orgs` bureau ids. Public so that a test can read its plan: one probe of
/// `ledger_entries_batch` for the lines, then one primary-key or partial-index probe per line
/// for its enterprise, party, product and correction — never a scan of the ledger.
pub fn batch_lines_sql(with_batch: bool, orgs: usize) -> String {
    format!(
        "{ENTRY_SELECT} WHERE e.gtin = $1 {} AND c.id IS NULL AND le.org_id IN ({}) \
         ORDER BY e.recorded_on, e.created_at, e.id",
        if with_batch { "AND e.batch = $2" } else { "" },
        params(if with_batch { 3 } else { 2 }, orgs)
    )
}

/// The query behind [`Store::ledger_material_uses_into`]: `$1` the product GTIN, `$2` its batch,
/// then `orgs` bureau ids; one probe of the partial index `ledger_entries_into`.
pub fn uses_into_sql(orgs: usize) -> String {
    format!(
        "{ENTRY_SELECT} WHERE e.into_gtin = $1 AND e.into_batch = $2 AND e.kind = 'material_use' AND c.id IS NULL \
         AND le.org_id IN ({}) ORDER BY e.recorded_on, e.created_at, e.id",
        params(3, orgs)
    )
}

/// The query behind [`Store::ledger_lots_lines`] (`into` false) and
/// [`Store::ledger_uses_into_lots`] (`into` true): `lots` GTIN + batch pairs as `$1, $2, …`, then
/// `orgs` bureau ids. The lots are a `VALUES` list joined first (`CROSS JOIN` keeps SQLite's plan
/// in that order; PostgreSQL plans it freely), each probing `ledger_entries_batch` — or the
/// partial `ledger_entries_into` for the uses into them — so one query reads a whole level of
/// the producers' chain with the same per-line probes as one batch. Ordered as one batch's lines.
pub fn lots_lines_sql(into: bool, lots: usize, orgs: usize) -> String {
    let values: Vec<String> = (0..lots).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
    let on = if into {
        "e.into_gtin = l.gtin AND e.into_batch = l.batch AND e.kind = 'material_use'"
    } else {
        "e.gtin = l.gtin AND e.batch = l.batch"
    };
    let (select, from) = ENTRY_SELECT.split_once(" FROM ledger_entries e ").expect("ENTRY_SELECT names e");
    format!(
        "WITH lots (gtin, batch) AS (VALUES {}) {select}, l.gtin AS lot_gtin, l.batch AS lot_batch \
         FROM lots l CROSS JOIN ledger_entries e {from} WHERE {on} AND c.id IS NULL AND le.org_id IN ({}) \
         ORDER BY e.recorded_on, e.created_at, e.id",
        values.join(", "),
        params(2 * lots + 1, orgs)
    )
}

impl Store {
    /// The current lines of one GTIN (and batch, when given) in every ledger of the bureaus
    /// `org_ids`: what tracing and recall lists are built from. No bureau, no lines.
    pub async fn ledger_batch_lines(
        &self,
        org_ids: &[String],
        gtin: &Gtin,
        batch: Option<&Batch>,
    ) -> LedgerResult<Vec<Entry>> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = batch_lines_sql(batch.is_some(), org_ids.len());
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(gtin.as_str());
        if let Some(b) = batch {
            q = q.bind(b.as_str());
        }
        for o in org_ids {
            q = q.bind(o);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }

    /// The current raw-material uses that went into the production batch `into`, in every ledger
    /// of the bureaus `org_ids`: a finished batch traced back to its lots. No bureau, no lines.
    pub async fn ledger_material_uses_into(&self, org_ids: &[String], into: &Lot) -> LedgerResult<Vec<Entry>> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = uses_into_sql(org_ids.len());
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(into.gtin.as_str()).bind(into.batch.as_str());
        for o in org_ids {
            q = q.bind(o);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }

    /// The current raw-material uses by the enterprises `producers` that name the production batch
    /// number `batch` but no product GTIN (written before the producers' chain, migration 0081),
    /// in the ledgers of the bureaus `org_ids`: what may have gone into that producer's batch of
    /// this number. Through the partial index `ledger_entries_unlinked`. No producer, no lines.
    pub async fn ledger_unlinked_uses_naming(
        &self,
        org_ids: &[String],
        producers: &[Uscc],
        batch: &Batch,
    ) -> LedgerResult<Vec<Entry>> {
        if org_ids.is_empty() || producers.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{ENTRY_SELECT} WHERE e.uscc IN ({}) AND e.into_batch = $1 AND e.into_gtin IS NULL \
             AND e.kind = 'material_use' AND c.id IS NULL AND le.org_id IN ({}) ORDER BY e.recorded_on, e.created_at, e.id",
            params(2, producers.len()),
            params(2 + producers.len(), org_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(batch.as_str());
        for u in producers {
            q = q.bind(u.as_str());
        }
        for o in org_ids {
            q = q.bind(o);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }

    /// The current lines of every batch of `lots` in every ledger of the bureaus `org_ids`, in one
    /// query, each with the lot it was read for: a level of the producers' chain at once. Each
    /// lot's lines come in the order [`Store::ledger_batch_lines`] gives them. No bureau or no
    /// lot, no lines.
    pub async fn ledger_lots_lines(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<(Lot, Entry)>> {
        self.lots_query(false, org_ids, lots).await
    }

    /// The current raw-material uses that went into any production batch of `lots`, in every
    /// ledger of the bureaus `org_ids`, in one query, each with the batch it went into.
    pub async fn ledger_uses_into_lots(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<(Lot, Entry)>> {
        self.lots_query(true, org_ids, lots).await
    }

    async fn lots_query(&self, into: bool, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<(Lot, Entry)>> {
        let mut out = Vec::new();
        if org_ids.is_empty() || lots.is_empty() {
            return Ok(out);
        }
        // Bound the parameters of one statement (SQLite allows 32,766): a long level is read in
        // parts, each part in the order of one query, merged below by that same order.
        for part in lots.chunks(1_000) {
            let sql = lots_lines_sql(into, part.len(), org_ids.len());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for lot in part {
                q = q.bind(lot.gtin.as_str()).bind(lot.batch.as_str());
            }
            for o in org_ids {
                q = q.bind(o);
            }
            for row in q.fetch_all(&self.pool).await? {
                let lot = Lot::new(col(&row, "lot_gtin", Gtin::parse)?, col(&row, "lot_batch", Batch::parse)?);
                out.push((lot, entry_from(&row)?));
            }
        }
        if lots.len() > 1_000 {
            out.sort_by(|(_, a), (_, b)| {
                (a.recorded_on, a.created_at, &a.id).cmp(&(b.recorded_on, b.created_at, &b.id))
            });
        }
        Ok(out)
    }
}
