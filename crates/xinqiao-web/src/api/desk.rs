//! The officer's desk and the enterprise portal over the API: notes on a case, the complainant's
//! contact details read for a stated purpose, the work log, 先行和解's list and window, and the
//! enterprise's own complaints with its replies and settlement proposals. The same services as
//! the pages (`cases/desk.rs`, `cases/odr/service.rs`, `cases/portal.rs`).

use super::ErrorBody;
use super::case_staff::case_id;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::cases::desk::{self, Identity, NoteInput, PurposeInput, WorkLogEntry, WorkLogInput};
use crate::cases::odr::service::{self as odr, EnterpriseInput, OdrView, PolicyInput};
use crate::cases::portal::{self, PortalCase, PortalList, ProposalInput, ReplyInput};
use crate::cases::service::case_by_code;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// An internal note on a case the caller handles (masked; never shown to the enterprise).
#[utoipa::path(post, path = "/api/v1/cases/{code}/notes", tag = "cases", security(("bearer" = [])),
    request_body = NoteInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<NoteInput>,
) -> ApiResult<StatusCode> {
    let by = Caller::Api(&caller);
    let case = case_by_code(&state, &by, &code).await?;
    desk::add_note(&state, &by, &case, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The complainant's contact details as the look at them found them.
#[derive(Serialize, ToSchema)]
pub struct IdentityView {
    /// Submitted anonymously: no details exist.
    pub anonymous: bool,
    pub name: Option<String>,
    pub mobile: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
}

/// The complainant's contact details, for a stated purpose (audited with the purpose, masked).
/// Details sealed under a key this node lacks answer 503 and are never guessed at.
#[utoipa::path(post, path = "/api/v1/cases/{code}/identity", tag = "cases", security(("bearer" = [])),
    request_body = PurposeInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 200, body = IdentityView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn identity(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<PurposeInput>,
) -> ApiResult<Json<IdentityView>> {
    let by = Caller::Api(&caller);
    let case = case_by_code(&state, &by, &code).await?;
    let none = IdentityView { anonymous: true, name: None, mobile: None, id_number: None, address: None };
    Ok(Json(match desk::read_identity(&state, &by, &case, input).await? {
        Identity::Anonymous => none,
        Identity::Shown(c) => IdentityView {
            anonymous: false,
            name: Some(c.name),
            mobile: c.mobile,
            id_number: c.id_number,
            address: Some(c.address),
        },
        Identity::Unopenable => {
            return Err(AppError::Refused {
                status: 503,
                code: "identity_unopenable",
                message: "联系方式已加密保存，但本节点的密钥无法解开。请联系系统管理员恢复正确的密钥文件。".into(),
            }
            .into());
        }
    }))
}

/// The caller's work log, newest day first (at most 200).
#[utoipa::path(get, path = "/api/v1/worklog", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = Vec<WorkLogEntry>), (status = 403, body = ErrorBody)))]
pub async fn work_logs(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<WorkLogEntry>>> {
    Ok(Json(desk::work_logs(&state, &Caller::Api(&caller)).await?))
}

/// Adds a day to the caller's work log (masked).
#[utoipa::path(post, path = "/api/v1/worklog", tag = "cases", security(("bearer" = [])), request_body = WorkLogInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_work_log(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<WorkLogInput>,
) -> ApiResult<StatusCode> {
    desk::add_work_log(&state, &Caller::Api(&caller), input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 先行和解: the enterprises on the list and the window (supervisors).
#[utoipa::path(get, path = "/api/v1/odr", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = OdrView), (status = 403, body = ErrorBody)))]
pub async fn odr_show(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<OdrView>> {
    Ok(Json(odr::show(&state, &Caller::Api(&caller)).await?))
}

/// Adds an enterprise to 先行和解 (409 when it is on the list already).
#[utoipa::path(post, path = "/api/v1/odr", tag = "cases", security(("bearer" = [])), request_body = EnterpriseInput,
    responses((status = 201, body = OdrView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn odr_join(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<OdrView>)> {
    let by = Caller::Api(&caller);
    odr::join(&state, &by, input).await?;
    Ok((StatusCode::CREATED, Json(odr::show(&state, &by).await?)))
}

/// Takes an enterprise off the list; complaints already settling keep their window.
#[utoipa::path(delete, path = "/api/v1/odr/{uscc}", tag = "cases", security(("bearer" = [])),
    params(("uscc" = String, Path, description = "统一社会信用代码")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn odr_leave(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(uscc): ApiPath<String>,
) -> ApiResult<StatusCode> {
    odr::leave(&state, &Caller::Api(&caller), &uscc).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets the window (1–30 working days) for complaints received from now on.
#[utoipa::path(put, path = "/api/v1/odr/policy", tag = "cases", security(("bearer" = [])), request_body = PolicyInput,
    responses((status = 200, body = OdrView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn odr_policy(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<PolicyInput>,
) -> ApiResult<Json<OdrView>> {
    let by = Caller::Api(&caller);
    odr::set_policy(&state, &by, input).await?;
    Ok(Json(odr::show(&state, &by).await?))
}

/// The complaints about the caller's own enterprise (企业用户), masked, with counts.
#[utoipa::path(get, path = "/api/v1/enterprise/cases", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = PortalList), (status = 403, body = ErrorBody)))]
pub async fn portal_list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<PortalList>> {
    Ok(Json(portal::list(&state, &Caller::Api(&caller)).await?))
}

/// One complaint about the caller's own enterprise; another enterprise's is 404.
#[utoipa::path(get, path = "/api/v1/enterprise/cases/{code}", tag = "cases", security(("bearer" = [])),
    params(("code" = String, Path, description = "受理编号")),
    responses((status = 200, body = PortalCase), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn portal_case(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<PortalCase>> {
    let id = case_id(&state, &code).await?;
    Ok(Json(portal::detail(&state, &Caller::Api(&caller), &id).await?))
}

/// The enterprise's answer to a complaint (masked).
#[utoipa::path(post, path = "/api/v1/enterprise/cases/{code}/reply", tag = "cases", security(("bearer" = [])),
    request_body = ReplyInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn portal_reply(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> ApiResult<StatusCode> {
    let by = Caller::Api(&caller);
    let case = portal::own_case(&state, &by, &case_id(&state, &code).await?).await?;
    portal::reply(&state, &by, &case, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A settlement the enterprise proposes on a complaint in 先行和解 or mediation (409 otherwise).
#[utoipa::path(post, path = "/api/v1/enterprise/cases/{code}/proposal", tag = "cases", security(("bearer" = [])),
    request_body = ProposalInput, params(("code" = String, Path, description = "受理编号")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn portal_proposal(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ProposalInput>,
) -> ApiResult<StatusCode> {
    let by = Caller::Api(&caller);
    let case = portal::own_case(&state, &by, &case_id(&state, &code).await?).await?;
    portal::propose(&state, &by, &case, input).await?;
    Ok(StatusCode::NO_CONTENT)
}
