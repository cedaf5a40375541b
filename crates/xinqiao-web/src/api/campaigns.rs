//! 治理成效 over the API: the campaigns of the caller's bureau tree, one campaign with its
//! effect (the measure before and after, the change and its 95% interval), and a supervisor
//! recording one — through the insights service the pages use.

use super::ErrorBody;
use crate::AppState;
use crate::api_user::ApiUser;
use crate::caller::Caller;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::insights::campaign_service::{self as service, CampaignInput, Describer};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::Proportion;
use xinqiao_store::warnings::CampaignRow;

#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    id: String,
    title: String,
    /// guide, training, inspection_wave.
    kind: String,
    kind_label: String,
    /// `YYYY-MM-DD`.
    start: String,
    /// Days compared before and after the start.
    window_days: i64,
    /// on_time, mediation_success, inspection_pass or `category_share:<category>`.
    measure: String,
    measure_label: String,
    /// Region code of the bureau whose tree it covers (empty: the whole platform).
    bureau: String,
    /// The bureau tree in words.
    scope: String,
    note: String,
}

impl CampaignView {
    fn of(c: CampaignRow, words: &Describer) -> Self {
        let w = words.words(&c);
        CampaignView {
            kind_label: w.kind.into(),
            measure_label: w.measure,
            scope: w.scope,
            start: Date(c.start_day).to_string(),
            id: c.id,
            title: c.title,
            kind: c.kind,
            window_days: c.window_days,
            measure: c.measure,
            bureau: c.bureau,
            note: c.note,
        }
    }
}

/// The campaigns of my bureau tree (officers and supervisors).
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "insights", security(("bearer" = [])),
    responses((status = 200, body = Vec<CampaignView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: ApiUser) -> ApiResult<Json<Vec<CampaignView>>> {
    let rows = service::campaigns(&state, &Caller::Api(&caller)).await?;
    let words = Describer::load(&state).await?;
    Ok(Json(rows.into_iter().map(|c| CampaignView::of(c, &words)).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    /// At most 100 characters.
    title: String,
    /// guide, training or inspection_wave.
    kind: String,
    /// `YYYY-MM-DD`.
    start: String,
    /// 7 to 365.
    window_days: i64,
    /// on_time, mediation_success, inspection_pass or `category_share:<category>`.
    measure: String,
    /// A region code in my tree; absent: my own bureau.
    #[serde(default)]
    bureau: String,
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Record a campaign for my bureau or one below it (supervisors).
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "insights", security(("bearer" = [])), request_body = NewCampaign,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(req): ApiJson<NewCampaign>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = CampaignInput {
        title: req.title,
        kind: req.kind,
        start: req.start,
        window_days: req.window_days.to_string(),
        measure: req.measure,
        bureau: req.bureau,
        note: req.note,
    };
    let id = service::create_campaign(&state, &Caller::Api(&caller), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct Measured {
    /// `YYYY-MM-DD`, both days included.
    from: String,
    to: String,
    hits: u64,
    n: u64,
    /// `hits / n`; null without data.
    rate: Option<f64>,
}

impl Measured {
    fn of((from, to): (Date, Date), p: Proportion) -> Self {
        Measured { from: from.to_string(), to: to.to_string(), hits: p.hits, n: p.n, rate: p.rate() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChangeView {
    /// After minus before, as a share (0.05 = 5 percentage points).
    difference: f64,
    /// The 95% interval of the difference (Newcombe hybrid score).
    ci_low: f64,
    ci_high: f64,
    /// The interval leaves out zero.
    significant: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignEffectView {
    campaign: CampaignView,
    before: Measured,
    after: Measured,
    /// Null while either side has no data.
    change: Option<ChangeView>,
    /// The window after the start is not over: the figures are up to today.
    partial: bool,
}

/// One campaign of my bureau tree with its effect (another tree's is not found).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "insights", security(("bearer" = [])),
    params(("id" = String, Path, description = "campaign id")),
    responses((status = 200, body = CampaignEffectView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CampaignEffectView>> {
    let e = service::campaign_effect(&state, &Caller::Api(&caller), &id).await?;
    let words = Describer::load(&state).await?;
    Ok(Json(CampaignEffectView {
        before: Measured::of(e.before_window, e.before),
        after: Measured::of(e.after_window, e.after),
        change: e.change.map(|c| ChangeView {
            significant: c.is_significant(),
            difference: c.difference,
            ci_low: c.ci_low,
            ci_high: c.ci_high,
        }),
        partial: e.partial,
        campaign: CampaignView::of(e.campaign, &words),
    }))
}
