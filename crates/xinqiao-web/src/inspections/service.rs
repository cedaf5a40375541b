//! 双随机's one service for staff, under the task pages (`/inspections/{id}/…`) and
//! `/api/v1/inspections/{id}/…`: typed input on both doors, the caller's duty and place on the drawn
//! team checked here, every field validated before the store is asked, the store's typed
//! conflicts said in words.

use super::document;
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::draws::{DrawRules, DrawTask, PublishedDraw, ResultCategories, run};
use xinqiao_store::audit::Actor;
use xinqiao_store::conflict::InspectionConflict;
use xinqiao_store::{Conflict, StoreError};

/// An inspection result, as the task page's form and the API send it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordResult {
    /// The drawn target's 统一社会信用代码.
    pub uscc: String,
    /// A result category code (see the category list in the data file).
    #[serde(default)]
    pub category: String,
    /// Up to 500 characters (personal data masked).
    #[serde(default)]
    pub note: String,
}

/// An inspector of the target's drawn team (or a supervisor) records its result; refused once
/// the results are published.
pub async fn record_result(
    state: &AppState,
    caller: &Caller<'_>,
    task_id: &str,
    input: &RecordResult,
) -> Result<(), AppError> {
    let target_name = format!("draw:{task_id}");
    caller.require(state, Permission::HandleCases, &target_name).await?;
    let (_, json) = state.store.draw_task(task_id).await?;
    let doc = document(&json)?;
    let Some(target) = doc.outcome.iter().flat_map(|o| o.targets.iter()).find(|t| t.uscc == input.uscc) else {
        return Err(AppError::NotFound);
    };
    let mine = state.store.cert_of_user(&caller.user().id).await?;
    if !caller.can(Permission::SuperviseCases) && !mine.is_some_and(|m| target.inspectors.contains(&m)) {
        caller.deny(state, &target_name, "只有本户的检查人员或主管可以录入检查结果").await?;
    }
    let categories = ResultCategories::builtin();
    let Some(category) = categories.get(&input.category) else {
        return Err(AppError::field("category", "required", "请选择检查结果"));
    };
    let note: String = state.detector().await.mask(input.note.trim()).chars().take(500).collect();
    // Provisional when it runs into a year without its holiday notice: shown as such, recomputed
    // when the notice is loaded.
    let due = DrawRules::builtin().publication.due(&state.calendar(), state.today()).value;
    let recorded = state
        .store
        .record_result(&caller.actor(), task_id, &target.uscc, &target.name, &category.code, &note, due.0)
        .await;
    match recorded {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(Conflict::Inspection(InspectionConflict::ResultsPublished))) => {
            Err(AppError::Conflict("该结果已经公示，不能修改".into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// A supervisor publishes the task's recorded results.
pub async fn publish_results(state: &AppState, caller: &Caller<'_>, task_id: &str) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, &format!("draw:{task_id}")).await?;
    state.store.draw_task(task_id).await?;
    state.store.publish_results(&caller.actor(), task_id).await?;
    Ok(())
}

/// Commits a task built from the directories: the pool, the exclusions, the parameters and the
/// announced sources are frozen and their SHA-256 published before any source value exists.
pub(crate) async fn commit(state: &AppState, actor: &Actor, task: DrawTask) -> Result<String, AppError> {
    let doc = PublishedDraw::new(task, None);
    state.store.commit_draw_task(actor, &doc.task.id, &doc.task.title, &doc.to_json(), &doc.commitment).await?;
    Ok(doc.task.id)
}

/// Why a reveal did not run.
pub(crate) enum RevealError {
    /// A source has not published its value yet (409).
    TooEarly(String),
    /// The values do not make a key, or the task is drawn already (422).
    Refused(String),
    Other(AppError),
}

impl From<AppError> for RevealError {
    fn from(e: AppError) -> Self {
        RevealError::Other(e)
    }
}

/// The announced sources' values are entered (by source, in order), the draw runs, and the
/// outcome is published.
pub(crate) async fn reveal(state: &AppState, actor: &Actor, id: &str, values: &[String]) -> Result<(), RevealError> {
    let (_, json) = state.store.draw_task(id).await.map_err(AppError::from)?;
    let mut doc = document(&json)?;
    // A value cannot be known before its source publishes it: refuse rather than trust it.
    let now = state.now_ms();
    if let Some(s) = doc.task.sources.iter().find(|s| s.available_at.is_some_and(|at| at > now)) {
        let at = xinqiao_domain::time::format_cst(s.available_at.unwrap_or_default());
        return Err(RevealError::TooEarly(format!("“{}”将于 {} 公布，公布之后才能录入并抽取", s.name, &at[..16])));
    }
    for (i, s) in doc.task.sources.iter_mut().enumerate() {
        let v = values.get(i).map_or("", |v| v.trim());
        s.value = (!v.is_empty()).then(|| v.to_owned());
    }
    let outcome = run(&doc.task).map_err(|e| RevealError::Refused(e.to_string()))?;
    let teams: Vec<(String, Vec<String>)> =
        outcome.targets.iter().map(|t| (t.uscc.clone(), t.inspectors.clone())).collect();
    let published = PublishedDraw::new(doc.task, Some(outcome));
    match state.store.record_draw(actor, id, &published.to_json(), &teams).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(Conflict::Inspection(InspectionConflict::AlreadyDrawn))) => {
            Err(RevealError::Refused("该任务已经抽取，不能再次抽取".into()))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The values of the announced sources, in their order.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealInput {
    pub values: Vec<String>,
}

/// `reveal` for a caller through either door (a 主管): too early is a conflict, values that make
/// no key (or a task drawn already) a refusal of `values`.
pub async fn reveal_as(state: &AppState, caller: &Caller<'_>, id: &str, input: &RevealInput) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, &format!("draw:{id}")).await?;
    reveal(state, &caller.actor(), id, &input.values).await.map_err(|e| match e {
        RevealError::TooEarly(m) => AppError::Conflict(m),
        RevealError::Refused(m) => AppError::field("values", "refused", m),
        RevealError::Other(e) => e,
    })
}
