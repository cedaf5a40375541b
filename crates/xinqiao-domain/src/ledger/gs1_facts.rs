//! The GS1 facts behind the parser, read from `data/gs1.toml` with their source and whether they
//! were checked against the standards' text: the application identifiers read (and how) and the
//! GS1 China company prefixes. The pages say when the facts are not yet verified.

use serde::Deserialize;
use std::sync::LazyLock;

pub const BUILTIN: &str = include_str!("../../data/gs1.toml");

/// How an AI's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Gtin,
    /// YYMMDD; DD = 00 means the last day of the month.
    Date,
    /// Up to `max` characters of the GS1 set of 82 characters.
    Text(usize),
    /// Up to `max` digits.
    Count(usize),
}

impl Kind {
    pub(crate) fn is_variable(self) -> bool {
        matches!(self, Kind::Text(_) | Kind::Count(_))
    }
}

/// One application identifier read by the parser.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub ai: String,
    pub title: String,
    pub kind: Kind,
}

/// Where the facts come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub name: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prefix {
    from: u16,
    to: u16,
    #[allow(dead_code)]
    source: String,
    verified: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAi {
    ai: String,
    title: String,
    kind: String,
    max: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    standard: Standard,
    china_prefix: Prefix,
    ai: Vec<RawAi>,
}

/// The facts, checked as they are read.
#[derive(Debug, Clone)]
pub struct Gs1Facts {
    pub standard: Standard,
    china: Prefix,
    pub(crate) specs: Vec<Spec>,
}

impl Gs1Facts {
    /// Reads and checks a facts file: every AI two to four digits, once, of a known kind (with a
    /// maximum for the variable ones); the China range within 000–999.
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| format!("GS1 数据文件无法读取：{e}"))?;
        if raw.china_prefix.from > raw.china_prefix.to || raw.china_prefix.to > 999 {
            return Err("china_prefix 应为 000 至 999 之间的范围".into());
        }
        let mut specs: Vec<Spec> = Vec::new();
        for a in raw.ai {
            if !(2..=4).contains(&a.ai.len()) || !a.ai.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("应用标识符“{}”应为 2 至 4 位数字", a.ai));
            }
            if specs.iter().any(|s| s.ai == a.ai) {
                return Err(format!("应用标识符 {} 重复", a.ai));
            }
            let kind = match (a.kind.as_str(), a.max) {
                ("gtin", None) => Kind::Gtin,
                ("date", None) => Kind::Date,
                ("text", Some(m)) if m > 0 => Kind::Text(m),
                ("count", Some(m)) if m > 0 => Kind::Count(m),
                _ => return Err(format!("应用标识符 {} 的 kind/max 不符合要求", a.ai)),
            };
            specs.push(Spec { ai: a.ai, title: a.title, kind });
        }
        if !specs.iter().any(|s| s.ai == "01" && s.kind == Kind::Gtin) {
            return Err("缺少应用标识符 01（GTIN）".into());
        }
        Ok(Self { standard: raw.standard, china: raw.china_prefix, specs })
    }

    /// The facts compiled into the binary.
    pub fn builtin() -> &'static Self {
        static FACTS: LazyLock<Gs1Facts> =
            LazyLock::new(|| Gs1Facts::parse(BUILTIN).expect("data/gs1.toml is checked by the tests"));
        &FACTS
    }

    pub(crate) fn spec(&self, ai: &str) -> Option<&Spec> {
        self.specs.iter().find(|s| s.ai == ai)
    }

    /// Whether a GTIN-13's first three digits fall in the GS1 China range.
    pub fn is_china_prefix(&self, first_three: u16) -> bool {
        (self.china.from..=self.china.to).contains(&first_three)
    }

    /// Whether every fact here was read in the standards' own text.
    pub fn verified(&self) -> bool {
        self.standard.verified && self.china.verified
    }

    /// The AIs read, as `(AI, what it carries)`.
    pub fn identifiers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.specs.iter().map(|s| (s.ai.as_str(), s.title.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_facts_read_and_say_they_are_unverified() {
        let f = Gs1Facts::parse(BUILTIN).unwrap();
        let ais: Vec<&str> = f.identifiers().map(|(ai, _)| ai).collect();
        assert_eq!(ais, ["01", "10", "11", "15", "17", "21", "30", "37"]);
        assert_eq!(f.spec("10").unwrap().kind, Kind::Text(20));
        assert_eq!(f.spec("17").unwrap().kind, Kind::Date);
        assert!(f.spec("99").is_none());
        assert!(f.is_china_prefix(690) && f.is_china_prefix(699) && !f.is_china_prefix(400));
        assert!(!f.verified(), "nothing here was read in the standards' text yet");
        assert!(!f.standard.source.is_empty());
    }

    #[test]
    fn a_broken_facts_file_is_refused_with_its_reason() {
        let base = BUILTIN.to_owned();
        let no_gtin = base.replace("ai = \"01\"", "ai = \"02\"");
        assert!(Gs1Facts::parse(&no_gtin).unwrap_err().contains("01"));
        let twice = base.replace("ai = \"11\"", "ai = \"10\"");
        assert!(Gs1Facts::parse(&twice).unwrap_err().contains("重复"));
        let no_max = base.replacen("max = 20\n", "", 1);
        assert!(Gs1Facts::parse(&no_max).unwrap_err().contains("kind/max"));
        let letters = base.replace("ai = \"37\"", "ai = \"3A\"");
        assert!(Gs1Facts::parse(&letters).unwrap_err().contains("3A"));
    }
}
