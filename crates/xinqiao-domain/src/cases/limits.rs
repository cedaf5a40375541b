//! Which legal time limit a case is waiting on (by its kind and status), how near it is, and
//! whether a case that ends today ended in time: the rules the queue, the detail page and the
//! closing step share.

use super::{CaseKind, Status};
use crate::calendar::Date;

/// The event a limit's clock starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The day the case was received.
    Received,
    /// The day the complaint was accepted.
    Accepted,
}

/// The limit a case waits on: the rule's key in the rule file, its name, and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub key: &'static str,
    pub label: &'static str,
    pub start: Start,
}

/// The first decision (accept or not; verify a report) while it is pending, then the mediation
/// limit from the day of acceptance; nothing for the other kinds and statuses.
pub fn waiting_on(kind: CaseKind, status: Status) -> Option<Waiting> {
    let (key, label, start) = match (kind, status) {
        (CaseKind::Complaint, Status::AwaitingAcceptance) => ("complaint.accept", "受理决定", Start::Received),
        (CaseKind::Report, Status::AwaitingVerification) => ("report.verify", "核查决定", Start::Received),
        (CaseKind::Complaint, Status::Accepted | Status::Assigned | Status::Mediating) => {
            ("complaint.mediation", "调解", Start::Accepted)
        }
        _ => return None,
    };
    Some(Waiting { key, label, start })
}

/// How near a limit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Its last day has passed.
    Overdue,
    /// Due within two days.
    Soon,
    Ample,
}

impl Urgency {
    /// The urgency of a limit due on `due`, seen on `today`.
    pub fn of(due: Date, today: Date) -> Self {
        if due < today {
            Urgency::Overdue
        } else if due.0 - today.0 <= 2 {
            Urgency::Soon
        } else {
            Urgency::Ample
        }
    }

    /// The class pages mark it with.
    pub fn class(self) -> &'static str {
        match self {
            Urgency::Overdue => "overdue",
            Urgency::Soon => "soon",
            Urgency::Ample => "",
        }
    }
}

/// Whether a case that ends on `today` ended in time: its pending limit (`None` when it has none
/// or the clock stands still) had not passed.
pub fn ended_in_time(due: Option<Date>, today: Date) -> bool {
    due.is_none_or(|d| Urgency::of(d, today) != Urgency::Overdue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_follows_kind_and_status() {
        let w = |k, s| waiting_on(k, s).map(|w| (w.key, w.start));
        assert_eq!(w(CaseKind::Complaint, Status::AwaitingAcceptance), Some(("complaint.accept", Start::Received)));
        assert_eq!(w(CaseKind::Report, Status::AwaitingVerification), Some(("report.verify", Start::Received)));
        for s in [Status::Accepted, Status::Assigned, Status::Mediating] {
            assert_eq!(w(CaseKind::Complaint, s), Some(("complaint.mediation", Start::Accepted)));
        }
        assert_eq!(w(CaseKind::Complaint, Status::Closed), None);
        assert_eq!(w(CaseKind::Consultation, Status::AwaitingReply), None);
        assert_eq!(w(CaseKind::Report, Status::Opened), None);
    }

    #[test]
    fn every_limit_named_here_is_in_every_rule_set() {
        let rules = crate::deadlines::Rules::builtin();
        assert!(rules.sets.iter().any(|s| s.id == super::super::workflow::ORDER_20));
        for set in &rules.sets {
            for key in ["complaint.accept", "report.verify", "complaint.mediation"] {
                assert!(set.rule(key).is_some(), "{} has {key}", set.id);
            }
        }
    }

    #[test]
    fn urgency_and_ending_in_time() {
        let today = Date::parse("2026-05-11").unwrap();
        assert_eq!(Urgency::of(Date(today.0 - 1), today), Urgency::Overdue);
        assert_eq!(Urgency::of(today, today), Urgency::Soon);
        assert_eq!(Urgency::of(Date(today.0 + 2), today), Urgency::Soon);
        assert_eq!(Urgency::of(Date(today.0 + 3), today), Urgency::Ample);
        assert_eq!(Urgency::Overdue.class(), "overdue");
        assert!(ended_in_time(Some(today), today), "on the last day is in time");
        assert!(!ended_in_time(Some(Date(today.0 - 1)), today));
        assert!(ended_in_time(None, today), "no pending limit (or a paused clock)");
    }
}
