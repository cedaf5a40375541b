//! The staff dashboard: volume over time, categories with their Pareto line, regions,
//! industries, the enterprises most complained about, closing on time, mediation, ratings and
//! money recovered, under one set of filters. Read from the in-memory copy of the roll-ups,
//! refreshed from the change log first; every table downloads as CSV and the whole view as XLSX.

use super::names::{Names, industry_name, percent, yuan};
use super::service::FilterForm;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::insights::taxonomy::{UNCLASSIFIED, UNCLASSIFIED_LABEL};
use xinqiao_domain::insights::{Axis, Dashboard};

pub fn router() -> Router<AppState> {
    Router::new().route("/insights", get(page))
}

/// One table of the view: a title, column headings and rows of cells (already formatted).
#[derive(Debug, Clone)]
pub struct Table {
    pub id: &'static str,
    pub title: &'static str,
    /// The chart drawn from it (`line`, `pareto`, `bar`, `hbar`), if any.
    pub chart: &'static str,
    pub head: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The tables of a dashboard, in page order.
pub fn tables(d: &Dashboard, names: &Names) -> Vec<Table> {
    let span = d.by_day.len();
    let volume = if span > 92 {
        // Longer ranges: by month.
        let mut months: Vec<(String, i64)> = Vec::new();
        for (day, n) in &d.by_day {
            let month = Date(*day).to_string()[..7].to_owned();
            match months.last_mut() {
                Some((m, total)) if *m == month => *total += n,
                _ => months.push((month, *n)),
            }
        }
        months.into_iter().map(|(m, n)| vec![m, n.to_string()]).collect()
    } else {
        d.by_day.iter().map(|(day, n)| vec![Date(*day).to_string(), n.to_string()]).collect()
    };
    let t = &d.total;
    vec![
        Table {
            id: "summary",
            title: "总体情况",
            chart: "",
            head: vec!["指标", "数值"],
            rows: vec![
                vec!["收到诉求".into(), t.received.to_string()],
                vec!["已办结".into(), t.closed.to_string()],
                vec!["按期办结率".into(), percent(t.on_time_rate())],
                vec!["调解成功率".into(), percent(t.mediation_success_rate())],
                vec!["回访平均评分（1–5）".into(), t.average_rating().map_or("—".into(), |r| format!("{r:.2}"))],
                vec!["为消费者挽回经济损失（元）".into(), yuan(t.recovered_cents)],
            ],
        },
        Table {
            id: "volume",
            title: if span > 92 { "诉求量（按月）" } else { "诉求量（按日）" },
            chart: "line",
            head: vec!["日期", "诉求量"],
            rows: volume,
        },
        Table {
            id: "category",
            title: "问题类别与累计占比（帕累托）",
            chart: "pareto",
            head: vec!["问题类别", "诉求量", "累计占比"],
            rows: d
                .by_category
                .iter()
                .map(|r| vec![names.category(&r.code), r.count.to_string(), percent(Some(r.cumulative_share))])
                .collect(),
        },
        Table {
            id: "bureau",
            title: "按地区",
            chart: "bar",
            head: vec!["地区", "诉求量"],
            rows: d.by_bureau.iter().map(|(c, n)| vec![names.region(c), n.to_string()]).collect(),
        },
        Table {
            id: "industry",
            title: "按行业（GB/T 4754门类）",
            chart: "bar",
            head: vec!["行业", "诉求量"],
            rows: d.by_industry.iter().map(|(c, n)| vec![industry_name(c), n.to_string()]).collect(),
        },
        Table {
            id: "enterprise",
            title: "被投诉举报较多的企业",
            chart: "hbar",
            head: vec!["企业", "诉求量"],
            rows: d
                .top_enterprises
                .iter()
                .map(|(k, n)| vec![names.enterprises.get(k).cloned().unwrap_or_else(|| k.clone()), n.to_string()])
                .collect(),
        },
    ]
}

#[derive(Template)]
#[template(path = "insights/dashboard.html")]
struct Page {
    layout: Layout,
    form: FilterForm,
    query: String,
    tables: Vec<Table>,
    kinds: Vec<(&'static str, &'static str)>,
    regions: Vec<(String, String)>,
    industries: Vec<(char, &'static str)>,
    categories: Vec<(String, String)>,
    accuracy: String,
    agreement: String,
    can_supervise: bool,
    public_min: i64,
    error: Option<String>,
}

async fn page(State(state): State<AppState>, staff: Staff, Query(form): Query<FilterForm>) -> PageResult<Response> {
    let caller = Caller::Page(&staff);
    let computed = super::service::dashboard(&state, &caller, &form).await;
    let scope = super::service::scope(&state, &caller).await?;
    let taxonomy = state.taxonomy().await?;
    let (query, tables, regions, error) = match computed {
        Ok((filter, d, names)) => (form.query(&filter), tables(&d, &names), names.regions, None),
        Err(e @ AppError::Validation(_)) => {
            (String::new(), Vec::new(), Names::load(&state).await?.regions, Some(e.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    let mut regions: Vec<(String, String)> = regions.into_iter().filter(|(code, _)| scope.has_region(code)).collect();
    regions.sort();
    let model = state.category_model().await?;
    let accuracy = match model.evaluation.accuracy {
        Some(a) => format!(
            "{}（留出 {} 件已确认诉求检验，{} 件正确）",
            percent(Some(a)),
            model.evaluation.held_out,
            model.evaluation.correct
        ),
        None => "已确认分类的诉求还太少，暂无法检验".to_owned(),
    };
    let (confirmed, agreed) = state.store.suggestion_agreement().await?;
    let agreement = if confirmed == 0 {
        "暂无".to_owned()
    } else {
        format!("{}（{confirmed} 件中 {agreed} 件与受理时的建议一致）", percent(Some(agreed as f64 / confirmed as f64)))
    };
    let mut categories: Vec<(String, String)> =
        taxonomy.entries(Axis::Nature).iter().map(|e| (e.code.clone(), e.label.clone())).collect();
    categories.push((UNCLASSIFIED.to_owned(), UNCLASSIFIED_LABEL.to_owned()));
    let page = Page {
        layout: Layout::staff("洞察与预警", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        form,
        query,
        tables,
        kinds: CaseKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        regions,
        industries: Industry::all().collect(),
        categories,
        accuracy,
        agreement,
        can_supervise: super::service::may_manage(&caller),
        public_min: super::public::minimum(&state).await?,
        error,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}
