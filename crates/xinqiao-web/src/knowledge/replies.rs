//! 政策问答 in case work (pages): citing a published entry in a case reply, and turning a case's
//! answer into a Q&A draft in one step. Thin adapters over `in_cases`.

use super::in_cases::{self, CiteInput};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::PageResult;
use crate::extract::PageForm;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

pub fn router() -> Router<AppState> {
    Router::new().route("/cases/{id}/qa", post(link_to_case)).route("/cases/{id}/qa-draft", post(draft_from_case))
}

/// Links a published entry to a case (the officer used it in the reply).
async fn link_to_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let input: CiteInput = form.typed(&[])?;
    in_cases::cite_in_case(&state, &Caller::Page(&staff), &case, input).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

/// Turns a case into a Q&A draft; the officer then edits it.
async fn draft_from_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::case_access::acting_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let entry = in_cases::draft_from_case(&state, &Caller::Page(&staff), &case).await?;
    Ok(Redirect::to(&format!("/knowledge/{entry}/edit")).into_response())
}
