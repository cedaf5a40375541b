//! 洞察: the roll-ups the dashboards read, kept by a follower of the change log (whose positions
//! never let a late-committing row fall behind, see `outbox`). Each case's current contribution
//! is stored beside the roll-ups, so applying a change is "subtract what it counted, add what it
//! counts now": exact, and harmless to repeat. Also the officer's confirmation of a case's
//! category and the examples the suggestion model learns from.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError};
use sqlx::{AnyConnection, Row};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::insights::{CaseFacts, Key, Measures};

/// The follower's name in `followers`.
pub const FOLLOWER: &str = "insights";

pub(crate) const FACT_COLUMNS: &str = "received_day, region_code AS bureau, kind, category, industry, \
    COALESCE(enterprise_uscc, enterprise_name) AS enterprise, closed_at, closed_on_time, mediation_success, rating, \
    recovered_cents, CASE WHEN status IN ('settling', 'awaiting_acceptance', 'awaiting_verification', 'rejected', \
    'merged') THEN 0 ELSE 1 END AS accepted";

/// A case's facts from a row carrying `FACT_COLUMNS` (read by name).
pub(crate) fn facts_from(row: &sqlx::any::AnyRow) -> Result<CaseFacts> {
    let closed_at: Option<i64> = row.try_get("closed_at")?;
    Ok(CaseFacts {
        received_day: row.try_get("received_day")?,
        bureau: row.try_get("bureau")?,
        kind: row.try_get("kind")?,
        category: row.try_get::<Option<String>, _>("category")?.unwrap_or_default(),
        industry: row.try_get::<Option<String>, _>("industry")?.unwrap_or_default(),
        enterprise: row.try_get::<Option<String>, _>("enterprise")?.unwrap_or_default(),
        closed: closed_at.is_some(),
        closed_on_time: row.try_get::<Option<i64>, _>("closed_on_time")?.unwrap_or(0) != 0,
        mediation: row.try_get::<Option<i64>, _>("mediation_success")?.map(|v| v != 0),
        rating: row.try_get::<Option<i64>, _>("rating")?.and_then(|r| u8::try_from(r).ok()),
        recovered_cents: row.try_get::<Option<i64>, _>("recovered_cents")?.unwrap_or(0),
        accepted: row.try_get::<i64, _>("accepted")? != 0,
    })
}

const KEY_COLUMNS: &str = "day, bureau, kind, category, industry, enterprise";
const MEASURE_COLUMNS: &str =
    "received, closed, closed_on_time, mediated, mediated_success, rating_sum, rating_count, recovered_cents, accepted";

/// A roll-up key and measures from a row carrying `KEY_COLUMNS` and `MEASURE_COLUMNS` (read by name).
fn key_measures(row: &sqlx::any::AnyRow) -> Result<(Key, Measures)> {
    Ok((
        Key {
            day: row.try_get("day")?,
            bureau: row.try_get("bureau")?,
            kind: row.try_get("kind")?,
            category: row.try_get("category")?,
            industry: row.try_get("industry")?,
            enterprise: row.try_get("enterprise")?,
        },
        Measures {
            received: row.try_get("received")?,
            closed: row.try_get("closed")?,
            closed_on_time: row.try_get("closed_on_time")?,
            mediated: row.try_get("mediated")?,
            mediated_success: row.try_get("mediated_success")?,
            rating_sum: row.try_get("rating_sum")?,
            rating_count: row.try_get("rating_count")?,
            recovered_cents: row.try_get("recovered_cents")?,
            accepted: row.try_get("accepted")?,
        },
    ))
}

fn bind_measures<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    m: &Measures,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(m.received)
        .bind(m.closed)
        .bind(m.closed_on_time)
        .bind(m.mediated)
        .bind(m.mediated_success)
        .bind(m.rating_sum)
        .bind(m.rating_count)
        .bind(m.recovered_cents)
        .bind(m.accepted)
}

/// Rows per multi-row statement (16 parameters each; anonymous placeholders on SQLite, see
/// `values_clause`).
const ROWS_PER_STATEMENT: usize = 200;

/// Adds each delta to its roll-up row (created when missing) and marks the rows with `seq`.
/// The keys are distinct, so one statement may carry many rows.
pub(crate) async fn add_to_rollups(conn: &mut AnyConnection, deltas: &[(Key, Measures)], seq: i64) -> Result<()> {
    let updates = MEASURE_COLUMNS
        .split(", ")
        .map(|c| format!("{c} = insight_rollups.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in deltas.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO insight_rollups ({KEY_COLUMNS}, {MEASURE_COLUMNS}, seq) VALUES {} \
             ON CONFLICT ({KEY_COLUMNS}) DO UPDATE SET {updates}, seq = excluded.seq",
            crate::values_clause(&*conn, chunk.len(), 16)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (key, m) in chunk {
            q = q
                .bind(key.day)
                .bind(&key.bureau)
                .bind(&key.kind)
                .bind(&key.category)
                .bind(&key.industry)
                .bind(&key.enterprise);
            q = bind_measures(q, m).bind(seq);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Records what each case now contributes.
pub(crate) async fn store_facts(conn: &mut AnyConnection, facts: &[(&str, &(Key, Measures))]) -> Result<()> {
    let updates = KEY_COLUMNS
        .split(", ")
        .chain(MEASURE_COLUMNS.split(", "))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    for chunk in facts.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO insight_facts (case_id, {KEY_COLUMNS}, {MEASURE_COLUMNS}) VALUES {} \
             ON CONFLICT (case_id) DO UPDATE SET {updates}",
            crate::values_clause(&*conn, chunk.len(), 16)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, (key, m)) in chunk {
            q = q
                .bind(*id)
                .bind(key.day)
                .bind(&key.bureau)
                .bind(&key.kind)
                .bind(&key.category)
                .bind(&key.industry)
                .bind(&key.enterprise);
            q = bind_measures(q, m);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// What each of these cases contributes now, read from the cases (a missing case: nothing).
async fn current_facts(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<std::collections::HashMap<String, (Key, Measures)>> {
    let mut now = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, {FACT_COLUMNS} FROM cases WHERE id IN ({})",
            crate::in_list(crate::Backend::of(conn), chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("id")?;
            now.insert(id, facts_from(&row)?.contribution());
        }
    }
    Ok(now)
}

/// Brings the contributions of these cases up to date inside the caller's transaction: what
/// each counted before is subtracted and what it counts now (`now`, from [`current_facts`])
/// added, the deltas summed per
/// roll-up row first, so a batch costs a few statements rather than a few per case.
async fn refresh_cases(
    conn: &mut AnyConnection,
    ids: &[&str],
    now: &std::collections::HashMap<String, (Key, Measures)>,
    seq: i64,
) -> Result<()> {
    use std::collections::HashMap;
    // The batch's deltas summed in memory over all its cases, then written once: roll-up rows
    // that several cases of the batch share are written once, not once per chunk of cases.
    // Sized at once (at most a roll-up row per case): grown from empty, the table passes through
    // every size on the way, memory the allocator hands back and the kernel zeroes again.
    let mut deltas: HashMap<Key, Measures> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = crate::in_list(crate::Backend::of(conn), chunk.len());
        let sql =
            format!("SELECT case_id, {KEY_COLUMNS}, {MEASURE_COLUMNS} FROM insight_facts WHERE case_id IN ({list})");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        let mut before: HashMap<String, (Key, Measures)> = HashMap::with_capacity(chunk.len());
        for row in q.fetch_all(&mut *conn).await? {
            let id: String = row.try_get("case_id")?;
            before.insert(id, key_measures(&row)?);
        }
        let mut changed = Vec::with_capacity(chunk.len());
        let mut gone = Vec::new();
        for id in chunk {
            let (was, is) = (before.get(*id), now.get(*id));
            if was == is {
                continue;
            }
            if let Some((key, m)) = was {
                *deltas.entry(key.clone()).or_default() -= *m;
            }
            match is {
                Some(fact) => {
                    *deltas.entry(fact.0.clone()).or_default() += fact.1;
                    changed.push((*id, fact));
                }
                None => gone.push(*id),
            }
        }
        store_facts(conn, &changed).await?;
        for id in gone {
            sqlx::query("DELETE FROM insight_facts WHERE case_id = $1").bind(id).execute(&mut *conn).await?;
        }
    }
    let deltas: Vec<(Key, Measures)> = deltas.into_iter().filter(|(_, m)| !m.is_zero()).collect();
    add_to_rollups(conn, &deltas, seq).await?;
    Ok(())
}

/// Counts cases that were never counted (stored by this transaction) straight into the
/// roll-ups, marking their rows with `seq`: what [`refresh_cases`] does for them (nothing to
/// subtract, each case's contribution added and recorded), without reading them back.
pub(crate) async fn count_new_cases(
    conn: &mut AnyConnection,
    facts: &[(&str, (Key, Measures))],
    seq: i64,
) -> Result<()> {
    let mut deltas: std::collections::HashMap<&Key, Measures> = std::collections::HashMap::with_capacity(facts.len());
    for (_, (key, m)) in facts {
        *deltas.entry(key).or_default() += *m;
    }
    let changed: Vec<(&str, &(Key, Measures))> = facts.iter().map(|(id, f)| (*id, f)).collect();
    store_facts(conn, &changed).await?;
    let deltas: Vec<(Key, Measures)> =
        deltas.into_iter().filter(|(_, m)| !m.is_zero()).map(|(k, m)| (k.clone(), m)).collect();
    add_to_rollups(conn, &deltas, seq).await
}

impl Store {
    /// How far the insights follower has applied the change log.
    pub async fn insights_position(&self) -> Result<i64> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT seq FROM followers WHERE name = $1")
            .bind(FOLLOWER)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map_or(0, |(s,)| s))
    }

    /// Applies up to `batch` new changes to the roll-ups; returns how many it applied (0 when
    /// there was nothing new, or another node applied them first). One transaction: the
    /// follower's position moves with the roll-ups or not at all.
    pub async fn follow_insights(&self, batch: i64) -> Result<usize> {
        let from = self.insights_position().await?;
        let fresh = self.changes_since(from, batch).await?;
        let Some(last) = fresh.last().map(|c| c.seq) else { return Ok(0) };
        let mut seen = std::collections::HashSet::with_capacity(fresh.len());
        let ids: Vec<&str> = fresh
            .iter()
            .filter(|c| c.topic == "case" && seen.insert(c.entity_id.as_str()))
            .map(|c| c.entity_id.as_str())
            .collect();
        // What the cases count now is read before the writers' turn is taken, so that a writer
        // (an import's) is not kept waiting for the reading. The changes up to `last` are
        // committed, so this state is at least theirs; a later change has its own place in the
        // log and is applied again after it (and a follower that moved the position meanwhile
        // makes the update below find nothing, so nothing is written from this reading).
        let now = {
            let mut conn = self.pool.acquire().await?;
            current_facts(&mut conn, &ids).await?
        };
        let mut tx = self.begin().await?;
        if from == 0 {
            // The first run: the follower's row (reads never write, so an idle page costs no lock),
            // written in the writers' turn like every write: outside it, on SQLite, it would wait
            // in the busy handler for a writer that commits batch after batch (an import's), and
            // fail when it never got the lock in time.
            sqlx::query("INSERT INTO followers (name, seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
                .bind(FOLLOWER)
                .execute(&mut *tx)
                .await?;
        }
        // Taking the position first serialises followers on PostgreSQL (the row is locked).
        let moved = sqlx::query("UPDATE followers SET seq = $1 WHERE name = $2 AND seq = $3")
            .bind(last)
            .bind(FOLLOWER)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        if moved.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        refresh_cases(&mut tx, &ids, &now, last).await?;
        tx.commit().await?;
        Ok(fresh.len())
    }

    /// Roll-up rows touched after `seq` (all of them from 0), with the newest position seen.
    pub async fn rollups_since(&self, seq: i64) -> Result<(Vec<(Key, Measures)>, i64)> {
        let sql = format!("SELECT {KEY_COLUMNS}, {MEASURE_COLUMNS}, seq FROM insight_rollups WHERE seq > $1");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(seq).fetch_all(&self.pool).await?;
        let mut newest = seq;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            newest = newest.max(row.try_get("seq")?);
            out.push(key_measures(row)?);
        }
        Ok((out, newest))
    }

    /// The newest position any roll-up row carries (0 when there are none).
    pub async fn rollup_head(&self) -> Result<i64> {
        let (head,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(seq) FROM insight_rollups").fetch_one(&self.pool).await?;
        Ok(head.unwrap_or(0))
    }

    /// Roll-up rows whose position lies in `(after, upto]`: a page of [`Store::rollups_since`], so a
    /// node loading a million rows never holds them all at once.
    pub async fn rollups_between(&self, after: i64, upto: i64) -> Result<Vec<(Key, Measures)>> {
        let sql = format!("SELECT {KEY_COLUMNS}, {MEASURE_COLUMNS} FROM insight_rollups WHERE seq > $1 AND seq <= $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(upto).fetch_all(&self.pool).await?;
        rows.iter().map(key_measures).collect()
    }

    /// Every case's facts read directly from the cases (a full recount, for checks and tests).
    pub async fn all_case_facts(&self) -> Result<Vec<CaseFacts>> {
        let sql = format!("SELECT {FACT_COLUMNS} FROM cases");
        sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?.iter().map(facts_from).collect()
    }

    /// An officer confirms or corrects a case's category; audited, and counted again.
    pub async fn classify_case(
        &self,
        actor: &Actor,
        case_id: &str,
        category: &str,
        subject: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE cases SET category = $1, subject = $2, category_confirmed = 1, updated_at = $3 WHERE id = $4",
        )
        .bind(category)
        .bind(subject)
        .bind(self.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ "category": category, "subject": subject });
        audit::append(
            &mut tx,
            actor,
            Event::new("case.classify", format!("case:{case_id}"), Outcome::Success).detail(detail),
        )
        .await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest confirmed cases as (masked narrative, confirmed category): what the
    /// suggestion model learns from.
    pub async fn confirmed_categories(&self, limit: i64) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT narrative_masked, category FROM cases WHERE category_confirmed = 1 AND category IS NOT NULL \
             ORDER BY received_at DESC, id LIMIT $1",
        )
        .bind(limit.clamp(1, 1_000_000))
        .fetch_all(&self.pool)
        .await?;
        crate::rows::all(rows, ["narrative_masked", "category"])
    }

    /// How often the suggestion at intake was what an officer confirmed: (confirmed, agreed).
    pub async fn suggestion_agreement(&self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS confirmed, SUM(CASE WHEN category = category_suggested THEN 1 ELSE 0 END) AS agreed \
             FROM cases WHERE category_confirmed = 1 AND category_suggested IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        let (n, agreed): (i64, Option<i64>) = crate::rows::Named::named(&row, ["confirmed", "agreed"])?;
        Ok((n, agreed.unwrap_or(0)))
    }

    /// Display names of enterprise keys (USCC or name), as the newest case spelled them.
    pub async fn enterprise_names(&self, keys: &[String]) -> Result<std::collections::HashMap<String, String>> {
        let mut out = std::collections::HashMap::new();
        for chunk in keys.chunks(200) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT COALESCE(enterprise_uscc, enterprise_name) AS enterprise, MAX(enterprise_name) AS name FROM cases \
                 WHERE COALESCE(enterprise_uscc, enterprise_name) IN ({list}) GROUP BY COALESCE(enterprise_uscc, enterprise_name)"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for k in chunk {
                q = q.bind(k);
            }
            let rows: Vec<(String, String)> = crate::rows::all(q.fetch_all(&self.pool).await?, ["enterprise", "name"])?;
            out.extend(rows);
        }
        Ok(out)
    }
}
