//! 电子台账: the rules of enterprises' purchase, sales and raw-material records — GS1 codes,
//! retention periods per law, entries and their corrections. Pure: the store and web call these.

pub mod claim;
pub mod entry;
pub mod gs1;
pub mod gs1_facts;
pub mod production;
pub mod retention;

pub use claim::{Claim, Comparison, DateKind};
pub use entry::{Alert, Batch, CorrectionReason, EntryKind, Quantity, RecallKind, Unit};
pub use gs1::{ElementString, Gs1Error, Gtin};
pub use production::{ChainFacts, ChainLine, Lot};
pub use retention::{Category, Retention, RetentionRules, Shelf};
