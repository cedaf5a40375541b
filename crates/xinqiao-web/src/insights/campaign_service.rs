//! 治理成效's service, under `/insights/campaigns…` and `/api/v1/campaigns…`: supervisors record a
//! campaign for their bureau or one below it; officers and supervisors of that tree read it and
//! its effect — the measure over equal windows before and after the start, with the change and
//! its 95% interval (the domain's `compare`). Campaigns outside the caller's tree are not found.

use super::names::Names;
use super::refresh;
use super::service::{reader, scope};
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use crate::scope::Scope;
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::draws::results::ResultCategories;
use xinqiao_domain::insights::{Axis, Change, Filter, Proportion, compare};
use xinqiao_store::warnings::CampaignRow;

/// Whether the caller sees campaign `c`: its bureau is in their tree (a campaign over the whole
/// platform only to an account at the top of the only tree).
fn sees(scope: &Scope, c: &CampaignRow) -> bool {
    if c.bureau.is_empty() { scope.everything } else { scope.has_region(&c.bureau) }
}

/// The campaigns of the caller's bureau tree.
pub async fn campaigns(state: &AppState, caller: &Caller<'_>) -> Result<Vec<CampaignRow>, AppError> {
    reader(state, caller, "insights:campaigns").await?;
    let scope = scope(state, caller).await?;
    Ok(state.store.campaigns().await?.into_iter().filter(|c| sees(&scope, c)).collect())
}

/// One campaign of the caller's bureau tree; otherwise 404.
pub async fn campaign(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CampaignRow, AppError> {
    reader(state, caller, "insights:campaigns").await?;
    let c = state.store.campaign(id).await?;
    if !sees(&scope(state, caller).await?, &c) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// The measures a campaign may take (besides `category_share:<category>`).
pub const MEASURES: [&str; 3] = ["on_time", "mediation_success", "inspection_pass"];
/// The kinds of campaign.
pub const KINDS: [&str; 3] = ["guide", "training", "inspection_wave"];

/// A campaign as the form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CampaignInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub start: String,
    /// Days compared before and after the start (7 to 365).
    #[serde(default)]
    pub window_days: String,
    #[serde(default)]
    pub measure: String,
    /// A region code in the caller's tree; empty: the caller's own bureau.
    #[serde(default)]
    pub bureau: String,
    #[serde(default)]
    pub note: String,
}

/// Records a campaign (supervisors, for their own bureau or one below it); returns its id.
pub async fn create_campaign(state: &AppState, caller: &Caller<'_>, input: &CampaignInput) -> Result<String, AppError> {
    caller.require(state, Permission::SuperviseCases, "insights:campaigns").await?;
    let refuse = |field: &'static str, message: &str| Err(AppError::field(field, "invalid", message));
    let title = input.title.trim();
    let kind = input.kind.as_str();
    let Some(start) = Date::parse(&input.start) else {
        return refuse("start", "请填写开始日期，如 2026-03-01");
    };
    let window: i64 = input.window_days.trim().parse().unwrap_or(0);
    let measure = input.measure.as_str();
    let names = Names::load(state).await?;
    let valid_measure = match measure.split_once(':') {
        Some(("category_share", c)) => names.taxonomy.entry(Axis::Nature, c).is_some(),
        _ => MEASURES.contains(&measure),
    };
    let scope = scope(state, caller).await?;
    // Left empty: the person's own bureau (the root of their scope).
    let root = scope.org_ids.first().cloned().unwrap_or_default();
    let own_region =
        state.store.list_orgs().await?.into_iter().find(|o| o.id == root).map(|o| o.region_code).unwrap_or_default();
    let bureau = match input.bureau.trim() {
        "" => own_region.as_str(),
        b => b,
    };
    if title.is_empty() || title.chars().count() > 100 {
        return refuse("title", "请填写名称（不超过100字）");
    }
    if !KINDS.contains(&kind) {
        return refuse("kind", "请选择行动类型");
    }
    if !(7..=365).contains(&window) {
        return refuse("window_days", "比较时长应为7至365天");
    }
    if !valid_measure {
        return refuse("measure", "请选择衡量指标");
    }
    if bureau.is_empty() {
        return refuse("bureau", "您的账户尚未分配机构，不能发起治理行动");
    }
    if !scope.has_region(bureau) {
        return refuse("bureau", "只能为本机构或下级机构发起治理行动");
    }
    let row = CampaignRow {
        id: String::new(),
        title: title.to_owned(),
        kind: kind.to_owned(),
        start_day: start.0,
        window_days: window,
        measure: measure.to_owned(),
        bureau: bureau.to_owned(),
        note: input.note.trim().chars().take(2000).collect(),
        created_by: String::new(),
        created_at: 0,
    };
    Ok(state.store.create_campaign(&caller.actor(), &row).await?)
}

/// A campaign kind in words.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "guide" => "发布指南",
        "training" => "开展培训",
        "inspection_wave" => "集中检查",
        _ => "其他",
    }
}

/// What a measure counts, in words.
pub fn measure_label(measure: &str, names: &Names) -> String {
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

/// A campaign's codes in words, with the names loaded once for a list.
pub struct Describer(Names);

/// What a campaign is, in words.
pub struct CampaignWords {
    pub kind: &'static str,
    pub measure: String,
    /// Its bureau tree (全部地区 for one from before scoping).
    pub scope: String,
}

impl Describer {
    pub async fn load(state: &AppState) -> Result<Self, AppError> {
        Ok(Describer(Names::load(state).await?))
    }

    pub fn words(&self, c: &CampaignRow) -> CampaignWords {
        CampaignWords {
            kind: kind_label(&c.kind),
            measure: measure_label(&c.measure, &self.0),
            scope: if c.bureau.is_empty() { "全部地区".into() } else { self.0.region(&c.bureau) },
        }
    }
}

/// A campaign with its measure before and after its start.
pub struct CampaignEffect {
    pub campaign: CampaignRow,
    /// Days compared before the start (both included) and the measure there.
    pub before_window: (Date, Date),
    pub before: Proportion,
    /// Days after the start up to today at most (both included) and the measure there.
    pub after_window: (Date, Date),
    pub after: Proportion,
    /// The change with its 95% interval; `None` while either side has no data.
    pub change: Option<Change>,
    /// The window after the start is not over yet: the figures are up to today.
    pub partial: bool,
}

/// One campaign of the caller's tree with its effect, measured on the cube as it is now.
pub async fn campaign_effect(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CampaignEffect, AppError> {
    let c = campaign(state, caller, id).await?;
    refresh(state).await?;
    let today = state.today().0;
    let (b_from, b_to) = (c.start_day - c.window_days, c.start_day - 1);
    let (a_from, a_to) = (c.start_day, (c.start_day + c.window_days - 1).min(today));
    let before = measure(state, &c, b_from, b_to).await?;
    let after = if a_to >= a_from { measure(state, &c, a_from, a_to).await? } else { Proportion::new(0, 0) };
    Ok(CampaignEffect {
        before_window: (Date(b_from), Date(b_to)),
        after_window: (Date(a_from), Date(a_to.max(a_from))),
        change: compare(before, after),
        partial: c.start_day + c.window_days - 1 > today,
        before,
        after,
        campaign: c,
    })
}

/// The measure over `from..=to` (days).
async fn measure(state: &AppState, c: &CampaignRow, from: i64, to: i64) -> Result<Proportion, AppError> {
    // The campaign's bureau and every bureau below it ('' from before scoping: the whole platform).
    let scope = match c.bureau.as_str() {
        "" => None,
        region => Some(Scope::of_region(state, region).await?.map(|s| s.regions).unwrap_or_default()),
    };
    if c.measure == "inspection_pass" {
        // The results of the targets in the campaign's tree (by their directory entry's region).
        let categories = ResultCategories::builtin();
        let (from_ms, to_ms) = (Date(from).start_ms(), Date(to + 1).start_ms());
        let counts = state.store.inspection_result_counts(from_ms, to_ms, scope.as_deref()).await?;
        let n: i64 = counts.iter().map(|(_, n)| n).sum();
        let pass: i64 =
            counts.iter().filter(|(code, _)| categories.get(code).is_some_and(|c| !c.problem)).map(|(_, n)| n).sum();
        return Ok(Proportion::new(pass as u64, n as u64));
    }
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
