//! The case state machine, pure. 投诉: 待受理 → 已受理 | 不予受理 → 已分派 → 调解中 → 办结 → 已回访;
//! 举报: 待核查 → 立案 | 不予立案 → 已告知 (or 已合并 into an open report it repeats); 咨询、建议、
//! 企业诉求: 待答复 → 已答复. A complaint about an enterprise in ODR starts in 先行和解中 instead:
//! the complainant accepting the enterprise's settlement closes it, anything else brings it to the
//! bureau (待受理). Transfer (移送) to another bureau puts an open case back at its kind's first
//! state there. An illegal transition names the actions that are allowed.

mod kinds;

pub use kinds::*;
use serde::Serialize;

/// What someone does to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Accept,
    Reject(RejectGround),
    Assign,
    StartMediation,
    Close(MediationResult),
    FollowUp,
    Open,
    Decline,
    Inform,
    Reply,
    Transfer,
    /// The complainant accepts the enterprise's settlement (先行和解 or during mediation).
    AcceptSettlement,
    /// A complaint in 先行和解 comes to the bureau: declined, expired, or taken up early.
    ReturnToBureau,
    /// A repeated report is merged into the open one it repeats.
    Merge,
}

/// An action without its details: what lists of allowed actions are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Accept,
    Reject,
    Assign,
    StartMediation,
    Close,
    FollowUp,
    Open,
    Decline,
    Inform,
    Reply,
    Transfer,
    AcceptSettlement,
    ReturnToBureau,
    Merge,
}

impl ActionKind {
    pub const ALL: [ActionKind; 14] = [
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Assign,
        ActionKind::StartMediation,
        ActionKind::Close,
        ActionKind::FollowUp,
        ActionKind::Open,
        ActionKind::Decline,
        ActionKind::Inform,
        ActionKind::Reply,
        ActionKind::Transfer,
        ActionKind::AcceptSettlement,
        ActionKind::ReturnToBureau,
        ActionKind::Merge,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Accept => "受理",
            ActionKind::Reject => "不予受理",
            ActionKind::Assign => "分派",
            ActionKind::StartMediation => "开始调解",
            ActionKind::Close => "办结",
            ActionKind::FollowUp => "回访",
            ActionKind::Open => "立案",
            ActionKind::Decline => "不予立案",
            ActionKind::Inform => "告知举报人",
            ActionKind::Reply => "答复",
            ActionKind::Transfer => "移送",
            ActionKind::AcceptSettlement => "接受和解",
            ActionKind::ReturnToBureau => "转入受理",
            ActionKind::Merge => "合并",
        }
    }
}

impl ActionKind {
    /// The code of the action in the case history and the audit trail.
    pub fn audit_code(self) -> &'static str {
        match self {
            ActionKind::Accept => "case.accept",
            ActionKind::Reject => "case.reject",
            ActionKind::Assign => "case.assign",
            ActionKind::StartMediation => "case.mediate",
            ActionKind::Close => "case.close",
            ActionKind::FollowUp => "case.follow_up",
            ActionKind::Open => "case.open",
            ActionKind::Decline => "case.decline",
            ActionKind::Inform => "case.inform",
            ActionKind::Reply => "case.reply",
            ActionKind::Transfer => "case.transfer",
            ActionKind::AcceptSettlement => "settlement.accept",
            ActionKind::ReturnToBureau => "case.return",
            ActionKind::Merge => "case.merge",
        }
    }

    /// Whether the step is shown on the public tracking page (an assignment is internal).
    pub fn is_public(self) -> bool {
        self != ActionKind::Assign
    }
}

impl Action {
    /// What the public tracking page says for this step.
    pub fn public_note(&self) -> &'static str {
        match self {
            Action::Accept => "您的投诉已受理。",
            Action::Reject(_) => "您的投诉不予受理，理由见告知。",
            Action::Assign => "已安排承办人员。",
            Action::StartMediation => "已开始调解。",
            Action::Close(MediationResult::Settled) => "调解成功，已办结。",
            Action::Close(_) => "已办结。",
            Action::FollowUp => "已回访。",
            Action::Open => "举报已核查，决定立案。",
            Action::Decline => "举报已核查，决定不予立案。",
            Action::Inform => "已告知核查处理结果。",
            Action::Reply => "已答复。",
            Action::Transfer => "已移送其他市场监督管理部门办理。",
            Action::AcceptSettlement => "投诉人接受和解方案，已办结。",
            Action::ReturnToBureau => "先行和解未完成，转由市场监督管理部门处理。",
            Action::Merge => "与此前同一事项的举报合并处理。",
        }
    }

    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::Reject(_) => ActionKind::Reject,
            Action::Assign => ActionKind::Assign,
            Action::StartMediation => ActionKind::StartMediation,
            Action::Close(_) => ActionKind::Close,
            Action::FollowUp => ActionKind::FollowUp,
            Action::Open => ActionKind::Open,
            Action::Decline => ActionKind::Decline,
            Action::Inform => ActionKind::Inform,
            Action::Reply => ActionKind::Reply,
            Action::Transfer => ActionKind::Transfer,
            Action::AcceptSettlement => ActionKind::AcceptSettlement,
            Action::ReturnToBureau => ActionKind::ReturnToBureau,
            Action::Merge => ActionKind::Merge,
        }
    }
}

/// A refused transition, with what would have been allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("当前状态“{from}”下不能“{}”", action.label())]
pub struct IllegalTransition {
    pub from: Status,
    pub action: ActionKind,
    pub allowed: Vec<ActionKind>,
}

/// The one table of the workflow: (kind, from, action) → to.
fn target(kind: CaseKind, from: Status, action: ActionKind) -> Option<Status> {
    use ActionKind as A;
    use Status as S;
    if !kind.statuses().contains(&from) {
        return None;
    }
    if action == A::Transfer && !from.is_final() && !matches!(from, S::Settling | S::Closed | S::Opened | S::NotOpened)
    {
        return Some(kind.initial());
    }
    Some(match (from, action) {
        (S::Settling, A::AcceptSettlement) => S::Closed,
        (S::Settling, A::ReturnToBureau) => S::AwaitingAcceptance,
        (S::AwaitingAcceptance, A::Accept) => S::Accepted,
        (S::AwaitingAcceptance, A::Reject) => S::Rejected,
        (S::Accepted, A::Assign) => S::Assigned,
        (S::Assigned, A::Assign) => S::Assigned,
        (S::Assigned, A::StartMediation) => S::Mediating,
        (S::Mediating, A::Assign) => S::Mediating,
        (S::Mediating, A::Close | A::AcceptSettlement) => S::Closed,
        (S::Closed, A::FollowUp) => S::FollowedUp,
        (S::AwaitingVerification, A::Assign) => S::AwaitingVerification,
        (S::AwaitingVerification, A::Open) => S::Opened,
        (S::AwaitingVerification, A::Decline) => S::NotOpened,
        (S::AwaitingVerification, A::Merge) => S::Merged,
        (S::Opened | S::NotOpened, A::Inform) => S::Informed,
        (S::AwaitingReply, A::Assign) => S::AwaitingReply,
        (S::AwaitingReply, A::Reply) => S::Replied,
        _ => return None,
    })
}

/// The actions allowed on a case of `kind` in `status`.
pub fn allowed(kind: CaseKind, status: Status) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|a| target(kind, status, *a).is_some()).collect()
}

/// The status after `action`, or why it is not allowed.
pub fn apply(kind: CaseKind, from: Status, action: &Action) -> Result<Status, IllegalTransition> {
    target(kind, from, action.kind()).ok_or_else(|| IllegalTransition {
        from,
        action: action.kind(),
        allowed: allowed(kind, from),
    })
}

/// Where an officer's 办结 goes when the bureau reviews closures (审核办结): with the review on,
/// an officer's closure waits for a supervisor; a supervisor's own closure, or any closure with
/// the review off, applies at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRoute {
    /// The transition applies now.
    Apply,
    /// The closure is recorded as a request; the case stays where it is until a supervisor
    /// approves (→ 办结) or returns it (back to the officer, with a reason).
    Review,
}

/// Which route `action` takes: only 办结 of a case by someone who does not supervise, with the
/// bureau's closure review on, goes to review.
pub fn close_route(action: &Action, review_on: bool, supervises: bool) -> CloseRoute {
    if review_on && !supervises && action.kind() == ActionKind::Close { CloseRoute::Review } else { CloseRoute::Apply }
}

/// The actions allowed while a closure waits for review: none (the case waits for the
/// supervisor's decision); otherwise what the status allows.
pub fn allowed_now(kind: CaseKind, status: Status, closure_pending: bool) -> Vec<ActionKind> {
    if closure_pending { Vec::new() } else { allowed(kind, status) }
}

/// Why a closure review by `reviewer` is refused, if it is: nobody approves or returns their own
/// closure (the supervisor's duty and the bureau scope are checked by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClosureReviewRefusal {
    #[error("不能审核自己提交的办结申请")]
    OwnRequest,
}

pub fn may_review_closure(requested_by: &str, reviewer: &str) -> Result<(), ClosureReviewRefusal> {
    if requested_by == reviewer { Err(ClosureReviewRefusal::OwnRequest) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_has_its_own_audit_code() {
        let codes: HashSet<&str> = ActionKind::ALL.iter().map(|a| a.audit_code()).collect();
        assert_eq!(codes.len(), ActionKind::ALL.len());
        assert_eq!(ActionKind::Accept.audit_code(), "case.accept");
        assert_eq!(ActionKind::StartMediation.audit_code(), "case.mediate");
        assert_eq!(ActionKind::AcceptSettlement.audit_code(), "settlement.accept");
        assert!(codes.iter().all(|c| c.starts_with("case.") || c.starts_with("settlement.")));
        assert!(!ActionKind::Assign.is_public() && ActionKind::Accept.is_public());
    }

    #[test]
    fn grounds_of_order_121_are_not_in_force_for_order_20_cases() {
        assert!(!RejectGround::FalseMaterials.in_force_under(Some(ORDER_20)));
        assert!(RejectGround::FalseMaterials.in_force_under(Some("samr-order-121")));
        assert!(RejectGround::FalseMaterials.in_force_under(None));
        assert!(RejectGround::TooLate.in_force_under(Some(ORDER_20)));
    }

    #[test]
    fn what_concludes_a_case() {
        let concluding: Vec<Status> = Status::ALL.into_iter().filter(|s| s.concludes()).collect();
        assert_eq!(concluding, [Status::Rejected, Status::Closed, Status::Informed, Status::Replied]);
    }

    fn any(a: ActionKind) -> Action {
        match a {
            ActionKind::Accept => Action::Accept,
            ActionKind::Reject => Action::Reject(RejectGround::TooLate),
            ActionKind::Assign => Action::Assign,
            ActionKind::StartMediation => Action::StartMediation,
            ActionKind::Close => Action::Close(MediationResult::Settled),
            ActionKind::FollowUp => Action::FollowUp,
            ActionKind::Open => Action::Open,
            ActionKind::Decline => Action::Decline,
            ActionKind::Inform => Action::Inform,
            ActionKind::Reply => Action::Reply,
            ActionKind::Transfer => Action::Transfer,
            ActionKind::AcceptSettlement => Action::AcceptSettlement,
            ActionKind::ReturnToBureau => Action::ReturnToBureau,
            ActionKind::Merge => Action::Merge,
        }
    }

    /// The whole expected table, written out by hand.
    fn expected(kind: CaseKind, from: Status, a: ActionKind) -> Option<Status> {
        use ActionKind as A;
        use CaseKind as K;
        use Status as S;
        match (kind, from, a) {
            (K::Complaint, S::Settling, A::AcceptSettlement) => Some(S::Closed),
            (K::Complaint, S::Settling, A::ReturnToBureau) => Some(S::AwaitingAcceptance),
            (K::Complaint, S::AwaitingAcceptance, A::Accept) => Some(S::Accepted),
            (K::Complaint, S::AwaitingAcceptance, A::Reject) => Some(S::Rejected),
            (K::Complaint, S::AwaitingAcceptance | S::Accepted | S::Assigned | S::Mediating, A::Transfer) => {
                Some(S::AwaitingAcceptance)
            }
            (K::Complaint, S::Accepted | S::Assigned, A::Assign) => Some(S::Assigned),
            (K::Complaint, S::Assigned, A::StartMediation) => Some(S::Mediating),
            (K::Complaint, S::Mediating, A::Assign) => Some(S::Mediating),
            (K::Complaint, S::Mediating, A::Close | A::AcceptSettlement) => Some(S::Closed),
            (K::Complaint, S::Closed, A::FollowUp) => Some(S::FollowedUp),
            (K::Report, S::AwaitingVerification, A::Assign | A::Transfer) => Some(S::AwaitingVerification),
            (K::Report, S::AwaitingVerification, A::Open) => Some(S::Opened),
            (K::Report, S::AwaitingVerification, A::Decline) => Some(S::NotOpened),
            (K::Report, S::AwaitingVerification, A::Merge) => Some(S::Merged),
            (K::Report, S::Opened | S::NotOpened, A::Inform) => Some(S::Informed),
            (K::Consultation | K::Suggestion | K::EnterpriseRequest, S::AwaitingReply, A::Assign | A::Transfer) => {
                Some(S::AwaitingReply)
            }
            (K::Consultation | K::Suggestion | K::EnterpriseRequest, S::AwaitingReply, A::Reply) => Some(S::Replied),
            _ => None,
        }
    }

    #[test]
    fn every_transition_matches_the_table() {
        for kind in CaseKind::ALL {
            for from in Status::ALL {
                for a in ActionKind::ALL {
                    let got = apply(kind, from, &any(a));
                    match expected(kind, from, a) {
                        Some(to) => assert_eq!(got, Ok(to), "{kind:?} {from:?} {a:?}"),
                        None => {
                            let err = got.expect_err(&format!("{kind:?} {from:?} {a:?} must be refused"));
                            assert_eq!(err.allowed, allowed(kind, from));
                            assert!(!err.allowed.contains(&a));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_status_is_reachable_and_finals_are_final() {
        for kind in CaseKind::ALL {
            assert!(kind.entries().contains(&kind.initial()));
            let mut seen: HashSet<Status> = kind.entries().iter().copied().collect();
            let mut todo = kind.entries().to_vec();
            while let Some(s) = todo.pop() {
                for a in allowed(kind, s) {
                    let next = apply(kind, s, &any(a)).unwrap();
                    if seen.insert(next) {
                        todo.push(next);
                    }
                }
            }
            let all: HashSet<Status> = kind.statuses().iter().copied().collect();
            assert_eq!(seen, all, "{kind:?}");
            for s in kind.statuses() {
                assert_eq!(s.is_final(), allowed(kind, *s).is_empty(), "{kind:?} {s:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip_and_refusals_speak_chinese() {
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.code()), Some(k));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for g in RejectGround::ALL {
            assert_eq!(RejectGround::parse(g.code()), Some(g));
        }
        for r in MediationResult::ALL {
            assert_eq!(MediationResult::parse(r.code()), Some(r));
        }
        let err = apply(CaseKind::Complaint, Status::AwaitingAcceptance, &Action::Close(MediationResult::Failed))
            .unwrap_err();
        assert_eq!(err.to_string(), "当前状态“待受理”下不能“办结”");
        assert_eq!(err.allowed, vec![ActionKind::Accept, ActionKind::Reject, ActionKind::Transfer]);
    }
    #[test]
    fn closure_review_routes_only_an_officers_closure() {
        let close = Action::Close(MediationResult::Settled);
        assert_eq!(close_route(&close, true, false), CloseRoute::Review);
        assert_eq!(close_route(&close, true, true), CloseRoute::Apply, "a supervisor closes directly");
        assert_eq!(close_route(&close, false, false), CloseRoute::Apply, "off: as before");
        assert_eq!(close_route(&Action::Accept, true, false), CloseRoute::Apply);
        assert_eq!(close_route(&Action::AcceptSettlement, true, false), CloseRoute::Apply);
        assert!(allowed_now(CaseKind::Complaint, Status::Mediating, true).is_empty());
        assert_eq!(
            allowed_now(CaseKind::Complaint, Status::Mediating, false),
            allowed(CaseKind::Complaint, Status::Mediating)
        );
        assert_eq!(may_review_closure("u1", "u1"), Err(ClosureReviewRefusal::OwnRequest));
        assert_eq!(ClosureReviewRefusal::OwnRequest.to_string(), "不能审核自己提交的办结申请");
        assert!(may_review_closure("u1", "u2").is_ok());
    }
}
