//! The audit trail for 审计管理员: read and filter it, and check the hash chain from the page
//! (the same check as `xinqiao audit verify`). Reading the trail is itself recorded.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::tasks::{Task, TaskError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::time::parse_cst_date;
use xinqiao_store::audit::{Event, Filter, Verification};

mod rows;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/verify", post(verify))
        .route("/audit/export.csv", get(export))
        .route("/audit/checkpoint.json", post(checkpoint))
}

/// A signed checkpoint of the chain's head, taken now, as a download for the auditor to keep
/// outside the system (checked later with `xinqiao audit verify --checkpoint FILE`).
async fn checkpoint(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ReadAudit, "audit_log").await?;
    staff.check_csrf(&form)?;
    let c = state.store.take_checkpoint().await?.ok_or_else(|| AppError::Internal("no audit chain key".into()))?;
    let detail = serde_json::json!({"seq": c.seq});
    state
        .store
        .audit(&staff.actor(), Event::new("audit.checkpoint", "audit_log", Outcome::Success).detail(detail))
        .await?;
    let body = serde_json::to_vec_pretty(&c).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("xinqiao-audit-checkpoint-{}.json", c.seq);
    Ok(crate::download::attachment(body, "application/json", &name))
}

/// Takes a checkpoint once a day (by the application's clock), so the trail's history is always
/// pinned by one no older than a day: looked at hourly, the first time at start.
pub(crate) fn checkpoint_timer() -> Task {
    Task::every("audit-checkpoints", std::time::Duration::from_secs(3600), |state: AppState| async move {
        let due = match state.store.checkpoints(1).await {
            Ok(last) => last.first().is_none_or(|c| state.now_ms() - c.at_ms >= 86_400_000),
            Err(e) => {
                tracing::warn!(error = %e, "audit checkpoints could not be read");
                return Err(TaskError("审计检查点无法读取"));
            }
        };
        if due && let Err(e) = state.store.take_checkpoint().await {
            tracing::warn!(error = %e, "the daily audit checkpoint failed");
            return Err(TaskError("每日审计检查点签发失败"));
        }
        Ok(())
    })
}

const PAGE_SIZE: i64 = 100;

/// The filter form as typed, kept as text so it can be shown again.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub(crate) actor: String,
    #[serde(default)]
    pub(crate) action: String,
    #[serde(default)]
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: String,
    pub(crate) before: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    q: AuditQuery,
    rows: Vec<rows::Row>,
    /// The categories of the filter: (value, 中文名).
    categories: Vec<(String, &'static str)>,
    export: String,
    older: Option<String>,
    filter_error: Option<String>,
    verification: Option<VerifyView>,
}

pub struct VerifyView {
    intact: bool,
    message: String,
}

/// The filter both the page and the API read: dates are whole days in China time, `to`
/// inclusive; the error names the field.
pub(crate) fn to_filter(q: &AuditQuery) -> Result<Filter, FieldError> {
    let date = |text: &str, field: &'static str, label: &str| -> Result<Option<i64>, FieldError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_cst_date(text)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, "bad_date", format!("{label}应为 YYYY-MM-DD 格式的日期")))
    };
    let outcome = match q.outcome.trim() {
        "" => None,
        o => Some(
            Outcome::parse(o)
                .ok_or_else(|| FieldError::new("outcome", "bad_outcome", "结果应为 success、failure 或 denied"))?,
        ),
    };
    // `@category` chooses one of the page's categories (several action prefixes).
    let (action, actions) = match q.action.trim() {
        "" => (None, Vec::new()),
        a => match a.strip_prefix('@') {
            Some(code) => {
                let prefixes = xinqiao_domain::audit_names::category(code)
                    .ok_or_else(|| FieldError::new("action", "bad_category", "没有这个操作类别"))?;
                (None, prefixes.iter().map(|p| (*p).to_owned()).collect())
            }
            None => (Some(a.to_owned()), Vec::new()),
        },
    };
    Ok(Filter {
        actor: Some(q.actor.trim().to_owned()).filter(|s| !s.is_empty()),
        action,
        actions,
        outcome,
        from_ms: date(&q.from, "from", "开始日期")?,
        to_ms: date(&q.to, "to", "结束日期")?.map(|d| d + 86_400_000),
        before_seq: q.before,
        limit: PAGE_SIZE,
    })
}

fn older_link(q: &AuditQuery, last_seq: i64) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "/audit?actor={}&action={}&outcome={}&from={}&to={}&before={last_seq}",
        enc(&q.actor),
        enc(&q.action),
        enc(&q.outcome),
        enc(&q.from),
        enc(&q.to)
    )
}

async fn view(
    state: &AppState,
    staff: &Staff,
    q: AuditQuery,
    verification: Option<VerifyView>,
) -> PageResult<Response> {
    let (rows, filter_error) = match to_filter(&q).map_err(|e| e.message) {
        Ok(filter) => {
            let entries = state.store.audit_entries(&filter).await?;
            let detail = serde_json::json!({"actor": filter.actor, "action": filter.action, "outcome": q.outcome,
                                            "from": q.from, "to": q.to, "before": filter.before_seq});
            state
                .store
                .audit(&staff.actor(), Event::new("audit.read", "audit_log", Outcome::Success).detail(detail))
                .await?;
            (rows::rows(state, entries).await?, None)
        }
        Err(message) => (Vec::new(), Some(message)),
    };
    let older = (rows.len() as i64 == PAGE_SIZE).then(|| older_link(&q, rows.last().map_or(0, |r| r.seq)));
    let page = AuditPage {
        layout: Layout::staff("审计日志", staff.user(), staff.csrf(), "/audit", !state.config.require_admin_totp),
        categories: xinqiao_domain::audit_names::CATEGORIES.iter().map(|(c, n, _)| (format!("@{c}"), *n)).collect(),
        export: older_link(&q, 0).replacen("/audit?", "/audit/export.csv?", 1).replace("&before=0", ""),
        q,
        rows,
        older,
        filter_error,
        verification,
    };
    Ok(render(&page)?)
}

async fn list(State(state): State<AppState>, staff: Staff, Query(q): Query<AuditQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::ReadAudit, "audit_log").await?;
    view(&state, &staff, q, None).await
}

/// The chain check's outcome in words.
pub fn describe(v: &Verification) -> String {
    match &v.broken {
        None => format!("审计链完整：已校验 {} 条记录，未发现篡改、删除或调换。", v.checked),
        Some(b) => format!("审计链已损坏：{}。在此之前已校验 {} 条记录。", b.describe(), v.checked),
    }
}

async fn verify(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ReadAudit, "audit_log").await?;
    staff.check_csrf(&form)?;
    let v = state.store.verify_audit_chain(|_, _| {}).await.map_err(AppError::from)?;
    let outcome = if v.is_intact() { Outcome::Success } else { Outcome::Failure };
    let detail = serde_json::json!({"checked": v.checked, "broken_at": v.broken.as_ref().map(|b| b.seq())});
    state.store.audit(&staff.actor(), Event::new("audit.verify", "audit_log", outcome).detail(detail)).await?;
    let view_result = VerifyView { intact: v.is_intact(), message: describe(&v) };
    view(&state, &staff, AuditQuery::default(), Some(view_result)).await
}

/// The most entries one export carries.
const EXPORT_MAX: usize = 10_000;

/// The filtered trail as CSV (newest first, at most `EXPORT_MAX` entries), cells neutralised
/// against formula injection; the export is itself recorded, with its filter and size.
async fn export(State(state): State<AppState>, staff: Staff, Query(q): Query<AuditQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::ReadAudit, "audit_log").await?;
    let mut filter = to_filter(&q).map_err(|e| AppError::Validation(vec![e]))?;
    filter.limit = 1000;
    let mut entries = Vec::new();
    loop {
        let batch = state.store.audit_entries(&filter).await?;
        let done = (batch.len() as i64) < filter.limit;
        filter.before_seq = batch.last().map(|e| e.record.seq);
        entries.extend(batch);
        if done || entries.len() >= EXPORT_MAX {
            break;
        }
    }
    entries.truncate(EXPORT_MAX);
    let detail = serde_json::json!({"actor": filter.actor, "action": q.action, "outcome": q.outcome,
                                    "from": q.from, "to": q.to, "rows": entries.len()});
    state.store.audit(&staff.actor(), Event::new("audit.export", "audit_log", Outcome::Success).detail(detail)).await?;
    let rows = rows::rows(&state, entries).await?;
    let head = [
        "序号",
        "时间",
        "操作人",
        "角色",
        "操作",
        "操作代码",
        "对象",
        "对象标识",
        "结果",
        "来源地址",
        "目的",
        "详情",
        "哈希",
    ];
    let lines = rows.into_iter().map(|r| {
        let details = r.details.iter().map(|(k, v)| format!("{k}：{v}")).collect::<Vec<_>>().join("；");
        vec![
            r.seq.to_string(),
            r.time,
            r.actor,
            r.roles,
            r.action,
            r.action_code,
            r.object,
            r.target,
            r.outcome.to_owned(),
            r.client,
            r.purpose,
            details,
            r.hash,
        ]
    });
    let body = crate::download::csv(&head, lines)?;
    Ok(crate::download::attachment(body, "text/csv; charset=utf-8", "xinqiao-audit.csv"))
}
