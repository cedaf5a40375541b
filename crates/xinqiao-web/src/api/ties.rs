//! 回避申报 over the API: an officer reads their declared ties and industries, declares a tie and
//! replaces their industries. The same service as the /ties page.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::caller::Caller;
use crate::cases::ties::service::{self, Declarations, IndustriesInput, TieInput};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Declared {
    id: String,
}

/// The caller's declared ties (a person never in clear) and industries.
#[utoipa::path(get, path = "/api/v1/ties", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = Declarations), (status = 403, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Declarations>> {
    Ok(Json(service::mine(&state, &Caller::Api(&caller)).await?))
}

/// Declares a tie to an enterprise or a person; that party's cases are no longer assigned to the
/// caller.
#[utoipa::path(post, path = "/api/v1/ties", tag = "cases", security(("bearer" = [])), request_body = TieInput,
    responses((status = 201, body = Declared), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<TieInput>,
) -> ApiResult<(StatusCode, Json<Declared>)> {
    let id = service::declare(&state, &Caller::Api(&caller), input).await?;
    Ok((StatusCode::CREATED, Json(Declared { id })))
}

/// Replaces the caller's industries (GB/T 4754 sections); an unknown section is refused.
#[utoipa::path(put, path = "/api/v1/ties/industries", tag = "cases", security(("bearer" = [])), request_body = IndustriesInput,
    responses((status = 200, body = Vec<String>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn industries(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<IndustriesInput>,
) -> ApiResult<Json<Vec<String>>> {
    let chosen = service::set_industries(&state, &Caller::Api(&caller), input).await?;
    Ok(Json(chosen.into_iter().map(String::from).collect()))
}
