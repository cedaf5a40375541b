//! 审核办结: an officer's closure waiting for a supervisor. The request keeps the closure's
//! result, recovered amount and masked note; approving closes the case with them (the status
//! change and the request's decision in one transaction), returning sends it back with a reason.

use super::{Transition, add_event, transition_in};
use crate::audit::{self, Actor, Event};
use crate::conflict::CaseConflict;
use crate::rows::parsed;
use crate::{Result, Store, StoreError, new_id};
use sqlx::Row;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{MediationResult, Status};

/// An officer's closure to put before a supervisor.
#[derive(Debug, Clone)]
pub struct NewClosureRequest<'a> {
    pub case_id: &'a str,
    /// The status the officer saw (调解中); if it changed meanwhile, nothing is written.
    pub from: Status,
    pub result: MediationResult,
    pub recovered_cents: Option<i64>,
    /// The officer's note, already masked; shown on the case's history when the closure is approved.
    pub note: String,
}

/// How a supervisor decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureDecision {
    Approved,
    Returned,
}

impl ClosureDecision {
    pub fn code(self) -> &'static str {
        match self {
            ClosureDecision::Approved => "approved",
            ClosureDecision::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [ClosureDecision::Approved, ClosureDecision::Returned].into_iter().find(|d| d.code() == code)
    }
}

/// A closure request, open or decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRequest {
    pub id: String,
    pub case_id: String,
    pub requested_by: String,
    pub requested_at: i64,
    pub result: MediationResult,
    pub recovered_cents: Option<i64>,
    pub note: String,
    /// `None` while it waits.
    pub decision: Option<ClosureDecision>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// Why it was returned (masked); empty otherwise.
    pub reason: String,
}

const COLUMNS: &str = "id, case_id, requested_by, requested_at, result, recovered_cents, note, decision, decided_by, \
                       decided_at, reason";

fn request_from(row: &sqlx::any::AnyRow) -> Result<ClosureRequest> {
    let decision: Option<String> = row.try_get("decision")?;
    Ok(ClosureRequest {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        requested_by: row.try_get("requested_by")?,
        requested_at: row.try_get("requested_at")?,
        result: parsed(row, "result", MediationResult::parse)?,
        recovered_cents: row.try_get("recovered_cents")?,
        note: row.try_get("note")?,
        decision: match decision {
            None => None,
            Some(d) => Some(ClosureDecision::parse(&d).ok_or_else(|| crate::rows::bad("decision", &d))?),
        },
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        reason: row.try_get("reason")?,
    })
}

impl Store {
    /// Records an officer's closure for review; the case stays in its status. Refused when a
    /// request is open already, or when the case's status is no longer `from`.
    pub async fn request_closure(&self, actor: &Actor, r: NewClosureRequest<'_>) -> Result<ClosureRequest> {
        let mut tx = self.begin().await?;
        let status: Option<(String,)> =
            sqlx::query_as("SELECT status FROM cases WHERE id = $1").bind(r.case_id).fetch_optional(&mut *tx).await?;
        let Some((status,)) = status else { return Err(StoreError::NotFound) };
        if status != r.from.code() {
            return Err(CaseConflict::ChangedMeanwhile.into());
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO case_closure_requests (id, case_id, requested_by, requested_at, result, recovered_cents, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(r.case_id)
        .bind(&actor.id)
        .bind(tx.now_ms())
        .bind(r.result.code())
        .bind(r.recovered_cents)
        .bind(&r.note)
        .execute(&mut *tx)
        .await?;
        let note = format!("承办人申请办结（{}），待主管审核。", r.result.label());
        add_event(&mut tx, r.case_id, &actor.id, "case.close_request", None, None, &note, false).await?;
        let event = Event::new("case.close_request", format!("case:{}", r.case_id), Outcome::Success)
            .detail(serde_json::json!({"request": id, "result": r.result.code()}));
        audit::append(&mut tx, actor, event).await?;
        crate::outbox::record(&mut tx, "case", r.case_id).await?;
        tx.commit().await?;
        self.closure_request(&id).await
    }

    pub async fn closure_request(&self, id: &str) -> Result<ClosureRequest> {
        let sql = format!("SELECT {COLUMNS} FROM case_closure_requests WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from).transpose()?.ok_or(StoreError::NotFound)
    }

    /// The case's newest closure request, open or decided.
    pub async fn latest_closure_request(&self, case_id: &str) -> Result<Option<ClosureRequest>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM case_closure_requests WHERE case_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(request_from).transpose()
    }

    /// The ids of the cases whose closure waits for review (the caller keeps those in its scope).
    pub async fn cases_with_pending_closure(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT case_id FROM case_closure_requests WHERE decided_at IS NULL ORDER BY case_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    /// A supervisor approves the open request: the case is closed by `t` (its action the
    /// request's 办结) and the request marked approved, in one transaction.
    pub async fn approve_closure(&self, actor: &Actor, request_id: &str, t: Transition<'_>) -> Result<()> {
        let mut tx = self.begin().await?;
        decide(&mut tx, request_id, &actor.id, ClosureDecision::Approved, "").await?;
        transition_in(&mut tx, actor, t.clone()).await?;
        let event = Event::new("case.close_approve", format!("case:{}", t.case_id), Outcome::Success)
            .detail(serde_json::json!({"request": request_id}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    /// A supervisor returns the open request to the officer with a reason (already masked); the
    /// case stays where it is.
    pub async fn return_closure(&self, actor: &Actor, request_id: &str, case_id: &str, reason: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        decide(&mut tx, request_id, &actor.id, ClosureDecision::Returned, reason).await?;
        let note = format!("主管退回办结申请：{reason}");
        add_event(&mut tx, case_id, &actor.id, "case.close_return", None, None, &note, false).await?;
        let event = Event::new("case.close_return", format!("case:{case_id}"), Outcome::Success)
            .detail(serde_json::json!({"request": request_id}));
        audit::append(&mut tx, actor, event).await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        tx.commit().await
    }
}

/// Marks the open request decided; refused when it is no longer open.
async fn decide(tx: &mut crate::Tx, id: &str, by: &str, decision: ClosureDecision, reason: &str) -> Result<()> {
    let done = sqlx::query(
        "UPDATE case_closure_requests SET decision = $1, decided_by = $2, decided_at = $3, reason = $4 \
         WHERE id = $5 AND decided_at IS NULL",
    )
    .bind(decision.code())
    .bind(by)
    .bind(tx.now_ms())
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CaseConflict::NoPendingClosure.into());
    }
    Ok(())
}
