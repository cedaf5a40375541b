//! A change of a case's status by a domain action: the domain's state machine applied inside the
//! transaction, with the history entry, the audit entry and the outbox row.

use super::{CaseRecord, add_event};
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, flag};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{Action, CaseKind, Status, workflow};

/// A change of status by a domain action: the store applies the domain's state machine
/// (`workflow::apply`) to the case's kind inside the transaction, and records the action under
/// its audit code.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub case_id: &'a str,
    /// The status the caller saw; if it changed meanwhile, nothing is written (409).
    pub from: Status,
    pub action: &'a Action,
    /// Shown on the case's history (already masked).
    pub note: String,
    /// Shown on the public tracking page as well.
    pub public: bool,
    /// `Some(x)` sets the assigned officer (`None` inside clears it).
    pub assign: Option<Option<&'a str>>,
    /// Moves the case to another bureau (移送).
    pub org: Option<&'a str>,
    /// How the case ended, when this transition ends it (what the insights count).
    pub finish: Option<Finish>,
}

/// How a case ended: in time or not, the mediation's result, the money recovered for the
/// consumer. Recorded once, on the transition that ends the case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Finish {
    pub on_time: bool,
    /// `Some(true)` 调解成功, `Some(false)` 调解不成 or 终止调解; `None` without mediation.
    pub mediation: Option<bool>,
    pub recovered_cents: Option<i64>,
}

impl Store {
    /// Applies a transition with its history entry and audit entry, in one transaction.
    pub async fn transition(&self, actor: &Actor, t: Transition<'_>) -> Result<CaseRecord> {
        let mut tx = self.begin().await?;
        let case_id = t.case_id;
        transition_in(&mut tx, actor, t).await?;
        tx.commit().await?;
        self.case(case_id).await
    }
}

/// A transition inside the caller's transaction (the status checked and changed, the history
/// and audit entries written); returns the new status. Nothing is committed here.
pub(crate) async fn transition_in(tx: &mut crate::Tx, actor: &Actor, t: Transition<'_>) -> Result<Status> {
    let kind: Option<(String,)> =
        sqlx::query_as("SELECT kind FROM cases WHERE id = $1").bind(t.case_id).fetch_optional(&mut **tx).await?;
    let Some((kind,)) = kind else {
        return Err(StoreError::NotFound);
    };
    let kind = CaseKind::parse(&kind).ok_or_else(|| crate::rows::bad("kind", &kind))?;
    let Ok(to) = workflow::apply(kind, t.from, t.action) else {
        return Err(StoreError::from(crate::conflict::CaseConflict::NotAllowed));
    };
    let code = t.action.kind().audit_code();
    let done = sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.code())
        .bind(tx.now_ms())
        .bind(t.case_id)
        .bind(t.from.code())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        // The case exists (its kind was read above): someone else changed its status first.
        return Err(StoreError::from(crate::conflict::CaseConflict::ChangedMeanwhile));
    }
    if let Some(assignee) = t.assign {
        sqlx::query("UPDATE cases SET assigned_to = $1 WHERE id = $2")
            .bind(assignee)
            .bind(t.case_id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(org) = t.org {
        sqlx::query("UPDATE cases SET org_id = $1, assigned_to = NULL WHERE id = $2")
            .bind(org)
            .bind(t.case_id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(f) = t.finish {
        sqlx::query(
            "UPDATE cases SET closed_at = $1, closed_on_time = $2, mediation_success = $3, recovered_cents = $4 \
             WHERE id = $5 AND closed_at IS NULL",
        )
        .bind(tx.now_ms())
        .bind(flag(f.on_time))
        .bind(f.mediation.map(flag))
        .bind(f.recovered_cents)
        .bind(t.case_id)
        .execute(&mut **tx)
        .await?;
    }
    add_event(tx, t.case_id, &actor.id, code, Some(t.from), Some(to), &t.note, t.public).await?;
    let detail = json!({"from": t.from.code(), "to": to.code(), "assign": t.assign.flatten(), "org": t.org});
    audit::append(tx, actor, Event::new(code, format!("case:{}", t.case_id), Outcome::Success).detail(detail)).await?;
    crate::outbox::record(tx, "case", t.case_id).await?;
    Ok(to)
}
