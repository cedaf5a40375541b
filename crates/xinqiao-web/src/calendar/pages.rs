//! The 节假日安排 settings page: what each year's working days rest on, the statutory holidays
//! of the years ahead, every loaded version, and (for the system administrator) loading a new
//! year's notice as TOML, pasted or as a file.

use super::{Horizon, YearInfo, horizon, load, years};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::Upload;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(show).post(submit))
}

pub struct VersionRow {
    pub year: i64,
    pub version: i64,
    pub source: String,
    pub verified: bool,
    pub loaded_by: String,
    pub loaded_at: String,
    pub sha256: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    layout: Layout,
    reminder: Option<String>,
    years: Vec<YearInfo>,
    history: Vec<VersionRow>,
    can_load: bool,
    text: String,
    error: Option<String>,
    done: Option<String>,
}

/// The pasted holiday notice (when no file is chosen).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct NoticeForm {
    notice: String,
}

async fn view(
    state: &AppState,
    staff: &Staff,
    text: &str,
    error: Option<String>,
    done: Option<String>,
) -> PageResult<Response> {
    let calendar = state.calendar();
    let today = state.today();
    let h: Horizon = horizon(&calendar, today);
    let history = state
        .store
        .calendar_notice_history()
        .await?
        .into_iter()
        .map(|n| VersionRow {
            year: n.year,
            version: n.version,
            source: n.source,
            verified: n.verified,
            loaded_by: n.loaded_by,
            loaded_at: format_cst(n.loaded_at),
            sha256: n.sha256.chars().take(16).collect(),
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = CalendarPage {
        layout: Layout::staff(
            "节假日安排",
            staff.user(),
            staff.csrf(),
            "/admin/calendar",
            !state.config.require_admin_totp,
        ),
        reminder: h.message(),
        years: years(&calendar, today),
        history,
        can_load: staff.can(Permission::ManageSettings),
        text: text.to_owned(),
        error,
        done,
    };
    Ok((status, render(&page)?).into_response())
}

fn may_view(staff: &Staff) -> bool {
    staff.can(Permission::ManageSettings) || staff.can(Permission::SuperviseCases)
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    if !may_view(&staff) {
        staff.deny(&state, "calendar", "只有系统管理员和主管可以查看节假日安排的设置").await?;
    }
    view(&state, &staff, "", None, None).await
}

async fn submit(State(state): State<AppState>, staff: Staff, upload: Upload) -> PageResult<Response> {
    staff.require(&state, Permission::ManageSettings, "calendar").await?;
    staff.check_csrf(&upload.form)?;
    let text = match upload.files.first() {
        Some(f) => match String::from_utf8(f.bytes.clone()) {
            Ok(t) => t,
            Err(_) => {
                return view(
                    &state,
                    &staff,
                    "",
                    Some("文件不是 UTF-8 编码的文本，请另存为 UTF-8 后再上传".into()),
                    None,
                )
                .await;
            }
        },
        None => upload.form.typed::<NoticeForm>(&[])?.notice,
    };
    if text.trim().is_empty() {
        return view(&state, &staff, "", Some("请粘贴节假日安排，或选择一个 TOML 文件".into()), None).await;
    }
    match load(&state, &staff.actor(), &text).await {
        Ok(report) => {
            let years: Vec<String> = report.loaded.iter().map(|(y, v)| format!("{y} 年（第 {v} 版）")).collect();
            let done = format!(
                "已导入 {}。{} 件诉求、{} 项抽查结果的期限随之调整，并已记入各自的办理记录。",
                years.join("、"),
                report.cases_moved,
                report.results_moved
            );
            view(&state, &staff, "", None, Some(done)).await
        }
        Err(AppError::Validation(f)) => {
            let message = f.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；");
            view(&state, &staff, &text, Some(message), None).await
        }
        Err(e) => Err(e.into()),
    }
}
