//! The bureau's own promises to the public (“三天内给结果”): not law, so shown apart from the
//! legal clocks, with a countdown and a warning before they are missed.

use crate::calendar::{Calendar, Date, Reckoned};

/// How long a promise gives the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromiseSpan {
    Hours(u32),
    /// Natural days: until the end of the `n`-th day after the day it was made.
    Days(u32),
    /// Working days on the calendar: until the end of the `n`-th working day after.
    WorkingDays(u32),
}

impl PromiseSpan {
    /// The instant (epoch ms) a promise made at `made_at_ms` falls due.
    pub fn due_at(self, calendar: &Calendar, made_at_ms: i64) -> Reckoned<i64> {
        let day = Date::of_epoch_ms(made_at_ms);
        match self {
            PromiseSpan::Hours(h) => {
                Reckoned { value: made_at_ms + i64::from(h) * 3_600_000, footing: Default::default() }
            }
            PromiseSpan::Days(n) => {
                Reckoned { value: Date(day.0 + i64::from(n) + 1).start_ms(), footing: Default::default() }
            }
            PromiseSpan::WorkingDays(n) => {
                let last = calendar.add_working_days(day, n);
                Reckoned { value: last.value.next().start_ms(), footing: last.footing }
            }
        }
    }
}

/// Where a promise stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromiseState {
    OnTrack {
        ms_left: i64,
    },
    /// Within the warning threshold: the owner and the supervisor are warned.
    Warning {
        ms_left: i64,
    },
    Missed {
        ms_late: i64,
    },
    Kept {
        at: i64,
    },
    KeptLate {
        ms_late: i64,
    },
}

impl PromiseState {
    pub fn of(due_at_ms: i64, kept_at_ms: Option<i64>, now_ms: i64, warn_before_ms: i64) -> Self {
        match kept_at_ms {
            Some(at) if at <= due_at_ms => PromiseState::Kept { at },
            Some(at) => PromiseState::KeptLate { ms_late: at - due_at_ms },
            None if now_ms > due_at_ms => PromiseState::Missed { ms_late: now_ms - due_at_ms },
            None if due_at_ms - now_ms <= warn_before_ms => PromiseState::Warning { ms_left: due_at_ms - now_ms },
            None => PromiseState::OnTrack { ms_left: due_at_ms - now_ms },
        }
    }

    /// Whoever owns the promise must be told now.
    pub fn needs_warning(self) -> bool {
        matches!(self, PromiseState::Warning { .. } | PromiseState::Missed { .. })
    }

    /// The countdown in words.
    pub fn describe(self) -> String {
        match self {
            PromiseState::OnTrack { ms_left } => format!("剩余 {}", duration(ms_left)),
            PromiseState::Warning { ms_left } => format!("即将到期：剩余 {}", duration(ms_left)),
            PromiseState::Missed { ms_late } => format!("已逾期 {}", duration(ms_late)),
            PromiseState::Kept { .. } => "已兑现".to_owned(),
            PromiseState::KeptLate { ms_late } => format!("已兑现，但晚了 {}", duration(ms_late)),
        }
    }
}

/// `ms` as days, hours and minutes (whole minutes, rounded down).
pub fn duration(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} 分钟"),
        (0, _) => format!("{h} 小时 {m} 分钟"),
        _ => format!("{d} 天 {h} 小时"),
    }
}
