//! The officers' and supervisors' case pages (the queue is in `queue.rs`): a case's masked
//! account and history, the actions its state allows, and the contact details shown only after
//! a stated purpose (each look an audit entry).

use super::desk::{self, Identity, PurposeInput};
use super::handling::{self, PauseInput, PrivacyReviewInput};
use super::service::{self, ActInput, Acted, ClosureReviewInput};
use super::view::detail_view;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::case_access::{acting_case, handled_case};
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::render;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::RejectGround;
use xinqiao_store::cases::CaseRecord;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}", get(detail))
        .route("/cases/{id}/act", post(act))
        .route("/cases/{id}/tie-override", post(tie_override))
        .route("/cases/{id}/identity", post(identity))
        .route("/cases/{id}/privacy", post(privacy_review))
        .route("/cases/privacy-setting", post(privacy_setting))
        .route("/cases/closure-setting", post(closure_setting))
        .route("/cases/{id}/closure-review", post(closure_review))
        .route("/cases/{id}/recuse", post(recuse))
        .route("/cases/{id}/pause", post(pause))
        .route("/cases/{id}/resume", post(resume))
}

/// A supervisor lets an officer barred by a declared tie handle the case, with a written reason.
async fn tie_override(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    handling::grant_tie_override(&state, &Caller::Page(&staff), &id, form.typed(&[])?).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

/// `?done=action` after an action succeeded: the page says so.
#[derive(serde::Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Query(done): axum::extract::Query<Done>,
) -> PageResult<Response> {
    let case = handled_case(&state, &staff, &id).await?;
    let mut page = detail_view(&state, &staff, &case, None, None).await?;
    page.layout = page.layout.with_notice(super::actions::done_message(&done.done));
    Ok(render(&page)?)
}

/// What an irreversible action's form chose, in words, for its confirmation page.
async fn chosen(state: &AppState, case: &CaseRecord, form: &ActInput) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    let label = |choices: &[super::view::Choice], v: &str| {
        choices.iter().find(|c| c.value == v).map(|c| c.label.clone()).unwrap_or_else(|| v.to_owned())
    };
    match form.action.as_str() {
        "reject" => {
            let g = RejectGround::parse(&form.ground).map(|g| g.notice().to_owned()).unwrap_or_default();
            out.push(("理由".to_owned(), g));
        }
        "close" => {
            let r = match form.result.as_str() {
                "settled" => "调解成功",
                "failed" => "调解不成",
                _ => "终止调解",
            };
            out.push(("办结结果".to_owned(), r.to_owned()));
            if !form.recovered.trim().is_empty() {
                out.push(("挽回经济损失".to_owned(), format!("{} 元", form.recovered.trim())));
            }
        }
        "transfer" => {
            let orgs: Vec<super::view::Choice> = state
                .store
                .list_orgs()
                .await?
                .into_iter()
                .map(|o| super::view::Choice { value: o.id, label: o.name })
                .collect();
            out.push(("移送给".to_owned(), label(&orgs, &form.org_id)));
        }
        "merge" => {
            let into = super::view::merge_candidates(state, case).await?;
            let code = into.iter().find(|m| m.id == form.into).map(|m| m.code.clone()).unwrap_or_default();
            out.push(("合并入".to_owned(), code));
        }
        _ => {}
    }
    if !form.note.trim().is_empty() {
        out.push(("说明".to_owned(), form.note.trim().to_owned()));
    }
    Ok(out)
}

async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let caller = Caller::Page(&staff);
    let case = service::case_to_act_on(&state, &caller, &id).await?;
    staff.check_csrf(&form)?;
    let result = match form.typed::<ActInput>(&[]) {
        Ok(input) => service::act(&state, &caller, &case, &input).await.map(|acted| (input, acted)),
        Err(e) => Err(e),
    };
    match result {
        Ok((input, Acted::ConfirmFirst)) => {
            let page = detail_view(&state, &staff, &case, None, None).await?;
            let chosen = chosen(&state, &case, &input).await?;
            Ok(super::actions::confirm_page(page.layout, &case.id, &page.code, &input.action, &form, chosen)?)
        }
        Ok((input, acted)) => {
            Ok(Redirect::to(&format!("/cases/{id}?done={}", service::done_code(&input, acted))).into_response())
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let status = e.status();
            let mut page = detail_view(&state, &staff, &case, None, None).await?;
            page.act_error = Some(e.to_string());
            if let AppError::Validation(fields) = e {
                page.act_errors = crate::pages::FormErrors(fields);
            }
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A supervisor approves or returns an officer's closure waiting for review (审核办结).
async fn closure_review(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let caller = Caller::Page(&staff);
    let case = service::case_to_act_on(&state, &caller, &id).await?;
    staff.check_csrf(&form)?;
    let result = match form.typed::<ClosureReviewInput>(&[]) {
        Ok(input) => service::review_closure(&state, &caller, &case, &input).await.map(|_| input),
        Err(e) => Err(e),
    };
    match result {
        Ok(input) => {
            let done = if input.decision == "approve" { "closure_approved" } else { "closure_returned" };
            Ok(Redirect::to(&format!("/cases/{id}?done={done}")).into_response())
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let status = e.status();
            let case = state.store.case(&case.id).await?;
            let mut page = detail_view(&state, &staff, &case, None, None).await?;
            page.closure_error = Some(e.to_string());
            if let AppError::Validation(fields) = e {
                page.closure_errors = crate::pages::FormErrors(fields);
            }
            Ok((status, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A bureau setting's switch form.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SwitchForm {
    #[serde(default)]
    required: String,
}

/// A bureau setting's switch (`required`: 1 on, 0 off) from its form.
fn switch(form: &PageForm) -> Result<bool, AppError> {
    match form.typed::<SwitchForm>(&[])?.required.as_str() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(AppError::field("required", "invalid", "请选择开启或关闭")),
    }
}

/// A supervisor turns the closure review (审核办结) on or off.
async fn closure_setting(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "settings:closure_review").await?;
    staff.check_csrf(&form)?;
    let on = switch(&form)?;
    service::set_closure_review(&state, &Caller::Page(&staff), on).await?;
    Ok(Redirect::to("/cases#closure-setting").into_response())
}

/// The assigned officer steps aside with a reason; the case goes to the next officer.
async fn recuse(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = handled_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    match handling::recuse(&state, &Caller::Page(&staff), &id, form.typed(&[])?).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(e @ AppError::Conflict(_)) => Err(e.into()),
        Err(e) => form_failed(&state, &staff, &case, "recuse", e).await,
    }
}

/// Stops the clock (检测鉴定, or waiting for the complainant's supplement), or starts it again.
async fn pause(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    clock(state, staff, id, form, true).await
}

async fn resume(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    clock(state, staff, id, form, false).await
}

async fn clock(state: AppState, staff: Staff, id: String, form: PageForm, stop: bool) -> PageResult<Response> {
    let case = acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let by = Caller::Page(&staff);
    let result = if stop {
        match form.typed::<PauseInput>(&[]) {
            Ok(input) => handling::pause(&state, &by, &id, input).await,
            Err(e) => Err(e),
        }
    } else {
        handling::resume(&state, &by, &id).await
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            form_failed(&state, &staff, &case, "clock", e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The case page again after one of its forms failed: the message beside that form's field
/// (`aria-describedby`, `aria-invalid`), not at the top of the page.
async fn form_failed(
    state: &AppState,
    staff: &Staff,
    case: &CaseRecord,
    form: &'static str,
    e: AppError,
) -> PageResult<Response> {
    let status = e.status();
    let mut page = detail_view(state, staff, case, None, None).await?;
    page.form_error = Some((form, e.to_string()));
    Ok((status, render(&page)?).into_response())
}

/// The officer's review of what is masked: mask a doubtful span, restore a masked one, hide a
/// word everywhere, or confirm (after which the enterprise sees the complaint).
async fn privacy_review(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let input: PrivacyReviewInput = form.typed(&[])?;
    match handling::review_privacy(&state, &Caller::Page(&staff), &id, input).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}#privacy-review")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let case = state.store.case(&case.id).await?;
            form_failed(&state, &staff, &case, "privacy", e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A supervisor turns the review before the enterprise sees a complaint on or off.
async fn privacy_setting(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "settings:privacy").await?;
    staff.check_csrf(&form)?;
    let on = switch(&form)?;
    handling::set_privacy_review(&state, &Caller::Page(&staff), on).await?;
    Ok(Redirect::to("/cases").into_response())
}

async fn identity(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let input: PurposeInput = form.typed(&[])?;
    let shown = match desk::read_identity(&state, &Caller::Page(&staff), &case, input).await {
        Ok(Identity::Shown(contact)) => Ok(contact),
        // Anonymous (nothing sealed) is not the same as sealed under a key this node lacks.
        Ok(Identity::Anonymous) => Err("该诉求为匿名提交，没有联系方式。".to_owned()),
        Ok(Identity::Unopenable) => Err(
            "联系方式已加密保存，但本节点的密钥无法解开（密钥文件与加密时所用的不符）。请联系系统管理员恢复正确的密钥文件。"
                .to_owned(),
        ),
        Err(e @ AppError::Validation(_)) => return form_failed(&state, &staff, &case, "identity", e).await,
        Err(e) => return Err(e.into()),
    };
    Ok(render(&detail_view(&state, &staff, &case, None, Some(shown)).await?)?)
}
