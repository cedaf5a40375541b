//! The enterprise's side of an incident about it: an 企业用户 whose 统一社会信用代码 is the
//! incident's sees the incidents about it (title and opening, never the bureau's working notes)
//! and declares the terms and figures it holds to be 商业秘密 — which no statement may then
//! publish. Another enterprise's incident is not found.

use super::SecretInput;
use crate::AppState;
use crate::error::AppError;
use serde::Serialize;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::incidents::statements::secret_term;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::User;

/// An enterprise account acting for its own enterprise.
#[derive(Debug, Clone)]
pub struct Party {
    pub uscc: Uscc,
    pub actor: Actor,
}

impl Party {
    pub fn of(user: &User, actor: Actor) -> Result<Self, AppError> {
        if !allows(&user.roles, Permission::EnterprisePortal) {
            return Err(AppError::forbidden());
        }
        let uscc = user
            .uscc
            .as_deref()
            .and_then(|u| Uscc::parse(u).ok())
            .ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))?;
        Ok(Self { uscc, actor })
    }
}

/// An incident about the enterprise, as the enterprise sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartyIncident {
    pub id: String,
    pub title: String,
    pub opened_at_ms: i64,
    /// The terms and figures declared 商业秘密 for it (by the enterprise or recorded by the bureau).
    pub secrets: Vec<String>,
    /// The public page of its published statements, once there is one.
    pub statements_page: Option<String>,
}

/// The incidents about the enterprise, newest first.
pub async fn party_incidents(state: &AppState, by: &Party) -> Result<Vec<PartyIncident>, AppError> {
    let mut out = Vec::new();
    for i in state.store.incidents_about(&by.uscc, 200).await? {
        let published = state.store.incident_statements(&i.id).await?.iter().any(|s| s.published_at.is_some());
        out.push(PartyIncident {
            secrets: state.store.incident_secrets(&i.id).await?,
            statements_page: published.then(|| format!("/statements/{}", i.id)),
            title: i.title,
            opened_at_ms: i.created_at,
            id: i.id,
        });
    }
    Ok(out)
}

/// The enterprise declares a term or figure 商业秘密 for an incident about it.
pub async fn declare_party_secret(state: &AppState, by: &Party, id: &str, input: SecretInput) -> Result<(), AppError> {
    let incident = state.store.incident(id).await?;
    if incident.enterprise_uscc.as_ref() != Some(&by.uscc) {
        return Err(AppError::NotFound);
    }
    let term = secret_term(&input.term).map_err(super::invalid)?;
    Ok(state.store.declare_incident_secret(&by.actor, id, &term).await?)
}
