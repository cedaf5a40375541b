//! The per-(batch, keeper) sums of current ledger lines (`ledger_lot_keepers`, migration 0085),
//! kept in the same transaction as every line written or purged, so that a level of the
//! producers' chain sums one row per keeper of a batch instead of one per line; and with them
//! their per-(batch, bureau) roll-up (`ledger_lot_bureaus`, [`super::bureaus`]).

use super::bureaus::{self, NewLine};
use crate::Store;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;

/// A row's key: GTIN, batch, keeper's USCC.
pub(crate) type KeeperKey = (String, String, String);

/// What one keeper's current lines of one batch add up to, as the columns of
/// `ledger_lot_keepers` after its key (the same expressions as migration 0085's backfill).
const SUMS: &str = "COUNT(*), \
     SUM(CASE WHEN e.kind IN ('purchase', 'production') THEN e.quantity_milli ELSE 0 END), \
     SUM(CASE WHEN e.kind IN ('purchase', 'production') THEN 0 ELSE e.quantity_milli END), \
     SUM(CASE WHEN e.kind = 'material_use' AND e.into_gtin IS NULL THEN 1 ELSE 0 END), \
     MIN(e.recorded_on), MAX(e.recorded_on), MIN(e.unit), MAX(e.unit)";

const COLUMNS: &str =
    "gtin, batch, uscc, movements, in_milli, out_milli, unlinked, first_on, last_on, unit_lo, unit_hi";

/// Adds one new current line (not a correction) to its keeper's row of its batch, creating the
/// row for the keeper's first line of it, and the row's change to its bureau's roll-up. A line
/// without a batch belongs to no lot: the caller adds nothing.
pub(crate) async fn add_line(
    conn: &mut AnyConnection,
    key: &KeeperKey,
    kind: &str,
    quantity_milli: i64,
    unlinked_use: bool,
    recorded_on: i64,
    unit: &str,
) -> sqlx::Result<()> {
    let incoming = matches!(kind, "purchase" | "production");
    // The keeper's bureau, its row of the batch before this line, its name for the GTIN.
    let before = sqlx::query(
        "SELECT le.org_id, s.in_milli, s.out_milli, pr.name FROM ledger_enterprises le \
         LEFT JOIN ledger_lot_keepers s ON s.gtin = $1 AND s.batch = $2 AND s.uscc = le.uscc \
         LEFT JOIN ledger_products pr ON pr.uscc = le.uscc AND pr.gtin = $1 WHERE le.uscc = $3",
    )
    .bind(&key.0)
    .bind(&key.1)
    .bind(&key.2)
    .fetch_one(&mut *conn)
    .await?;
    let org: String = before.try_get("org_id")?;
    let old_in: Option<i64> = before.try_get("in_milli")?;
    let old_out: Option<i64> = before.try_get("out_milli")?;
    let product: Option<String> = before.try_get("name")?;
    let t = "ledger_lot_keepers";
    let sql = format!(
        "INSERT INTO {t} ({COLUMNS}) VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $7, $8, $8) \
         ON CONFLICT (gtin, batch, uscc) DO UPDATE SET movements = {t}.movements + 1, \
         in_milli = {t}.in_milli + excluded.in_milli, out_milli = {t}.out_milli + excluded.out_milli, \
         unlinked = {t}.unlinked + excluded.unlinked, \
         first_on = CASE WHEN excluded.first_on < {t}.first_on THEN excluded.first_on ELSE {t}.first_on END, \
         last_on = CASE WHEN excluded.last_on > {t}.last_on THEN excluded.last_on ELSE {t}.last_on END, \
         unit_lo = CASE WHEN excluded.unit_lo < {t}.unit_lo THEN excluded.unit_lo ELSE {t}.unit_lo END, \
         unit_hi = CASE WHEN excluded.unit_hi > {t}.unit_hi THEN excluded.unit_hi ELSE {t}.unit_hi END"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&key.0)
        .bind(&key.1)
        .bind(&key.2)
        .bind(if incoming { quantity_milli } else { 0 })
        .bind(if incoming { 0 } else { quantity_milli })
        .bind(i64::from(unlinked_use))
        .bind(recorded_on)
        .bind(unit)
        .execute(&mut *conn)
        .await?;
    let bureau = (key.0.clone(), key.1.clone(), org);
    let line = NewLine {
        key: &bureau,
        before: old_in.zip(old_out),
        in_milli: if incoming { quantity_milli } else { 0 },
        out_milli: if incoming { 0 } else { quantity_milli },
        unlinked: unlinked_use,
        recorded_on,
        unit,
        product: product.as_deref(),
    };
    bureaus::add_line(conn, &line).await
}

/// Sums the rows of `keys` again from their current lines (after a correction made a line
/// non-current, or a purge removed lines): a key with no current line left loses its row. Then
/// their bureaus' roll-up rows, summed again from the keepers' rows.
pub(crate) async fn refresh(conn: &mut AnyConnection, keys: &BTreeSet<KeeperKey>) -> sqlx::Result<()> {
    let insert = format!(
        "INSERT INTO ledger_lot_keepers ({COLUMNS}) SELECT e.gtin, e.batch, e.uscc, {SUMS} FROM ledger_entries e \
         WHERE e.gtin = $1 AND e.batch = $2 AND e.uscc = $3 \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id) GROUP BY e.gtin, e.batch, e.uscc"
    );
    for (gtin, batch, uscc) in keys {
        sqlx::query("DELETE FROM ledger_lot_keepers WHERE gtin = $1 AND batch = $2 AND uscc = $3")
            .bind(gtin)
            .bind(batch)
            .bind(uscc)
            .execute(&mut *conn)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(insert.as_str())).bind(gtin).bind(batch).bind(uscc).execute(&mut *conn).await?;
    }
    let rollups = bureaus::of_keepers(conn, keys).await?;
    bureaus::refresh(conn, &rollups).await
}

impl Store {
    /// Sums every row of `ledger_lot_keepers` again from the current lines, and then every row of
    /// their roll-up `ledger_lot_bureaus` from those, in one transaction — what migrations 0085
    /// and 0086 did when they made the tables. For lines loaded behind the store's back (a bulk
    /// load, old data in a test) and as a repair; the store keeps the rows itself. Returns the
    /// keepers' rows written.
    pub async fn ledger_rebuild_lot_keepers(&self) -> crate::Result<u64> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM ledger_lot_keepers").execute(&mut *tx).await?;
        let sql = format!(
            "INSERT INTO ledger_lot_keepers ({COLUMNS}) SELECT e.gtin, e.batch, e.uscc, {SUMS} FROM ledger_entries e \
             WHERE e.batch IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id) \
             GROUP BY e.gtin, e.batch, e.uscc"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?.rows_affected();
        bureaus::rebuild(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }
}
