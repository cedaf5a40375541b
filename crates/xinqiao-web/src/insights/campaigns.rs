//! 治理成效: a supervisor records a campaign (a guide, a training, an inspection wave) with its
//! start and a measure; the page compares equal windows before and after the start, with the
//! change and its 95% interval, so "70% → 95%" is measured rather than claimed.

use super::campaign_service::{self, kind_label, measure_label};
use super::names::{Names, percent};
use super::service;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::{Axis, Proportion};
use xinqiao_store::warnings::CampaignRow;

pub fn router() -> Router<AppState> {
    Router::new().route("/insights/campaigns", get(list).post(create)).route("/insights/campaigns/{id}", get(detail))
}

pub struct Row {
    id: String,
    title: String,
    kind: &'static str,
    start: String,
    measure: String,
}

#[derive(Template)]
#[template(path = "insights/campaigns.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    measures: Vec<(String, String)>,
    can_create: bool,
    error: Option<String>,
}

async fn names(state: &AppState) -> Result<Names, AppError> {
    Names::load(state).await
}

async fn list_page(state: &AppState, staff: &Staff, error: Option<String>) -> PageResult<Response> {
    let caller = Caller::Page(staff);
    let names = names(state).await?;
    let rows = campaign_service::campaigns(state, &caller)
        .await?
        .into_iter()
        .map(|c| Row {
            kind: kind_label(&c.kind),
            start: Date(c.start_day).to_string(),
            measure: measure_label(&c.measure, &names),
            id: c.id,
            title: c.title,
        })
        .collect();
    let mut measures: Vec<(String, String)> = names
        .taxonomy
        .entries(Axis::Nature)
        .iter()
        .map(|e| (format!("category_share:{}", e.code), format!("“{}”类诉求占比", e.label)))
        .collect();
    for m in campaign_service::MEASURES {
        measures.push((m.to_owned(), measure_label(m, &names)));
    }
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ListPage {
        layout: Layout::staff("治理成效", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        rows,
        measures,
        can_create: service::may_manage(&caller),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    list_page(&state, &staff, None).await
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: campaign_service::CampaignInput = form.typed(&[])?;
    match campaign_service::create_campaign(&state, &Caller::Page(&staff), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/insights/campaigns/{id}")).into_response()),
        Err(e @ AppError::Validation(_)) => list_page(&state, &staff, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "insights/campaign.html")]
struct DetailPage {
    layout: Layout,
    c: CampaignRow,
    start: String,
    kind: &'static str,
    measure: String,
    scope: String,
    before_window: String,
    after_window: String,
    before: String,
    after: String,
    change: String,
    interval: String,
    verdict: String,
    partial: bool,
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let e = campaign_service::campaign_effect(&state, &Caller::Page(&staff), &id).await?;
    let show = |p: &Proportion| match p.rate() {
        Some(r) => format!("{}（{} / {}）", percent(Some(r)), p.hits, p.n),
        None => "无数据".to_owned(),
    };
    let (change, interval, verdict) = match e.change {
        Some(ch) => (
            format!("{:+.1} 个百分点", ch.difference * 100.0),
            format!("{:+.1} 至 {:+.1} 个百分点", ch.ci_low * 100.0, ch.ci_high * 100.0),
            if ch.is_significant() {
                "区间不含零：变化不太可能只是偶然波动。".to_owned()
            } else {
                "区间包含零：目前的数据还不足以说明有变化。".to_owned()
            },
        ),
        None => ("—".into(), "—".into(), "前后时段都要有数据才能比较。".into()),
    };
    let c = e.campaign;
    let words = campaign_service::Describer::load(&state).await?.words(&c);
    let page = DetailPage {
        layout: Layout::staff("治理成效", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        kind: words.kind,
        start: Date(c.start_day).to_string(),
        measure: words.measure,
        scope: words.scope,
        before_window: format!("{} 至 {}", e.before_window.0, e.before_window.1),
        after_window: format!("{} 至 {}", e.after_window.0, e.after_window.1),
        before: show(&e.before),
        after: show(&e.after),
        change,
        interval,
        verdict,
        partial: e.partial,
        c,
    };
    Ok(render(&page)?)
}
