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
