//! An assessor's declared ties to candidates (亲属, 其他利害关系), the one service under the
//! qualification page's form and `POST /api/v1/qualification/assessor-ties`: a declared tie
//! keeps the assessor off that candidate's panels when they are drawn.

use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::accounts::Permission;

/// An assessor's declared tie to a candidate, before a panel is drawn.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessorTieInput {
    /// `relative` (亲属) or `conflict` (其他利害关系).
    #[serde(default)]
    pub kind: String,
    /// The candidate's account id.
    #[serde(default)]
    pub candidate: String,
}

/// An assessor declares a relative or a conflict of interest with a candidate: the draw then
/// passes them over for that candidate's panels.
pub async fn declare_assessor_tie(
    state: &AppState,
    caller: &crate::caller::Caller<'_>,
    input: AssessorTieInput,
) -> Result<(), AppError> {
    caller.require(state, Permission::ReviewQualifications, "qualification.ties").await?;
    let kind = match input.kind.as_str() {
        k @ ("relative" | "conflict") => k,
        _ => return Err(AppError::field("kind", "invalid", "请选择关系类型")),
    };
    if state.store.user(&input.candidate).await.is_err() {
        return Err(AppError::field("candidate", "unknown", "请选择候选人"));
    }
    state.store.declare_assessor_tie(&caller.actor(), &input.candidate, kind).await?;
    Ok(())
}
