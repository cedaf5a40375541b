//! Signing in and out and the second factor (the person's own account is `account`): sessions in
//! HttpOnly SameSite cookies, CSRF tokens on every state-changing form, lockout after repeated
//! failures, and TOTP for the administrator roles.

pub mod check;
mod login;
pub mod password;
mod session;

pub use session::{
    SESSION_COOKIE, STAFF_HINT_COOKIE, Staff, Viewer, actor_of as session_actor, anonymous_csrf, check_anonymous_csrf,
    policy, same as same_token, staff_hint_cookie,
};

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    login::router()
}
