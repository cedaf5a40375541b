//! 双随机、一公开 on the web: supervisors create and commit draw tasks from the directories,
//! reveal the sources and run the draw; inspectors record results; and the public sees every
//! task, downloads its TASK.json, has the draw recomputed, and searches published results.

mod public;
mod staff;

use crate::AppState;
use axum::Router;
use xinqiao_domain::draws::{DrawError, PublishedDraw};

pub fn router() -> Router<AppState> {
    staff::router().merge(public::router())
}

/// A stored task's published document.
pub(crate) fn document(json: &str) -> Result<PublishedDraw, crate::error::AppError> {
    PublishedDraw::from_json(json).map_err(|e| crate::error::AppError::Internal(format!("stored draw document: {e}")))
}

/// A draw error as a field error (Chinese message, stable code).
pub(crate) fn invalid(e: DrawError) -> crate::error::AppError {
    crate::error::AppError::field("draw", e.code(), e.to_string())
}
