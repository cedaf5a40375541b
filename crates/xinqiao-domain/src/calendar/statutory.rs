//! The statutory holidays (全国年节及纪念日放假办法) of any year, computed from their rules: fixed
//! Gregorian dates, dates of the Chinese lunisolar calendar (春节, 端午, 中秋) and the solar term
//! 清明. The lunar dates and solar terms come from `tyme4rs` (6tail's Tyme, whose solar-term
//! algorithm is 许剑伟's 寿星天文历). The rules are data with their source and `verified` flag.

use super::{CalendarError, Date};
use serde::Deserialize;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::SolarTerm;

/// The rules shipped with Xinqiao.
pub const BUILTIN: &str = include_str!("../../data/statutory-holidays.toml");

/// Years the lunisolar computation is trusted for; outside them a year has weekends only.
const YEARS: std::ops::RangeInclusive<i64> = 1901..=2199;

/// Where a holiday starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    Gregorian {
        month: u32,
        day: u32,
    },
    Lunar {
        month: i64,
        day: u32,
    },
    /// 农历除夕: the day before 正月初一.
    LunarEve,
    SolarTerm(String),
}

#[derive(Debug, Clone)]
struct Rule {
    name: String,
    anchor: Anchor,
    days: u32,
}

/// One version of the rules and the first day it applies to.
#[derive(Debug, Clone)]
pub struct Version {
    pub effective_from: Date,
    pub source: String,
    pub verified: bool,
    rules: Vec<Rule>,
}

/// One statutory day off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryDay {
    pub date: Date,
    /// The holiday's name (春节, 国庆节 …).
    pub name: String,
}

/// Every version of the rules, newest first.
#[derive(Debug, Clone)]
pub struct Statutory {
    versions: Vec<Version>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Vec<VersionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFile {
    effective_from: String,
    source: String,
    verified: bool,
    holiday: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    name: String,
    gregorian: Option<String>,
    lunar: Option<String>,
    solar_term: Option<String>,
    days: u32,
}

fn month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
}

impl RuleFile {
    fn anchor(&self) -> Result<Anchor, CalendarError> {
        let bad = || CalendarError::BadData(format!("法定节假日“{}”的规则无效", self.name));
        match (&self.gregorian, &self.lunar, &self.solar_term) {
            (Some(g), None, None) => month_day(g).map(|(month, day)| Anchor::Gregorian { month, day }).ok_or_else(bad),
            (None, Some(l), None) if l == "除夕" => Ok(Anchor::LunarEve),
            (None, Some(l), None) => month_day(l)
                .filter(|(_, d)| *d <= 30)
                .map(|(m, day)| Anchor::Lunar { month: i64::from(m), day })
                .ok_or_else(bad),
            (None, None, Some(t)) if tyme4rs::tyme::solar::SOLAR_TERM_NAMES.contains(&t.as_str()) => {
                Ok(Anchor::SolarTerm(t.clone()))
            }
            _ => Err(bad()),
        }
    }
}

impl Statutory {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped statutory holiday rules are valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let file: File = toml::from_str(text).map_err(|e| CalendarError::BadData(e.message().to_owned()))?;
        let mut versions = Vec::new();
        for v in file.version {
            let effective_from = Date::parse(&v.effective_from)
                .ok_or_else(|| CalendarError::BadData(format!("日期“{}”无效", v.effective_from)))?;
            let mut rules = Vec::new();
            for r in &v.holiday {
                if !(1..=10).contains(&r.days) {
                    return Err(CalendarError::BadData(format!("法定节假日“{}”的天数无效", r.name)));
                }
                rules.push(Rule { name: r.name.clone(), anchor: r.anchor()?, days: r.days });
            }
            versions.push(Version { effective_from, source: v.source, verified: v.verified, rules });
        }
        if versions.is_empty() {
            return Err(CalendarError::BadData("没有法定节假日规则".into()));
        }
        versions.sort_by_key(|v| std::cmp::Reverse(v.effective_from));
        Ok(Self { versions })
    }

    /// The version in force on 1 January of `year` (the oldest one for earlier years).
    pub fn version(&self, year: i64) -> &Version {
        let first = Date::from_ymd(year, 1, 1).unwrap_or(Date(i64::MIN / 2));
        self.versions.iter().find(|v| v.effective_from <= first).unwrap_or_else(|| self.versions.last().expect("one"))
    }

    /// The statutory days off of `year`, in date order. Days of a holiday that run into the next
    /// year (none do under the current rules) are left to that year.
    pub fn days(&self, year: i64) -> Vec<StatutoryDay> {
        if !YEARS.contains(&year) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for rule in &self.version(year).rules {
            let Some(start) = anchor_date(&rule.anchor, year) else { continue };
            for i in 0..rule.days {
                let date = Date(start.0 + i64::from(i));
                if date.year() == year {
                    out.push(StatutoryDay { date, name: rule.name.clone() });
                }
            }
        }
        out.sort_by_key(|d| d.date);
        out.dedup_by_key(|d| d.date);
        out
    }
}

/// The first day of a holiday in Gregorian `year`.
fn anchor_date(anchor: &Anchor, year: i64) -> Option<Date> {
    let y = isize::try_from(year).ok()?;
    let solar = |s: tyme4rs::tyme::solar::SolarDay| {
        Date::from_ymd(s.get_year() as i64, s.get_month() as u32, s.get_day() as u32)
    };
    match anchor {
        Anchor::Gregorian { month, day } => Date::from_ymd(year, *month, *day),
        // The lunar year that begins in Gregorian `year` holds its 端午 and 中秋.
        Anchor::Lunar { month, day } => {
            let d = LunarDay::new(y, *month as isize, *day as usize).ok()?;
            solar(d.get_solar_day())
        }
        Anchor::LunarEve => {
            let new_year = solar(LunarDay::new(y, 1, 1).ok()?.get_solar_day())?;
            Some(Date(new_year.0 - 1))
        }
        Anchor::SolarTerm(name) => solar(SolarTerm::new(y, name).ok()?.get_solar_day()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(year: i64) -> Vec<(String, String)> {
        Statutory::builtin().days(year).into_iter().map(|d| (d.date.to_string(), d.name)).collect()
    }

    fn dates(year: i64) -> Vec<String> {
        names(year).into_iter().map(|(d, _)| d).collect()
    }

    #[test]
    fn the_2024_revision_gives_thirteen_days() {
        // 春节 2027: 除夕 is 2027-02-05, 正月初一 2027-02-06 (well known; also in every almanac).
        assert_eq!(
            dates(2027),
            [
                "2027-01-01",
                "2027-02-05",
                "2027-02-06",
                "2027-02-07",
                "2027-02-08",
                "2027-04-05",
                "2027-05-01",
                "2027-05-02",
                "2027-06-09",
                "2027-09-15",
                "2027-10-01",
                "2027-10-02",
                "2027-10-03"
            ]
        );
        assert!(names(2027).iter().any(|(d, n)| d == "2027-06-09" && n == "端午节"));
    }

    #[test]
    fn lunar_holidays_of_known_years() {
        // 中秋 and 端午 of 2025 and 2026 as the notices place them; 清明 of both years.
        let y25 = dates(2025);
        for d in ["2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-04", "2025-05-31", "2025-10-06"] {
            assert!(y25.contains(&d.to_string()), "{d} in 2025: {y25:?}");
        }
        let y26 = dates(2026);
        for d in ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-05", "2026-06-19", "2026-09-25"] {
            assert!(y26.contains(&d.to_string()), "{d} in 2026: {y26:?}");
        }
        // 2028: 春节 on 01-26 (除夕 01-25), 清明 04-04, 端午 05-28, 中秋 10-03 (inside 国庆).
        let y28 = dates(2028);
        for d in ["2028-01-25", "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"] {
            assert!(y28.contains(&d.to_string()), "{d} in 2028: {y28:?}");
        }
        assert_eq!(y28.len(), 12, "中秋 coincides with 国庆 in 2028: {y28:?}");
    }

    #[test]
    fn the_older_rules_apply_before_2025() {
        let s = Statutory::builtin();
        assert!(s.version(2024).source.contains("第644号"));
        assert!(s.version(2025).source.contains("第795号"));
        assert!(!s.version(2026).verified, "not read in the official text yet");
        // 2024: 春节 is 初一–初三 (2024-02-10 to 02-12), 劳动节 one day.
        let y24 = dates(2024);
        assert!(y24.contains(&"2024-02-10".to_string()) && !y24.contains(&"2024-02-09".to_string()));
        assert!(!y24.contains(&"2024-05-02".to_string()));
        assert_eq!(y24.len(), 11);
    }

    #[test]
    fn every_year_of_the_century_has_its_days() {
        let s = Statutory::builtin();
        for year in 2025..2100 {
            let days = s.days(year);
            assert!(days.len() >= 12, "{year}: {}", days.len());
            assert!(days.iter().all(|d| d.date.year() == year));
            let spring: Vec<_> = days.iter().filter(|d| d.name == "春节").collect();
            assert_eq!(spring.len(), 4, "{year}");
            assert!(spring[0].date >= Date::from_ymd(year, 1, 20).unwrap());
            assert!(spring[3].date <= Date::from_ymd(year, 2, 21).unwrap());
            let qingming = days.iter().find(|d| d.name == "清明节").unwrap().date;
            assert!((Date::from_ymd(year, 4, 4).unwrap()..=Date::from_ymd(year, 4, 6).unwrap()).contains(&qingming));
        }
        assert!(s.days(1800).is_empty(), "outside the trusted range: weekends only");
    }

    #[test]
    fn agrees_with_an_independent_computation_for_2025_to_2060() {
        // data/statutory-crosscheck.tsv: lunar dates from python lunardate's tables, 清明 from
        // PyEphem's solar longitude (see its header).
        let s = Statutory::builtin();
        let table = include_str!("../../data/statutory-crosscheck.tsv");
        let mut years = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let year: i64 = f[0].parse().unwrap();
            let days = s.days(year);
            let first = |name: &str| days.iter().find(|d| d.name == name).unwrap().date.to_string();
            assert_eq!(first("春节"), f[1], "除夕 {year}");
            assert_eq!(first("端午节"), f[2], "端午 {year}");
            assert_eq!(first("清明节"), f[4], "清明 {year}");
            let mid_autumn = days.iter().any(|d| d.date.to_string() == f[3]);
            assert!(mid_autumn, "中秋 {year} on {}", f[3]);
            years += 1;
        }
        assert_eq!(years, 36);
    }

    #[test]
    fn bad_rules_are_refused() {
        let bad =
            BUILTIN.replacen("name = \"清明节\", solar_term = \"清明\"", "name = \"清明节\", solar_term = \"明清\"", 1);
        assert!(matches!(Statutory::from_toml(&bad), Err(CalendarError::BadData(_))));
        let bad =
            BUILTIN.replacen("name = \"元旦\", gregorian = \"01-01\"", "name = \"元旦\", gregorian = \"13-01\"", 1);
        assert!(Statutory::from_toml(&bad).is_err());
    }
}
