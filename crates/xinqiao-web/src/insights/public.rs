//! 投诉统计公示: a public page in the spirit of the national complaint publicity rules — for
//! enterprises with at least a configured number of complaints in the last twelve months, the
//! count, its growth on the twelve months before, the mediation success rate and, for ODR
//! enterprises, the share settled directly; the hot categories; masked narratives only where
//! the complainant agreed. Nothing identifies a complainant. Also as open data (CSV and JSON,
//! schema on the page and in README).

use super::dashboard::{Names, percent};
use super::refresh;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Serialize;
use std::sync::Arc;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(page))
        .route("/stats/enterprises.csv", get(csv_export))
        .route("/stats/enterprises.json", get(json_export))
        .route("/insights/publicity", post(set_minimum))
}

/// The settings key of the minimum number of complaints for an enterprise to be listed.
pub const MIN_SETTING: &str = "insights.public_min_complaints";
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
    /// Masked narratives whose complainants agreed to publication (at most two).
    pub narratives: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    pub from: String,
    pub to: String,
    pub minimum: i64,
    pub enterprises: Vec<EnterpriseStat>,
    /// (category, complaints, share).
    pub hot_categories: Vec<(String, i64, f64)>,
}

pub(super) async fn minimum(state: &AppState) -> Result<i64, AppError> {
    Ok(state.store.setting::<i64>(MIN_SETTING).await?.unwrap_or(DEFAULT_MIN))
}

/// How long a computed publication is served before it is computed again.
const CACHE_MS: i64 = 60_000;

/// The publication, computed at most once a minute per node (the public page and its open data).
async fn cached(state: &AppState) -> Result<Arc<Publication>, AppError> {
    let mut slot = state.insights.publication.lock().await;
    let now = state.now_ms();
    if let Some((at, p)) = slot.as_ref()
        && now - at < CACHE_MS
    {
        return Ok(p.clone());
    }
    let p = Arc::new(publication(state).await?);
    *slot = Some((now, p.clone()));
    Ok(p)
}

/// Forgets the cached publication (after the threshold changed).
async fn forget(state: &AppState) {
    *state.insights.publication.lock().await = None;
}

/// The publication as of today.
pub async fn publication(state: &AppState) -> Result<Publication, AppError> {
    refresh(state).await?;
    let today = state.today().0;
    let min = minimum(state).await?;
    let current = Filter { kind: Some("complaint".into()), ..Filter::days(today - 364, today) };
    let previous = Filter { kind: Some("complaint".into()), ..Filter::days(today - 729, today - 365) };
    let (now, before, categories) = {
        let copy = state.insights.cube.read().await;
        let now = copy.cube.enterprise_measures(&current);
        let before: std::collections::HashMap<String, i64> =
            copy.cube.enterprise_measures(&previous).into_iter().map(|(k, m)| (k, m.received)).collect();
        (now, before, copy.cube.dashboard(&current, 0).by_category)
    };
    let mut listed: Vec<(String, xinqiao_domain::insights::Measures)> =
        now.into_iter().filter(|(_, m)| m.received >= min).collect();
    listed.sort_by(|a, b| b.1.received.cmp(&a.1.received).then_with(|| a.0.cmp(&b.0)));
    listed.truncate(LISTED);
    let keys: Vec<String> = listed.iter().map(|(k, _)| k.clone()).collect();
    let names = state.store.enterprise_names(&keys).await?;
    let odr: std::collections::HashMap<String, (i64, i64)> =
        state.store.odr_settlement_counts(today - 364, today).await?.into_iter().map(|(k, n, d)| (k, (n, d))).collect();
    let mut narratives = state.store.consented_narratives(&keys, today - 364, 2).await?;
    let enterprises = listed
        .into_iter()
        .map(|(key, m)| {
            let prev = before.get(&key).copied().unwrap_or(0);
            let is_uscc = xinqiao_domain::ids::Uscc::parse(&key).is_ok();
            EnterpriseStat {
                uscc: if is_uscc { key.clone() } else { String::new() },
                name: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
                complaints: m.received,
                previous: prev,
                growth: (prev > 0).then(|| (m.received - prev) as f64 / prev as f64),
                mediation_success_rate: m.mediation_success_rate(),
                odr_settled_directly: odr.get(&key).filter(|(n, _)| *n > 0).map(|(n, d)| *d as f64 / *n as f64),
                narratives: narratives.remove(&key).unwrap_or_default(),
            }
        })
        .collect();
    let taxonomy = state.taxonomy().await?;
    let names = Names { taxonomy, regions: Default::default(), enterprises: Default::default() };
    let hot_categories =
        categories.iter().take(10).map(|r| (names.category(&r.code), r.count, r.share)).collect::<Vec<_>>();
    Ok(Publication {
        from: Date(today - 364).to_string(),
        to: Date(today).to_string(),
        minimum: min,
        enterprises,
        hot_categories,
    })
}

#[derive(Template)]
#[template(path = "insights/public.html")]
struct Page {
    layout: Layout,
    p: Arc<Publication>,
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

async fn page(State(state): State<AppState>) -> PageResult<Response> {
    let p = cached(&state).await?;
    let layout = Layout::public("投诉统计公示", !state.config.require_admin_totp);
    Ok(render(&Page { layout, p })?)
}

async fn json_export(State(state): State<AppState>) -> crate::error::ApiResult<Json<Publication>> {
    Ok(Json(cached(&state).await?.as_ref().clone()))
}

async fn csv_export(State(state): State<AppState>) -> PageResult<Response> {
    let p = cached(&state).await?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    let mut write = || -> Result<(), csv::Error> {
        w.write_record([
            "uscc",
            "name",
            "period_from",
            "period_to",
            "complaints",
            "previous",
            "growth",
            "mediation_success_rate",
            "odr_settled_directly",
        ])?;
        for e in &p.enterprises {
            w.write_record([
                e.uscc.clone(),
                e.name.clone(),
                p.from.clone(),
                p.to.clone(),
                e.complaints.to_string(),
                e.previous.to_string(),
                opt(e.growth),
                opt(e.mediation_success_rate),
                opt(e.odr_settled_directly),
            ])?;
        }
        w.flush()?;
        Ok(())
    };
    write().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let body = w.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"enterprises.csv\""));
    Ok(res)
}

/// A supervisor sets the minimum number of complaints for an enterprise to be published.
async fn set_minimum(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "insights:publicity").await?;
    staff.check_csrf(&form)?;
    let Ok(min) = form.get("minimum").trim().parse::<i64>() else {
        return Err(AppError::field("minimum", "invalid", "公示门槛应为1至10000之间的整数").into());
    };
    if !(1..=10_000).contains(&min) {
        return Err(AppError::field("minimum", "invalid", "公示门槛应为1至10000之间的整数").into());
    }
    state.store.put_setting(&staff.actor(), MIN_SETTING, &min).await?;
    forget(&state).await;
    Ok(Redirect::to("/stats").into_response())
}
