//! Changing an incident's owner and team after it was opened: one transaction that names, in
//! the audit chain, who was added and who removed (user ids only).

use super::{IncidentError, Result, event};
use crate::Store;
use crate::audit::{self, Actor};
use serde_json::json;

/// What a change of the team did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TeamChange {
    pub owner_changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Store {
    /// Sets the incident's owner and team (the owner is always on it); the caller checked that
    /// every person may serve on it.
    pub async fn change_incident_team(
        &self,
        actor: &Actor,
        id: &str,
        owner_id: &str,
        members: &[String],
    ) -> Result<TeamChange> {
        let mut team = members.to_vec();
        team.push(owner_id.to_owned());
        team.sort();
        team.dedup();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let old_owner: String = sqlx::query_scalar("SELECT owner_id FROM incidents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(IncidentError::NotFound)?;
        let old: Vec<String> = sqlx::query_scalar("SELECT user_id FROM incident_team WHERE incident_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let change = TeamChange {
            owner_changed: old_owner != owner_id,
            added: team.iter().filter(|u| !old.contains(u)).cloned().collect(),
            removed: old.iter().filter(|u| !team.contains(u)).cloned().collect(),
        };
        sqlx::query("UPDATE incidents SET owner_id = $1, updated_at = $2 WHERE id = $3")
            .bind(owner_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for user in &change.removed {
            sqlx::query("DELETE FROM incident_team WHERE incident_id = $1 AND user_id = $2")
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        for user in &change.added {
            sqlx::query("INSERT INTO incident_team (incident_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        let detail = json!({
            "owner": owner_id,
            "previous_owner": old_owner,
            "added": change.added,
            "removed": change.removed,
        });
        audit::append(&mut tx, actor, event("incident.team", id).detail(detail)).await?;
        tx.commit().await?;
        Ok(change)
    }
}
