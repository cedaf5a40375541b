//! What the workflow is made of: the kinds of case, their statuses, the grounds for refusing a
//! complaint and how mediation ended, each with its label.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// 投诉: a consumer dispute, seeking mediation.
    Complaint,
    /// 举报: a violation clue; may be anonymous.
    Report,
    Consultation,
    Suggestion,
    /// 企业诉求: an enterprise's request or complaint about how it is being served.
    EnterpriseRequest,
}

impl CaseKind {
    pub const ALL: [CaseKind; 5] = [
        CaseKind::Complaint,
        CaseKind::Report,
        CaseKind::Consultation,
        CaseKind::Suggestion,
        CaseKind::EnterpriseRequest,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseKind::Complaint => "complaint",
            CaseKind::Report => "report",
            CaseKind::Consultation => "consultation",
            CaseKind::Suggestion => "suggestion",
            CaseKind::EnterpriseRequest => "enterprise_request",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Complaint => "投诉",
            CaseKind::Report => "举报",
            CaseKind::Consultation => "咨询",
            CaseKind::Suggestion => "建议",
            CaseKind::EnterpriseRequest => "企业诉求",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code || k.label() == code)
    }

    /// Where a case of this kind starts (and restarts after a transfer).
    pub fn initial(self) -> Status {
        match self {
            CaseKind::Complaint => Status::AwaitingAcceptance,
            CaseKind::Report => Status::AwaitingVerification,
            _ => Status::AwaitingReply,
        }
    }

    /// Where a case of this kind may start: its initial state, and for a complaint about an
    /// enterprise in ODR, 先行和解中.
    pub fn entries(self) -> &'static [Status] {
        match self {
            CaseKind::Complaint => &[Status::AwaitingAcceptance, Status::Settling],
            CaseKind::Report => &[Status::AwaitingVerification],
            _ => &[Status::AwaitingReply],
        }
    }

    /// Every status a case of this kind can be in.
    pub fn statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            CaseKind::Complaint => {
                &[Settling, AwaitingAcceptance, Accepted, Rejected, Assigned, Mediating, Closed, FollowedUp]
            }
            CaseKind::Report => &[AwaitingVerification, Opened, NotOpened, Informed, Merged],
            _ => &[AwaitingReply, Replied],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 先行和解中: an ODR enterprise has the complaint first.
    Settling,
    AwaitingAcceptance,
    Accepted,
    Rejected,
    Assigned,
    Mediating,
    Closed,
    FollowedUp,
    AwaitingVerification,
    Opened,
    NotOpened,
    Informed,
    /// 已合并: a repeated report, merged into the open one it repeats.
    Merged,
    AwaitingReply,
    Replied,
}

impl Status {
    pub const ALL: [Status; 15] = [
        Status::Settling,
        Status::AwaitingAcceptance,
        Status::Accepted,
        Status::Rejected,
        Status::Assigned,
        Status::Mediating,
        Status::Closed,
        Status::FollowedUp,
        Status::AwaitingVerification,
        Status::Opened,
        Status::NotOpened,
        Status::Informed,
        Status::Merged,
        Status::AwaitingReply,
        Status::Replied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Settling => "settling",
            Status::AwaitingAcceptance => "awaiting_acceptance",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Assigned => "assigned",
            Status::Mediating => "mediating",
            Status::Closed => "closed",
            Status::FollowedUp => "followed_up",
            Status::AwaitingVerification => "awaiting_verification",
            Status::Opened => "opened",
            Status::NotOpened => "not_opened",
            Status::Informed => "informed",
            Status::Merged => "merged",
            Status::AwaitingReply => "awaiting_reply",
            Status::Replied => "replied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Settling => "先行和解中",
            Status::AwaitingAcceptance => "待受理",
            Status::Accepted => "已受理",
            Status::Rejected => "不予受理",
            Status::Assigned => "已分派",
            Status::Mediating => "调解中",
            Status::Closed => "办结",
            Status::FollowedUp => "已回访",
            Status::AwaitingVerification => "待核查",
            Status::Opened => "立案",
            Status::NotOpened => "不予立案",
            Status::Informed => "已告知",
            Status::Merged => "已合并",
            Status::AwaitingReply => "待答复",
            Status::Replied => "已答复",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// No action leads anywhere from here.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Rejected | Status::FollowedUp | Status::Informed | Status::Merged | Status::Replied)
    }

    /// Whether reaching this status ends the handling of a case (what is counted as closed, in
    /// time or not): 办结, 不予受理, 已告知, 已答复.
    pub fn concludes(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Informed | Status::Replied)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The grounds for refusing a complaint (Order 20 Art. 15, six grounds ✔; Order 121 adds false
/// materials and refusing an identity check †).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectGround {
    OutsideDutiesOrJurisdiction,
    HandledElsewhere,
    NotConsumerDispute,
    TooLate,
    MaterialsMissing,
    OtherLegalGround,
    FalseMaterials,
    RefusedIdentityCheck,
}

impl RejectGround {
    pub const ALL: [RejectGround; 8] = [
        RejectGround::OutsideDutiesOrJurisdiction,
        RejectGround::HandledElsewhere,
        RejectGround::NotConsumerDispute,
        RejectGround::TooLate,
        RejectGround::MaterialsMissing,
        RejectGround::OtherLegalGround,
        RejectGround::FalseMaterials,
        RejectGround::RefusedIdentityCheck,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RejectGround::OutsideDutiesOrJurisdiction => "outside_duties",
            RejectGround::HandledElsewhere => "handled_elsewhere",
            RejectGround::NotConsumerDispute => "not_consumer_dispute",
            RejectGround::TooLate => "too_late",
            RejectGround::MaterialsMissing => "materials_missing",
            RejectGround::OtherLegalGround => "other_legal_ground",
            RejectGround::FalseMaterials => "false_materials",
            RejectGround::RefusedIdentityCheck => "refused_identity_check",
        }
    }

    /// The sentence of the refusal notice (不予受理告知).
    pub fn notice(self) -> &'static str {
        match self {
            RejectGround::OutsideDutiesOrJurisdiction => {
                "投诉事项不属于市场监督管理部门职责，或者不属于本行政机关管辖范围。"
            }
            RejectGround::HandledElsewhere => {
                "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议。"
            }
            RejectGround::NotConsumerDispute => {
                "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议。"
            }
            RejectGround::TooLate => {
                "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年。"
            }
            RejectGround::MaterialsMissing => {
                "未提供投诉人姓名、电话、地址，被投诉人名称（姓名）、地址，或者具体的投诉请求以及消费者权益争议事实等材料。"
            }
            RejectGround::OtherLegalGround => "法律、法规、规章规定不予受理的其他情形。",
            RejectGround::FalseMaterials => "提供的材料虚假。",
            RejectGround::RefusedIdentityCheck => "拒不配合身份核实。",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Grounds that exist only under Order 121 (cases received from 2026-04-15).
    pub fn order_121_only(self) -> bool {
        matches!(self, RejectGround::FalseMaterials | RejectGround::RefusedIdentityCheck)
    }

    /// Whether this ground may be given for a case received under the rule set `rule_set`
    /// (the grounds Order 121 added are not in force for a case of Order 20).
    pub fn in_force_under(self, rule_set: Option<&str>) -> bool {
        !(self.order_121_only() && rule_set == Some(ORDER_20))
    }
}

/// The id of the rule set of Order 20 in the rule file (cases received until 2026-04-14).
pub const ORDER_20: &str = "samr-order-20";

/// How mediation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediationResult {
    Settled,
    Failed,
    Terminated,
}

impl MediationResult {
    pub const ALL: [MediationResult; 3] =
        [MediationResult::Settled, MediationResult::Failed, MediationResult::Terminated];

    /// The code in forms, the API and the store.
    pub fn code(self) -> &'static str {
        match self {
            MediationResult::Settled => "settled",
            MediationResult::Failed => "failed",
            MediationResult::Terminated => "terminated",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MediationResult::Settled => "调解成功",
            MediationResult::Failed => "调解不成",
            MediationResult::Terminated => "终止调解",
        }
    }
}
