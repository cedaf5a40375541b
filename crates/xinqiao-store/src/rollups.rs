//! The roll-ups checked against a recount of the cases (`xinqiao check`) and rebuilt from the
//! cases (`xinqiao rollups rebuild`). A rebuild replaces the roll-ups and each case's recorded
//! contribution in one transaction, sets the follower's position to where the change log stood,
//! and moves the roll-ups' generation on, so that every node reloads its copy in full.

use crate::audit::{self, Actor, Event};
use crate::insights::{FACT_COLUMNS, FOLLOWER, add_to_rollups, facts_from, store_facts};
use crate::{Result, Store};
use sqlx::Row;
use std::collections::HashMap;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::insights::{Cube, Key, Measures};

/// The setting holding the roll-ups' generation (moved on by each rebuild).
pub const GENERATION: &str = "insights_generation";

/// How the roll-ups compare with a recount of the cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupCheck {
    pub cases: usize,
    /// Roll-up rows whose measures differ from the recount.
    pub differing_rows: usize,
    /// Totals over every row: from the recount, and as the roll-ups hold them.
    pub expected: Measures,
    pub actual: Measures,
}

impl RollupCheck {
    pub fn agrees(&self) -> bool {
        self.differing_rows == 0
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub cases: usize,
    pub rows: usize,
    /// The change-log position the roll-ups now stand at.
    pub position: i64,
}

fn totals(cube: &Cube) -> Measures {
    cube.rows().fold(Measures::default(), |mut t, (_, m)| {
        t += m;
        t
    })
}

/// Cases read per page during a rebuild.
const PAGE: i64 = 5_000;

impl Store {
    /// Compares the roll-up table with a recount of every case (read-only).
    pub async fn check_rollups(&self) -> Result<RollupCheck> {
        let facts = self.all_case_facts().await?;
        let recount = Cube::from_facts(&facts);
        let (rows, _) = self.rollups_since(0).await?;
        let mut stored = Cube::new();
        for (k, m) in rows {
            stored.set(&k, m);
        }
        let mut differing = 0;
        for (key, m) in recount.rows() {
            if stored.get(&key) != m {
                differing += 1;
            }
        }
        for (key, m) in stored.rows() {
            if !m.is_zero() && recount.get(&key).is_zero() {
                differing += 1;
            }
        }
        Ok(RollupCheck {
            cases: facts.len(),
            differing_rows: differing,
            expected: totals(&recount),
            actual: totals(&stored),
        })
    }

    /// The roll-ups' generation (0 until the first rebuild).
    pub async fn rollup_generation(&self) -> Result<i64> {
        Ok(self.setting::<i64>(GENERATION).await?.unwrap_or(0))
    }

    /// Recomputes the roll-ups from the cases, in one transaction with an audit entry.
    pub async fn rebuild_rollups(&self, actor: &Actor) -> Result<Rebuilt> {
        // Where the change log stands: every change up to here is in the cases read below.
        let position = self.last_change().await?;
        let generation = self.rollup_generation().await? + 1;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO followers (name, seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
            .bind(FOLLOWER)
            .execute(&mut *tx)
            .await?;
        // Taking the follower's row first: a follower step waiting on it finds the position
        // moved and gives way.
        sqlx::query("UPDATE followers SET seq = $1 WHERE name = $2")
            .bind(position)
            .bind(FOLLOWER)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM insight_facts").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM insight_rollups").execute(&mut *tx).await?;
        let mut cube: HashMap<Key, Measures> = HashMap::new();
        let (mut after, mut cases) = (String::new(), 0usize);
        loop {
            let sql = format!("SELECT id, {FACT_COLUMNS} FROM cases WHERE id > $1 ORDER BY id LIMIT $2");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&after).bind(PAGE).fetch_all(&mut *tx).await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let mut page: Vec<(String, (Key, Measures))> = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: String = row.try_get("id")?;
                let (key, m) = facts_from(row)?.contribution();
                *cube.entry(key.clone()).or_default() += m;
                page.push((id, (key, m)));
            }
            cases += page.len();
            let refs: Vec<(&str, &(Key, Measures))> = page.iter().map(|(id, f)| (id.as_str(), f)).collect();
            store_facts(&mut tx, &refs).await?;
        }
        let rows: Vec<(Key, Measures)> = cube.into_iter().collect();
        add_to_rollups(&mut tx, &rows, position).await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(GENERATION)
        .bind(generation.to_string())
        .bind(tx.now_ms())
        .execute(&mut *tx)
        .await?;
        let detail =
            serde_json::json!({"cases": cases, "rows": rows.len(), "position": position, "generation": generation});
        audit::append(
            &mut tx,
            actor,
            Event::new("insights.rebuild", "insights:rollups", Outcome::Success).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(Rebuilt { cases, rows: rows.len(), position })
    }
}
