//! 预警 pages: the supervisors' list, with the cases behind each warning, acknowledged, assigned
//! and closed (each step audited) through the insights service; the warnings in plain words. The
//! scan that raises them is in `scan.rs`.

use super::names::industry_name;
use super::service::{self, status_label};
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
use axum::routing::{get, post};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/insights/warnings", get(list))
        .route("/insights/warnings/scan", post(scan_now))
        .route("/insights/warnings/{id}", get(detail))
        .route("/insights/warnings/{id}/act", post(act))
}

pub fn rule_label(rule: &str) -> &'static str {
    match rule {
        "enterprise_spike" => "企业投诉举报异常增多",
        "prepaid_spike" => "预付式消费投诉集中（警惕闭店跑路）",
        "category_surge" => "某类问题在某地区激增",
        _ => "其他",
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

/// How many warnings are assigned to `staff` (the workbench's count; `?mine=1` lists them).
pub async fn warnings_assigned_to(state: &AppState, staff: &Staff) -> Result<usize, AppError> {
    Ok(service::assigned_to(state, staff.user()).await?.len())
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
    let caller = Caller::Page(staff);
    let rows = service::warnings(state, &caller, mine).await?;
    let page = ListPage {
        layout: Layout::staff("预警", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        items: rows.iter().map(item).collect(),
        can_manage: service::may_manage(&caller),
        notice,
    };
    Ok(render(&page)?)
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> PageResult<Response> {
    let notice = (q.mine == "1").then(|| "只显示指派给我、尚未关闭的预警。".to_owned());
    list_filtered(&state, &staff, notice, q.mine == "1").await
}

async fn scan_now(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let n = service::scan_now(&state, &Caller::Page(&staff)).await?;
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
    let caller = Caller::Page(staff);
    let w = service::warning(state, &caller, id).await?;
    let cases = service::cases_behind(state, &caller, &w)
        .await?
        .into_iter()
        .map(|c| CaseLine {
            industry: industry_name(c.industry.as_deref().unwrap_or("")),
            id: c.id,
            code: c.tracking_code,
            received: format_cst(c.received_at),
            status: c.status.label(),
        })
        .collect();
    let officers = service::assignable(state, &caller).await?;
    let assignee = match &w.assigned_to {
        Some(a) => state.store.list_users().await?.into_iter().find(|u| &u.id == a).map(|u| u.display_name),
        None => None,
    }
    .unwrap_or_default();
    let page = DetailPage {
        layout: Layout::staff("预警详情", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp),
        w: item(&w),
        status_code: w.status.clone(),
        note: w.note.clone(),
        assignee,
        updated: format_cst(w.updated_at),
        cases,
        officers: officers.into_iter().map(|u| (u.id, format!("{}（{}）", u.display_name, u.username))).collect(),
        can_manage: service::may_manage(&caller),
        error,
    };
    let code = if page.error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((code, render(&page)?).into_response())
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    detail_page(&state, &staff, &id, None).await
}

/// acknowledge: 待处理 → 已知悉; assign: 待处理/已知悉 → 已指派 (an officer); close: any open
/// state → 已关闭, with a note saying what was done. Through the service: a refusal of the roles
/// is a 403, an unseen warning 404; bad input, a status that does not allow the action and a
/// change made meanwhile are shown on the warning's page.
async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::WarningAct = form.typed(&[])?;
    match service::act(&state, &Caller::Page(&staff), &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/insights/warnings/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Refused { .. } | AppError::Conflict(_))) => {
            detail_page(&state, &staff, &id, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
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
