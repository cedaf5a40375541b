//! Which case a staff member may see and act on: the bureaus they handle (their own and every
//! one below it), a case of those, and — for its identity, files and actions — no declared tie
//! to one of its parties unless a supervisor let them. Shared by the case pages, the insights and
//! the knowledge pages that open a case.

use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::AppError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::independence::{Parties, Tie, conflicting_tie};
use xinqiao_store::cases::CaseRecord;

/// The bureaus whose cases `staff` handles: their own and every one below it.
pub async fn visible_orgs(state: &AppState, staff: &Staff) -> Result<Vec<String>, AppError> {
    Ok(crate::scope::Scope::of_org(state, staff.user().org_id.as_deref()).await?.org_ids)
}

/// The case, if `staff` may handle it; otherwise 404 (its existence is not confirmed either).
pub(crate) async fn handled_case(state: &AppState, staff: &Staff, id: &str) -> Result<CaseRecord, AppError> {
    handled_case_as(state, &Caller::Page(staff), id).await
}

/// The same for a caller through either door.
pub(crate) async fn handled_case_as(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CaseRecord, AppError> {
    caller.require(state, Permission::HandleCases, &format!("case:{id}")).await?;
    let case = state.store.case(id).await?;
    let orgs = crate::scope::Scope::of_org(state, caller.user().org_id.as_deref()).await?.org_ids;
    match &case.org_id {
        Some(org) if orgs.contains(org) => Ok(case),
        _ => Err(AppError::NotFound),
    }
}

/// `acting_case` for a caller through either door.
pub(crate) async fn acting_case_as(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CaseRecord, AppError> {
    let case = handled_case_as(state, caller, id).await?;
    if let Some(why) = tie_bar(state, &caller.user().id, &case).await? {
        let message = format!("{why}；如确需由您办理，须由主管写明理由后准许");
        caller.deny(state, &format!("case:{id}"), &message).await?;
        return Err(AppError::Forbidden(message));
    }
    Ok(case)
}

/// The case, if `staff` may act on it: handled by their bureau tree and not barred by a tie they
/// declared to one of its parties (its identity, files and actions are closed to them unless a
/// supervisor let them handle it). The refusal is audited.
pub(crate) async fn acting_case(state: &AppState, staff: &Staff, id: &str) -> Result<CaseRecord, AppError> {
    acting_case_as(state, &Caller::Page(staff), id).await
}

/// The parties of a case, for matching declared ties.
pub async fn parties(state: &AppState, case: &CaseRecord) -> Result<Parties, AppError> {
    Ok(Parties {
        enterprise_uscc: case.enterprise_uscc.clone(),
        enterprise_name: case.enterprise_name.clone(),
        person_indexes: state.store.person_indexes(&case.id).await?,
    })
}

/// Why `user`'s declared tie bars them from `case` (its identity, files and actions), unless a
/// supervisor let them handle it anyway.
pub async fn tie_bar(state: &AppState, user_id: &str, case: &CaseRecord) -> Result<Option<String>, AppError> {
    let ties: Vec<Tie> = state.store.ties_of(user_id).await?.into_iter().map(|t| t.tie).collect();
    if ties.is_empty() {
        return Ok(None);
    }
    let parties = parties(state, case).await?;
    let Some(tie) = conflicting_tie(&ties, &parties) else { return Ok(None) };
    if state.store.tie_override(&case.id, user_id).await?.is_some() {
        return Ok(None);
    }
    Ok(Some(format!("您申报了与本案当事方的关系（{}），应当回避", tie.kind.label())))
}
