//! The staff dashboard: volume over time, categories with their Pareto line, regions,
//! industries, the enterprises most complained about, closing on time, mediation, ratings and
//! money recovered, under one set of filters. Read from the in-memory copy of the roll-ups,
//! refreshed from the change log first; every table downloads as CSV and the whole view as XLSX.

use super::names::{Names, industry_name, percent, yuan};
use super::refresh;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use crate::scope::Scope;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::insights::taxonomy::{UNCLASSIFIED, UNCLASSIFIED_LABEL};
use xinqiao_domain::insights::{Axis, Dashboard, Filter, Taxonomy};

pub fn router() -> Router<AppState> {
    Router::new().route("/insights", get(page))
}

/// How many enterprises the "most complained about" table lists.
const TOP_N: usize = 10;

/// The filters as typed in the page's form (and carried by its download links).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FilterForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub bureau: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub category: String,
    /// For the CSV download: which table.
    #[serde(default)]
    pub part: String,
}

impl FilterForm {
    /// The domain filter; unset dates mean the twelve months up to today. Unknown values are
    /// refused with the field named, rather than silently widening the view.
    pub fn filter(&self, taxonomy: &Taxonomy, today: Date, scope: &Scope) -> Result<Filter, AppError> {
        let date = |field: &'static str, text: &str, default: Date| -> Result<Date, AppError> {
            if text.trim().is_empty() {
                return Ok(default);
            }
            Date::parse(text).ok_or_else(|| AppError::field(field, "invalid_date", "日期应写成“2026-01-31”这样的格式"))
        };
        let to = date("to", &self.to, today)?;
        let from = date("from", &self.from, Date(to.0 - 364))?;
        if from > to {
            return Err(AppError::field("from", "range", "开始日期不能晚于结束日期"));
        }
        if to.0 - from.0 > 3 * 366 {
            return Err(AppError::field("from", "range", "一次最多查看三年"));
        }
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let kind = some(&self.kind);
        if let Some(k) = &kind
            && CaseKind::parse(k).is_none()
        {
            return Err(AppError::field("kind", "unknown", "未知的诉求类型"));
        }
        let bureau = some(&self.bureau);
        if let Some(b) = &bureau
            && (b.len() != 6 || !b.bytes().all(|c| c.is_ascii_digit()))
        {
            return Err(AppError::field("bureau", "invalid", "地区应为6位行政区划代码"));
        }
        let industry = some(&self.industry).map(|s| s.to_ascii_uppercase());
        if let Some(i) = &industry
            && Industry::parse(i).is_err()
        {
            return Err(AppError::field("industry", "unknown", "未知的行业门类"));
        }
        let category = some(&self.category);
        if let Some(c) = &category
            && c != UNCLASSIFIED
            && taxonomy.entry(Axis::Nature, c).is_none()
        {
            return Err(AppError::field("category", "unknown", "未知的问题类别"));
        }
        Ok(Filter {
            from_day: from.0,
            to_day: to.0,
            kind: kind.map(|k| CaseKind::parse(&k).map(|k| k.code().to_owned()).unwrap_or(k)),
            bureau_prefix: bureau,
            industry,
            category,
            scope: Some(scope.regions.clone()),
            accepted_only: false,
        })
    }

    /// The query string that reproduces this view (for download links).
    fn query(&self, f: &Filter) -> String {
        let pairs = [
            ("from", Date(f.from_day).to_string()),
            ("to", Date(f.to_day).to_string()),
            ("kind", f.kind.clone().unwrap_or_default()),
            ("bureau", f.bureau_prefix.clone().unwrap_or_default()),
            ("industry", f.industry.clone().unwrap_or_default()),
            ("category", f.category.clone().unwrap_or_default()),
        ];
        pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&")
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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

/// The dashboard for a filter inside the viewer's `scope`, with the names its tables need.
pub async fn compute(
    state: &AppState,
    form: &FilterForm,
    scope: &Scope,
) -> Result<(Filter, Dashboard, Names), AppError> {
    let taxonomy = state.taxonomy().await?;
    let filter = form.filter(&taxonomy, state.today(), scope)?;
    refresh(state).await?;
    let dashboard = {
        let copy = state.insights.cube.read().await;
        copy.cube.dashboard(&filter, TOP_N)
    };
    let keys: Vec<String> = dashboard.top_enterprises.iter().map(|(k, _)| k.clone()).collect();
    let names = Names { enterprises: state.store.enterprise_names(&keys).await?, ..Names::load(state).await? };
    Ok((filter, dashboard, names))
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
    staff.require(&state, Permission::HandleCases, "insights").await?;
    let scope = Scope::of_org(&state, staff.user().org_id.as_deref()).await?;
    let taxonomy = state.taxonomy().await?;
    let (query, tables, regions, error) = match compute(&state, &form, &scope).await {
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
        can_supervise: staff.can(Permission::SuperviseCases),
        public_min: super::public::minimum(&state).await?,
        error,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}
