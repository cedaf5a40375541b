//! The second line of defence on a case's narrative: its masked spans (kinds and offsets only),
//! its public form, an officer's changes to them, and the confirmation after which the
//! enterprise may see the complaint. Masking is made by the caller (it holds the detector and the
//! keys); the store keeps it with an audit entry that never carries the text.

use super::add_event;
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError};
use serde_json::json;
use xinqiao_domain::audit::Outcome;

/// A narrative's privacy as the caller made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativePrivacy {
    /// The masked spans as JSON (kinds and character offsets, never their text).
    pub spans: String,
    /// The narrative for public output: every span dropped whole.
    pub public: String,
}

/// A demand's (诉求) privacy as the caller made it: the original sealed under the key ring and
/// its masked spans (JSON: kinds and character offsets, never their text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandPrivacy {
    pub sealed: String,
    pub spans: String,
}

/// What the review of a case's narrative starts from.
#[derive(Debug, Clone)]
pub struct PrivacyState {
    pub narrative_sealed: String,
    /// `None` for a case from before spans were kept.
    pub spans: Option<String>,
    pub public: Option<String>,
    pub confirmed_at: Option<i64>,
    /// Who confirmed; empty for a complaint from before the review existed.
    pub confirmed_by: Option<String>,
    /// The demand's sealed original and spans; `None` for a case from before they were kept.
    pub demand: Option<DemandPrivacy>,
}

impl Store {
    /// The review state of a case's narrative.
    pub async fn case_privacy(&self, case_id: &str) -> Result<PrivacyState> {
        type Row =
            (String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>, Option<String>);
        let row: Option<Row> = crate::rows::one(
            sqlx::query(
                "SELECT narrative_sealed, privacy_spans, narrative_public, privacy_confirmed_at, privacy_confirmed_by, \
                 demand_sealed, demand_spans FROM cases WHERE id = $1",
            )
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?,
            [
                "narrative_sealed",
                "privacy_spans",
                "narrative_public",
                "privacy_confirmed_at",
                "privacy_confirmed_by",
                "demand_sealed",
                "demand_spans",
            ],
        )?;
        let (narrative_sealed, spans, public, confirmed_at, confirmed_by, demand_sealed, demand_spans) =
            row.ok_or(StoreError::NotFound)?;
        let demand = demand_sealed.zip(demand_spans).map(|(sealed, spans)| DemandPrivacy { sealed, spans });
        Ok(PrivacyState { narrative_sealed, spans, public, confirmed_at, confirmed_by, demand })
    }

    /// An officer's change to what is masked (`what`: `mask` or `restore`): the new masked text
    /// and spans, one transaction with a history entry, an audit entry (`detail` holds offsets
    /// and kinds, never text) and a change-log row (the index follows the masked text).
    pub async fn revise_masking(
        &self,
        actor: &Actor,
        case_id: &str,
        masked: &str,
        privacy: &NarrativePrivacy,
        what: &'static str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE cases SET narrative_masked = $1, privacy_spans = $2, narrative_public = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(masked)
        .bind(&privacy.spans)
        .bind(&privacy.public)
        .bind(tx.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let note = if what == "restore" {
            "脱敏复核：恢复显示一处。"
        } else {
            "脱敏复核：另隐去一处。"
        };
        add_event(&mut tx, case_id, &actor.id, "case.privacy.revise", None, None, note, false).await?;
        let event = Event::new("case.privacy.revise", format!("case:{case_id}"), Outcome::Success)
            .detail(json!({"change": what, "span": detail}));
        audit::append(&mut tx, actor, event).await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        tx.commit().await
    }

    /// An officer hides more of a complaint's demand (诉求), which the enterprise sees beside the
    /// narrative: the new masked demand, one transaction with a history entry, an audit entry
    /// (`detail` holds offsets or a count, never text) and a change-log row.
    pub async fn revise_demand_masking(
        &self,
        actor: &Actor,
        case_id: &str,
        demand_masked: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.revise_demand(actor, case_id, demand_masked, None, "mask", detail).await
    }

    /// An officer's change to what is masked in a complaint's demand (`what`: `mask` or
    /// `restore`): the new masked demand and, for a demand kept with its spans, the new spans
    /// (JSON, offsets and kinds only); one transaction with a history entry, an audit entry
    /// (`detail` holds offsets, kinds or a count, never text) and a change-log row.
    pub async fn revise_demand(
        &self,
        actor: &Actor,
        case_id: &str,
        demand_masked: &str,
        spans: Option<&str>,
        what: &'static str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE cases SET demand_masked = $1, demand_spans = COALESCE($2, demand_spans), updated_at = $3 \
             WHERE id = $4",
        )
        .bind(demand_masked)
        .bind(spans)
        .bind(tx.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let note = if what == "restore" {
            "脱敏复核：在诉求中恢复显示一处。"
        } else {
            "脱敏复核：在诉求中另隐去一处。"
        };
        add_event(&mut tx, case_id, &actor.id, "case.privacy.revise", None, None, note, false).await?;
        let event = Event::new("case.privacy.revise", format!("case:{case_id}"), Outcome::Success)
            .detail(json!({"change": what, "part": "demand", "span": detail}));
        audit::append(&mut tx, actor, event).await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        tx.commit().await
    }

    /// The officer confirms that the masked narrative may go to the enterprise. 409 when it was
    /// confirmed already.
    pub async fn confirm_masking(&self, actor: &Actor, case_id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "UPDATE cases SET privacy_confirmed_at = $1, privacy_confirmed_by = $2, updated_at = $1 \
             WHERE id = $3 AND privacy_confirmed_at IS NULL",
        )
        .bind(now)
        .bind(&actor.id)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(match self.case(case_id).await {
                Ok(_) => StoreError::from(crate::conflict::CaseConflict::MaskingConfirmed),
                Err(e) => e,
            });
        }
        let note = "脱敏复核完成，企业可查看本投诉（已遮蔽个人信息）。";
        add_event(&mut tx, case_id, &actor.id, "case.privacy.confirm", None, None, note, false).await?;
        audit::append(&mut tx, actor, Event::new("case.privacy.confirm", format!("case:{case_id}"), Outcome::Success))
            .await?;
        tx.commit().await
    }

    /// Up to `limit` cases after id `after` without a public narrative yet (from before it was
    /// kept): (id, masked narrative).
    pub async fn narratives_without_public(&self, after: &str, limit: i64) -> Result<Vec<(String, String)>> {
        crate::rows::all(sqlx::query(
            "SELECT id, narrative_masked FROM cases WHERE narrative_public IS NULL AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?, ["id", "narrative_masked"])
    }

    /// Keeps the public narratives made for older cases, (id, public text), in one transaction;
    /// a case that has one meanwhile keeps it.
    pub async fn keep_narrative_publics(&self, publics: &[(String, String)]) -> Result<()> {
        if publics.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (id, public) in publics {
            sqlx::query("UPDATE cases SET narrative_public = $1 WHERE id = $2 AND narrative_public IS NULL")
                .bind(public)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}
