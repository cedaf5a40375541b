//! Administration pages: accounts (系统管理员; role grants also 安全管理员) and the security
//! policy (安全管理员). Every action passes the permission gate and is audited by the store.

mod orgs;
mod security;
pub(crate) mod service;
mod users;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    users::router().merge(security::router()).merge(orgs::router())
}
