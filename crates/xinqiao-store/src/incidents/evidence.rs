//! Evidence of an incident: the original photo sealed in blobs (staff only) and, once an officer
//! boxed what must not be seen, the published copy (made by the caller from the pixels alone)
//! stored apart. The public side reads only the published copy's blob.

use super::{IncidentError, Result, event};
use crate::audit::{self, Actor};
use crate::{Store, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A sealed file to keep: the SHA-256 of its bytes, its media type and its sealed bytes.
#[derive(Debug, Clone)]
pub struct SealedFile {
    pub sha256: String,
    pub media: String,
    pub size: i64,
    pub sealed: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: String,
    pub incident_id: String,
    pub caption: String,
    pub original_sha256: String,
    pub width: u32,
    pub height: u32,
    pub added_by: String,
    pub added_at: i64,
    /// The boxes of the published copy as stored (JSON), when published.
    pub boxes: Option<String>,
    pub published_sha256: Option<String>,
    pub published_at: Option<i64>,
}

const COLUMNS: &str = "id, incident_id, caption, original_sha256, width, height, added_by, added_at, boxes, \
                       published_sha256, published_at";

fn read(row: &AnyRow) -> Result<Evidence> {
    let side = |column: &'static str| -> Result<u32> {
        let v: i64 = row.try_get(column)?;
        u32::try_from(v).map_err(|_| IncidentError::BadRow { table: "incident_evidence", column })
    };
    Ok(Evidence {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        caption: row.try_get("caption")?,
        original_sha256: row.try_get("original_sha256")?,
        width: side("width")?,
        height: side("height")?,
        added_by: row.try_get("added_by")?,
        added_at: row.try_get("added_at")?,
        boxes: row.try_get("boxes")?,
        published_sha256: row.try_get("published_sha256")?,
        published_at: row.try_get("published_at")?,
    })
}

async fn put_blob(conn: &mut sqlx::AnyConnection, file: &SealedFile) -> Result<()> {
    sqlx::query(
        "INSERT INTO blobs (sha256, media, size, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&file.sha256)
    .bind(&file.media)
    .bind(file.size)
    .bind(&file.sealed)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn sealed_blob(store: &Store, sha256: &str) -> Result<(String, Vec<u8>)> {
    let row = sqlx::query("SELECT media, sealed FROM blobs WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(&store.pool)
        .await?
        .ok_or(IncidentError::NotFound)?;
    Ok((row.try_get("media")?, row.try_get("sealed")?))
}

impl Store {
    /// Keeps an original photo of the incident, sealed; `width`×`height` as shown.
    pub async fn add_incident_evidence(
        &self,
        actor: &Actor,
        id: &str,
        caption: &str,
        original: &SealedFile,
        (width, height): (u32, u32),
    ) -> Result<String> {
        let evidence_id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        put_blob(&mut tx, original).await?;
        sqlx::query(
            "INSERT INTO incident_evidence (id, incident_id, caption, original_sha256, width, height, added_by, \
             added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&evidence_id)
        .bind(id)
        .bind(caption)
        .bind(&original.sha256)
        .bind(i64::from(width))
        .bind(i64::from(height))
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.evidence", id).detail(json!({ "evidence": evidence_id })))
            .await?;
        tx.commit().await?;
        Ok(evidence_id)
    }

    /// Publishes (or replaces) the redacted copy of a piece of evidence, with the boxes that made it.
    pub async fn publish_incident_evidence(
        &self,
        actor: &Actor,
        id: &str,
        evidence: &str,
        boxes_json: &str,
        copy: &SealedFile,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        put_blob(&mut tx, copy).await?;
        let done = sqlx::query(
            "UPDATE incident_evidence SET boxes = $1, published_sha256 = $2, published_by = $3, published_at = $4 \
             WHERE id = $5 AND incident_id = $6",
        )
        .bind(boxes_json)
        .bind(&copy.sha256)
        .bind(&actor.id)
        .bind(now)
        .bind(evidence)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::NotFound);
        }
        let boxes = serde_json::from_str::<Vec<serde_json::Value>>(boxes_json).map_or(0, |b| b.len());
        let e = event("incident.evidence_publish", id).detail(json!({ "evidence": evidence, "boxes": boxes }));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The incident's evidence, oldest first.
    pub async fn incident_evidence(&self, id: &str) -> Result<Vec<Evidence>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM incident_evidence WHERE incident_id = $1 ORDER BY added_at, id"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read).collect()
    }

    pub async fn incident_evidence_item(&self, id: &str, evidence: &str) -> Result<Evidence> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM incident_evidence WHERE id = $1 AND incident_id = $2"
        )))
        .bind(evidence)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(IncidentError::NotFound)?;
        read(&row)
    }

    /// The sealed original (media type and sealed bytes), for staff.
    pub async fn incident_evidence_original(&self, id: &str, evidence: &str) -> Result<(String, Vec<u8>)> {
        let item = self.incident_evidence_item(id, evidence).await?;
        sealed_blob(self, &item.original_sha256).await
    }

    /// The sealed published copy; not found while the evidence is not published. This is the only
    /// read the public side has.
    pub async fn incident_evidence_published(&self, id: &str, evidence: &str) -> Result<(String, Vec<u8>)> {
        let item = self.incident_evidence_item(id, evidence).await?;
        let sha = item.published_sha256.ok_or(IncidentError::NotFound)?;
        sealed_blob(self, &sha).await
    }
}
