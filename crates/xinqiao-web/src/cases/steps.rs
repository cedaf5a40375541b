//! What each step of a case means, in plain words for the person who filed it: the path a case
//! of each kind takes, and the sentence the tracking page and the receipt show for each step.

use xinqiao_domain::cases::{CaseKind, Status};

/// The usual path of a case of `kind`, first step first (side exits such as 不予受理 appear only
/// when the case takes them).
pub fn path(kind: CaseKind) -> &'static [Status] {
    match kind {
        CaseKind::Complaint => &[
            Status::AwaitingAcceptance,
            Status::Accepted,
            Status::Assigned,
            Status::Mediating,
            Status::Closed,
            Status::FollowedUp,
        ],
        CaseKind::Report => &[Status::AwaitingVerification, Status::Opened, Status::Informed],
        CaseKind::Consultation | CaseKind::Suggestion | CaseKind::EnterpriseRequest => {
            &[Status::AwaitingReply, Status::Replied]
        }
    }
}

/// One sentence on what happens while a case is at `status`.
pub fn explain(status: Status) -> &'static str {
    match status {
        Status::Settling => "被投诉企业正在与您直接协商和解；到期没有谈成的，转由市场监管部门处理。",
        Status::AwaitingAcceptance => "我们正在审查您的投诉，在期限内决定是否受理，并告诉您结果。",
        Status::Accepted => "投诉已受理，接下来会指定一名工作人员负责办理。",
        Status::Rejected => "投诉不符合受理条件，不予受理，原因见办理记录。",
        Status::Assigned => "已有工作人员负责您的投诉，会联系您和企业了解情况。",
        Status::Mediating => "工作人员正在组织您和企业调解，争取双方达成一致。",
        Status::Closed => "办理已经结束，结果见办理记录；欢迎您对办理情况评价。",
        Status::FollowedUp => "工作人员已回访，了解您对办理结果是否满意。",
        Status::AwaitingVerification => "我们正在核查您举报的线索，在期限内决定是否立案调查。",
        Status::Opened => "已立案调查，调查处理结果会告知您。",
        Status::NotOpened => "经核查暂不立案，原因见办理记录。",
        Status::Informed => "已把核查处理结果告知您。",
        Status::Merged => "同一问题已有人反映，您的诉求与其合并办理，结果一并告知。",
        Status::AwaitingReply => "我们正在研究您的问题，会尽快答复您。",
        Status::Replied => "已经答复，答复内容见办理记录。",
    }
}

/// A step as the pages show it.
pub struct Step {
    pub label: &'static str,
    pub text: &'static str,
    /// `done`, `current` or empty (still ahead).
    pub state: &'static str,
}

/// The steps of a case of `kind` now at `status`: its usual path, with the current step marked
/// (a step off the path, such as 不予受理 or 先行和解中, is shown where the case stands).
pub fn steps(kind: CaseKind, status: Status) -> Vec<Step> {
    let path = path(kind);
    let step = |s: Status, state| Step { label: s.label(), text: explain(s), state };
    match path.iter().position(|s| *s == status) {
        Some(at) => path
            .iter()
            .enumerate()
            .map(|(i, s)| {
                step(
                    *s,
                    if i < at {
                        "done"
                    } else if i == at {
                        "current"
                    } else {
                        ""
                    },
                )
            })
            .collect(),
        None if status == Status::Settling => {
            std::iter::once(step(status, "current")).chain(path.iter().map(|s| step(*s, ""))).collect()
        }
        None => {
            let mut out: Vec<Step> = path.iter().take(1).map(|s| step(*s, "done")).collect();
            out.push(step(status, "current"));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_plain_words_and_every_kind_a_path() {
        for s in Status::ALL {
            let text = explain(s);
            assert!(text.ends_with('。') && !text.contains("状态"), "{s:?}: {text}");
        }
        for k in CaseKind::ALL {
            assert!(!path(k).is_empty());
        }
    }

    #[test]
    fn marks_where_the_case_stands() {
        let s = steps(CaseKind::Complaint, Status::Assigned);
        let states: Vec<&str> = s.iter().map(|s| s.state).collect();
        assert_eq!(states, ["done", "done", "current", "", "", ""]);
        let rejected = steps(CaseKind::Complaint, Status::Rejected);
        assert_eq!(rejected.len(), 2);
        assert_eq!((rejected[1].label, rejected[1].state), ("不予受理", "current"));
        let settling = steps(CaseKind::Complaint, Status::Settling);
        assert_eq!((settling[0].label, settling[0].state, settling.len()), ("先行和解中", "current", 7));
    }
}
