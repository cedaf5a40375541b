//! 治理成效: a supervisor records a campaign (a guide, a training, an inspection wave) with its
//! start and a measure; the page compares equal windows before and after the start, with the
//! change and its 95% interval, so "70% → 95%" is measured rather than claimed.

use super::names::{Names, percent};
use super::{refresh, service};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::scope::Scope;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::draws::results::ResultCategories;
use xinqiao_domain::insights::{Axis, Filter, Proportion, compare};
use xinqiao_store::warnings::CampaignRow;

pub fn router() -> Router<AppState> {
    Router::new().route("/insights/campaigns", get(list).post(create)).route("/insights/campaigns/{id}", get(detail))
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "guide" => "发布指南",
        "training" => "开展培训",
        "inspection_wave" => "集中检查",
        _ => "其他",
    }
}

/// What a measure counts, in words.
fn measure_label(measure: &str, names: &Names) -> String {
    match measure.split_once(':') {
        Some(("category_share", c)) => format!("“{}”类诉求占全部诉求的比例", names.category(c)),
        _ => match measure {
            "on_time" => "按期办结率".into(),
            "mediation_success" => "调解成功率".into(),
            "inspection_pass" => "抽查结果未发现问题的比例".into(),
            other => other.to_owned(),
        },
    }
}

/// The measure over `from..=to` (days).
async fn measure(state: &AppState, c: &CampaignRow, from: i64, to: i64) -> Result<Proportion, AppError> {
    if c.measure == "inspection_pass" {
        let categories = ResultCategories::builtin();
        let counts = state.store.inspection_result_counts(Date(from).start_ms(), Date(to + 1).start_ms()).await?;
        let n: i64 = counts.iter().map(|(_, n)| n).sum();
        let pass: i64 =
            counts.iter().filter(|(code, _)| categories.get(code).is_some_and(|c| !c.problem)).map(|(_, n)| n).sum();
        return Ok(Proportion::new(pass as u64, n as u64));
    }
    // The campaign's bureau and every bureau below it ('' from before scoping: the whole platform).
    let scope = match c.bureau.as_str() {
        "" => None,
        region => Some(Scope::of_region(state, region).await?.map(|s| s.regions).unwrap_or_default()),
    };
    let filter = Filter { scope, ..Filter::days(from, to) };
    let copy = state.insights.cube.read().await;
    let d = copy.cube.dashboard(&filter, 0);
    let t = d.total;
    Ok(match c.measure.split_once(':') {
        Some(("category_share", code)) => {
            let hits = d.by_category.iter().find(|r| r.code == code).map_or(0, |r| r.count);
            Proportion::new(hits as u64, t.received as u64)
        }
        _ if c.measure == "on_time" => Proportion::new(t.closed_on_time as u64, t.closed as u64),
        _ => Proportion::new(t.mediated_success as u64, t.mediated as u64),
    })
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
    let rows = service::campaigns(state, &caller)
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
    for m in service::MEASURES {
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
    let input: service::CampaignInput = form.typed(&[])?;
    match service::create_campaign(&state, &Caller::Page(&staff), &input).await {
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
    let c = service::campaign(&state, &Caller::Page(&staff), &id).await?;
    refresh(&state).await?;
    let today = state.today().0;
    let (b_from, b_to) = (c.start_day - c.window_days, c.start_day - 1);
    let (a_from, a_to) = (c.start_day, (c.start_day + c.window_days - 1).min(today));
    let before = measure(&state, &c, b_from, b_to).await?;
    let after = if a_to >= a_from { measure(&state, &c, a_from, a_to).await? } else { Proportion::new(0, 0) };
    let show = |p: &Proportion| match p.rate() {
        Some(r) => format!("{}（{} / {}）", percent(Some(r)), p.hits, p.n),
        None => "无数据".to_owned(),
    };
    let names = names(&state).await?;
    let (change, interval, verdict) = match compare(before, after) {
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
    let page = DetailPage {
        layout: Layout::staff("治理成效", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        kind: kind_label(&c.kind),
        start: Date(c.start_day).to_string(),
        measure: measure_label(&c.measure, &names),
        scope: if c.bureau.is_empty() { "全部地区".into() } else { names.region(&c.bureau) },
        before_window: format!("{} 至 {}", Date(b_from), Date(b_to)),
        after_window: format!("{} 至 {}", Date(a_from), Date(a_to.max(a_from))),
        before: show(&before),
        after: show(&after),
        change,
        interval,
        verdict,
        partial: c.start_day + c.window_days - 1 > today,
        c,
    };
    Ok(render(&page)?)
}
