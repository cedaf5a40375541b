//! 年报 help over the API: the public field-by-field guide with the window and its source, the
//! enterprise's own standing (deadline, reminders, its statement that it filed), and the bureau
//! tree's campaign with the pass rate per bureau. The same service as the pages.

use super::{ApiUser, ErrorBody};
use crate::AppState;
use crate::annual_report::service::{self, Filer};
use crate::error::ApiResult;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AnnualReportWindow {
    /// `MM-DD`, the first day of the window each year.
    opens: String,
    /// `MM-DD`, the last day.
    closes: String,
    source: String,
    /// Whether the source was read in the official text.
    verified: bool,
    /// Natural days before the deadline on which reminders go out.
    remind_days_before: Vec<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportField {
    id: String,
    section: String,
    name: String,
    /// The common mistakes in this field.
    mistakes: Vec<String>,
    /// How to fill it in.
    how: String,
    /// The Q&A page that explains it: the published entry, else a search for it.
    qa_link: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportGuide {
    window: AnnualReportWindow,
    fields: Vec<AnnualReportField>,
}

/// The field-by-field guide to the common mistakes of the 年报, with the window (public).
#[utoipa::path(get, path = "/api/v1/annual-report/guide", tag = "annual_report",
    responses((status = 200, body = AnnualReportGuide)))]
pub async fn guide(State(state): State<AppState>) -> ApiResult<Json<AnnualReportGuide>> {
    let g = service::guide();
    let links = service::qa_links(&state).await?;
    let w = &g.window;
    Ok(Json(AnnualReportGuide {
        window: AnnualReportWindow {
            opens: w.opens.clone(),
            closes: w.closes.clone(),
            source: w.source.clone(),
            verified: w.verified,
            remind_days_before: w.remind_days_before.clone(),
        },
        fields: g
            .fields
            .iter()
            .zip(links)
            .map(|(f, qa_link)| AnnualReportField {
                id: f.id.clone(),
                section: f.section.clone(),
                name: f.name.clone(),
                mistakes: f.mistakes.clone(),
                how: f.how.clone(),
                qa_link,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportReminder {
    /// `YYYY-MM-DD`, the day it was given.
    given_on: String,
    /// The stage: natural days before the deadline.
    days_before: u32,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportStanding {
    /// The year reported on (the previous calendar year).
    reported_year: i64,
    /// `YYYY-MM-DD`
    opens: String,
    /// `YYYY-MM-DD`, the deadline.
    closes: String,
    /// Natural days to the deadline (0 on the day; null once it passed).
    days_left: Option<i64>,
    /// `YYYY-MM-DD`, the day the enterprise stated it filed; null while not.
    filed_on: Option<String>,
    /// The reminders given while not filed, latest first.
    reminders: Vec<AnnualReportReminder>,
}

async fn standing_of(state: &AppState, by: &Filer) -> ApiResult<Json<AnnualReportStanding>> {
    let s = service::standing(state, by).await?;
    Ok(Json(AnnualReportStanding {
        reported_year: s.period.reported_year,
        opens: s.period.opens.to_string(),
        closes: s.period.closes.to_string(),
        days_left: s.days_left,
        filed_on: s.filed.map(|d| d.to_string()),
        reminders: s
            .reminders
            .into_iter()
            .map(|(days_before, on)| AnnualReportReminder { given_on: on.to_string(), days_before })
            .collect(),
    }))
}

/// The enterprise's own 年报 standing (企业用户, by its 统一社会信用代码).
#[utoipa::path(get, path = "/api/v1/enterprise/annual-report", tag = "annual_report", security(("bearer" = [])),
    responses((status = 200, body = AnnualReportStanding), (status = 403, body = ErrorBody)))]
pub async fn own(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<AnnualReportStanding>> {
    let by = Filer::of(&state, &caller.user, caller.actor()).await?;
    standing_of(&state, &by).await
}

/// The enterprise states it filed this year's report (once; 409 the second time).
#[utoipa::path(post, path = "/api/v1/enterprise/annual-report/filed", tag = "annual_report", security(("bearer" = [])),
    responses((status = 200, body = AnnualReportStanding), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn filed(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<AnnualReportStanding>> {
    let by = Filer::of(&state, &caller.user, caller.actor()).await?;
    service::file(&state, &by).await?;
    standing_of(&state, &by).await
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportCampaignRow {
    /// The bureau's name, or 合计 for the total (the last row).
    org: String,
    should_report: usize,
    reported: usize,
    reminded: usize,
    /// Per cent reported this year; null when nobody should report.
    pass_rate: Option<f64>,
    /// Per cent the year before, for the same enterprises.
    pass_rate_before: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportCampaign {
    reported_year: i64,
    /// `YYYY-MM-DD`
    closes: String,
    rows: Vec<AnnualReportCampaignRow>,
}

/// The campaign over the caller's bureau tree: a row per bureau and the total (客户体验官, 主管).
#[utoipa::path(get, path = "/api/v1/annual-report/campaign", tag = "annual_report", security(("bearer" = [])),
    responses((status = 200, body = AnnualReportCampaign), (status = 403, body = ErrorBody)))]
pub async fn campaign(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<AnnualReportCampaign>> {
    let (period, rows) = service::campaign(&state, &caller.user, &caller.actor()).await?;
    Ok(Json(AnnualReportCampaign {
        reported_year: period.reported_year,
        closes: period.closes.to_string(),
        rows: rows
            .into_iter()
            .map(|r| AnnualReportCampaignRow {
                org: r.org,
                should_report: r.should,
                reported: r.reported,
                reminded: r.reminded,
                pass_rate: r.rate,
                pass_rate_before: r.before,
            })
            .collect(),
    }))
}
