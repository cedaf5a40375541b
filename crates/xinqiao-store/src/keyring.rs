//! The key ring as the database knows it: which keys sealed its data, by id and fingerprint
//! (never a key), and the sealed values themselves, page by page, for a re-seal under a new key.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store};
use sqlx::Row;
use xinqiao_domain::audit::Outcome;

/// A key the database relies on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedKey {
    /// `data` (seals values) or `index` (keys the blind indexes).
    pub kind: String,
    pub id: String,
    pub fingerprint: String,
    pub created_at: i64,
    /// Set once a re-seal left nothing under this key: the secrets file may drop it.
    pub retired_at: Option<i64>,
}

/// Where sealed values live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedPlace {
    CaseNarrative,
    CaseDemand,
    CaseIdentity,
    TotpSecret,
    Dossier,
    Attachment,
    AttachmentName,
    ConfidentialFile,
}

impl SealedPlace {
    pub const ALL: [SealedPlace; 8] = [
        SealedPlace::CaseNarrative,
        SealedPlace::CaseDemand,
        SealedPlace::CaseIdentity,
        SealedPlace::TotpSecret,
        SealedPlace::Dossier,
        SealedPlace::Attachment,
        SealedPlace::AttachmentName,
        SealedPlace::ConfidentialFile,
    ];

    /// (row id, what the value's associated data is made from, sealed value), after a row id.
    fn select(self) -> &'static str {
        match self {
            SealedPlace::CaseNarrative => {
                "SELECT id AS row_id, tracking_code AS bound_to, narrative_sealed AS value FROM cases WHERE id > $1 ORDER BY id LIMIT $2"
            }
            SealedPlace::CaseDemand => {
                "SELECT id AS row_id, tracking_code AS bound_to, demand_sealed AS value FROM cases WHERE id > $1 AND demand_sealed IS NOT NULL \
                 ORDER BY id LIMIT $2"
            }
            SealedPlace::CaseIdentity => {
                "SELECT i.case_id AS row_id, c.tracking_code AS bound_to, i.sealed AS value FROM case_identities i JOIN cases c ON c.id = i.case_id \
                 WHERE i.case_id > $1 ORDER BY i.case_id LIMIT $2"
            }
            SealedPlace::TotpSecret => {
                "SELECT id AS row_id, id AS bound_to, totp_secret AS value FROM users WHERE id > $1 AND totp_secret IS NOT NULL ORDER BY id LIMIT $2"
            }
            SealedPlace::Dossier => {
                "SELECT id AS row_id, candidate_id AS bound_to, dossier_sealed AS value FROM qual_assessments WHERE id > $1 ORDER BY id LIMIT $2"
            }
            SealedPlace::Attachment => {
                "SELECT sha256 AS row_id, sha256 AS bound_to, sealed AS value FROM blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT $2"
            }
            SealedPlace::AttachmentName => {
                "SELECT id AS row_id, sha256 AS bound_to, name_sealed AS value FROM case_attachments WHERE id > $1 AND name_sealed IS NOT NULL \
                 ORDER BY id LIMIT $2"
            }
            SealedPlace::ConfidentialFile => {
                "SELECT id AS row_id, exchange_id AS bound_to, sealed AS value FROM confidential_files WHERE id > $1 AND sealed IS NOT NULL \
                 ORDER BY id LIMIT $2"
            }
        }
    }

    /// Replaces a value only if it is still the one read.
    fn update(self) -> &'static str {
        match self {
            SealedPlace::CaseNarrative => {
                "UPDATE cases SET narrative_sealed = $1 WHERE id = $2 AND narrative_sealed = $3"
            }
            SealedPlace::CaseDemand => "UPDATE cases SET demand_sealed = $1 WHERE id = $2 AND demand_sealed = $3",
            SealedPlace::CaseIdentity => "UPDATE case_identities SET sealed = $1 WHERE case_id = $2 AND sealed = $3",
            SealedPlace::TotpSecret => "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3",
            SealedPlace::Dossier => {
                "UPDATE qual_assessments SET dossier_sealed = $1 WHERE id = $2 AND dossier_sealed = $3"
            }
            SealedPlace::Attachment => "UPDATE blobs SET sealed = $1 WHERE sha256 = $2 AND sealed = $3",
            SealedPlace::AttachmentName => {
                "UPDATE case_attachments SET name_sealed = $1 WHERE id = $2 AND name_sealed = $3"
            }
            SealedPlace::ConfidentialFile => "UPDATE confidential_files SET sealed = $1 WHERE id = $2 AND sealed = $3",
        }
    }

    pub fn is_binary(self) -> bool {
        matches!(self, SealedPlace::Attachment | SealedPlace::ConfidentialFile)
    }

    pub fn code(self) -> &'static str {
        match self {
            SealedPlace::CaseNarrative => "case_narrative",
            SealedPlace::CaseDemand => "case_demand",
            SealedPlace::CaseIdentity => "case_identity",
            SealedPlace::TotpSecret => "totp_secret",
            SealedPlace::Dossier => "qualification_dossier",
            SealedPlace::Attachment => "attachment",
            SealedPlace::AttachmentName => "attachment_name",
            SealedPlace::ConfidentialFile => "confidential_file",
        }
    }
}

/// A sealed value as stored: text (`v1.<key id>.…`) or bytes (a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sealed {
    Text(String),
    Bytes(Vec<u8>),
}

/// One sealed value with what identifies it.
#[derive(Debug, Clone)]
pub struct SealedRow {
    pub row_id: String,
    /// What the value's associated data is made from (a tracking code, a user id, a hash).
    pub bound_to: String,
    pub value: Sealed,
}

impl Store {
    /// Every key the database has recorded.
    pub async fn recorded_keys(&self) -> Result<Vec<RecordedKey>> {
        let rows: Vec<(String, String, String, i64, Option<i64>)> = crate::rows::all(
            sqlx::query(
                "SELECT kind, id, fingerprint, created_at, retired_at FROM key_ring ORDER BY kind, created_at, id",
            )
            .fetch_all(&self.pool)
            .await?,
            ["kind", "id", "fingerprint", "created_at", "retired_at"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(kind, id, fingerprint, created_at, retired_at)| RecordedKey {
                kind,
                id,
                fingerprint,
                created_at,
                retired_at,
            })
            .collect())
    }

    /// Records keys not yet known (kind, id, fingerprint), with an audit entry when any was new.
    /// Returns how many were new. A key already recorded keeps its first fingerprint.
    pub async fn record_keys(&self, actor: &Actor, keys: &[(&str, &str, &str)]) -> Result<usize> {
        // Read first: a start with nothing new to record takes no write lock.
        let known = self.recorded_keys().await?;
        if keys.iter().all(|(kind, id, _)| known.iter().any(|k| k.kind == *kind && k.id == *id)) {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let mut added = Vec::new();
        for (kind, id, fingerprint) in keys {
            let done = sqlx::query(
                "INSERT INTO key_ring (kind, id, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, id) DO NOTHING",
            )
            .bind(*kind)
            .bind(*id)
            .bind(*fingerprint)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                added.push(serde_json::json!({"kind": kind, "id": id, "fingerprint": fingerprint}));
            }
        }
        if added.is_empty() {
            tx.rollback().await?;
            return Ok(0);
        }
        let n = added.len();
        let detail = serde_json::json!({ "keys": added });
        audit::append(&mut tx, actor, Event::new("keys.record", "keys", Outcome::Success).detail(detail)).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Marks data keys retired: nothing is sealed under them any more.
    pub async fn retire_keys(&self, actor: &Actor, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        for id in ids {
            sqlx::query("UPDATE key_ring SET retired_at = $1 WHERE kind = 'data' AND id = $2 AND retired_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({ "retired": ids });
        audit::append(&mut tx, actor, Event::new("keys.retire", "keys", Outcome::Success).detail(detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether anything sealed (or blind-indexed) is stored: then keys must never be made anew.
    pub async fn holds_sealed_data(&self) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1) a) \
             + (SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE totp_secret IS NOT NULL LIMIT 1) b) \
             + (SELECT COUNT(*) FROM (SELECT 1 FROM qual_assessments LIMIT 1) c) \
             + (SELECT COUNT(*) FROM (SELECT 1 FROM blobs LIMIT 1) d) \
             + (SELECT COUNT(*) FROM (SELECT 1 FROM confidential_files WHERE sealed IS NOT NULL LIMIT 1) e)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Up to `limit` sealed values of `place` after row id `after` (`""` to start).
    pub async fn sealed_page(&self, place: SealedPlace, after: &str, limit: i64) -> Result<Vec<SealedRow>> {
        let rows = sqlx::query(place.select()).bind(after).bind(limit.clamp(1, 10_000)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let value = if place.is_binary() {
                    Sealed::Bytes(r.try_get("value")?)
                } else {
                    Sealed::Text(r.try_get("value")?)
                };
                Ok(SealedRow { row_id: r.try_get("row_id")?, bound_to: r.try_get("bound_to")?, value })
            })
            .collect()
    }

    /// Replaces sealed values (row id, as read, new) in one transaction with an audit entry that
    /// counts them; a value changed meanwhile is left alone. Returns how many were replaced.
    pub async fn reseal(&self, actor: &Actor, place: SealedPlace, changes: &[(String, Sealed, Sealed)]) -> Result<u64> {
        if changes.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut done = 0;
        for (row_id, old, new) in changes {
            let q = sqlx::query(place.update());
            let q = match new {
                Sealed::Text(t) => q.bind(t.clone()),
                Sealed::Bytes(b) => q.bind(b.clone()),
            };
            let q = q.bind(row_id.clone());
            let q = match old {
                Sealed::Text(t) => q.bind(t.clone()),
                Sealed::Bytes(b) => q.bind(b.clone()),
            };
            done += q.execute(&mut *tx).await?.rows_affected();
        }
        let detail = serde_json::json!({ "place": place.code(), "values": done });
        audit::append(&mut tx, actor, Event::new("keys.reseal", "keys", Outcome::Success).detail(detail)).await?;
        tx.commit().await?;
        Ok(done)
    }
}
