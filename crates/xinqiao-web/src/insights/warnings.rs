//! 预警: the scan that flags enterprises whose complaints jump above their own baseline (a
//! stricter rule for prepaid cards, the vanished-gym pattern) and categories surging in a region
//! against the same weeks of earlier years; the supervisors' list, with the cases behind each
//! warning, acknowledged, assigned and closed (each step audited).

use super::names::{Names, industry_name};
use super::refresh;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::tasks::{Task, TaskError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::{Filter, SpikeRule, enterprise_spike, seasonal_surge};
use xinqiao_domain::time::format_cst;
use xinqiao_store::warnings::NewWarning;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/insights/warnings", get(list))
        .route("/insights/warnings/scan", post(scan_now))
        .route("/insights/warnings/{id}", get(detail))
        .route("/insights/warnings/{id}/act", post(act))
}

/// The nature code of prepaid-card complaints in the shipped taxonomy.
const PREPAID: &str = "prepaid";
/// How many years back a seasonal baseline looks.
const SEASONS: i64 = 3;

fn all_enterprises(state_cube: &xinqiao_domain::insights::Cube, f: &Filter) -> HashMap<String, i64> {
    state_cube.dashboard(f, usize::MAX).top_enterprises.into_iter().collect()
}

/// Runs every rule over the roll-ups as of `today`, bureau by bureau (each warning belongs to the
/// bureau whose cases raised it, so each bureau sees its own); returns the warnings newly raised.
pub async fn scan(state: &AppState, today: Date) -> Result<usize, AppError> {
    refresh(state).await?;
    let t = today.0;
    let mut found: Vec<NewWarning> = Vec::new();
    let names = {
        let copy = state.insights.cube.read().await;
        let cube = &copy.cube;
        // Every bureau with cases in the baseline or the last week.
        let bureaus: Vec<String> =
            cube.dashboard(&Filter::days(t - 96, t), 0).by_bureau.into_iter().map(|b| b.0).collect();
        // Earlier years count as a seasonal baseline only where the platform holds data for them.
        let shifts: Vec<i64> = (1..=SEASONS)
            .map(|y| 365 * y)
            .filter(|shift| cube.dashboard(&Filter::days(t - 6 - shift, t - shift), 0).total.received > 0)
            .collect();
        for bureau in bureaus {
            let only = Some(vec![bureau.clone()]);
            let scoped = |from: i64, to: i64| Filter { scope: only.clone(), ..Filter::days(from, to) };
            for (rule_code, rule, category) in [
                ("enterprise_spike", SpikeRule::enterprise(), None),
                ("prepaid_spike", SpikeRule::prepaid(), Some(PREPAID.to_owned())),
            ] {
                let now = all_enterprises(cube, &Filter { category: category.clone(), ..scoped(t - 6, t) });
                let before = all_enterprises(cube, &Filter { category: category.clone(), ..scoped(t - 96, t - 7) });
                for (key, n) in now {
                    let base = before.get(&key).copied().unwrap_or(0);
                    if let Some(s) = enterprise_spike(n as u64, base as u64, rule) {
                        found.push(NewWarning {
                            rule: rule_code.into(),
                            subject: format!("{key}@{bureau}"),
                            bureau: bureau.clone(),
                            label: String::new(),
                            window_end: t,
                            observed: s.observed as i64,
                            expected: format!("{:.2}", s.expected),
                            p_value: format!("{:.2e}", s.p_value),
                            case_ids: Vec::new(),
                        });
                    }
                }
            }
            // Categories against the same weeks of earlier years (or the four weeks before).
            let counts = |f: Filter| -> HashMap<String, i64> {
                cube.dashboard(&f, 0).by_category.into_iter().map(|r| (r.code, r.count)).collect()
            };
            let current = counts(scoped(t - 6, t));
            let seasons: Vec<HashMap<String, i64>> =
                shifts.iter().map(|shift| counts(scoped(t - 6 - shift, t - shift))).collect();
            let trailing = counts(scoped(t - 34, t - 7));
            for (category, n) in current {
                let prior: Vec<u64> = seasons.iter().map(|s| s.get(&category).copied().unwrap_or(0) as u64).collect();
                let before = trailing.get(&category).copied().unwrap_or(0) as u64;
                if let Some(s) = seasonal_surge(n as u64, &prior, before, SpikeRule::enterprise()) {
                    found.push(NewWarning {
                        rule: "category_surge".into(),
                        subject: format!("{category}@{bureau}"),
                        bureau: bureau.clone(),
                        label: String::new(),
                        window_end: t,
                        observed: s.observed as i64,
                        expected: format!("{:.2}", s.expected),
                        p_value: format!("{:.2e}", s.p_value),
                        case_ids: Vec::new(),
                    });
                }
            }
        }
        let keys: Vec<String> = found
            .iter()
            .filter(|w| w.rule != "category_surge")
            .map(|w| subject_parts(&w.subject).0.to_owned())
            .collect();
        Names { enterprises: state.store.enterprise_names(&keys).await?, ..Names::load(state).await? }
    };
    let mut raised = 0;
    for mut w in found {
        let (key, region) = subject_parts(&w.subject);
        let (key, region) = (key.to_owned(), region.to_owned());
        let (enterprise, category) = match w.rule.as_str() {
            "category_surge" => {
                w.label = format!("{} · {}", names.category(&key), names.region(&region));
                (None, Some(key))
            }
            rule => {
                let name = names.enterprises.get(&key).cloned().unwrap_or_else(|| key.clone());
                let name = format!("{name}（{}）", names.region(&region));
                w.label = if rule == "prepaid_spike" { format!("{name} · 预付式消费") } else { name };
                (Some(key), (rule == "prepaid_spike").then(|| PREPAID.to_owned()))
            }
        };
        w.case_ids =
            state.store.cases_behind(enterprise.as_deref(), category.as_deref(), Some(&region), t - 6, t, 200).await?;
        if state.store.raise_warning(&w).await?.is_some() {
            raised += 1;
        }
    }
    Ok(raised)
}

/// `(key, region)` of a subject `key@region` (the region after the last `@`).
fn subject_parts(subject: &str) -> (&str, &str) {
    subject.rsplit_once('@').unwrap_or((subject, ""))
}

/// The scan in the background, every ten minutes (the first at start).
pub fn scanner() -> Task {
    Task::every("warnings", std::time::Duration::from_secs(600), |state: AppState| async move {
        let today = state.today();
        scan(&state, today).await.map(|_| ()).map_err(|e| {
            tracing::warn!(error = %e, "the warning scan failed");
            TaskError("预警扫描失败")
        })
    })
}

pub fn rule_label(rule: &str) -> &'static str {
    match rule {
        "enterprise_spike" => "企业投诉举报异常增多",
        "prepaid_spike" => "预付式消费投诉集中（警惕闭店跑路）",
        "category_surge" => "某类问题在某地区激增",
        _ => "其他",
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "open" => "待处理",
        "acknowledged" => "已知悉",
        "assigned" => "已指派",
        "closed" => "已关闭",
        _ => "未知",
    }
}

/// A warning in plain words: "平时每周约 0.5 件，最近一周 7 件" (`expected` is the usual count for
/// seven days, as the scan stored it).
pub fn plain_words(observed: i64, expected: &str) -> String {
    let usual = match expected.trim().parse::<f64>() {
        Ok(e) if e < 10.0 => {
            let t = format!("{e:.1}");
            t.strip_suffix(".0").map_or(t.clone(), str::to_owned)
        }
        Ok(e) => format!("{e:.0}"),
        Err(_) => expected.to_owned(),
    };
    format!("平时每周约 {usual} 件，最近一周 {observed} 件")
}

/// The test behind a warning, for the detail line.
pub fn test_line(p_value: &str) -> String {
    format!("统计检验：泊松检验，p = {p_value}（p 越小，越不像偶然波动）")
}

pub struct Item {
    plain: String,
    test: String,
    id: String,
    rule: &'static str,
    label: String,
    window: String,
    status: &'static str,
    cases: usize,
}

#[derive(Template)]
#[template(path = "insights/warnings.html")]
struct ListPage {
    layout: Layout,
    items: Vec<Item>,
    can_manage: bool,
    notice: Option<String>,
}

fn item(w: &xinqiao_store::warnings::WarningRow) -> Item {
    Item {
        plain: plain_words(w.w.observed, &w.w.expected),
        test: test_line(&w.w.p_value),
        id: w.id.clone(),
        rule: rule_label(&w.w.rule),
        label: w.w.label.clone(),
        window: format!("{} 至 {}", Date(w.w.window_end - 6), Date(w.w.window_end)),
        status: status_label(&w.status),
        cases: w.w.case_ids.len(),
    }
}

/// The bureaus whose warnings `staff` sees: their tree (`None`: every warning, for an account at
/// the top of the only tree).
async fn visible(state: &AppState, staff: &Staff) -> Result<Option<Vec<String>>, AppError> {
    let scope = staff.scope(state).await?;
    Ok(if scope.everything { None } else { Some(scope.regions) })
}

/// The warning, if `staff` may see it; otherwise 404.
async fn visible_warning(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<xinqiao_store::warnings::WarningRow, AppError> {
    let w = state.store.warning(id).await?;
    match visible(state, staff).await? {
        Some(regions) if !regions.contains(&w.w.bureau) => Err(AppError::NotFound),
        _ => Ok(w),
    }
}

/// The warnings assigned to `staff` and not yet closed, within what they may see.
async fn assigned_to(state: &AppState, staff: &Staff) -> Result<Vec<xinqiao_store::warnings::WarningRow>, AppError> {
    let bureaus = visible(state, staff).await?;
    let me = staff.user().id.as_str();
    let rows = state.store.warnings(&["assigned"], bureaus.as_deref(), 1000).await?;
    Ok(rows.into_iter().filter(|w| w.assigned_to.as_deref() == Some(me)).collect())
}

/// How many warnings are assigned to `staff` (the workbench's count; `?mine=1` lists them).
pub async fn warnings_assigned_to(state: &AppState, staff: &Staff) -> Result<usize, AppError> {
    Ok(assigned_to(state, staff).await?.len())
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    /// `1`: only the warnings assigned to me.
    #[serde(default)]
    mine: String,
}

async fn list_page(state: &AppState, staff: &Staff, notice: Option<String>) -> PageResult<Response> {
    list_filtered(state, staff, notice, false).await
}

async fn list_filtered(state: &AppState, staff: &Staff, notice: Option<String>, mine: bool) -> PageResult<Response> {
    let rows = if mine {
        assigned_to(state, staff).await?
    } else {
        let bureaus = visible(state, staff).await?;
        state.store.warnings(&[], bureaus.as_deref(), 200).await?
    };
    let page = ListPage {
        layout: Layout::staff("预警", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        items: rows.iter().map(item).collect(),
        can_manage: staff.can(Permission::SuperviseCases),
        notice,
    };
    Ok(render(&page)?)
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "insights:warnings").await?;
    let notice = (q.mine == "1").then(|| "只显示指派给我、尚未关闭的预警。".to_owned());
    list_filtered(&state, &staff, notice, q.mine == "1").await
}

async fn scan_now(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "insights:warnings").await?;
    staff.check_csrf(&form)?;
    let n = scan(&state, state.today()).await?;
    list_page(&state, &staff, Some(format!("检测完成，新增预警 {n} 条。"))).await
}

pub struct CaseLine {
    id: String,
    code: String,
    received: String,
    status: &'static str,
    industry: String,
}

#[derive(Template)]
#[template(path = "insights/warning.html")]
struct DetailPage {
    layout: Layout,
    w: Item,
    status_code: String,
    note: String,
    assignee: String,
    updated: String,
    cases: Vec<CaseLine>,
    officers: Vec<(String, String)>,
    can_manage: bool,
    error: Option<String>,
}

async fn detail_page(state: &AppState, staff: &Staff, id: &str, error: Option<String>) -> PageResult<Response> {
    let w = visible_warning(state, staff, id).await?;
    let scope = staff.scope(state).await?;
    let mut cases = Vec::new();
    for cid in w.w.case_ids.iter().take(50) {
        if let Ok(c) = state.store.case(cid).await
            && c.org_id.as_deref().is_some_and(|o| scope.has_org(o))
        {
            cases.push(CaseLine {
                id: c.id,
                code: c.tracking_code,
                received: format_cst(c.received_at),
                status: c.status.label(),
                industry: industry_name(c.industry.as_deref().unwrap_or("")),
            });
        }
    }
    let users = state.store.list_users().await?;
    let officers = users
        .iter()
        .filter(|u| !u.disabled && allows(&u.roles, Permission::HandleCases))
        .filter(|u| u.org_id.as_deref().is_some_and(|o| scope.has_org(o)))
        .map(|u| (u.id.clone(), format!("{}（{}）", u.display_name, u.username)))
        .collect();
    let assignee = w
        .assigned_to
        .as_ref()
        .and_then(|a| users.iter().find(|u| &u.id == a))
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let page = DetailPage {
        layout: Layout::staff("预警详情", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        w: item(&w),
        status_code: w.status.clone(),
        note: w.note.clone(),
        assignee,
        updated: format_cst(w.updated_at),
        cases,
        officers,
        can_manage: staff.can(Permission::SuperviseCases),
        error,
    };
    let code = if page.error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((code, render(&page)?).into_response())
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "insights:warnings").await?;
    detail_page(&state, &staff, &id, None).await
}

/// acknowledge: 待处理 → 已知悉; assign: 待处理/已知悉 → 已指派 (an officer); close: any open
/// state → 已关闭, with a note saying what was done.
async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("warning:{id}")).await?;
    staff.check_csrf(&form)?;
    let w = visible_warning(&state, &staff, &id).await?;
    let scope = staff.scope(&state).await?;
    let from = w.status.as_str();
    let note = form.get("note").trim();
    let detector = state.detector().await;
    let note = detector.mask(note);
    let (to, assignee) = match (form.get("action"), from) {
        ("acknowledge", "open") => ("acknowledged", None),
        ("assign", "open" | "acknowledged" | "assigned") => {
            let officer = form.get("assignee");
            let users = state.store.list_users().await?;
            let fits = |u: &&xinqiao_store::users::User| {
                u.id == officer
                    && !u.disabled
                    && allows(&u.roles, Permission::HandleCases)
                    && u.org_id.as_deref().is_some_and(|o| scope.has_org(o))
            };
            if !users.iter().any(|u| fits(&u)) {
                return detail_page(&state, &staff, &id, Some("请选择在岗的承办人".into())).await;
            }
            ("assigned", Some(officer.to_owned()))
        }
        ("close", "open" | "acknowledged" | "assigned") => {
            if note.is_empty() {
                return detail_page(&state, &staff, &id, Some("关闭预警时请写明处理情况".into())).await;
            }
            ("closed", None)
        }
        _ => {
            return detail_page(&state, &staff, &id, Some(format!("“{}”状态下不能进行此操作", status_label(from))))
                .await;
        }
    };
    match state.store.update_warning(&staff.actor(), &id, from, to, assignee.as_deref(), &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/insights/warnings/{id}")).into_response()),
        Err(xinqiao_store::StoreError::Conflict(_)) => {
            detail_page(&state, &staff, &id, Some("预警状态已被他人更改，请刷新后再试".into())).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_speak_plainly() {
        assert_eq!(plain_words(7, "0.50"), "平时每周约 0.5 件，最近一周 7 件");
        assert_eq!(plain_words(9, "2.00"), "平时每周约 2 件，最近一周 9 件");
        assert_eq!(plain_words(40, "12.40"), "平时每周约 12 件，最近一周 40 件");
        assert!(test_line("1.42e-5").contains("p = 1.42e-5"));
    }
}
