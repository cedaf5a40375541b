//! Cases' one service for staff, under the case page's forms and `/api/v1/cases/{code}/…`: typed
//! input (serde forms on both doors), the caller's bureau, tie and duty checked here, every field
//! validated before the first change, the workflow's rules asked of the domain (which transition
//! applies, whether a closure waits for review, who may review it), then the store.

use crate::AppState;
use crate::caller::Caller;
use crate::case_access::{acting_case_as, parties};
use crate::error::{AppError, conflict_message};
use serde::Deserialize;
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::independence::barred;
use xinqiao_domain::cases::limits::ended_in_time;
use xinqiao_domain::cases::workflow::{CloseRoute, apply, close_route, may_review_closure};
use xinqiao_domain::cases::{Action, MediationResult, RejectGround, Status};
use xinqiao_store::cases::{CaseRecord, ClosureRequest, Finish, NewClosureRequest, Transition};
use xinqiao_store::conflict::CaseConflict;
use xinqiao_store::{Conflict, StoreError};

/// The settings key of 审核办结: whether an officer's 办结 waits for a supervisor's approval
/// (off unless the bureau turns it on).
pub const CLOSURE_REVIEW_SETTING: &str = "cases.closure_review";

/// Whether the bureau reviews closures.
pub async fn closure_review_on(state: &AppState) -> Result<bool, AppError> {
    Ok(state.store.setting::<bool>(CLOSURE_REVIEW_SETTING).await?.unwrap_or(false))
}

/// A supervisor turns the closure review on or off.
pub async fn set_closure_review(state: &AppState, caller: &Caller<'_>, on: bool) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "settings:closure_review").await?;
    state.store.put_setting(&caller.actor(), CLOSURE_REVIEW_SETTING, &on).await?;
    Ok(())
}

/// An action on a case, as the page's action forms and the API send it. Only the fields of the
/// chosen action are read.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    /// accept, reject, assign, start_mediation, close, follow_up, open, decline, inform, reply,
    /// transfer, return_to_bureau or merge.
    pub action: String,
    /// reject: the ground's code.
    #[serde(default)]
    pub ground: String,
    /// close: settled, failed or terminated.
    #[serde(default)]
    pub result: String,
    /// close: the money recovered for the consumer in yuan ("1200", "99.50"); may be empty.
    #[serde(default)]
    pub recovered: String,
    /// assign: the officer's account id.
    #[serde(default)]
    pub assignee: String,
    /// transfer: the receiving bureau's id.
    #[serde(default)]
    pub org_id: String,
    /// merge: the id of the open report this one repeats.
    #[serde(default)]
    pub into: String,
    /// Note on the case's history (personal data masked).
    #[serde(default)]
    pub note: String,
    /// The pages' confirmation of an irreversible action: sent empty by the action's form, `1`
    /// by the confirmation. Leave it out over the API.
    #[serde(default)]
    pub confirmed: Option<String>,
}

/// What an action did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acted {
    /// Applied: the case's new status.
    Done(Status),
    /// Irreversible and not confirmed yet: nothing done, every field checked.
    ConfirmFirst,
    /// 办结 under closure review: recorded as a request for a supervisor.
    AwaitingReview,
}

impl ActInput {
    /// Whether the form asks to be confirmed first (see `actions::irreversible`).
    pub fn needs_confirmation(&self) -> bool {
        super::actions::irreversible(&self.action) && self.confirmed.as_deref().is_some_and(|v| v != "1")
    }

    /// The action in the domain's terms.
    pub fn action(&self) -> Result<Action, AppError> {
        Ok(match self.action.as_str() {
            "accept" => Action::Accept,
            "reject" => Action::Reject(
                RejectGround::parse(&self.ground)
                    .ok_or_else(|| AppError::field("ground", "required", "请选择不予受理的理由"))?,
            ),
            "assign" => Action::Assign,
            "start_mediation" => Action::StartMediation,
            "close" => Action::Close(
                MediationResult::parse(&self.result)
                    .ok_or_else(|| AppError::field("result", "required", "请选择办结结果"))?,
            ),
            "follow_up" => Action::FollowUp,
            "open" => Action::Open,
            "decline" => Action::Decline,
            "inform" => Action::Inform,
            "reply" => Action::Reply,
            "transfer" => Action::Transfer,
            "return_to_bureau" => Action::ReturnToBureau,
            "merge" => Action::Merge,
            _ => return Err(AppError::field("action", "invalid", "未知的操作")),
        })
    }
}

/// The money recovered for the consumer, typed in yuan ("1200", "99.5"); empty is none.
pub fn recovered_cents(text: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim().trim_end_matches('元');
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::field("recovered", "invalid", "挽回金额请填写不超过两位小数的元数，如 1200 或 99.50");
    let (yuan, fen) = text.split_once('.').unwrap_or((text, ""));
    if yuan.is_empty() || fen.len() > 2 || !yuan.chars().chain(fen.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let yuan: i64 = yuan.parse().map_err(|_| bad())?;
    let fen: i64 = if fen.is_empty() { 0 } else { format!("{fen:0<2}").parse().map_err(|_| bad())? };
    yuan.checked_mul(100).and_then(|c| c.checked_add(fen)).filter(|c| *c <= 100_000_000_000).map(Some).ok_or_else(bad)
}

/// The closure of the case that waits for review, if one does.
pub async fn pending_closure(state: &AppState, case_id: &str) -> Result<Option<ClosureRequest>, AppError> {
    Ok(state.store.latest_closure_request(case_id).await?.filter(|r| r.decision.is_none()))
}

/// The case `id`, if the caller may act on it (bureau tree, no barring tie); 404 otherwise.
pub async fn case_to_act_on(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CaseRecord, AppError> {
    acting_case_as(state, caller, id).await
}

/// The same, found by its 受理编号 (as the API names cases).
pub async fn case_by_code(state: &AppState, caller: &Caller<'_>, code: &str) -> Result<CaseRecord, AppError> {
    caller.require(state, Permission::HandleCases, "cases").await?;
    let code: String = code.chars().filter(|c| *c != '-').collect();
    let case = state.store.case_by_tracking_code(code.trim()).await?;
    acting_case_as(state, caller, &case.id).await
}

/// Takes an action on `case` (found by `case_to_act_on`): validated, confirmed when it cannot
/// be undone, routed to review when the bureau reviews closures, then applied.
pub async fn act(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: &ActInput,
) -> Result<Acted, AppError> {
    caller.require(state, Permission::HandleCases, &format!("case:{}", case.id)).await?;
    if pending_closure(state, &case.id).await?.is_some() {
        return Err(AppError::Conflict(conflict_message(&Conflict::Case(CaseConflict::ClosurePending)).into()));
    }
    let action = input.action()?;
    if let Action::Reject(g) = &action
        && !g.in_force_under(case.rule_set.as_deref())
    {
        return Err(AppError::field("ground", "not_in_force", "该理由自2026年4月15日起才适用"));
    }
    let to = apply(case.kind, case.status, &action).map_err(|e| {
        let allowed: Vec<&str> = e.allowed.iter().map(|a| a.label()).collect();
        AppError::Conflict(format!(
            "{}。可进行的操作：{}",
            e,
            if allowed.is_empty() { "无".into() } else { allowed.join("、") }
        ))
    })?;
    // An action that cannot be undone is confirmed first (the form's own fields checked).
    if input.needs_confirmation() {
        if let Action::Close(_) = &action {
            recovered_cents(&input.recovered)?;
        }
        return Ok(Acted::ConfirmFirst);
    }
    let (mut assign, mut org) = (None, None);
    let today = state.today().0;
    let actor = caller.actor();
    match action {
        // Only the complainant accepts a settlement (on the tracking page).
        Action::AcceptSettlement => return Err(AppError::Conflict("和解方案只能由投诉人接受".into())),
        Action::ReturnToBureau => {
            state.store.return_to_bureau(&actor, &case.id, action.public_note(), today).await?;
            return Ok(Acted::Done(Status::AwaitingAcceptance));
        }
        Action::Merge => {
            let candidates = super::view::merge_candidates(state, case).await?;
            let Some(target) = candidates.iter().find(|c| c.id == input.into) else {
                return Err(AppError::field("into", "not_similar", "请选择内容相近的在办举报"));
            };
            state.store.merge_report(&actor, &case.id, &target.id, &target.code).await?;
            return Ok(Acted::Done(Status::Merged));
        }
        Action::Assign => {
            check_assignee(state, case, &input.assignee).await?;
            assign = Some(Some(input.assignee.as_str()));
        }
        Action::Transfer => {
            let target = input.org_id.as_str();
            state.store.org(target).await.map_err(|_| AppError::field("org_id", "unknown", "请选择移送的机构"))?;
            if Some(target) == case.org_id.as_deref() {
                return Err(AppError::field("org_id", "same", "不能移送给本机构"));
            }
            org = Some(target);
        }
        _ => {}
    }
    let own_note = state.detector().await.mask_for(input.note.trim(), &[case.enterprise_name.as_str()]);
    if let Action::Close(result) = &action {
        let recovered = recovered_cents(&input.recovered)?;
        let review_on = closure_review_on(state).await?;
        if close_route(&action, review_on, caller.can(Permission::SuperviseCases)) == CloseRoute::Review {
            let r = NewClosureRequest {
                case_id: &case.id,
                from: case.status,
                result: *result,
                recovered_cents: recovered,
                note: own_note,
            };
            state.store.request_closure(&actor, r).await?;
            return Ok(Acted::AwaitingReview);
        }
    }
    let mut note = action.public_note().to_owned();
    if let Action::Reject(g) = &action {
        note = format!("{note}（{}）", g.notice());
    }
    if !own_note.is_empty() {
        note = format!("{note}{own_note}");
    }
    let finish = if to.concludes() {
        let (mediation, recovered) = match &action {
            Action::Close(r) => (Some(*r == MediationResult::Settled), recovered_cents(&input.recovered)?),
            _ => (None, None),
        };
        Some(finish(state, case, mediation, recovered).await?)
    } else {
        None
    };
    let public = action.kind().is_public();
    let t = Transition { case_id: &case.id, from: case.status, action: &action, note, public, assign, org, finish };
    let done = state.store.transition(&actor, t).await?;
    Ok(Acted::Done(done.status))
}

/// How the case ends today: in time or not, by its deadline.
async fn finish(
    state: &AppState,
    case: &CaseRecord,
    mediation: Option<bool>,
    recovered_cents: Option<i64>,
) -> Result<Finish, AppError> {
    let due = super::view::deadline(state, case).await?.and_then(|d| d.due);
    Ok(Finish { on_time: ended_in_time(due, state.today()), mediation, recovered_cents })
}

/// An assignee must work in the case's bureau, be on duty, and have no reason to step aside.
async fn check_assignee(state: &AppState, case: &CaseRecord, officer: &str) -> Result<(), AppError> {
    let Some(org) = &case.org_id else {
        return Err(AppError::field("assignee", "no_bureau", "诉求尚未归属机构"));
    };
    let officers = state.store.candidates(org, &case.id).await?;
    let Some(o) = officers.iter().find(|o| o.candidate.user_id == officer) else {
        return Err(AppError::field("assignee", "ineligible", "承办人须为本机构在岗的客户体验官或主管"));
    };
    let parties = parties(state, case).await?;
    match barred(&o.candidate, &parties) {
        Some(why) => Err(AppError::field("assignee", "must_recuse", format!("{}须回避：{why}", o.display_name))),
        None => Ok(()),
    }
}

/// A supervisor's decision on a closure waiting for review.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureReviewInput {
    /// approve (the case is closed as the officer asked) or return (back to the officer).
    pub decision: String,
    /// return: why, 5 to 200 characters (personal data masked).
    #[serde(default)]
    pub reason: String,
}

/// A supervisor of the case's bureau tree (not the officer who asked) approves or returns the
/// closure waiting for review; returns the case's status afterwards.
pub async fn review_closure(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: &ClosureReviewInput,
) -> Result<Status, AppError> {
    let target = format!("case:{}", case.id);
    caller.require(state, Permission::SuperviseCases, &target).await?;
    let approve = match input.decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => return Err(AppError::field("decision", "invalid", "请选择批准办结或退回")),
    };
    let Some(request) = pending_closure(state, &case.id).await? else {
        return Err(AppError::Conflict(conflict_message(&Conflict::Case(CaseConflict::NoPendingClosure)).into()));
    };
    if let Err(why) = may_review_closure(&request.requested_by, &caller.user().id) {
        caller.deny(state, &target, &why.to_string()).await?;
    }
    let actor = caller.actor();
    if !approve {
        let reason = input.reason.trim();
        if !(5..=200).contains(&reason.chars().count()) {
            return Err(AppError::field("reason", "length", "请写明退回的理由（5至200字）"));
        }
        let reason = state.detector().await.mask_for(reason, &[case.enterprise_name.as_str()]);
        state.store.return_closure(&actor, &request.id, &case.id, &reason).await?;
        return Ok(case.status);
    }
    let action = Action::Close(request.result);
    let to = apply(case.kind, case.status, &action)
        .map_err(|_| AppError::Conflict(conflict_message(&Conflict::Case(CaseConflict::ChangedMeanwhile)).into()))?;
    let note = format!("{}{}", action.public_note(), request.note);
    let finish = if to.concludes() {
        Some(finish(state, case, Some(request.result == MediationResult::Settled), request.recovered_cents).await?)
    } else {
        None
    };
    let t = Transition {
        case_id: &case.id,
        from: case.status,
        action: &action,
        note,
        public: true,
        assign: None,
        org: None,
        finish,
    };
    match state.store.approve_closure(&actor, &request.id, t).await {
        Ok(()) => Ok(to),
        Err(StoreError::Conflict(Conflict::Case(
            c @ (CaseConflict::NoPendingClosure | CaseConflict::ChangedMeanwhile),
        ))) => Err(AppError::Conflict(conflict_message(&Conflict::Case(c)).into())),
        Err(e) => Err(e.into()),
    }
}

/// The code the page's `?done=` carries after `acted`.
pub fn done_code(input: &ActInput, acted: Acted) -> &str {
    match acted {
        Acted::AwaitingReview => "close_request",
        _ => input.action.as_str(),
    }
}
