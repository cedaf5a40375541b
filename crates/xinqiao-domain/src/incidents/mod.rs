//! 突发事件与舆情: an incident's legal clocks and the bureau's promises, its products by GTIN and
//! batch, and the checks its public statements pass before publication. Pure rules, no I/O.

pub mod clocks;
pub mod drill;
pub mod products;
pub mod promise;
pub mod redaction;
pub mod reminders;
pub mod retest;

pub use clocks::{ClockError, ClockKind, ClockRule, ClockState, Clocks, Span, Testing};
pub use products::{Batch, Gtin, Product};
pub use promise::{PromiseSpan, PromiseState};
pub mod model;
pub use model::{LinkKind, Measure, MediaItem, MediaUrl, Promise};
pub mod atom;
pub mod statements;
pub use retest::{RetestDraw, RetestPool};
pub use statements::{Refusal, StatementDraft, check_publication};
