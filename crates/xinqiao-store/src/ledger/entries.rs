//! Ledger lines: written once, never changed or deleted (triggers refuse it on both backends); a
//! correction is a new line pointing at the one it replaces, with its reason; the sealed voucher
//! photo read back under audit. Batch look-ups across a bureau tree are in `lookups`.

use super::write_checks::{check_chain, check_production_kept, check_stock_kept, lock_enterprise};
use super::{LedgerConflict, LedgerError, LedgerResult, col, day, keepers, on_constraint, opt_col, opt_day};
use crate::audit::{self, Actor, Event};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::BTreeSet;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_domain::ledger::{Batch, CorrectionReason, EntryKind, Gtin, Quantity, Unit};

/// A voucher photo: metadata stripped, hashed and sealed by the caller (as case attachments).
#[derive(Clone)]
pub struct Voucher {
    pub sha256: String,
    pub media: String,
    pub size: i64,
    pub sealed: Vec<u8>,
}

impl std::fmt::Debug for Voucher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Voucher({}, {}, {} bytes)", self.sha256, self.media, self.size)
    }
}

/// A line to write, validated by the service (dates checked, retention computed).
#[derive(Debug, Clone)]
pub struct EntryWrite {
    pub kind: EntryKind,
    pub gtin: Gtin,
    pub batch: Option<Batch>,
    pub quantity: Quantity,
    pub unit: Unit,
    pub recorded_on: Date,
    pub production: Option<Date>,
    pub expiry: Option<Date>,
    pub shelf_life_days: Option<u32>,
    pub party_id: Option<String>,
    /// For a raw-material use: the production batch it went into (the GTIN may be left out when
    /// the batch alone names one product of the enterprise; the store fills it in).
    pub into_gtin: Option<Gtin>,
    pub into_batch: Option<Batch>,
    pub voucher: Option<Voucher>,
    pub retain_until: Date,
}

/// The other party of a line as the ledger names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyRef {
    pub id: String,
    pub name: String,
    pub uscc: Option<Uscc>,
}

/// A stored line with what it corrects and what corrected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub uscc: Uscc,
    pub enterprise_name: String,
    pub org_id: String,
    pub kind: EntryKind,
    pub gtin: Gtin,
    pub product_name: Option<String>,
    pub specification: Option<String>,
    pub batch: Option<Batch>,
    pub quantity: Quantity,
    pub unit: Unit,
    pub recorded_on: Date,
    pub production: Option<Date>,
    pub expiry: Option<Date>,
    pub shelf_life_days: Option<u32>,
    pub party: Option<PartyRef>,
    pub into_gtin: Option<Gtin>,
    pub into_batch: Option<Batch>,
    pub voucher_sha256: Option<String>,
    pub corrects: Option<String>,
    pub reason: Option<CorrectionReason>,
    pub corrected_by: Option<String>,
    pub retain_until: Date,
    pub created_at: i64,
}

impl Entry {
    /// Not replaced by a correction.
    pub fn is_current(&self) -> bool {
        self.corrected_by.is_none()
    }
}

pub(super) const ENTRY_SELECT: &str = "SELECT e.id, e.uscc, le.name AS enterprise_name, le.org_id, e.kind, e.gtin, \
     pr.name AS product_name, pr.specification, e.batch, e.quantity_milli, e.unit, e.recorded_on, \
     e.production_on, e.expiry_on, e.shelf_life_days, e.party_id, p.name AS party_name, \
     p.party_uscc, e.into_gtin, e.into_batch, e.voucher_sha256, e.corrects, e.reason, e.retain_until, e.created_at, \
     c.id AS corrected_by \
     FROM ledger_entries e JOIN ledger_enterprises le ON le.uscc = e.uscc \
     LEFT JOIN ledger_parties p ON p.id = e.party_id \
     LEFT JOIN ledger_products pr ON pr.uscc = e.uscc AND pr.gtin = e.gtin \
     LEFT JOIN ledger_entries c ON c.corrects = e.id";

pub(super) fn entry_from(row: &AnyRow) -> LedgerResult<Entry> {
    let party_id: Option<String> = row.try_get("party_id")?;
    let party = match party_id {
        Some(id) => Some(PartyRef {
            id,
            name: row.try_get::<Option<String>, _>("party_name")?.unwrap_or_default(),
            uscc: opt_col(row, "party_uscc", Uscc::stored)?,
        }),
        None => None,
    };
    let milli: i64 = row.try_get("quantity_milli")?;
    let days: Option<i64> = row.try_get("shelf_life_days")?;
    Ok(Entry {
        id: row.try_get("id")?,
        uscc: col(row, "uscc", Uscc::stored)?,
        enterprise_name: row.try_get("enterprise_name")?,
        org_id: row.try_get("org_id")?,
        kind: col(row, "kind", EntryKind::parse)?,
        gtin: col(row, "gtin", Gtin::parse)?,
        product_name: row.try_get("product_name")?,
        specification: row.try_get("specification")?,
        batch: opt_col(row, "batch", Batch::parse)?,
        quantity: Quantity::from_milli(milli)
            .ok_or(LedgerError::BadRow { column: "quantity_milli", value: milli.to_string() })?,
        unit: col(row, "unit", Unit::parse)?,
        recorded_on: day(row, "recorded_on")?,
        production: opt_day(row, "production_on")?,
        expiry: opt_day(row, "expiry_on")?,
        shelf_life_days: days
            .map(|d| {
                u32::try_from(d).map_err(|_| LedgerError::BadRow { column: "shelf_life_days", value: d.to_string() })
            })
            .transpose()?,
        party,
        into_gtin: opt_col(row, "into_gtin", Gtin::parse)?,
        into_batch: opt_col(row, "into_batch", Batch::parse)?,
        voucher_sha256: row.try_get("voucher_sha256")?,
        corrects: row.try_get("corrects")?,
        reason: opt_col(row, "reason", CorrectionReason::parse)?,
        corrected_by: row.try_get("corrected_by")?,
        retain_until: day(row, "retain_until")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Writes one line inside the caller's transaction.
async fn insert(
    conn: &mut AnyConnection,
    actor: &Actor,
    uscc: &Uscc,
    w: &EntryWrite,
    correction: Option<(&str, &CorrectionReason)>,
    now: i64,
) -> LedgerResult<String> {
    if let Some(party) = &w.party_id {
        let found: Option<(String,)> = sqlx::query_as("SELECT id FROM ledger_parties WHERE id = $1 AND uscc = $2")
            .bind(party)
            .bind(uscc.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(LedgerConflict::UnknownParty.into());
        }
    }
    if let Some(v) = &w.voucher {
        sqlx::query(
            "INSERT INTO blobs (sha256, media, size, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&v.sha256)
        .bind(&v.media)
        .bind(v.size)
        .bind(&v.sealed)
        .execute(&mut *conn)
        .await?;
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, \
         production_on, expiry_on, shelf_life_days, party_id, into_gtin, into_batch, voucher_sha256, corrects, \
         reason, retain_until, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(&id)
    .bind(uscc.as_str())
    .bind(w.kind.as_str())
    .bind(w.gtin.as_str())
    .bind(w.batch.as_ref().map(|b| b.as_str().to_owned()))
    .bind(w.quantity.milli())
    .bind(w.unit.as_str())
    .bind(w.recorded_on.0)
    .bind(w.production.map(|d| d.0))
    .bind(w.expiry.map(|d| d.0))
    .bind(w.shelf_life_days.map(i64::from))
    .bind(&w.party_id)
    .bind(w.into_gtin.as_ref().map(|g| g.as_str().to_owned()))
    .bind(w.into_batch.as_ref().map(|b| b.as_str().to_owned()))
    .bind(w.voucher.as_ref().map(|v| v.sha256.clone()))
    .bind(correction.map(|(t, _)| t.to_owned()))
    .bind(correction.map(|(_, r)| r.as_str().to_owned()))
    .bind(w.retain_until.0)
    .bind(&actor.id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(|e| on_constraint(e, LedgerConflict::AlreadyCorrected, LedgerConflict::NotEnrolled))?;
    // A new line is current: added to its keeper's sums of its batch. A correction also makes
    // the line it corrects non-current: its caller sums both batches again.
    if correction.is_none()
        && let Some(batch) = &w.batch
    {
        let key = (w.gtin.as_str().to_owned(), batch.as_str().to_owned(), uscc.as_str().to_owned());
        let unlinked = w.kind == EntryKind::MaterialUse && w.into_gtin.is_none();
        keepers::add_line(conn, &key, w.kind.as_str(), w.quantity.milli(), unlinked, w.recorded_on.0, w.unit.as_str())
            .await?;
    }
    Ok(id)
}

impl Store {
    /// Writes lines in one transaction: all of them or none (a spreadsheet import).
    pub async fn ledger_add_entries(
        &self,
        actor: &Actor,
        uscc: &Uscc,
        lines: &[EntryWrite],
    ) -> LedgerResult<Vec<String>> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        lock_enterprise(&mut tx, uscc.as_str()).await?;
        let mut lines = lines.to_vec();
        check_chain(&mut tx, uscc, &mut lines, "").await?;
        let mut ids = Vec::with_capacity(lines.len());
        for w in &lines {
            ids.push(insert(&mut tx, actor, uscc, w, None, now).await?);
        }
        let event = Event::new("ledger.entry.add", format!("ledger:{}", uscc.as_str()), Outcome::Success)
            .detail(json!({"count": ids.len(), "first": ids.first()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Corrects `target` with a new line: the target must be this enterprise's and not already
    /// corrected (a second correction of the same line, even concurrent, is `AlreadyCorrected`),
    /// and a purchase or production corrected down may not leave less of its batch than has gone
    /// out of it (`BelowUsed`) — checked in the transaction that writes the correction.
    pub async fn ledger_correct(
        &self,
        actor: &Actor,
        uscc: &Uscc,
        target: &str,
        reason: &CorrectionReason,
        w: &EntryWrite,
    ) -> LedgerResult<String> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        lock_enterprise(&mut tx, uscc.as_str()).await?;
        let row = sqlx::query(
            "SELECT e.id, e.kind, e.gtin, e.batch, e.quantity_milli, c.id AS corrected_by FROM ledger_entries e \
             LEFT JOIN ledger_entries c ON c.corrects = e.id WHERE e.id = $1 AND e.uscc = $2",
        )
        .bind(target)
        .bind(uscc.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(LedgerConflict::EntryNotFound)?;
        if row.try_get::<Option<String>, _>("corrected_by")?.is_some() {
            return Err(LedgerConflict::AlreadyCorrected.into());
        }
        if col(&row, "kind", EntryKind::parse)? == EntryKind::Production
            && let Some(batch) = opt_col(&row, "batch", Batch::parse)?
        {
            let old = Lot::new(col(&row, "gtin", Gtin::parse)?, batch);
            check_production_kept(&mut tx, uscc, target, &old, w).await?;
        }
        let (old_kind, old_gtin) = (col(&row, "kind", EntryKind::parse)?, col(&row, "gtin", Gtin::parse)?);
        let old_batch = opt_col(&row, "batch", Batch::parse)?;
        let old_milli: i64 = row.try_get("quantity_milli")?;
        check_stock_kept(&mut tx, uscc, target, (old_kind, &old_gtin, old_batch.as_ref(), old_milli), w).await?;
        let mut w = [w.clone()];
        check_chain(&mut tx, uscc, &mut w, target).await?;
        let id = insert(&mut tx, actor, uscc, &w[0], Some((target, reason)), now).await?;
        let keys: BTreeSet<keepers::KeeperKey> = [(&old_gtin, old_batch.as_ref()), (&w[0].gtin, w[0].batch.as_ref())]
            .into_iter()
            .filter_map(|(g, b)| b.map(|b| (g.as_str().to_owned(), b.as_str().to_owned(), uscc.as_str().to_owned())))
            .collect();
        keepers::refresh(&mut tx, &keys).await?;
        let event = Event::new("ledger.entry.correct", format!("ledger:{}", uscc.as_str()), Outcome::Success)
            .detail(json!({"entry": id, "corrects": target}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An enterprise's lines, newest record date first; with `current_only`, without the lines
    /// replaced by a correction.
    pub async fn ledger_entries(&self, uscc: &Uscc, current_only: bool, limit: i64) -> LedgerResult<Vec<Entry>> {
        let sql = format!(
            "{ENTRY_SELECT} WHERE e.uscc = $1 {} ORDER BY e.recorded_on DESC, e.created_at DESC, e.id DESC LIMIT $2",
            if current_only { "AND c.id IS NULL" } else { "" }
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(uscc.as_str())
            .bind(limit.clamp(1, 100_000))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from).collect()
    }

    pub async fn ledger_entry(&self, uscc: &Uscc, id: &str) -> LedgerResult<Option<Entry>> {
        let sql = format!("{ENTRY_SELECT} WHERE e.uscc = $1 AND e.id = $2");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(uscc.as_str()).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(entry_from).transpose()
    }

    /// Records a staff member's look at an enterprise's ledger, with the case or inspection it
    /// serves as its purpose.
    pub async fn ledger_record_look(
        &self,
        actor: &Actor,
        uscc: &Uscc,
        reference: &str,
        what: serde_json::Value,
    ) -> LedgerResult<()> {
        let mut tx = self.begin().await?;
        let mut event = Event::new("ledger.read", format!("ledger:{}", uscc.as_str()), Outcome::Success).detail(what);
        event.purpose = reference.to_owned();
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The sealed voucher of a line: its SHA-256 (the sealing's associated data), media type and
    /// sealed bytes; the read is an audit entry (with the reference a staff member gave, if any) in
    /// the same transaction.
    pub async fn ledger_voucher(
        &self,
        actor: &Actor,
        uscc: &Uscc,
        entry_id: &str,
        reference: &str,
    ) -> LedgerResult<(String, String, Vec<u8>)> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT b.sha256, b.media, b.sealed FROM ledger_entries e JOIN blobs b ON b.sha256 = e.voucher_sha256 \
             WHERE e.uscc = $1 AND e.id = $2",
        )
        .bind(uscc.as_str())
        .bind(entry_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(LedgerConflict::EntryNotFound)?;
        let sha256: String = row.try_get("sha256")?;
        let media: String = row.try_get("media")?;
        let sealed: Vec<u8> = row.try_get("sealed")?;
        let mut event = Event::new("ledger.voucher.read", format!("ledger:{}", uscc.as_str()), Outcome::Success)
            .detail(json!({"entry": entry_id}));
        event.purpose = reference.to_owned();
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok((sha256, media, sealed))
    }
}
