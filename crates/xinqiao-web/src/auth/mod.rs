//! Signing in and out, the second factor, and the signed-in person's own account: sessions in
//! HttpOnly SameSite cookies, CSRF tokens on every state-changing form, lockout after repeated
//! failures, and TOTP for the administrator roles.

mod account;
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
    login::router().merge(account::router())
}
