//! Intake in batches (group commit): many submissions in one transaction with multi-row
//! statements, each case with its sealed identity, first event, outbox row and audit entry.

use super::routing::routes;
use super::{NewCaseRow, SealedIdentity};
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, Tx, flag, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{CaseKind, Status};

/// One submission for `intake_many`: who sent it and its case(s) (a complaint and, when it also
/// reports a violation, the linked report).
#[derive(Debug, Clone)]
pub struct Submission {
    pub actor: Actor,
    pub cases: Vec<NewCaseRow>,
    /// For a request that came in through Open311: its key and location (kept with the first case).
    pub open311: Option<crate::open311::Origin>,
}

// Rows per multi-row INSERT. On SQLite the placeholders are anonymous (see `values_clause`), so
// binding costs the same per parameter whatever a statement's width, and a statement may carry a
// hundred cases (3,500 parameters, far below either database's limit).
const CASE_ROWS: usize = 100;
const IDENTITY_ROWS: usize = 200;
const EVENT_ROWS: usize = 200;

const INTAKE_NOTE: &str = "已收到您的诉求，等待受理。";
const SETTLING_NOTE: &str = "已收到您的投诉。被投诉企业已加入在线消费纠纷解决（ODR），先由企业与您协商和解；未达成和解的，转由市场监督管理部门处理。";

impl NewCaseRow {
    /// Where this case starts: 先行和解中 for a complaint about an enterprise in ODR.
    pub fn start(&self) -> Status {
        match (self.kind, self.settle_until) {
            (CaseKind::Complaint, Some(_)) => Status::Settling,
            _ => self.kind.initial(),
        }
    }
}

impl Store {
    /// Stores one submission; see `intake_many`. Returns the case ids in the order given.
    pub async fn intake(&self, actor: &Actor, cases: &[NewCaseRow]) -> Result<Vec<String>> {
        let sub = Submission { actor: actor.clone(), cases: cases.to_vec(), open311: None };
        Ok(self.intake_many(std::slice::from_ref(&sub)).await?.remove(0))
    }

    /// Stores a batch of submissions in one transaction (group commit): each case with its
    /// sealed identity, first event, outbox row and audit entry, linked cases pointing at each
    /// other. A handful of statements serve the whole batch. All or nothing.
    pub async fn intake_many(&self, subs: &[Submission]) -> Result<Vec<Vec<String>>> {
        let mut tx = self.begin().await?;
        let ids = intake_in(&mut tx, subs, &[]).await?;
        tx.commit().await?;
        Ok(ids)
    }
}

/// `intake_many` inside the caller's transaction. `endings` (aligned with `subs`, or empty) are
/// how imported cases ended: their first case is written with the final state at once, the row
/// [`outcomes_in`] would leave after intake (same transaction, same time), without a second
/// statement per case; the caller still records the outcome's audit entry ([`outcomes_in`] with
/// `already_written`; the intake's change-log row serves the outcome too).
pub(super) async fn intake_in(
    tx: &mut Tx,
    subs: &[Submission],
    endings: &[Option<super::Ending>],
) -> Result<Vec<Vec<String>>> {
    Ok(intake_routed(tx, subs, endings).await?.0)
}

/// [`intake_in`], also returning the office each of the batch's regions routed its cases to (the
/// `org_id` written into each case row).
pub(super) async fn intake_routed<'s>(
    tx: &mut Tx,
    subs: &'s [Submission],
    endings: &[Option<super::Ending>],
) -> Result<(Vec<Vec<String>>, std::collections::HashMap<&'s str, Option<String>>)> {
    let now = tx.now_ms();
    let mut regions: Vec<&str> = subs.iter().flat_map(|s| &s.cases).map(|c| c.region_code.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let routes = routes(tx, &regions).await?;
    let ids: Vec<Vec<String>> = subs.iter().map(|s| s.cases.iter().map(|_| new_id()).collect()).collect();
    // (case, its id, its linked case's id)
    // Sized at once (an import's batch is thousands of cases): grown from empty, a vector passes
    // through every size on the way, memory the allocator hands back and the kernel zeroes again.
    let cases = subs.iter().map(|s| s.cases.len()).sum();
    let mut all: Vec<(&NewCaseRow, &str, Option<&str>)> = Vec::with_capacity(cases);
    // How each case of `all` ended, if it did (only a submission's first case).
    let mut ends: Vec<Option<&super::Ending>> = Vec::with_capacity(cases);
    for (i, (s, ids)) in subs.iter().zip(&ids).enumerate() {
        for (k, c) in s.cases.iter().enumerate() {
            let linked = match (k, ids.len()) {
                (0, 2..) => Some(ids[1].as_str()),
                (1.., _) => Some(ids[0].as_str()),
                _ => None,
            };
            all.push((c, &ids[k], linked));
            ends.push(if k == 0 { endings.get(i).and_then(Option::as_ref) } else { None });
        }
    }
    for (chunk, ends) in all.chunks(CASE_ROWS).zip(ends.chunks(CASE_ROWS)) {
        let sql = format!(
            "INSERT INTO cases (id, tracking_code, access_key_hash, kind, status, org_id, region_code, industry, \
             enterprise_name, enterprise_uscc, narrative_masked, narrative_sealed, demand_masked, amount_cents, \
             event_day, consent_publish, anonymous, received_at, received_day, rule_set, linked_case_id, updated_at, \
             settle_until, category, subject, category_suggested, privacy_spans, narrative_public, demand_sealed, \
             demand_spans, closed_at, closed_on_time, mediation_success, rating, recovered_cents) VALUES {}",
            crate::values_clause(tx, chunk.len(), 35)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((c, id, linked), end) in chunk.iter().zip(ends) {
            q = q
                .bind(*id)
                .bind(&c.tracking_code)
                .bind(&c.access_key_hash)
                .bind(c.kind.code())
                .bind(end.map_or(c.start(), |e| e.status).code())
                .bind(routes.get(c.region_code.as_str()).cloned().flatten())
                .bind(&c.region_code)
                .bind(c.industry.map(String::from))
                .bind(&c.enterprise_name)
                .bind(&c.enterprise_uscc)
                .bind(&c.narrative_masked)
                .bind(&c.narrative_sealed)
                .bind(&c.demand_masked)
                .bind(c.amount_cents)
                .bind(c.event_day)
                .bind(flag(c.consent_publish))
                .bind(flag(c.identity.is_none()))
                .bind(now)
                .bind(c.received_day)
                .bind(&c.rule_set)
                .bind(*linked)
                .bind(now)
                .bind(c.settle_until.filter(|_| c.start() == Status::Settling))
                .bind(&c.category)
                .bind(&c.subject)
                .bind(&c.category)
                .bind(c.privacy.as_ref().map(|p| p.spans.clone()))
                .bind(c.privacy.as_ref().map(|p| p.public.clone()))
                .bind(c.demand_privacy.as_ref().map(|d| d.sealed.clone()))
                .bind(c.demand_privacy.as_ref().map(|d| d.spans.clone()))
                .bind(end.map(|e| e.closed_at_ms))
                .bind(end.map(|e| flag(e.on_time)))
                .bind(end.and_then(|e| e.mediation.map(flag)))
                .bind(end.and_then(|e| e.rating.map(i64::from)))
                .bind(end.and_then(|e| e.recovered_cents));
        }
        q.execute(&mut **tx).await?;
    }
    let with_identity: Vec<(&SealedIdentity, &str)> =
        all.iter().filter_map(|(c, id, _)| c.identity.as_ref().map(|i| (i, *id))).collect();
    for chunk in with_identity.chunks(IDENTITY_ROWS) {
        let sql = format!(
            "INSERT INTO case_identities (case_id, sealed, mobile_index, id_index) VALUES {}",
            crate::values_clause(tx, chunk.len(), 4)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (i, id) in chunk {
            q = q.bind(*id).bind(&i.sealed).bind(&i.mobile_index).bind(&i.id_index);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in all.chunks(EVENT_ROWS) {
        let sql = format!(
            "INSERT INTO case_events (id, case_id, at_ms, actor_id, action, from_status, to_status, note, public) VALUES {}",
            crate::values_clause(tx, chunk.len(), 9)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (c, id, _) in chunk {
            q = q
                .bind(new_id())
                .bind(*id)
                .bind(now)
                .bind("")
                .bind("case.intake")
                .bind(None::<String>)
                .bind(c.start().code())
                .bind(if c.start() == Status::Settling { SETTLING_NOTE } else { INTAKE_NOTE })
                .bind(1i64);
        }
        q.execute(&mut **tx).await?;
        let sql =
            format!("INSERT INTO outbox (topic, entity_id, at_ms) VALUES {}", crate::values_clause(tx, chunk.len(), 3));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (_, id, _) in chunk {
            q = q.bind("case").bind(*id).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    for (s, ids) in subs.iter().zip(&ids) {
        if let (Some(origin), Some(id)) = (&s.open311, ids.first()) {
            crate::open311::record_origin(tx, id, origin).await?;
        }
    }
    for (c, id, _) in &all {
        super::attachments::attach(tx, id, super::AttachmentSource::Intake, &c.attachments, now).await?;
    }
    // The bureau's clock stands still while the enterprise has the complaint first.
    let settling: Vec<(&NewCaseRow, &str)> =
        all.iter().filter(|(c, _, _)| c.start() == Status::Settling).map(|(c, id, _)| (*c, *id)).collect();
    for chunk in settling.chunks(100) {
        let sql = format!(
            "INSERT INTO case_pauses (id, case_id, reason, from_day) VALUES {}",
            crate::values_clause(tx, chunk.len(), 4)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (c, id) in chunk {
            q = q.bind(new_id()).bind(*id).bind("settlement").bind(c.received_day);
        }
        q.execute(&mut **tx).await?;
    }
    let mut entries = Vec::with_capacity(cases);
    for (s, ids) in subs.iter().zip(&ids) {
        for (c, id) in s.cases.iter().zip(ids) {
            let detail = json!({"kind": c.kind.code(), "anonymous": c.identity.is_none()});
            entries.push((&s.actor, Event::new("case.intake", format!("case:{id}"), Outcome::Success).detail(detail)));
        }
    }
    if !entries.is_empty() {
        audit::append_many(tx, entries).await?;
    }
    Ok((ids, routes))
}

/// How an imported case ended (a bureau's export or a generated data set records it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOutcome {
    pub case_id: String,
    /// The final status (closed, informed, replied).
    pub status: Status,
    pub closed_at_ms: i64,
    pub on_time: bool,
    pub mediation: Option<bool>,
    pub rating: Option<u8>,
    pub recovered_cents: Option<i64>,
}

impl Store {
    /// Records how imported cases ended, in one transaction with an audit entry and a change-log
    /// row each (so the roll-ups count them).
    pub async fn record_outcomes(&self, actor: &Actor, outcomes: &[CaseOutcome]) -> Result<()> {
        if outcomes.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        outcomes_in(&mut tx, actor, outcomes, false).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `record_outcomes` inside the caller's transaction; with `already_written` the cases already
/// hold their outcomes (written by [`intake_in`] in this transaction, with its change-log row)
/// and only the audit entries are added.
pub(super) async fn outcomes_in(
    tx: &mut Tx,
    actor: &Actor,
    outcomes: &[CaseOutcome],
    already_written: bool,
) -> Result<()> {
    let now = tx.now_ms();
    for o in outcomes.iter().filter(|_| !already_written) {
        sqlx::query(
            "UPDATE cases SET status = $1, closed_at = $2, closed_on_time = $3, mediation_success = $4, \
             rating = $5, recovered_cents = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(o.status.code())
        .bind(o.closed_at_ms)
        .bind(flag(o.on_time))
        .bind(o.mediation.map(flag))
        .bind(o.rating.map(i64::from))
        .bind(o.recovered_cents)
        .bind(now)
        .bind(&o.case_id)
        .execute(&mut **tx)
        .await?;
    }
    // Written with its row, an imported case's outcome needs no change-log row of its own: the
    // intake's, in the same transaction, already tells the followers, which read the case as it
    // now is (final state and all) and count or index it once however often it is named.
    for chunk in outcomes.chunks(100).filter(|_| !already_written) {
        let sql =
            format!("INSERT INTO outbox (topic, entity_id, at_ms) VALUES {}", crate::values_clause(tx, chunk.len(), 3));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for o in chunk {
            q = q.bind("case").bind(&o.case_id).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    let entries = outcomes
        .iter()
        .map(|o| {
            let detail = json!({"status": o.status.code(), "imported": true});
            (actor, Event::new("case.outcome", format!("case:{}", o.case_id), Outcome::Success).detail(detail))
        })
        .collect();
    audit::append_many(tx, entries).await?;
    Ok(())
}
