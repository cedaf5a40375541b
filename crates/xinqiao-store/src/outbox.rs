//! The change log that search and roll-ups follow: every write that changes what is indexed or
//! counted adds a row (topic, entity id) in its own transaction. Followers remember the last
//! sequence number they applied.

use crate::{Result, Store};

/// One change: which entity of which topic (`case`, `qa`) changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub topic: String,
    pub entity_id: String,
}

impl Store {
    /// Changes after `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT seq, topic, entity_id FROM outbox WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(seq)
                .bind(limit.clamp(1, 10_000))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(seq, topic, entity_id)| Change { seq, topic, entity_id }).collect())
    }

    /// The newest sequence number (0 when the log is empty).
    pub async fn last_change(&self) -> Result<i64> {
        let (seq,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM outbox").fetch_one(&self.pool).await?;
        Ok(seq.unwrap_or(0))
    }
}

/// Adds a change inside the caller's transaction.
pub(crate) async fn record(tx: &mut crate::Tx, topic: &str, entity_id: &str) -> Result<()> {
    let now = tx.now_ms();
    let conn: &mut sqlx::AnyConnection = tx;
    sqlx::query("INSERT INTO outbox (topic, entity_id, at_ms) VALUES ($1, $2, $3)")
        .bind(topic)
        .bind(entity_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
