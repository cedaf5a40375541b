//! 年报 help in storage: who should report (enterprise accounts with their bureau), an
//! enterprise's statement that it filed for a year (once, audited), and the reminders given
//! before the deadline (one per enterprise, year and stage; each run audited as a count).

use crate::audit::{self, Actor, Event};
use crate::{Result, Store};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;

/// An enterprise that should report: its 统一社会信用代码 and its bureau.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub uscc: String,
    pub org_id: String,
}

impl Store {
    /// Enterprises that should report: those with an active enterprise account in a bureau.
    pub async fn annual_reporters(&self) -> Result<Vec<Reporter>> {
        let rows = sqlx::query(
            "SELECT DISTINCT uscc, org_id FROM users WHERE uscc IS NOT NULL AND org_id IS NOT NULL AND disabled = 0 \
             ORDER BY uscc, org_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Reporter> = Vec::new();
        for r in &rows {
            let uscc: String = r.try_get("uscc")?;
            // One bureau per enterprise: the first (accounts of one enterprise in two bureaus are rare).
            if out.last().is_none_or(|l| l.uscc != uscc) {
                out.push(Reporter { uscc, org_id: r.try_get("org_id")? });
            }
        }
        Ok(out)
    }

    /// Records that `uscc` filed its report on `year` (on `on`); false when already recorded.
    pub async fn record_annual_filing(
        &self,
        actor: &Actor,
        year: i64,
        uscc: &str,
        org_id: Option<&str>,
        on: Date,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "INSERT INTO annual_report_filings (report_year, uscc, org_id, filed_day, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_year, uscc) DO NOTHING",
        )
        .bind(year)
        .bind(uscc)
        .bind(org_id)
        .bind(on.0)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        let event = Event::new("annual_report.filed", format!("annual_report:{year}"), Outcome::Success);
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The 统一社会信用代码 that filed for `year`, with the day.
    pub async fn annual_filings(&self, year: i64) -> Result<Vec<(String, Date)>> {
        let rows = sqlx::query("SELECT uscc, filed_day FROM annual_report_filings WHERE report_year = $1")
            .bind(year)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("uscc")?, Date(r.try_get("filed_day")?)))).collect()
    }

    /// Gives the reminder of `stage` for `year` to each of `usccs` not yet given it; returns how
    /// many were new (audited once, as a count, as the system's).
    pub async fn remind_annual(&self, year: i64, stage: u32, on: Date, usccs: &[String]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut n = 0;
        for u in usccs {
            let done = sqlx::query(
                "INSERT INTO annual_report_reminders (report_year, uscc, stage, reminded_day) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (report_year, uscc, stage) DO NOTHING",
            )
            .bind(year)
            .bind(u)
            .bind(i64::from(stage))
            .bind(on.0)
            .execute(&mut *tx)
            .await?;
            n += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        if n > 0 {
            let event = Event::new("annual_report.remind", format!("annual_report:{year}"), Outcome::Success)
                .detail(json!({"stage_days_before": stage, "enterprises": n}));
            audit::append(&mut tx, &Actor::system(), event).await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// The reminders `uscc` was given for `year`: (days before the deadline, day given), latest first.
    pub async fn annual_reminders_of(&self, year: i64, uscc: &str) -> Result<Vec<(u32, Date)>> {
        let rows = sqlx::query(
            "SELECT stage, reminded_day FROM annual_report_reminders WHERE report_year = $1 AND uscc = $2 \
             ORDER BY reminded_day DESC, stage",
        )
        .bind(year)
        .bind(uscc)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let stage: i64 = r.try_get("stage")?;
                Ok((u32::try_from(stage).unwrap_or(0), Date(r.try_get("reminded_day")?)))
            })
            .collect()
    }

    /// How many reminders were given for `year` to each of the enterprises.
    pub async fn annual_reminder_count(&self, year: i64) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT uscc, COUNT(*) AS n FROM annual_report_reminders WHERE report_year = $1 GROUP BY uscc")
                .bind(year)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok((r.try_get("uscc")?, r.try_get("n")?))).collect()
    }
}
