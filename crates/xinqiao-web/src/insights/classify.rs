//! 问题分类 of one case, the one service under the case page's form and the API: an officer who
//! may act on the case confirms or corrects its category (and optionally its goods or service
//! subject) from the bureau's taxonomy; the suggestion model then retrains in the background.

use crate::AppState;
use crate::caller::Caller;
use crate::case_access::acting_case_as;
use crate::error::AppError;
use crate::tasks::{Task, TaskError};
use serde::Deserialize;
use xinqiao_domain::insights::Axis;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyInput {
    /// A category code of the taxonomy's nature axis.
    pub category: String,
    /// A code of its subject axis (goods or service), optional.
    #[serde(default)]
    pub subject: Option<String>,
}

/// Sets the case's category (and subject); an unknown code is refused, nothing changes.
pub async fn classify(state: &AppState, by: &Caller<'_>, id: &str, input: ClassifyInput) -> Result<(), AppError> {
    let case = acting_case_as(state, by, id).await?;
    let t = state.taxonomy().await?;
    let category = input.category.trim();
    if t.entry(Axis::Nature, category).is_none() {
        return Err(AppError::field("category", "unknown", "请选择问题类别"));
    }
    let subject = input.subject.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = subject
        && t.entry(Axis::Subject, s).is_none()
    {
        return Err(AppError::field("subject", "unknown", "未知的商品或服务类别"));
    }
    state.store.classify_case(&by.actor(), &case.id, category, subject).await?;
    // The correction teaches later suggestions (the model is retrained in the background).
    state.tasks.spawn(state, retrain());
    Ok(())
}

/// Retrains the category model in the background (a newer correction replaces a retraining
/// still under way: it trains on everything).
fn retrain() -> Task {
    Task::once("category-model", |state: AppState| async move {
        state.retrain_categories().await.map(|_| ()).map_err(|e| {
            tracing::warn!(error = %e, "retraining the category model failed");
            TaskError("问题类别模型重新训练失败")
        })
    })
}
