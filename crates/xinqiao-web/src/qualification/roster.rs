//! The framework (view, edit as a new version, history, process parameters) and the officer roster
//! (在岗 / 待复审 / 暂停 / 撤销; suspend, revoke, reinstate; certificates issued before the
//! platform). The annual review is in `review.rs`.

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
use xinqiao_store::certificates::{CertificateRow, REQUIRE_CERTIFICATE, REVIEW_WINDOW_DAYS};
use xinqiao_store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/qualification/framework", get(framework).post(revise))
        .route("/qualification/params", post(save_params))
        .route("/qualification/roster", get(roster))
        .route("/qualification/roster/register", post(register))
        .route("/qualification/certificates/{number}/{action}", post(change))
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

/// The text fields of the framework, parameters, register and certificate forms.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RosterForm {
    toml: String,
    require_certificate: String,
    username: String,
    issued: String,
    reason: String,
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

/// A refusal in words: every mistake of a form, not only that there were some.
pub(super) fn told(e: AppError) -> String {
    match e.fields() {
        [] => e.to_string(),
        fields => fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"),
    }
}
