//! The side steps of handling a case, the one service under the case page's small forms and the
//! API: a supervisor's written leave for an officer barred by a declared tie, the assigned
//! officer's recusal (the case goes to the next officer free of ties), stopping and restarting
//! the clock, the officer's review of what is masked before the enterprise sees a complaint, and
//! the bureau's setting for that review. The caller is checked here; refusals are typed.

use super::privacy::{Revision, confirm, revise};
use crate::AppState;
use crate::caller::Caller;
use crate::case_access::{acting_case_as, handled_case_as, tie_bar};
use crate::error::AppError;
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::workflow::apply;
use xinqiao_domain::cases::{Action, CaseKind};
use xinqiao_store::cases::{CaseRecord, PauseReason, Transition};
use xinqiao_store::conflict::CaseConflict;
use xinqiao_store::{Conflict, StoreError};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieOverrideInput {
    /// The barred officer's user id.
    pub user_id: String,
    /// Why they may handle it anyway (5–200 characters; stored masked).
    pub reason: String,
}

/// A supervisor lets an officer barred by a declared tie handle the case, with a written reason.
pub async fn grant_tie_override(
    state: &AppState,
    by: &Caller<'_>,
    id: &str,
    input: TieOverrideInput,
) -> Result<(), AppError> {
    by.require(state, Permission::SuperviseCases, &format!("case:{id}")).await?;
    let case = acting_case_as(state, by, id).await?;
    let officer = input.user_id.trim();
    if officer == by.user().id {
        return Err(AppError::Forbidden("不能准许自己办理与自己有关联的案件".into()));
    }
    let reason = input.reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 200 {
        return Err(AppError::field("reason", "length", "请写明准许的理由（5至200字）"));
    }
    if tie_bar(state, officer, &case).await?.is_none() {
        return Err(AppError::Conflict("该人员没有需要准许的关联".into()));
    }
    let masked = state.detector().await.mask(reason);
    match state.store.grant_tie_override(&by.actor(), &case.id, officer, &masked).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(Conflict::Case(CaseConflict::OverrideGranted))) => {
            Err(AppError::Conflict("已经准许过".into()))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecusalInput {
    pub reason: String,
}

/// The assigned officer steps aside with a reason; the case goes to the next officer it would
/// be offered to (or waits for a supervisor when nobody is free of ties). Returns the case after.
pub async fn recuse(state: &AppState, by: &Caller<'_>, id: &str, input: RecusalInput) -> Result<CaseRecord, AppError> {
    let case = handled_case_as(state, by, id).await?;
    if case.assigned_to.as_deref() != Some(by.user().id.as_str()) {
        return Err(AppError::Conflict("只有承办人本人可以申请回避".into()));
    }
    state.store.recuse(&by.actor(), &case.id, &by.user().id, &input.reason).await?;
    let case = state.store.case(&case.id).await?;
    if let (Some(org), Ok(_)) = (&case.org_id, apply(case.kind, case.status, &Action::Assign)) {
        let (_, next) = super::view::officer_choices(state, &case, org).await?;
        if let Some(next) = next {
            let t = Transition {
                case_id: &case.id,
                from: case.status,
                action: &Action::Assign,
                note: "承办人回避，已重新分派。".into(),
                public: false,
                assign: Some(Some(&next)),
                org: None,
                finish: None,
            };
            state.store.transition(&by.actor(), t).await?;
        }
    }
    Ok(state.store.case(&case.id).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseInput {
    /// `testing` (检测鉴定), `supplement` (waiting for the complainant's supplement) or `settlement`.
    pub reason: String,
}

/// Stops the case's clock for a reason the rules allow.
pub async fn pause(state: &AppState, by: &Caller<'_>, id: &str, input: PauseInput) -> Result<(), AppError> {
    let case = open_case(state, by, id).await?;
    let reason = PauseReason::parse(input.reason.trim())
        .ok_or_else(|| AppError::field("reason", "invalid", "请选择暂停原因"))?;
    state.store.pause_case(&by.actor(), &case.id, reason, state.today().0).await.map_err(|e| match e {
        StoreError::Conflict(Conflict::Case(CaseConflict::PauseState)) => AppError::Conflict("期限已在暂停中".into()),
        other => other.into(),
    })
}

/// Starts the case's clock again.
pub async fn resume(state: &AppState, by: &Caller<'_>, id: &str) -> Result<(), AppError> {
    let case = open_case(state, by, id).await?;
    state.store.resume_case(&by.actor(), &case.id, state.today().0).await.map_err(|e| match e {
        StoreError::Conflict(Conflict::Case(CaseConflict::PauseState)) => AppError::Conflict("期限没有暂停".into()),
        other => other.into(),
    })
}

async fn open_case(state: &AppState, by: &Caller<'_>, id: &str) -> Result<CaseRecord, AppError> {
    let case = acting_case_as(state, by, id).await?;
    if case.status.is_final() {
        return Err(AppError::Conflict("已结束的诉求没有期限可暂停".into()));
    }
    Ok(case)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivacyReviewInput {
    /// `mask`, `restore`, `mask_text`, `mask_demand`, `restore_demand` or `confirm`.
    pub op: String,
    /// For the span operations: `start-end` in characters (`start` alone is read for restores).
    #[serde(default)]
    pub span: String,
    /// For `mask_text`: the word hidden everywhere.
    #[serde(default)]
    pub words: String,
}

/// The officer's review of what is masked in a complaint: mask a doubtful span, restore a masked
/// one, hide a word everywhere, or confirm (after which the enterprise sees the complaint).
pub async fn review_privacy(
    state: &AppState,
    by: &Caller<'_>,
    id: &str,
    input: PrivacyReviewInput,
) -> Result<(), AppError> {
    let case = acting_case_as(state, by, id).await?;
    if case.kind != CaseKind::Complaint {
        return Err(AppError::Conflict("只有投诉需要脱敏复核".into()));
    }
    let span = || -> Result<(usize, usize), AppError> {
        input
            .span
            .split_once('-')
            .and_then(|(s, e)| Some((s.trim().parse().ok()?, e.trim().parse().ok()?)))
            .ok_or_else(|| AppError::field("span", "invalid", "位置无效"))
    };
    let actor = by.actor();
    match input.op.as_str() {
        "mask" => revise(state, &actor, &case, Revision::Mask(span()?.0, span()?.1)).await,
        "restore" => revise(state, &actor, &case, Revision::Restore(span()?.0)).await,
        "mask_text" => revise(state, &actor, &case, Revision::MaskText(input.words.clone())).await,
        "mask_demand" => revise(state, &actor, &case, Revision::MaskDemand(span()?.0, span()?.1)).await,
        "restore_demand" => revise(state, &actor, &case, Revision::RestoreDemand(span()?.0)).await,
        "confirm" => confirm(state, &actor, &case).await,
        _ => Err(AppError::field("op", "invalid", "未知的操作")),
    }
}

/// A supervisor turns the review before the enterprise sees a complaint on or off.
pub async fn set_privacy_review(state: &AppState, by: &Caller<'_>, required: bool) -> Result<(), AppError> {
    by.require(state, Permission::SuperviseCases, "settings:privacy").await?;
    state.store.put_setting(&by.actor(), super::privacy::REVIEW_SETTING, &required).await?;
    Ok(())
}
