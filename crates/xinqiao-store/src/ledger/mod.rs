//! 电子台账: enterprises' product master, suppliers and buyers, append-only ledger lines, batch
//! look-ups across a bureau tree, recall and sealing lists. Rows are read by column name into the
//! domain's types (an unknown value is an error, never a default); every operation's refusals are
//! a typed `LedgerConflict`.

mod bureaus;
mod case_batches;
mod entries;
mod keepers;
mod lookups;
mod recalls;
mod retention;
mod summaries;
mod warning_batches;
mod write_checks;

pub use case_batches::CaseBatch;
pub use entries::{Entry, EntryWrite, PartyRef, Voucher};
pub use lookups::{batch_lines_sql, lots_lines_sql, uses_into_sql};
pub use recalls::{Holder, Recall};
pub use retention::Purged;
pub use summaries::{LotSummary, UseGroup, lots_holders_sql, lots_summaries_sql, lots_uses_sql};
pub use warning_batches::WarningBatch;
pub use xinqiao_domain::ledger::RecallKind;

use crate::audit::{self, Actor, Event};
use crate::{Store, StoreError, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::{Category, Gtin};

/// Why a ledger operation was refused: each says what happened, for the person to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LedgerConflict {
    #[error("本企业尚未开通电子台账")]
    NotEnrolled,
    #[error("要更正的记录不存在或不属于本企业")]
    EntryNotFound,
    #[error("这条记录已被更正过：请在最新的那条记录上更正")]
    AlreadyCorrected,
    #[error("所选的供应商或购货方不存在或不属于本企业")]
    UnknownParty,
    #[error("同一统一社会信用代码的供应商或购货方已登记过")]
    PartyExists,
    #[error("没有这份召回或封存清单")]
    RecallNotFound,
    #[error("本企业不在这份召回或封存清单上")]
    NotAHolder,
    #[error("本企业已确认过该批次已下架封存")]
    AlreadyConfirmed,
    #[error("更正后该批次的进货（或生产）数量少于已用去、售出或发出的数量：请先更正相应的销售、发货或原料使用记录")]
    BelowUsed,
}

impl LedgerConflict {
    /// A stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            LedgerConflict::NotEnrolled => "ledger_not_enrolled",
            LedgerConflict::EntryNotFound => "ledger_entry_not_found",
            LedgerConflict::AlreadyCorrected => "ledger_already_corrected",
            LedgerConflict::UnknownParty => "ledger_unknown_party",
            LedgerConflict::PartyExists => "ledger_party_exists",
            LedgerConflict::RecallNotFound => "ledger_recall_not_found",
            LedgerConflict::NotAHolder => "ledger_not_a_holder",
            LedgerConflict::AlreadyConfirmed => "ledger_already_confirmed",
            LedgerConflict::BelowUsed => "ledger_below_used",
        }
    }
}

/// What a ledger operation can end in besides success.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Conflict(#[from] LedgerConflict),
    /// Lines that break the producers' chain rules (by index in the submission): none written.
    #[error("台账记录未通过检查")]
    Invalid(Vec<xinqiao_domain::ledger::production::LineError>),
    /// A stored value the domain does not know: the row is not guessed at.
    #[error("台账数据无法读取：{column} 列的值“{value}”无效")]
    BadRow { column: &'static str, value: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LedgerError {
    fn from(e: sqlx::Error) -> Self {
        LedgerError::Store(StoreError::from(e))
    }
}

pub type LedgerResult<T> = std::result::Result<T, LedgerError>;

/// `$1, $2, …` from `from` on, `n` of them.
fn params(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Reads a column by name and converts it with a domain parser; a failure names the column.
pub(crate) fn col<T, E>(
    row: &AnyRow,
    column: &'static str,
    parse: impl FnOnce(&str) -> std::result::Result<T, E>,
) -> LedgerResult<T> {
    let raw: String = row.try_get(column)?;
    parse(&raw).map_err(|_| LedgerError::BadRow { column, value: raw.chars().take(40).collect() })
}

/// The same for a column that may be NULL.
pub(crate) fn opt_col<T, E>(
    row: &AnyRow,
    column: &'static str,
    parse: impl FnOnce(&str) -> std::result::Result<T, E>,
) -> LedgerResult<Option<T>> {
    let raw: Option<String> = row.try_get(column)?;
    raw.map(|raw| parse(&raw).map_err(|_| LedgerError::BadRow { column, value: raw.chars().take(40).collect() }))
        .transpose()
}

pub(crate) fn day(row: &AnyRow, column: &'static str) -> LedgerResult<Date> {
    Ok(Date(row.try_get::<i64, _>(column)?))
}

pub(crate) fn opt_day(row: &AnyRow, column: &'static str) -> LedgerResult<Option<Date>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Date))
}

/// An enterprise keeping a ledger, and the bureau it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    pub uscc: Uscc,
    pub name: String,
    pub org_id: String,
}

/// A product in an enterprise's master: what a scanned GTIN fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub gtin: Gtin,
    pub name: String,
    pub specification: String,
    pub category: Category,
}

/// A supplier or buyer as the enterprise records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    pub name: String,
    pub party_uscc: Option<Uscc>,
    pub licence: String,
    pub address: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub party_uscc: Option<Uscc>,
    pub licence: String,
    pub address: String,
    pub contact: String,
}

fn enterprise_from(row: &AnyRow) -> LedgerResult<Enterprise> {
    Ok(Enterprise { uscc: col(row, "uscc", Uscc::stored)?, name: row.try_get("name")?, org_id: row.try_get("org_id")? })
}

fn product_from(row: &AnyRow) -> LedgerResult<Product> {
    Ok(Product {
        gtin: col(row, "gtin", Gtin::parse)?,
        name: row.try_get("name")?,
        specification: row.try_get("specification")?,
        category: col(row, "category", Category::parse)?,
    })
}

fn party_from(row: &AnyRow) -> LedgerResult<Party> {
    Ok(Party {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        party_uscc: opt_col(row, "party_uscc", Uscc::stored)?,
        licence: row.try_get("licence")?,
        address: row.try_get("address")?,
        contact: row.try_get("contact")?,
    })
}

impl Store {
    /// Opens (or renames) an enterprise's ledger under its bureau. The bureau set at the first
    /// use stays: moving an enterprise between bureaus is an administrator's act, not a side effect.
    pub async fn ledger_enroll(
        &self,
        actor: &Actor,
        uscc: &Uscc,
        name: &str,
        org_id: &str,
    ) -> LedgerResult<Enterprise> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO ledger_enterprises (uscc, name, org_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (uscc) DO UPDATE SET name = excluded.name",
        )
        .bind(uscc.as_str())
        .bind(name)
        .bind(org_id)
        .bind(tx.now_ms())
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("SELECT uscc, name, org_id FROM ledger_enterprises WHERE uscc = $1")
            .bind(uscc.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let e = enterprise_from(&row)?;
        if inserted.rows_affected() > 0 {
            audit::append(
                &mut tx,
                actor,
                Event::new("ledger.enroll", format!("ledger:{}", uscc.as_str()), Outcome::Success),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(e)
    }

    pub async fn ledger_enterprise(&self, uscc: &Uscc) -> LedgerResult<Option<Enterprise>> {
        let row = sqlx::query("SELECT uscc, name, org_id FROM ledger_enterprises WHERE uscc = $1")
            .bind(uscc.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(enterprise_from).transpose()
    }

    /// Records what a GTIN is in this enterprise's master (the latest word wins). The name counts
    /// in the per-(batch, bureau) roll-up of the batches of the GTIN this enterprise keeps: those
    /// rows are summed again, in the enterprise's turn to write (as every writer of its sums).
    pub async fn ledger_save_product(&self, actor: &Actor, uscc: &Uscc, p: &Product) -> LedgerResult<()> {
        let mut tx = self.begin().await?;
        write_checks::lock_enterprise(&mut tx, uscc.as_str()).await?;
        sqlx::query(
            "INSERT INTO ledger_products (uscc, gtin, name, specification, category, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (uscc, gtin) DO UPDATE SET name = excluded.name, \
             specification = excluded.specification, category = excluded.category, updated_at = excluded.updated_at",
        )
        .bind(uscc.as_str())
        .bind(p.gtin.as_str())
        .bind(&p.name)
        .bind(&p.specification)
        .bind(p.category.as_str())
        .bind(tx.now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| on_constraint(e, LedgerConflict::NotEnrolled, LedgerConflict::NotEnrolled))?;
        let rollups = bureaus::of_keeper_gtin(&mut tx, uscc.as_str(), p.gtin.as_str()).await?;
        bureaus::refresh(&mut tx, &rollups).await?;
        let event = Event::new("ledger.product.save", format!("ledger:{}", uscc.as_str()), Outcome::Success)
            .detail(json!({"gtin": p.gtin.as_str()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn ledger_product(&self, uscc: &Uscc, gtin: &Gtin) -> LedgerResult<Option<Product>> {
        let row = sqlx::query(
            "SELECT gtin, name, specification, category FROM ledger_products WHERE uscc = $1 AND gtin = $2",
        )
        .bind(uscc.as_str())
        .bind(gtin.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(product_from).transpose()
    }

    pub async fn ledger_products(&self, uscc: &Uscc) -> LedgerResult<Vec<Product>> {
        let rows = sqlx::query(
            "SELECT gtin, name, specification, category FROM ledger_products WHERE uscc = $1 ORDER BY name, gtin",
        )
        .bind(uscc.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(product_from).collect()
    }

    /// Adds a supplier or buyer; the same USCC twice in one ledger is a conflict.
    pub async fn ledger_add_party(&self, actor: &Actor, uscc: &Uscc, p: &NewParty) -> LedgerResult<Party> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO ledger_parties (id, uscc, name, party_uscc, licence, address, contact, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(uscc.as_str())
        .bind(&p.name)
        .bind(p.party_uscc.as_ref().map(|u| u.as_str().to_owned()))
        .bind(&p.licence)
        .bind(&p.address)
        .bind(&p.contact)
        .bind(tx.now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| on_constraint(e, LedgerConflict::PartyExists, LedgerConflict::NotEnrolled))?;
        let event = Event::new("ledger.party.add", format!("ledger:{}", uscc.as_str()), Outcome::Success)
            .detail(json!({"party": id}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(Party {
            id,
            name: p.name.clone(),
            party_uscc: p.party_uscc.clone(),
            licence: p.licence.clone(),
            address: p.address.clone(),
            contact: p.contact.clone(),
        })
    }

    pub async fn ledger_parties(&self, uscc: &Uscc) -> LedgerResult<Vec<Party>> {
        let rows = sqlx::query(
            "SELECT id, name, party_uscc, licence, address, contact FROM ledger_parties WHERE uscc = $1 ORDER BY name, id",
        )
        .bind(uscc.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(party_from).collect()
    }
}

/// Maps a constraint the database refused to the conflict it means here (realworld's
/// `on_constraint`): a unique key to `unique`, a missing referenced row to `reference`.
pub(crate) fn on_constraint(e: sqlx::Error, unique: LedgerConflict, reference: LedgerConflict) -> LedgerError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => LedgerError::Conflict(unique),
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => LedgerError::Conflict(reference),
        _ => LedgerError::from(e),
    }
}
