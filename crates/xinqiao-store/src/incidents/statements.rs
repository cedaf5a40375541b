//! An incident's public statements and the enterprise's declared trade secrets: drafts, the
//! publication (once, by someone other than the drafter — checked by the caller, kept here as
//! `approved_by`), corrections pointing at what they correct, read back by column name.

use super::{IncidentConflict, IncidentError, Result, event};
use crate::audit::{self, Actor};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::incidents::StatementDraft;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementStatus {
    Draft,
    Published,
}

impl StatementStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(StatementStatus::Draft),
            "published" => Some(StatementStatus::Published),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: String,
    pub incident_id: String,
    pub draft: StatementDraft,
    pub status: StatementStatus,
    /// The statement this one corrects, and why.
    pub corrects: Option<(String, String)>,
    pub drafted_by: String,
    pub drafted_at: i64,
    pub approved_by: Option<String>,
    pub published_at: Option<i64>,
}

impl Store {
    pub async fn declare_incident_secret(&self, actor: &Actor, id: &str, term: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "INSERT INTO incident_secrets (incident_id, term, declared_by, declared_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (incident_id, term) DO NOTHING",
        )
        .bind(id)
        .bind(term)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::Conflict(IncidentConflict::SecretDeclared));
        }
        // The term itself is a secret: never in the audit detail.
        audit::append(&mut tx, actor, event("incident.secret", id)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn incident_secrets(&self, id: &str) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT term FROM incident_secrets WHERE incident_id = $1 ORDER BY declared_at, term")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("term")?)).collect()
    }

    /// A new draft (a correction when `corrects` names the published statement and the reason).
    pub async fn draft_incident_statement(
        &self,
        actor: &Actor,
        id: &str,
        draft: &StatementDraft,
        corrects: Option<(&str, &str)>,
    ) -> Result<String> {
        let sid = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_statements (id, incident_id, facts, measures, next_update_at, status, corrects_id, \
             correction_reason, drafted_by, drafted_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9)",
        )
        .bind(&sid)
        .bind(id)
        .bind(&draft.facts)
        .bind(&draft.measures)
        .bind(draft.next_update_at_ms)
        .bind(corrects.map(|c| c.0))
        .bind(corrects.map(|c| c.1))
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.statement_draft", id).detail(json!({"statement": sid}))).await?;
        tx.commit().await?;
        Ok(sid)
    }

    /// Publishes a draft now, approved by `actor`; a statement already published is a conflict.
    pub async fn publish_incident_statement(&self, actor: &Actor, id: &str, statement: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "UPDATE incident_statements SET status = 'published', approved_by = $1, published_at = $2 \
             WHERE id = $3 AND incident_id = $4 AND status = 'draft'",
        )
        .bind(&actor.id)
        .bind(now)
        .bind(statement)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::Conflict(IncidentConflict::AlreadyPublished));
        }
        let e = event("incident.statement_publish", id).detail(json!({"statement": statement}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(now)
    }

    /// Every statement of the incident, drafts included, in the order they were drafted.
    pub async fn incident_statements(&self, id: &str) -> Result<Vec<Statement>> {
        let rows = sqlx::query(
            "SELECT id, incident_id, facts, measures, next_update_at, status, corrects_id, correction_reason, \
             drafted_by, drafted_at, approved_by, published_at FROM incident_statements WHERE incident_id = $1 \
             ORDER BY drafted_at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let bad = |column| IncidentError::BadRow { table: "incident_statements", column };
        rows.iter()
            .map(|r| {
                let status = StatementStatus::parse(&r.try_get::<String, _>("status")?).ok_or_else(|| bad("status"))?;
                let corrects = match (
                    r.try_get::<Option<String>, _>("corrects_id")?,
                    r.try_get::<Option<String>, _>("correction_reason")?,
                ) {
                    (Some(c), Some(why)) => Some((c, why)),
                    (None, None) => None,
                    _ => return Err(bad("correction_reason")),
                };
                let published_at: Option<i64> = r.try_get("published_at")?;
                if (status == StatementStatus::Published) != published_at.is_some() {
                    return Err(bad("published_at"));
                }
                Ok(Statement {
                    id: r.try_get("id")?,
                    incident_id: r.try_get("incident_id")?,
                    draft: StatementDraft {
                        facts: r.try_get("facts")?,
                        measures: r.try_get("measures")?,
                        next_update_at_ms: r.try_get("next_update_at")?,
                    },
                    status,
                    corrects,
                    drafted_by: r.try_get("drafted_by")?,
                    drafted_at: r.try_get("drafted_at")?,
                    approved_by: r.try_get("approved_by")?,
                    published_at,
                })
            })
            .collect()
    }
}
