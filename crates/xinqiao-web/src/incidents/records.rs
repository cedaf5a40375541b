//! The staff pages beside an incident's page: the after-action review (复盘), an evidence item's
//! upload, redaction page and image, a leak drill's report, and the changes of one measure,
//! promise, statement, drill or evidence item; each calls the one service.

use super::service::{self, DayInput, FindingsInput, TestingInput};
use super::staff::{after, detail_page, layout, message, officer, refused};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents/{id}/review", get(review).post(save_review))
        .route(
            "/incidents/{id}/evidence",
            post(upload_evidence).layer(axum::extract::DefaultBodyLimit::max(crate::extract::UPLOAD_BODY_LIMIT)),
        )
        .route("/incidents/{id}/drills/{d}", get(drill_page))
        .route("/incidents/{id}/evidence/{e}", get(evidence_page))
        .route("/incidents/{id}/evidence/{e}/image", get(evidence_image))
        .route("/incidents/{id}/{kind}/{one}/{what}", post(change_one))
}

#[derive(Template)]
#[template(path = "incidents/review.html")]
struct ReviewPage {
    layout: Layout,
    r: service::ReviewView,
}

async fn review(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    review_page(&state, &staff, &id, None).await
}

async fn review_page(state: &AppState, staff: &Staff, id: &str, notice: Option<String>) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let r = service::review(state, &by, id).await?;
    let title = format!("复盘：{}", r.title);
    Ok(render(&ReviewPage { layout: layout(state, staff, &title).with_notice(notice), r })?)
}

async fn save_review(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let service::LessonsInput { lessons } = form.typed(&[])?;
    match service::save_review(&state, &by, &id, &lessons).await {
        Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/review")).into_response()),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => review_page(&state, &staff, &id, Some(message(&e))).await,
    }
}

async fn upload_evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    upload: crate::extract::Upload,
) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let by = officer(&state, &staff).await?;
    let CaptionForm { caption } = upload.form.typed(&[])?;
    let file = upload.files.into_iter().next();
    match service::add_evidence(&state, &by, &id, &caption, file).await {
        Ok(e) => Ok(Redirect::to(&format!("/incidents/{id}/evidence/{e}")).into_response()),
        Err(e) => detail_page(&state, &staff, &id, Some(message(&refused(e)?))).await,
    }
}

#[derive(Template)]
#[template(path = "incidents/evidence.html")]
struct EvidencePage {
    layout: Layout,
    incident_id: String,
    incident_title: String,
    id: String,
    caption: String,
    width: u32,
    height: u32,
    boxes: String,
    published: Option<String>,
}

async fn evidence_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, e)): Path<(String, String)>,
) -> PageResult<Response> {
    evidence_page_with(&state, &staff, &id, &e, None, "").await
}

async fn evidence_page_with(
    state: &AppState,
    staff: &Staff,
    id: &str,
    e: &str,
    notice: Option<String>,
    typed: &str,
) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let item = service::evidence_item(state, &by, id, e).await?;
    let incident = state.store.incident(id).await?;
    let stored = item
        .boxes
        .as_deref()
        .and_then(|b| serde_json::from_str::<Vec<xinqiao_domain::incidents::redaction::RedactBox>>(b).ok())
        .map(|b| xinqiao_domain::incidents::redaction::boxes_text(&b))
        .unwrap_or_default();
    Ok(render(&EvidencePage {
        layout: layout(state, staff, "证据打码").with_notice(notice),
        incident_id: incident.id,
        incident_title: incident.title,
        id: item.id,
        caption: item.caption,
        width: item.width,
        height: item.height,
        boxes: if typed.is_empty() { stored } else { typed.to_owned() },
        published: item.published_at.map(format_cst),
    })?)
}

/// The picture staff draw on: the original's pixels as a bare PNG, never the sealed file.
async fn evidence_image(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, e)): Path<(String, String)>,
) -> PageResult<Response> {
    let by = officer(&state, &staff).await?;
    let png = service::evidence_working_copy(&state, &by, &id, &e).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "image/png"), (axum::http::header::CACHE_CONTROL, "private, no-store")],
        png,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "incidents/drill.html")]
struct DrillPage {
    layout: Layout,
    r: service::DrillReport,
}

async fn drill_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, d)): Path<(String, String)>,
) -> PageResult<Response> {
    drill_page_with(&state, &staff, &id, &d, None).await
}

async fn drill_page_with(
    state: &AppState,
    staff: &Staff,
    id: &str,
    d: &str,
    notice: Option<String>,
) -> PageResult<Response> {
    let by = officer(state, staff).await?;
    let r = service::drill_report(state, &by, id, d).await?;
    Ok(render(&DrillPage { layout: layout(state, staff, "泄密演练报告").with_notice(notice), r })?)
}

/// The redaction form: the boxes drawn over the picture (`x,y,w,h;…`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BoxesForm {
    #[serde(default)]
    boxes: String,
}

/// The evidence upload's text field.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CaptionForm {
    #[serde(default)]
    caption: String,
}

/// The changes of one measure, promise or statement: `measures/{m}/extension|testing|completion|laboratory`,
/// `promises/{p}/kept`, `statements/{s}/publish`.
async fn change_one(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, kind, one, what)): Path<(String, String, String, String)>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let by = officer(&state, &staff).await?;
    let st = &state;
    let result = match (kind.as_str(), what.as_str()) {
        ("measures", "extension") => service::extend(st, &by, &id, &one, form.typed::<DayInput>(&[])?).await,
        ("measures", "testing") => service::add_testing(st, &by, &id, &one, form.typed::<TestingInput>(&[])?).await,
        ("measures", "completion") => service::complete(st, &by, &id, &one, form.typed::<DayInput>(&[])?).await,
        ("measures", "laboratory") => service::draw_retest_lab(st, &by, &id, &one, form.typed(&[])?).await.map(drop),
        ("promises", "kept") => service::keep_promise(st, &by, &id, &one).await,
        ("statements", "publish") => service::publish(st, &by, &id, &one).await.map(drop),
        ("drills", "findings") => {
            return match service::close_drill(st, &by, &id, &one, form.typed::<FindingsInput>(&[])?).await {
                Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/drills/{one}")).into_response()),
                Err(e) => drill_page_with(&state, &staff, &id, &one, Some(message(&refused(e)?))).await,
            };
        }
        ("evidence", "redaction") => {
            let BoxesForm { boxes } = form.typed(&[])?;
            return match service::redact_evidence(st, &by, &id, &one, &boxes).await {
                Ok(()) => Ok(Redirect::to(&format!("/incidents/{id}/evidence/{one}")).into_response()),
                Err(e) => {
                    let notice = Some(message(&refused(e)?));
                    evidence_page_with(&state, &staff, &id, &one, notice, &boxes).await
                }
            };
        }
        _ => return Err(AppError::NotFound.into()),
    };
    after(&state, &staff, &id, result).await
}
