//! 洞察与预警's one service, under the staff pages (`/insights…`) and `/api/v1/warnings…`: typed
//! input, the caller's duties and bureau tree checked here (officers read, supervisors scan,
//! acknowledge, assign and close warnings, record campaigns and set the publicity threshold;
//! everything is limited to the caller's bureau tree, what lies outside is not found), then the
//! domain's rules and the store.

use super::names::Names;
use super::refresh;
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use crate::scope::Scope;
use serde::Deserialize;
use utoipa::ToSchema;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::insights::taxonomy::UNCLASSIFIED;
use xinqiao_domain::insights::{Axis, Dashboard, Filter, Taxonomy};
use xinqiao_store::cases::CaseRecord;
use xinqiao_store::users::User;

use xinqiao_store::warnings::WarningRow;

/// Officers and supervisors read the dashboard, the warnings and the campaigns.
pub(super) async fn reader(state: &AppState, caller: &Caller<'_>, target: &str) -> Result<(), AppError> {
    caller.require(state, Permission::HandleCases, target).await
}

/// A warning's status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "待处理",
        "acknowledged" => "已知悉",
        "assigned" => "已指派",
        "closed" => "已关闭",
        _ => "未知",
    }
}

/// Whether the caller manages warnings, campaigns and the publicity threshold (业务主管).
pub fn may_manage(caller: &Caller<'_>) -> bool {
    caller.can(Permission::SuperviseCases)
}

/// The caller's bureau tree.
pub async fn scope(state: &AppState, caller: &Caller<'_>) -> Result<Scope, AppError> {
    Scope::of_org(state, caller.user().org_id.as_deref()).await
}

/// The bureaus whose warnings `user` sees: their tree (`None`: every warning, for an account at
/// the top of the only tree).
async fn visible(state: &AppState, user: &User) -> Result<Option<Vec<String>>, AppError> {
    let scope = Scope::of_org(state, user.org_id.as_deref()).await?;
    Ok(if scope.everything { None } else { Some(scope.regions) })
}

/// The warnings assigned to `user` and not yet closed, within what they may see.
pub async fn assigned_to(state: &AppState, user: &User) -> Result<Vec<WarningRow>, AppError> {
    let bureaus = visible(state, user).await?;
    let rows = state.store.warnings(&["assigned"], bureaus.as_deref(), 1000).await?;
    Ok(rows.into_iter().filter(|w| w.assigned_to.as_deref() == Some(user.id.as_str())).collect())
}

/// The warnings of the caller's bureau tree (newest first, at most 200), or only those
/// assigned to the caller and not yet closed.
pub async fn warnings(state: &AppState, caller: &Caller<'_>, mine: bool) -> Result<Vec<WarningRow>, AppError> {
    reader(state, caller, "insights:warnings").await?;
    if mine {
        return assigned_to(state, caller.user()).await;
    }
    let bureaus = visible(state, caller.user()).await?;
    Ok(state.store.warnings(&[], bureaus.as_deref(), 200).await?)
}

/// The warning, if the caller may see it; otherwise 404.
async fn visible_warning(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<WarningRow, AppError> {
    let w = state.store.warning(id).await?;
    match visible(state, caller.user()).await? {
        Some(regions) if !regions.contains(&w.w.bureau) => Err(AppError::NotFound),
        _ => Ok(w),
    }
}

/// One warning (officers and supervisors of its bureau tree).
pub async fn warning(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<WarningRow, AppError> {
    reader(state, caller, "insights:warnings").await?;
    visible_warning(state, caller, id).await
}

/// The cases behind a warning that the caller's bureau tree handles (at most 50).
pub async fn cases_behind(state: &AppState, caller: &Caller<'_>, w: &WarningRow) -> Result<Vec<CaseRecord>, AppError> {
    let scope = scope(state, caller).await?;
    let mut cases = Vec::new();
    for cid in w.w.case_ids.iter().take(50) {
        if let Ok(c) = state.store.case(cid).await
            && c.org_id.as_deref().is_some_and(|o| scope.has_org(o))
        {
            cases.push(c);
        }
    }
    Ok(cases)
}

/// The officers a warning may be assigned to: active, handling cases, in the caller's tree.
pub async fn assignable(state: &AppState, caller: &Caller<'_>) -> Result<Vec<User>, AppError> {
    let scope = scope(state, caller).await?;
    Ok(state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && allows(&u.roles, Permission::HandleCases))
        .filter(|u| u.org_id.as_deref().is_some_and(|o| scope.has_org(o)))
        .collect())
}

/// Runs the scan now (supervisors); returns how many of the warnings it raised belong to the
/// caller's bureau tree (the others are not theirs to know of).
pub async fn scan_now(state: &AppState, caller: &Caller<'_>) -> Result<usize, AppError> {
    caller.require(state, Permission::SuperviseCases, "insights:warnings").await?;
    let raised = super::scan::scan(state, state.today()).await?;
    // The scan covers every bureau; the caller is told only of those in their tree.
    let scope = scope(state, caller).await?;
    Ok(raised.iter().filter(|bureau| scope.has_region(bureau)).count())
}

/// What a supervisor does with a warning: `acknowledge` (待处理 → 已知悉), `assign` (to an
/// officer, from any open state) or `close` (with a note saying what was done).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningAct {
    pub action: String,
    /// The officer's account id, for `assign`.
    #[serde(default)]
    pub assignee: String,
    /// What was done, for `close` (personal data in it is masked).
    #[serde(default)]
    pub note: String,
}

/// Acts on a warning (supervisors of its bureau tree); returns the warning as it is now. An
/// assignee who is not an active officer of the tree and a close without a note are refused
/// (422), an action the status does not allow is refused (409), and a change made meanwhile is
/// the typed conflict.
pub async fn act(state: &AppState, caller: &Caller<'_>, id: &str, input: &WarningAct) -> Result<WarningRow, AppError> {
    caller.require(state, Permission::SuperviseCases, &format!("warning:{id}")).await?;
    let w = visible_warning(state, caller, id).await?;
    let from = w.status.as_str();
    let note = state.detector().await.mask(input.note.trim());
    let (to, assignee) = match (input.action.as_str(), from) {
        ("acknowledge", "open") => ("acknowledged", None),
        ("assign", "open" | "acknowledged" | "assigned") => {
            let officer = input.assignee.as_str();
            if !assignable(state, caller).await?.iter().any(|u| u.id == officer) {
                return Err(AppError::field("assignee", "unknown_assignee", "请选择在岗的承办人"));
            }
            ("assigned", Some(officer.to_owned()))
        }
        ("close", "open" | "acknowledged" | "assigned") => {
            if note.is_empty() {
                return Err(AppError::field("note", "required", "关闭预警时请写明处理情况"));
            }
            ("closed", None)
        }
        _ => {
            return Err(AppError::Refused {
                status: 409,
                code: "warning_action_not_allowed",
                message: format!("“{}”状态下不能进行此操作", status_label(from)),
            });
        }
    };
    // A change made meanwhile is `WarningConflict::ChangedMeanwhile`, told in its own words
    // (error.rs), never as a generic conflict.
    state.store.update_warning(&caller.actor(), id, from, to, assignee.as_deref(), &note).await?;
    Ok(state.store.warning(id).await?)
}

/// The dashboard for a filter inside the caller's bureau tree, with the names its tables need.
pub async fn dashboard(
    state: &AppState,
    caller: &Caller<'_>,
    form: &FilterForm,
) -> Result<(Filter, Dashboard, Names), AppError> {
    reader(state, caller, "insights").await?;
    compute(state, form, &scope(state, caller).await?).await
}

/// The settings key of the minimum number of complaints for an enterprise to be listed.
pub const MIN_SETTING: &str = "insights.public_min_complaints";
/// Forgets the cached publications (after the threshold changed).
pub async fn forget(state: &AppState) {
    state.insights.publication.lock().await.clear();
}

/// The publicity threshold: how many complaints an enterprise needs before it is published.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinimumInput {
    /// 1–10,000.
    #[serde(deserialize_with = "crate::extract::form_number")]
    pub minimum: i64,
}

/// The threshold refused, in the words of its field.
pub fn minimum_error() -> AppError {
    AppError::field("minimum", "invalid", "公示门槛应为1至10000之间的整数")
}

/// Sets the minimum number of complaints for an enterprise to be published (supervisors).
pub async fn set_public_minimum(state: &AppState, caller: &Caller<'_>, input: MinimumInput) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "insights:publicity").await?;
    let min = Some(input.minimum).filter(|m| (1..=10_000).contains(m)).ok_or_else(minimum_error)?;
    state.store.put_setting(&caller.actor(), MIN_SETTING, &min).await?;
    forget(state).await;
    Ok(())
}

/// Reads the taxonomy page (officers and supervisors).
pub async fn require_taxonomy_reader(state: &AppState, caller: &Caller<'_>) -> Result<(), AppError> {
    reader(state, caller, "insights:taxonomy").await
}

/// The taxonomy as its editors read and write it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyText {
    /// The taxonomy as TOML (the page's editor shows the same text).
    #[serde(default)]
    pub text: String,
}

/// The taxonomy's text (officers and supervisors).
pub async fn taxonomy_text(state: &AppState, caller: &Caller<'_>) -> Result<TaxonomyText, AppError> {
    require_taxonomy_reader(state, caller).await?;
    Ok(TaxonomyText { text: state.taxonomy().await?.to_toml() })
}

/// Saves an edited taxonomy (supervisors); a text that does not validate changes nothing.
pub async fn save_taxonomy(state: &AppState, caller: &Caller<'_>, text: &str) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "insights:taxonomy").await?;
    let t = xinqiao_domain::insights::Taxonomy::from_toml(text)
        .map_err(|e| AppError::field("text", "bad_taxonomy", e.to_string()))?;
    state.store.put_setting(&caller.actor(), super::TAXONOMY_SETTING, &t.to_toml()).await?;
    state.reload_taxonomy();
    Ok(())
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
    pub fn query(&self, f: &Filter) -> String {
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

/// The dashboard for a filter inside the viewer's `scope`, with the names its tables need.
async fn compute(state: &AppState, form: &FilterForm, scope: &Scope) -> Result<(Filter, Dashboard, Names), AppError> {
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
