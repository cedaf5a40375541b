//! What every page shares: the layout (title, navigation fitted to the person's roles, the
//! logout form, notices) and the error pages.

use crate::assets::VERSION;
use crate::error::AppError;
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
    ("先行和解", "/odr", &[Permission::SuperviseCases]),
    ("政策问答", "/knowledge", &[Permission::HandleCases]),
    ("双随机抽查", "/inspections", &[Permission::HandleCases]),
    ("洞察与预警", "/insights", &[Permission::HandleCases]),
    ("任职资格", "/qualification", &[Permission::HandleCases, Permission::ReviewQualifications]),
    ("本企业诉求", "/enterprise", &[Permission::EnterprisePortal]),
    ("我的台账", "/ledger", &[Permission::EnterprisePortal]),
    ("批次追溯", "/bureau/trace", &[Permission::HandleCases]),
    ("用户管理", "/admin/users", &[Permission::ListUsers]),
    ("机构", "/admin/orgs", &[Permission::ListUsers]),
    ("节假日安排", "/admin/calendar", &[Permission::ManageSettings, Permission::SuperviseCases]),
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

/// Renders a template into an HTML answer.
pub fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
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
    let page = ErrorPage { layout: Layout::public("出错了", false), status: status.as_u16(), message };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}

/// Unknown addresses: JSON under `/api/`, the Chinese page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        let e = AppError::BadRequest {
            code: "no_route", message: "没有这个接口，请查阅 /api/openapi.json".into()
        };
        return (StatusCode::NOT_FOUND, crate::error::ApiError(e)).into_response();
    }
    error_page(StatusCode::NOT_FOUND, "您要找的页面不存在，请检查地址或返回工作台。")
}

/// A known address asked with the wrong method.
pub async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError(AppError::MethodNotAllowed).into_response();
    }
    error_page(StatusCode::METHOD_NOT_ALLOWED, "该地址不支持此请求方法。")
}

/// Field messages for a form, looked up by field name in templates.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<xinqiao_domain::FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Messages that belong to no field of the form.
    pub fn general(&self, fields: &[&str]) -> Vec<&str> {
        self.0.iter().filter(|e| !fields.contains(&e.field)).map(|e| e.message.as_str()).collect()
    }
}
