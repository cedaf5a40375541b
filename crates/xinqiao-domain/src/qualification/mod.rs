//! 任职资格: who may become a 客户体验官 and how that is judged — the pure domain of issue 4.
//!
//! - [`framework`]: the competency framework as versioned data (seven dimensions × three criteria,
//!   rubric anchors 1–5, weights, gates); shipped as `data/competency-framework.toml`, an example
//!   for the bureau to adopt. Assessments pin its version and fingerprint.
//! - [`dossier`]: a candidate's record (work history by type, training, integrity, declarations,
//!   confidentiality pledge, gift register) and the record-check gates ([`evaluate_gates`]).
//! - [`questions`]: the written test's question bank (`data/question-bank.toml`, examples for the
//!   bureau to review); [`paper`]: a test paper drawn per dimension by a recorded RFC 3797 draw,
//!   and its automatic scoring.
//! - [`panel`]: the structured interview — drawing a panel of 评审员 without ties to the
//!   candidate (recorded, reproducible) and aggregating each criterion's scores.
//! - [`decision`]: 合格 / 不合格 with reasons, and the appeal deadline; [`certificate`]: the
//!   certificate number, validity and the roster status (在岗, 待复审, 暂停, 撤销).
//!
//! Scores of criteria and dimensions are on the 1–5 scale of the rubric anchors throughout; a
//! written-test fraction maps onto it by [`paper::five_point`].

pub mod certificate;
pub mod decision;
pub mod dossier;
pub mod framework;
pub mod panel;
pub mod paper;
pub mod questions;

#[cfg(test)]
mod tests_certificate;
#[cfg(test)]
mod tests_decision;
#[cfg(test)]
mod tests_dossier;
#[cfg(test)]
mod tests_framework;
#[cfg(test)]
mod tests_panel;
#[cfg(test)]
mod tests_questions;

pub use certificate::{
    Certificate, CertificateState, Reinstatement, RosterStatus, certificate_number, parse_certificate_number, status_on,
};
pub use decision::{CriterionResult, Decision, DimensionResult, appeal_deadline, decide};
pub use dossier::{
    ConfidentialityPledge, ConflictDeclaration, Dossier, GateResult, GiftEntry, IntegrityFinding, IntegrityRecord,
    TrainingEntry, WorkEntry, WorkType, all_passed, evaluate_gates,
};
pub use framework::{AssessmentMethod, Criterion, Dimension, Framework, FrameworkPin, GateRules, check_revision};
pub use panel::{
    Assessor, CriterionAggregate, PanelDraw, PanelExclusion, PanelRequest, TieReason, aggregate, aggregate_criteria,
    check_scores, draw_panel, spread_flag, verify_panel,
};
pub use paper::{ItemScore, QuestionView, Score, TestPaper, TestResult, assemble, five_point, score};
pub use questions::{ChoiceOption, Cite, Item, ItemKind, QuestionBank};

use crate::calendar::Date;
use crate::time::{civil_from_days, days_from_civil};

/// A stable code: lower-case ASCII letters, digits and single underscores, starting with a letter.
pub(crate) fn is_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('_')
        && !s.contains("__")
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a score lies on the rubric's 1–5 scale.
pub(crate) fn on_scale(score: f64) -> bool {
    (1.0..=5.0).contains(&score)
}

/// The same month and day `years` later (earlier when negative); 29 February becomes 1 March in a
/// year without it.
pub fn add_years(date: Date, years: i64) -> Date {
    let (y, m, d) = civil_from_days(date.0);
    Date::from_ymd(y + years, m, d).unwrap_or_else(|| Date(days_from_civil(y + years, 3, 1)))
}

/// Serialises a date as `YYYY-MM-DD`.
pub(crate) fn ser_date<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// Serialises an optional date as `YYYY-MM-DD` or null.
pub(crate) fn ser_opt_date<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}
