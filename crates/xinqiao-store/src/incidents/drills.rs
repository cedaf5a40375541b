//! 泄密演练 of an incident: started by a supervisor (the plan, when it was carried out, the masked
//! scenario, the bureau's target in hours), closed once with the findings; both audited. The
//! openings the report reads are the incident's recorded views.

use super::{IncidentConflict, IncidentError, Result, event};
use crate::audit::{self, Actor};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakDrill {
    pub id: String,
    pub incident_id: String,
    pub plan: String,
    pub carried_out_at: i64,
    pub scenario: String,
    pub target_hours: u32,
    pub started_by: String,
    pub started_at: i64,
    pub findings: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<i64>,
}

/// A drill to start.
#[derive(Debug, Clone)]
pub struct NewLeakDrill {
    pub plan: String,
    pub carried_out_at: i64,
    pub scenario: String,
    pub target_hours: u32,
}

const COLUMNS: &str = "id, incident_id, plan, carried_out_at, scenario, target_hours, started_by, started_at, \
                       findings, closed_by, closed_at";

fn read(row: &AnyRow) -> Result<LeakDrill> {
    let hours: i64 = row.try_get("target_hours")?;
    Ok(LeakDrill {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        plan: row.try_get("plan")?,
        carried_out_at: row.try_get("carried_out_at")?,
        scenario: row.try_get("scenario")?,
        target_hours: u32::try_from(hours)
            .map_err(|_| IncidentError::BadRow { table: "incident_leak_drills", column: "target_hours" })?,
        started_by: row.try_get("started_by")?,
        started_at: row.try_get("started_at")?,
        findings: row.try_get("findings")?,
        closed_by: row.try_get("closed_by")?,
        closed_at: row.try_get("closed_at")?,
    })
}

impl Store {
    pub async fn start_leak_drill(&self, actor: &Actor, id: &str, new: &NewLeakDrill) -> Result<String> {
        let drill = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_leak_drills (id, incident_id, plan, carried_out_at, scenario, target_hours, \
             started_by, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&drill)
        .bind(id)
        .bind(&new.plan)
        .bind(new.carried_out_at)
        .bind(&new.scenario)
        .bind(i64::from(new.target_hours))
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.drill", id).detail(json!({ "drill": drill }))).await?;
        tx.commit().await?;
        Ok(drill)
    }

    /// Closes the drill with its (masked) findings; a second closing is a conflict.
    pub async fn close_leak_drill(&self, actor: &Actor, id: &str, drill: &str, findings: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "UPDATE incident_leak_drills SET findings = $1, closed_by = $2, closed_at = $3 \
             WHERE id = $4 AND incident_id = $5 AND closed_at IS NULL",
        )
        .bind(findings)
        .bind(&actor.id)
        .bind(now)
        .bind(drill)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            self.leak_drill(id, drill).await?;
            return Err(IncidentError::Conflict(IncidentConflict::DrillClosed));
        }
        audit::append(&mut tx, actor, event("incident.drill_closed", id).detail(json!({ "drill": drill }))).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn leak_drill(&self, id: &str, drill: &str) -> Result<LeakDrill> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM incident_leak_drills WHERE id = $1 AND incident_id = $2"
        )))
        .bind(drill)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(IncidentError::NotFound)?;
        read(&row)
    }

    pub async fn leak_drills(&self, id: &str) -> Result<Vec<LeakDrill>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM incident_leak_drills WHERE incident_id = $1 ORDER BY started_at, id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read).collect()
    }

    /// Records that `actor` read a drill's report (in the audit chain).
    pub async fn record_drill_view(&self, actor: &Actor, id: &str, drill: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        audit::append(&mut tx, actor, event("incident.drill_view", id).detail(json!({ "drill": drill }))).await?;
        tx.commit().await?;
        Ok(())
    }
}
