//! 复盘: an incident's after-action review. Saving the lessons (masked by the caller) writes the
//! review and an entry in the writer's work log in one transaction, audited.

use super::{Result, event};
use crate::audit::{self, Actor};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub lessons: String,
    pub written_by: String,
    pub written_at: i64,
}

impl Store {
    /// Saves the review's lessons (replacing earlier ones) and logs the work: `solved` and
    /// `told` summarise the incident and what the public was told for the work log.
    pub async fn save_incident_review(
        &self,
        actor: &Actor,
        id: &str,
        lessons: &str,
        solved: &str,
        told: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_reviews (incident_id, lessons, written_by, written_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (incident_id) DO UPDATE SET lessons = excluded.lessons, written_by = excluded.written_by, \
             written_at = excluded.written_at",
        )
        .bind(id)
        .bind(lessons)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let log = new_id();
        let day = xinqiao_domain::calendar::Date::of_epoch_ms(now).0;
        sqlx::query(
            "INSERT INTO work_logs (id, user_id, day, solved, party_said, learned, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&log)
        .bind(&actor.id)
        .bind(day)
        .bind(solved)
        .bind(told)
        .bind(lessons)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.review", id).detail(json!({ "worklog": log }))).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn incident_review(&self, id: &str) -> Result<Option<Review>> {
        let row = sqlx::query("SELECT lessons, written_by, written_at FROM incident_reviews WHERE incident_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(Review {
                lessons: r.try_get("lessons")?,
                written_by: r.try_get("written_by")?,
                written_at: r.try_get("written_at")?,
            })),
        }
    }
}
