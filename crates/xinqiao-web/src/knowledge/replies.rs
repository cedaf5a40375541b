//! 政策问答 in case work: citing a published entry in a case reply, and turning a case's answer
//! into a Q&A draft in one step.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use xinqiao_domain::cases::ActionKind;
use xinqiao_domain::knowledge::QaStatus;

pub fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/qa", post(link_to_case)).route("/cases/{id}/qa-draft", post(draft_from_case))
}

/// Links a published entry to a case (the officer used it in the reply); the public tracking
/// page shows the question. `entry` may be the entry's id.
async fn link_to_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let entry = state
        .store
        .entry(form.get("entry"))
        .await
        .map_err(|_| AppError::field("entry", "unknown", "请选择已发布的问答"))?;
    let note = format!("答复参考政策问答：{}", entry.text.question);
    match state.store.link_entry_to_case(&staff.actor(), &case.id, &entry.id, &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(xinqiao_store::StoreError::NotFound) => {
            Err(AppError::field("entry", "unpublished", "只能引用已发布的问答").into())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// Turns a case into a Q&A draft in one step: the (masked) account as the question to rework,
/// the officer's last public answer on the case as the answer. The officer then edits it.
async fn draft_from_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let events = state.store.case_events(&case.id, true).await?;
    let answer = events
        .iter()
        .rev()
        .find(|e| {
            let answered = [ActionKind::Reply, ActionKind::Close, ActionKind::Inform];
            answered.iter().any(|a| a.audit_code() == e.action) && !e.note.is_empty()
        })
        .map(|e| e.note.clone())
        .unwrap_or_default();
    // A Q&A entry is public text: personal data dropped whole ([已隐去]), never shown in part.
    let detector = state.detector().await;
    let public = match state.store.case_privacy(&case.id).await?.public {
        Some(p) => xinqiao_domain::privacy::drop_masked_fragments(&p),
        None => crate::text::public_of(&detector, &case.narrative_masked),
    };
    let question: String = public.chars().take(120).collect();
    let answer = crate::text::public_of(&detector, &answer);
    let audience =
        if case.kind == xinqiao_domain::cases::CaseKind::EnterpriseRequest { "enterprise" } else { "consumer" };
    let text = xinqiao_store::knowledge::EntryText {
        question,
        answer,
        explanation: String::new(),
        audience: audience.into(),
        industries: case.industry.clone().unwrap_or_default(),
        tags: case.kind.label().into(),
        citations: Vec::new(),
        review_by: None,
        example: false,
    };
    let entry = state.store.create_entry(&staff.actor(), QaStatus::Draft, &text).await?;
    Ok(Redirect::to(&format!("/knowledge/{entry}/edit")).into_response())
}
