//! Xinqiao's rules, kept pure: no I/O, no async, no database, no HTTP.
//!
//! Typed values validate on construction (`Uscc::parse`, `RegionCode::parse`), so the rest of the
//! platform never passes bare strings for identifiers or enumerated values.

pub mod accounts;
pub mod annual_report;
pub mod audit;
pub mod audit_names;
pub mod calendar;
pub mod cases;
pub mod confidential;
pub mod confidential_pdf;
pub mod confidential_watermark;
pub mod crypto;
pub mod deadlines;
pub mod deferred;
pub mod directory;
pub mod draws;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod guide;
pub mod ids;
pub mod incidents;
pub mod insights;
pub mod integrity;
pub mod knowledge;
pub mod ledger;
pub mod open311;
pub mod privacy;
pub mod qualification;
mod region_list;
pub mod time;
pub mod totp;
pub mod xml;

pub use error::FieldError;
