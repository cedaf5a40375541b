//! The security policy page (安全管理员): password length and classes, lockout, idle timeout.

use crate::AppState;
use crate::auth::{Staff, policy};
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::{Permission, SecurityPolicy};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/security", get(show).post(save))
}

#[derive(Template)]
#[template(path = "admin/security.html")]
struct PolicyPage {
    layout: Layout,
    policy: SecurityPolicy,
    require_admin_totp: bool,
    errors: FormErrors,
    /// Repeated sign-in failures and the like, for the security administrators: (time, text).
    events: Vec<(String, String)>,
}

/// The unread security notices for the security administrators.
async fn events(state: &AppState) -> Result<Vec<(String, String)>, crate::error::AppError> {
    let notices = state.store.notices(xinqiao_store::throttle::SECADMINS, 50).await?;
    Ok(notices.into_iter().map(|n| (xinqiao_domain::time::format_cst(n.at_ms), n.text)).collect())
}

fn page(
    state: &AppState,
    staff: &Staff,
    policy: SecurityPolicy,
    errors: FormErrors,
    notice: Option<String>,
    events: Vec<(String, String)>,
) -> PolicyPage {
    PolicyPage {
        layout: Layout::staff(
            "安全策略",
            staff.user(),
            staff.csrf(),
            "/admin/security",
            !state.config.require_admin_totp,
        )
        .with_notice(notice),
        policy,
        require_admin_totp: state.config.require_admin_totp,
        errors,
        events,
    }
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::ManageSecurityPolicy, "setting:security_policy").await?;
    let policy = policy(&state).await;
    Ok(render(&page(&state, &staff, policy, FormErrors::default(), None, events(&state).await?))?)
}

async fn save(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ManageSecurityPolicy, "setting:security_policy").await?;
    staff.check_csrf(&form)?;
    let mut errors = Vec::new();
    // A field that is not a number is told beside it; the 0 only fills the redisplayed form.
    let mut number = |field: &'static str, label: &str| -> u32 {
        form.number(field, label).unwrap_or_else(|e: FieldError| {
            errors.push(e);
            0
        })
    };
    let proposed = SecurityPolicy {
        min_password_len: number("min_password_len", "密码最短长度"),
        min_char_classes: number("min_char_classes", "字符种类数"),
        max_failed_logins: number("max_failed_logins", "连续登录失败次数"),
        lock_minutes: number("lock_minutes", "锁定时长（分钟）"),
        idle_timeout_minutes: number("idle_timeout_minutes", "空闲超时（分钟）"),
    };
    if errors.is_empty() {
        match super::service::set_security_policy(&state, &Caller::Page(&staff), proposed).await {
            Ok(()) => {}
            Err(AppError::Validation(told)) => errors = told,
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        let p = page(&state, &staff, proposed, FormErrors(errors), None, events(&state).await?);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    }
    Ok(render(&page(
        &state,
        &staff,
        proposed,
        FormErrors::default(),
        Some("安全策略已保存，立即生效。".into()),
        events(&state).await?,
    ))?)
}
