//! 投诉统计公示: a public page in the spirit of the national complaint publicity rules — for
//! enterprises with at least a configured number of complaints in the last twelve months, the
//! count, its growth on the twelve months before, the mediation success rate and, for ODR
//! enterprises, the share settled directly; the hot categories; masked narratives only where
//! the complainant agreed. Nothing identifies a complainant. Also as open data (CSV and JSON,
//! schema on the page and in README).

use super::names::{Names, percent};
use super::refresh;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::scope::Scope;
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Serialize;
use std::sync::Arc;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(page))
        .route("/stats/enterprises.csv", get(csv_export))
        .route("/stats/enterprises.json", get(json_export))
        .route("/insights/publicity", post(set_minimum))
}

const DEFAULT_MIN: i64 = 5;
/// Enterprises listed at most.
const LISTED: usize = 100;

/// One enterprise in the publication (also the open-data record).
#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseStat {
    /// 统一社会信用代码 where the complaints gave one, else empty.
    pub uscc: String,
    pub name: String,
    /// Complaints received in the period.
    pub complaints: i64,
    /// Complaints received in the twelve months before.
    pub previous: i64,
    /// `(complaints − previous) / previous`; absent when there were none before.
    pub growth: Option<f64>,
    /// Mediations that ended in agreement, of those ended (absent when none ended).
    pub mediation_success_rate: Option<f64>,
    /// For enterprises in ODR: complaints settled directly in 先行和解, of those that started there.
    pub odr_settled_directly: Option<f64>,
    /// Narratives whose complainants agreed to publication (at most two), every piece of
    /// personal data dropped whole ([已隐去]).
    pub narratives: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    /// The bureau whose complaints are counted (its region code), or empty for the whole platform.
    pub bureau: String,
    /// Its name, or 全平台汇总.
    pub bureau_name: String,
    pub from: String,
    pub to: String,
    pub minimum: i64,
    pub enterprises: Vec<EnterpriseStat>,
    /// (category, complaints, share).
    pub hot_categories: Vec<(String, i64, f64)>,
}

pub(super) async fn minimum(state: &AppState) -> Result<i64, AppError> {
    Ok(state.store.setting::<i64>(super::service::MIN_SETTING).await?.unwrap_or(DEFAULT_MIN))
}

/// How long a computed publication is served before it is computed again.
const CACHE_MS: i64 = 60_000;

/// The publication of `bureau` ('' for the whole platform), computed at most once a minute per
/// node and bureau (the public page and its open data).
async fn cached(state: &AppState, bureau: &str) -> Result<Arc<Publication>, AppError> {
    let mut slot = state.insights.publication.lock().await;
    let now = state.now_ms();
    if let Some((at, p)) = slot.get(bureau)
        && now - at < CACHE_MS
    {
        return Ok(p.clone());
    }
    let p = Arc::new(publication(state, bureau).await?);
    slot.insert(bureau.to_owned(), (now, p.clone()));
    Ok(p)
}

/// The publication as of today for `bureau` (and every bureau below it), or for the whole
/// platform when `bureau` is empty. Only complaints the bureau took up count (and those the
/// enterprise settled directly): a submission nobody has looked at is published nowhere.
pub async fn publication(state: &AppState, bureau: &str) -> Result<Publication, AppError> {
    refresh(state).await?;
    let (scope, bureau_name) = if bureau.is_empty() {
        (None, "全平台汇总".to_owned())
    } else {
        let orgs = state.store.list_orgs().await?;
        let Some(org) = orgs.iter().find(|o| o.region_code == bureau) else { return Err(AppError::NotFound) };
        (Some(Scope::below(&orgs, &org.id).regions), org.name.clone())
    };
    let today = state.today().0;
    let min = minimum(state).await?;
    let base =
        Filter { kind: Some("complaint".into()), scope: scope.clone(), accepted_only: true, ..Filter::default() };
    let current = Filter { from_day: today - 364, to_day: today, ..base.clone() };
    let previous = Filter { from_day: today - 729, to_day: today - 365, ..base };
    let (now, before, categories) = {
        let copy = state.insights.cube.read().await;
        let now = copy.cube.enterprise_measures(&current);
        let before: std::collections::HashMap<String, i64> =
            copy.cube.enterprise_measures(&previous).into_iter().map(|(k, m)| (k, m.accepted)).collect();
        (now, before, copy.cube.dashboard(&current, 0).by_category)
    };
    let mut listed: Vec<(String, xinqiao_domain::insights::Measures)> =
        now.into_iter().filter(|(_, m)| m.accepted >= min).collect();
    listed.sort_by(|a, b| b.1.accepted.cmp(&a.1.accepted).then_with(|| a.0.cmp(&b.0)));
    listed.truncate(LISTED);
    let keys: Vec<String> = listed.iter().map(|(k, _)| k.clone()).collect();
    let names = state.store.enterprise_names(&keys).await?;
    let regions = scope.as_deref();
    let odr: std::collections::HashMap<String, (i64, i64)> = state
        .store
        .odr_settlement_counts(today - 364, today, regions)
        .await?
        .into_iter()
        .map(|(k, n, d)| (k, (n, d)))
        .collect();
    // Public text passes the same review as what the enterprise sees: where the bureau requires
    // the officer's confirmation of the masking, nothing unconfirmed is published.
    let confirmed_only = crate::masking_review::review_required(state).await?;
    let mut narratives = state.store.consented_narratives(&keys, today - 364, 2, regions, confirmed_only).await?;
    let detector = state.detector().await;
    let enterprises = listed
        .into_iter()
        .map(|(key, m)| {
            let prev = before.get(&key).copied().unwrap_or(0);
            let is_uscc = xinqiao_domain::ids::Uscc::parse(&key).is_ok();
            EnterpriseStat {
                uscc: if is_uscc { key.clone() } else { String::new() },
                name: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
                complaints: m.accepted,
                previous: prev,
                // A change means something only when both periods have enough complaints.
                growth: xinqiao_domain::insights::year_on_year(m.accepted, prev),
                mediation_success_rate: m.mediation_success_rate(),
                odr_settled_directly: odr.get(&key).filter(|(n, _)| *n > 0).map(|(n, d)| *d as f64 / *n as f64),
                // Public text: a masked span is dropped whole, never shown in part (欧***), and
                // the detector looks once more at what leaves (the same check as at intake).
                narratives: narratives
                    .remove(&key)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| crate::text::public_of(&detector, n))
                    .collect(),
            }
        })
        .collect();
    let taxonomy = state.taxonomy().await?;
    let names = Names { taxonomy, regions: Default::default(), enterprises: Default::default() };
    let hot_categories =
        categories.iter().take(10).map(|r| (names.category(&r.code), r.count, r.share)).collect::<Vec<_>>();
    Ok(Publication {
        bureau: bureau.to_owned(),
        bureau_name,
        from: Date(today - 364).to_string(),
        to: Date(today).to_string(),
        minimum: min,
        enterprises,
        hot_categories,
    })
}

/// `?bureau=320508`: one bureau and those below it; absent for the whole platform.
#[derive(Debug, Default, serde::Deserialize)]
struct Which {
    #[serde(default)]
    bureau: String,
}

impl Which {
    fn checked(&self) -> Result<&str, AppError> {
        let b = self.bureau.trim();
        if b.is_empty() || (b.len() == 6 && b.bytes().all(|c| c.is_ascii_digit())) {
            Ok(b)
        } else {
            Err(AppError::field("bureau", "invalid", "机构应为6位行政区划代码"))
        }
    }
}

#[derive(Template)]
#[template(path = "insights/public.html")]
struct Page {
    layout: Layout,
    p: Arc<Publication>,
    /// Every bureau that publishes (region code, name), for the choice above the tables.
    bureaus: Vec<(String, String)>,
    query: String,
    /// Cases each period needs before a year-on-year change is shown.
    yoy_minimum: i64,
}

impl Page {
    fn pct(&self, x: &Option<f64>) -> String {
        percent(*x)
    }

    fn growth(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "—".to_owned(), |g| format!("{:+.1}%", g * 100.0))
    }

    fn share(&self, x: &f64) -> String {
        percent(Some(*x))
    }
}

async fn page(State(state): State<AppState>, Query(which): Query<Which>) -> PageResult<Response> {
    let bureau = which.checked()?;
    let p = cached(&state, bureau).await?;
    let layout = Layout::public("投诉统计公示", !state.config.require_admin_totp);
    let mut bureaus: Vec<(String, String)> =
        state.store.list_orgs().await?.into_iter().map(|o| (o.region_code, o.name)).collect();
    bureaus.sort();
    let query = if bureau.is_empty() { String::new() } else { format!("?bureau={bureau}") };
    Ok(render(&Page { layout, p, bureaus, query, yoy_minimum: xinqiao_domain::insights::YOY_MINIMUM })?)
}

async fn json_export(
    State(state): State<AppState>,
    Query(which): Query<Which>,
) -> crate::error::ApiResult<Json<Publication>> {
    Ok(Json(cached(&state, which.checked()?).await?.as_ref().clone()))
}

async fn csv_export(State(state): State<AppState>, Query(which): Query<Which>) -> PageResult<Response> {
    let p = cached(&state, which.checked()?).await?;
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let head = [
        "bureau",
        "uscc",
        "name",
        "period_from",
        "period_to",
        "complaints",
        "previous",
        "growth",
        "mediation_success_rate",
        "odr_settled_directly",
    ];
    let rows = p.enterprises.iter().map(|e| {
        vec![
            p.bureau.clone(),
            e.uscc.clone(),
            e.name.clone(),
            p.from.clone(),
            p.to.clone(),
            e.complaints.to_string(),
            e.previous.to_string(),
            opt(e.growth),
            opt(e.mediation_success_rate),
            opt(e.odr_settled_directly),
        ]
    });
    let body = crate::download::csv(&head, rows)?;
    Ok(crate::download::attachment(body, "text/csv; charset=utf-8", "enterprises.csv"))
}

/// A supervisor sets the minimum number of complaints for an enterprise to be published.
async fn set_minimum(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input = form.typed::<super::service::MinimumInput>(&[]).map_err(|_| super::service::minimum_error())?;
    super::service::set_public_minimum(&state, &Caller::Page(&staff), input).await?;
    Ok(Redirect::to("/stats").into_response())
}
