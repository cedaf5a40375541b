//! The signed-in person's own pages: account security (password, second factor, API tokens),
//! through the one service of their own account (`service.rs`), which `/api/v1/me/…` calls too.

pub mod service;

use crate::AppState;
use crate::auth::{Staff, policy};
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use service::{self as own, PasswordInput, TokenInput, TokenView};
use xinqiao_domain::accounts::SecurityPolicy;
use xinqiao_domain::time::format_cst;

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
    // Dismissed twice (a second tab, a double click) is still dismissed: no error page.
    match service::dismiss_notice(&state, &Caller::Page(&staff), &id).await {
        Ok(()) | Err(AppError::NotFound) => Ok(Redirect::to("/").into_response()),
        Err(e) => Err(e.into()),
    }
}

struct TokenRow {
    id: String,
    name: String,
    created: String,
    last_used: String,
    revoked: bool,
}

impl From<TokenView> for TokenRow {
    fn from(t: TokenView) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created: format_cst(t.created_at_ms),
            last_used: t.last_used_at_ms.map_or_else(|| "从未使用".into(), format_cst),
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
    let tokens = own::tokens(state, &Caller::Page(staff)).await?.into_iter().map(TokenRow::from).collect();
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

async fn token_create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let made = own::create_token(&state, &Caller::Page(&staff), form.typed::<TokenInput>(&[])?).await?;
    account_view(&state, &staff, Some(made.token), Some("令牌已创建。它只显示这一次，请立即妥善保存。".into())).await
}

async fn token_revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    own::revoke_token(&state, &Caller::Page(&staff), &id).await?;
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
    let input: PasswordInput = form.typed(&[])?;
    match own::change_password(&state, &Caller::Page(&staff), input, Some(&staff.session.token_hash)).await {
        Ok(()) => Ok(Redirect::to("/account?changed=1").into_response()),
        Err(AppError::Validation(errors)) => {
            let user = staff.user();
            let page = PasswordPage {
                layout: Layout::staff("修改密码", user, staff.csrf(), "/account", !state.config.require_admin_totp),
                policy: policy(&state).await,
                forced: user.must_change_password,
                reset: reset_of(user),
                errors: FormErrors(errors),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
