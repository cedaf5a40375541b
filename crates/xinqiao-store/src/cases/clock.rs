//! A case's clock: pauses for testing or a supplement, and the day of acceptance that the
//! mediation limit counts from.

use super::add_event;
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use sqlx::Row;
use xinqiao_domain::audit::Outcome;

/// Why a case's clock stands still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// 检测鉴定: not counted in the mediation limit (Order 20 Art. 20 †).
    Testing,
    /// Waiting for the complainant's supplement.
    Supplement,
    /// 先行和解: the ODR enterprise has the complaint first; ends when it comes to the bureau.
    Settlement,
}

impl PauseReason {
    pub fn code(self) -> &'static str {
        match self {
            PauseReason::Testing => "testing",
            PauseReason::Supplement => "supplement",
            PauseReason::Settlement => "settlement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PauseReason::Testing => "检测鉴定",
            PauseReason::Supplement => "等待补充材料",
            PauseReason::Settlement => "先行和解",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [PauseReason::Testing, PauseReason::Supplement, PauseReason::Settlement].into_iter().find(|r| r.code() == code)
    }
}

/// What a case's deadline depends on besides the case itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseClock {
    /// (reason, from day, to day), oldest first.
    pub pauses: Vec<(PauseReason, i64, Option<i64>)>,
    /// When it was accepted (epoch ms), if it was.
    pub accepted_at: Option<i64>,
}

/// A pause as (reason, from day, to day); an unknown reason is an error.
fn pause_from(row: &sqlx::any::AnyRow) -> Result<(PauseReason, i64, Option<i64>)> {
    Ok((crate::rows::parsed(row, "reason", PauseReason::parse)?, row.try_get("from_day")?, row.try_get("to_day")?))
}

impl Store {
    /// Stops a case's clock from `day`; refused while a pause is already open.
    pub async fn pause_case(&self, actor: &Actor, case_id: &str, reason: PauseReason, day: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "INSERT INTO case_pauses (id, case_id, reason, from_day) SELECT $1, $2, $3, $4 \
             WHERE NOT EXISTS (SELECT 1 FROM case_pauses WHERE case_id = $2 AND to_day IS NULL)",
        )
        .bind(new_id())
        .bind(case_id)
        .bind(reason.code())
        .bind(day)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::CaseConflict::PauseState));
        }
        let note = format!("因{}暂停计算期限。", reason.label());
        add_event(&mut tx, case_id, &actor.id, "case.pause", None, None, &note, true).await?;
        audit::append(&mut tx, actor, Event::new("case.pause", format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await
    }

    /// Starts the clock again from `day`; refused when no pause is open, or when the open one is
    /// a 先行和解 (that ends only when the case comes to the bureau).
    pub async fn resume_case(&self, actor: &Actor, case_id: &str, day: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE case_pauses SET to_day = $1 WHERE case_id = $2 AND to_day IS NULL AND reason <> 'settlement'",
        )
        .bind(day)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::CaseConflict::PauseState));
        }
        add_event(&mut tx, case_id, &actor.id, "case.resume", None, None, "恢复计算期限。", true).await?;
        audit::append(&mut tx, actor, Event::new("case.resume", format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await
    }

    /// A case's pauses as (reason, from day, to day).
    pub async fn case_pauses(&self, case_id: &str) -> Result<Vec<(PauseReason, i64, Option<i64>)>> {
        let rows = sqlx::query("SELECT reason, from_day, to_day FROM case_pauses WHERE case_id = $1 ORDER BY from_day")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(pause_from).collect()
    }

    /// For many cases at once (a queue page): each case's pauses and the time it was accepted,
    /// in two queries instead of two per case.
    pub async fn clocks(&self, case_ids: &[String]) -> Result<std::collections::HashMap<String, CaseClock>> {
        let mut out: std::collections::HashMap<String, CaseClock> = std::collections::HashMap::new();
        for chunk in case_ids.chunks(500) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT case_id, reason, from_day, to_day FROM case_pauses WHERE case_id IN ({list}) ORDER BY from_day"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            for row in q.fetch_all(&self.pool).await? {
                let id: String = row.try_get("case_id")?;
                out.entry(id).or_default().pauses.push(pause_from(&row)?);
            }
            let sql = format!(
                "SELECT case_id, MIN(at_ms) AS accepted_at FROM case_events WHERE action = 'case.accept' \
                 AND case_id IN ({list}) GROUP BY case_id"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            let rows: Vec<(String, i64)> =
                crate::rows::all(q.fetch_all(&self.pool).await?, ["case_id", "accepted_at"])?;
            for (id, at) in rows {
                out.entry(id).or_default().accepted_at = Some(at);
            }
        }
        Ok(out)
    }

    /// The day a case was accepted, if it was.
    pub async fn accepted_at(&self, case_id: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT MIN(at_ms) FROM case_events WHERE case_id = $1 AND action = 'case.accept' HAVING COUNT(*) > 0",
        )
        .bind(case_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(ms,)| ms))
    }
}

/// Ends a case's open pause (if any) on `day`, inside the caller's transaction.
pub(super) async fn close_pause(conn: &mut sqlx::AnyConnection, case_id: &str, day: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE case_pauses SET to_day = $1 WHERE case_id = $2 AND to_day IS NULL")
        .bind(day)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
