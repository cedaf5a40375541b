//! The annual review (年度复审) of a certificate, drawn from the platform's own records: the
//! year's evidence and indicators, what the reviewer enters, and the record that keeps or
//! suspends the certificate.

use super::pages::{guard, layout};
use super::roster::{RosterEntry, change_state, entry, told};
use super::service;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_store::audit::Actor;
use xinqiao_store::certificates::OfficerEvidence;
use xinqiao_store::users::User;

/// The review form's text fields (its numbers are read by `PageForm::number`, each told beside
/// its field).
#[derive(Default, Deserialize)]
#[serde(default)]
struct ReviewForm {
    note: String,
    breach: String,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/qualification/certificates/{number}/review", get(review_page).post(review))
}

/// What the reviewer adds to the platform's own records.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub year: i64,
    /// Complaints against the officer that were upheld (from the discipline body or the bureau).
    pub upheld_complaints: u32,
    /// Cases the officer should have stepped aside from and did not.
    pub missed_recusals: u32,
    pub training_hours: f64,
    pub note: String,
    /// A confirmed integrity or confidentiality breach: the certificate is suspended at once.
    #[serde(default)]
    pub breach: Option<String>,
}

/// One indicator of the review, mapped to a dimension.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    pub dimension: String,
    pub label: String,
    pub value: String,
}

fn pct(n: i64, d: i64) -> String {
    if d == 0 { "—".into() } else { format!("{:.1}%", n as f64 * 100.0 / d as f64) }
}

/// The platform's evidence mapped onto the seven dimensions.
pub fn indicators(e: &OfficerEvidence, entered: Option<&ReviewInput>) -> Vec<Indicator> {
    let i = |d: &str, l: &str, v: String| Indicator { dimension: d.into(), label: l.into(), value: v };
    let entered_or = |f: &dyn Fn(&ReviewInput) -> String| entered.map_or_else(|| "复审时填写".to_owned(), f);
    vec![
        i("政治素养过硬", "被投诉并查实次数", entered_or(&|r| r.upheld_complaints.to_string())),
        i(
            "专业功底扎实",
            "办结按期率",
            format!("{}（{} 件办结，{} 件按期）", pct(e.closed_on_time, e.closed), e.closed, e.closed_on_time),
        ),
        i(
            "沟通共情力强",
            "回访平均评分",
            if e.rated == 0 {
                "—".into()
            } else {
                format!("{:.2}（{} 件评价）", e.rating_sum as f64 / e.rated as f64, e.rated)
            },
        ),
        i(
            "沟通共情力强",
            "调解成功率",
            format!("{}（{} 件调解）", pct(e.mediations_settled, e.mediations), e.mediations),
        ),
        i(
            "政治素养过硬",
            "廉洁自律：廉洁登记（其中请托）",
            format!("{} 项（{} 项）", e.integrity_entries, e.improper_requests),
        ),
        i("独立性有保障", "回避申报（主动回避案件 / 申报关系）", format!("{} / {}", e.recusals, e.ties_declared)),
        i("独立性有保障", "应回避未回避", entered_or(&|r| r.missed_recusals.to_string())),
        i("实践经验丰富", "承办诉求", format!("{} 件", e.cases_handled)),
        i("实践经验丰富", "参与处置并复盘的突发事件", format!("{} 件", e.incident_reviews)),
        i("学习创新力足", "培训学时", entered_or(&|r| format!("{:.1}", r.training_hours))),
        i("学习创新力足", "工作日志", format!("{} 篇", e.work_logs)),
        i(
            "保密意识到位",
            "查看个人信息（其中非本人承办案件）",
            format!("{}（{}）", e.identity_reads, e.identity_reads_off_case),
        ),
    ]
}

/// The evidence of a holder's year (China time, 1 January to 31 December).
pub async fn year_evidence(state: &AppState, holder: &str, year: i64) -> Result<OfficerEvidence, AppError> {
    let start = Date::from_ymd(year, 1, 1).ok_or_else(|| AppError::field("year", "bad_year", "年份无效"))?;
    let end = Date::from_ymd(year + 1, 1, 1).ok_or_else(|| AppError::field("year", "bad_year", "年份无效"))?;
    Ok(state.store.officer_evidence(holder, start.start_ms(), end.start_ms()).await?)
}

/// Records the review (of a holder in `by`'s bureau tree, never their own); a confirmed breach
/// suspends the certificate at once.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    by: &User,
    number: &str,
    input: &ReviewInput,
) -> Result<String, AppError> {
    let row = state.store.certificate(number).await?;
    service::oversee(state, by, &row.certificate.holder, row.holder_org.as_deref()).await?;
    let today = service::today(state);
    let (this_year, _, _) = xinqiao_domain::time::civil_from_days(today.0);
    if !(2000..=this_year).contains(&input.year) {
        return Err(AppError::field("year", "bad_year", "复审年度应为今年或以前"));
    }
    if !(input.training_hours.is_finite() && (0.0..=2000.0).contains(&input.training_hours)) {
        return Err(AppError::field("training_hours", "range", "培训学时应为 0 至 2000"));
    }
    let note = input.note.trim();
    if note.chars().count() > 2000 {
        return Err(AppError::field("note", "too_long", "复审意见不超过2000字"));
    }
    let breach = input.breach.as_deref().map(str::trim).filter(|b| !b.is_empty());
    let evidence = year_evidence(state, &row.certificate.holder, input.year).await?;
    let masked = state.detector().await.mask(note);
    let stored =
        serde_json::json!({"platform": evidence, "entered": input, "indicators": indicators(&evidence, Some(input))});
    let id = state.store.record_review(actor, number, input.year, &stored.to_string(), &masked, today).await?;
    if let Some(b) = breach {
        let reason = format!("年度复审确认违规：{}", state.detector().await.mask(b));
        change_state(state, actor, by, number, "suspend", &reason).await?;
    }
    Ok(id)
}

#[derive(Template)]
#[template(path = "qualification/review.html")]
struct ReviewPage {
    layout: Layout,
    entry: RosterEntry,
    year: i64,
    indicators: Vec<Indicator>,
    past: Vec<(i64, String, String)>,
    /// The year's 廉洁登记 entries (廉洁自律).
    integrity: Vec<crate::integrity::Shown>,
    organiser: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i64>,
}

async fn review_view(
    state: &AppState,
    staff: &Staff,
    number: &str,
    year: Option<i64>,
    error: Option<AppError>,
) -> PageResult<Response> {
    guard(state, staff).await?;
    let row = state.store.certificate(number).await?;
    if row.certificate.holder != staff.user().id {
        if !staff.can(Permission::SuperviseCases) {
            staff.deny(state, &format!("certificate:{number}"), "not the holder").await?;
            return Err(AppError::NotFound.into());
        }
        service::oversee(state, staff.user(), &row.certificate.holder, row.holder_org.as_deref()).await?;
    }
    let today = service::today(state);
    let year = year.unwrap_or_else(|| xinqiao_domain::time::civil_from_days(today.0).0);
    let evidence = year_evidence(state, &row.certificate.holder, year).await?;
    let past = state
        .store
        .reviews(&row.certificate.holder)
        .await?
        .into_iter()
        .map(|r| (r.year, Date(r.reviewed_on).to_string(), r.note))
        .collect();
    let integrity = crate::integrity::service::of_year(state, &row.certificate.holder, year).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = ReviewPage {
        integrity: integrity.iter().map(crate::integrity::Shown::from).collect(),
        layout: layout(state, staff, "年度复审"),
        entry: entry(&row, today),
        year,
        indicators: indicators(&evidence, None),
        past,
        organiser: staff.can(Permission::SuperviseCases),
        error: error.map(told),
    };
    Ok((status, render(&page)?).into_response())
}

async fn review_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<String>,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    review_view(&state, &staff, &number, q.year, None).await
}

async fn review(
    State(state): State<AppState>,
    staff: Staff,
    Path(number): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "qualification.review").await?;
    staff.check_csrf(&form)?;
    let f: ReviewForm = form.typed(&[])?;
    let mut errors = Vec::new();
    let year = form.number("year", "年度").map_err(|e| errors.push(e)).ok();
    let upheld = form.number("upheld_complaints", "查实的投诉件数").map_err(|e| errors.push(e)).ok();
    let missed = form.number("missed_recusals", "应回避未回避次数").map_err(|e| errors.push(e)).ok();
    let hours = form.number("training_hours", "培训学时").map_err(|e| errors.push(e)).ok();
    let (Some(year), Some(upheld_complaints), Some(missed_recusals), Some(training_hours)) =
        (year, upheld, missed, hours)
    else {
        return review_view(&state, &staff, &number, year, Some(AppError::Validation(errors))).await;
    };
    let input =
        ReviewInput { year, upheld_complaints, missed_recusals, training_hours, note: f.note, breach: Some(f.breach) };
    match record(&state, &staff.actor(), staff.user(), &number, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/qualification/certificates/{number}/review?year={year}")).into_response()),
        Err(e @ AppError::Validation(_)) => review_view(&state, &staff, &number, Some(year), Some(e)).await,
        Err(e) => Err(e.into()),
    }
}
