//! 双随机、一公开: the directories (名录库) of inspection targets and inspectors, draw tasks as
//! published (the frozen task, then its outcome), who inspected whom (for rotation), and
//! inspection results with their publication. Imports replace rows by key, all or nothing.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError};
use serde_json::json;
use xinqiao_domain::audit::Outcome;

/// An enterprise in the directory of inspection targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub uscc: String,
    pub name: String,
    /// GB/T 4754 section letter.
    pub industry: String,
    pub region_code: String,
    /// A–D.
    pub risk_class: String,
    /// `active` or `inactive`.
    pub status: String,
}

/// An enforcement officer in the directory of inspectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorRow {
    /// 执法证号.
    pub cert_no: String,
    pub name: String,
    pub unit: String,
    /// Fields of expertise, comma-separated.
    pub fields: String,
    pub status: String,
    /// The platform account of this inspector, whose declared ties apply.
    pub user_id: Option<String>,
}

/// A draw task as stored (its published document apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawTaskRow {
    pub id: String,
    pub title: String,
    /// `committed` or `drawn`.
    pub status: String,
    pub commitment: String,
    pub committed_at: i64,
    pub drawn_at: Option<i64>,
}

/// A recorded inspection result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub task_id: String,
    pub uscc: String,
    pub name: String,
    pub category: String,
    pub note: String,
    pub recorded_at: i64,
    pub due_day: i64,
    pub published_at: Option<i64>,
}

/// id, title, status, commitment, committed_at, drawn_at, document.
type TaskTuple = (String, String, String, String, i64, Option<i64>, String);

type ResultTuple = (String, String, String, String, String, i64, i64, Option<i64>);

fn result_from(r: ResultTuple) -> ResultRow {
    let (task_id, uscc, name, category, note, recorded_at, due_day, published_at) = r;
    ResultRow { task_id, uscc, name, category, note, recorded_at, due_day, published_at }
}

const RESULT_COLUMNS: &str = "task_id, uscc, name, category, note, recorded_at, due_day, published_at";
const RESULT_NAMES: [&str; 8] =
    ["task_id", "uscc", "name", "category", "note", "recorded_at", "due_day", "published_at"];

/// The code prefix a region code stands for: a province (`32`), a city (`3205`) or a county.
pub fn region_prefix(code: &str) -> &str {
    let mut p = code;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}

impl Store {
    /// Replaces targets by 统一社会信用代码, all in one transaction; returns how many.
    pub async fn import_targets(&self, actor: &Actor, rows: &[TargetRow]) -> Result<usize> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        for chunk in rows.chunks(100) {
            let sql = format!(
                "INSERT INTO inspection_targets (uscc, name, industry, region_code, risk_class, status, updated_at) \
                 VALUES {} ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, industry = excluded.industry, \
                 region_code = excluded.region_code, risk_class = excluded.risk_class, status = excluded.status, \
                 updated_at = excluded.updated_at",
                crate::values_clause(&tx, chunk.len(), 7)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(&r.uscc)
                    .bind(&r.name)
                    .bind(&r.industry)
                    .bind(&r.region_code)
                    .bind(&r.risk_class)
                    .bind(&r.status)
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
        }
        let event = Event::new("inspection.targets.import", "inspection_targets", Outcome::Success)
            .detail(json!({"rows": rows.len()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Replaces inspectors by 执法证号, all in one transaction; returns how many.
    pub async fn import_inspectors(&self, actor: &Actor, rows: &[InspectorRow]) -> Result<usize> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        for chunk in rows.chunks(100) {
            let sql = format!(
                "INSERT INTO inspectors (cert_no, name, unit, fields, status, user_id, updated_at) VALUES {} \
                 ON CONFLICT (cert_no) DO UPDATE SET name = excluded.name, unit = excluded.unit, \
                 fields = excluded.fields, status = excluded.status, user_id = excluded.user_id, \
                 updated_at = excluded.updated_at",
                crate::values_clause(&tx, chunk.len(), 7)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(&r.cert_no)
                    .bind(&r.name)
                    .bind(&r.unit)
                    .bind(&r.fields)
                    .bind(&r.status)
                    .bind(&r.user_id)
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
        }
        let event = Event::new("inspection.inspectors.import", "inspectors", Outcome::Success)
            .detail(json!({"rows": rows.len()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Active targets in scope: any of `industries` (all when empty) and under any of `regions`
    /// (all when empty; a city's code covers its districts). Ascending by 统一社会信用代码.
    pub async fn targets_in_scope(&self, industries: &[String], regions: &[String]) -> Result<Vec<TargetRow>> {
        let mut w = crate::filter::Where::new();
        w.fixed("status = 'active'").any_of("industry", industries);
        w.either("region_code LIKE ?", regions.iter().map(|r| format!("{}%", region_prefix(r)).into()));
        let sql = format!(
            "SELECT uscc, name, industry, region_code, risk_class, status FROM inspection_targets{} ORDER BY uscc",
            w.sql()
        );
        let q = w.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        let rows: Vec<(String, String, String, String, String, String)> = crate::rows::all(
            q.fetch_all(&self.pool).await?,
            ["uscc", "name", "industry", "region_code", "risk_class", "status"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(uscc, name, industry, region_code, risk_class, status)| TargetRow {
                uscc,
                name,
                industry,
                region_code,
                risk_class,
                status,
            })
            .collect())
    }

    /// Active inspectors, ascending by 执法证号.
    pub async fn active_inspectors(&self) -> Result<Vec<InspectorRow>> {
        let rows: Vec<(String, String, String, String, String, Option<String>)> = crate::rows::all(sqlx::query(
            "SELECT cert_no, name, unit, fields, status, user_id FROM inspectors WHERE status = 'active' ORDER BY cert_no",
        )
        .fetch_all(&self.pool)
        .await?, ["cert_no", "name", "unit", "fields", "status", "user_id"])?;
        Ok(rows
            .into_iter()
            .map(|(cert_no, name, unit, fields, status, user_id)| InspectorRow {
                cert_no,
                name,
                unit,
                fields,
                status,
                user_id,
            })
            .collect())
    }

    /// (targets, inspectors) in the directories.
    pub async fn directory_counts(&self) -> Result<(i64, i64)> {
        let (t,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inspection_targets").fetch_one(&self.pool).await?;
        let (i,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM inspectors").fetch_one(&self.pool).await?;
        Ok((t, i))
    }

    /// For every enterprise ever drawn: the inspectors of its most recent draw, as
    /// (统一社会信用代码, 执法证号…).
    pub async fn previous_teams(&self) -> Result<Vec<(String, Vec<String>)>> {
        let rows: Vec<(String, String)> = crate::rows::all(sqlx::query(
            "SELECT a.uscc, a.inspector FROM draw_assignments a JOIN draw_tasks t ON t.id = a.task_id \
             WHERE t.drawn_at = (SELECT MAX(t2.drawn_at) FROM draw_assignments a2 JOIN draw_tasks t2 ON t2.id = a2.task_id \
             WHERE a2.uscc = a.uscc) ORDER BY a.uscc, a.inspector",
        )
        .fetch_all(&self.pool)
        .await?, ["uscc", "inspector"])?;
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (uscc, inspector) in rows {
            match out.last_mut() {
                Some((u, list)) if *u == uscc => list.push(inspector),
                _ => out.push((uscc, vec![inspector])),
            }
        }
        Ok(out)
    }

    /// Stores a committed task: its published document (the frozen task) and commitment.
    pub async fn commit_draw_task(
        &self,
        actor: &Actor,
        id: &str,
        title: &str,
        document: &str,
        commitment: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO draw_tasks (id, title, status, document, commitment, created_by, committed_at) \
             VALUES ($1, $2, 'committed', $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(title)
        .bind(document)
        .bind(commitment)
        .bind(&actor.id)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        let event =
            Event::new("draw.commit", format!("draw:{id}"), Outcome::Success).detail(json!({"commitment": commitment}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    pub async fn draw_tasks(&self) -> Result<Vec<DrawTaskRow>> {
        let rows: Vec<(String, String, String, String, i64, Option<i64>)> = crate::rows::all(sqlx::query(
            "SELECT id, title, status, commitment, committed_at, drawn_at FROM draw_tasks ORDER BY committed_at DESC",
        )
        .fetch_all(&self.pool)
        .await?, ["id", "title", "status", "commitment", "committed_at", "drawn_at"])?;
        Ok(rows
            .into_iter()
            .map(|(id, title, status, commitment, committed_at, drawn_at)| DrawTaskRow {
                id,
                title,
                status,
                commitment,
                committed_at,
                drawn_at,
            })
            .collect())
    }

    /// A task and its published document.
    pub async fn draw_task(&self, id: &str) -> Result<(DrawTaskRow, String)> {
        let row: Option<TaskTuple> = crate::rows::one(
            sqlx::query(
                "SELECT id, title, status, commitment, committed_at, drawn_at, document FROM draw_tasks WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
            ["id", "title", "status", "commitment", "committed_at", "drawn_at", "document"],
        )?;
        let (id, title, status, commitment, committed_at, drawn_at, document) = row.ok_or(StoreError::NotFound)?;
        Ok((DrawTaskRow { id, title, status, commitment, committed_at, drawn_at }, document))
    }

    /// Records the draw: the document now carries the revealed sources and the outcome, and
    /// each team is kept for rotation. 409 when the task was drawn already.
    pub async fn record_draw(
        &self,
        actor: &Actor,
        id: &str,
        document: &str,
        teams: &[(String, Vec<String>)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE draw_tasks SET status = 'drawn', document = $1, drawn_at = $2 WHERE id = $3 AND status = 'committed'",
        )
        .bind(document)
        .bind(self.now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::InspectionConflict::AlreadyDrawn));
        }
        let pairs: Vec<(&str, &str)> =
            teams.iter().flat_map(|(u, list)| list.iter().map(move |i| (u.as_str(), i.as_str()))).collect();
        for chunk in pairs.chunks(300) {
            let sql = format!(
                "INSERT INTO draw_assignments (task_id, uscc, inspector) VALUES {}",
                crate::values_clause(&tx, chunk.len(), 3)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (u, i) in chunk {
                q = q.bind(id).bind(*u).bind(*i);
            }
            q.execute(&mut *tx).await?;
        }
        let event =
            Event::new("draw.run", format!("draw:{id}"), Outcome::Success).detail(json!({"targets": teams.len()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    /// The inspectors of a drawn target in a task.
    pub async fn team_of(&self, task_id: &str, uscc: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT inspector FROM draw_assignments WHERE task_id = $1 AND uscc = $2 ORDER BY inspector",
        )
        .bind(task_id)
        .bind(uscc)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// The 执法证号 of the inspector linked to an account, if any.
    pub async fn cert_of_user(&self, user_id: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT cert_no FROM inspectors WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(c,)| c))
    }

    /// Records (or corrects, until published) a target's result; `due_day` is the last day to
    /// publish it. 409 when it was published already.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_result(
        &self,
        actor: &Actor,
        task_id: &str,
        uscc: &str,
        name: &str,
        category: &str,
        note: &str,
        due_day: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "INSERT INTO inspection_results (task_id, uscc, name, category, note, recorded_by, recorded_at, due_day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (task_id, uscc) DO UPDATE SET \
             category = excluded.category, note = excluded.note, recorded_by = excluded.recorded_by, \
             recorded_at = excluded.recorded_at WHERE inspection_results.published_at IS NULL",
        )
        .bind(task_id)
        .bind(uscc)
        .bind(name)
        .bind(category)
        .bind(note)
        .bind(&actor.id)
        .bind(self.now_ms())
        .bind(due_day)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::InspectionConflict::ResultsPublished));
        }
        let event = Event::new("inspection.result", format!("draw:{task_id}"), Outcome::Success)
            .detail(json!({"uscc": uscc, "category": category}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    /// Publishes every recorded, unpublished result of a task; returns how many.
    pub async fn publish_results(&self, actor: &Actor, task_id: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let n =
            sqlx::query("UPDATE inspection_results SET published_at = $1 WHERE task_id = $2 AND published_at IS NULL")
                .bind(self.now_ms())
                .bind(task_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let event =
            Event::new("inspection.publish", format!("draw:{task_id}"), Outcome::Success).detail(json!({"results": n}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// A task's results, by enterprise; `published_only` for the public.
    pub async fn task_results(&self, task_id: &str, published_only: bool) -> Result<Vec<ResultRow>> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM inspection_results WHERE task_id = $1 \
             AND (published_at IS NOT NULL OR $2 = 0) ORDER BY uscc"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(task_id)
            .bind(crate::flag(published_only))
            .fetch_all(&self.pool)
            .await?;
        let rows: Vec<ResultTuple> = crate::rows::all(rows, RESULT_NAMES)?;
        Ok(rows.into_iter().map(result_from).collect())
    }

    /// Every result recorded and not yet published (their due dates run).
    pub async fn unpublished_results(&self) -> Result<Vec<ResultRow>> {
        let sql = format!("SELECT {RESULT_COLUMNS} FROM inspection_results WHERE published_at IS NULL");
        let rows: Vec<ResultTuple> =
            crate::rows::all(sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?, RESULT_NAMES)?;
        Ok(rows.into_iter().map(result_from).collect())
    }

    /// Published results whose enterprise name or 统一社会信用代码 contains `q` (all when empty),
    /// newest first.
    pub async fn search_results(&self, q: &str, limit: i64) -> Result<Vec<ResultRow>> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM inspection_results WHERE published_at IS NOT NULL \
             AND (name {op} $1 OR uscc {op} $1) ORDER BY published_at DESC, uscc LIMIT $2",
            op = self.backend.ilike()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(format!("%{}%", q.trim().replace(['%', '_'], "")))
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.pool)
            .await?;
        let rows: Vec<ResultTuple> = crate::rows::all(rows, RESULT_NAMES)?;
        Ok(rows.into_iter().map(result_from).collect())
    }
}
