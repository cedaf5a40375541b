//! The problem taxonomy: what complaints are about, on two axes — the problem's nature (质量、价格、
//! 预付式消费 …) and the goods or service concerned (食品、健身、网络购物 …).
//!
//! It ships as data (`data/taxonomy.toml`) that a supervisor may edit; [`Taxonomy::from_toml`]
//! validates an edited file and reports problems in Chinese. The taxonomy is Xinqiao's own: it
//! follows the spirit of the 12315 classification but is not the official one (`verified = false`).

use serde::{Deserialize, Serialize};

/// The shipped taxonomy file.
pub const TAXONOMY_TOML: &str = include_str!("../../data/taxonomy.toml");

/// Code of the catch-all nature every taxonomy must have.
pub const OTHER: &str = "other";
/// Code reserved for cases not yet classified (statistics use it for an empty category).
pub const UNCLASSIFIED: &str = "unclassified";
/// Label shown for [`UNCLASSIFIED`].
pub const UNCLASSIFIED_LABEL: &str = "未分类";

/// Which of the two axes an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// 问题性质.
    Nature,
    /// 商品/服务类别.
    Subject,
}

/// Whether a subject is goods or a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubjectGroup {
    #[serde(rename = "商品")]
    Goods,
    #[serde(rename = "服务")]
    Services,
}

/// One category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable ASCII snake_case code, stored on cases.
    pub code: String,
    /// Chinese label shown to users.
    pub label: String,
    /// Subjects only: goods or service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<SubjectGroup>,
    /// Words whose presence in a narrative suggests this category.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// The whole taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Where the classification comes from.
    pub source: String,
    /// Whether it was checked against an official text.
    pub verified: bool,
    /// Shown with statistics: what the classification is and is not.
    #[serde(default)]
    pub note: String,
    #[serde(rename = "nature")]
    natures: Vec<Entry>,
    #[serde(rename = "subject", default)]
    subjects: Vec<Entry>,
}

/// Why a taxonomy file was refused; the message is shown to the supervisor editing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxonomyError {
    #[error("分类表格式有误：{0}")]
    Parse(String),
    #[error("分类代码“{0}”无效：只能用小写英文字母、数字和下划线，并以字母开头")]
    BadCode(String),
    #[error("分类代码“{0}”为系统保留，不能使用")]
    ReservedCode(String),
    #[error("分类代码“{0}”重复")]
    DuplicateCode(String),
    #[error("分类“{0}”缺少中文名称")]
    EmptyLabel(String),
    #[error("分类“{0}”的关键词中有空词或重复词")]
    BadKeyword(String),
    #[error("问题性质中必须有代码为 other 的“其他”项")]
    MissingOther,
    #[error("商品/服务类别“{0}”须注明 group = \"商品\" 或 group = \"服务\"")]
    MissingGroup(String),
    #[error("问题性质“{0}”不应注明 group（只有商品/服务类别才分商品和服务）")]
    UnexpectedGroup(String),
}

/// ASCII snake_case: a lowercase letter, then lowercase letters, digits or single underscores, not
/// ending in an underscore.
pub fn is_snake_case(code: &str) -> bool {
    let b = code.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && !code.ends_with('_')
        && !code.contains("__")
}

impl Taxonomy {
    /// The taxonomy shipped in `data/taxonomy.toml`.
    pub fn shipped() -> Self {
        Self::from_toml(TAXONOMY_TOML).expect("the shipped taxonomy is valid (tested)")
    }

    /// Parses and validates a taxonomy file.
    pub fn from_toml(text: &str) -> Result<Self, TaxonomyError> {
        let taxonomy: Taxonomy = toml::from_str(text).map_err(|e| TaxonomyError::Parse(e.message().to_owned()))?;
        taxonomy.validate()?;
        Ok(taxonomy)
    }

    /// The taxonomy as a TOML file that [`Taxonomy::from_toml`] reads back unchanged.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a taxonomy always serialises")
    }

    fn validate(&self) -> Result<(), TaxonomyError> {
        for (axis, entries) in [(Axis::Nature, &self.natures), (Axis::Subject, &self.subjects)] {
            let mut seen = std::collections::HashSet::new();
            for e in entries {
                if e.code == UNCLASSIFIED {
                    return Err(TaxonomyError::ReservedCode(e.code.clone()));
                }
                if !is_snake_case(&e.code) {
                    return Err(TaxonomyError::BadCode(e.code.clone()));
                }
                if !seen.insert(e.code.as_str()) {
                    return Err(TaxonomyError::DuplicateCode(e.code.clone()));
                }
                if e.label.trim().is_empty() {
                    return Err(TaxonomyError::EmptyLabel(e.code.clone()));
                }
                let mut words = std::collections::HashSet::new();
                if e.keywords.iter().any(|k| k.trim().is_empty() || !words.insert(k.trim().to_lowercase())) {
                    return Err(TaxonomyError::BadKeyword(e.code.clone()));
                }
                match (axis, e.group) {
                    (Axis::Nature, Some(_)) => return Err(TaxonomyError::UnexpectedGroup(e.code.clone())),
                    (Axis::Subject, None) => return Err(TaxonomyError::MissingGroup(e.code.clone())),
                    _ => {}
                }
            }
        }
        if self.nature(OTHER).is_none() {
            return Err(TaxonomyError::MissingOther);
        }
        Ok(())
    }

    /// The entries of one axis, in file order.
    pub fn entries(&self, axis: Axis) -> &[Entry] {
        match axis {
            Axis::Nature => &self.natures,
            Axis::Subject => &self.subjects,
        }
    }

    /// Problem natures, in file order.
    pub fn natures(&self) -> &[Entry] {
        &self.natures
    }

    /// Goods and service categories, in file order.
    pub fn subjects(&self) -> &[Entry] {
        &self.subjects
    }

    /// The nature with this code.
    pub fn nature(&self, code: &str) -> Option<&Entry> {
        self.natures.iter().find(|e| e.code == code)
    }

    /// The subject with this code.
    pub fn subject(&self, code: &str) -> Option<&Entry> {
        self.subjects.iter().find(|e| e.code == code)
    }

    /// The entry with this code on one axis.
    pub fn entry(&self, axis: Axis, code: &str) -> Option<&Entry> {
        self.entries(axis).iter().find(|e| e.code == code)
    }

    /// The label of a code: natures are looked up first, then subjects (the two axes may share a
    /// code such as `other`); [`UNCLASSIFIED`] and the empty code read 未分类.
    pub fn label_of(&self, code: &str) -> Option<&str> {
        if code.is_empty() || code == UNCLASSIFIED {
            return Some(UNCLASSIFIED_LABEL);
        }
        self.nature(code).or_else(|| self.subject(code)).map(|e| e.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
source = "测试"
verified = false
[[nature]]
code = "other"
label = "其他"
keywords = ["其他问题"]
[[subject]]
code = "food"
label = "食品"
group = "商品"
"#;

    #[test]
    fn the_shipped_taxonomy_has_the_required_entries() {
        let t = Taxonomy::shipped();
        assert!(!t.verified);
        assert!(t.note.contains("12315") && t.note.contains("Xinqiao"), "{}", t.note);
        assert!(!t.source.is_empty());
        let natures: Vec<&str> = t.natures().iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            natures,
            [
                "quality",
                "safety",
                "price",
                "false_advertising",
                "contract",
                "after_sales",
                "prepaid",
                "personal_info",
                "food_safety",
                "registration",
                "annual_report",
                "other"
            ]
        );
        assert_eq!(t.nature("prepaid").unwrap().label, "预付式消费");
        assert_eq!(t.nature("false_advertising").unwrap().label, "虚假宣传");
        assert_eq!(t.subjects().len(), 20);
        for (code, label, group) in [
            ("food", "食品", SubjectGroup::Goods),
            ("cosmetics", "化妆品", SubjectGroup::Goods),
            ("automobiles", "汽车及零部件", SubjectGroup::Goods),
            ("fitness", "健身", SubjectGroup::Services),
            ("live_streaming", "网络直播", SubjectGroup::Services),
            ("property_services", "物业服务", SubjectGroup::Services),
        ] {
            let e = t.subject(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!((e.label.as_str(), e.group), (label, Some(group)));
        }
        for e in t.natures().iter().chain(t.subjects()) {
            assert!((5..=15).contains(&e.keywords.len()), "{}: {}", e.code, e.keywords.len());
        }
        let prepaid = &t.nature("prepaid").unwrap().keywords;
        for k in ["预付卡", "储值卡", "会员卡", "充值", "跑路", "闭店", "退卡"] {
            assert!(prepaid.iter().any(|w| w == k), "{k}");
        }
        let annual = &t.nature("annual_report").unwrap().keywords;
        for k in ["年报", "年度报告", "公示系统", "经营异常名录"] {
            assert!(annual.iter().any(|w| w == k), "{k}");
        }
    }

    #[test]
    fn lookups_and_labels() {
        let t = Taxonomy::shipped();
        assert_eq!(t.label_of("annual_report"), Some("年报"));
        assert_eq!(t.label_of("education"), Some("教育培训"));
        assert_eq!(t.label_of("other"), Some("其他"));
        assert_eq!(t.label_of(""), Some("未分类"));
        assert_eq!(t.label_of(UNCLASSIFIED), Some("未分类"));
        assert_eq!(t.label_of("no_such_code"), None);
        assert!(t.nature("food").is_none(), "food is a subject, not a nature");
        assert_eq!(t.entry(Axis::Subject, "food").unwrap().label, "食品");
        assert_eq!(t.entries(Axis::Nature).len(), t.natures().len());
    }

    #[test]
    fn round_trips_through_toml() {
        let t = Taxonomy::shipped();
        let again = Taxonomy::from_toml(&t.to_toml()).unwrap();
        assert_eq!(again, t);
        let small = Taxonomy::from_toml(MINIMAL).unwrap();
        assert_eq!(Taxonomy::from_toml(&small.to_toml()).unwrap(), small);
        assert!(small.to_toml().contains("group = \"商品\""));
    }

    #[test]
    fn snake_case_codes() {
        for ok in ["other", "after_sales", "a1", "x_2_y"] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["", "Other", "1abc", "_a", "a_", "a__b", "a-b", "质量", "a b"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }

    #[test]
    fn refuses_invalid_files_with_chinese_messages() {
        let cases = [
            (MINIMAL.replace("code = \"food\"", "code = \"Food\""), TaxonomyError::BadCode("Food".into())),
            (
                MINIMAL.replace("code = \"food\"", "code = \"unclassified\""),
                TaxonomyError::ReservedCode(UNCLASSIFIED.into()),
            ),
            (MINIMAL.replace("code = \"other\"", "code = \"misc\""), TaxonomyError::MissingOther),
            (MINIMAL.replace("label = \"其他\"", "label = \" \""), TaxonomyError::EmptyLabel("other".into())),
            (MINIMAL.replace("group = \"商品\"", ""), TaxonomyError::MissingGroup("food".into())),
            (
                MINIMAL.replace("keywords = [\"其他问题\"]", "keywords = [\"其他问题\", \"\"]"),
                TaxonomyError::BadKeyword("other".into()),
            ),
            (
                MINIMAL.replace("keywords = [\"其他问题\"]", "keywords = [\"其他问题\"]\ngroup = \"服务\""),
                TaxonomyError::UnexpectedGroup("other".into()),
            ),
            (
                format!("{MINIMAL}[[subject]]\ncode = \"food\"\nlabel = \"食品2\"\ngroup = \"商品\"\n"),
                TaxonomyError::DuplicateCode("food".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Taxonomy::from_toml(&text), Err(want.clone()), "{text}");
            assert!(want.to_string().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
        let err = Taxonomy::from_toml("source = 1").unwrap_err();
        assert!(matches!(err, TaxonomyError::Parse(_)) && err.to_string().starts_with("分类表格式有误"));
        let err = Taxonomy::from_toml(&MINIMAL.replace("group = \"商品\"", "group = \"其他\"")).unwrap_err();
        assert!(matches!(err, TaxonomyError::Parse(_)), "{err}");
        // The same code on both axes is fine.
        let both = format!("{MINIMAL}[[subject]]\ncode = \"other\"\nlabel = \"其他\"\ngroup = \"服务\"\n");
        assert!(Taxonomy::from_toml(&both).is_ok());
    }
}
