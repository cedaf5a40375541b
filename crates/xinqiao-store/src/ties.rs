//! Independence in storage: officers' industries and declared ties, step-asides from cases, and
//! the candidates a case may go to. Every declaration and step-aside is audited.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::independence::{Candidate, Tie, TieKind};

/// A declared tie as listed to its officer.
#[derive(Debug, Clone)]
pub struct DeclaredTie {
    pub id: String,
    pub tie: Tie,
    pub note: String,
    pub declared_at: i64,
}

/// An officer who might take a case, with a name to show.
#[derive(Debug, Clone)]
pub struct Officer {
    pub candidate: Candidate,
    pub display_name: String,
}

type TieRow = (String, String, Option<String>, Option<String>, Option<String>, String, i64);

impl Store {
    /// Replaces the industries (GB/T 4754 sections) an officer works in.
    pub async fn set_industries(&self, actor: &Actor, user_id: &str, industries: &[char]) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM officer_industries WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        for i in industries {
            sqlx::query("INSERT INTO officer_industries (user_id, industry) VALUES ($1, $2)")
                .bind(user_id)
                .bind(i.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let detail = json!({"industries": industries.iter().collect::<String>()});
        audit::append(
            &mut tx,
            actor,
            Event::new("officer.industries", format!("user:{user_id}"), Outcome::Success).detail(detail),
        )
        .await?;
        tx.commit().await
    }

    pub async fn industries_of(&self, user_id: &str) -> Result<Vec<char>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT industry FROM officer_industries WHERE user_id = $1 ORDER BY industry")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().filter_map(|(s,)| s.chars().next()).collect())
    }

    /// Records a tie an officer declares (the person, if any, only by blind index).
    pub async fn declare_tie(&self, actor: &Actor, user_id: &str, tie: &Tie, note: &str) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO ties (id, user_id, kind, enterprise_uscc, enterprise_name, person_index, note, declared_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(user_id)
        .bind(tie.kind.code())
        .bind(&tie.enterprise_uscc)
        .bind(&tie.enterprise_name)
        .bind(&tie.person_index)
        .bind(note)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("officer.tie", format!("user:{user_id}"), Outcome::Success)
                .detail(json!({"kind": tie.kind.code()})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn ties_of(&self, user_id: &str) -> Result<Vec<DeclaredTie>> {
        let rows: Vec<TieRow> = crate::rows::all(
            sqlx::query(
                "SELECT id, kind, enterprise_uscc, enterprise_name, person_index, note, declared_at FROM ties \
             WHERE user_id = $1 ORDER BY declared_at",
            )
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?,
            ["id", "kind", "enterprise_uscc", "enterprise_name", "person_index", "note", "declared_at"],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kind, uscc, name, person, note, declared_at)| {
                Some(DeclaredTie {
                    id,
                    tie: Tie {
                        kind: TieKind::parse(&kind)?,
                        enterprise_uscc: uscc,
                        enterprise_name: name,
                        person_index: person,
                    },
                    note,
                    declared_at,
                })
            })
            .collect())
    }

    /// An officer steps aside from a case: recorded, audited, and the case no longer assigned to
    /// them (the caller reassigns it).
    pub async fn recuse(&self, actor: &Actor, case_id: &str, user_id: &str, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.chars().count() < 2 {
            return Err(xinqiao_domain::FieldError::new("reason", "required", "请写明回避理由").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO case_recusals (case_id, user_id, reason, at_ms) VALUES ($1, $2, $3, $4)")
            .bind(case_id)
            .bind(user_id)
            .bind(reason)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::from(crate::conflict::CaseConflict::AlreadyRecused),
                other => other,
            })?;
        sqlx::query("UPDATE cases SET assigned_to = NULL WHERE id = $1 AND assigned_to = $2")
            .bind(case_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO case_events (id, case_id, at_ms, actor_id, action, from_status, to_status, note, public) \
             VALUES ($1, $2, $3, $4, 'case.recuse', NULL, NULL, $5, 0)",
        )
        .bind(new_id())
        .bind(case_id)
        .bind(self.now_ms())
        .bind(&actor.id)
        .bind(format!("承办人申请回避：{reason}"))
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, Event::new("case.recuse", format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await
    }

    /// A supervisor lets `user_id` handle `case_id` despite a declared tie, with a written reason
    /// (already masked); audited, shown on the case's internal history. Granted once per case.
    pub async fn grant_tie_override(&self, actor: &Actor, case_id: &str, user_id: &str, reason: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO case_tie_overrides (case_id, user_id, granted_by, reason, at_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(user_id)
        .bind(&actor.id)
        .bind(reason)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::from(crate::conflict::CaseConflict::OverrideGranted),
            other => other,
        })?;
        crate::cases::note_in(
            &mut tx,
            case_id,
            &actor.id,
            "case.tie_override",
            &format!("主管准许有申报关联的人员继续办理：{reason}"),
            false,
        )
        .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("case.tie_override", format!("case:{case_id}"), Outcome::Success)
                .detail(serde_json::json!({ "officer": user_id, "reason": reason })),
        )
        .await?;
        tx.commit().await
    }

    /// Who let `user_id` handle `case_id` despite a tie, and why, if anyone did.
    pub async fn tie_override(&self, case_id: &str, user_id: &str) -> Result<Option<(String, String)>> {
        crate::rows::one(
            sqlx::query("SELECT granted_by, reason FROM case_tie_overrides WHERE case_id = $1 AND user_id = $2")
                .bind(case_id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?,
            ["granted_by", "reason"],
        )
    }

    /// The officers and supervisors of `org_id` who might take `case_id`, with what routing needs.
    pub async fn candidates(&self, org_id: &str, case_id: &str) -> Result<Vec<Officer>> {
        let people: Vec<(String, String)> = crate::rows::all(
            sqlx::query(
                "SELECT DISTINCT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE u.org_id = $1 AND u.disabled = 0 AND r.role IN ('officer', 'supervisor') ORDER BY u.id",
            )
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?,
            ["id", "display_name"],
        )?;
        let today = xinqiao_domain::calendar::Date::of_epoch_ms(self.now_ms());
        let mut out = Vec::new();
        for (user_id, display_name) in people {
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM cases WHERE assigned_to = $1 \
                 AND status NOT IN ('rejected', 'closed', 'followed_up', 'informed', 'replied', 'opened', 'not_opened')",
            )
            .bind(&user_id)
            .fetch_one(&self.pool)
            .await?;
            let (recused,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM case_recusals WHERE case_id = $1 AND user_id = $2")
                    .bind(case_id)
                    .bind(&user_id)
                    .fetch_one(&self.pool)
                    .await?;
            let candidate = Candidate {
                industries: self.industries_of(&user_id).await?,
                open_cases: open as usize,
                ties: self.ties_of(&user_id).await?.into_iter().map(|d| d.tie).collect(),
                recused: recused > 0,
                certified: self.may_take_cases(&user_id, today).await?,
                user_id,
            };
            out.push(Officer { candidate, display_name });
        }
        Ok(out)
    }

    /// The blind indexes of a case's submitter (for matching ties to people).
    pub async fn person_indexes(&self, case_id: &str) -> Result<Vec<String>> {
        let row: Option<(Option<String>, Option<String>)> = crate::rows::one(
            sqlx::query("SELECT mobile_index, id_index FROM case_identities WHERE case_id = $1")
                .bind(case_id)
                .fetch_optional(&self.pool)
                .await?,
            ["mobile_index", "id_index"],
        )?;
        Ok(row.map(|(m, i)| m.into_iter().chain(i).collect()).unwrap_or_default())
    }
}
