//! 廉洁登记 in storage: an officer's entries (texts masked by the caller), each audited, a 请托
//! writing its tie in the same transaction; read back by column name into the domain's types
//! (an unknown kind or a malformed code is an error), for the officer, for the bureaus a
//! supervisor oversees, and for the annual review.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::independence::Tie;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::integrity::EntryKind;

/// An entry to store: validated, its texts masked.
#[derive(Debug, Clone)]
pub struct NewIntegrityEntry {
    pub kind: EntryKind,
    pub day: Date,
    pub enterprise_uscc: Option<Uscc>,
    pub enterprise_name: String,
    pub happened_masked: String,
    pub action_masked: String,
    /// The tie it makes (a 请托).
    pub tie: Option<Tie>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityEntry {
    pub id: String,
    pub user_id: String,
    pub user_name: String,
    pub org_id: Option<String>,
    pub kind: EntryKind,
    pub day: Date,
    pub enterprise_uscc: Option<Uscc>,
    pub enterprise_name: String,
    pub happened_masked: String,
    pub action_masked: String,
    /// It made a tie (the officer steps aside from that enterprise's cases).
    pub tied: bool,
    pub created_at: i64,
}

/// Whose entries to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityScope<'a> {
    Officer(&'a str),
    Bureaus(&'a [String]),
}

const COLUMNS: &str = "e.id, e.user_id, u.display_name, e.org_id, e.kind, e.day, e.enterprise_uscc, \
    e.enterprise_name, e.happened_masked, e.action_masked, e.tie_id, e.created_at";

fn corrupt(what: &str) -> StoreError {
    StoreError::Migration(format!("integrity entry has an unknown {what}"))
}

fn entry_from(row: &AnyRow) -> Result<IntegrityEntry> {
    let kind: String = row.try_get("kind")?;
    let uscc: Option<String> = row.try_get("enterprise_uscc")?;
    let tie: Option<String> = row.try_get("tie_id")?;
    Ok(IntegrityEntry {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        user_name: row.try_get("display_name")?,
        org_id: row.try_get("org_id")?,
        kind: EntryKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
        day: Date(row.try_get("day")?),
        enterprise_uscc: uscc.map(|u| Uscc::stored(&u).map_err(|_| corrupt("USCC"))).transpose()?,
        enterprise_name: row.try_get("enterprise_name")?,
        happened_masked: row.try_get("happened_masked")?,
        action_masked: row.try_get("action_masked")?,
        tied: tie.is_some(),
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Records an entry by `user_id` (working in `org_id`), with its tie, audited; one transaction.
    pub async fn record_integrity(
        &self,
        actor: &Actor,
        user_id: &str,
        org_id: Option<&str>,
        entry: &NewIntegrityEntry,
    ) -> Result<String> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let tie_id = match &entry.tie {
            Some(tie) => {
                let tie_id = new_id();
                sqlx::query(
                    "INSERT INTO ties (id, user_id, kind, enterprise_uscc, enterprise_name, person_index, note, declared_at) \
                     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)",
                )
                .bind(&tie_id)
                .bind(user_id)
                .bind(tie.kind.code())
                .bind(&tie.enterprise_uscc)
                .bind(&tie.enterprise_name)
                .bind(format!("廉洁登记：{}", entry.kind.label()))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Some(tie_id)
            }
            None => None,
        };
        sqlx::query(
            "INSERT INTO integrity_entries (id, user_id, org_id, kind, day, enterprise_uscc, enterprise_name, \
             happened_masked, action_masked, tie_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(org_id)
        .bind(entry.kind.code())
        .bind(entry.day.0)
        .bind(entry.enterprise_uscc.as_ref().map(|u| u.as_str().to_owned()))
        .bind(&entry.enterprise_name)
        .bind(&entry.happened_masked)
        .bind(&entry.action_masked)
        .bind(&tie_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = Event::new("integrity.record", format!("integrity:{id}"), Outcome::Success)
            .detail(json!({"kind": entry.kind.code(), "tie": tie_id.is_some()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Entries recorded in `[from_ms, to_ms)`, newest first.
    pub async fn integrity_entries(
        &self,
        scope: IntegrityScope<'_>,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<IntegrityEntry>> {
        let (filter, values): (String, Vec<String>) = match scope {
            IntegrityScope::Officer(user) => ("e.user_id = $3".into(), vec![user.to_owned()]),
            IntegrityScope::Bureaus([]) => return Ok(vec![]),
            IntegrityScope::Bureaus(orgs) => {
                let marks: Vec<String> = (0..orgs.len()).map(|i| format!("${}", i + 3)).collect();
                (format!("e.org_id IN ({})", marks.join(", ")), orgs.to_vec())
            }
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM integrity_entries e JOIN users u ON u.id = e.user_id \
             WHERE e.created_at >= $1 AND e.created_at < $2 AND {filter} ORDER BY e.created_at DESC, e.id DESC LIMIT 5000"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_ms).bind(to_ms);
        for v in &values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }
}
