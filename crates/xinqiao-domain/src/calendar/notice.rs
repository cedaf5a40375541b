//! A year's State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知): its days off
//! and its make-up workdays (调休上班), with its source and whether it was checked against the
//! text. The same TOML shape serves the shipped file and a notice loaded at run time; a notice is
//! checked against the statutory rules before it is used.

use super::{CalendarError, Date, Statutory};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// One year's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub year: i64,
    pub source: String,
    pub verified: bool,
    pub off: BTreeSet<Date>,
    pub work: BTreeSet<Date>,
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

/// Most years a file may hold (a notice file holds one or a few).
const MAX_YEARS: usize = 50;

impl Notice {
    /// Parses one or more years in the `holidays-cn.toml` shape (`[2027]` with `source`,
    /// `verified`, `off` and `work`). Every malformed date is named; nothing is checked against
    /// the statutory rules here (see `check`).
    pub fn parse_file(text: &str) -> Result<Vec<Notice>, CalendarError> {
        let raw: BTreeMap<String, YearFile> =
            toml::from_str(text).map_err(|e| CalendarError::BadData(e.message().to_owned()))?;
        if raw.is_empty() {
            return Err(CalendarError::BadData("文件中没有任何年份的安排".into()));
        }
        if raw.len() > MAX_YEARS {
            return Err(CalendarError::BadData(format!("一个文件至多 {MAX_YEARS} 个年份")));
        }
        let mut problems = Vec::new();
        let mut notices = Vec::new();
        for (key, y) in raw {
            let Some(year) = key.parse::<i64>().ok().filter(|y| (1949..=2199).contains(y)) else {
                problems.push(format!("“{key}”不是年份"));
                continue;
            };
            let mut dates = |list: &[String], what: &str| -> BTreeSet<Date> {
                let mut set = BTreeSet::new();
                for s in list {
                    match Date::parse(s) {
                        Some(d) => {
                            set.insert(d);
                        }
                        None => problems.push(format!("{year} 年{what}中的“{s}”不是有效日期（应为 YYYY-MM-DD）")),
                    }
                }
                set
            };
            let off = dates(&y.off, "休息日");
            let work = dates(&y.work, "调休上班日");
            notices.push(Notice { year, source: y.source.trim().to_owned(), verified: y.verified, off, work });
        }
        if problems.is_empty() { Ok(notices) } else { Err(CalendarError::Invalid(problems)) }
    }

    /// Checks the notice against its year and the statutory rules: every date inside the year,
    /// no day both off and on, make-up workdays only on weekends, every statutory holiday off,
    /// and a source named. Returns every problem found.
    pub fn check(&self, statutory: &Statutory) -> Result<(), Vec<String>> {
        let year = self.year;
        let mut problems = Vec::new();
        if self.source.is_empty() {
            problems.push(format!("{year} 年的安排没有写明来源（通知的名称与文号）"));
        }
        for d in self.off.iter().chain(&self.work) {
            if d.year() != year {
                problems.push(format!("{d} 不在 {year} 年内"));
            }
        }
        for d in self.off.intersection(&self.work) {
            problems.push(format!("{d} 同时列为休息日和上班日"));
        }
        for d in &self.work {
            if !d.is_weekend() {
                problems.push(format!("{d} 是工作日，不必列为调休上班日"));
            }
        }
        for s in statutory.days(year) {
            if self.work.contains(&s.date) || (!s.date.is_weekend() && !self.off.contains(&s.date)) {
                problems.push(format!("{}（{}）是法定节假日，安排中应为休息日", s.date, s.name));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        self.work.contains(&d) || (!d.is_weekend() && !self.off.contains(&d))
    }

    /// The notice in the file shape, for storage and export.
    pub fn to_toml(&self) -> String {
        let list = |set: &BTreeSet<Date>| set.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
        let escaped: String = self
            .source
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        format!(
            "[{}]\nsource = \"{}\"\nverified = {}\noff = [{}]\nwork = [{}]\n",
            self.year,
            escaped,
            self.verified,
            list(&self.off),
            list(&self.work)
        )
    }
}
