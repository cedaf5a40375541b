//! 双随机、一公开: publicly verifiable random draws of inspection targets and inspectors, and the
//! rules for publishing results. Pure: the store keeps tasks and results, the web shows them.
//!
//! The life of a task, as the rest of the platform drives it:
//! 1. Build a [`DrawTask`] (pool frozen by 统一社会信用代码, inspectors by 执法证号, published
//!    exclusion pairs from [`tie_exclusions`] and [`rotation_exclusions`], announced
//!    [`RandomSource`]s with `value: None`), call [`DrawTask::canonicalize`], then
//!    [`DrawTask::validate`]; publish [`DrawTask::commitment`] with a timestamp (公示). Nothing
//!    committed may change afterwards: the commitment covers all of it except the source values.
//! 2. At reveal, set each source's `value` and call [`run`]: a [`DrawOutcome`] with the drawn
//!    targets per risk class, each target's team, and the targets that could not be staffed.
//! 3. Publish [`PublishedDraw::new`]`(task, Some(outcome)).to_json()` as TASK.json; anyone can
//!    recompute it with [`verify_file`] (`xinqiao draw verify TASK.json`).
//!
//! The bare procedure is RFC 3797, exactly ([`rfc3797`]); the documented extensions — the 4-byte
//! counter beyond 65,535 picks, the derived keys of strata and of the inspector stage, text
//! sources — are described in [`rfc3797`] and [`outcome`]; the commitment bytes in [`task`].

pub mod error;
pub mod fenwick;
pub mod outcome;
pub mod results;
pub mod rfc3797;
pub mod task;
mod validate;
pub mod verify;

#[cfg(test)]
mod tests_procedure;
#[cfg(test)]
mod tests_rfc;
#[cfg(test)]
mod tests_task;

pub use error::DrawError;
pub use outcome::{DrawOutcome, DrawnTarget, Shortfall, StratumResult, inspector_key, run, stratum_key};
pub use results::{DrawRules, PublicationRule, ResultCategories, ResultCategory};
pub use rfc3797::{SourceKind, pick_hash, select};
pub use task::{
    DrawTask, Exclusion, ExclusionReason, FORMAT, Inspector, Parameters, RandomSource, RiskClass, Sampling, Target,
    rotation_exclusions, tie_exclusions,
};
pub use verify::{Difference, PublishedDraw, Verification, first_difference, verify, verify_file};
