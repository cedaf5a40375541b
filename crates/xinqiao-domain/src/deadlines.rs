//! Deadline rules as data: each rule has its legal basis, the dates its rule set is in force and a
//! `verified` flag. A case follows the rule set in force on its day of receipt; waiting for
//! testing or appraisal (检测鉴定) or for the complainant's supplement pauses the clock. A period
//! counted in natural days may end on the next working day when its last day is a rest day (民法典
//! art. 203), as its rule says. Every due date carries what its calendar rests on (`Footing`).

use crate::calendar::{Calendar, Date, Footing, Reckoned};
use serde::Deserialize;

/// The rules shipped with Xinqiao.
pub const BUILTIN: &str = include_str!("../data/deadline-rules.toml");

/// How a time limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    WorkingDays(u32),
    CalendarDays(u32),
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// `complaint.accept`, `complaint.mediation`, `complaint.end_notice`, `report.verify`.
    pub key: String,
    pub label: String,
    pub period: Period,
    /// The event the clock starts from: `received`, `accepted`, `mediation_ended`.
    pub from: String,
    pub extendable_by: Option<u32>,
    pub basis: String,
    pub verified: bool,
    /// For natural-day periods: the last day moves to the next working day when it is a rest day.
    pub rest_day_end: Option<RestDayEnd>,
}

/// The rule that a period whose last day is a rest day ends on the next working day, with its
/// source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestDayEnd {
    pub basis: String,
    pub verified: bool,
}

#[derive(Debug, Clone)]
pub struct RuleSet {
    pub id: String,
    pub name: String,
    pub effective_from: Date,
    pub effective_until: Option<Date>,
    pub source: String,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    pub fn rule(&self, key: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.key == key)
    }

    fn covers(&self, d: Date) -> bool {
        d >= self.effective_from && self.effective_until.is_none_or(|u| d <= u)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("{0} 没有适用的时限规则")]
    NoRuleSet(Date),
    #[error("时限规则数据有误：{0}")]
    BadData(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule_set: Vec<SetFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetFile {
    id: String,
    name: String,
    effective_from: String,
    effective_until: Option<String>,
    source: String,
    rule: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    key: String,
    label: String,
    working_days: Option<u32>,
    calendar_days: Option<u32>,
    from: String,
    extendable_by: Option<u32>,
    basis: String,
    verified: bool,
    rest_day_end: Option<RestDayEnd>,
}

/// Every rule set, in force one after another.
#[derive(Debug, Clone)]
pub struct Rules {
    pub sets: Vec<RuleSet>,
}

impl Rules {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped rule file is valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, DeadlineError> {
        let bad = |m: String| DeadlineError::BadData(m);
        let file: File = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
        let date = |s: &str| Date::parse(s).ok_or_else(|| bad(format!("日期“{s}”无效")));
        let mut sets = Vec::new();
        for s in file.rule_set {
            let mut rules = Vec::new();
            for r in s.rule {
                let period = match (r.working_days, r.calendar_days) {
                    (Some(n), None) => Period::WorkingDays(n),
                    (None, Some(n)) => Period::CalendarDays(n),
                    _ => {
                        return Err(bad(format!("{} 的 {} 须且只须给出 working_days 或 calendar_days", s.id, r.key)));
                    }
                };
                if r.rest_day_end.is_some() && matches!(period, Period::WorkingDays(_)) {
                    return Err(bad(format!("{} 的 {} 按工作日计算，不适用 rest_day_end", s.id, r.key)));
                }
                rules.push(Rule {
                    key: r.key,
                    label: r.label,
                    period,
                    from: r.from,
                    extendable_by: r.extendable_by,
                    basis: r.basis,
                    verified: r.verified,
                    rest_day_end: r.rest_day_end,
                });
            }
            sets.push(RuleSet {
                effective_from: date(&s.effective_from)?,
                effective_until: s.effective_until.as_deref().map(date).transpose()?,
                id: s.id,
                name: s.name,
                source: s.source,
                rules,
            });
        }
        sets.sort_by_key(|s| s.effective_from);
        for pair in sets.windows(2) {
            if pair[0].effective_until.is_none_or(|u| u >= pair[1].effective_from) {
                return Err(bad(format!("规则集 {} 与 {} 的生效期间重叠", pair[0].id, pair[1].id)));
            }
        }
        Ok(Self { sets })
    }

    /// The rule set in force on `received`.
    pub fn in_force(&self, received: Date) -> Result<&RuleSet, DeadlineError> {
        self.sets.iter().find(|s| s.covers(received)).ok_or(DeadlineError::NoRuleSet(received))
    }
}

/// A stretch during which the clock stood still; `until: None` while it still does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: Date,
    pub until: Option<Date>,
}

/// When a time limit falls due, and what the calendar under that date rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(Reckoned<Date>),
    /// The clock is paused (testing, appraisal, or waiting for the complainant).
    Paused,
}

impl Rule {
    /// The due date for a clock started on `start`, after `pauses`; `extended` adds the rule's
    /// extension once (where the rule allows one).
    pub fn due(&self, calendar: &Calendar, start: Date, pauses: &[Pause], extended: bool) -> Due {
        if pauses.iter().any(|p| p.until.is_none()) {
            return Due::Paused;
        }
        let extra = if extended { self.extendable_by.unwrap_or(0) } else { 0 };
        match self.period {
            Period::WorkingDays(n) => {
                let mut paused = 0;
                let mut footing = Footing::default();
                for p in pauses {
                    let between = calendar.working_days_between(p.from, p.until.expect("checked"));
                    paused += between.value;
                    footing = footing.and(between.footing);
                }
                let due = calendar.add_working_days(start, n + extra + paused);
                Due::On(Reckoned { value: due.value, footing: footing.and(due.footing) })
            }
            Period::CalendarDays(n) => {
                let paused: i64 = pauses.iter().map(|p| (p.until.expect("checked").0 - p.from.0).max(0)).sum();
                let last = Date(start.0 + i64::from(n + extra) + paused);
                match self.rest_day_end {
                    Some(_) => Due::On(calendar.roll_to_working_day(last)),
                    None => Due::On(Reckoned { value: last, footing: Footing::default() }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn on(due: Due) -> Reckoned<Date> {
        match due {
            Due::On(r) => r,
            Due::Paused => panic!("paused"),
        }
    }

    #[test]
    fn a_case_follows_the_rules_of_its_day_of_receipt() {
        let rules = Rules::builtin();
        assert_eq!(rules.in_force(d("2026-04-14")).unwrap().id, "samr-order-20");
        assert_eq!(rules.in_force(d("2026-04-15")).unwrap().id, "samr-order-121");
        assert!(matches!(rules.in_force(d("2019-06-01")), Err(DeadlineError::NoRuleSet(_))));
        let old = rules.in_force(d("2025-06-01")).unwrap();
        assert!(old.rule("complaint.accept").unwrap().verified, "Art. 14 was read in the source");
        let new = rules.in_force(d("2026-11-27")).unwrap();
        assert!(new.rules.iter().all(|r| !r.verified), "Order 121's values are not yet checked");
        assert_eq!(new.rule("complaint.mediation").unwrap().period, Period::CalendarDays(60));
    }

    #[test]
    fn accept_deadline_across_the_spring_festival() {
        let (cal, rules) = (Calendar::builtin(), Rules::builtin());
        let accept = rules.in_force(d("2026-02-12")).unwrap().rule("complaint.accept").unwrap();
        let due = on(accept.due(&cal, d("2026-02-12"), &[], false));
        assert_eq!(due.value, d("2026-02-28"));
        assert_eq!(due.footing, Footing::default());
    }

    #[test]
    fn deadlines_past_the_last_notice_are_provisional_not_refused() {
        let (cal, rules) = (Calendar::builtin(), Rules::builtin());
        let set = rules.in_force(d("2026-12-23")).unwrap();
        let accept = on(set.rule("complaint.accept").unwrap().due(&cal, d("2026-12-23"), &[], false));
        // 12-24, 25, 28, 29, 30, 31, then 2027-01-04 (01-01 is 元旦 on the statutory base).
        assert_eq!(accept.value, d("2027-01-04"));
        assert_eq!(accept.footing.provisional, Some(2027));
        let verify = on(set.rule("report.verify").unwrap().due(&cal, d("2028-12-20"), &[], false));
        assert_eq!(verify.footing.provisional, Some(2028));
        assert_eq!(verify.value, d("2029-01-11"), "01-01 off on the 2029 base too");
    }

    #[test]
    fn pauses_stop_the_clock() {
        let (cal, rules) = (Calendar::builtin(), Rules::builtin());
        let verify = rules.in_force(d("2026-11-02")).unwrap().rule("report.verify").unwrap();
        assert_eq!(on(verify.due(&cal, d("2026-11-02"), &[], false)).value, d("2026-11-23"));
        // Waiting Friday 11-06 → Tuesday 11-10 adds the working days 11-09 and 11-10.
        let paused = [Pause { from: d("2026-11-06"), until: Some(d("2026-11-10")) }];
        assert_eq!(on(verify.due(&cal, d("2026-11-02"), &paused, false)).value, d("2026-11-25"));
        assert_eq!(
            verify.due(&cal, d("2026-11-02"), &[Pause { from: d("2026-11-06"), until: None }], false),
            Due::Paused
        );
        assert_eq!(on(verify.due(&cal, d("2026-11-02"), &[], true)).value, d("2026-12-14"), "extended by 15");
        let mediation = rules.in_force(d("2026-11-02")).unwrap().rule("complaint.mediation").unwrap();
        // 11-02 + 60 + 4 paused days = 2027-01-05, a Tuesday: a working day on the 2027 base.
        let due = on(mediation.due(&cal, d("2026-11-02"), &paused, false));
        assert_eq!(due.value, Date(d("2026-11-02").0 + 64));
        assert_eq!(due.footing.provisional, Some(2027));
    }

    #[test]
    fn a_natural_day_period_ending_on_a_rest_day_ends_on_the_next_working_day() {
        let (cal, rules) = (Calendar::builtin(), Rules::builtin());
        let mediation = rules.in_force(d("2026-08-01")).unwrap().rule("complaint.mediation").unwrap();
        let rest = mediation.rest_day_end.as_ref().expect("Order 121's natural-day limit carries the rule");
        assert!(rest.basis.contains("民法典") && !rest.verified);
        // Accepted 2026-08-04: day 60 is Saturday 10-03, inside the National Day break (10-01 to
        // 10-07); the period ends on Thursday 10-08.
        assert_eq!(on(mediation.due(&cal, d("2026-08-04"), &[], false)).value, d("2026-10-08"));
        // Accepted 2026-08-13: day 60 is Monday 10-12, a working day.
        assert_eq!(on(mediation.due(&cal, d("2026-08-13"), &[], false)).value, d("2026-10-12"));
    }

    #[test]
    fn bad_rule_files_are_refused() {
        let overlapping = BUILTIN.replace("effective_until = \"2026-04-14\"", "effective_until = \"2026-05-01\"");
        assert!(matches!(Rules::from_toml(&overlapping), Err(DeadlineError::BadData(m)) if m.contains("重叠")));
        let both = BUILTIN.replacen("working_days = 7\n", "working_days = 7\ncalendar_days = 7\n", 1);
        assert!(Rules::from_toml(&both).is_err());
        let misplaced = BUILTIN.replacen(
            "working_days = 7\n",
            "working_days = 7\nrest_day_end = { basis = \"x\", verified = false }\n",
            1,
        );
        assert!(matches!(Rules::from_toml(&misplaced), Err(DeadlineError::BadData(m)) if m.contains("rest_day_end")));
    }
}
