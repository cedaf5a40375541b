//! 法规库: the registry of laws with their versions, and recording a new version or a repeal,
//! which sends every 待审 or 已发布 entry citing an older version back to 待复核.

use super::{registry, to_domain};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Citation, Law, QaStatus, cascade};
use xinqiao_store::knowledge::LawVersionRow;

pub fn router() -> Router<AppState> {
    Router::new().route("/laws", get(laws_page)).route("/laws/{id}/versions", post(change_law))
}

pub struct LawView {
    id: String,
    name: String,
    issuer: String,
    doc_number: String,
    verified: bool,
    versions: String,
}

#[derive(Template)]
#[template(path = "knowledge/laws.html")]
struct LawsPage {
    layout: Layout,
    laws: Vec<LawView>,
    can_change: bool,
    error: Option<String>,
}

async fn laws_view(
    state: &AppState,
    staff: &Staff,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let laws = registry(state)
        .await?
        .into_iter()
        .map(|l| LawView {
            versions: l
                .versions
                .iter()
                .map(|v| {
                    let date = v.effective.map(|d| d.to_string()).unwrap_or_else(|| "日期未核实".into());
                    format!("{}（{}，{}）", v.id, v.status.label(), date)
                })
                .collect::<Vec<_>>()
                .join("；"),
            id: l.id,
            name: l.name,
            issuer: l.issuer,
            doc_number: l.doc_number,
            verified: l.verified,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = LawsPage {
        layout: Layout::staff("法规库", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp)
            .with_notice(notice),
        laws,
        can_change: staff.can(Permission::SuperviseCases),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn laws_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "laws").await?;
    laws_view(&state, &staff, None, None).await
}

/// A law's new version or repeal: every 待审 or 已发布 entry citing an older version becomes
/// 待复核 and appears on its author's list.
async fn change_law(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("law:{id}")).await?;
    staff.check_csrf(&form)?;
    let laws = registry(&state).await?;
    let Some(mut law) = Law::find(&laws, &id).cloned() else { return Err(AppError::NotFound.into()) };
    let version = form.get("version").trim().to_owned();
    let effective = xinqiao_domain::time::parse_cst_date(form.get("effective")).map(Date::of_epoch_ms);
    let repeal = form.get("status") == "repealed";
    let change = if repeal { law.repeal(None) } else { law.add_version(&version, effective, "") };
    let change = match change {
        Ok(c) => c,
        Err(e) => return laws_view(&state, &staff, None, Some(e.to_string())).await,
    };
    // Every 待审 or 已发布 entry citing the law, with its citations, in one read.
    let citing = state.store.entries_citing(&id, &[QaStatus::Review, QaStatus::Published]).await?;
    let domain: Vec<(String, QaStatus, Vec<Citation>)> = citing
        .into_iter()
        .map(|(entry, status, cites)| {
            let text = xinqiao_store::knowledge::EntryText { citations: cites, ..Default::default() };
            let citations = to_domain(&entry, &text).citations;
            (entry, status, citations)
        })
        .collect();
    let decided = cascade(
        std::slice::from_ref(&change),
        domain.iter().map(|(id, s, c)| xinqiao_domain::knowledge::Citing { key: id.clone(), status: *s, citations: c }),
    );
    let row = if repeal {
        let current = law.versions.iter().rev().find(|v| v.status == xinqiao_domain::knowledge::LawStatus::Repealed);
        LawVersionRow {
            version: current.map(|v| v.id.clone()).unwrap_or_default(),
            effective_day: current.and_then(|v| v.effective).map(|d| d.0),
            status: xinqiao_domain::knowledge::LawStatus::Repealed,
            replaced_by: None,
        }
    } else {
        LawVersionRow {
            version,
            effective_day: effective.map(|d| d.0),
            status: xinqiao_domain::knowledge::LawStatus::Current,
            replaced_by: None,
        }
    };
    let moved = state.store.change_law(&staff.actor(), &id, &row, &decided.stale).await?;
    let notice = format!("已登记：{}。{}条问答转为待复核。", change.describe(&laws), moved.len());
    laws_view(&state, &staff, Some(notice), None).await
}
