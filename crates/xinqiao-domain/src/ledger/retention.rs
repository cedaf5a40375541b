//! How long a ledger line must be kept, per the law of its product category, computed from the
//! rules in `data/ledger-retention.toml` (each with its source and whether it was verified).

use crate::FieldError;
use crate::calendar::Date;
use crate::time::{civil_from_days, days_from_civil};
use serde::Deserialize;

pub const BUILTIN: &str = include_str!("../../data/ledger-retention.toml");

/// What the law regulating a product is: it decides the retention rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Food,
    Cosmetic,
}

impl Category {
    pub const FIELD: &'static str = "category";
    pub const ALL: [Category; 2] = [Category::Food, Category::Cosmetic];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Food => "food",
            Category::Cosmetic => "cosmetic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Food => "食品",
            Category::Cosmetic => "化妆品",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim() || c.label() == s.trim())
            .ok_or_else(|| FieldError::new(Self::FIELD, "unknown", "产品类别应为 食品 或 化妆品"))
    }
}

/// One category's retention rule as the data file states it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub category: Category,
    pub label: String,
    pub law: String,
    pub articles: String,
    pub summary: String,
    pub after_end_months: u32,
    #[serde(default)]
    pub short_period_months: Option<u32>,
    #[serde(default)]
    pub short_period_years: Option<u32>,
    pub without_end_years: u32,
    pub source: String,
    pub verified: bool,
}

/// A penalty for missing records, shown beside the ledger to officers and enterprises.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    pub id: String,
    pub law: String,
    pub articles: String,
    pub summary: String,
    pub fine_min_yuan: u32,
    pub fine_max_yuan: u32,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    rule: Vec<RetentionRule>,
    #[serde(default)]
    penalty: Vec<Penalty>,
}

/// The dates a line's retention is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shelf {
    pub production: Option<Date>,
    pub expiry: Option<Date>,
    /// The shelf life (使用期限) in days, when the label gives a period rather than a date.
    pub shelf_life_days: Option<u32>,
}

impl Shelf {
    /// When the shelf life ends: the expiry date, else production + the shelf life.
    pub fn end(&self) -> Option<Date> {
        self.expiry.or_else(|| Some(Date(self.production?.0 + i64::from(self.shelf_life_days?))))
    }

    /// The whole period from production to the end, when both are known.
    fn period_end_and_start(&self) -> Option<(Date, Date)> {
        Some((self.end()?, self.production?))
    }
}

/// Why a line is kept until its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// The shelf life's end plus the rule's months.
    AfterEnd,
    /// A period under the rule's threshold: the record date plus the rule's years.
    ShortPeriod,
    /// The period is unknown: the later of the two.
    LaterOfBoth,
    /// No shelf life recorded: the record date plus the rule's years.
    WithoutEnd,
}

/// A line's retention date, with the rule it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention<'a> {
    pub until: Date,
    pub ground: Ground,
    pub rule: &'a RetentionRule,
}

impl Retention<'_> {
    /// The words shown beside the date.
    pub fn basis(&self) -> String {
        let r = self.rule;
        let why = match self.ground {
            Ground::AfterEnd => format!("保质期（使用期限）届满后 {} 个月", r.after_end_months),
            Ground::ShortPeriod => format!(
                "使用期限不足 {} 个月，自记录之日起 {} 年",
                r.short_period_months.unwrap_or(0),
                r.short_period_years.unwrap_or(0)
            ),
            Ground::LaterOfBoth => "使用期限长短未记录，取两种算法中较晚的日期".to_string(),
            Ground::WithoutEnd => format!("未记录保质期，自记录之日起 {} 年", r.without_end_years),
        };
        let check = if r.verified { "" } else { "（依据尚未与法规原文核对）" };
        format!("{}{}：{why}{check}", r.law, r.articles)
    }
}

impl RetentionRules {
    /// The rules shipped with the program.
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the built-in retention rules parse")
    }

    pub fn from_toml(text: &str) -> Result<Self, String> {
        let rules: RetentionRules = toml::from_str(text).map_err(|e| e.to_string())?;
        for c in Category::ALL {
            if rules.rule.iter().filter(|r| r.category == c).count() != 1 {
                return Err(format!("类别 {} 应有且只有一条保存期限规则", c.label()));
            }
        }
        Ok(rules)
    }

    pub fn rule(&self, category: Category) -> &RetentionRule {
        self.rule.iter().find(|r| r.category == category).expect("every category has a rule (checked on load)")
    }

    pub fn penalties(&self) -> &[Penalty] {
        &self.penalty
    }

    /// The retention date of a line recorded on `recorded` with these shelf dates.
    pub fn retention(&self, category: Category, recorded: Date, shelf: &Shelf) -> Retention<'_> {
        let rule = self.rule(category);
        let Some(end) = shelf.end() else {
            return Retention {
                until: add_months(recorded, 12 * rule.without_end_years),
                ground: Ground::WithoutEnd,
                rule,
            };
        };
        let after_end = add_months(end, rule.after_end_months);
        let (Some(months), Some(years)) = (rule.short_period_months, rule.short_period_years) else {
            return Retention { until: after_end, ground: Ground::AfterEnd, rule };
        };
        let short = add_months(recorded, 12 * years);
        match shelf.period_end_and_start() {
            Some((end, start)) if end < add_months(start, months) => {
                Retention { until: short, ground: Ground::ShortPeriod, rule }
            }
            Some(_) => Retention { until: after_end, ground: Ground::AfterEnd, rule },
            None if short > after_end => Retention { until: short, ground: Ground::LaterOfBoth, rule },
            None => Retention { until: after_end, ground: Ground::LaterOfBoth, rule },
        }
    }
}

/// `months` calendar months after `d`; a day the target month lacks becomes its last day
/// (2026-08-31 + 6 months = 2027-02-28).
pub fn add_months(d: Date, months: u32) -> Date {
    let (y, m, day) = civil_from_days(d.0);
    let total = y * 12 + i64::from(m - 1) + i64::from(months);
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let last = {
        let (fy, fm) = if nm == 12 { (ny + 1, 1) } else { (ny, nm + 1) };
        civil_from_days(days_from_civil(fy, fm, 1) - 1).2
    };
    Date(days_from_civil(ny, nm, day.min(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_data_file_loads_with_sources_and_is_marked_unverified() {
        let rules = RetentionRules::builtin();
        for c in Category::ALL {
            let r = rules.rule(c);
            assert!(!r.source.is_empty() && !r.law.is_empty());
            assert!(!r.verified, "no rule has been read in the official text yet");
        }
        let p = &rules.penalties()[0];
        assert_eq!((p.fine_min_yuan, p.fine_max_yuan), (5000, 50000));
        assert!(p.articles.contains("第一百二十六条"));
        let broken = BUILTIN.replace("category = \"cosmetic\"", "category = \"food\"");
        assert!(RetentionRules::from_toml(&broken).is_err(), "a category without its rule is refused");
    }

    #[test]
    fn months_are_calendar_months_clamped_to_the_month_end() {
        assert_eq!(add_months(d("2026-08-31"), 6), d("2027-02-28"));
        assert_eq!(add_months(d("2027-08-31"), 6), d("2028-02-29"));
        assert_eq!(add_months(d("2026-01-15"), 24), d("2028-01-15"));
        assert_eq!(add_months(d("2026-12-06"), 1), d("2027-01-06"));
    }

    #[test]
    fn food_six_months_after_the_shelf_life_or_two_years_without() {
        let rules = RetentionRules::builtin();
        let recorded = d("2026-03-01");
        let by_date = Shelf { production: Some(d("2026-02-01")), expiry: Some(d("2026-08-31")), shelf_life_days: None };
        let r = rules.retention(Category::Food, recorded, &by_date);
        assert_eq!((r.until, r.ground), (d("2027-02-28"), Ground::AfterEnd));
        assert!(r.basis().contains("食品安全法") && r.basis().contains("尚未与法规原文核对"), "{}", r.basis());
        // A period instead of a date: production + 180 days = 2026-07-31.
        let by_period = Shelf { production: Some(d("2026-02-01")), expiry: None, shelf_life_days: Some(180) };
        assert_eq!(rules.retention(Category::Food, recorded, &by_period).until, d("2027-01-31"));
        // Food has no short-period rule: a 3-day shelf life is still + 6 months.
        let fresh = Shelf { production: Some(d("2026-03-01")), expiry: Some(d("2026-03-04")), shelf_life_days: None };
        assert_eq!(rules.retention(Category::Food, recorded, &fresh).until, d("2026-09-04"));
        let none = rules.retention(Category::Food, recorded, &Shelf::default());
        assert_eq!((none.until, none.ground), (d("2028-03-01"), Ground::WithoutEnd));
    }

    #[test]
    fn cosmetics_one_year_after_the_period_or_two_years_when_it_is_short() {
        let rules = RetentionRules::builtin();
        let recorded = d("2026-03-01");
        let three_years =
            Shelf { production: Some(d("2026-01-10")), expiry: Some(d("2029-01-09")), shelf_life_days: None };
        let r = rules.retention(Category::Cosmetic, recorded, &three_years);
        assert_eq!((r.until, r.ground), (d("2030-01-09"), Ground::AfterEnd));
        // Nine months: under a year, so two years from the record.
        let short = Shelf { production: Some(d("2026-01-10")), expiry: None, shelf_life_days: Some(270) };
        let r = rules.retention(Category::Cosmetic, recorded, &short);
        assert_eq!((r.until, r.ground), (d("2028-03-01"), Ground::ShortPeriod));
        assert!(r.basis().contains("不足 12 个月"));
        // Exactly a year is not under a year.
        let year = Shelf { production: Some(d("2026-01-10")), expiry: Some(d("2027-01-10")), shelf_life_days: None };
        assert_eq!(rules.retention(Category::Cosmetic, recorded, &year).until, d("2028-01-10"));
        // Only the end is known: the later of end + 1 year and record + 2 years.
        let end_only = Shelf { production: None, expiry: Some(d("2026-10-01")), shelf_life_days: None };
        let r = rules.retention(Category::Cosmetic, recorded, &end_only);
        assert_eq!((r.until, r.ground), (d("2028-03-01"), Ground::LaterOfBoth));
        let far = Shelf { production: None, expiry: Some(d("2029-10-01")), shelf_life_days: None };
        assert_eq!(rules.retention(Category::Cosmetic, recorded, &far).until, d("2030-10-01"));
    }
}
