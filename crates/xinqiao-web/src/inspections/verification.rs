//! 复核: anyone recomputes a published draw from its own published inputs — a stored task by its
//! id, or a TASK.json someone pasted or downloaded earlier — the one service that the public
//! pages (`/draws/{id}/verify`, `/draws/verify`) and the API (`/api/v1/draws/…/verify`) call.

use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::draws::{DrawError, Verification, verify_file};

/// Recomputes a stored task's published draw. A task that is not found is the store's typed
/// error; a document that cannot be verified (not drawn yet, unreadable) is the inner `Err`.
pub async fn stored(state: &AppState, id: &str) -> Result<Result<Verification, DrawError>, AppError> {
    let (_, json) = state.store.draw_task(id).await?;
    Ok(verify_file(&json))
}

/// Recomputes a TASK.json brought by the caller.
pub fn pasted(document: &str) -> Result<Verification, DrawError> {
    verify_file(document)
}

/// The refusal of a document that cannot be verified, with the domain's stable code: nothing
/// drawn yet is a conflict with the task's state; an unreadable document is the caller's input.
pub fn refusal(e: &DrawError) -> AppError {
    match e {
        DrawError::NothingToVerify => AppError::Conflict(e.to_string()),
        _ => AppError::field("document", e.code(), e.to_string()),
    }
}
