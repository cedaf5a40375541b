//! 双随机、一公开 on the web: supervisors create and commit draw tasks from the directories,
//! reveal the sources and run the draw; inspectors record results; and the public sees every
//! task, downloads its TASK.json, has the draw recomputed, and searches published results.

mod directory;
pub mod draft;
mod public;
pub mod service;
mod staff;
pub mod verification;

use crate::AppState;
use axum::Router;
use xinqiao_domain::draws::PublishedDraw;

pub fn router() -> Router<AppState> {
    staff::router().merge(public::router()).merge(directory::router())
}

/// A stored task's published document.
pub(crate) fn document(json: &str) -> Result<PublishedDraw, crate::error::AppError> {
    PublishedDraw::from_json(json).map_err(|e| crate::error::AppError::Internal(format!("stored draw document: {e}")))
}

/// The names of a drawn target's team (执法证号 as the fallback), joined for a page.
pub(crate) fn team_names(task: &xinqiao_domain::draws::DrawTask, team: &[String]) -> String {
    team.iter()
        .map(|c| task.inspectors.iter().find(|i| &i.cert_no == c).map_or(c.as_str(), |i| i.name.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

/// The drawn targets for which too few eligible inspectors remained, as sentences.
pub(crate) fn shortfall_lines(doc: &PublishedDraw) -> Vec<String> {
    doc.outcome
        .iter()
        .flat_map(|o| o.shortfalls.iter())
        .map(|s| format!("{}：需要{}名检查人员，只有{}名符合条件", s.uscc, s.needed, s.available))
        .collect()
}

/// How a source's kind reads on a page.
pub(crate) fn kind_label(kind: xinqiao_domain::draws::SourceKind) -> &'static str {
    if kind == xinqiao_domain::draws::SourceKind::Text { "文字" } else { "数字" }
}
