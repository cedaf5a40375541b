//! 廉洁登记 over the API: record an entry and read one's own (客户体验官, 主管), read the bureau
//! tree's (主管). The same service as the pages.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::integrity::service::{self, Officer, Supervisor};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::integrity::EntryForm;
use xinqiao_store::integrity::IntegrityEntry;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// improper_request (请托) | gift (礼品礼金) | invitation (宴请或活动邀请) | inspection_contact (检查中的接触)
    kind: String,
    /// `YYYY-MM-DD`, not in the future, within a year.
    date: String,
    #[serde(default)]
    enterprise_uscc: String,
    #[serde(default)]
    enterprise_name: String,
    /// What happened (5–1000 characters; personal data is masked before storing).
    happened: String,
    /// What the officer did (2–500 characters).
    action: String,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Entry {
    id: String,
    officer: String,
    kind: String,
    date: String,
    enterprise_uscc: Option<String>,
    enterprise_name: String,
    happened: String,
    action: String,
    /// A 请托 that made a tie: the officer steps aside from that enterprise's cases.
    tie: bool,
}

fn shown(e: &IntegrityEntry) -> Entry {
    Entry {
        id: e.id.clone(),
        officer: e.user_name.clone(),
        kind: e.kind.code().to_owned(),
        date: e.day.to_string(),
        enterprise_uscc: e.enterprise_uscc.as_ref().map(|u| u.as_str().to_owned()),
        enterprise_name: e.enterprise_name.clone(),
        happened: e.happened_masked.clone(),
        action: e.action_masked.clone(),
        tie: e.tied,
    }
}

/// Record an entry in one's own register.
#[utoipa::path(post, path = "/api/v1/integrity", tag = "integrity", security(("bearer" = [])), request_body = NewEntry,
    responses((status = 201, body = Recorded), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<NewEntry>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let officer = Officer::authorise(&state, &caller.user, caller.actor()).await?;
    let form = EntryForm {
        kind: body.kind,
        date: body.date,
        enterprise_uscc: body.enterprise_uscc,
        enterprise_name: body.enterprise_name,
        happened: body.happened,
        action: body.action,
    };
    let id = service::record(&state, &officer, &form).await?;
    Ok((StatusCode::CREATED, Json(Recorded { id })))
}

/// One's own entries, newest first.
#[utoipa::path(get, path = "/api/v1/integrity", tag = "integrity", security(("bearer" = [])),
    responses((status = 200, body = Vec<Entry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<Entry>>> {
    let officer = Officer::authorise(&state, &caller.user, caller.actor()).await?;
    Ok(Json(service::mine(&state, &officer).await?.iter().map(shown).collect()))
}

/// The entries of the supervisor's bureau tree in the last year.
#[utoipa::path(get, path = "/api/v1/integrity/bureau", tag = "integrity", security(("bearer" = [])),
    responses((status = 200, body = Vec<Entry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn bureau(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<Entry>>> {
    let supervisor = Supervisor::authorise(&state, &caller.user, &caller.actor()).await?;
    Ok(Json(service::bureau(&state, &supervisor, 365).await?.iter().map(shown).collect()))
}
