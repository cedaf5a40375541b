//! Dates and the working-day calendar of mainland China, in layers: weekends and the statutory
//! holidays of the 全国年节及纪念日放假办法 (computable for any year, `statutory`), and over them each
//! year's State Council notice with its 调休 breaks and make-up workdays (`notice`: shipped as
//! data, or loaded at run time). A year without a notice is counted on the statutory base and
//! every date computed on it says so (`Footing`): never a guess presented as fact, never a stop.

mod notice;
pub mod statutory;
#[cfg(test)]
mod tests;

pub use notice::Notice;
pub use statutory::{Statutory, StatutoryDay};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, RwLock};

use crate::time::{civil_from_days, days_from_civil};

/// A calendar date, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Self> {
        let days = days_from_civil(y, m, d);
        (civil_from_days(days) == (y, m, d) && (1..=12).contains(&m)).then_some(Date(days))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut it = text.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Self::from_ymd(y, m, d)
    }

    /// The date in China Standard Time of an epoch-millisecond instant.
    pub fn of_epoch_ms(ms: i64) -> Self {
        Date((ms + 8 * 3_600_000).div_euclid(86_400_000))
    }

    /// The first instant of the date in China Standard Time (epoch milliseconds).
    pub fn start_ms(self) -> i64 {
        self.0 * 86_400_000 - 8 * 3_600_000
    }

    pub fn year(self) -> i64 {
        civil_from_days(self.0).0
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    pub fn next(self) -> Self {
        Date(self.0 + 1)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日数据有误：{0}")]
    BadData(String),
    /// A notice that does not fit its year, every problem named.
    #[error("节假日安排未通过检查：{}", .0.join("；"))]
    Invalid(Vec<String>),
}

/// What a year's working days rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Basis {
    /// The year's State Council notice, checked against its text.
    Notice,
    /// The year's notice, not yet checked against its text.
    UnverifiedNotice,
    /// No notice for the year: weekends and the statutory holidays only.
    Statutory,
}

/// Whether a computed date rests on verified notices, and if not, which year it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Footing {
    /// The first year counted without its notice.
    pub provisional: Option<i64>,
    /// The first year counted on a notice not yet checked against its text.
    pub unverified: Option<i64>,
}

impl Footing {
    fn add(&mut self, year: i64, basis: Basis) {
        match basis {
            Basis::Notice => {}
            Basis::UnverifiedNotice => {
                self.unverified.get_or_insert(year);
            }
            Basis::Statutory => {
                self.provisional.get_or_insert(year);
            }
        }
    }

    /// Both footings together (a date computed from another one).
    pub fn and(self, other: Footing) -> Footing {
        Footing {
            provisional: self.provisional.or(other.provisional),
            unverified: self.unverified.or(other.unverified),
        }
    }

    pub fn is_provisional(self) -> bool {
        self.provisional.is_some()
    }

    /// The words shown beside a date that does not rest on a verified notice.
    pub fn note(self) -> Option<String> {
        match (self.provisional, self.unverified) {
            (Some(y), _) => Some(format!("暂按法定节假日计算，{y}年调休安排尚未公布")),
            (None, Some(y)) => Some(format!("{y}年节假日安排尚未与通知原文核对")),
            (None, None) => None,
        }
    }
}

/// A value computed on the calendar and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reckoned<T> {
    pub value: T,
    pub footing: Footing,
}

/// The working-day calendar: the statutory rules and the notices known to this process.
#[derive(Debug, Clone)]
pub struct Calendar {
    notices: BTreeMap<i64, Arc<Notice>>,
    statutory: Arc<Statutory>,
    /// Each year's statutory days, computed once.
    base: Arc<RwLock<HashMap<i64, Arc<BTreeSet<Date>>>>>,
}

/// The notices shipped with Xinqiao.
pub const BUILTIN: &str = include_str!("../../data/holidays-cn.toml");

impl Calendar {
    /// The shipped statutory rules and notices.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped holiday file is valid (tested)")
    }

    /// The shipped statutory rules with the notices of `text` (the `holidays-cn.toml` format).
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let statutory = Statutory::builtin();
        let notices = Notice::parse_file(text)?;
        for n in &notices {
            n.check(&statutory).map_err(CalendarError::Invalid)?;
        }
        let calendar = Self { notices: BTreeMap::new(), statutory: Arc::new(statutory), base: Arc::default() };
        Ok(calendar.with_notices(notices))
    }

    /// This calendar with `notices` added, each replacing any earlier notice of its year.
    pub fn with_notices(&self, notices: impl IntoIterator<Item = Notice>) -> Self {
        let mut next = self.clone();
        for n in notices {
            next.notices.insert(n.year, Arc::new(n));
        }
        next
    }

    pub fn statutory(&self) -> &Statutory {
        &self.statutory
    }

    pub fn notice(&self, year: i64) -> Option<&Notice> {
        self.notices.get(&year).map(|n| n.as_ref())
    }

    /// Every notice, by year.
    pub fn notices(&self) -> impl Iterator<Item = &Notice> {
        self.notices.values().map(|n| n.as_ref())
    }

    /// The last year whose notice is known and verified.
    pub fn last_verified_year(&self) -> Option<i64> {
        self.notices.values().filter(|n| n.verified).map(|n| n.year).max()
    }

    pub fn basis(&self, year: i64) -> Basis {
        match self.notices.get(&year) {
            Some(n) if n.verified => Basis::Notice,
            Some(_) => Basis::UnverifiedNotice,
            None => Basis::Statutory,
        }
    }

    fn statutory_days(&self, year: i64) -> Arc<BTreeSet<Date>> {
        if let Some(days) = self.base.read().unwrap_or_else(|e| e.into_inner()).get(&year) {
            return days.clone();
        }
        let days: Arc<BTreeSet<Date>> = Arc::new(self.statutory.days(year).into_iter().map(|d| d.date).collect());
        self.base.write().unwrap_or_else(|e| e.into_inner()).insert(year, days.clone());
        days
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        match self.notices.get(&d.year()) {
            Some(n) => n.is_working_day(d),
            None => !d.is_weekend() && !self.statutory_days(d.year()).contains(&d),
        }
    }

    /// What the days in `(from, to]` rest on.
    pub fn footing(&self, from: Date, to: Date) -> Footing {
        let mut footing = Footing::default();
        if to > from {
            for year in Date(from.0 + 1).year()..=to.year() {
                footing.add(year, self.basis(year));
            }
        }
        footing
    }

    /// The `n`-th working day after `start` (the day of receipt itself is not counted). With
    /// `n == 0`, `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Reckoned<Date> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.next();
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Reckoned { value: d, footing: self.footing(start, d) }
    }

    /// Working days in `(from, to]`: zero when `to` is not after `from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Reckoned<u32> {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.next();
            if self.is_working_day(d) {
                n += 1;
            }
        }
        Reckoned { value: n, footing: self.footing(from, to) }
    }

    /// `d` when it is a working day, else the next working day: the end of a period counted in
    /// natural days whose last day is a rest day.
    pub fn roll_to_working_day(&self, d: Date) -> Reckoned<Date> {
        let mut end = d;
        while !self.is_working_day(end) {
            end = end.next();
        }
        Reckoned { value: end, footing: self.footing(Date(d.0 - 1), end) }
    }
}
