//! 年报 help pages: the public field-by-field guide (/annual-report, each field linked to its Q&A
//! entry, the window with its source); the enterprise's own page with the deadline, its reminders
//! and its statement that it filed (/enterprise/annual-report); the campaign of the bureau tree
//! with the pass rate per bureau (/annual-report/campaign). The service decides.

pub mod service;

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::TypedForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::annual_report::{Field, Window};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/annual-report", get(guide_page))
        .route("/annual-report/campaign", get(campaign_page))
        .route("/enterprise/annual-report", get(own_page))
        .route("/enterprise/annual-report/filed", post(filed))
}

#[derive(Template)]
#[template(path = "annual_report/guide.html")]
struct GuidePage {
    layout: Layout,
    window: &'static Window,
    fields: Vec<(&'static Field, String)>,
}

async fn guide_page(State(state): State<AppState>) -> PageResult<Response> {
    let g = service::guide();
    let links = service::qa_links(&state).await?;
    let page = GuidePage {
        layout: Layout::public("年报填报指引", crate::pages::demo(&state)),
        window: &g.window,
        fields: g.fields.iter().zip(links).collect(),
    };
    Ok(render(&page)?)
}

#[derive(Template)]
#[template(path = "annual_report/own.html")]
struct OwnPage {
    layout: Layout,
    year: i64,
    closes: String,
    days_left: Option<i64>,
    filed: Option<String>,
    reminders: Vec<String>,
    source: &'static str,
    verified: bool,
    error: Option<String>,
}

async fn own_view(state: &AppState, staff: &Staff, error: Option<AppError>) -> PageResult<Response> {
    let by = service::Filer::of(state, staff.user(), staff.actor()).await?;
    let s = service::standing(state, &by).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let window = &service::guide().window;
    let page = OwnPage {
        layout: Layout::staff(
            "年报",
            staff.user(),
            staff.csrf(),
            "/enterprise/annual-report",
            !state.config.require_admin_totp,
        ),
        year: s.period.reported_year,
        closes: s.period.closes.to_string(),
        days_left: s.days_left,
        filed: s.filed.map(|d| d.to_string()),
        reminders: s
            .reminders
            .iter()
            .map(|(before, on)| {
                format!(
                    "{on}：距 {} 年报截止还有不到 {before} 天，请尽快登录国家企业信用信息公示系统报送{}年度年报。",
                    s.period.closes, s.period.reported_year
                )
            })
            .collect(),
        source: &window.source,
        verified: window.verified,
        error: error.map(|e| e.to_string()),
    };
    Ok((status, render(&page)?).into_response())
}

async fn own_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    own_view(&state, &staff, None).await
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn filed(State(state): State<AppState>, staff: Staff, TypedForm(f): TypedForm<CsrfOnly>) -> PageResult<Response> {
    let by = service::Filer::of(&state, staff.user(), staff.actor()).await?;
    staff.check_csrf_token(&f.csrf)?;
    match service::file(&state, &by).await {
        Ok(()) => Ok(Redirect::to("/enterprise/annual-report").into_response()),
        Err(e @ AppError::Conflict(_)) => own_view(&state, &staff, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

struct Line {
    org: String,
    should: usize,
    reported: usize,
    reminded: usize,
    rate: String,
    before: String,
}

#[derive(Template)]
#[template(path = "annual_report/campaign.html")]
struct CampaignPage {
    layout: Layout,
    year: i64,
    closes: String,
    lines: Vec<Line>,
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |v| format!("{v:.1}%"))
}

async fn campaign_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let (period, rows) = service::campaign(&state, staff.user(), &staff.actor()).await?;
    let page = CampaignPage {
        layout: Layout::staff(
            "年报专项",
            staff.user(),
            staff.csrf(),
            "/annual-report/campaign",
            !state.config.require_admin_totp,
        ),
        year: period.reported_year,
        closes: period.closes.to_string(),
        lines: rows
            .into_iter()
            .map(|r| Line {
                org: r.org,
                should: r.should,
                reported: r.reported,
                reminded: r.reminded,
                rate: percent(r.rate),
                before: percent(r.before),
            })
            .collect(),
    };
    Ok(render(&page)?)
}
