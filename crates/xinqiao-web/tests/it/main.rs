//! The web crate's integration tests: the real app on port 0, driven over HTTP (and, in
//! `browser`, through headless Chromium).

mod helpers;

mod api;
mod authz;
mod browser;
mod browser_ledger;
mod browser_qualification;
mod calendar;
mod cases;
mod casework;
mod durability;
mod insights;
mod inspections;
mod keys;
mod knowledge;
mod ledger;
mod matrix;
mod ops;
mod pages;
mod qa_search;
mod qualification;
mod scope;
mod settlement;
mod uploads;
