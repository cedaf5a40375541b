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
    /// Too many wrong attempts for this name from this client: wait until then.
    Throttled(i64),
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
            LoginError::Throttled(until) => AppError::TooManyRequests {
                message: format!("登录尝试过于频繁，请于 {} 后再试。", &time::format_cst(until)[11..19]),
                retry_after: 1,
            },
            LoginError::Disabled => AppError::Forbidden("该账户已停用，请联系系统管理员。".into()),
            LoginError::Internal(e) => e,
        }
    }
}

/// The throttling key of a sign-in attempt: an HMAC of the typed name and the client, so the
/// name itself is never stored.
pub fn throttle_key(state: &AppState, username: &str, addr: &str) -> String {
    state.secrets.blind_index("login", &format!("{}|{addr}", username.to_lowercase()))
}

/// How a failed sign-in with an unknown name appears in the audit trail: never what was typed
/// (a password typed into the name field would be kept), only a keyed digest to correlate attempts.
fn unknown_name(state: &AppState, username: &str) -> String {
    let digest = state.secrets.blind_index("login-name", &username.to_lowercase());
    format!("未知用户名#{}", digest.chars().take(12).collect::<String>())
}

/// Checks `username` and `password` and returns the account's credentials (with the TOTP
/// secret, if any); every failure is audited. Wrong attempts slow down this name from this
/// client (the same for unknown and existing names); an account locked by failures inside a
/// session or at the second factor answers like a wrong password, so neither can be told apart.
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
    let key = throttle_key(state, &username, addr);
    if let Some(until) = state.store.login_throttled(&key).await? {
        return Err(LoginError::Throttled(until));
    }
    let creds = state.store.credentials(&username).await?;
    let now = state.now_ms();
    let ok = password::verify(password_text.to_owned(), creds.as_ref().map(|c| c.password_hash.clone())).await;
    let locked = creds.as_ref().is_some_and(|c| c.user.locked_until.is_some_and(|u| u > now));
    let creds = match creds {
        Some(c) if ok && !locked => c,
        other => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let (who, failure) = match &other {
                Some(c) => (
                    actor_of(&c.user, addr),
                    xinqiao_store::throttle::Failure {
                        user_id: Some(&c.user.id),
                        username: Some(&c.user.username),
                        reason: if locked { "locked" } else { "bad_password" },
                        key: &key,
                        client: addr,
                    },
                ),
                None => (
                    Actor::anonymous(&unknown_name(state, &username), addr),
                    xinqiao_store::throttle::Failure {
                        user_id: None,
                        username: None,
                        reason: "unknown_user",
                        key: &key,
                        client: addr,
                    },
                ),
            };
            let policy = policy(state).await;
            state.store.login_failed(&who, &failure, &policy).await?;
            return Err(LoginError::BadCredentials);
        }
    };
    if creds.user.disabled {
        let event = Event::new("auth.login", format!("user:{}", creds.user.id), Outcome::Failure)
            .detail(serde_json::json!({"reason": "disabled"}));
        state.store.audit(&actor_of(&creds.user, addr), event).await?;
        return Err(LoginError::Disabled);
    }
    state.store.login_succeeded(&key).await?;
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
