//! Reminders before a legal clock or a promise is missed: which measures and promises of an
//! incident the owner and the supervisor must hear about now (due soon, or already missed).

use super::{ClockState, Clocks, Measure, Promise, PromiseState};
use crate::calendar::{Calendar, Date};

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Measure,
    Promise,
}

impl Subject {
    pub fn key(self) -> &'static str {
        match self {
            Subject::Measure => "measure",
            Subject::Promise => "promise",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Subject::Measure, Subject::Promise].into_iter().find(|k| k.key() == s)
    }
}

/// How close the subject is to being missed; each stage is told once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    DueSoon,
    Missed,
}

impl Stage {
    pub fn key(self) -> &'static str {
        match self {
            Stage::DueSoon => "due_soon",
            Stage::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Stage::DueSoon, Stage::Missed].into_iter().find(|k| k.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::DueSoon => "即将到期",
            Stage::Missed => "已逾期",
        }
    }
}

/// One thing to remind of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub subject: Subject,
    pub subject_id: String,
    pub stage: Stage,
}

/// The open measures and promises that must be reminded of at `today`/`now_ms`: a legal clock
/// within `clocks.measure_warn_working_days` working days of its last day or past it, a promise
/// within its warning threshold or past it. Done measures and kept promises never are; a clock
/// that cannot be computed is shown on the page instead.
pub fn due(
    measures: &[Measure],
    promises: &[Promise],
    clocks: &Clocks,
    calendar: &Calendar,
    today: Date,
    now_ms: i64,
) -> Vec<Due> {
    let mut out = Vec::new();
    for m in measures.iter().filter(|m| m.done_on.is_none()) {
        let stage = match m.state(clocks, calendar, today) {
            Ok(ClockState::Running { working_days_left, days_left })
                if working_days_left <= clocks.measure_warn_working_days || days_left == 0 =>
            {
                Some(Stage::DueSoon)
            }
            Ok(ClockState::Overdue { .. }) => Some(Stage::Missed),
            _ => None,
        };
        if let Some(stage) = stage {
            out.push(Due { subject: Subject::Measure, subject_id: m.id.clone(), stage });
        }
    }
    for p in promises {
        let stage = match p.state(clocks, now_ms) {
            PromiseState::Warning { .. } => Some(Stage::DueSoon),
            PromiseState::Missed { .. } => Some(Stage::Missed),
            _ => None,
        };
        if let Some(stage) = stage {
            out.push(Due { subject: Subject::Promise, subject_id: p.id.clone(), stage });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::ClockKind;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn measure(id: &str, clock: ClockKind, started: &str, done: Option<&str>) -> Measure {
        Measure {
            id: id.into(),
            clock,
            title: "送检".into(),
            started_on: d(started),
            extension: None,
            testing: Vec::new(),
            done_on: done.map(d),
        }
    }

    #[test]
    fn clocks_and_promises_are_flagged_before_and_after_they_run_out() {
        let clocks = Clocks::builtin();
        let calendar = Calendar::builtin();
        // Samples to the laboratory within 5 working days of 2026-11-16 (Mon): last day Mon 11-23.
        let lab = measure("lab", ClockKind::SampleToLab, "2026-11-16", None);
        let done = measure("done", ClockKind::SampleToLab, "2026-11-16", Some("2026-11-17"));
        let made = d("2026-11-18").start_ms() + 10 * 3_600_000;
        let promise = Promise {
            id: "p".into(),
            text: "三天内给结果".into(),
            made_at_ms: made,
            due_at_ms: made + 72 * 3_600_000,
            kept_at_ms: None,
        };
        let kept = Promise { id: "k".into(), kept_at_ms: Some(made + 1), ..promise.clone() };
        let at = |day: &str, hour: i64| (d(day), d(day).start_ms() + hour * 3_600_000);
        let run = |(today, now): (Date, i64)| {
            due(&[lab.clone(), done.clone()], &[promise.clone(), kept.clone()], &clocks, &calendar, today, now)
                .into_iter()
                .map(|x| (x.subject_id, x.stage))
                .collect::<Vec<_>>()
        };
        // Wednesday: three working days left on the lab clock, the promise fresh.
        assert_eq!(run(at("2026-11-18", 12)), vec![]);
        // Thursday: two working days left → due soon.
        assert_eq!(run(at("2026-11-19", 12)), vec![("lab".to_owned(), Stage::DueSoon)]);
        // Saturday 11-21 noon: promise due Saturday 10:00 → missed; the lab clock still due soon.
        assert_eq!(
            run(at("2026-11-21", 12)),
            vec![("lab".to_owned(), Stage::DueSoon), ("p".to_owned(), Stage::Missed)]
        );
        // Friday 11-20 noon: 22 hours before the promise falls due → due soon.
        assert!(run(at("2026-11-20", 12)).contains(&("p".to_owned(), Stage::DueSoon)));
        // Tuesday 11-24: the lab clock ran out the day before.
        assert!(run(at("2026-11-24", 9)).contains(&("lab".to_owned(), Stage::Missed)));
    }

    #[test]
    fn keys_round_trip() {
        for s in [Subject::Measure, Subject::Promise] {
            assert_eq!(Subject::parse(s.key()), Some(s));
        }
        for s in [Stage::DueSoon, Stage::Missed] {
            assert_eq!(Stage::parse(s.key()), Some(s));
        }
        assert_eq!(Stage::parse("soon"), None);
    }
}
