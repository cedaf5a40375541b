//! The audit trail over the API (审计管理员 only): filtered reading and the chain check.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::audit::Outcome;
use xinqiao_store::audit::{Entry, Event};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Part of the actor's login name.
    actor: Option<String>,
    /// An action code or its prefix, e.g. `auth.`.
    action: Option<String>,
    /// success, failure or denied.
    outcome: Option<String>,
    /// First day (YYYY-MM-DD, China time).
    from: Option<String>,
    /// Last day, inclusive.
    to: Option<String>,
    /// Only entries with a smaller sequence number (paging).
    before: Option<i64>,
    /// At most this many entries (1–1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    seq: i64,
    at_ms: i64,
    actor_id: String,
    actor_name: String,
    actor_roles: String,
    action: String,
    target: String,
    outcome: String,
    client_addr: String,
    purpose: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl From<Entry> for AuditEntry {
    fn from(e: Entry) -> Self {
        let r = e.record;
        Self {
            seq: r.seq,
            at_ms: r.at_ms,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            actor_roles: r.actor_roles,
            action: r.action,
            target: r.target,
            outcome: r.outcome.code().to_owned(),
            client_addr: r.client_addr,
            purpose: r.purpose,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: e.hash,
        }
    }
}

/// Read the audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    caller.require(&state, Permission::ReadAudit, "audit_log").await?;
    let q = crate::audit::AuditQuery {
        actor: p.actor.unwrap_or_default(),
        action: p.action.unwrap_or_default(),
        outcome: p.outcome.unwrap_or_default(),
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        before: p.before,
    };
    let mut filter = crate::audit::to_filter(&q).map_err(AppError::from)?;
    filter.limit = super::limit(p.limit, 100)?;
    let entries = state.store.audit_entries(&filter).await?;
    state.store.audit(&caller.actor(), Event::new("audit.read", "audit_log", Outcome::Success)).await?;
    Ok(Json(entries.into_iter().map(AuditEntry::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct VerifyResult {
    intact: bool,
    checked: u64,
    head_seq: i64,
    /// Sequence number of the first entry that does not match.
    broken_at: Option<i64>,
    message: String,
}

/// Walk the whole hash chain.
#[utoipa::path(post, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = VerifyResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn verify(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<VerifyResult>> {
    caller.require(&state, Permission::ReadAudit, "audit_log").await?;
    let v = state.store.verify_audit_chain(|_, _| {}).await?;
    let outcome = if v.is_intact() { Outcome::Success } else { Outcome::Failure };
    let detail = serde_json::json!({"checked": v.checked, "broken_at": v.broken.as_ref().map(|b| b.seq())});
    state.store.audit(&caller.actor(), Event::new("audit.verify", "audit_log", outcome).detail(detail)).await?;
    Ok(Json(VerifyResult {
        intact: v.is_intact(),
        checked: v.checked,
        head_seq: v.head_seq,
        broken_at: v.broken.as_ref().map(|b| b.seq()),
        message: crate::audit::describe(&v),
    }))
}
