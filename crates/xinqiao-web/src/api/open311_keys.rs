//! Open311 keys over the API (系统管理员): the keys issued per bureau, issuing one (the key is in
//! the answer this once, only its hash is kept) and revoking one — through the Open311 service
//! the keys page uses, so the same permission, checks and audit hold at both doors.

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::open311::service::{self, KeyAdmin, KeyRow};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_store::open311::ApiKey;

/// A key as listed: never the key itself.
#[derive(Serialize, ToSchema)]
pub struct KeyView {
    id: String,
    /// The bureau whose cases the key submits and reads.
    org_id: String,
    bureau: String,
    /// Who uses it, e.g. 随手拍小程序.
    label: String,
    /// The key's first characters, to recognise it.
    prefix: String,
    /// Milliseconds since the epoch.
    created_at_ms: i64,
    /// Set once revoked; a revoked key is refused at once.
    revoked_at_ms: Option<i64>,
}

impl KeyView {
    fn of(key: ApiKey, bureau: String) -> Self {
        KeyView {
            created_at_ms: key.created_at,
            revoked_at_ms: key.revoked_at,
            id: key.id,
            org_id: key.org_id,
            bureau,
            label: key.label,
            prefix: key.prefix,
        }
    }
}

/// A key just issued, with the key itself (shown this once).
#[derive(Serialize, ToSchema)]
pub struct IssuedView {
    #[serde(flatten)]
    key: KeyView,
    /// The key to give the client; it cannot be shown again.
    secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    /// The bureau (organisation id).
    org_id: String,
    /// Who uses it (1 to 60 characters).
    label: String,
}

/// Every Open311 key issued, with its bureau (系统管理员).
#[utoipa::path(get, path = "/api/v1/open311/keys", tag = "open311", security(("bearer" = [])),
    responses((status = 200, body = Vec<KeyView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<KeyView>>> {
    let admin = KeyAdmin::authorise(&state, &Caller::Api(&caller)).await?;
    let keys = service::keys(&state.store, &admin).await?;
    Ok(Json(keys.into_iter().map(|KeyRow { key, bureau }| KeyView::of(key, bureau)).collect()))
}

/// Issues a key for a bureau (系统管理员); the answer carries the key once.
#[utoipa::path(post, path = "/api/v1/open311/keys", tag = "open311", security(("bearer" = [])), request_body = IssueInput,
    responses((status = 201, body = IssuedView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<IssueInput>,
) -> ApiResult<(StatusCode, [(&'static str, &'static str); 1], Json<IssuedView>)> {
    let admin = KeyAdmin::authorise(&state, &Caller::Api(&caller)).await?;
    let issued = service::issue_key(&state.store, &admin, &input.org_id, &input.label).await?;
    let bureau = state.store.org(&issued.key.org_id).await?.name;
    let view = IssuedView { key: KeyView::of(issued.key, bureau), secret: issued.secret };
    Ok((StatusCode::CREATED, [("cache-control", "no-store")], Json(view)))
}

/// Revokes a key (系统管理员): it is refused from now on; revoking it again is a conflict.
#[utoipa::path(post, path = "/api/v1/open311/keys/{id}/revoke", tag = "open311", security(("bearer" = [])),
    params(("id" = String, Path, description = "key id")),
    responses((status = 200, body = KeyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<KeyView>> {
    let admin = KeyAdmin::authorise(&state, &Caller::Api(&caller)).await?;
    let key = service::revoke_key(&state.store, &admin, &id).await?;
    let bureau = state.store.org(&key.org_id).await?.name;
    Ok(Json(KeyView::of(key, bureau)))
}
