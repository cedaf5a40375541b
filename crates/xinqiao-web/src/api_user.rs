//! The account a bearer token belongs to: the extractor every API handler (and any service
//! that takes an API caller) uses.

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::extract::ClientAddr;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::audit::Outcome;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::users::User;

/// The account a bearer token belongs to.
pub struct ApiUser {
    pub user: User,
    pub addr: String,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ClientAddr(addr) =
            ClientAddr::from_request_parts(parts, state).await.unwrap_or(ClientAddr("unknown".into()));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        let user = state.store.token_user(token).await?.ok_or(AppError::Unauthorized)?;
        Ok(ApiUser { user, addr })
    }
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        crate::auth::session_actor(&self.user, &self.addr)
    }

    pub fn can(&self, perm: Permission) -> bool {
        allows(&self.user.roles, perm)
    }

    /// Passes when the roles allow `perm`; otherwise records the refusal and answers 403.
    pub async fn require(&self, state: &AppState, perm: Permission, target: &str) -> Result<(), AppError> {
        if allows(&self.user.roles, perm) {
            return Ok(());
        }
        let event = Event::new("access.denied", target, Outcome::Denied)
            .detail(serde_json::json!({"permission": format!("{perm:?}"), "via": "api"}));
        state.store.audit(&self.actor(), event).await?;
        Err(AppError::forbidden())
    }
}
