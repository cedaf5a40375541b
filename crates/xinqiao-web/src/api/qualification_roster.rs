//! 任职资格 in the JSON API after the certificate: the officer roster and a certificate's state,
//! the annual review (the platform's evidence and the reviewer's record), and a reviewer's declared
//! tie — the same steps as the pages.

use super::qualification::{Created, either};
use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::qualification::review::{self, Indicator, ReviewInput};
use crate::qualification::roster::{self, RosterEntry};
use crate::qualification::service::{self};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::accounts::Permission;
/// The officer roster: every certificate with its status today.
#[utoipa::path(get, path = "/api/v1/qualification/roster", tag = "qualification", security(("bearer" = [])),
    responses((status = 200, body = Vec<RosterEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn roster_list(State(state): State<AppState>, user: ApiUser) -> ApiResult<Json<Vec<RosterEntry>>> {
    either(&state, &user).await?;
    let today = service::today(&state);
    let rows = roster::visible_certificates(&state, &user.user).await?;
    Ok(Json(rows.iter().map(|c| roster::entry(c, today)).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateChange {
    #[serde(default)]
    reason: String,
}

/// Suspends, revokes or reinstates a certificate (supervisors); `action` is `suspend`, `revoke`
/// or `reinstate`.
#[utoipa::path(post, path = "/api/v1/qualification/certificates/{number}/{action}", tag = "qualification", security(("bearer" = [])), request_body = StateChange,
    params(("number" = String, Path, description = "certificate number"), ("action" = String, Path, description = "suspend | revoke | reinstate")),
    responses((status = 200, body = RosterEntry), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((number, action)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<StateChange>,
) -> ApiResult<Json<RosterEntry>> {
    user.require(&state, Permission::SuperviseCases, "qualification.certificate").await?;
    Ok(Json(roster::change_state(&state, &user.actor(), &user.user, &number, &action, &req.reason).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearParam {
    /// Calendar year (default: this year).
    #[param(minimum = 2000, maximum = 2100)]
    year: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDoc {
    certificate: RosterEntry,
    year: i64,
    indicators: Vec<Indicator>,
}

/// A certificate holder's year from the platform's records, mapped onto the seven dimensions.
#[utoipa::path(get, path = "/api/v1/qualification/certificates/{number}/review", tag = "qualification", security(("bearer" = [])),
    params(("number" = String, Path, description = "certificate number"), YearParam),
    responses((status = 200, body = ReviewDoc), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review_doc(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiQuery(q): ApiQuery<YearParam>,
) -> ApiResult<Json<ReviewDoc>> {
    user.require(&state, Permission::SuperviseCases, "qualification.review").await?;
    let row = state.store.certificate(&number).await.map_err(AppError::from)?;
    if row.certificate.holder != user.user.id {
        service::oversee(&state, &user.user, &row.certificate.holder, row.holder_org.as_deref()).await?;
    }
    let today = service::today(&state);
    let year = q.year.unwrap_or_else(|| xinqiao_domain::time::civil_from_days(today.0).0);
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", "out_of_range", "年份应在2000至2100之间").into());
    }
    let evidence = review::year_evidence(&state, &row.certificate.holder, year).await?;
    Ok(Json(ReviewDoc {
        certificate: roster::entry(&row, today),
        year,
        indicators: review::indicators(&evidence, None),
    }))
}

/// Records the annual review (supervisors); a confirmed breach suspends the certificate at once.
#[utoipa::path(post, path = "/api/v1/qualification/certificates/{number}/review", tag = "qualification", security(("bearer" = [])), request_body = ReviewInput,
    params(("number" = String, Path, description = "certificate number")),
    responses((status = 201, body = Created), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(req): ApiJson<ReviewInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    user.require(&state, Permission::SuperviseCases, "qualification.review").await?;
    let id = review::record(&state, &user.actor(), &user.user, &number, &req).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// An assessor declares a relative (亲属) or a conflict of interest with a candidate; the draw
/// then passes them over for that candidate's panels.
#[utoipa::path(post, path = "/api/v1/qualification/assessor-ties", tag = "qualification", security(("bearer" = [])),
    request_body = crate::qualification::ties::AssessorTieInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare_tie(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<crate::qualification::ties::AssessorTieInput>,
) -> ApiResult<StatusCode> {
    crate::qualification::ties::declare_assessor_tie(&state, &crate::caller::Caller::Api(&caller), input).await?;
    Ok(StatusCode::NO_CONTENT)
}
