//! The framework (view, edit as a new version, history, process parameters), the officer roster
//! (在岗 / 待复审 / 暂停 / 撤销; suspend, revoke, reinstate; certificates issued before the
//! platform), and the annual review drawn from the platform's own records.

use super::pages::{guard, layout};
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
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{Framework, Reinstatement, certificate::NUMBER_PREFIX};
use xinqiao_store::audit::Actor;
use xinqiao_store::certificates::{CertificateRow, OfficerEvidence, REQUIRE_CERTIFICATE, REVIEW_WINDOW_DAYS};
use xinqiao_store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/qualification/framework", get(framework).post(revise))
        .route("/qualification/params", post(save_params))
        .route("/qualification/roster", get(roster))
        .route("/qualification/roster/register", post(register))
        .route("/qualification/certificates/{number}/{action}", post(change))
        .route("/qualification/certificates/{number}/review", get(review_page).post(review))
}

#[derive(Template)]
#[template(path = "qualification/framework.html")]
struct FrameworkPage {
    layout: Layout,
    framework: Framework,
    fingerprint: String,
    history: Vec<(String, String, String, bool)>,
    toml: String,
    params: service::Params,
    require_certificate: bool,
    organiser: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
struct VersionQuery {
    version: Option<String>,
}

async fn framework_page(
    state: &AppState,
    staff: &Staff,
    version: Option<&str>,
    error: Option<AppError>,
    draft: Option<String>,
) -> PageResult<Response> {
    guard(state, staff).await?;
    let current = service::current_framework(state).await?;
    let versions = state.store.framework_versions().await?;
    let shown = match version {
        Some(v) => {
            let row = versions.iter().find(|r| r.version == v).ok_or(AppError::NotFound)?;
            Framework::from_toml(&row.body).map_err(|_| AppError::Internal("stored framework".into()))?
        }
        None => current.clone(),
    };
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = FrameworkPage {
        layout: layout(state, staff, "任职资格框架"),
        fingerprint: shown.fingerprint(),
        toml: draft.unwrap_or_else(|| current.to_toml()),
        history: versions
            .iter()
            .map(|r| {
                (
                    r.version.clone(),
                    r.fingerprint[..12].to_owned(),
                    xinqiao_domain::time::format_cst(r.created_at),
                    r.version == shown.version,
                )
            })
            .collect(),
        framework: shown,
        params: service::params(state).await?,
        require_certificate: state.store.setting::<bool>(REQUIRE_CERTIFICATE).await?.unwrap_or(true),
        organiser: staff.can(Permission::SuperviseCases),
        error: error.map(told),
    };
    Ok((status, render(&page)?).into_response())
}

async fn framework(State(state): State<AppState>, staff: Staff, Query(q): Query<VersionQuery>) -> PageResult<Response> {
    framework_page(&state, &staff, q.version.as_deref(), None, None).await
}

/// The text fields of the framework, parameters, register, certificate and review forms (the
/// numbers are read by `PageForm::number`, each told beside its field).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RosterForm {
    toml: String,
    require_certificate: String,
    username: String,
    issued: String,
    reason: String,
    note: String,
    breach: String,
}

async fn revise(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "qualification.framework").await?;
    staff.check_csrf(&form)?;
    let f: RosterForm = form.typed(&[])?;
    match service::revise_framework(&state, &staff.actor(), &f.toml).await {
        Ok(_) => Ok(Redirect::to("/qualification/framework").into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            framework_page(&state, &staff, None, Some(e), Some(f.toml)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks and stores the process parameters.
pub async fn put_params(
    state: &AppState,
    actor: &Actor,
    p: &service::Params,
    require_certificate: bool,
) -> Result<(), AppError> {
    if !(10..=240).contains(&p.test_minutes) {
        return Err(AppError::field("test_minutes", "range", "笔试时长应为 10 至 240 分钟"));
    }
    if !(3..=15).contains(&p.panel_size) {
        return Err(AppError::field("panel_size", "range", "评审组人数应为 3 至 15 人"));
    }
    if !(1..=90).contains(&p.appeal_days) {
        return Err(AppError::field("appeal_days", "range", "申诉期限应为 1 至 90 天"));
    }
    if !(1..=10).contains(&p.validity_years) {
        return Err(AppError::field("validity_years", "range", "证书有效期应为 1 至 10 年"));
    }
    state.store.put_setting(actor, service::PARAMS, p).await?;
    state.store.put_setting(actor, REQUIRE_CERTIFICATE, &require_certificate).await?;
    Ok(())
}

async fn save_params(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "qualification.params").await?;
    staff.check_csrf(&form)?;
    let mut errors = Vec::new();
    let mut num = |k: &'static str, label: &str| form.number::<u32>(k, label).map_err(|e| errors.push(e)).ok();
    let (test_minutes, panel_size) = (num("test_minutes", "考试时长"), num("panel_size", "评审组人数"));
    let (appeal_days, validity_years) = (num("appeal_days", "申诉期限"), num("validity_years", "证书有效期"));
    let p = match (test_minutes, panel_size, appeal_days, validity_years) {
        (Some(test_minutes), Some(panel_size), Some(appeal_days), Some(validity_years)) => {
            service::Params { test_minutes, panel_size: panel_size as usize, appeal_days, validity_years }
        }
        _ => return framework_page(&state, &staff, None, Some(AppError::Validation(errors)), None).await,
    };
    let f: RosterForm = form.typed(&[])?;
    match put_params(&state, &staff.actor(), &p, f.require_certificate == "on").await {
        Ok(()) => Ok(Redirect::to("/qualification/framework").into_response()),
        Err(e @ AppError::Validation(_)) => framework_page(&state, &staff, None, Some(e), None).await,
        Err(e) => Err(e.into()),
    }
}

/// One roster line.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterEntry {
    pub number: String,
    pub holder_id: String,
    pub holder_name: String,
    pub issued: String,
    pub valid_until: String,
    pub next_review: String,
    pub last_reviewed: Option<String>,
    /// on_duty | review_due | suspended | revoked
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub may_take_cases: bool,
    /// A supervisor asked to lift the suspension; another one must confirm (四眼原则).
    pub reinstate_pending: bool,
}

pub fn entry(c: &CertificateRow, today: Date) -> RosterEntry {
    let cert = &c.certificate;
    let s = cert.status_on(today, REVIEW_WINDOW_DAYS);
    let reason = match &cert.state {
        xinqiao_domain::qualification::CertificateState::Active => String::new(),
        xinqiao_domain::qualification::CertificateState::Suspended { reason, .. }
        | xinqiao_domain::qualification::CertificateState::Revoked { reason, .. } => reason.clone(),
    };
    RosterEntry {
        number: cert.number.clone(),
        holder_id: cert.holder.clone(),
        holder_name: c.holder_name.clone(),
        issued: cert.issued.to_string(),
        valid_until: cert.valid_until.to_string(),
        next_review: cert.next_review_due().to_string(),
        last_reviewed: cert.last_reviewed.map(|d| d.to_string()),
        status: s.code().into(),
        status_label: s.label().into(),
        reason,
        may_take_cases: s.can_take_cases(),
        reinstate_pending: c.reinstate_requested_by.is_some(),
    }
}

#[derive(Template)]
#[template(path = "qualification/roster.html")]
struct RosterPage {
    layout: Layout,
    entries: Vec<RosterEntry>,
    organiser: bool,
    /// The viewer's user id (their own certificate gets no actions).
    me: String,
    error: Option<String>,
}

/// The certificates of `user`'s bureau tree, and their own.
pub async fn visible_certificates(state: &AppState, user: &User) -> Result<Vec<CertificateRow>, AppError> {
    let scope = crate::scope::Scope::of_org(state, user.org_id.as_deref()).await?;
    Ok(state
        .store
        .certificates(None)
        .await?
        .into_iter()
        .filter(|c| c.certificate.holder == user.id || c.holder_org.as_deref().is_some_and(|o| scope.has_org(o)))
        .collect())
}

async fn roster_page(state: &AppState, staff: &Staff, error: Option<AppError>) -> PageResult<Response> {
    guard(state, staff).await?;
    let today = service::today(state);
    let entries = visible_certificates(state, staff.user()).await?.iter().map(|c| entry(c, today)).collect();
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = RosterPage {
        layout: layout(state, staff, "客户体验官花名册"),
        entries,
        organiser: staff.can(Permission::SuperviseCases),
        me: staff.user().id.clone(),
        error: error.map(told),
    };
    Ok((status, render(&page)?).into_response())
}

async fn roster(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    roster_page(&state, &staff, None).await
}

/// Registers a certificate issued before the platform to an account (by username).
pub async fn register_existing(
    state: &AppState,
    actor: &Actor,
    by: &User,
    username: &str,
    issued: &str,
) -> Result<String, AppError> {
    let unknown = || AppError::field("username", "unknown", "本机构及下级机构中没有这个用户名");
    let user = state.store.user_by_name(username.trim()).await.map_err(|_| unknown())?;
    match service::oversee(state, by, &user.id, user.org_id.as_deref()).await {
        Err(AppError::NotFound) => return Err(unknown()),
        other => other?,
    }
    let org = user.org_id.as_deref().ok_or_else(|| AppError::field("username", "no_unit", "该用户未设置所属机构"))?;
    let region = state.store.org(org).await?.region_code;
    let today = service::today(state);
    let issued = match Date::parse(issued.trim()) {
        Some(d) if d <= today => d,
        _ => return Err(AppError::field("issued", "bad_date", "发证日期应为今天或之前的 YYYY-MM-DD")),
    };
    let (year, _, _) = xinqiao_domain::time::civil_from_days(issued.0);
    let years = service::params(state).await?.validity_years;
    let valid_until = xinqiao_domain::qualification::add_years(issued, i64::from(years)).0 - 1;
    let prefix = format!("{NUMBER_PREFIX}-{region}-{year:04}-");
    Ok(state.store.register_certificate(actor, &prefix, &user.id, issued.0, valid_until).await?)
}

async fn register(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "qualification.register").await?;
    staff.check_csrf(&form)?;
    let f: RosterForm = form.typed(&[])?;
    match register_existing(&state, &staff.actor(), staff.user(), &f.username, &f.issued).await {
        Ok(_) => Ok(Redirect::to("/qualification/roster").into_response()),
        Err(e @ AppError::Validation(_)) => roster_page(&state, &staff, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// Suspends (at once, e.g. on a confirmed integrity or confidentiality breach), revokes or
/// reinstates a certificate of `by`'s bureau tree (never their own); the reason goes to the audit
/// trail. Lifting a suspension takes two supervisors: the first asks, a second confirms.
pub async fn change_state(
    state: &AppState,
    actor: &Actor,
    by: &User,
    number: &str,
    action: &str,
    reason: &str,
) -> Result<RosterEntry, AppError> {
    let mut row = state.store.certificate(number).await?;
    service::oversee(state, by, &row.certificate.holder, row.holder_org.as_deref()).await?;
    let today = service::today(state);
    let event = match action {
        "suspend" => {
            row.certificate.suspend(today, reason)?;
            "certificate.suspend"
        }
        "revoke" => {
            row.certificate.revoke(today, reason)?;
            "certificate.revoke"
        }
        "reinstate" => match row.certificate.reinstatement(row.reinstate_requested_by.as_deref(), &by.id)? {
            Reinstatement::Requested => {
                if reason.trim().chars().count() < 2 {
                    return Err(AppError::field("reason", "required", "请写明恢复的理由"));
                }
                let masked = state.detector().await.mask(reason.trim());
                // Another supervisor asked first: the typed conflict says so (error.rs).
                state.store.request_reinstatement(actor, number, &masked).await?;
                let row = state.store.certificate(number).await?;
                return Ok(entry(&row, today));
            }
            Reinstatement::Confirmed => {
                row.certificate.reinstate()?;
                "certificate.reinstate"
            }
        },
        _ => return Err(AppError::NotFound),
    };
    state.store.update_certificate(actor, &row.certificate, event).await?;
    Ok(entry(&state.store.certificate(number).await?, today))
}

async fn change(
    State(state): State<AppState>,
    staff: Staff,
    Path((number, action)): Path<(String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "qualification.certificate").await?;
    staff.check_csrf(&form)?;
    let f: RosterForm = form.typed(&[])?;
    match change_state(&state, &staff.actor(), staff.user(), &number, &action, &f.reason).await {
        Ok(_) => Ok(Redirect::to("/qualification/roster").into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_) | AppError::Forbidden(_))) => {
            roster_page(&state, &staff, Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
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
    let f: RosterForm = form.typed(&[])?;
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

/// A refusal in words: every mistake of a form, not only that there were some.
fn told(e: AppError) -> String {
    match e.fields() {
        [] => e.to_string(),
        fields => fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"),
    }
}
