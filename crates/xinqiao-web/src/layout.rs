//! The layout every page shares (title, navigation fitted to the person's roles, the logout
//! form, notices) and the Chinese error page: below `error`, which answers with that page.

use crate::assets::VERSION;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_store::users::User;

/// The navigation: (label, link, what it needs). Items appear only to those allowed.
const NAV: &[(&str, &str, &[Permission])] = &[
    ("工作台", "/", &[]),
    ("诉求办理", "/cases", &[Permission::HandleCases]),
    ("工作日志", "/worklog", &[Permission::HandleCases]),
    ("回避申报", "/ties", &[Permission::HandleCases]),
    ("廉洁登记", "/integrity", &[Permission::HandleCases]),
    ("容缺受理", "/deferred", &[Permission::HandleCases]),
    ("年报专项", "/annual-report/campaign", &[Permission::HandleCases]),
    ("保密资料", "/confidential", &[Permission::HandleCases, Permission::EnterprisePortal]),
    ("先行和解", "/odr", &[Permission::SuperviseCases]),
    ("政策问答", "/knowledge", &[Permission::HandleCases]),
    ("双随机抽查", "/inspections", &[Permission::HandleCases]),
    ("洞察与预警", "/insights", &[Permission::HandleCases]),
    ("突发事件", "/incidents", &[Permission::HandleCases]),
    ("批次追溯", "/bureau/trace", &[Permission::HandleCases]),
    ("任职资格", "/qualification", &[Permission::HandleCases, Permission::ReviewQualifications]),
    ("本企业诉求", "/enterprise", &[Permission::EnterprisePortal]),
    ("我的台账", "/ledger", &[Permission::EnterprisePortal]),
    ("容缺受理事项", "/enterprise/deferred", &[Permission::EnterprisePortal]),
    ("年报", "/enterprise/annual-report", &[Permission::EnterprisePortal]),
    ("事件中的商业秘密", "/enterprise/incidents", &[Permission::EnterprisePortal]),
    ("用户管理", "/admin/users", &[Permission::ListUsers]),
    ("机构", "/admin/orgs", &[Permission::ListUsers]),
    ("节假日安排", "/admin/calendar", &[Permission::ManageSettings, Permission::SuperviseCases]),
    ("Open311 密钥", "/admin/open311", &[Permission::ManageSettings]),
    ("安全策略", "/admin/security", &[Permission::ManageSecurityPolicy]),
    ("审计日志", "/audit", &[Permission::ReadAudit]),
    ("账户安全", "/account", &[]),
];

#[derive(Debug, Clone)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// The signed-in person as the header shows them.
#[derive(Debug, Clone)]
pub struct Who {
    pub display_name: String,
    pub username: String,
    pub roles: String,
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub who: Option<Who>,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub notice: Option<String>,
    pub demo: bool,
    pub version: &'static str,
}

impl Layout {
    /// A page for someone not (fully) signed in.
    pub fn public(title: &str, demo: bool) -> Self {
        Self {
            title: title.to_owned(),
            who: None,
            nav: Vec::new(),
            csrf: String::new(),
            notice: None,
            demo,
            version: VERSION,
        }
    }

    /// A page for a signed-in person; `current` is the link of the section shown.
    pub fn staff(title: &str, user: &User, csrf: &str, current: &str, demo: bool) -> Self {
        let nav = NAV
            .iter()
            .filter(|(_, _, perms)| perms.is_empty() || perms.iter().any(|p| allows(&user.roles, *p)))
            .map(|(label, href, _)| NavItem { label, href, current: *href == current })
            .collect();
        let roles = if user.roles.is_empty() {
            "未分配角色".to_owned()
        } else {
            user.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
        };
        Self {
            title: title.to_owned(),
            who: Some(Who { display_name: user.display_name.clone(), username: user.username.clone(), roles }),
            nav,
            csrf: csrf.to_owned(),
            notice: None,
            demo,
            version: VERSION,
        }
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.notice = notice;
        self
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    message: &'a str,
}

/// The Chinese error page for `status`.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    error_page_in(status, message, false)
}

/// The same, saying so when the instance is a demo.
pub fn error_page_in(status: StatusCode, message: &str, demo: bool) -> Response {
    let page = ErrorPage { layout: Layout::public("出错了", demo), status: status.as_u16(), message };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}
