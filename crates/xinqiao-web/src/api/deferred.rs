//! 容缺受理 over the API: the bureau tree's applications with the report, accept one, read one,
//! mark it supplied or ended (客户体验官, 主管); read and (主管) change the policy; the applicant's
//! own applications with their reminders (企业用户). The same service as the pages.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::deferred::service::{self, Applicant, Application, Handler};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::deferred::{Policy, Standing, reminder_text};
use xinqiao_store::deferred::Deferred;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeferredApplication {
    /// The applicant (enterprise or 个体工商户), at most 100 characters.
    enterprise_name: String,
    /// Optional 统一社会信用代码: its enterprise accounts then see the application and its reminder.
    #[serde(default)]
    enterprise_uscc: String,
    /// The matter, at most 60 characters (e.g. 食品经营许可).
    matter: String,
    /// The materials to follow, one per item (1–20, each at most 100 characters; personal data masked).
    missing: Vec<String>,
    core_complete: bool,
    promise_signed: bool,
    #[serde(default)]
    bad_credit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DeferredApplication {
    id: String,
    enterprise_name: String,
    enterprise_uscc: Option<String>,
    matter: String,
    missing: Vec<String>,
    /// `YYYY-MM-DD`
    accepted_on: String,
    /// The deadline to supply the materials, on the working-day calendar (`YYYY-MM-DD`).
    deadline: String,
    /// open (待补齐) | supplied (已补齐) | ended (逾期未补，办理终止)
    standing: String,
    standing_label: String,
    closed_on: Option<String>,
    /// The day the reminder before the deadline was given.
    reminded_on: Option<String>,
    /// Working days the matter ran while the materials were on their way.
    days_saved: u32,
}

fn shown(d: Deferred, saved: u32) -> DeferredApplication {
    DeferredApplication {
        id: d.id,
        enterprise_name: d.enterprise_name,
        enterprise_uscc: d.enterprise_uscc,
        matter: d.matter,
        missing: d.missing,
        accepted_on: d.accepted_on.to_string(),
        deadline: d.deadline.to_string(),
        standing: d.standing.code().to_owned(),
        standing_label: d.standing.label().to_owned(),
        closed_on: d.closed_on.map(|x| x.to_string()),
        reminded_on: d.reminded_on.map(|x| x.to_string()),
        days_saved: saved,
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeferredOverview {
    open: usize,
    supplied: usize,
    ended: usize,
    /// Working days saved in all.
    days_saved: u32,
    /// Open applications whose reminder was given (the deadline is near).
    due_soon: usize,
    applications: Vec<DeferredApplication>,
}

/// The applications of the caller's bureau tree, newest first, with the report.
#[utoipa::path(get, path = "/api/v1/deferred", tag = "deferred", security(("bearer" = [])),
    responses((status = 200, body = DeferredOverview), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<DeferredOverview>> {
    let by = Handler::of(&state, &caller.user, caller.actor()).await?;
    let items = service::list(&state, &by).await?;
    let (open, supplied, ended, days_saved) = service::report(&items);
    let due_soon = service::due_soon(&items);
    let applications = items.into_iter().map(|(d, n)| shown(d, n)).collect();
    Ok(Json(DeferredOverview { open, supplied, ended, days_saved, due_soon, applications }))
}

/// Accepts an application with materials to follow (refused, 422, when the policy's conditions fail).
#[utoipa::path(post, path = "/api/v1/deferred", tag = "deferred", security(("bearer" = [])), request_body = NewDeferredApplication,
    responses((status = 201, body = DeferredApplication), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<NewDeferredApplication>,
) -> ApiResult<(StatusCode, Json<DeferredApplication>)> {
    let by = Handler::of(&state, &caller.user, caller.actor()).await?;
    let a = Application {
        enterprise_name: body.enterprise_name,
        enterprise_uscc: body.enterprise_uscc,
        matter: body.matter,
        missing: body.missing.iter().map(|m| m.replace('\n', " ")).collect::<Vec<_>>().join("\n"),
        core_complete: body.core_complete,
        promise_signed: body.promise_signed,
        bad_credit: body.bad_credit,
    };
    let id = service::accept(&state, &by, &a).await?;
    let (d, n) = service::one(&state, &by, &id).await?;
    Ok((StatusCode::CREATED, Json(shown(d, n))))
}

/// One application of the caller's bureau tree.
#[utoipa::path(get, path = "/api/v1/deferred/{id}", tag = "deferred", security(("bearer" = [])),
    params(("id" = String, Path, description = "the application")),
    responses((status = 200, body = DeferredApplication), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeferredApplication>> {
    let by = Handler::of(&state, &caller.user, caller.actor()).await?;
    let (d, n) = service::one(&state, &by, &id).await?;
    Ok(Json(shown(d, n)))
}

async fn close(state: AppState, caller: ApiUser, id: String, supplied: bool) -> ApiResult<Json<DeferredApplication>> {
    let by = Handler::of(&state, &caller.user, caller.actor()).await?;
    service::close(&state, &by, &id, supplied).await?;
    let (d, n) = service::one(&state, &by, &id).await?;
    Ok(Json(shown(d, n)))
}

/// The materials were supplied today (only while open and within the deadline).
#[utoipa::path(post, path = "/api/v1/deferred/{id}/supplied", tag = "deferred", security(("bearer" = [])),
    params(("id" = String, Path, description = "the application")),
    responses((status = 200, body = DeferredApplication), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn supplied(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeferredApplication>> {
    close(state, caller, id, true).await
}

/// Not supplied in time: the matter ends (only after the deadline).
#[utoipa::path(post, path = "/api/v1/deferred/{id}/ended", tag = "deferred", security(("bearer" = [])),
    params(("id" = String, Path, description = "the application")),
    responses((status = 200, body = DeferredApplication), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn ended(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeferredApplication>> {
    close(state, caller, id, false).await
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferredPolicy {
    enabled: bool,
    /// Working days to supply what is missing (1–60).
    days_to_supply: u32,
    refuse_bad_credit: bool,
    /// Working days before the deadline when the applicant and the officer are reminded (0 = on the day).
    remind_before: u32,
    /// Where the rule comes from (read only).
    #[serde(default)]
    source: String,
    /// Whether the source was read in an official text (read only).
    #[serde(default)]
    verified: bool,
}

fn policy_view(p: Policy) -> DeferredPolicy {
    DeferredPolicy {
        enabled: p.enabled,
        days_to_supply: p.days_to_supply,
        refuse_bad_credit: p.refuse_bad_credit,
        remind_before: p.remind_before,
        source: p.source,
        verified: p.verified,
    }
}

/// The bureau's 容缺受理 policy with its source.
#[utoipa::path(get, path = "/api/v1/deferred/policy", tag = "deferred", security(("bearer" = [])),
    responses((status = 200, body = DeferredPolicy), (status = 403, body = ErrorBody)))]
pub async fn get_policy(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<DeferredPolicy>> {
    Handler::of(&state, &caller.user, caller.actor()).await?;
    Ok(Json(policy_view(service::policy(&state).await?)))
}

/// A 主管 changes the policy's parameters (source and verified flag stay as they are).
#[utoipa::path(put, path = "/api/v1/deferred/policy", tag = "deferred", security(("bearer" = [])), request_body = DeferredPolicy,
    responses((status = 200, body = DeferredPolicy), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_policy(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<DeferredPolicy>,
) -> ApiResult<Json<DeferredPolicy>> {
    let by = Handler::of(&state, &caller.user, caller.actor()).await?;
    let p =
        service::set_policy(&state, &by, body.enabled, body.days_to_supply, body.refuse_bad_credit, body.remind_before)
            .await?;
    Ok(Json(policy_view(p)))
}

#[derive(Serialize, ToSchema)]
pub struct OwnDeferred {
    matter: String,
    missing: Vec<String>,
    accepted_on: String,
    deadline: String,
    standing: String,
    standing_label: String,
    /// The reminder's text while the matter is open and its deadline near.
    reminder: Option<String>,
}

/// The applicant's own applications (企业用户, by its 统一社会信用代码) with their reminders.
#[utoipa::path(get, path = "/api/v1/enterprise/deferred", tag = "deferred", security(("bearer" = [])),
    responses((status = 200, body = Vec<OwnDeferred>), (status = 403, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<OwnDeferred>>> {
    let by = Applicant::of(&state, &caller.user, &caller.actor()).await?;
    let own = service::of_applicant(&state, &by).await?;
    Ok(Json(
        own.into_iter()
            .map(|d| OwnDeferred {
                reminder: (d.standing == Standing::Open && d.reminded_on.is_some())
                    .then(|| reminder_text(&d.matter, &d.missing, d.deadline)),
                missing: d.missing,
                matter: d.matter,
                accepted_on: d.accepted_on.to_string(),
                deadline: d.deadline.to_string(),
                standing: d.standing.code().to_owned(),
                standing_label: d.standing.label().to_owned(),
            })
            .collect(),
    ))
}
