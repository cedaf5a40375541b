//! 容缺受理 in storage: applications with their missing materials and deadline, marked supplied
//! or ended (each change audited, a change to a matter already closed a typed conflict), read
//! back by column name into the domain's types.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::deferred::Standing;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeferred {
    pub org_id: String,
    pub enterprise_name: String,
    /// The applicant's 统一社会信用代码, when given: its enterprise accounts see the application.
    pub enterprise_uscc: Option<String>,
    pub matter: String,
    pub missing: Vec<String>,
    pub accepted_on: Date,
    pub deadline: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    pub id: String,
    pub org_id: String,
    pub officer_id: String,
    pub enterprise_name: String,
    pub matter: String,
    pub missing: Vec<String>,
    pub accepted_on: Date,
    pub deadline: Date,
    pub standing: Standing,
    pub closed_on: Option<Date>,
    pub enterprise_uscc: Option<String>,
    /// The day the reminder before the deadline was given.
    pub reminded_on: Option<Date>,
}

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum DeferredError {
    #[error("该事项不存在")]
    NotFound,
    #[error("该事项已经结束（可能已由他人处理），请刷新后查看")]
    AlreadyClosed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for DeferredError {
    fn from(e: sqlx::Error) -> Self {
        DeferredError::Store(e.into())
    }
}

const COLUMNS: &str = "id, org_id, officer_id, enterprise_name, matter, missing, accepted_day, deadline_day, standing, closed_day, \
     enterprise_uscc, reminded_day";

fn from_row(row: &AnyRow) -> Result<Deferred> {
    let standing: String = row.try_get("standing")?;
    let missing: String = row.try_get("missing")?;
    Ok(Deferred {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        officer_id: row.try_get("officer_id")?,
        enterprise_name: row.try_get("enterprise_name")?,
        matter: row.try_get("matter")?,
        missing: missing.lines().map(str::to_owned).collect(),
        accepted_on: Date(row.try_get("accepted_day")?),
        deadline: Date(row.try_get("deadline_day")?),
        standing: Standing::parse(&standing)
            .ok_or_else(|| StoreError::Migration("deferred application has an unknown standing".into()))?,
        closed_on: row.try_get::<Option<i64>, _>("closed_day")?.map(Date),
        enterprise_uscc: row.try_get("enterprise_uscc")?,
        reminded_on: row.try_get::<Option<i64>, _>("reminded_day")?.map(Date),
    })
}

impl Store {
    pub async fn create_deferred(&self, actor: &Actor, d: &NewDeferred) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO deferred_applications (id, org_id, officer_id, enterprise_name, matter, missing, accepted_day, \
             deadline_day, standing, created_at, enterprise_uscc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)",
        )
        .bind(&id)
        .bind(&d.org_id)
        .bind(&actor.id)
        .bind(&d.enterprise_name)
        .bind(&d.matter)
        .bind(d.missing.join("\n"))
        .bind(d.accepted_on.0)
        .bind(d.deadline.0)
        .bind(self.now_ms())
        .bind(&d.enterprise_uscc)
        .execute(&mut *tx)
        .await?;
        let event = Event::new("deferred.accept", format!("deferred:{id}"), Outcome::Success)
            .detail(json!({"missing": d.missing.len(), "deadline": d.deadline.to_string()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn deferred(&self, id: &str) -> std::result::Result<Deferred, DeferredError> {
        let sql = format!("SELECT {COLUMNS} FROM deferred_applications WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        Ok(from_row(&row.ok_or(DeferredError::NotFound)?)?)
    }

    /// Moves an open application to `to` (supplied or ended) on `on`; only an open one changes.
    pub async fn close_deferred(
        &self,
        actor: &Actor,
        id: &str,
        to: Standing,
        on: Date,
    ) -> std::result::Result<(), DeferredError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE deferred_applications SET standing = $1, closed_day = $2 WHERE id = $3 AND standing = 'open'",
        )
        .bind(to.code())
        .bind(on.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(DeferredError::AlreadyClosed);
        }
        let action = if to == Standing::Supplied { "deferred.supplied" } else { "deferred.ended" };
        let event = Event::new(action, format!("deferred:{id}"), Outcome::Success);
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The applications of the bureaus `org_ids`, newest first.
    pub async fn deferred_in(&self, org_ids: &[String]) -> Result<Vec<Deferred>> {
        if org_ids.is_empty() {
            return Ok(vec![]);
        }
        let marks: Vec<String> = (1..=org_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {COLUMNS} FROM deferred_applications WHERE org_id IN ({}) ORDER BY accepted_day DESC, id DESC LIMIT 2000",
            marks.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for o in org_ids {
            q = q.bind(o);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// Open applications not yet reminded (the reminder task's work list).
    pub async fn deferred_to_remind(&self) -> Result<Vec<Deferred>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM deferred_applications WHERE standing = 'open' AND reminded_day IS NULL \
             ORDER BY deadline_day, id LIMIT 5000"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// Records the reminder of an open application on `on` (once; audited as the system's).
    /// Returns whether this call gave it.
    pub async fn remind_deferred(&self, id: &str, on: Date) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE deferred_applications SET reminded_day = $1 WHERE id = $2 AND standing = 'open' AND reminded_day IS NULL",
        )
        .bind(on.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        let event = Event::new("deferred.remind", format!("deferred:{id}"), Outcome::Success);
        audit::append(&mut tx, &Actor::system(), event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The applications of the enterprise `uscc`, newest first.
    pub async fn deferred_of_enterprise(&self, uscc: &str) -> Result<Vec<Deferred>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM deferred_applications WHERE enterprise_uscc = $1 ORDER BY accepted_day DESC, id DESC LIMIT 500"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(uscc).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }
}
