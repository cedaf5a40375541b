//! 电子台账 (issue 19): the one service (`service`), the reading of lines together (`trace`), and
//! the pages; the JSON doors are in `api/ledger.rs`.

pub mod import;
mod pages;
pub mod service;
pub mod trace;

pub use pages::router;
