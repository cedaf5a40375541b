//! Dates and the working-day calendar of mainland China: weekends, the State Council's public
//! holidays and its adjusted weekend workdays (调休), from a data file with its source. A year the
//! file does not list is an explicit error, never a guess.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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
    #[error("节假日安排中没有 {0} 年的数据，无法计算工作日（请补充数据文件，不做推测）")]
    UnknownYear(i64),
    #[error("节假日数据文件有误：{0}")]
    BadData(String),
}

/// One year's schedule and where it comes from.
#[derive(Debug, Clone)]
pub struct Year {
    pub source: String,
    pub verified: bool,
    off: BTreeSet<Date>,
    work: BTreeSet<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    source: String,
    #[serde(default)]
    verified: bool,
    off: Vec<String>,
    work: Vec<String>,
}

/// The working-day calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i64, Year>,
}

/// The schedule shipped with Xinqiao.
pub const BUILTIN: &str = include_str!("../data/holidays-cn.toml");

impl Calendar {
    /// The calendar shipped with the binary.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped holiday file is valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let raw: BTreeMap<String, YearFile> =
            toml::from_str(text).map_err(|e| CalendarError::BadData(e.message().to_owned()))?;
        let mut years = BTreeMap::new();
        for (key, y) in raw {
            let year: i64 = key.parse().map_err(|_| CalendarError::BadData(format!("“{key}”不是年份")))?;
            let dates = |list: &[String]| -> Result<BTreeSet<Date>, CalendarError> {
                list.iter()
                    .map(|s| {
                        let d = Date::parse(s).ok_or_else(|| CalendarError::BadData(format!("日期“{s}”无效")))?;
                        if d.year() != year {
                            return Err(CalendarError::BadData(format!("{s} 不在 {year} 年的节内")));
                        }
                        Ok(d)
                    })
                    .collect()
            };
            let (off, work) = (dates(&y.off)?, dates(&y.work)?);
            if let Some(d) = off.intersection(&work).next() {
                return Err(CalendarError::BadData(format!("{d} 同时是休息日和上班日")));
            }
            years.insert(year, Year { source: y.source, verified: y.verified, off, work });
        }
        Ok(Self { years })
    }

    pub fn year(&self, year: i64) -> Result<&Year, CalendarError> {
        self.years.get(&year).ok_or(CalendarError::UnknownYear(year))
    }

    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        let y = self.year(d.year())?;
        Ok(if y.work.contains(&d) { true } else { !d.is_weekend() && !y.off.contains(&d) })
    }

    /// The `n`-th working day after `start` (the day of receipt itself is not counted). With
    /// `n == 0`, `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.next();
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Working days in `(from, to]`: zero when `to` is not after `from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarError> {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d.next();
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(d("2026-11-27").to_string(), "2026-11-27");
        assert_eq!(d("2026-11-27").weekday(), 4, "a Friday");
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        // 2026-11-27 16:30 UTC is already 11-28 in Beijing.
        assert_eq!(Date::of_epoch_ms((20_784 * 86_400 + 16 * 3600 + 1800) * 1000), d("2026-11-28"));
    }

    #[test]
    fn shipped_calendar_knows_2025_and_2026_only() {
        let c = Calendar::builtin();
        assert!(c.year(2026).unwrap().verified);
        assert!(c.year(2025).unwrap().source.contains("国务院办公厅"));
        assert_eq!(c.is_working_day(d("2027-01-04")), Err(CalendarError::UnknownYear(2027)));
        assert_eq!(c.add_working_days(d("2026-12-28"), 7), Err(CalendarError::UnknownYear(2027)));
    }

    #[test]
    fn spring_festival_2026_and_its_weekend_workdays() {
        let c = Calendar::builtin();
        assert!(c.is_working_day(d("2026-02-14")).unwrap(), "Saturday 2-14 is a workday (调休)");
        assert!(c.is_working_day(d("2026-02-28")).unwrap(), "Saturday 2-28 is a workday (调休)");
        assert!(!c.is_working_day(d("2026-02-16")).unwrap(), "Monday inside the break");
        assert!(!c.is_working_day(d("2026-02-23")).unwrap(), "last day of the break");
        assert!(c.is_working_day(d("2026-02-24")).unwrap());
        // Received Thursday 2-12: working days are 2-13 (Fri), 2-14 (Sat, 调休), then 2-24, 25, 26, 27, 28 (Sat, 调休).
        assert_eq!(c.add_working_days(d("2026-02-12"), 7).unwrap(), d("2026-02-28"));
        assert_eq!(c.working_days_between(d("2026-02-12"), d("2026-02-28")).unwrap(), 7);
        // Received on a holiday: counting starts with the first working day after it.
        assert_eq!(c.add_working_days(d("2026-02-18"), 1).unwrap(), d("2026-02-24"));
        assert_eq!(c.add_working_days(d("2026-02-18"), 0).unwrap(), d("2026-02-18"));
    }

    #[test]
    fn national_day_2025_and_ordinary_weeks() {
        let c = Calendar::builtin();
        assert!(c.is_working_day(d("2025-09-28")).unwrap(), "Sunday 9-28 is a workday");
        assert!(c.is_working_day(d("2025-10-11")).unwrap(), "Saturday 10-11 is a workday");
        assert!(!c.is_working_day(d("2025-10-08")).unwrap());
        assert_eq!(c.add_working_days(d("2025-09-30"), 1).unwrap(), d("2025-10-09"));
        // An ordinary week: Friday + 7 working days is the Tuesday after next.
        assert_eq!(c.add_working_days(d("2026-11-27"), 7).unwrap(), d("2026-12-08"));
    }

    #[test]
    fn bad_data_is_refused() {
        assert!(matches!(
            Calendar::from_toml("[2026]\nsource=\"x\"\noff=[\"2025-01-01\"]\nwork=[]"),
            Err(CalendarError::BadData(_))
        ));
        assert!(matches!(
            Calendar::from_toml("[2026]\nsource=\"x\"\noff=[\"2026-01-01\"]\nwork=[\"2026-01-01\"]"),
            Err(CalendarError::BadData(_))
        ));
    }
}
