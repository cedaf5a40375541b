//! The enterprise's incident page (/enterprise/incidents): the incidents about its own
//! enterprise and a form per incident to declare terms and figures 商业秘密, which statements may
//! then not publish. The service decides; another enterprise's incident is not found.

use super::service::{self, Party, PartyIncident, SecretInput};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::TypedForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/enterprise/incidents", get(page)).route("/enterprise/incidents/{id}/secrets", post(declare))
}

#[derive(Template)]
#[template(path = "incidents/party.html")]
struct PartyPage {
    layout: Layout,
    incidents: Vec<PartyRow>,
}

struct PartyRow {
    i: PartyIncident,
    opened: String,
    /// Why this incident's form was refused.
    error: Option<String>,
}

async fn show(state: &AppState, staff: &Staff, error: Option<(String, AppError)>) -> PageResult<Response> {
    let by = Party::of(staff.user(), staff.actor())?;
    let status = error.as_ref().map_or(axum::http::StatusCode::OK, |(_, e)| e.status());
    let layout = Layout::staff(
        "事件中的商业秘密",
        staff.user(),
        staff.csrf(),
        "/enterprise/incidents",
        !state.config.require_admin_totp,
    );
    let error = error.map(|(id, e)| (id, e.fields().first().map_or_else(|| e.to_string(), |f| f.message.clone())));
    let incidents = service::party_incidents(state, &by)
        .await?
        .into_iter()
        .map(|i| PartyRow {
            opened: format_cst(i.opened_at_ms),
            error: error.as_ref().filter(|(id, _)| *id == i.id).map(|(_, m)| m.clone()),
            i,
        })
        .collect();
    Ok((status, render(&PartyPage { layout, incidents })?).into_response())
}

async fn page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    show(&state, &staff, None).await
}

#[derive(Debug, Deserialize)]
struct SecretForm {
    csrf: String,
    term: String,
}

async fn declare(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    TypedForm(f): TypedForm<SecretForm>,
) -> PageResult<Response> {
    staff.check_csrf_token(&f.csrf)?;
    let by = Party::of(staff.user(), staff.actor())?;
    match service::declare_party_secret(&state, &by, &id, SecretInput { term: f.term }).await {
        Ok(()) => Ok(Redirect::to("/enterprise/incidents").into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => show(&state, &staff, Some((id, e))).await,
        Err(e) => Err(e.into()),
    }
}
