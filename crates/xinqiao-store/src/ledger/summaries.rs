//! Batches linked to a traced one through producers' raw-material uses, read as summaries that
//! SQL computes — movements, keepers, holders, quantities in/out/on hand, first and last date —
//! one aggregate query per level of the chain over the per-(batch, bureau) roll-up, plus the uses that link the levels grouped by
//! producer and pair of batches; and the holders of such batches for a recall list.

use super::{LedgerResult, col, day, params};
use crate::Store;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_domain::ledger::{Batch, Gtin, Unit};

/// What the current lines of one batch in the bureaus' ledgers add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotSummary {
    pub lot: Lot,
    /// The product's name in some keeper's product master (the least, when they differ).
    pub product: Option<String>,
    /// Current lines (movements) of the batch.
    pub movements: i64,
    /// Enterprises recording any of them.
    pub keepers: i64,
    /// Enterprises that received it (bought or made some): the trace's holders.
    pub holders: i64,
    /// Of those, the ones with stock on hand by their ledger.
    pub holding: i64,
    /// Bought and made, in thousandths.
    pub in_milli: i64,
    /// Sold, shipped and used as raw material.
    pub out_milli: i64,
    /// On hand summed over the holders (each holder's received minus its outgoing).
    pub on_hand_milli: i64,
    /// Raw-material uses of the batch that name no production batch (未关联生产批次).
    pub unlinked_uses: i64,
    pub first: Date,
    pub last: Date,
    /// The unit, and whether lines give different ones (then the sums mix units).
    pub unit: Unit,
    pub mixed_units: bool,
}

/// The raw-material uses by one producer of one lot in one production batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseGroup {
    /// The batch of the level they were read for (the material going forward, the product back).
    pub lot: Lot,
    pub uscc: Uscc,
    pub enterprise_name: String,
    pub material: Lot,
    pub material_name: Option<String>,
    pub into: Lot,
    pub uses: i64,
    pub quantity_milli: i64,
    pub unit: Unit,
    pub first: Date,
    pub last: Date,
}

/// `(lots) AS (VALUES ($1, $2), …)`: the pairs of a level as the first parameters.
fn lots_cte(lots: usize) -> String {
    let values: Vec<String> = (0..lots).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
    format!("WITH lots (gtin, batch) AS (VALUES {})", values.join(", "))
}

/// Per lot and keeper: the sums of its current lines, one row of `ledger_lot_keepers` (read from
/// its covering index alone, kept by the store with every line written or purged), kept when the
/// keeper's bureau is one of `orgs` — one bureau look-up per keeper, no line of the ledger read.
/// What a recall list reads (every holder by name); a summary reads the bureaus' roll-up.
fn keepers_cte(lots: usize, orgs: usize) -> String {
    format!(
        "{}, k AS (SELECT s.gtin AS gtin, s.batch AS batch, s.uscc AS uscc, s.movements AS n, s.in_milli AS qin, \
         s.out_milli AS qout, s.unlinked AS unlinked, s.first_on AS first_on, s.last_on AS last_on, \
         s.unit_lo AS unit_lo, s.unit_hi AS unit_hi \
         FROM lots l CROSS JOIN ledger_lot_keepers s JOIN ledger_enterprises le ON le.uscc = s.uscc \
         WHERE s.gtin = l.gtin AND s.batch = l.batch AND le.org_id IN ({}))",
        lots_cte(lots),
        params(2 * lots + 1, orgs)
    )
}

/// The query behind [`Store::ledger_lots_summaries`]: `lots` GTIN + batch pairs as `$1, $2, …`,
/// then `orgs` bureau ids. Each lot probes `ledger_lot_bureaus` (its covering index alone: kept
/// by the store with every line written, corrected or purged and every product master saved) for
/// the rows of the bureaus in scope — one per bureau that has keepers of the batch — which are
/// summed per lot in SQL, so one row per lot comes back. No keeper and no line is read.
pub fn lots_summaries_sql(lots: usize, orgs: usize) -> String {
    format!(
        "{} SELECT r.gtin AS lot_gtin, r.batch AS lot_batch, CAST(SUM(r.movements) AS BIGINT) AS movements, \
         CAST(SUM(r.keepers) AS BIGINT) AS keepers, CAST(SUM(r.holders) AS BIGINT) AS holders, \
         CAST(SUM(r.holding) AS BIGINT) AS holding, CAST(SUM(r.in_milli) AS BIGINT) AS in_milli, \
         CAST(SUM(r.out_milli) AS BIGINT) AS out_milli, CAST(SUM(r.on_hand_milli) AS BIGINT) AS on_hand_milli, \
         CAST(SUM(r.unlinked) AS BIGINT) AS unlinked, MIN(r.first_on) AS first_on, MAX(r.last_on) AS last_on, \
         MIN(r.unit_lo) AS unit_lo, MAX(r.unit_hi) AS unit_hi, MIN(r.product) AS product \
         FROM lots l CROSS JOIN ledger_lot_bureaus r \
         WHERE r.gtin = l.gtin AND r.batch = l.batch AND r.org_id IN ({}) GROUP BY r.gtin, r.batch",
        lots_cte(lots),
        params(2 * lots + 1, orgs)
    )
}

/// The query behind [`Store::ledger_lots_holders`]: the keepers that received each lot, with
/// what is on hand by their ledger.
pub fn lots_holders_sql(lots: usize, orgs: usize) -> String {
    format!(
        "{} SELECT k.gtin AS lot_gtin, k.batch AS lot_batch, k.uscc, CAST(k.qin - k.qout AS BIGINT) AS on_hand_milli \
         FROM k WHERE k.qin > 0 ORDER BY k.gtin, k.batch, k.uscc",
        keepers_cte(lots, orgs)
    )
}

/// The query behind [`Store::ledger_uses_of_lots`] (`into` false: the uses of the lots as raw
/// material, through `ledger_entries_batch`) and [`Store::ledger_uses_in_lots`] (`into` true:
/// the uses that went into the lots, through the partial `ledger_entries_into`), grouped by
/// producer, material lot, production batch and unit. The level's lot of a group is its material
/// lot (forward) or its production batch (backward), so it is not read a second time: two
/// columns fewer to copy and parse on each of the chain's use rows.
pub fn lots_uses_sql(into: bool, lots: usize, orgs: usize) -> String {
    let on = if into {
        "e.into_gtin = l.gtin AND e.into_batch = l.batch"
    } else {
        "e.gtin = l.gtin AND e.batch = l.batch AND e.into_gtin IS NOT NULL"
    };
    format!(
        "{} SELECT e.uscc, le.name AS enterprise_name, e.gtin, e.batch, \
         e.into_gtin, e.into_batch, e.unit, COUNT(*) AS uses, CAST(SUM(e.quantity_milli) AS BIGINT) AS quantity_milli, \
         MIN(e.recorded_on) AS first_on, MAX(e.recorded_on) AS last_on, MIN(pr.name) AS material_name \
         FROM lots l CROSS JOIN ledger_entries e JOIN ledger_enterprises le ON le.uscc = e.uscc \
         LEFT JOIN ledger_entries c ON c.corrects = e.id \
         LEFT JOIN ledger_products pr ON pr.uscc = e.uscc AND pr.gtin = e.gtin \
         WHERE {on} AND e.kind = 'material_use' AND e.batch IS NOT NULL AND c.id IS NULL AND le.org_id IN ({}) \
         GROUP BY e.uscc, le.name, e.gtin, e.batch, e.into_gtin, e.into_batch, e.unit \
         ORDER BY MIN(e.recorded_on), e.uscc, e.gtin, e.batch, e.into_gtin, e.into_batch",
        lots_cte(lots),
        params(2 * lots + 1, orgs)
    )
}

fn lot_of(row: &AnyRow, gtin: &'static str, batch: &'static str) -> LedgerResult<Lot> {
    Ok(Lot::new(col(row, gtin, Gtin::parse)?, col(row, batch, Batch::parse)?))
}

/// The most lots one statement carries (SQLite bounds the parameters of a statement).
const LOTS_PER_STATEMENT: usize = 512;

/// How many lots a statement for `n` lots is written for: the next power of two, so that a
/// level of any size runs one of a few statement texts — each prepared once per connection and
/// then reused (no parse round trip; on PostgreSQL, after five runs, a generic plan instead of
/// planning every run, which at 1M lines cost about as much as running the query).
fn lots_bucket(n: usize) -> usize {
    n.next_power_of_two().min(LOTS_PER_STATEMENT)
}

impl Store {
    /// Runs `sql(bucket, orgs)` for each part of `lots`, binding the part's pairs, then as many
    /// empty pairs as fill the bucket (no batch has an empty GTIN, so they match nothing), then
    /// the bureaus.
    async fn per_lots(
        &self,
        org_ids: &[String],
        lots: &[Lot],
        sql: impl Fn(usize, usize) -> String,
    ) -> LedgerResult<Vec<AnyRow>> {
        let mut out = Vec::new();
        if org_ids.is_empty() || lots.is_empty() {
            return Ok(out);
        }
        for part in lots.chunks(LOTS_PER_STATEMENT) {
            let bucket = lots_bucket(part.len());
            let mut q = sqlx::query(AssertSqlSafe(sql(bucket, org_ids.len())));
            for lot in part {
                q = q.bind(lot.gtin.as_str()).bind(lot.batch.as_str());
            }
            for _ in part.len()..bucket {
                q = q.bind("").bind("");
            }
            for o in org_ids {
                q = q.bind(o);
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// The summary of each lot of `lots` that has current lines in the ledgers of the bureaus
    /// `org_ids`, in one query: a level of the producers' chain at once, one row per lot.
    pub async fn ledger_lots_summaries(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<LotSummary>> {
        let rows = self.per_lots(org_ids, lots, lots_summaries_sql).await?;
        rows.iter()
            .map(|r| {
                let lo = col(r, "unit_lo", Unit::parse)?;
                let hi: String = r.try_get("unit_hi")?;
                Ok(LotSummary {
                    lot: lot_of(r, "lot_gtin", "lot_batch")?,
                    product: r.try_get("product")?,
                    movements: r.try_get("movements")?,
                    keepers: r.try_get("keepers")?,
                    holders: r.try_get("holders")?,
                    holding: r.try_get("holding")?,
                    in_milli: r.try_get("in_milli")?,
                    out_milli: r.try_get("out_milli")?,
                    on_hand_milli: r.try_get("on_hand_milli")?,
                    unlinked_uses: r.try_get("unlinked")?,
                    first: day(r, "first_on")?,
                    last: day(r, "last_on")?,
                    mixed_units: hi != lo.as_str(),
                    unit: lo,
                })
            })
            .collect()
    }

    /// The enterprises that received each lot of `lots` (bought or made some) in the ledgers of
    /// the bureaus `org_ids`, with what is on hand by their ledger: who a recall of a raw-material
    /// lot reaches through the batches made from it.
    pub async fn ledger_lots_holders(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<(Lot, Uscc, i64)>> {
        let rows = self.per_lots(org_ids, lots, lots_holders_sql).await?;
        rows.iter()
            .map(|r| {
                Ok((lot_of(r, "lot_gtin", "lot_batch")?, col(r, "uscc", Uscc::stored)?, r.try_get("on_hand_milli")?))
            })
            .collect()
    }

    /// The current raw-material uses of the lots `lots` that name the production batch they went
    /// into, grouped by producer and batches, in one query: the next level forward.
    pub async fn ledger_uses_of_lots(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<UseGroup>> {
        let rows = self.per_lots(org_ids, lots, |n, o| lots_uses_sql(false, n, o)).await?;
        rows.iter().map(|r| use_group(r, false)).collect()
    }

    /// The current raw-material uses that went into the production batches `lots`, grouped by
    /// producer and batches, in one query: the next level backward.
    pub async fn ledger_uses_in_lots(&self, org_ids: &[String], lots: &[Lot]) -> LedgerResult<Vec<UseGroup>> {
        let rows = self.per_lots(org_ids, lots, |n, o| lots_uses_sql(true, n, o)).await?;
        rows.iter().map(|r| use_group(r, true)).collect()
    }
}

/// One row of [`lots_uses_sql`]; `into` as there (the level's lot is the production batch).
fn use_group(r: &AnyRow, into: bool) -> LedgerResult<UseGroup> {
    let material = lot_of(r, "gtin", "batch")?;
    let product = lot_of(r, "into_gtin", "into_batch")?;
    Ok(UseGroup {
        lot: if into { product.clone() } else { material.clone() },
        uscc: col(r, "uscc", Uscc::stored)?,
        enterprise_name: r.try_get("enterprise_name")?,
        material,
        material_name: r.try_get("material_name")?,
        into: product,
        uses: r.try_get("uses")?,
        quantity_milli: r.try_get("quantity_milli")?,
        unit: col(r, "unit", Unit::parse)?,
        first: day(r, "first_on")?,
        last: day(r, "last_on")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_of_any_size_runs_one_of_a_few_statement_texts() {
        let buckets: Vec<usize> = [1, 2, 3, 5, 17, 33, 50, 512, 513, 1_000].into_iter().map(lots_bucket).collect();
        assert_eq!(buckets, [1, 2, 4, 8, 32, 64, 64, 512, 512, 512]);
        let texts: std::collections::BTreeSet<String> =
            (1..=LOTS_PER_STATEMENT).map(|n| lots_summaries_sql(lots_bucket(n), 10)).collect();
        assert_eq!(texts.len(), 10);
    }
}
