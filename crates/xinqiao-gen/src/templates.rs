//! The case templates and the openings and closings in which complainants give their personal
//! data, read from `templates.toml` (shipped inside the binary) and checked once at start-up.

use serde::Deserialize;
use xinqiao_domain::cases::CaseKind;

/// The shipped templates.
pub const TEMPLATES_TOML: &str = include_str!("templates.toml");

/// One template: what it is about, where it applies, its text and the demands that go with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(deserialize_with = "kind")]
    pub kind: CaseKind,
    pub weight: u32,
    /// A nature code of the taxonomy (`data/taxonomy.toml`).
    pub nature: String,
    /// A subject code of the taxonomy.
    pub subject: String,
    /// Trade keys (`trades::TRADES`) the enterprise is drawn from; empty: no enterprise.
    #[serde(default)]
    pub trades: Vec<String>,
    /// The amount at stake, in yuan (`[0, 0]`: none).
    #[serde(default)]
    pub amount: [u64; 2],
    #[serde(default)]
    pub prods: Vec<String>,
    pub text: String,
    pub demands: Vec<String>,
    /// Answers for consultations and requests; empty: the generic replies by outcome.
    #[serde(default)]
    pub replies: Vec<String>,
}

fn kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CaseKind, D::Error> {
    let code = String::deserialize(d)?;
    CaseKind::parse(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown kind {code}")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snippets {
    pub middles: Vec<String>,
    pub openings: Vec<String>,
    pub openings_id: Vec<String>,
    pub openings_enterprise: Vec<String>,
    pub closings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub template: Vec<Template>,
    pub snippets: Snippets,
}

impl File {
    /// The shipped file; it is tested, so a failure here is a build defect.
    pub fn shipped() -> Self {
        toml::from_str(TEMPLATES_TOML).expect("gen/templates.toml is valid (tested)")
    }
}
