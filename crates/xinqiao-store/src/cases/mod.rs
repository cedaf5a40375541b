//! Cases: lookup by tracking code, lists, history, status transitions, notes, ratings, and the
//! identity read that staff must justify. Intake (in batches) is in `intake`, the deadline clock
//! in `clock`. The
//! store keeps what it is given: masking, sealing and blind indexes are made by the caller, which
//! holds the keys.

mod attachments;
mod clock;
mod closure;
mod import;
mod intake;
mod merge;
mod privacy;
mod routing;
mod settlement;
mod transition;

pub use attachments::UnsealedName;
pub use attachments::{Attachment, AttachmentSource, MAX_PER_CASE, NewAttachment};
use clock::close_pause;
pub use clock::{CaseClock, PauseReason};
pub use closure::{ClosureDecision, ClosureRequest, NewClosureRequest};
pub use import::{BatchChanges, Ending, ImportBatch, StoredBatch};
pub use intake::{CaseOutcome, Submission};
pub use privacy::{DemandPrivacy, NarrativePrivacy, PrivacyState};
pub use settlement::{OdrEnterprise, Proposal, ProposalStatus};
pub(crate) use transition::transition_in;
pub use transition::{Finish, Transition};

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, flag, new_id};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{CaseKind, Status};

/// One case to store, ready: masked texts, sealed originals, indexes, code and key hash.
#[derive(Debug, Clone)]
pub struct NewCaseRow {
    pub kind: CaseKind,
    pub tracking_code: String,
    pub access_key_hash: String,
    pub region_code: String,
    pub industry: Option<char>,
    pub enterprise_name: String,
    pub enterprise_uscc: Option<String>,
    pub narrative_masked: String,
    pub narrative_sealed: String,
    pub demand_masked: String,
    pub amount_cents: Option<i64>,
    pub event_day: Option<i64>,
    pub consent_publish: bool,
    pub received_day: i64,
    pub rule_set: Option<String>,
    /// A complaint about an enterprise in ODR starts in 先行和解 until this day (inclusive).
    pub settle_until: Option<i64>,
    /// The problem nature and the goods or service the platform suggests (taxonomy codes); an
    /// officer confirms or corrects them.
    pub category: Option<String>,
    pub subject: Option<String>,
    /// Files sent with it (cleaned, hashed and sealed).
    pub attachments: Vec<NewAttachment>,
    /// The narrative's masked spans and its public form, when the caller made them.
    pub privacy: Option<NarrativePrivacy>,
    /// The demand's sealed original and masked spans, when the caller made them (an officer can
    /// then restore a span of the demand, not only hide more).
    pub demand_privacy: Option<DemandPrivacy>,
    /// The sealed contact and its blind indexes; `None` for an anonymous report.
    pub identity: Option<SealedIdentity>,
}

#[derive(Clone)]
pub struct SealedIdentity {
    pub sealed: String,
    pub mobile_index: Option<String>,
    pub id_index: Option<String>,
}

impl std::fmt::Debug for SealedIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedIdentity(***)")
    }
}

/// A stored case, without its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: String,
    pub tracking_code: String,
    pub access_key_hash: String,
    pub kind: CaseKind,
    pub status: Status,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub region_code: String,
    pub industry: Option<String>,
    pub enterprise_name: String,
    pub enterprise_uscc: Option<String>,
    pub narrative_masked: String,
    pub demand_masked: String,
    pub amount_cents: Option<i64>,
    pub event_day: Option<i64>,
    pub consent_publish: bool,
    pub anonymous: bool,
    pub received_at: i64,
    pub received_day: i64,
    pub rule_set: Option<String>,
    pub assigned_to: Option<String>,
    pub linked_case_id: Option<String>,
    /// The complainant's rating after closing, 1–5.
    pub rating: Option<i64>,
    /// The last day of the 先行和解 window, for a complaint that started in it.
    pub settle_until: Option<i64>,
    /// The open report this repeated report was merged into.
    pub merged_into: Option<String>,
    /// The problem nature (taxonomy code): suggested at intake, confirmed by an officer.
    pub category: Option<String>,
    /// The goods or service concerned (taxonomy code).
    pub subject: Option<String>,
    /// What the platform suggested at intake, kept to measure its accuracy.
    pub category_suggested: Option<String>,
    pub category_confirmed: bool,
    /// When the case ended (closed, rejected, informed, replied), and whether within its limit.
    pub closed_at: Option<i64>,
    pub closed_on_time: Option<bool>,
    pub mediation_success: Option<bool>,
    pub recovered_cents: Option<i64>,
    /// When an officer confirmed that the masked narrative may go to the enterprise (see
    /// `privacy`); complaints from before the review count as confirmed.
    pub privacy_confirmed_at: Option<i64>,
}

/// One step in a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at_ms: i64,
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub note: String,
    pub public: bool,
}

/// at_ms, action, from_status, to_status, note, public.
type EventRow = (i64, String, Option<String>, Option<String>, String, i64);

/// What the search index holds of a case (see [`Store::case_texts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseText {
    pub id: String,
    pub narrative_masked: String,
    pub org_id: Option<String>,
    pub kind: CaseKind,
    pub received_at: i64,
}

const CASE_COLUMNS: &str = "c.id, c.tracking_code, c.access_key_hash, c.kind, c.status, c.org_id, o.name AS org_name, c.region_code, \
    c.industry, c.enterprise_name, c.enterprise_uscc, c.narrative_masked, c.demand_masked, c.amount_cents, c.event_day, \
    c.consent_publish, c.anonymous, c.received_at, c.received_day, c.rule_set, c.assigned_to, c.linked_case_id, c.rating, \
    c.settle_until, c.merged_into, c.category, c.subject, c.category_suggested, c.category_confirmed, c.closed_at, \
    c.closed_on_time, c.mediation_success, c.recovered_cents, c.privacy_confirmed_at";

fn record_from(row: &sqlx::any::AnyRow) -> Result<CaseRecord> {
    use sqlx::Row;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let corrupt = |what: &str| StoreError::Migration(format!("case row has an unknown {what}"));
    Ok(CaseRecord {
        id: row.try_get("id")?,
        tracking_code: row.try_get("tracking_code")?,
        access_key_hash: row.try_get("access_key_hash")?,
        kind: CaseKind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        org_id: row.try_get("org_id")?,
        org_name: row.try_get("org_name")?,
        region_code: row.try_get("region_code")?,
        industry: row.try_get("industry")?,
        enterprise_name: row.try_get("enterprise_name")?,
        enterprise_uscc: row.try_get("enterprise_uscc")?,
        narrative_masked: row.try_get("narrative_masked")?,
        demand_masked: row.try_get("demand_masked")?,
        amount_cents: row.try_get("amount_cents")?,
        event_day: row.try_get("event_day")?,
        consent_publish: row.try_get::<i64, _>("consent_publish")? != 0,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        received_at: row.try_get("received_at")?,
        received_day: row.try_get("received_day")?,
        rule_set: row.try_get("rule_set")?,
        assigned_to: row.try_get("assigned_to")?,
        linked_case_id: row.try_get("linked_case_id")?,
        rating: row.try_get("rating")?,
        settle_until: row.try_get("settle_until")?,
        merged_into: row.try_get("merged_into")?,
        category: row.try_get("category")?,
        subject: row.try_get("subject")?,
        category_suggested: row.try_get("category_suggested")?,
        category_confirmed: row.try_get::<i64, _>("category_confirmed")? != 0,
        closed_at: row.try_get("closed_at")?,
        closed_on_time: row.try_get::<Option<i64>, _>("closed_on_time")?.map(|v| v != 0),
        mediation_success: row.try_get::<Option<i64>, _>("mediation_success")?.map(|v| v != 0),
        recovered_cents: row.try_get("recovered_cents")?,
        privacy_confirmed_at: row.try_get("privacy_confirmed_at")?,
    })
}

/// A public or internal note on a case's history inside the caller's transaction (for other
/// modules: a linked Q&A entry).
pub(crate) async fn note_in(
    conn: &mut crate::Tx,
    case_id: &str,
    actor_id: &str,
    action: &str,
    note: &str,
    public: bool,
) -> Result<()> {
    add_event(conn, case_id, actor_id, action, None, None, note, public).await
}

#[allow(clippy::too_many_arguments)]
async fn add_event(
    tx: &mut crate::Tx,
    case_id: &str,
    actor_id: &str,
    action: &str,
    from: Option<Status>,
    to: Option<Status>,
    note: &str,
    public: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_events (id, case_id, at_ms, actor_id, action, from_status, to_status, note, public) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(case_id)
    .bind(tx.now_ms())
    .bind(actor_id)
    .bind(action)
    .bind(from.map(|s| s.code()))
    .bind(to.map(|s| s.code()))
    .bind(note)
    .bind(flag(public))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    pub async fn case(&self, id: &str) -> Result<CaseRecord> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id WHERE c.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        record_from(&row)
    }

    /// The cases with these ids (those that exist), in no particular order: one query per 50 ids.
    pub async fn cases_by_ids(&self, ids: &[String]) -> Result<Vec<CaseRecord>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(50) {
            let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id WHERE c.id IN ({list})"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            for row in q.fetch_all(&self.pool).await? {
                out.push(record_from(&row)?);
            }
        }
        Ok(out)
    }

    /// What the search index holds of these cases (id, masked narrative, bureau, kind, receipt),
    /// in any order, a missing id skipped: the few columns [`Store::cases_by_ids`] would read
    /// with all the others, for following the change log in bulk.
    pub async fn case_texts(&self, ids: &[String]) -> Result<Vec<CaseText>> {
        use sqlx::Row;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id, narrative_masked, org_id, kind, received_at FROM cases WHERE id IN ({})",
                crate::in_list(self.backend, chunk.len())
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id);
            }
            for row in q.fetch_all(&self.pool).await? {
                let kind: String = row.try_get("kind")?;
                out.push(CaseText {
                    id: row.try_get("id")?,
                    narrative_masked: row.try_get("narrative_masked")?,
                    org_id: row.try_get("org_id")?,
                    kind: CaseKind::parse(&kind)
                        .ok_or_else(|| StoreError::Migration("case row has an unknown kind".into()))?,
                    received_at: row.try_get("received_at")?,
                });
            }
        }
        Ok(out)
    }

    /// Every case in one of `statuses` (the cases whose clocks run, when a notice moves them).
    pub async fn cases_in_statuses(&self, statuses: &[Status]) -> Result<Vec<CaseRecord>> {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=statuses.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id WHERE c.status IN ({list})"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in statuses {
            q = q.bind(s.code());
        }
        q.fetch_all(&self.pool).await?.iter().map(record_from).collect()
    }

    pub async fn case_by_tracking_code(&self, code: &str) -> Result<CaseRecord> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id WHERE c.tracking_code = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        record_from(&row)
    }

    /// A case's history, oldest first; `public_only` for the tracking page.
    pub async fn case_events(&self, case_id: &str, public_only: bool) -> Result<Vec<CaseEvent>> {
        let rows: Vec<EventRow> = crate::rows::all(
            sqlx::query(
                "SELECT at_ms, action, from_status, to_status, note, public FROM case_events \
             WHERE case_id = $1 AND (public = 1 OR $2 = 0) ORDER BY at_ms, id",
            )
            .bind(case_id)
            .bind(flag(public_only))
            .fetch_all(&self.pool)
            .await?,
            ["at_ms", "action", "from_status", "to_status", "note", "public"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(at_ms, action, from, to, note, public)| CaseEvent {
                at_ms,
                action,
                from_status: from.as_deref().and_then(Status::parse),
                to_status: to.as_deref().and_then(Status::parse),
                note,
                public: public != 0,
            })
            .collect())
    }

    /// The sealed identity of a case, read for a stated purpose: the read is an audit entry in
    /// the same transaction, so no identity leaves the store unrecorded.
    pub async fn read_identity(&self, actor: &Actor, case_id: &str, purpose: &str) -> Result<Option<String>> {
        let purpose = purpose.trim();
        if purpose.chars().count() < 4 {
            return Err(
                xinqiao_domain::FieldError::new("purpose", "required", "查看联系方式须写明用途（至少4个字）").into()
            );
        }
        let mut tx = self.begin().await?;
        let mut event = Event::new("case.identity.read", format!("case:{case_id}"), Outcome::Success);
        event.purpose = purpose.chars().take(200).collect();
        audit::append(&mut tx, actor, event).await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT sealed FROM case_identities WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(row.map(|(s,)| s))
    }

    /// Cases from the same person (by the blind index of their mobile or ID number), newest first.
    pub async fn cases_by_index(&self, mobile_index: Option<&str>, id_index: Option<&str>) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT i.case_id FROM case_identities i JOIN cases c ON c.id = i.case_id \
             WHERE (i.mobile_index = $1 AND $1 IS NOT NULL) OR (i.id_index = $2 AND $2 IS NOT NULL) ORDER BY c.received_at DESC",
        )
        .bind(mobile_index)
        .bind(id_index)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Cases handled by any of these bureaus.
    pub org_ids: Vec<String>,
    /// Cases about this enterprise (统一社会信用代码), for the enterprise portal.
    pub uscc: Option<String>,
    pub kinds: Vec<CaseKind>,
    /// Only cases whose masked narrative an officer confirmed (what an enterprise may see).
    pub privacy_confirmed: bool,
    pub limit: i64,
}

impl Store {
    /// Cases matching `filter`, newest first.
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRecord>> {
        let mut w = crate::filter::Where::new();
        w.any_of("c.org_id", &filter.org_ids);
        if let Some(u) = &filter.uscc {
            w.eq("c.enterprise_uscc", u);
        }
        w.any_of("c.kind", filter.kinds.iter().map(|k| k.code()));
        if filter.privacy_confirmed {
            w.fixed("c.privacy_confirmed_at IS NOT NULL");
        }
        let limit = w.placeholder(filter.limit.clamp(1, 1000).into());
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id{} ORDER BY c.received_at DESC LIMIT {limit}",
            w.sql()
        );
        let q = w.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        q.fetch_all(&self.pool).await?.iter().map(record_from).collect()
    }

    /// Records the complainant's rating (1–5) of a closed case, once.
    pub async fn rate_case(&self, actor: &Actor, case_id: &str, rating: u8, comment: &str) -> Result<()> {
        if !(1..=5).contains(&rating) {
            return Err(xinqiao_domain::FieldError::new("rating", "range", "评分应为1至5").into());
        }
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE cases SET rating = $1, rating_comment = $2, updated_at = $3 \
             WHERE id = $4 AND rating IS NULL AND status IN ('closed', 'followed_up')",
        )
        .bind(i64::from(rating))
        .bind(comment)
        .bind(self.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::CaseConflict::AlreadyRated));
        }
        add_event(&mut tx, case_id, "", "case.rating", None, None, &format!("投诉人评价：{rating}分。{comment}"), true)
            .await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        audit::append(&mut tx, actor, Event::new("case.rating", format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A note on a case's history without a change of status (an enterprise's reply, an
    /// officer's work note); audited.
    pub async fn add_case_note(
        &self,
        actor: &Actor,
        case_id: &str,
        action: &'static str,
        note: &str,
        public: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let touched = sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
            .bind(self.now_ms())
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        if touched.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        add_event(&mut tx, case_id, &actor.id, action, None, None, note, public).await?;
        audit::append(&mut tx, actor, Event::new(action, format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(())
    }
}
