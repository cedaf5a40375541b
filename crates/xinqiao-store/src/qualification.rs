//! 任职资格 in storage: framework versions, assessments and their panels. Structured parts
//! (evidence scores, the panel draw, the decision) are JSON text the web layer builds from the
//! domain; the dossier arrives sealed. Every change is audited in its own transaction; audit
//! details carry ids and outcomes, never the dossier.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, Tx, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;

/// One stored version of the competency framework (its canonical TOML).
#[derive(Debug, Clone)]
pub struct FrameworkRow {
    pub version: String,
    pub fingerprint: String,
    pub body: String,
    pub created_at: i64,
    pub created_by: Option<String>,
}

type FrameworkTuple = (String, String, String, i64, Option<String>);

fn framework_row((version, fingerprint, body, created_at, created_by): FrameworkTuple) -> FrameworkRow {
    FrameworkRow { version, fingerprint, body, created_at, created_by }
}

/// Where an assessment stands.
pub mod status {
    /// A record-check gate failed: the assessment ended there.
    pub const GATES_FAILED: &str = "gates_failed";
    /// Test, panel or evidence still outstanding.
    pub const IN_PROGRESS: &str = "in_progress";
    pub const DECIDED: &str = "decided";
    /// Decided, and an appeal assessment was opened against the decision.
    pub const APPEALED: &str = "appealed";
}

#[derive(Debug, Clone)]
pub struct AssessmentRow {
    pub id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub framework_version: String,
    pub framework_fingerprint: String,
    pub status: String,
    pub dossier_sealed: String,
    /// Day number of the record check.
    pub checked_on: i64,
    pub gates_passed: bool,
    pub paper_source: Option<String>,
    pub test_started_at: Option<i64>,
    pub test_due_at: Option<i64>,
    /// JSON: item id → chosen option keys.
    pub answers: Option<String>,
    pub test_submitted_at: Option<i64>,
    /// JSON: criterion code → {score, note}.
    pub evidence: String,
    /// JSON: the recorded panel draw.
    pub panel: Option<String>,
    /// Comma-separated criterion codes whose spread the panel has discussed.
    pub flags_resolved: String,
    pub decision: Option<String>,
    pub qualified: Option<bool>,
    pub decided_on: Option<i64>,
    pub appeal_until: Option<i64>,
    pub appeal_of: Option<String>,
    pub appeal_reason: Option<String>,
    pub created_at: i64,
    /// The candidate's bureau (its org id), which decides who may organise the assessment.
    pub candidate_org: Option<String>,
}

/// What a new assessment starts with.
#[derive(Debug, Clone, Default)]
pub struct NewAssessment {
    pub candidate_id: String,
    pub framework_version: String,
    pub framework_fingerprint: String,
    pub dossier_sealed: String,
    pub checked_on: i64,
    pub gates_passed: bool,
    pub paper_source: Option<String>,
    /// An appeal carries over the first assessment's test and evidence.
    pub answers: Option<String>,
    pub test_submitted_at: Option<i64>,
    pub evidence: Option<String>,
    pub appeal_of: Option<String>,
    pub appeal_reason: Option<String>,
}

/// One assessor's scores on an assessment.
#[derive(Debug, Clone)]
pub struct PanelScoreRow {
    pub assessor_id: String,
    /// JSON: criterion code → 1–5.
    pub scores: String,
    pub note: String,
    pub submitted_at: i64,
}

/// A 评审员 of the pool, with their unit.
#[derive(Debug, Clone)]
pub struct PoolMember {
    pub id: String,
    pub display_name: String,
    pub org_id: Option<String>,
}

const ASSESSMENT_COLUMNS: &str = "a.id, a.candidate_id, u.display_name AS candidate_name, a.framework_version, a.framework_fingerprint, \
     a.status, a.dossier_sealed, a.checked_on, a.gates_passed, a.paper_source, a.test_started_at, a.test_due_at, \
     a.answers, a.test_submitted_at, a.evidence, a.panel, a.flags_resolved, a.decision, a.qualified, a.decided_on, \
     a.appeal_until, a.appeal_of, a.appeal_reason, a.created_at, u.org_id AS candidate_org";

fn assessment_row(row: &sqlx::any::AnyRow) -> Result<AssessmentRow> {
    use sqlx::Row;
    Ok(AssessmentRow {
        id: row.try_get("id")?,
        candidate_id: row.try_get("candidate_id")?,
        candidate_name: row.try_get("candidate_name")?,
        framework_version: row.try_get("framework_version")?,
        framework_fingerprint: row.try_get("framework_fingerprint")?,
        status: row.try_get("status")?,
        dossier_sealed: row.try_get("dossier_sealed")?,
        checked_on: row.try_get("checked_on")?,
        gates_passed: row.try_get::<i64, _>("gates_passed")? != 0,
        paper_source: row.try_get("paper_source")?,
        test_started_at: row.try_get("test_started_at")?,
        test_due_at: row.try_get("test_due_at")?,
        answers: row.try_get("answers")?,
        test_submitted_at: row.try_get("test_submitted_at")?,
        evidence: row.try_get("evidence")?,
        panel: row.try_get("panel")?,
        flags_resolved: row.try_get("flags_resolved")?,
        decision: row.try_get("decision")?,
        qualified: row.try_get::<Option<i64>, _>("qualified")?.map(|v| v != 0),
        decided_on: row.try_get("decided_on")?,
        appeal_until: row.try_get("appeal_until")?,
        appeal_of: row.try_get("appeal_of")?,
        appeal_reason: row.try_get("appeal_reason")?,
        created_at: row.try_get("created_at")?,
        candidate_org: row.try_get("candidate_org")?,
    })
}

async fn audited(tx: &mut Tx, actor: &Actor, action: &'static str, id: &str, detail: serde_json::Value) -> Result<()> {
    audit::append(tx, actor, Event::new(action, format!("assessment:{id}"), Outcome::Success).detail(detail)).await?;
    Ok(())
}

/// Refuses a change to an assessment that is no longer in progress.
async fn in_progress(tx: &mut Tx, id: &str) -> Result<()> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM qual_assessments WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
    match row {
        None => Err(StoreError::NotFound),
        Some((s,)) if s == status::IN_PROGRESS => Ok(()),
        Some(_) => Err(StoreError::from(crate::conflict::QualificationConflict::AssessmentClosed)),
    }
}

impl Store {
    /// Framework versions, newest first.
    pub async fn framework_versions(&self) -> Result<Vec<FrameworkRow>> {
        let rows: Vec<FrameworkTuple> = crate::rows::all(
            sqlx::query(
                "SELECT version, fingerprint, body, created_at, created_by FROM qual_frameworks \
             ORDER BY created_at DESC, version DESC",
            )
            .fetch_all(&self.pool)
            .await?,
            ["version", "fingerprint", "body", "created_at", "created_by"],
        )?;
        Ok(rows.into_iter().map(framework_row).collect())
    }

    pub async fn framework_version(&self, version: &str) -> Result<Option<FrameworkRow>> {
        let row: Option<FrameworkTuple> = crate::rows::one(
            sqlx::query(
                "SELECT version, fingerprint, body, created_at, created_by FROM qual_frameworks WHERE version = $1",
            )
            .bind(version)
            .fetch_optional(&self.pool)
            .await?,
            ["version", "fingerprint", "body", "created_at", "created_by"],
        )?;
        Ok(row.map(framework_row))
    }

    /// Stores a new framework version (a version string is never reused: 409).
    pub async fn save_framework(&self, actor: &Actor, version: &str, fingerprint: &str, body: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO qual_frameworks (version, fingerprint, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version)
        .bind(fingerprint)
        .bind(body)
        .bind(self.now_ms())
        .bind((!actor.id.is_empty()).then_some(&actor.id))
        .execute(&mut *tx)
        .await?;
        let detail = json!({"version": version, "fingerprint": fingerprint});
        audit::append(
            &mut tx,
            actor,
            Event::new("qualification.framework", format!("framework:{version}"), Outcome::Success).detail(detail),
        )
        .await?;
        tx.commit().await
    }

    pub async fn create_assessment(&self, actor: &Actor, new: NewAssessment) -> Result<String> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let state = if new.gates_passed { status::IN_PROGRESS } else { status::GATES_FAILED };
        sqlx::query(
            "INSERT INTO qual_assessments (id, candidate_id, framework_version, framework_fingerprint, status, \
             dossier_sealed, checked_on, gates_passed, paper_source, answers, test_submitted_at, evidence, appeal_of, \
             appeal_reason, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
        )
        .bind(&id)
        .bind(&new.candidate_id)
        .bind(&new.framework_version)
        .bind(&new.framework_fingerprint)
        .bind(state)
        .bind(&new.dossier_sealed)
        .bind(new.checked_on)
        .bind(i64::from(new.gates_passed))
        .bind(&new.paper_source)
        .bind(&new.answers)
        .bind(new.test_submitted_at)
        .bind(new.evidence.as_deref().unwrap_or("{}"))
        .bind(&new.appeal_of)
        .bind(&new.appeal_reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Some(first) = &new.appeal_of {
            let done =
                sqlx::query("UPDATE qual_assessments SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
                    .bind(status::APPEALED)
                    .bind(now)
                    .bind(first)
                    .bind(status::DECIDED)
                    .execute(&mut *tx)
                    .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::from(crate::conflict::QualificationConflict::AlreadyAppealed));
            }
        }
        let detail = json!({"candidate": new.candidate_id, "framework": new.framework_version,
            "gates_passed": new.gates_passed, "appeal_of": new.appeal_of});
        audited(&mut tx, actor, "qualification.apply", &id, detail).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn assessment(&self, id: &str) -> Result<Option<AssessmentRow>> {
        let sql = format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM qual_assessments a JOIN users u ON u.id = a.candidate_id WHERE a.id = $1"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(assessment_row)
            .transpose()
    }

    /// Assessments, newest first: a candidate's own (`candidate`), those on an assessor's panel
    /// (`assessor`), or all.
    pub async fn assessments(&self, candidate: Option<&str>, assessor: Option<&str>) -> Result<Vec<AssessmentRow>> {
        let (filter, bind) = match (candidate, assessor) {
            (Some(c), _) => ("WHERE a.candidate_id = $1", Some(c)),
            (None, Some(a)) => {
                ("WHERE a.id IN (SELECT assessment_id FROM qual_panel_members WHERE assessor_id = $1)", Some(a))
            }
            (None, None) => ("", None),
        };
        let sql = format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM qual_assessments a JOIN users u ON u.id = a.candidate_id {filter} \
             ORDER BY a.created_at DESC, a.id DESC LIMIT 500"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(b) = bind {
            q = q.bind(b);
        }
        q.fetch_all(&self.pool).await?.iter().map(assessment_row).collect()
    }

    /// Opens the timed test (once: a second opening keeps the first deadline).
    pub async fn start_test(&self, actor: &Actor, id: &str, due_at: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        let done = sqlx::query(
            "UPDATE qual_assessments SET test_started_at = $1, test_due_at = $2, updated_at = $1 \
             WHERE id = $3 AND test_started_at IS NULL",
        )
        .bind(self.now_ms())
        .bind(due_at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            audited(&mut tx, actor, "qualification.test_start", id, json!({"due_at": due_at})).await?;
        }
        tx.commit().await
    }

    /// Hands in the answers (once).
    pub async fn submit_answers(
        &self,
        actor: &Actor,
        id: &str,
        answers: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        let now = self.now_ms();
        let done = sqlx::query(
            "UPDATE qual_assessments SET answers = $1, test_submitted_at = $2, updated_at = $2 \
             WHERE id = $3 AND test_started_at IS NOT NULL AND test_submitted_at IS NULL",
        )
        .bind(answers)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::from(crate::conflict::QualificationConflict::TestSubmitted));
        }
        audited(&mut tx, actor, "qualification.test_submit", id, detail).await?;
        tx.commit().await
    }

    /// Records the panel draw and its members (once).
    pub async fn set_panel(&self, actor: &Actor, id: &str, draw: &str, members: &[String]) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        let done =
            sqlx::query("UPDATE qual_assessments SET panel = $1, updated_at = $2 WHERE id = $3 AND panel IS NULL")
                .bind(draw)
                .bind(self.now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::from(crate::conflict::QualificationConflict::PanelDrawn));
        }
        for m in members {
            sqlx::query("INSERT INTO qual_panel_members (assessment_id, assessor_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        audited(&mut tx, actor, "qualification.panel", id, json!({"members": members})).await?;
        tx.commit().await
    }

    /// An assessor's scores (a revision after the panel's discussion replaces the earlier ones).
    pub async fn submit_scores(&self, actor: &Actor, id: &str, scores: &str, note: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        let member: Option<(String,)> =
            sqlx::query_as("SELECT assessor_id FROM qual_panel_members WHERE assessment_id = $1 AND assessor_id = $2")
                .bind(id)
                .bind(&actor.id)
                .fetch_optional(&mut *tx)
                .await?;
        if member.is_none() {
            return Err(StoreError::from(crate::conflict::QualificationConflict::NotOnPanel));
        }
        sqlx::query(
            "INSERT INTO qual_panel_scores (assessment_id, assessor_id, scores, note, submitted_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (assessment_id, assessor_id) \
             DO UPDATE SET scores = excluded.scores, note = excluded.note, submitted_at = excluded.submitted_at",
        )
        .bind(id)
        .bind(&actor.id)
        .bind(scores)
        .bind(note)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        audited(&mut tx, actor, "qualification.score", id, json!({})).await?;
        tx.commit().await
    }

    pub async fn panel_members(&self, id: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT assessor_id FROM qual_panel_members WHERE assessment_id = $1 ORDER BY assessor_id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }

    pub async fn panel_scores(&self, id: &str) -> Result<Vec<PanelScoreRow>> {
        let rows: Vec<(String, String, String, i64)> = crate::rows::all(
            sqlx::query(
                "SELECT assessor_id, scores, note, submitted_at FROM qual_panel_scores WHERE assessment_id = $1 \
             ORDER BY assessor_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?,
            ["assessor_id", "scores", "note", "submitted_at"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(assessor_id, scores, note, submitted_at)| PanelScoreRow { assessor_id, scores, note, submitted_at })
            .collect())
    }

    /// The organiser's scores of record-check and work-evidence criteria (JSON, replaced whole).
    pub async fn set_evidence(&self, actor: &Actor, id: &str, evidence: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        sqlx::query("UPDATE qual_assessments SET evidence = $1, updated_at = $2 WHERE id = $3")
            .bind(evidence)
            .bind(self.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audited(&mut tx, actor, "qualification.evidence", id, json!({})).await?;
        tx.commit().await
    }

    /// Marks flagged criteria as discussed by the panel (the note goes to the audit trail).
    pub async fn resolve_flags(&self, actor: &Actor, id: &str, criteria: &[String], note: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        sqlx::query("UPDATE qual_assessments SET flags_resolved = $1, updated_at = $2 WHERE id = $3")
            .bind(criteria.join(","))
            .bind(self.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audited(&mut tx, actor, "qualification.discussion", id, json!({"criteria": criteria, "note": note})).await?;
        tx.commit().await
    }

    /// Records the decision and, when qualified, issues the certificate in the same transaction
    /// (its number takes the next sequence of `number_prefix`, e.g. `KHTYG-320500-2026-`).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_decision(
        &self,
        actor: &Actor,
        id: &str,
        decision: &str,
        qualified: bool,
        decided_on: i64,
        appeal_until: i64,
        certificate: Option<(&str, i64)>,
    ) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        in_progress(&mut tx, id).await?;
        let now = self.now_ms();
        sqlx::query(
            "UPDATE qual_assessments SET status = $1, decision = $2, qualified = $3, decided_on = $4, \
             appeal_until = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(status::DECIDED)
        .bind(decision)
        .bind(i64::from(qualified))
        .bind(decided_on)
        .bind(appeal_until)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut number = None;
        if let Some((prefix, valid_until)) = certificate.filter(|_| qualified) {
            let (holder,): (String,) = sqlx::query_as("SELECT candidate_id FROM qual_assessments WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let n =
                crate::certificates::insert_next(&mut tx, prefix, &holder, Some(id), decided_on, valid_until).await?;
            number = Some(n);
        }
        let detail = json!({"qualified": qualified, "certificate": number});
        audited(&mut tx, actor, "qualification.decide", id, detail).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// The 评审员 pool: enabled accounts holding the reviewer role.
    pub async fn assessor_pool(&self) -> Result<Vec<PoolMember>> {
        let rows: Vec<(String, String, Option<String>)> = crate::rows::all(
            sqlx::query(
                "SELECT DISTINCT u.id, u.display_name, u.org_id FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role = 'reviewer' AND u.disabled = 0 ORDER BY u.id",
            )
            .fetch_all(&self.pool)
            .await?,
            ["id", "display_name", "org_id"],
        )?;
        Ok(rows.into_iter().map(|(id, display_name, org_id)| PoolMember { id, display_name, org_id }).collect())
    }

    /// Ties assessors declared: (assessor, candidate, kind `relative` | `conflict`).
    pub async fn assessor_ties(&self) -> Result<Vec<(String, String, String)>> {
        crate::rows::all(
            sqlx::query("SELECT assessor_id, candidate_id, kind FROM qual_assessor_ties ORDER BY assessor_id")
                .fetch_all(&self.pool)
                .await?,
            ["assessor_id", "candidate_id", "kind"],
        )
    }

    /// An assessor declares a tie to a candidate (idempotent).
    pub async fn declare_assessor_tie(&self, actor: &Actor, candidate_id: &str, kind: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO qual_assessor_ties (assessor_id, candidate_id, kind, declared_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (assessor_id, candidate_id, kind) DO NOTHING",
        )
        .bind(&actor.id)
        .bind(candidate_id)
        .bind(kind)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("qualification.assessor_tie", format!("user:{candidate_id}"), Outcome::Success)
                .detail(json!({"kind": kind})),
        )
        .await?;
        tx.commit().await
    }
}
