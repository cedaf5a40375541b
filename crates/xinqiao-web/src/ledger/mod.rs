//! 电子台账 (issue 19): the one service (`service`), the reading of lines together (`trace`), the
//! producers' chain a level at a time (`chain`), the spreadsheet import (`import`, with `xlsx` for
//! workbooks), the pages, a case's batches (`cases`) and a warning's (`warnings`), the voucher
//! viewer (`vouchers`); the JSON doors are in `api/ledger.rs`.

pub mod cases;
pub mod chain;
pub mod import;
mod pages;
pub mod service;
mod table;
pub mod trace;
pub mod vouchers;
mod warnings;
mod xlsx;

/// The ledger's pages: the enterprise's and the officer's, and the batches of a case or a warning.
pub fn router() -> axum::Router<crate::AppState> {
    pages::router().merge(cases::router()).merge(vouchers::router()).merge(warnings::router())
}
