//! 政策问答: the pure part of the plain-language policy knowledge base.
//!
//! - [`laws`](mod@laws): the registry of laws and regulations, their versions and statuses, citations.
//! - [`entry`]: a Q&A entry's content and its hard checks.
//! - [`lifecycle`]: 草稿 → 待审 → 已发布 → 已废止, and 待复核 when a cited law changes.
//! - [`cascade`]: which entries become 待复核 after a law change.
//! - [`diff`]: a readable diff between two versions of an entry.
//! - [`gaps`]: the public's unanswered questions, grouped by wording and counted per week.
//! - [`plain`]: the plain-language check (说人话检查).
//!
//! Shipped data (compiled in): `data/laws.toml`, `data/qa-starter.toml` (examples awaiting legal
//! review) and `data/plain-language.toml`.

pub mod cascade;
mod dates;
pub mod diff;
pub mod entry;
pub mod gaps;
pub mod laws;
pub mod lifecycle;
pub mod plain;

#[cfg(test)]
mod tests_laws;
#[cfg(test)]
mod tests_plain;
#[cfg(test)]
mod tests_starter;

pub use cascade::{Cascade, Citing, affected_by, cascade};
pub use diff::{DiffOp, FieldDiff, diff_entries, diff_lines, diff_text};
pub use entry::{ANSWER_TARGET_CHARS, Audience, QaEntry, entries_from_toml, industry_label};
pub use gaps::{Gap, GapGroup, GapReason, group_gaps, week_of};
pub use laws::{Citation, Law, LawChange, LawStatus, LawVersion, Successor, changes_between, laws_from_toml};
pub use lifecycle::{IllegalQaTransition, QaAction, QaStatus, SelfReview, allowed, apply, check_reviewer};
pub use plain::{EntryFinding, Finding, FindingKind, JargonTerm, Rules, lint, lint_entry};

/// The law registry shipped with Xinqiao.
pub const LAWS_TOML: &str = include_str!("../../data/laws.toml");
/// The starter Q&A entries (examples awaiting legal review).
pub const QA_STARTER_TOML: &str = include_str!("../../data/qa-starter.toml");
/// The plain-language check's dictionary and thresholds.
pub const PLAIN_LANGUAGE_TOML: &str = include_str!("../../data/plain-language.toml");

/// Bad knowledge data (a registry, entry or rules file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KnowledgeError {
    #[error("政策问答数据有误：{0}")]
    BadData(String),
}

/// The shipped law registry.
pub fn laws() -> Vec<Law> {
    laws_from_toml(LAWS_TOML).expect("the shipped laws.toml is valid (tested)")
}

/// The shipped starter entries, citations resolved against [`laws()`].
pub fn starter_entries() -> Vec<QaEntry> {
    entries_from_toml(QA_STARTER_TOML, &laws()).expect("the shipped qa-starter.toml is valid (tested)")
}
