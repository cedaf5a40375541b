//! Insights: where complaints concentrate, early warnings, and the measured effect of campaigns.
//!
//! Pure computation over data the store hands in — no I/O:
//! - [`taxonomy`]: the problem taxonomy (nature × goods/service), shipped as editable data;
//! - [`classifier`]: category suggestions from a masked narrative (keyword rules, then a naive
//!   Bayes model trained on staff-confirmed categories);
//! - [`cube`]: the in-memory roll-up cube behind the dashboards, kept equal to a recount;
//! - [`warnings`]: Poisson spike tests for enterprises and seasonal surges;
//! - [`campaign`]: before/after comparisons of proportions with Newcombe intervals.

pub mod campaign;
pub mod classifier;
pub mod cube;
mod dashboard;
mod facts;
pub mod taxonomy;
pub mod warnings;
pub mod yoy;

pub use campaign::{Change, Proportion, compare};
pub use classifier::{Evaluation, NaiveBayes, Source, Suggestion, evaluate, suggest, tokens};
pub use cube::{CaseFacts, Cube, Dashboard, Filter, Key, Measures, ParetoRow, recount, region_covers};
pub use taxonomy::{Axis, Entry, SubjectGroup, Taxonomy, TaxonomyError};
pub use warnings::{Signal, SpikeRule, enterprise_spike, poisson_sf, seasonal_surge};
pub use yoy::{YOY_MINIMUM, year_on_year};
