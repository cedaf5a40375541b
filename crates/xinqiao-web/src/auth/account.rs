//! The signed-in person's own pages: account security (password, second
//! factor, API tokens).

use super::password;
use super::session::{Staff, policy};
use crate::AppState;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::SecurityPolicy;
use xinqiao_domain::time::format_cst;
use xinqiao_store::tokens::TokenInfo;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account))
        .route("/notices/{id}/dismiss", post(dismiss_notice))
        .route("/account/password", get(password_page).post(password_submit))
        .route("/account/tokens", post(token_create))
        .route("/account/tokens/{id}/revoke", post(token_revoke))
}

/// The holder has read a security notice.
async fn dismiss_notice(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    state.store.dismiss_notice(&staff.user().id, &id).await?;
    Ok(Redirect::to("/").into_response())
}

struct TokenRow {
    id: String,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

impl From<TokenInfo> for TokenRow {
    fn from(t: TokenInfo) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created: format_cst(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "从未使用".into(), format_cst),
            revoked: t.revoked,
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    /// The last password reset by someone else: who and when.
    reset: Option<(String, String)>,
    totp_enabled: bool,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
}

async fn account_view(
    state: &AppState,
    staff: &Staff,
    new_token: Option<String>,
    notice: Option<String>,
) -> PageResult<Response> {
    let user = staff.user();
    let tokens = state.store.list_tokens(&user.id).await?.into_iter().map(TokenRow::from).collect();
    let page = AccountPage {
        layout: Layout::staff("账户安全", user, staff.csrf(), "/account", !state.config.require_admin_totp)
            .with_notice(notice),
        reset: reset_of(user),
        totp_enabled: user.totp_enabled,
        tokens,
        new_token,
    };
    Ok(render(&page)?)
}

async fn account(State(state): State<AppState>, staff: Staff, RawQuery(q): RawQuery) -> PageResult<Response> {
    let notice = q.filter(|q| q.contains("changed=1")).map(|_| "密码已修改，其他设备上的登录已失效。".to_owned());
    account_view(&state, &staff, None, notice).await
}

/// A new API token's name.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct TokenForm {
    name: String,
}

/// The password change: the current one, the new one twice.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

async fn token_create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let TokenForm { name } = form.typed(&[])?;
    let name = name.trim();
    let name = if name.is_empty() { "未命名令牌" } else { name };
    let (_, value) = state.store.create_token(&staff.actor(), &staff.user().id, name).await?;
    account_view(&state, &staff, Some(value), Some("令牌已创建。它只显示这一次，请立即妥善保存。".into())).await
}

async fn token_revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    state.store.revoke_token(&staff.actor(), &staff.user().id, &id).await?;
    account_view(&state, &staff, None, Some("令牌已撤销。".into())).await
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    policy: SecurityPolicy,
    forced: bool,
    /// Who reset the password, and when (an administrator's reset is told to the holder).
    reset: Option<(String, String)>,
    errors: FormErrors,
}

fn reset_of(user: &xinqiao_store::users::User) -> Option<(String, String)> {
    user.password_reset.as_ref().map(|(by, at)| (by.clone(), format_cst(*at)))
}

async fn password_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let page = PasswordPage {
        layout: Layout::staff("修改密码", staff.user(), staff.csrf(), "/account", !state.config.require_admin_totp),
        policy: policy(&state).await,
        forced: staff.user().must_change_password,
        reset: reset_of(staff.user()),
        errors: FormErrors::default(),
    };
    Ok(render(&page)?)
}

async fn password_submit(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let policy = policy(&state).await;
    let user = staff.user();
    let PasswordForm { current, new, confirm } = form.typed(&[])?;
    let (current, new, confirm) = (current.as_str(), new.as_str(), confirm.as_str());
    let mut errors = Vec::new();
    let stored = state.store.credentials(&user.username).await?.ok_or(AppError::Unauthorized)?;
    if !password::verify(current.to_owned(), Some(stored.password_hash)).await {
        // A wrong current password counts toward the lock like a wrong login: a borrowed
        // session cannot guess it at leisure. Locking ends this session too.
        let who = staff.actor();
        if state.store.note_login_failure(&who, Some(&user.id), "bad_current_password", &policy).await?.is_some() {
            return Err(AppError::Unauthorized.into());
        }
        errors.push(xinqiao_domain::FieldError::new("current", "wrong_password", "当前密码不正确"));
    }
    if let Err(e) = policy.check_password(new, &user.username) {
        errors.push(e.with_field("new"));
    } else if new == current {
        errors.push(xinqiao_domain::FieldError::new("new", "unchanged", "新密码不能与当前密码相同"));
    }
    if new != confirm {
        errors.push(xinqiao_domain::FieldError::new("confirm", "mismatch", "两次输入的新密码不一致"));
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            layout: Layout::staff("修改密码", user, staff.csrf(), "/account", !state.config.require_admin_totp),
            policy,
            forced: user.must_change_password,
            reset: reset_of(user),
            errors: FormErrors(errors),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let hash = password::hash(new.to_owned()).await?;
    state.store.set_password(&staff.actor(), &user.id, &hash, false, Some(&staff.session.token_hash)).await?;
    Ok(Redirect::to("/account?changed=1").into_response())
}
