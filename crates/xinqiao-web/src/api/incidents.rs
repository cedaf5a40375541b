//! 突发事件 in the JSON API: the bureau tree's incidents, opening one (audited), its links, media,
//! products, measures on legal clocks (extension, testing time, completion), promises, declared
//! trade secrets and statements (draft, check, publish by a second person) — all through
//! `incidents::service`, the same calls as the pages.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::incidents::service::{
    self, DayInput, DrillInput, DrillReport, FindingsInput, LinkInput, MeasureInput, MediaInput, NewIncidentInput,
    Officer, PartyIncident, ProductInput, PromiseInput, RetestLabInput, SecretInput, StatementInput, StatementView,
    TeamInput, TestingInput,
};
use crate::incidents::view::IncidentView;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// One line of the list.
#[derive(Serialize, ToSchema)]
pub struct IncidentRow {
    id: String,
    org_id: String,
    title: String,
    enterprise_name: String,
    owner_id: String,
    created_at_ms: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Published {
    published_at_ms: i64,
}

async fn officer(state: &AppState, caller: &ApiUser) -> ApiResult<Officer> {
    Ok(Officer::of_api(state, caller).await?)
}

/// The incidents of the caller's bureau tree, newest first (客户体验官, 主管).
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, body = Vec<IncidentRow>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<IncidentRow>>> {
    let by = officer(&state, &caller).await?;
    let rows = service::list(&state, &by)
        .await?
        .into_iter()
        .map(|i| IncidentRow {
            id: i.id,
            org_id: i.org_id,
            title: i.title,
            enterprise_name: i.enterprise_name,
            owner_id: i.owner_id,
            created_at_ms: i.created_at,
        })
        .collect();
    Ok(Json(rows))
}

/// Opens an incident in the caller's own bureau; owner and team must be serving officers of the tree.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])), request_body = NewIncidentInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(input): ApiJson<NewIncidentInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::create(&state, &by, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The incident with its clocks and promises; the view is recorded before it is answered.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = IncidentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<IncidentView>> {
    let by = officer(&state, &caller).await?;
    Ok(Json(service::open(&state, &by, &id).await?))
}

/// Links a case (by tracking code or id) or a warning of the caller's tree.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/links", tag = "incidents", security(("bearer" = [])), request_body = LinkInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<LinkInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::link(&state, &by, &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a media item (its excerpt is stored masked).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/media", tag = "incidents", security(("bearer" = [])), request_body = MediaInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_media(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<MediaInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::add_media(&state, &by, &id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Lists a product by GTIN and batch.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/products", tag = "incidents", security(("bearer" = [])), request_body = ProductInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_product(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::add_product(&state, &by, &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A measure on its legal clock (sealing, sampling and testing, penalty publication).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/measures", tag = "incidents", security(("bearer" = [])), request_body = MeasureInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_measure(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::add_measure(&state, &by, &id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The one extension of a measure, approved by the supervisor who records it.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/measures/{measure}/extension", tag = "incidents", security(("bearer" = [])), request_body = DayInput,
    params(("id" = String, Path, description = "the incident"), ("measure" = String, Path, description = "the measure")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extend(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, measure)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<DayInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::extend(&state, &by, &id, &measure, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A testing period excluded from the measure's clock (fixed and notified in writing).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/measures/{measure}/testing", tag = "incidents", security(("bearer" = [])), request_body = TestingInput,
    params(("id" = String, Path, description = "the incident"), ("measure" = String, Path, description = "the measure")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_testing(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, measure)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<TestingInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::add_testing(&state, &by, &id, &measure, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The measure is done (its clock stops).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/measures/{measure}/completion", tag = "incidents", security(("bearer" = [])), request_body = DayInput,
    params(("id" = String, Path, description = "the incident"), ("measure" = String, Path, description = "the measure")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, measure)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<DayInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::complete(&state, &by, &id, &measure, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The laboratory drawn at random for the re-test.
#[derive(Serialize, ToSchema)]
pub struct RetestLabDrawn {
    laboratory: String,
}

/// Draws the re-test laboratory of a re-test request at random from the published directory,
/// the first laboratory excluded (食品安全法 art. 88); once per measure.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/measures/{measure}/laboratory", tag = "incidents", security(("bearer" = [])), request_body = RetestLabInput,
    params(("id" = String, Path, description = "the incident"), ("measure" = String, Path, description = "a `retest_request` measure")),
    responses((status = 201, body = RetestLabDrawn), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draw_retest_lab(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, measure)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<RetestLabInput>,
) -> ApiResult<(StatusCode, Json<RetestLabDrawn>)> {
    let by = officer(&state, &caller).await?;
    let laboratory = service::draw_retest_lab(&state, &by, &id, &measure, input).await?;
    Ok((StatusCode::CREATED, Json(RetestLabDrawn { laboratory })))
}

/// A promise made now to the public, with its span (hours, days or working days).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/promises", tag = "incidents", security(("bearer" = [])), request_body = PromiseInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_promise(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<PromiseInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::add_promise(&state, &by, &id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Marks a promise kept now.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/promises/{promise}/kept", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident"), ("promise" = String, Path, description = "the promise")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn keep_promise(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, promise)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::keep_promise(&state, &by, &id, &promise).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a term or figure the enterprise declared a trade secret (never answered back).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/secrets", tag = "incidents", security(("bearer" = [])), request_body = SecretInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare_secret(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<SecretInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::declare_secret(&state, &by, &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The incident's statements, oldest first; each draft with what stops its publication.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/statements", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = Vec<StatementView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn statements(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<StatementView>>> {
    let by = officer(&state, &caller).await?;
    Ok(Json(service::statements(&state, &by, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/statements", tag = "incidents", security(("bearer" = [])), request_body = StatementInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draft(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<StatementInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::draft_statement(&state, &by, &id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Approves and publishes a draft: by someone other than its drafter (403 otherwise), refused
/// (422, each reason a field error `personal_data` or `trade_secret`) while personal data or a
/// declared trade secret remains.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/statements/{statement}/publish", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident"), ("statement" = String, Path, description = "the draft")),
    responses((status = 200, body = Published), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, statement)): ApiPath<(String, String)>,
) -> ApiResult<Json<Published>> {
    let by = officer(&state, &caller).await?;
    let published_at_ms = service::publish(&state, &by, &id, &statement).await?;
    Ok(Json(Published { published_at_ms }))
}

/// What a change of the team did (user ids).
#[derive(Serialize, ToSchema)]
pub struct TeamChanged {
    owner_changed: bool,
    added: Vec<String>,
    removed: Vec<String>,
}

/// Changes the owner and team (the owner or a supervisor of the tree; everyone named must serve
/// in the tree); audited with who was added and removed.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/team", tag = "incidents", security(("bearer" = [])), request_body = TeamInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = TeamChanged), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_team(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<TeamChanged>> {
    let by = officer(&state, &caller).await?;
    let c = service::change_team(&state, &by, &id, input).await?;
    Ok(Json(TeamChanged { owner_changed: c.owner_changed, added: c.added, removed: c.removed }))
}

/// Starts a leak drill (泄密演练) on the incident: supervisors of the tree.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/drills", tag = "incidents", security(("bearer" = [])), request_body = DrillInput,
    params(("id" = String, Path, description = "the incident")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_drill(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<DrillInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let by = officer(&state, &caller).await?;
    let id = service::start_drill(&state, &by, &id, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The drill's report: who opened the incident before the plan was carried out, the drill's time
/// against its target, the clocks as they stand (supervisors of the tree; the reading is audited).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/drills/{drill}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident"), ("drill" = String, Path, description = "the drill")),
    responses((status = 200, body = DrillReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn drill_report(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, drill)): ApiPath<(String, String)>,
) -> ApiResult<Json<DrillReport>> {
    let by = officer(&state, &caller).await?;
    Ok(Json(service::drill_report(&state, &by, &id, &drill).await?))
}

/// Closes the drill with its findings, once.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/drills/{drill}/findings", tag = "incidents", security(("bearer" = [])), request_body = FindingsInput,
    params(("id" = String, Path, description = "the incident"), ("drill" = String, Path, description = "the drill")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close_drill(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath((id, drill)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<FindingsInput>,
) -> ApiResult<StatusCode> {
    let by = officer(&state, &caller).await?;
    service::close_drill(&state, &by, &id, &drill, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The incidents about the caller's own enterprise (an 企业用户 bound to its 统一社会信用代码),
/// with the terms it declared 商业秘密.
#[utoipa::path(get, path = "/api/v1/enterprise/incidents", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, body = Vec<PartyIncident>), (status = 403, body = ErrorBody)))]
pub async fn party_incidents(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<PartyIncident>>> {
    let by = service::Party::of(&caller.user, caller.actor())?;
    Ok(Json(service::party_incidents(&state, &by).await?))
}

/// The enterprise declares a term or figure 商业秘密 for an incident about it; statements that
/// contain it cannot be published.
#[utoipa::path(post, path = "/api/v1/enterprise/incidents/{id}/secrets", tag = "incidents", security(("bearer" = [])), request_body = SecretInput,
    params(("id" = String, Path, description = "an incident about the caller's enterprise")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn party_secret(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<SecretInput>,
) -> ApiResult<StatusCode> {
    let by = service::Party::of(&caller.user, caller.actor())?;
    service::declare_party_secret(&state, &by, &id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The incident's review (复盘): its timeline, what each legal clock and promise came to, what
/// the public was told, and the lessons written down.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/review", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = service::ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<service::ReviewView>> {
    let by = officer(&state, &caller).await?;
    Ok(Json(service::review(&state, &by, &id).await?))
}

/// Writes down the review's lessons (masked); the latest text stands.
#[utoipa::path(put, path = "/api/v1/incidents/{id}/review", tag = "incidents", security(("bearer" = [])),
    request_body = service::LessonsInput, params(("id" = String, Path, description = "the incident")),
    responses((status = 200, body = service::ReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn save_review(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<service::LessonsInput>,
) -> ApiResult<Json<service::ReviewView>> {
    let by = officer(&state, &caller).await?;
    service::save_review(&state, &by, &id, &input.lessons).await?;
    Ok(Json(service::review(&state, &by, &id).await?))
}
