//! 先行和解 (ODR): the enterprises that settle with consumers first, their settlement proposals,
//! the complainant's answer, and complaints coming to the bureau when the settlement is declined,
//! its window has passed, or the bureau takes the case up early.

use super::{add_event, close_pause};
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{ActionKind, Status};

/// An enterprise in ODR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdrEnterprise {
    pub uscc: String,
    pub name: String,
    pub joined_at: i64,
}

/// What became of a settlement proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    Proposed,
    Accepted,
    Declined,
    /// Replaced by a newer proposal, or left open when the case moved on.
    Withdrawn,
}

impl ProposalStatus {
    pub fn code(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "proposed",
            ProposalStatus::Accepted => "accepted",
            ProposalStatus::Declined => "declined",
            ProposalStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "待投诉人答复",
            ProposalStatus::Accepted => "投诉人已接受",
            ProposalStatus::Declined => "投诉人未接受",
            ProposalStatus::Withdrawn => "已撤回",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Proposed, Self::Accepted, Self::Declined, Self::Withdrawn].into_iter().find(|s| s.code() == code)
    }
}

/// A settlement the enterprise proposed (its text already masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: String,
    pub case_id: String,
    pub text: String,
    pub proposed_at: i64,
    pub status: ProposalStatus,
}

impl Store {
    pub async fn odr_enterprises(&self) -> Result<Vec<OdrEnterprise>> {
        let rows = sqlx::query("SELECT uscc, name, joined_at FROM odr_enterprises ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let rows: Vec<(String, String, i64)> = crate::rows::all(rows, ["uscc", "name", "joined_at"])?;
        Ok(rows.into_iter().map(|(uscc, name, joined_at)| OdrEnterprise { uscc, name, joined_at }).collect())
    }

    pub async fn is_odr(&self, uscc: &str) -> Result<bool> {
        let row: Option<(String,)> = sqlx::query_as("SELECT uscc FROM odr_enterprises WHERE uscc = $1")
            .bind(uscc)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Adds an enterprise to ODR (a validated 统一社会信用代码); 409 when it is already in.
    pub async fn join_odr(&self, actor: &Actor, uscc: &str, name: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO odr_enterprises (uscc, name, joined_at) VALUES ($1, $2, $3)")
            .bind(uscc)
            .bind(name)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        let event =
            Event::new("odr.join", format!("enterprise:{uscc}"), Outcome::Success).detail(json!({"name": name}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    /// Takes an enterprise out of ODR. Complaints already in settlement keep their window.
    pub async fn leave_odr(&self, actor: &Actor, uscc: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("DELETE FROM odr_enterprises WHERE uscc = $1").bind(uscc).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(&mut tx, actor, Event::new("odr.leave", format!("enterprise:{uscc}"), Outcome::Success)).await?;
        tx.commit().await
    }

    /// A case's settlement proposals, oldest first.
    pub async fn proposals(&self, case_id: &str) -> Result<Vec<Proposal>> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT id, case_id, proposal, proposed_at, status FROM settlements WHERE case_id = $1 ORDER BY proposed_at, id",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Proposal {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    text: r.try_get("proposal")?,
                    proposed_at: r.try_get("proposed_at")?,
                    status: crate::rows::parsed(r, "status", ProposalStatus::parse)?,
                })
            })
            .collect()
    }

    /// The enterprise proposes a settlement (masked text) on a case in 先行和解 or mediation; an
    /// earlier open proposal is withdrawn. 409 when the case is in neither state.
    pub async fn propose_settlement(&self, actor: &Actor, case_id: &str, text: &str) -> Result<String> {
        let mut tx = self.begin().await?;
        let touched = sqlx::query(
            "UPDATE cases SET updated_at = $1 WHERE id = $2 AND kind = 'complaint' AND status IN ('settling', 'mediating')",
        )
        .bind(self.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if touched.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::CaseConflict::ChangedMeanwhile));
        }
        sqlx::query(
            "UPDATE settlements SET status = 'withdrawn', answered_at = $1 WHERE case_id = $2 AND status = 'proposed'",
        )
        .bind(self.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        let id = new_id();
        sqlx::query(
            "INSERT INTO settlements (id, case_id, proposal, proposed_by, proposed_at, status) \
             VALUES ($1, $2, $3, $4, $5, 'proposed')",
        )
        .bind(&id)
        .bind(case_id)
        .bind(text)
        .bind(&actor.id)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        add_event(
            &mut tx,
            case_id,
            &actor.id,
            "settlement.propose",
            None,
            None,
            &format!("企业提出和解方案：{text}"),
            true,
        )
        .await?;
        audit::append(&mut tx, actor, Event::new("settlement.propose", format!("case:{case_id}"), Outcome::Success))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The complainant answers the open proposal. Accepting closes the case (settled); declining
    /// a 先行和解 brings it to the bureau. Returns the case's status afterwards. 409 when there is
    /// no open proposal or the case moved on.
    pub async fn answer_settlement(&self, actor: &Actor, case_id: &str, accept: bool, today: i64) -> Result<Status> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT s.id AS proposal_id, c.status AS case_status FROM settlements s JOIN cases c ON c.id = s.case_id \
             WHERE s.case_id = $1 AND s.status = 'proposed' AND c.status IN ('settling', 'mediating')",
        )
        .bind(case_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Err(StoreError::from(crate::conflict::CaseConflict::NoOpenProposal)) };
        let proposal: String = sqlx::Row::try_get(&row, "proposal_id")?;
        let from = crate::rows::parsed(&row, "case_status", Status::parse)?;
        sqlx::query("UPDATE settlements SET status = $1, answered_at = $2 WHERE id = $3")
            .bind(if accept { "accepted" } else { "declined" })
            .bind(self.now_ms())
            .bind(&proposal)
            .execute(&mut *tx)
            .await?;
        let (to, action, note) = match (accept, from) {
            (true, Status::Settling) => (
                Status::Closed,
                ActionKind::AcceptSettlement.audit_code(),
                "投诉人接受和解方案，先行和解成功，已办结。",
            ),
            (true, _) => {
                (Status::Closed, ActionKind::AcceptSettlement.audit_code(), "投诉人接受和解方案，调解成功，已办结。")
            }
            (false, Status::Settling) => {
                (Status::AwaitingAcceptance, "settlement.decline", "投诉人未接受和解方案，转由市场监督管理部门处理。")
            }
            (false, _) => (from, "settlement.decline", "投诉人未接受和解方案，调解继续。"),
        };
        if to != from {
            sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(to.code())
                .bind(self.now_ms())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            if accept {
                // Settled by agreement: within its window, and a successful mediation for the
                // statistics (先行和解 or during mediation).
                sqlx::query(
                    "UPDATE cases SET closed_at = $1, closed_on_time = 1, mediation_success = 1 \
                     WHERE id = $2 AND closed_at IS NULL",
                )
                .bind(self.now_ms())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
            }
            crate::outbox::record(&mut tx, "case", case_id).await?;
        }
        if from == Status::Settling {
            close_pause(&mut tx, case_id, today).await?;
        }
        let shown_to = (to != from).then_some(to);
        add_event(&mut tx, case_id, &actor.id, action, Some(from), shown_to, note, true).await?;
        let detail = json!({"from": from.code(), "to": to.code()});
        audit::append(&mut tx, actor, Event::new(action, format!("case:{case_id}"), Outcome::Success).detail(detail))
            .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// A complaint in 先行和解 comes to the bureau (待受理): its settlement clock pause ends
    /// `today` and an open proposal is withdrawn. 409 when it is not in 先行和解.
    pub async fn return_to_bureau(&self, actor: &Actor, case_id: &str, note: &str, today: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        if !return_one(&mut tx, actor, case_id, note, today).await? {
            return Err(StoreError::from(crate::conflict::CaseConflict::ChangedMeanwhile));
        }
        tx.commit().await
    }

    /// Brings every complaint whose settlement window ended before `today` to the bureau.
    /// Returns how many came.
    pub async fn return_expired_settlements(&self, today: i64) -> Result<usize> {
        let due: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM cases WHERE status = 'settling' AND settle_until < $1 ORDER BY id")
                .bind(today)
                .fetch_all(&self.pool)
                .await?;
        let system = Actor::system();
        let mut n = 0;
        for (id,) in due {
            let mut tx = self.begin().await?;
            if return_one(&mut tx, &system, &id, "先行和解期限届满未达成和解，转由市场监督管理部门处理。", today)
                .await?
            {
                tx.commit().await?;
                n += 1;
            }
        }
        Ok(n)
    }
}

async fn return_one(tx: &mut crate::Tx, actor: &Actor, case_id: &str, note: &str, today: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET status = 'awaiting_acceptance', updated_at = $1 WHERE id = $2 AND status = 'settling'",
    )
    .bind(tx.now_ms())
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE settlements SET status = 'withdrawn', answered_at = $1 WHERE case_id = $2 AND status = 'proposed'",
    )
    .bind(tx.now_ms())
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    close_pause(tx, case_id, today).await?;
    add_event(
        tx,
        case_id,
        &actor.id,
        ActionKind::ReturnToBureau.audit_code(),
        Some(Status::Settling),
        Some(Status::AwaitingAcceptance),
        note,
        true,
    )
    .await?;
    audit::append(
        tx,
        actor,
        Event::new(ActionKind::ReturnToBureau.audit_code(), format!("case:{case_id}"), Outcome::Success),
    )
    .await?;
    crate::outbox::record(tx, "case", case_id).await?;
    Ok(true)
}
