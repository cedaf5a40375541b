//! The change log that search and roll-ups follow: every write that changes what is indexed or
//! counted adds a row (topic, entity id) in its own transaction. Followers remember the last
//! position they applied and read the rows after it.
//!
//! Safe by construction: a follower never skips a row that commits after rows with later
//! positions. On SQLite one writer at a time makes the sequence number follow the order of
//! commits, so it is the position. On PostgreSQL a sequence number is taken at insert and a long
//! transaction (an import batch) may commit after many short ones that took later numbers, so a
//! row gets its position only once it is visible: [`Store::sequence_changes`] numbers the visible
//! unnumbered rows under an advisory lock, one numbering at a time. Positions therefore grow in
//! the order rows became visible, and reading `pos > position` misses nothing.

use crate::{Backend, Result, Store};

/// One change: which entity of which topic (`case`, `qa`) changed, at which position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub topic: String,
    pub entity_id: String,
}

/// The advisory lock that makes numberings take turns on PostgreSQL.
const SEQUENCER_LOCK: i64 = 0x0078_716F_7574_626F; // "xqoutbo"
/// Rows numbered per turn.
const SEQUENCE_BATCH: i64 = 50_000;

impl Backend {
    /// The column holding a change's position (see the module documentation).
    fn position(self) -> &'static str {
        match self {
            Backend::Sqlite => "seq",
            Backend::Postgres => "pos",
        }
    }
}

impl Store {
    /// Changes after position `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        self.sequence_changes().await?;
        let pos = self.backend.position();
        let sql = format!("SELECT {pos} AS seq, topic, entity_id FROM outbox WHERE {pos} > $1 ORDER BY {pos} LIMIT $2");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(seq).bind(limit.clamp(1, 10_000)).fetch_all(&self.pool).await?;
        let rows: Vec<(i64, String, String)> = crate::rows::all(rows, ["seq", "topic", "entity_id"])?;
        Ok(rows.into_iter().map(|(seq, topic, entity_id)| Change { seq, topic, entity_id }).collect())
    }

    /// The newest position (0 when the log is empty).
    pub async fn last_change(&self) -> Result<i64> {
        self.sequence_changes().await?;
        let sql = format!("SELECT MAX({}) FROM outbox", self.backend.position());
        let (seq,): (Option<i64>,) = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(&self.pool).await?;
        Ok(seq.unwrap_or(0))
    }

    /// Gives the committed changes that have none a position (PostgreSQL; SQLite's rows have
    /// theirs at insert). Returns how many were numbered.
    pub async fn sequence_changes(&self) -> Result<u64> {
        if self.backend != Backend::Postgres {
            return Ok(0);
        }
        let waiting: Option<(i64,)> =
            sqlx::query_as("SELECT seq FROM outbox WHERE pos IS NULL LIMIT 1").fetch_optional(&self.pool).await?;
        if waiting.is_none() {
            return Ok(0);
        }
        let mut numbered = 0;
        loop {
            let mut tx = self.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SEQUENCER_LOCK).execute(&mut *tx).await?;
            // Read after the lock: this statement sees every numbering committed before ours.
            let done = sqlx::query(
                "UPDATE outbox SET pos = n.p FROM (SELECT seq, nextval('outbox_pos') AS p FROM \
                 (SELECT seq FROM outbox WHERE pos IS NULL ORDER BY seq LIMIT $1) w ORDER BY seq) n \
                 WHERE outbox.seq = n.seq",
            )
            .bind(SEQUENCE_BATCH)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            numbered += done;
            if done < SEQUENCE_BATCH as u64 {
                return Ok(numbered);
            }
        }
    }
}

/// A topic's entities as a follower should see them (for `xinqiao check`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entities {
    /// Entities that exist and whose first change lies at or before the position asked about.
    pub expected: Vec<String>,
    /// Every entity that exists now.
    pub existing: Vec<String>,
}

impl Store {
    /// The `case` or `qa` entities a follower at `position` should know (see [`Entities`]).
    pub async fn entities_at(&self, topic: &str, position: i64) -> Result<Entities> {
        let table = match topic {
            "case" => "cases",
            "qa" => "qa_entries",
            _ => return Ok(Entities::default()),
        };
        self.sequence_changes().await?;
        let pos = self.backend.position();
        let sql = format!(
            "SELECT DISTINCT o.entity_id FROM outbox o JOIN {table} t ON t.id = o.entity_id \
             WHERE o.topic = $1 AND o.{pos} <= $2"
        );
        let expected: Vec<(String,)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(topic).bind(position).fetch_all(&self.pool).await?;
        let sql = format!("SELECT id FROM {table}");
        let existing: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        Ok(Entities {
            expected: expected.into_iter().map(|(id,)| id).collect(),
            existing: existing.into_iter().map(|(id,)| id).collect(),
        })
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
