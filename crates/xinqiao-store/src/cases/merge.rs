//! Repeated reports (举报): the open reports about the same enterprise that a new one may repeat,
//! and merging a repeat into the one it repeats, so the same clue is not handled twice.

use super::{CASE_COLUMNS, CaseRecord, add_event, record_from};
use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{ActionKind, Status};

impl Store {
    /// Open reports (待核查 or 立案) about the same enterprise as `case` (same 统一社会信用代码, or
    /// the same name when either has none), other than `case` itself and received before it.
    pub async fn open_reports_like(&self, case: &CaseRecord) -> Result<Vec<CaseRecord>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN orgs o ON o.id = c.org_id \
             WHERE c.kind = 'report' AND c.status IN ('awaiting_verification', 'opened') AND c.id <> $1 \
             AND c.received_at <= $2 AND (c.enterprise_uscc = $3 OR c.enterprise_name = $4) \
             ORDER BY c.received_at DESC LIMIT 200"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&case.id)
            .bind(case.received_at)
            .bind(&case.enterprise_uscc)
            .bind(&case.enterprise_name)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(record_from).collect()
    }

    /// Merges the report `case_id` (待核查) into the open report `into_id`: the repeat ends as
    /// 已合并, both histories say so, in one transaction. 409 when either has moved on.
    pub async fn merge_report(&self, actor: &Actor, case_id: &str, into_id: &str, into_code: &str) -> Result<()> {
        if case_id == into_id {
            return Err(StoreError::from(crate::conflict::CaseConflict::MergeTarget));
        }
        let mut tx = self.begin().await?;
        let target: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM cases WHERE id = $1 AND kind = 'report' AND status IN ('awaiting_verification', 'opened')",
        )
        .bind(into_id)
        .fetch_optional(&mut *tx)
        .await?;
        if target.is_none() {
            return Err(StoreError::from(crate::conflict::CaseConflict::MergeTarget));
        }
        let done = sqlx::query(
            "UPDATE cases SET status = 'merged', merged_into = $1, updated_at = $2 \
             WHERE id = $3 AND kind = 'report' AND status = 'awaiting_verification'",
        )
        .bind(into_id)
        .bind(self.now_ms())
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::CaseConflict::ChangedMeanwhile));
        }
        let note = "您反映的问题与此前同一事项的举报内容重复，已合并处理，不再重复核查。";
        add_event(
            &mut tx,
            case_id,
            &actor.id,
            ActionKind::Merge.audit_code(),
            Some(Status::AwaitingVerification),
            Some(Status::Merged),
            note,
            true,
        )
        .await?;
        let own = format!("合并重复举报（合并入 {into_code}）。");
        add_event(&mut tx, case_id, &actor.id, ActionKind::Merge.audit_code(), None, None, &own, false).await?;
        add_event(&mut tx, into_id, &actor.id, "case.merged_in", None, None, "有重复举报合并到本件。", false).await?;
        let detail = json!({"into": into_id});
        audit::append(
            &mut tx,
            actor,
            Event::new(ActionKind::Merge.audit_code(), format!("case:{case_id}"), Outcome::Success).detail(detail),
        )
        .await?;
        crate::outbox::record(&mut tx, "case", case_id).await?;
        tx.commit().await
    }
}
