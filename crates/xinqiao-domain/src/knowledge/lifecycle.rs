//! The Q&A lifecycle, pure: 草稿 → 待审 → 已发布 → 已废止, with 待复核 when a cited law changes.
//!
//! | from \ action | submit | approve | reject | retire | mark_stale | revise |
//! |---|---|---|---|---|---|---|
//! | 草稿 draft      | 待审 |  –   |  –   | 已废止 |  –    |  –   |
//! | 待审 review     |  –   | 已发布 | 草稿 |  –    | 待复核 |  –   |
//! | 已发布 published |  –   |  –   |  –   | 已废止 | 待复核 | 草稿 |
//! | 待复核 stale     | 待审 |  –   |  –   | 已废止 |  –    | 草稿 |
//! | 已废止 retired   |  –   |  –   |  –   |  –    |  –    |  –   |
//!
//! A draft citing a changed law is not marked 待复核 (its author is editing it anyway); the cascade
//! lists it for a notice instead. Approving needs a reviewer other than the author: the web checks
//! that with [`check_reviewer`].

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaStatus {
    /// 草稿
    Draft,
    /// 待审
    Review,
    /// 已发布: the only status the public sees.
    Published,
    /// 已废止
    Retired,
    /// 待复核: a cited law changed.
    Stale,
}

impl QaStatus {
    pub const ALL: [QaStatus; 5] =
        [QaStatus::Draft, QaStatus::Review, QaStatus::Published, QaStatus::Retired, QaStatus::Stale];

    pub fn code(self) -> &'static str {
        match self {
            QaStatus::Draft => "draft",
            QaStatus::Review => "review",
            QaStatus::Published => "published",
            QaStatus::Retired => "retired",
            QaStatus::Stale => "stale",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QaStatus::Draft => "草稿",
            QaStatus::Review => "待审",
            QaStatus::Published => "已发布",
            QaStatus::Retired => "已废止",
            QaStatus::Stale => "待复核",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == text || s.label() == text)
    }

    /// Shown on the public page and in search for everyone.
    pub fn is_public(self) -> bool {
        self == QaStatus::Published
    }

    /// No action leads anywhere from here.
    pub fn is_final(self) -> bool {
        self == QaStatus::Retired
    }
}

impl fmt::Display for QaStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What someone (or the law-change cascade) does to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaAction {
    /// 提交审核: a draft, or a stale entry revised in place, goes to a reviewer.
    Submit,
    /// 审核发布: the reviewer (not the author) publishes it.
    Approve,
    /// 退回修改: the reviewer sends it back to draft.
    Reject,
    /// 废止
    Retire,
    /// 标记待复核: a cited law got a new version or was repealed.
    MarkStale,
    /// 修订: a published or stale entry goes back to draft for editing.
    Revise,
}

impl QaAction {
    pub const ALL: [QaAction; 6] = [
        QaAction::Submit,
        QaAction::Approve,
        QaAction::Reject,
        QaAction::Retire,
        QaAction::MarkStale,
        QaAction::Revise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QaAction::Submit => "submit",
            QaAction::Approve => "approve",
            QaAction::Reject => "reject",
            QaAction::Retire => "retire",
            QaAction::MarkStale => "mark_stale",
            QaAction::Revise => "revise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QaAction::Submit => "提交审核",
            QaAction::Approve => "审核发布",
            QaAction::Reject => "退回修改",
            QaAction::Retire => "废止",
            QaAction::MarkStale => "标记待复核",
            QaAction::Revise => "修订",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Whether the person doing it must not be the entry's author.
    pub fn needs_other_reviewer(self) -> bool {
        self == QaAction::Approve
    }
}

impl fmt::Display for QaAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A refused transition, with the actions that would have been allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("问答当前状态“{from}”下不能“{action}”")]
pub struct IllegalQaTransition {
    pub from: QaStatus,
    pub action: QaAction,
    pub allowed: Vec<QaAction>,
}

impl IllegalQaTransition {
    /// Stable code for the API error body.
    pub const CODE: &'static str = "illegal_qa_transition";
}

/// The one table of the lifecycle.
fn target(from: QaStatus, action: QaAction) -> Option<QaStatus> {
    use QaAction as A;
    use QaStatus as S;
    Some(match (from, action) {
        (S::Draft, A::Submit) => S::Review,
        (S::Draft, A::Retire) => S::Retired,
        (S::Review, A::Approve) => S::Published,
        (S::Review, A::Reject) => S::Draft,
        (S::Review, A::MarkStale) => S::Stale,
        (S::Published, A::Retire) => S::Retired,
        (S::Published, A::MarkStale) => S::Stale,
        (S::Published, A::Revise) => S::Draft,
        (S::Stale, A::Submit) => S::Review,
        (S::Stale, A::Revise) => S::Draft,
        (S::Stale, A::Retire) => S::Retired,
        _ => return None,
    })
}

/// The actions allowed in `status`, in [`QaAction::ALL`] order.
pub fn allowed(status: QaStatus) -> Vec<QaAction> {
    QaAction::ALL.into_iter().filter(|a| target(status, *a).is_some()).collect()
}

/// The status after `action`, or why it is not allowed.
pub fn apply(from: QaStatus, action: QaAction) -> Result<QaStatus, IllegalQaTransition> {
    target(from, action).ok_or_else(|| IllegalQaTransition { from, action, allowed: allowed(from) })
}

/// Approving one's own entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("不能审核发布自己撰写的问答，请由其他审核人审核")]
pub struct SelfReview;

impl SelfReview {
    pub const CODE: &'static str = "self_review";
}

/// The four-eyes rule: `action` by `actor` on an entry written by `author`.
pub fn check_reviewer<T: PartialEq + ?Sized>(action: QaAction, author: &T, actor: &T) -> Result<(), SelfReview> {
    if action.needs_other_reviewer() && author == actor { Err(SelfReview) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The whole table, written out by hand: one row per status, one column per action in
    /// `QaAction::ALL` order (submit, approve, reject, retire, mark_stale, revise).
    fn expected(from: QaStatus) -> [Option<QaStatus>; 6] {
        use QaStatus::*;
        match from {
            Draft => [Some(Review), None, None, Some(Retired), None, None],
            Review => [None, Some(Published), Some(Draft), None, Some(Stale), None],
            Published => [None, None, None, Some(Retired), Some(Stale), Some(Draft)],
            Stale => [Some(Review), None, None, Some(Retired), None, Some(Draft)],
            Retired => [None; 6],
        }
    }

    #[test]
    fn every_transition_matches_the_table() {
        for from in QaStatus::ALL {
            for (a, want) in QaAction::ALL.into_iter().zip(expected(from)) {
                match want {
                    Some(to) => assert_eq!(apply(from, a), Ok(to), "{from:?} {a:?}"),
                    None => {
                        let err = apply(from, a).expect_err(&format!("{from:?} {a:?} must be refused"));
                        assert_eq!((err.from, err.action), (from, a));
                        assert_eq!(err.allowed, allowed(from));
                        assert!(!err.allowed.contains(&a));
                    }
                }
            }
        }
    }

    #[test]
    fn every_status_is_reachable_from_draft_and_only_retired_is_final() {
        let mut seen = HashSet::from([QaStatus::Draft]);
        let mut todo = vec![QaStatus::Draft];
        while let Some(s) = todo.pop() {
            for a in allowed(s) {
                let next = apply(s, a).unwrap();
                if seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        assert_eq!(seen, QaStatus::ALL.into_iter().collect());
        for s in QaStatus::ALL {
            assert_eq!(s.is_final(), allowed(s).is_empty(), "{s:?}");
            assert_eq!(s.is_public(), s == QaStatus::Published);
        }
    }

    #[test]
    fn the_usual_paths() {
        use QaAction::*;
        let run = |actions: &[QaAction]| actions.iter().try_fold(QaStatus::Draft, |s, a| apply(s, *a));
        assert_eq!(run(&[Submit, Reject, Submit, Approve]), Ok(QaStatus::Published));
        assert_eq!(run(&[Submit, Approve, MarkStale, Submit, Approve]), Ok(QaStatus::Published));
        assert_eq!(run(&[Submit, Approve, MarkStale, Revise, Submit]), Ok(QaStatus::Review));
        assert_eq!(run(&[Submit, Approve, MarkStale, Retire]), Ok(QaStatus::Retired));
        assert!(run(&[Approve]).is_err(), "a draft cannot be published without review");
        assert!(run(&[Submit, Approve, MarkStale, Approve]).is_err(), "stale goes through review again");
    }

    #[test]
    fn codes_round_trip_and_messages_speak_chinese() {
        for s in QaStatus::ALL {
            assert_eq!(QaStatus::parse(s.code()), Some(s));
            assert_eq!(QaStatus::parse(s.label()), Some(s));
        }
        for a in QaAction::ALL {
            assert_eq!(QaAction::parse(a.code()), Some(a));
        }
        let labels: Vec<&str> = QaStatus::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["草稿", "待审", "已发布", "已废止", "待复核"]);
        let err = apply(QaStatus::Draft, QaAction::Approve).unwrap_err();
        assert_eq!(err.to_string(), "问答当前状态“草稿”下不能“审核发布”");
        assert_eq!(err.allowed, vec![QaAction::Submit, QaAction::Retire]);
        assert_eq!(serde_json::to_string(&QaStatus::Stale).unwrap(), "\"stale\"");
        assert_eq!(serde_json::to_string(&QaAction::MarkStale).unwrap(), "\"mark_stale\"");
    }

    #[test]
    fn nobody_approves_their_own_entry() {
        assert_eq!(check_reviewer(QaAction::Approve, "alice", "alice"), Err(SelfReview));
        assert_eq!(check_reviewer(QaAction::Approve, "alice", "bob"), Ok(()));
        assert_eq!(check_reviewer(QaAction::Reject, "alice", "alice"), Ok(()));
        assert_eq!(check_reviewer(QaAction::Submit, &7u64, &7u64), Ok(()));
        assert!(SelfReview.to_string().contains("自己"));
    }
}
