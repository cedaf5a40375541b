//! Accounts over the API: bearer tokens, the caller's own account, user administration and the
//! organisation list. The same separation of duties as the pages applies.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::account::service as own;
use crate::admin::service;
pub use crate::admin::service::{CreateUser, UpdateUser};
use crate::auth::check::{LoginError, check_password, check_totp, complete, totp_failed};
use crate::auth::session_actor;
use crate::caller::Caller;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ClientAddr};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::accounts::needs_second_factor;
use xinqiao_store::sessions::Completion;
use xinqiao_store::users::User;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    username: String,
    password: String,
    /// The current TOTP code; required for accounts with a second factor.
    totp_code: Option<String>,
    /// A name to recognise the token by.
    name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// The bearer token. Shown only in this answer; the server keeps a hash.
    token: String,
    token_id: String,
}

/// Exchange a login for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 423, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    let creds = check_password(&state, &req.username, &req.password, &addr).await.map_err(|e| e.into_app_error())?;
    let user = &creds.user;
    let factors = if creds.totp_secret.is_some() {
        if !check_totp(&state, user, req.totp_code.as_deref().unwrap_or_default()).await? {
            if let Some(until) = totp_failed(&state, user, &addr).await? {
                return Err(LoginError::Locked(until).into_app_error().into());
            }
            return Err(AppError::SecondFactor("需要有效的动态验证码（totp_code）".into()).into());
        }
        "password+totp"
    } else if needs_second_factor(&user.roles) && state.config.require_admin_totp {
        return Err(AppError::Forbidden("管理员须先在网页登录并绑定动态验证码".into()).into());
    } else {
        "password"
    };
    if user.must_change_password {
        return Err(AppError::Forbidden("须先在网页登录并修改初始密码".into()).into());
    }
    complete(&state, user, &addr, Completion::NoSession, factors).await?;
    let name = req.name.unwrap_or_else(|| "API".into());
    let (info, token) = state.store.create_token(&session_actor(user, &addr), &user.id, &name).await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token, token_id: info.id })))
}

/// An account as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct UserView {
    id: String,
    username: String,
    display_name: String,
    org_id: Option<String>,
    org_name: Option<String>,
    /// 统一社会信用代码 of an enterprise user.
    uscc: Option<String>,
    /// Role codes: enterprise, officer, supervisor, reviewer, sysadmin, secadmin, auditadmin.
    roles: Vec<String>,
    disabled: bool,
    locked: bool,
    totp_enabled: bool,
    /// Epoch milliseconds.
    created_at: i64,
}

impl UserView {
    fn of(u: User, now_ms: i64) -> Self {
        Self {
            locked: u.locked_until.is_some_and(|t| t > now_ms),
            roles: u.roles.iter().map(|r| r.code().to_owned()).collect(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            org_id: u.org_id,
            org_name: u.org_name,
            uscc: u.uscc,
            disabled: u.disabled,
            totp_enabled: u.totp_enabled,
            created_at: u.created_at,
        }
    }
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: ApiUser) -> Json<UserView> {
    Json(UserView::of(caller.user, state.now_ms()))
}

/// Every account (系统管理员, 安全管理员).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<UserView>>> {
    let users = service::list(&state, &Caller::Api(&caller)).await?;
    Ok(Json(users.into_iter().map(|u| UserView::of(u, state.now_ms())).collect()))
}

/// Create an account (系统管理员; administrator roles only by 安全管理员).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])), request_body = CreateUser,
    responses((status = 201, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let user = service::create(&state, &Caller::Api(&caller), req).await?;
    Ok((StatusCode::CREATED, Json(UserView::of(user, state.now_ms()))))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "account id")),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(UserView::of(service::get(&state, &Caller::Api(&caller), &id).await?, state.now_ms())))
}

/// Change an account's roles, organisation or status. Each part is checked against the
/// caller's duties; nothing is changed when the request is refused as a whole.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", security(("bearer" = [])), request_body = UpdateUser,
    params(("id" = String, Path, description = "account id")),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateUser>,
) -> ApiResult<Json<UserView>> {
    let user = service::update(&state, &Caller::Api(&caller), &id, req).await?;
    Ok(Json(UserView::of(user, state.now_ms())))
}

/// A temporary password set by an administrator.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemporaryPassword {
    /// Checked against the security policy; its holder must change it at the next sign-in.
    password: String,
}

/// Sets a temporary password on someone else's account (系统管理员; one's own is changed under
/// `/api/v1/me/password`). Its holder must change it at the next sign-in.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", security(("bearer" = [])),
    request_body = TemporaryPassword, params(("id" = String, Path, description = "account id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<TemporaryPassword>,
) -> ApiResult<StatusCode> {
    service::reset_password(&state, &Caller::Api(&caller), &id, &input.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Clears an account's second factor (安全管理员); its holder binds a new one at the next sign-in.
#[utoipa::path(post, path = "/api/v1/users/{id}/totp-reset", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "account id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_totp(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    service::reset_totp(&state, &Caller::Api(&caller), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct OrgView {
    id: String,
    /// GB/T 2260 region code.
    region_code: String,
    name: String,
    parent_id: Option<String>,
}

/// The bureau hierarchy.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<OrgView>), (status = 401, body = ErrorBody)))]
pub async fn list_orgs(State(state): State<AppState>, _caller: ApiUser) -> ApiResult<Json<Vec<OrgView>>> {
    let orgs = state.store.list_orgs().await?;
    Ok(Json(
        orgs.into_iter()
            .map(|o| OrgView { id: o.id, region_code: o.region_code, name: o.name, parent_id: o.parent_id })
            .collect(),
    ))
}

/// Adds a bureau to the hierarchy (系统管理员); a taken region code is 422 under `region_code`.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "accounts", security(("bearer" = [])), request_body = service::CreateOrg,
    responses((status = 201, body = OrgView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<service::CreateOrg>,
) -> ApiResult<(StatusCode, Json<OrgView>)> {
    let o = service::create_org(&state, &Caller::Api(&caller), input).await?;
    Ok((
        StatusCode::CREATED,
        Json(OrgView { id: o.id, region_code: o.region_code, name: o.name, parent_id: o.parent_id }),
    ))
}

/// The account-security policy, as 安全管理员 sets it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pub min_password_len: u32,
    pub min_char_classes: u32,
    pub max_failed_logins: u32,
    pub lock_minutes: u32,
    pub idle_timeout_minutes: u32,
}

impl From<xinqiao_domain::accounts::SecurityPolicy> for PolicyBody {
    fn from(p: xinqiao_domain::accounts::SecurityPolicy) -> Self {
        Self {
            min_password_len: p.min_password_len,
            min_char_classes: p.min_char_classes,
            max_failed_logins: p.max_failed_logins,
            lock_minutes: p.lock_minutes,
            idle_timeout_minutes: p.idle_timeout_minutes,
        }
    }
}

/// The account-security policy (安全管理员).
#[utoipa::path(get, path = "/api/v1/security-policy", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = PolicyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_policy(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<PolicyBody>> {
    Ok(Json(service::security_policy(&state, &Caller::Api(&caller)).await?.into()))
}

/// Replaces the account-security policy within its bounds (安全管理员); it takes effect at once.
#[utoipa::path(put, path = "/api/v1/security-policy", tag = "accounts", security(("bearer" = [])), request_body = PolicyBody,
    responses((status = 200, body = PolicyBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(b): ApiJson<PolicyBody>,
) -> ApiResult<Json<PolicyBody>> {
    let proposed = xinqiao_domain::accounts::SecurityPolicy {
        min_password_len: b.min_password_len,
        min_char_classes: b.min_char_classes,
        max_failed_logins: b.max_failed_logins,
        lock_minutes: b.lock_minutes,
        idle_timeout_minutes: b.idle_timeout_minutes,
    };
    service::set_security_policy(&state, &Caller::Api(&caller), proposed).await?;
    Ok(Json(proposed.into()))
}

/// The caller's own API tokens (never their values).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<own::TokenView>), (status = 401, body = ErrorBody)))]
pub async fn my_tokens(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<own::TokenView>>> {
    Ok(Json(own::tokens(&state, &Caller::Api(&caller)).await?))
}

/// Makes another token for the caller; its value is shown only in this answer.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])), request_body = own::TokenInput,
    responses((status = 201, body = own::NewToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_token(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<own::TokenInput>,
) -> ApiResult<(StatusCode, Json<own::NewToken>)> {
    Ok((StatusCode::CREATED, Json(own::create_token(&state, &Caller::Api(&caller), input).await?)))
}

/// The caller's unread security notices (a lock, failed sign-ins on their account), newest first.
#[utoipa::path(get, path = "/api/v1/me/notices", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Vec<own::NoticeView>), (status = 401, body = ErrorBody)))]
pub async fn my_notices(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<own::NoticeView>>> {
    Ok(Json(own::notices(&state, &Caller::Api(&caller), 50).await?))
}

/// Marks one of the caller's unread notices read (another's, or one already read, is 404).
#[utoipa::path(post, path = "/api/v1/me/notices/{id}/dismiss", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "the notice's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn dismiss_notice(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    own::dismiss_notice(&state, &Caller::Api(&caller), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes one of the caller's own tokens (another's is 404).
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "the token's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    own::revoke_token(&state, &Caller::Api(&caller), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the caller's password (every mistake under its field; a wrong current password counts
/// toward the lock). Every signed-in session ends.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", security(("bearer" = [])), request_body = own::PasswordInput,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<own::PasswordInput>,
) -> ApiResult<StatusCode> {
    own::change_password(&state, &Caller::Api(&caller), input, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
