//! The legal clocks of an incident's measures (sealing, sampling, testing, re-test, penalty
//! publication) as data, computed on the working-day calendar: extension once with approval, and
//! testing time excluded only when it is fixed and notified in writing. Every due date carries
//! its calendar footing and every rule its source and `verified` flag.

use crate::calendar::{Calendar, Date, Footing, Reckoned};
use serde::Deserialize;

/// The clocks shipped with Xinqiao.
pub const BUILTIN: &str = include_str!("../../data/incident-clocks.toml");

/// Which legal clock a measure runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClockKind {
    Sealing,
    SampleToLab,
    TestReport,
    RetestRequest,
    PenaltyPublish,
    PenaltyWithdraw,
}

impl ClockKind {
    pub const ALL: [ClockKind; 6] = [
        ClockKind::Sealing,
        ClockKind::SampleToLab,
        ClockKind::TestReport,
        ClockKind::RetestRequest,
        ClockKind::PenaltyPublish,
        ClockKind::PenaltyWithdraw,
    ];

    /// The stable key used in data files, the database and the API.
    pub fn key(self) -> &'static str {
        match self {
            ClockKind::Sealing => "sealing",
            ClockKind::SampleToLab => "sample_to_lab",
            ClockKind::TestReport => "test_report",
            ClockKind::RetestRequest => "retest_request",
            ClockKind::PenaltyPublish => "penalty_publish",
            ClockKind::PenaltyWithdraw => "penalty_withdraw",
        }
    }

    /// The kind named by `key`; an unknown key is `None`, never a default.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// How a time limit is counted (from the day after its start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    CalendarDays(u32),
    WorkingDays(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockRule {
    pub kind: ClockKind,
    pub label: String,
    /// The event the clock starts from, in words.
    pub from: String,
    pub span: Span,
    /// Days added by the one extension the rule allows.
    pub extendable_by: Option<u32>,
    pub extension_needs: Option<String>,
    /// Testing time is excluded from the period (when fixed and notified in writing).
    pub excludes_testing: bool,
    pub testing_needs: Option<String>,
    pub basis: String,
    pub source: String,
    pub verified: bool,
}

/// A testing (检测、检验、检疫、技术鉴定) period excluded from a clock: natural days `from..=until`,
/// fixed in advance and notified in writing to the party on `notified_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Testing {
    pub from: Date,
    pub until: Date,
    pub notified_on: Option<Date>,
}

impl Testing {
    fn days(self) -> i64 {
        self.until.0 - self.from.0 + 1
    }
}

/// Why a clock cannot be computed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("时钟数据有误：{0}")]
    BadData(String),
    #[error("该期限不得延长")]
    NotExtendable,
    #[error("延长须在期限届满（{0}）前经批准")]
    ExtensionTooLate(Date),
    #[error("该期限不扣除检测期间")]
    TestingNotExcluded,
    #[error("检测期间须书面告知当事人后方可不计入期限")]
    TestingNotNotified,
    #[error("检测期间的起止日期有误（须在期限开始之后，且结束不早于开始）")]
    TestingBadRange,
    #[error("检测期间相互重叠")]
    TestingOverlap,
    #[error("检测期间开始于期限届满（{0}）之后，不能再扣除")]
    TestingAfterExpiry(Date),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    clock: Vec<RuleFile>,
    promise: PromiseFile,
    reminder: ReminderFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReminderFile {
    measure_before_working_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    key: String,
    label: String,
    from: String,
    calendar_days: Option<u32>,
    working_days: Option<u32>,
    extendable_by: Option<u32>,
    extension_needs: Option<String>,
    #[serde(default)]
    excludes_testing: bool,
    testing_needs: Option<String>,
    basis: String,
    source: String,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromiseFile {
    warn_before_hours: u32,
}

/// Every legal clock, one per kind, and the warning threshold of promises.
#[derive(Debug, Clone)]
pub struct Clocks {
    pub rules: Vec<ClockRule>,
    /// A promise turns to a warning this long before it falls due.
    pub promise_warn_ms: i64,
    /// A legal clock is flagged to its owner and supervisor this many working days before its
    /// last day.
    pub measure_warn_working_days: u32,
}

impl Clocks {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped clock file is valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, ClockError> {
        let bad = |m: String| ClockError::BadData(m);
        let file: File = toml::from_str(text).map_err(|e| bad(e.message().to_owned()))?;
        let mut rules = Vec::new();
        for r in file.clock {
            let kind = ClockKind::parse(&r.key).ok_or_else(|| bad(format!("未知的时钟 {}", r.key)))?;
            if rules.iter().any(|x: &ClockRule| x.kind == kind) {
                return Err(bad(format!("时钟 {} 重复", r.key)));
            }
            let span = match (r.calendar_days, r.working_days) {
                (Some(n), None) => Span::CalendarDays(n),
                (None, Some(n)) => Span::WorkingDays(n),
                _ => return Err(bad(format!("{} 须且只须给出 calendar_days 或 working_days", r.key))),
            };
            if r.excludes_testing && !matches!(span, Span::CalendarDays(_)) {
                return Err(bad(format!("{} 按工作日计算，不支持扣除检测期间", r.key)));
            }
            rules.push(ClockRule {
                kind,
                label: r.label,
                from: r.from,
                span,
                extendable_by: r.extendable_by,
                extension_needs: r.extension_needs,
                excludes_testing: r.excludes_testing,
                testing_needs: r.testing_needs,
                basis: r.basis,
                source: r.source,
                verified: r.verified,
            });
        }
        if let Some(k) = ClockKind::ALL.into_iter().find(|k| !rules.iter().any(|r| r.kind == *k)) {
            return Err(bad(format!("缺少时钟 {}", k.key())));
        }
        Ok(Self {
            rules,
            promise_warn_ms: i64::from(file.promise.warn_before_hours) * 3_600_000,
            measure_warn_working_days: file.reminder.measure_before_working_days,
        })
    }

    pub fn rule(&self, kind: ClockKind) -> &ClockRule {
        self.rules.iter().find(|r| r.kind == kind).expect("every kind is present (checked on load)")
    }
}

impl ClockRule {
    /// The last day of a clock started on `start`: with the one extension approved on
    /// `extension` (before the period ran out), and with the `testing` periods excluded.
    pub fn due(
        &self,
        calendar: &Calendar,
        start: Date,
        extension: Option<Date>,
        testing: &[Testing],
    ) -> Result<Reckoned<Date>, ClockError> {
        if !testing.is_empty() && !self.excludes_testing {
            return Err(ClockError::TestingNotExcluded);
        }
        let mut periods = testing.to_vec();
        periods.sort_by_key(|t| t.from);
        for t in &periods {
            if t.notified_on.is_none() {
                return Err(ClockError::TestingNotNotified);
            }
            if t.from <= start || t.until < t.from {
                return Err(ClockError::TestingBadRange);
            }
        }
        if periods.windows(2).any(|w| w[1].from <= w[0].until) {
            return Err(ClockError::TestingOverlap);
        }
        let add = |base: Date, n: u32| -> Reckoned<Date> {
            match self.span {
                Span::CalendarDays(_) => Reckoned { value: Date(base.0 + i64::from(n)), footing: Footing::default() },
                Span::WorkingDays(_) => calendar.add_working_days(base, n),
            }
        };
        let n = match self.span {
            Span::CalendarDays(n) | Span::WorkingDays(n) => n,
        };
        let base = add(start, n);
        // The extension is decided before the original period (less the testing already begun)
        // runs out, and lengthens the period once.
        let mut due = base;
        if let Some(approved) = extension {
            let by = self.extendable_by.ok_or(ClockError::NotExtendable)?;
            let paused: i64 = periods.iter().filter(|t| t.from <= approved).map(|t| t.days()).sum();
            let before = Date(base.value.0 + paused);
            if approved > before {
                return Err(ClockError::ExtensionTooLate(before));
            }
            let extended = add(base.value, by);
            due = Reckoned { value: extended.value, footing: base.footing.and(extended.footing) };
        }
        // Each testing period that starts while the clock runs moves its end by its length.
        let mut excluded = 0i64;
        for t in &periods {
            if t.from > Date(due.value.0 + excluded) {
                return Err(ClockError::TestingAfterExpiry(Date(due.value.0 + excluded)));
            }
            excluded += t.days();
        }
        Ok(Reckoned { value: Date(due.value.0 + excluded), footing: due.footing })
    }
}

/// Where a clock stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Running: natural and working days left until the last day (0 on the last day itself).
    Running {
        days_left: i64,
        working_days_left: u32,
    },
    Overdue {
        days_late: i64,
    },
    /// Done on or before its last day.
    Met {
        on: Date,
    },
    Missed {
        on: Date,
        days_late: i64,
    },
}

impl ClockState {
    pub fn of(calendar: &Calendar, due: Date, today: Date, done_on: Option<Date>) -> Self {
        match done_on {
            Some(on) if on <= due => ClockState::Met { on },
            Some(on) => ClockState::Missed { on, days_late: on.0 - due.0 },
            None if today <= due => ClockState::Running {
                days_left: due.0 - today.0,
                working_days_left: calendar.working_days_between(today, due).value,
            },
            None => ClockState::Overdue { days_late: today.0 - due.0 },
        }
    }

    /// The words shown beside the clock.
    pub fn describe(self) -> String {
        match self {
            ClockState::Running { days_left: 0, .. } => "今日届满".to_owned(),
            ClockState::Running { days_left, working_days_left } => {
                format!("剩余 {days_left} 天（{working_days_left} 个工作日）")
            }
            ClockState::Overdue { days_late } => format!("已超期 {days_late} 天"),
            ClockState::Met { on } => format!("已于 {on} 按时完成"),
            ClockState::Missed { on, days_late } => format!("于 {on} 完成，超期 {days_late} 天"),
        }
    }
}

#[cfg(test)]
#[path = "clocks_tests.rs"]
mod tests;
