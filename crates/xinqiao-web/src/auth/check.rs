//! The password check shared by the login page and the API's token endpoint: lockout, audit of
//! every failure, and one answer for unknown names and wrong passwords alike.

use super::password;
use super::session::{actor_of, policy};
use crate::AppState;
use crate::error::AppError;
use std::sync::atomic::Ordering;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::{time, totp};
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::sessions::Completion;
use xinqiao_store::users::{Credentials, User};

/// Why a password check failed.
#[derive(Debug)]
pub enum LoginError {
    Missing,
    BadCredentials,
    Locked(i64),
    Disabled,
    Internal(AppError),
}

impl From<xinqiao_store::StoreError> for LoginError {
    fn from(e: xinqiao_store::StoreError) -> Self {
        LoginError::Internal(e.into())
    }
}

impl LoginError {
    pub fn into_app_error(self) -> AppError {
        match self {
            LoginError::Missing => AppError::field("username", "required", "请输入用户名和密码。"),
            LoginError::BadCredentials => AppError::BadCredentials,
            LoginError::Locked(until) => AppError::Locked(format!(
                "连续登录失败次数过多，账户已锁定，请于 {} 后再试。",
                &time::format_cst(until)[11..16]
            )),
            LoginError::Disabled => AppError::Forbidden("该账户已停用，请联系系统管理员。".into()),
            LoginError::Internal(e) => e,
        }
    }
}

/// Checks `username` and `password` and returns the account's credentials (with the TOTP
/// secret, if any); every failure is audited. The failure count is cleared only when the whole
/// login completes (`complete`), so wrong second-factor codes after a right password still
/// count toward the lock.
pub async fn check_password(
    state: &AppState,
    username: &str,
    password_text: &str,
    addr: &str,
) -> Result<Credentials, LoginError> {
    let username: String = username.trim().chars().take(64).collect();
    if username.is_empty() || password_text.is_empty() {
        return Err(LoginError::Missing);
    }
    let creds = state.store.credentials(&username).await?;
    let now = state.now_ms();
    if let Some((c, until)) = creds.as_ref().and_then(|c| Some((c, c.user.locked_until.filter(|u| *u > now)?))) {
        let event = Event::new("auth.login", format!("user:{}", c.user.id), Outcome::Failure)
            .detail(serde_json::json!({"reason": "locked"}));
        state.store.audit(&actor_of(&c.user, addr), event).await?;
        // The same Argon2 work as any other attempt, so timing says nothing more.
        password::verify(password_text.to_owned(), None).await;
        return Err(LoginError::Locked(until));
    }
    let ok = password::verify(password_text.to_owned(), creds.as_ref().map(|c| c.password_hash.clone())).await;
    let creds = match creds {
        Some(c) if ok => c,
        other => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let user_id = other.map(|c| c.user.id);
            let reason = if user_id.is_some() { "bad_password" } else { "unknown_user" };
            let who = Actor::anonymous(&username.chars().take(32).collect::<String>(), addr);
            let policy = policy(state).await;
            return Err(match state.store.note_login_failure(&who, user_id.as_deref(), reason, &policy).await? {
                Some(until) => LoginError::Locked(until),
                None => LoginError::BadCredentials,
            });
        }
    };
    if creds.user.disabled {
        let event = Event::new("auth.login", format!("user:{}", creds.user.id), Outcome::Failure)
            .detail(serde_json::json!({"reason": "disabled"}));
        state.store.audit(&actor_of(&creds.user, addr), event).await?;
        return Err(LoginError::Disabled);
    }
    Ok(creds)
}

/// Completes a login whose factors all passed; see `Store::finish_login`.
pub async fn complete(
    state: &AppState,
    user: &User,
    addr: &str,
    how: Completion<'_>,
    factors: &str,
) -> Result<Option<String>, AppError> {
    Ok(state.store.finish_login(&actor_of(user, addr), &user.id, how, factors).await?)
}

pub(crate) fn totp_aad(user_id: &str) -> String {
    format!("totp:{user_id}")
}

/// The TOTP secret as stored: sealed under the data key, bound to its account.
pub fn seal_totp_secret(state: &AppState, user_id: &str, key: &[u8]) -> String {
    state.secrets.seal(&totp_aad(user_id), key)
}

/// Checks a TOTP code for `user` and marks its time step used. False for a wrong, replayed or
/// malformed code; an account without a readable secret cannot pass.
pub async fn check_totp(state: &AppState, user: &User, code: &str) -> Result<bool, AppError> {
    let Some(sealed) = state.store.credentials(&user.username).await?.and_then(|c| c.totp_secret) else {
        return Ok(false);
    };
    let Some(key) = state.secrets.open(&totp_aad(&user.id), &sealed) else {
        tracing::error!("a TOTP secret could not be opened with the configured data keys");
        return Ok(false);
    };
    let now = (state.now_ms() / 1000) as u64;
    match totp::verify(&key, code, now, None) {
        Some(step) => Ok(state.store.consume_totp_step(&user.id, step as i64).await?),
        None => Ok(false),
    }
}

/// Counts a wrong second-factor code toward the lock; returns the lock's end when it locked.
pub async fn totp_failed(state: &AppState, user: &User, addr: &str) -> Result<Option<i64>, AppError> {
    state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
    let policy = policy(state).await;
    Ok(state.store.note_login_failure(&actor_of(user, addr), Some(&user.id), "bad_totp", &policy).await?)
}
