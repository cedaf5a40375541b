//! The working-day calendar over the API: what each year rests on and the horizon (anyone may
//! read it), and loading a year's notice (系统管理员).

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::calendar::YearInfo;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;

#[derive(Serialize, ToSchema)]
pub struct CalendarInfo {
    /// The last year whose holiday notice is loaded and verified.
    last_verified_year: Option<i64>,
    /// Days from today to the end of that year (negative once past).
    days_left: Option<i64>,
    /// The reminder to load the next notice, within 60 days of the horizon or past it.
    reminder: Option<String>,
    years: Vec<YearInfo>,
}

/// What each year's working days rest on: a verified notice, an unverified one, or the statutory
/// holidays only (dates computed on it are provisional).
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", responses((status = 200, body = CalendarInfo)))]
pub async fn show(State(state): State<AppState>) -> Json<CalendarInfo> {
    let calendar = state.calendar();
    let today = state.today();
    let h = crate::calendar::horizon(&calendar, today);
    Json(CalendarInfo {
        last_verified_year: h.last_verified_year,
        days_left: h.days_left,
        reminder: h.message(),
        years: crate::calendar::years(&calendar, today),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeUpload {
    /// One or more years in the shape of the shipped `holidays-cn.toml`: `[2027]` with `source`,
    /// `verified`, `off` (every day off, weekends inside breaks included) and `work` (调休上班的周末).
    toml: String,
}

#[derive(Serialize, ToSchema)]
pub struct NoticeLoaded {
    /// (year, version) of each notice loaded.
    loaded: Vec<(i64, i64)>,
    cases_moved: usize,
    results_moved: usize,
}

/// Check and load a year's holiday notice; open deadlines are recomputed at once, and every node
/// uses it within ten seconds.
#[utoipa::path(post, path = "/api/v1/calendar/notices", tag = "calendar", security(("bearer" = [])),
    request_body = NoticeUpload,
    responses((status = 201, body = NoticeLoaded), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn load(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<NoticeUpload>,
) -> ApiResult<(StatusCode, Json<NoticeLoaded>)> {
    caller.require(&state, Permission::ManageSettings, "calendar").await?;
    let report = crate::calendar::load(&state, &caller.actor(), &body.toml).await?;
    Ok((
        StatusCode::CREATED,
        Json(NoticeLoaded {
            loaded: report.loaded,
            cases_moved: report.cases_moved,
            results_moved: report.results_moved,
        }),
    ))
}
