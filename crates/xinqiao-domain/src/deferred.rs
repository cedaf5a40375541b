//! 容缺受理 (acceptance with materials to follow): no national text exists; local rules agree on
//! the conditions kept here as a bureau policy with its source — only when the core materials
//! are complete, with the applicant's signed promise, never for an enterprise with bad credit
//! until repaired; the missing materials are told at once with a deadline in working days; not
//! supplied in time, the matter ends (the ordinary route stays open). Days saved: the working
//! days the matter ran while the materials were still on their way.

use crate::calendar::{Calendar, Date, Reckoned};
use serde::{Deserialize, Serialize};

/// The bureau's policy (setting `services.deferred`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub enabled: bool,
    /// Working days to supply what is missing.
    pub days_to_supply: u32,
    pub refuse_bad_credit: bool,
    /// Working days before the deadline when the applicant and the officer are reminded.
    #[serde(default = "default_remind_before")]
    pub remind_before: u32,
    pub source: String,
    pub verified: bool,
}

fn default_remind_before() -> u32 {
    2
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            enabled: true,
            days_to_supply: 10,
            refuse_bad_credit: true,
            remind_before: default_remind_before(),
            source:
                "无全国性规定（已查，✔）；条件据西安、阜新等地容缺受理办法的共同做法（二手资料，†）；补正期限为本局设定"
                    .into(),
            verified: false,
        }
    }
}

/// What the officer states about an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub core_complete: bool,
    pub promise_signed: bool,
    pub bad_credit: bool,
    /// The materials still missing (at least one).
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("本局未开展容缺受理，请按普通程序办理")]
    Disabled,
    #[error("核心材料不齐全，不能容缺受理（可按普通程序补齐后受理）")]
    CoreIncomplete,
    #[error("申请人须先签署书面承诺")]
    NoPromise,
    #[error("申请人有失信记录，修复前不能容缺受理")]
    BadCredit,
    #[error("请列出需要后补的材料（逐项写明）")]
    NothingMissing,
}

/// Admits a request accepted on `accepted_on`: the deadline to supply what is missing.
pub fn admit(policy: &Policy, r: &Request, accepted_on: Date, calendar: &Calendar) -> Result<Reckoned<Date>, Refusal> {
    if !policy.enabled {
        return Err(Refusal::Disabled);
    }
    if !r.core_complete {
        return Err(Refusal::CoreIncomplete);
    }
    if policy.refuse_bad_credit && r.bad_credit {
        return Err(Refusal::BadCredit);
    }
    if !r.promise_signed {
        return Err(Refusal::NoPromise);
    }
    if r.missing.iter().all(|m| m.trim().is_empty()) {
        return Err(Refusal::NothingMissing);
    }
    Ok(calendar.add_working_days(accepted_on, policy.days_to_supply))
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Open,
    Supplied,
    /// Not supplied in time: the matter ended.
    Ended,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Open => "open",
            Standing::Supplied => "supplied",
            Standing::Ended => "ended",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Standing::Open => "待补齐",
            Standing::Supplied => "已补齐",
            Standing::Ended => "逾期未补，办理终止",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        [Standing::Open, Standing::Supplied, Standing::Ended].into_iter().find(|s| s.code() == code)
    }
}

/// Marks materials supplied on `on`: allowed while open and not past the deadline.
pub fn supply(standing: Standing, deadline: Date, on: Date) -> Result<Standing, &'static str> {
    match standing {
        Standing::Open if on <= deadline => Ok(Standing::Supplied),
        Standing::Open => Err("已超过补齐期限，该事项应终止；申请人可按普通程序重新申请"),
        _ => Err("该事项已经结束"),
    }
}

/// Ends an open matter whose deadline has passed (on `on`).
pub fn end(standing: Standing, deadline: Date, on: Date) -> Result<Standing, &'static str> {
    match standing {
        Standing::Open if on > deadline => Ok(Standing::Ended),
        Standing::Open => Err("补齐期限尚未届满，不能终止"),
        _ => Err("该事项已经结束"),
    }
}

/// Whether an open matter is due for its reminder on `today`: the deadline not yet passed and
/// at most `before` working days away (the deadline day itself counts as the last of them).
pub fn reminder_due(calendar: &Calendar, standing: Standing, deadline: Date, today: Date, before: u32) -> bool {
    standing == Standing::Open && today <= deadline && calendar.working_days_between(today, deadline).value <= before
}

/// The reminder's text for the applicant and the officer.
pub fn reminder_text(matter: &str, missing: &[String], deadline: Date) -> String {
    format!(
        "「{matter}」容缺受理的后补材料（{}）须在 {deadline} 前补齐，逾期未补齐的，该事项终止。",
        missing.join("、")
    )
}

/// The working days the matter ran while the materials were still on their way (0 unless supplied).
pub fn days_saved(calendar: &Calendar, standing: Standing, accepted_on: Date, supplied_on: Option<Date>) -> u32 {
    match (standing, supplied_on) {
        (Standing::Supplied, Some(on)) => calendar.working_days_between(accepted_on, on).value,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn request() -> Request {
        Request { core_complete: true, promise_signed: true, bad_credit: false, missing: vec!["健康证明".into()] }
    }

    #[test]
    fn the_deadline_counts_working_days_across_the_national_day_break() {
        let cal = Calendar::builtin();
        let policy = Policy::default();
        // Accepted Wednesday 2026-09-30: 1–7 October are off, Saturday 10 October is a make-up
        // workday, so the tenth working day is Tuesday 20 October.
        let due = admit(&policy, &request(), day("2026-09-30"), &cal).unwrap();
        assert_eq!(due.value, day("2026-10-20"));
        assert!(!policy.verified && !policy.source.is_empty());
    }

    #[test]
    fn the_conditions_of_local_rules_hold() {
        let cal = Calendar::builtin();
        let p = Policy::default();
        let on = day("2026-11-16");
        let with = |f: &dyn Fn(&mut Request)| {
            let mut r = request();
            f(&mut r);
            admit(&p, &r, on, &cal)
        };
        assert_eq!(with(&|r| r.core_complete = false), Err(Refusal::CoreIncomplete));
        assert_eq!(with(&|r| r.promise_signed = false), Err(Refusal::NoPromise));
        assert_eq!(with(&|r| r.bad_credit = true), Err(Refusal::BadCredit));
        assert_eq!(with(&|r| r.missing = vec![" ".into()]), Err(Refusal::NothingMissing));
        let off = Policy { enabled: false, ..Policy::default() };
        assert_eq!(admit(&off, &request(), on, &cal), Err(Refusal::Disabled));
        let lenient = Policy { refuse_bad_credit: false, ..Policy::default() };
        assert!(admit(&lenient, &Request { bad_credit: true, ..request() }, on, &cal).is_ok());
    }

    #[test]
    fn the_reminder_falls_due_working_days_before_the_deadline_not_after() {
        let cal = Calendar::builtin();
        // Deadline Tuesday 2026-10-20, two working days before: from Friday 16 October (Saturday
        // 17 and Sunday 18 are rest days), not on Thursday 15 October.
        let deadline = day("2026-10-20");
        let due = |d: &str| reminder_due(&cal, Standing::Open, deadline, day(d), 2);
        assert!(!due("2026-10-15"));
        assert!(due("2026-10-16"));
        assert!(due("2026-10-20"), "on the last day");
        assert!(!due("2026-10-21"), "past it the matter ends instead");
        assert!(!reminder_due(&cal, Standing::Supplied, deadline, day("2026-10-19"), 2));
        let text = reminder_text("食品经营许可", &["健康证明".into(), "规章制度".into()], deadline);
        assert!(text.contains("健康证明、规章制度") && text.contains("2026-10-20"), "{text}");
    }

    #[test]
    fn a_policy_stored_before_reminders_reads_with_the_default() {
        let old = r#"{"enabled":true,"days_to_supply":10,"refuse_bad_credit":true,"source":"s","verified":false}"#;
        let p: Policy = serde_json::from_str(old).unwrap();
        assert_eq!(p.remind_before, 2);
    }

    #[test]
    fn supplied_in_time_saves_days_late_ends_the_matter() {
        let cal = Calendar::builtin();
        let (accepted, deadline) = (day("2026-11-16"), day("2026-11-30"));
        assert_eq!(supply(Standing::Open, deadline, day("2026-11-20")), Ok(Standing::Supplied));
        assert!(supply(Standing::Open, deadline, day("2026-12-01")).is_err());
        assert!(end(Standing::Open, deadline, day("2026-11-30")).is_err(), "not before the deadline");
        assert_eq!(end(Standing::Open, deadline, day("2026-12-01")), Ok(Standing::Ended));
        assert!(supply(Standing::Ended, deadline, day("2026-11-20")).is_err());
        assert_eq!(days_saved(&cal, Standing::Supplied, accepted, Some(day("2026-11-20"))), 4);
        assert_eq!(days_saved(&cal, Standing::Ended, accepted, None), 0);
    }
}
