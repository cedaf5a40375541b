//! 一公开: the standard result categories of an inspection (`data/inspection-results.toml`) and
//! the rules of random inspection as data (`data/draw-rules.toml`) — the publication deadline of
//! 20 working days and the two-officer minimum — each with its basis, source and `verified` flag,
//! as `deadlines.rs` models the complaint deadlines.

use super::error::DrawError;
use crate::calendar::{Calendar, Date, Reckoned};
use serde::{Deserialize, Serialize};

/// The result categories shipped with Xinqiao.
pub const BUILTIN_RESULTS: &str = include_str!("../../data/inspection-results.toml");
/// The rules shipped with Xinqiao.
pub const BUILTIN_RULES: &str = include_str!("../../data/draw-rules.toml");

/// The fewest inspectors per target (行政处罚法 Art. 42 †); `data/draw-rules.toml` says the same.
pub const MIN_INSPECTORS_PER_TARGET: u32 = 2;

/// One standard result category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultCategory {
    /// Stable code, stored with each result (`no_problem`, `corrected_on_order` …).
    pub code: String,
    /// The Chinese wording shown and published.
    pub label: String,
    /// Whether the result records a problem (for insights and the enterprise's record).
    pub problem: bool,
    pub source: String,
    pub verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultsFile {
    category: Vec<ResultCategory>,
}

/// The result categories, in the data file's order.
#[derive(Debug, Clone)]
pub struct ResultCategories {
    list: Vec<ResultCategory>,
}

impl ResultCategories {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_RESULTS).expect("the shipped result categories are valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, DrawError> {
        let file: ResultsFile = toml::from_str(text).map_err(|e| DrawError::BadData(e.message().to_owned()))?;
        let mut seen = std::collections::HashSet::new();
        for c in &file.category {
            let code_ok = !c.code.is_empty() && c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !code_ok || c.label.trim().is_empty() {
                return Err(DrawError::BadData(format!("类别“{}”的代码或名称无效", c.code)));
            }
            if !seen.insert(c.code.clone()) || file.category.iter().filter(|o| o.label == c.label).count() > 1 {
                return Err(DrawError::BadData(format!("类别“{}”重复", c.code)));
            }
        }
        Ok(Self { list: file.category })
    }

    pub fn all(&self) -> &[ResultCategory] {
        &self.list
    }

    pub fn get(&self, code: &str) -> Option<&ResultCategory> {
        self.list.iter().find(|c| c.code == code)
    }

    /// Finds a category by its Chinese wording (imports, people typing it), ignoring spaces and
    /// the difference between full-width and half-width parentheses.
    pub fn by_label(&self, label: &str) -> Option<&ResultCategory> {
        let norm = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| match c {
                    '(' => '（',
                    ')' => '）',
                    ',' => '、',
                    other => other,
                })
                .collect::<String>()
        };
        let wanted = norm(label);
        self.list.iter().find(|c| norm(&c.label) == wanted)
    }
}

/// The publication deadline of inspection results.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationRule {
    pub key: String,
    pub label: String,
    pub working_days: u32,
    /// The event the clock starts from (`result_recorded`); that day is not counted.
    pub from: String,
    pub basis: String,
    pub source: String,
    pub verified: bool,
}

/// The minimum team size, as data (the code enforces [`MIN_INSPECTORS_PER_TARGET`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectorRule {
    pub key: String,
    pub label: String,
    pub minimum: u32,
    pub basis: String,
    pub source: String,
    pub verified: bool,
}

/// The rules of random inspection shipped as data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawRules {
    pub publication: PublicationRule,
    pub inspectors: InspectorRule,
}

impl DrawRules {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN_RULES).expect("the shipped draw rules are valid (tested)")
    }

    pub fn from_toml(text: &str) -> Result<Self, DrawError> {
        let rules: Self = toml::from_str(text).map_err(|e| DrawError::BadData(e.message().to_owned()))?;
        if rules.publication.working_days == 0 {
            return Err(DrawError::BadData("公示时限须至少为 1 个工作日".to_owned()));
        }
        Ok(rules)
    }
}

impl PublicationRule {
    /// The last day to publish a result recorded on `recorded` (the `working_days`-th working day
    /// after it); provisional when it runs into a year without its holiday notice.
    pub fn due(&self, calendar: &Calendar, recorded: Date) -> Reckoned<Date> {
        calendar.add_working_days(recorded, self.working_days)
    }
}
