//! 工作日志: officers' daily logs ("经验不总结，就只是经历"). Texts arrive masked.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, new_id};
use xinqiao_domain::audit::Outcome;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: String,
    /// Days since 1970-01-01 (China time).
    pub day: i64,
    pub solved: String,
    pub party_said: String,
    pub learned: String,
    pub created_at: i64,
}

type LogRow = (String, i64, String, String, String, i64);

impl Store {
    pub async fn add_work_log(
        &self,
        actor: &Actor,
        day: i64,
        solved: &str,
        party_said: &str,
        learned: &str,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO work_logs (id, user_id, day, solved, party_said, learned, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&actor.id)
        .bind(day)
        .bind(solved)
        .bind(party_said)
        .bind(learned)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, Event::new("worklog.add", format!("worklog:{id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An officer's log, newest day first.
    pub async fn work_logs(&self, user_id: &str, limit: i64) -> Result<Vec<LogEntry>> {
        let rows: Vec<LogRow> = crate::rows::all(
            sqlx::query(
                "SELECT id, day, solved, party_said, learned, created_at FROM work_logs WHERE user_id = $1 \
             ORDER BY day DESC, created_at DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.pool)
            .await?,
            ["id", "day", "solved", "party_said", "learned", "created_at"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, day, solved, party_said, learned, created_at)| LogEntry {
                id,
                day,
                solved,
                party_said,
                learned,
                created_at,
            })
            .collect())
    }
}
