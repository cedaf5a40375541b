//! 年报 (annual report) help: the reporting window (1 January to 30 June for the previous year,
//! with its source and verified flag) and the field-by-field guide to common mistakes, each field
//! linked to its Q&A entry — all data (`data/annual-report.toml`); when a reminder falls due; the
//! pass rate of a campaign (reported / should report).

use crate::calendar::Date;
use serde::Deserialize;

pub const BUILTIN: &str = include_str!("../data/annual-report.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// `MM-DD`
    pub opens: String,
    /// `MM-DD`
    pub closes: String,
    pub source: String,
    pub verified: bool,
    /// Natural days before the deadline on which reminders go out.
    pub remind_days_before: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub section: String,
    pub name: String,
    pub mistakes: Vec<String>,
    pub how: String,
    /// The Q&A entry that explains it.
    pub qa: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub window: Window,
    #[serde(rename = "field")]
    pub fields: Vec<Field>,
}

fn month_day(text: &str) -> Option<(u32, u32)> {
    let (m, d) = text.split_once('-')?;
    Some((m.parse().ok()?, d.parse().ok()?))
}

impl Guide {
    /// The shipped guide (checked by the tests below).
    pub fn builtin() -> Self {
        Self::parse(BUILTIN).expect("the shipped annual-report guide parses")
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let g: Guide = toml::from_str(text).map_err(|e| e.to_string())?;
        for md in [&g.window.opens, &g.window.closes] {
            let (m, d) = month_day(md).ok_or_else(|| format!("not MM-DD: {md}"))?;
            Date::from_ymd(2026, m, d).ok_or_else(|| format!("no such day: {md}"))?;
        }
        if g.fields.is_empty() || g.window.source.trim().is_empty() {
            return Err("a guide needs fields and a source".into());
        }
        Ok(g)
    }

    fn day(year: i64, md: &str) -> Date {
        let (m, d) = month_day(md).expect("checked on parse");
        Date::from_ymd(year, m, d).expect("checked on parse")
    }

    /// The reporting period on `today`: the year reported on (the previous one), the window's
    /// first and last day in this year.
    pub fn period(&self, today: Date) -> Period {
        let year = today.year();
        Period {
            reported_year: year - 1,
            opens: Self::day(year, &self.window.opens),
            closes: Self::day(year, &self.window.closes),
        }
    }

    /// The reminder stage due on `today` (the largest `remind_days_before` threshold already
    /// reached), or `None` outside the window or before the first threshold.
    pub fn reminder_stage(&self, today: Date) -> Option<u32> {
        let p = self.period(today);
        if today < p.opens || today > p.closes {
            return None;
        }
        let left = u32::try_from(p.closes.0 - today.0).ok()?;
        self.window.remind_days_before.iter().copied().filter(|d| left <= *d).min()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub reported_year: i64,
    pub opens: Date,
    pub closes: Date,
}

impl Period {
    /// Natural days left to the deadline (0 on the last day; `None` once it passed).
    pub fn days_left(&self, today: Date) -> Option<i64> {
        (today <= self.closes).then(|| self.closes.0 - today.0)
    }
}

/// Pass rate in per cent (reported / should report), `None` when nobody should report.
pub fn pass_rate(reported: usize, should: usize) -> Option<f64> {
    (should > 0).then(|| (reported.min(should) as f64) * 100.0 / should as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_shipped_guide_links_every_field_to_a_starter_qa_entry_and_is_unverified() {
        let g = Guide::builtin();
        let ids: Vec<String> = crate::knowledge::starter_entries().into_iter().map(|e| e.id).collect();
        for f in &g.fields {
            assert!(ids.contains(&f.qa), "{}: unknown Q&A {}", f.id, f.qa);
            assert!(!f.mistakes.is_empty() && !f.how.is_empty(), "{}", f.id);
        }
        assert!(g.fields.iter().any(|f| f.name.contains("从业人数")));
        assert!(g.fields.iter().any(|f| f.name.contains("营业总收入")));
        assert!(!g.window.verified && g.window.source.contains("企业信息公示暂行条例"));
    }

    #[test]
    fn the_window_and_the_reminder_stages_follow_the_data() {
        let g = Guide::builtin();
        let p = g.period(day("2027-03-01"));
        assert_eq!((p.reported_year, p.opens, p.closes), (2026, day("2027-01-01"), day("2027-06-30")));
        assert_eq!(g.reminder_stage(day("2027-05-30")), None, "31 days before");
        assert_eq!(g.reminder_stage(day("2027-05-31")), Some(30));
        assert_eq!(g.reminder_stage(day("2027-06-23")), Some(7));
        assert_eq!(g.reminder_stage(day("2027-06-30")), Some(1), "the last day");
        assert_eq!(g.reminder_stage(day("2027-07-01")), None, "after the window");
        assert_eq!(p.days_left(day("2027-06-30")), Some(0));
        assert_eq!(p.days_left(day("2027-07-01")), None);
        let other = BUILTIN.replace("closes = \"06-30\"", "closes = \"06-31\"");
        assert!(Guide::parse(&other).is_err(), "no 31 June");
    }

    #[test]
    fn the_pass_rate_is_reported_over_should_report() {
        assert_eq!(pass_rate(7, 10), Some(70.0));
        assert_eq!(pass_rate(19, 20), Some(95.0));
        assert_eq!(pass_rate(0, 0), None);
    }
}
