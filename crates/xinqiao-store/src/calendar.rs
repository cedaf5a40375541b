//! The State Council holiday notices loaded at run time (the shipped ones live in the binary):
//! appended as versions, each with its text, source, checksum, and who loaded it. Loading a
//! notice moves the deadlines it changes in the same transaction: stored dates are rewritten and
//! each case whose deadline moved says so in its history.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, flag, sha256_hex};
use xinqiao_domain::audit::Outcome;

/// One loaded version of a year's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    pub year: i64,
    pub version: i64,
    /// The notice in the `holidays-cn.toml` shape.
    pub body: String,
    pub source: String,
    pub verified: bool,
    pub sha256: String,
    /// The display name of who loaded it.
    pub loaded_by: String,
    pub loaded_at: i64,
}

/// A notice to load: its year and text (already checked by the domain).
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub year: i64,
    pub body: String,
    pub source: String,
    pub verified: bool,
}

/// A case whose deadline the notice moves.
#[derive(Debug, Clone)]
pub struct CaseMove {
    pub case_id: String,
    /// The new last day of 先行和解, when that stored date moves.
    pub settle_until: Option<i64>,
    /// The public history note (old and new date).
    pub note: String,
}

/// An inspection result whose publication due date the notice moves.
#[derive(Debug, Clone)]
pub struct ResultMove {
    pub task_id: String,
    pub uscc: String,
    pub due_day: i64,
}

type NoticeRow = (i64, i64, String, String, i64, String, String, i64);

fn notice_from(r: NoticeRow) -> StoredNotice {
    let (year, version, body, source, verified, sha256, loaded_by, loaded_at) = r;
    StoredNotice { year, version, body, source, verified: verified != 0, sha256, loaded_by, loaded_at }
}

const COLUMNS: &str = "year, version, body, source, verified, sha256, loaded_by, loaded_at";
const NAMES: [&str; 8] = ["year", "version", "body", "source", "verified", "sha256", "loaded_by", "loaded_at"];

impl Store {
    /// The newest version of every loaded year, by year.
    pub async fn calendar_notices(&self) -> Result<Vec<StoredNotice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM calendar_notices n WHERE version = \
             (SELECT MAX(version) FROM calendar_notices m WHERE m.year = n.year) ORDER BY year"
        );
        let rows: Vec<NoticeRow> =
            crate::rows::all(sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?, NAMES)?;
        Ok(rows.into_iter().map(notice_from).collect())
    }

    /// Every loaded version, newest first.
    pub async fn calendar_notice_history(&self) -> Result<Vec<StoredNotice>> {
        let sql = format!("SELECT {COLUMNS} FROM calendar_notices ORDER BY loaded_at DESC, year DESC, version DESC");
        let rows: Vec<NoticeRow> =
            crate::rows::all(sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?, NAMES)?;
        Ok(rows.into_iter().map(notice_from).collect())
    }

    /// How many versions were ever loaded: it grows with every load, so a node that sees a new
    /// value reloads its calendar.
    pub async fn calendar_revision(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM calendar_notices").fetch_one(&self.pool).await?;
        Ok(n)
    }

    /// Loads `notices` as the next version of their years, applies the moves they cause, and
    /// records it all in the audit trail, in one transaction. Returns each (year, version).
    pub async fn load_calendar_notices(
        &self,
        actor: &Actor,
        notices: &[NewNotice],
        cases: &[CaseMove],
        results: &[ResultMove],
    ) -> Result<Vec<(i64, i64)>> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let mut loaded = Vec::new();
        for n in notices {
            let (version,): (i64,) =
                sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM calendar_notices WHERE year = $1")
                    .bind(n.year)
                    .fetch_one(&mut *tx)
                    .await?;
            let sha = sha256_hex(n.body.as_bytes());
            sqlx::query(
                "INSERT INTO calendar_notices (year, version, body, source, verified, sha256, loaded_by, loaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(n.year)
            .bind(version)
            .bind(&n.body)
            .bind(&n.source)
            .bind(flag(n.verified))
            .bind(&sha)
            .bind(&actor.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                actor,
                Event::new("calendar.load", format!("calendar:{}", n.year), Outcome::Success).detail(
                    serde_json::json!({
                        "year": n.year, "version": version, "sha256": sha, "verified": n.verified,
                        "cases_moved": cases.len(), "results_moved": results.len(),
                    }),
                ),
            )
            .await?;
            loaded.push((n.year, version));
        }
        for m in cases {
            if let Some(day) = m.settle_until {
                sqlx::query("UPDATE cases SET settle_until = $1 WHERE id = $2")
                    .bind(day)
                    .bind(&m.case_id)
                    .execute(&mut *tx)
                    .await?;
            }
            crate::cases::note_in(&mut tx, &m.case_id, &actor.id, "case.deadline_moved", &m.note, true).await?;
            crate::outbox::record(&mut tx, "case", &m.case_id).await?;
        }
        for r in results {
            sqlx::query(
                "UPDATE inspection_results SET due_day = $1 WHERE task_id = $2 AND uscc = $3 AND published_at IS NULL",
            )
            .bind(r.due_day)
            .bind(&r.task_id)
            .bind(&r.uscc)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(loaded)
    }
}
