//! How a date computed on the working-day calendar is shown: the date, and when the calendar
//! under it is not a verified State Council notice, the words that say so (provisional for a
//! year without its notice). Every page, answer and export that shows a deadline uses this.

use serde::Serialize;
use xinqiao_domain::calendar::{Calendar, Date, Footing, Reckoned};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownDate {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Computed without the year's notice (暂按法定节假日计算).
    pub provisional: bool,
    /// What the calendar under the date rests on, when it is not a verified notice.
    pub note: Option<String>,
}

impl ShownDate {
    pub fn of(r: Reckoned<Date>) -> Self {
        Self::with(r.value, r.footing)
    }

    /// A date stored when it was computed from `from`, judged on the calendar as it is now.
    pub fn stored(calendar: &Calendar, from: Date, date: Date) -> Self {
        Self::with(date, calendar.footing(from, date))
    }

    fn with(date: Date, footing: Footing) -> Self {
        Self { date: date.to_string(), provisional: footing.is_provisional(), note: footing.note() }
    }

    /// The date and its note in one line, for plain text (CSV, messages).
    pub fn text(&self) -> String {
        match &self.note {
            Some(n) => format!("{}（{n}）", self.date),
            None => self.date.clone(),
        }
    }
}

impl std::fmt::Display for ShownDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Remind this many days before the last verified year ends.
pub const REMIND_DAYS: i64 = 60;

/// The last year with a verified notice, and whether its end is near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    pub last_verified_year: Option<i64>,
    /// Days from today to the last day of that year (negative once past).
    pub days_left: Option<i64>,
    /// Within `REMIND_DAYS` of the end (or past it): the next notice should be loaded.
    pub remind: bool,
}

impl Horizon {
    /// The reminder shown to sysadmins and supervisors.
    pub fn message(&self) -> Option<String> {
        let year = self.last_verified_year?;
        self.remind.then(|| {
            let left = self.days_left.unwrap_or(0);
            if left >= 0 {
                format!(
                    "已核实的节假日安排只到 {year} 年（还有 {left} 天）。国务院公布 {} 年安排后，请系统管理员在“节假日安排”中导入；导入前，跨入新年的期限暂按法定节假日计算并标注为暂定。",
                    year + 1
                )
            } else {
                format!(
                    "已核实的节假日安排只到 {year} 年，{} 年起的期限暂按法定节假日计算并标注为暂定。请系统管理员在“节假日安排”中导入新的安排。",
                    year + 1
                )
            }
        })
    }
}

pub fn horizon(calendar: &Calendar, today: Date) -> Horizon {
    let last = calendar.last_verified_year();
    let days_left = last.and_then(|y| Date::from_ymd(y, 12, 31)).map(|end| end.0 - today.0);
    Horizon { last_verified_year: last, days_left, remind: days_left.is_none_or(|d| d <= REMIND_DAYS) }
}
