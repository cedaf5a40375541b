//! The per-(batch, bureau) roll-up of the keepers' sums (`ledger_lot_bureaus`, migration 0086):
//! what every keeper of a batch in one bureau adds up to, so that a linked batch's summary sums
//! about one row per bureau of the actor's tree instead of one per keeper. Kept in the same
//! transaction as the keepers' rows it rolls up: a new line adds its keeper's change to its
//! bureau's row (counts and sums by difference, dates, units and product name by least and
//! greatest); a correction, a purge or a product master saved sums the bureau's row again from
//! its keepers' rows.
//!
//! Concurrency (PostgreSQL, read committed): the row is changed either by one upsert adding a
//! difference (which locks the row and adds to its latest version), or — to sum it again — by
//! first locking the row (the same upsert adding nothing) and then summing in a later statement,
//! which sees every keeper row committed before it; a keeper whose writer has not committed yet
//! adds its own difference to the row after, relative to its keeper row as committed (each
//! keeper's rows have one writer at a time: its enterprise's turn).

use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet};

/// A row's key: GTIN, batch, bureau id.
pub(crate) type BureauKey = (String, String, String);

const COLUMNS: &str = "gtin, batch, org_id, keepers, holders, holding, movements, in_milli, out_milli, \
     on_hand_milli, unlinked, first_on, last_on, unit_lo, unit_hi, product";

/// What the keepers' rows `s` (joined to their enterprise `le` and product master `pr`) add up
/// to, as the columns after the key (the same expressions as migration 0086's backfill).
const SUMS: &str = "COUNT(*), CAST(COALESCE(SUM(CASE WHEN s.in_milli > 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN s.in_milli > 0 AND s.in_milli > s.out_milli THEN 1 ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.movements), 0) AS BIGINT), CAST(COALESCE(SUM(s.in_milli), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.out_milli), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN s.in_milli > 0 THEN s.in_milli - s.out_milli ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.unlinked), 0) AS BIGINT), COALESCE(MIN(s.first_on), 0), COALESCE(MAX(s.last_on), 0), \
     COALESCE(MIN(s.unit_lo), ''), COALESCE(MAX(s.unit_hi), ''), MIN(pr.name)";

const KEEPERS: &str = "FROM ledger_lot_keepers s JOIN ledger_enterprises le ON le.uscc = s.uscc \
     LEFT JOIN ledger_products pr ON pr.uscc = s.uscc AND pr.gtin = s.gtin";

/// How one keeper's row counts in its bureau's row: a keeper, a holder (it received some), one
/// holding stock, what it holds.
fn share(in_milli: i64, out_milli: i64) -> [i64; 4] {
    let holder = in_milli > 0;
    [1, i64::from(holder), i64::from(holder && in_milli > out_milli), if holder { in_milli - out_milli } else { 0 }]
}

/// One new current line of a keeper: its keeper row before the line (`before`: in and out, none
/// for the keeper's first line of the batch) and the line's own figures.
pub(crate) struct NewLine<'a> {
    pub key: &'a BureauKey,
    pub before: Option<(i64, i64)>,
    pub in_milli: i64,
    pub out_milli: i64,
    pub unlinked: bool,
    pub recorded_on: i64,
    pub unit: &'a str,
    /// The keeper's name for the GTIN in its product master.
    pub product: Option<&'a str>,
}

/// Adds a new line's difference to its bureau's row, creating the row for the bureau's first
/// keeper of the batch.
pub(crate) async fn add_line(conn: &mut AnyConnection, l: &NewLine<'_>) -> sqlx::Result<()> {
    let old = l.before.map_or([0; 4], |(i, o)| share(i, o));
    let (i, o) = l.before.unwrap_or((0, 0));
    let new = share(i + l.in_milli, o + l.out_milli);
    let d: Vec<i64> = (0..4).map(|k| new[k] - old[k]).collect();
    let t = "ledger_lot_bureaus";
    let sql = format!(
        "INSERT INTO {t} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $11, $11, $12, $12, $13) \
         ON CONFLICT (gtin, batch, org_id) DO UPDATE SET keepers = {t}.keepers + excluded.keepers, \
         holders = {t}.holders + excluded.holders, holding = {t}.holding + excluded.holding, \
         movements = {t}.movements + 1, in_milli = {t}.in_milli + excluded.in_milli, \
         out_milli = {t}.out_milli + excluded.out_milli, on_hand_milli = {t}.on_hand_milli + excluded.on_hand_milli, \
         unlinked = {t}.unlinked + excluded.unlinked, \
         first_on = CASE WHEN excluded.first_on < {t}.first_on THEN excluded.first_on ELSE {t}.first_on END, \
         last_on = CASE WHEN excluded.last_on > {t}.last_on THEN excluded.last_on ELSE {t}.last_on END, \
         unit_lo = CASE WHEN excluded.unit_lo < {t}.unit_lo THEN excluded.unit_lo ELSE {t}.unit_lo END, \
         unit_hi = CASE WHEN excluded.unit_hi > {t}.unit_hi THEN excluded.unit_hi ELSE {t}.unit_hi END, \
         product = CASE WHEN excluded.product IS NULL THEN {t}.product \
         WHEN {t}.product IS NULL OR excluded.product < {t}.product THEN excluded.product ELSE {t}.product END"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(&l.key.0)
        .bind(&l.key.1)
        .bind(&l.key.2)
        .bind(d[0])
        .bind(d[1])
        .bind(d[2])
        .bind(l.in_milli)
        .bind(l.out_milli)
        .bind(d[3])
        .bind(i64::from(l.unlinked))
        .bind(l.recorded_on)
        .bind(l.unit)
        .bind(l.product.map(str::to_owned))
        .execute(conn)
        .await?;
    Ok(())
}

/// Sums the rows `keys` again from their keepers' current rows (after a correction or a purge
/// changed keeper rows other than by adding, or a product master changed a name): the row is
/// locked first, then summed; a bureau with no keeper of the batch left loses its row.
pub(crate) async fn refresh(conn: &mut AnyConnection, keys: &BTreeSet<BureauKey>) -> sqlx::Result<()> {
    let t = "ledger_lot_bureaus";
    let lock = format!(
        "INSERT INTO {t} ({COLUMNS}) VALUES ($1, $2, $3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '', '', NULL) \
         ON CONFLICT (gtin, batch, org_id) DO UPDATE SET keepers = {t}.keepers"
    );
    let (_, columns) = COLUMNS.split_at("gtin, batch, org_id, ".len());
    let sum = format!(
        "UPDATE {t} SET ({columns}) = (SELECT {SUMS} {KEEPERS} WHERE s.gtin = $1 AND s.batch = $2 AND le.org_id = $3) \
         WHERE gtin = $1 AND batch = $2 AND org_id = $3"
    );
    for (gtin, batch, org) in keys {
        for sql in [
            lock.as_str(),
            sum.as_str(),
            "DELETE FROM ledger_lot_bureaus WHERE gtin = $1 AND batch = $2 AND org_id = $3 AND keepers = 0",
        ] {
            sqlx::query(AssertSqlSafe(sql)).bind(gtin).bind(batch).bind(org).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// The bureau rows of a keeper's batches of `gtin`: what its product master's name for the GTIN
/// counts in. The caller holds the keeper's turn.
pub(crate) async fn of_keeper_gtin(
    conn: &mut AnyConnection,
    uscc: &str,
    gtin: &str,
) -> sqlx::Result<BTreeSet<BureauKey>> {
    let rows = sqlx::query(
        "SELECT s.batch, le.org_id FROM ledger_lot_keepers s JOIN ledger_enterprises le ON le.uscc = s.uscc \
         WHERE s.gtin = $1 AND s.uscc = $2",
    )
    .bind(gtin)
    .bind(uscc)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((gtin.to_owned(), r.try_get("batch")?, r.try_get("org_id")?))).collect()
}

/// The bureau of each keeper of `keys` (keeper rows' keys): the rows their change touches.
pub(crate) async fn of_keepers(
    conn: &mut AnyConnection,
    keys: &BTreeSet<super::keepers::KeeperKey>,
) -> sqlx::Result<BTreeSet<BureauKey>> {
    let mut out = BTreeSet::new();
    let mut orgs: BTreeMap<&str, String> = BTreeMap::new();
    for (gtin, batch, uscc) in keys {
        if !orgs.contains_key(uscc.as_str()) {
            let (org,): (String,) = sqlx::query_as("SELECT org_id FROM ledger_enterprises WHERE uscc = $1")
                .bind(uscc)
                .fetch_one(&mut *conn)
                .await?;
            orgs.insert(uscc, org);
        }
        out.insert((gtin.clone(), batch.clone(), orgs[uscc.as_str()].clone()));
    }
    Ok(out)
}

/// Sums every row of the table again from the keepers' rows, inside the caller's transaction
/// (what migration 0086 did when it made the table); returns the rows written.
pub(crate) async fn rebuild(conn: &mut AnyConnection) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM ledger_lot_bureaus").execute(&mut *conn).await?;
    let sql = format!(
        "INSERT INTO ledger_lot_bureaus ({COLUMNS}) SELECT s.gtin, s.batch, le.org_id, {SUMS} {KEEPERS} \
         GROUP BY s.gtin, s.batch, le.org_id"
    );
    Ok(sqlx::query(AssertSqlSafe(sql)).execute(conn).await?.rows_affected())
}
