//! The signed-in person's own account, the one service: their security notices (listed and
//! dismissed), their API tokens (listed, made — the value shown once — and revoked) and their
//! password (the current one checked, a wrong one
//! counted toward the lock like a wrong login, the bureau's policy applied). The /account pages
//! and `/api/v1/me/…` both call it.

use crate::AppState;
use crate::auth::{password, policy};
use crate::caller::Caller;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::FieldError;

/// A new token's name (blank: 未命名令牌; at most 64 characters are kept).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    #[serde(default)]
    pub name: String,
}

/// One of the caller's tokens (never its value).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    pub revoked: bool,
}

/// A token just made: its value, shown only this once (the server keeps a hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    pub id: String,
    pub token: String,
}

/// The password change: the current one, the new one twice.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub new: String,
    #[serde(default)]
    pub confirm: String,
}

/// The caller's tokens, newest first.
pub async fn tokens(state: &AppState, caller: &Caller<'_>) -> Result<Vec<TokenView>, AppError> {
    Ok(state
        .store
        .list_tokens(&caller.user().id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created_at_ms: t.created_at,
            last_used_at_ms: t.last_used_at,
            revoked: t.revoked,
        })
        .collect())
}

/// A security notice for the caller (a lock, sign-ins that failed on their account).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub id: String,
    pub text: String,
    pub at_ms: i64,
}

/// The caller's unread security notices, newest first (at most `limit`).
pub async fn notices(state: &AppState, caller: &Caller<'_>, limit: i64) -> Result<Vec<NoticeView>, AppError> {
    let notices = state.store.notices(&caller.user().id, limit).await?;
    Ok(notices.into_iter().map(|n| NoticeView { id: n.id, text: n.text, at_ms: n.at_ms }).collect())
}

/// Marks one of the caller's unread notices read (another's, or one already read, is 404).
pub async fn dismiss_notice(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<(), AppError> {
    if state.store.dismiss_notice(&caller.user().id, id).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// Makes a token for the caller.
pub async fn create_token(state: &AppState, caller: &Caller<'_>, input: TokenInput) -> Result<NewToken, AppError> {
    let name = input.name.trim();
    let name = if name.is_empty() { "未命名令牌" } else { name };
    let (info, token) = state.store.create_token(&caller.actor(), &caller.user().id, name).await?;
    Ok(NewToken { id: info.id, token })
}

/// Revokes one of the caller's own tokens (another's is 404).
pub async fn revoke_token(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<(), AppError> {
    Ok(state.store.revoke_token(&caller.actor(), &caller.user().id, id).await?)
}

/// Changes the caller's password. Every mistake is told under its field; a wrong current
/// password counts toward the lock, and a lock ends the request as 401. Other sessions end; the
/// page's own session (`keep`) stays signed in.
pub async fn change_password(
    state: &AppState,
    caller: &Caller<'_>,
    input: PasswordInput,
    keep: Option<&str>,
) -> Result<(), AppError> {
    let policy = policy(state).await;
    let user = caller.user();
    let (current, new, confirm) = (input.current.as_str(), input.new.as_str(), input.confirm.as_str());
    let mut errors = Vec::new();
    let stored = state.store.credentials(&user.username).await?.ok_or(AppError::Unauthorized)?;
    if !password::verify(current.to_owned(), Some(stored.password_hash)).await {
        // A borrowed session cannot guess the current password at leisure.
        let locked =
            state.store.note_login_failure(&caller.actor(), Some(&user.id), "bad_current_password", &policy).await?;
        if locked.is_some() {
            return Err(AppError::Unauthorized);
        }
        errors.push(FieldError::new("current", "wrong_password", "当前密码不正确"));
    }
    if let Err(e) = policy.check_password(new, &user.username) {
        errors.push(e.with_field("new"));
    } else if new == current {
        errors.push(FieldError::new("new", "unchanged", "新密码不能与当前密码相同"));
    }
    if new != confirm {
        errors.push(FieldError::new("confirm", "mismatch", "两次输入的新密码不一致"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = password::hash(new.to_owned()).await?;
    state.store.set_password(&caller.actor(), &user.id, &hash, false, keep).await?;
    Ok(())
}
