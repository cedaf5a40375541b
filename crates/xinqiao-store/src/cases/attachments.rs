//! Attachments of cases: each file stored once under the SHA-256 of its cleaned bytes (sealed by
//! the caller under the data key), linked to the cases that carry it. Reading one back is an
//! audit entry, like any look at what a complainant sent.

use super::add_event;
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use sqlx::AnyConnection;
use xinqiao_domain::audit::Outcome;

/// At most this many files on one case, whatever the number of supplements.
pub const MAX_PER_CASE: i64 = 20;

/// When a file came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentSource {
    Intake,
    Supplement,
}

impl AttachmentSource {
    pub fn code(self) -> &'static str {
        match self {
            AttachmentSource::Intake => "intake",
            AttachmentSource::Supplement => "supplement",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "intake" => Some(AttachmentSource::Intake),
            "supplement" => Some(AttachmentSource::Supplement),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AttachmentSource::Intake => "提交时",
            AttachmentSource::Supplement => "补充材料",
        }
    }
}

/// A file to store: cleaned, hashed and sealed by the caller.
#[derive(Clone)]
pub struct NewAttachment {
    pub sha256: String,
    /// `jpeg`, `png`, `gif`, `webp` or `pdf`.
    pub media: String,
    pub size: i64,
    pub sealed: Vec<u8>,
    /// The name shown to staff: masked, never the original.
    pub name: String,
    /// The original name, sealed like the bytes.
    pub name_sealed: String,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewAttachment({}, {}, {} bytes)", self.sha256, self.media, self.size)
    }
}

/// A stored file on a case (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub case_id: String,
    pub sha256: String,
    pub media: String,
    pub size: i64,
    pub name: String,
    pub source: AttachmentSource,
    pub added_at: i64,
}

fn attachment_from(row: &sqlx::any::AnyRow) -> Result<Attachment> {
    use sqlx::Row;
    Ok(Attachment {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        sha256: row.try_get("sha256")?,
        media: row.try_get("media")?,
        size: row.try_get("size")?,
        name: row.try_get("name")?,
        source: crate::rows::parsed(row, "source", AttachmentSource::parse)?,
        added_at: row.try_get("added_at")?,
    })
}

const COLUMNS: &str = "a.id AS id, a.case_id AS case_id, a.sha256 AS sha256, b.media AS media, b.size AS size, \
    a.name AS name, a.source AS source, a.added_at AS added_at";

/// Stores `files` on `case_id` inside the caller's transaction. 409 when the case would carry
/// more than `MAX_PER_CASE`.
pub(super) async fn attach(
    conn: &mut AnyConnection,
    case_id: &str,
    source: AttachmentSource,
    files: &[NewAttachment],
    now: i64,
) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_attachments WHERE case_id = $1")
        .bind(case_id)
        .fetch_one(&mut *conn)
        .await?;
    if count + files.len() as i64 > MAX_PER_CASE {
        return Err(StoreError::from(crate::conflict::CaseConflict::TooManyFiles));
    }
    for f in files {
        sqlx::query(
            "INSERT INTO blobs (sha256, media, size, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&f.sha256)
        .bind(&f.media)
        .bind(f.size)
        .bind(&f.sealed)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO case_attachments (id, case_id, sha256, name, name_sealed, source, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(case_id)
        .bind(&f.sha256)
        .bind(&f.name)
        .bind(&f.name_sealed)
        .bind(source.code())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A file name kept in clear from before names were sealed: (attachment id, blob hash, name).
pub type UnsealedName = (String, String, String);

impl Store {
    /// Up to `limit` attachments whose original name is still kept in clear (from before names
    /// were sealed), after attachment id `after`.
    pub async fn unsealed_attachment_names(&self, after: &str, limit: i64) -> Result<Vec<UnsealedName>> {
        let rows = sqlx::query(
            "SELECT id, sha256, name FROM case_attachments WHERE name_sealed IS NULL AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?;
        crate::rows::all(rows, ["id", "sha256", "name"])
    }

    /// Replaces clear names by (attachment id, masked name, sealed original), in one transaction
    /// with an audit entry that counts them (never a name); returns how many were replaced.
    pub async fn seal_attachment_names(&self, actor: &Actor, names: &[(String, String, String)]) -> Result<u64> {
        if names.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut done = 0;
        for (id, masked, sealed) in names {
            done += sqlx::query(
                "UPDATE case_attachments SET name = $1, name_sealed = $2 WHERE id = $3 AND name_sealed IS NULL",
            )
            .bind(masked)
            .bind(sealed)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        let event =
            Event::new("case.attachment.names_sealed", "attachments", Outcome::Success).detail(json!({"names": done}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// A case's files, oldest first.
    pub async fn attachments(&self, case_id: &str) -> Result<Vec<Attachment>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM case_attachments a JOIN blobs b ON b.sha256 = a.sha256 \
             WHERE a.case_id = $1 ORDER BY a.added_at, a.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_all(&self.pool).await?;
        rows.iter().map(attachment_from).collect()
    }

    /// One file of a case with its sealed bytes; the read is an audit entry in the same
    /// transaction. 404 when the file is not on that case.
    pub async fn read_attachment(
        &self,
        actor: &Actor,
        case_id: &str,
        attachment_id: &str,
    ) -> Result<(Attachment, Vec<u8>)> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "SELECT {COLUMNS}, b.sealed AS sealed FROM case_attachments a JOIN blobs b ON b.sha256 = a.sha256 \
             WHERE a.case_id = $1 AND a.id = $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(case_id)
            .bind(attachment_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        use sqlx::Row;
        let a = attachment_from(&row)?;
        let sealed: Vec<u8> = row.try_get("sealed")?;
        let event = Event::new("case.attachment.read", format!("case:{case_id}"), Outcome::Success)
            .detail(json!({"attachment": attachment_id}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok((a, sealed))
    }

    /// The complainant's supplement (补充材料): a note (already masked) and files, on a case that
    /// is still open; a clock paused for the supplement starts again `today`. One transaction.
    pub async fn supplement(
        &self,
        actor: &Actor,
        case_id: &str,
        note: &str,
        files: &[NewAttachment],
        today: i64,
    ) -> Result<()> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let touched = sqlx::query(
            "UPDATE cases SET updated_at = $1 WHERE id = $2 AND status NOT IN \
             ('rejected', 'closed', 'followed_up', 'informed', 'merged', 'replied', 'not_opened')",
        )
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if touched.rows_affected() == 0 {
            return Err(crate::conflict::CaseConflict::Closed.into());
        }
        attach(&mut tx, case_id, AttachmentSource::Supplement, files, now).await?;
        let resumed = sqlx::query(
            "UPDATE case_pauses SET to_day = $1 WHERE case_id = $2 AND to_day IS NULL AND reason = 'supplement'",
        )
        .bind(today)
        .bind(case_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        let mut shown = String::from("投诉人补充了材料");
        if !files.is_empty() {
            shown += &format!("（附件{}个）", files.len());
        }
        shown += "。";
        if !note.is_empty() {
            shown += note;
        }
        if resumed {
            shown += "期限恢复计算。";
        }
        add_event(&mut tx, case_id, &actor.id, "case.supplement", None, None, &shown, true).await?;
        let detail = json!({"files": files.len(), "resumed": resumed});
        let event = Event::new("case.supplement", format!("case:{case_id}"), Outcome::Success).detail(detail);
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }
}
