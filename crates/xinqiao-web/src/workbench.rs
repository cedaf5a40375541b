//! The officer's and supervisor's workbench counts (工作台): 待受理, due within two working days,
//! overdue, 待回访, 容缺受理 near their deadline, warnings assigned to me and draws waiting for my results — each a link to the
//! queue or page that lists exactly what it counts — and `/`, which shows the workbench to a
//! signed-in person and the public home (`home`) to everyone else.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use xinqiao_domain::accounts::{Permission, Role};
use xinqiao_domain::time::format_cst;

/// One count on the workbench.
pub struct WorkItem {
    pub id: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub href: String,
    /// Shown in the warning colour when not zero.
    pub urgent: bool,
}

/// The counts for `staff`; empty for someone who does not handle cases.
pub async fn items(state: &AppState, staff: &Staff) -> Result<Vec<WorkItem>, AppError> {
    if !staff.can(Permission::HandleCases) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if let Some(c) = crate::cases::queue::counts(state, staff).await? {
        let item = |id, label, count, href: &str, urgent| WorkItem { id, label, count, href: href.to_owned(), urgent };
        out.push(item("work-awaiting", "待受理", c.awaiting_acceptance, "/cases?status=awaiting_acceptance", false));
        out.push(item("work-soon", "两个工作日内到期", c.soon, "/cases?due=soon&sort=due", true));
        out.push(item("work-overdue", "已超期", c.overdue, "/cases?due=overdue&sort=due", true));
        out.push(item("work-follow-up", "待回访", c.follow_up, "/cases?status=closed", false));
        if staff.can(Permission::SuperviseCases) {
            out.push(item("work-closure", "待审核办结", c.closure_pending, "/cases?closure=1", true));
        }
    }
    let handler = crate::deferred::service::Handler::authorise(state, staff).await;
    if let Ok(by) = handler {
        let due = crate::deferred::service::due_soon(&crate::deferred::service::list(state, &by).await?);
        out.push(WorkItem {
            id: "work-deferred",
            label: "容缺受理临近补齐期限",
            count: due,
            href: "/deferred#deferred-due".into(),
            urgent: true,
        });
    }
    let me = staff.user().id.as_str();
    let warnings = crate::insights::warnings_assigned_to(state, staff).await?;
    out.push(WorkItem {
        id: "work-warnings",
        label: "指派给我的预警",
        count: warnings,
        href: "/insights/warnings?mine=1".into(),
        urgent: false,
    });
    let reminders = state.store.incident_reminders_for(me, 500).await.map_err(AppError::from)?.len();
    out.push(WorkItem {
        id: "work-incident-reminders",
        label: "突发事件时限提醒",
        count: reminders,
        href: "/incidents#reminders".into(),
        urgent: true,
    });
    let draws = draws_waiting_for(state, me).await?;
    out.push(WorkItem {
        id: "work-draws",
        label: "待我录入结果的抽查",
        count: draws.len(),
        href: match draws.as_slice() {
            [one] => format!("/inspections/{one}"),
            _ => "/inspections".into(),
        },
        urgent: false,
    });
    Ok(out)
}

/// Drawn tasks in which `user_id` (as an inspector in the directory) has a target without a result.
async fn draws_waiting_for(state: &AppState, user_id: &str) -> Result<Vec<String>, AppError> {
    let Some(cert) = state.store.cert_of_user(user_id).await? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for task in state.store.draw_tasks().await?.into_iter().filter(|t| t.status == "drawn") {
        let (_, json) = state.store.draw_task(&task.id).await?;
        let doc = crate::inspections::document(&json)?;
        let results = state.store.task_results(&task.id, false).await?;
        let waiting = doc
            .outcome
            .iter()
            .flat_map(|o| o.targets.iter())
            .any(|t| t.inspectors.contains(&cert) && !results.iter().any(|r| r.uscc == t.uscc));
        if waiting {
            out.push(task.id);
        }
    }
    Ok(out)
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(root))
}

/// What each role does on the platform, as the workbench tells the person.
fn duties(role: Role) -> &'static str {
    match role {
        Role::Enterprise => "查看本企业收到的诉求（不含投诉人身份信息）并答复，查询政策问答。",
        Role::Officer => "受理、办理和回访诉求，为企业解读政策，记录工作日志。",
        Role::Supervisor => "分派诉求、把控办理时限，审核办结，查看问题集中的分析与预警。",
        Role::Reviewer => "评审客户体验官的任职资格与年度考核。",
        Role::SysAdmin => "创建和停用账户、分配机构与业务角色、维护系统设置。不能查看审计日志。",
        Role::SecAdmin => "制定安全策略、授予和撤销角色（含管理员角色）、重置动态验证码。",
        Role::AuditAdmin => "查阅和检索审计日志，校验审计链的完整性。只读。",
    }
}

struct Duty {
    role: &'static str,
    text: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    org: String,
    duties: Vec<Duty>,
    /// The holiday notice for next year is due (system administrators and supervisors).
    calendar_reminder: Option<String>,
    /// Unread security notices for this account: (id, time, text).
    notices: Vec<(String, String, String)>,
    /// The work waiting, for those who handle cases.
    work: Vec<WorkItem>,
    /// An enterprise's own account (no staff role): its home speaks of the enterprise.
    enterprise: bool,
}

/// `/`: the workbench for a signed-in person; the sign-in page for a browser whose session ended
/// (it still sends the session cookie, or carries the staff hint); the public home for everyone else.
async fn root(
    State(state): State<AppState>,
    staff: Result<Staff, crate::error::PageError>,
    headers: axum::http::HeaderMap,
) -> PageResult<Response> {
    match staff {
        Ok(staff) => home(state, staff).await,
        Err(crate::error::PageError::App(AppError::Unauthorized)) if !staff_browser(&headers) => {
            crate::home::page(&state).await
        }
        Err(e) => Err(e),
    }
}

/// Whether the browser sends a session cookie or the staff hint.
fn staff_browser(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .any(|(k, v)| !v.is_empty() && (k == crate::auth::SESSION_COOKIE || k == crate::auth::STAFF_HINT_COOKIE))
}

async fn home(state: AppState, staff: Staff) -> PageResult<Response> {
    let user = staff.user();
    let enterprise = staff.can(Permission::EnterprisePortal) && !staff.can(Permission::HandleCases);
    let page = HomePage {
        enterprise,
        work: items(&state, &staff).await?,
        layout: Layout::staff(
            if enterprise { "本企业首页" } else { "工作台" },
            user,
            staff.csrf(),
            "/",
            !state.config.require_admin_totp,
        ),
        org: match (&user.uscc, enterprise) {
            // The enterprise's own name (as the bureau knows it) and code, not a bureau.
            (Some(uscc), true) => match state.store.known_enterprise(uscc).await? {
                Some(e) => format!("{}（{uscc}）", e.name),
                None => uscc.clone(),
            },
            _ => user.org_name.clone().unwrap_or_else(|| "未分配机构".into()),
        },
        duties: user.roles.iter().map(|r| Duty { role: r.label(), text: duties(*r) }).collect(),
        calendar_reminder: (staff.can(Permission::ManageSettings) || staff.can(Permission::SuperviseCases))
            .then(|| crate::dates::horizon(&state.calendar(), state.today()).message())
            .flatten(),
        notices: crate::account::service::notices(&state, &crate::caller::Caller::Page(&staff), 10)
            .await?
            .into_iter()
            .map(|n| (n.id, format_cst(n.at_ms), n.text))
            .collect(),
    };
    Ok(render(&page)?)
}
