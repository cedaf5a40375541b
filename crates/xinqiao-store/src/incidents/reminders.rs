//! Reminders to an incident's owner and its supervisors before a legal clock or a promise is
//! missed: each stage of each subject told once to each recipient, shown while the subject is
//! still open (a measure not done, a promise not kept).

use super::{IncidentError, Result};
use crate::{Store, new_id};
use sqlx::Row;
use xinqiao_domain::incidents::reminders::{Due, Stage, Subject};

/// A reminder as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: String,
    pub incident_id: String,
    pub incident_title: String,
    pub subject: Subject,
    pub subject_id: String,
    /// The measure's title or the promise's text.
    pub subject_text: String,
    pub stage: Stage,
    pub created_at: i64,
}

impl Store {
    /// The incidents with a measure not done or a promise not kept.
    pub async fn incidents_with_open_clocks(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT incident_id FROM incident_measures WHERE done_on IS NULL \
             UNION SELECT incident_id FROM incident_promises WHERE kept_at IS NULL ORDER BY incident_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("incident_id")?)).collect()
    }

    /// The serving supervisors of `org_id`, or of the nearest bureau above it that has any.
    pub async fn supervisors_over(&self, org_id: &str) -> Result<Vec<String>> {
        let mut org = Some(org_id.to_owned());
        while let Some(id) = org {
            let rows = sqlx::query(
                "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id \
                 WHERE u.org_id = $1 AND u.disabled = 0 AND r.role = 'supervisor' ORDER BY u.id",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            if !rows.is_empty() {
                return rows.iter().map(|r| Ok(r.try_get("id")?)).collect();
            }
            org = self.org(&id).await.map_err(IncidentError::Store)?.parent_id;
        }
        Ok(Vec::new())
    }

    /// Records each `(due, recipient)` not recorded before; returns how many were new.
    pub async fn record_incident_reminders(&self, incident_id: &str, due: &[(Due, Vec<String>)]) -> Result<u64> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let mut new = 0;
        for (d, recipients) in due {
            for to in recipients {
                new += sqlx::query(
                    "INSERT INTO incident_reminders \
                     (id, incident_id, subject_kind, subject_id, stage, recipient_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (subject_kind, subject_id, stage, recipient_id) DO NOTHING",
                )
                .bind(new_id())
                .bind(incident_id)
                .bind(d.subject.key())
                .bind(&d.subject_id)
                .bind(d.stage.key())
                .bind(to)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The reminders of `recipient` whose subject is still open, newest first.
    pub async fn incident_reminders_for(&self, recipient: &str, limit: i64) -> Result<Vec<Reminder>> {
        let rows = sqlx::query(
            "SELECT r.id, r.incident_id, i.title AS incident_title, r.subject_kind, r.subject_id, r.stage, \
             r.created_at, COALESCE(m.title, p.text) AS subject_text \
             FROM incident_reminders r JOIN incidents i ON i.id = r.incident_id \
             LEFT JOIN incident_measures m ON r.subject_kind = 'measure' AND m.id = r.subject_id \
             LEFT JOIN incident_promises p ON r.subject_kind = 'promise' AND p.id = r.subject_id \
             WHERE r.recipient_id = $1 AND m.done_on IS NULL AND p.kept_at IS NULL \
             AND (m.id IS NOT NULL OR p.id IS NOT NULL) \
             ORDER BY r.created_at DESC, r.id DESC LIMIT $2",
        )
        .bind(recipient)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        let bad = |column| IncidentError::BadRow { table: "incident_reminders", column };
        rows.iter()
            .map(|r| {
                Ok(Reminder {
                    id: r.try_get("id")?,
                    incident_id: r.try_get("incident_id")?,
                    incident_title: r.try_get("incident_title")?,
                    subject: Subject::parse(&r.try_get::<String, _>("subject_kind")?)
                        .ok_or_else(|| bad("subject_kind"))?,
                    subject_id: r.try_get("subject_id")?,
                    subject_text: r.try_get("subject_text")?,
                    stage: Stage::parse(&r.try_get::<String, _>("stage")?).ok_or_else(|| bad("stage"))?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
