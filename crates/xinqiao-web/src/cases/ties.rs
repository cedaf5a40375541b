//! 回避申报: an officer declares the industries they work in and their ties to enterprises or
//! people (a person is stored only as a blind index of a mobile or ID number). Declared ties
//! keep the officer off those parties' cases.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::independence::{Tie, TieKind};
use xinqiao_domain::ids::{IdNumber, Industry, Mobile, Uscc};
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/ties", get(show).post(declare)).route("/ties/industries", post(industries))
}

pub struct Row {
    kind: &'static str,
    party: String,
    note: String,
    at: String,
}

pub struct Check {
    code: char,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cases/ties.html")]
struct Page {
    layout: Layout,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, &'static str)>,
    industries: Vec<Check>,
    error: Option<String>,
}

async fn view(state: &AppState, staff: &Staff, notice: Option<String>, error: Option<String>) -> PageResult<Response> {
    let uid = &staff.user().id;
    let mine = state.store.industries_of(uid).await?;
    let rows = state
        .store
        .ties_of(uid)
        .await?
        .into_iter()
        .map(|d| Row {
            kind: d.tie.kind.label(),
            party: match (&d.tie.enterprise_name, &d.tie.enterprise_uscc, &d.tie.person_index) {
                (Some(n), _, _) => n.clone(),
                (None, Some(u), _) => u.clone(),
                _ => "个人（以加密索引保存）".into(),
            },
            note: d.note,
            at: format_cst(d.declared_at),
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = Page {
        layout: Layout::staff("回避申报", staff.user(), staff.csrf(), "/ties", !state.config.require_admin_totp)
            .with_notice(notice),
        rows,
        kinds: TieKind::ALL.iter().filter(|k| k.declarable()).map(|k| (k.code(), k.label())).collect(),
        industries: Industry::all().map(|(code, label)| Check { code, label, checked: mine.contains(&code) }).collect(),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "ties").await?;
    view(&state, &staff, None, None).await
}

async fn declare(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "ties").await?;
    staff.check_csrf(&form)?;
    let parsed = (|| -> Result<Tie, AppError> {
        let kind = TieKind::parse(form.get("kind"))
            .filter(|k| k.declarable())
            .ok_or_else(|| AppError::field("kind", "invalid", "请选择关系类型"))?;
        let uscc = match form.get("uscc").trim() {
            "" => None,
            s => Some(Uscc::parse(s)?.as_str().to_owned()),
        };
        let name = Some(form.get("enterprise_name").trim().to_owned()).filter(|s| !s.is_empty());
        let person = form.get("person").trim();
        let person_index = if person.is_empty() {
            None
        } else if let Ok(m) = Mobile::parse(person) {
            Some(state.secrets.blind_index("mobile", m.as_str()))
        } else {
            // Checked against the application's today: a birth date after it is refused.
            let id = IdNumber::parse_on(person, state.today()).map_err(|e| match e.code {
                "future_birth" => AppError::field("person", e.code, e.message),
                _ => AppError::field("person", "invalid", "个人请填手机号或身份证号"),
            })?;
            Some(state.secrets.blind_index("id", id.as_str()))
        };
        if uscc.is_none() && name.is_none() && person_index.is_none() {
            return Err(AppError::field(
                "party",
                "required",
                "请填写企业名称、统一社会信用代码或个人的手机号/身份证号",
            ));
        }
        Ok(Tie { kind, enterprise_uscc: uscc, enterprise_name: name, person_index })
    })();
    match parsed {
        Ok(tie) => {
            let note: String = form.get("note").trim().chars().take(200).collect();
            state.store.declare_tie(&staff.actor(), &staff.user().id, &tie, &note).await?;
            view(&state, &staff, Some("已申报。涉及该当事方的诉求将不再分派给您。".into()), None).await
        }
        Err(e @ AppError::Validation(_)) => view(&state, &staff, None, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

async fn industries(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "ties").await?;
    staff.check_csrf(&form)?;
    let chosen: Vec<char> = form.all("industry").filter_map(|s| Industry::parse(s).ok()).map(|i| i.code()).collect();
    state.store.set_industries(&staff.actor(), &staff.user().id, &chosen).await?;
    view(&state, &staff, Some("擅长行业已保存。".into()), None).await
}
