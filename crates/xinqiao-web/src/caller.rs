//! Who is asking, through which door (a signed-in page or a bearer token): what a feature's
//! service authorises, audits and acts as. A leaf module, so every service may take it.

use crate::AppState;
use crate::api_user::ApiUser;
use crate::auth::Staff;
use crate::error::AppError;
use xinqiao_domain::accounts::Permission;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::User;

/// The caller of a service.
pub enum Caller<'a> {
    Page(&'a Staff),
    Api(&'a ApiUser),
}

impl Caller<'_> {
    pub fn user(&self) -> &User {
        match self {
            Caller::Page(s) => s.user(),
            Caller::Api(a) => &a.user,
        }
    }

    pub fn actor(&self) -> Actor {
        match self {
            Caller::Page(s) => s.actor(),
            Caller::Api(a) => a.actor(),
        }
    }

    pub fn can(&self, perm: Permission) -> bool {
        xinqiao_domain::accounts::allows(&self.user().roles, perm)
    }

    /// Refuses (403 with `why`, audited) what the roles would allow but the record at hand does
    /// not.
    pub async fn deny(&self, state: &AppState, target: &str, why: &str) -> Result<(), AppError> {
        match self {
            Caller::Page(s) => s.deny(state, target, why).await,
            Caller::Api(a) => {
                let event =
                    xinqiao_store::audit::Event::new("access.denied", target, xinqiao_domain::audit::Outcome::Denied)
                        .detail(serde_json::json!({"reason": why, "via": "api"}));
                state.store.audit(&a.actor(), event).await?;
                Err(AppError::Forbidden(why.to_owned()))
            }
        }
    }

    /// Refuses (403, audited) a caller whose roles do not carry `perm`.
    pub async fn require(&self, state: &AppState, perm: Permission, target: &str) -> Result<(), AppError> {
        match self {
            Caller::Page(s) => s.require(state, perm, target).await,
            Caller::Api(a) => a.require(state, perm, target).await,
        }
    }
}
