//! The web crate's integration tests: the real app on port 0, driven over HTTP (and, in
//! `browser`, through headless Chromium).

mod helpers;

mod api;
mod authz;
mod browser;
mod browser_guide;
mod browser_qualification;
mod calendar;
mod cases;
mod casework;
mod deferred;
mod durability;
mod guide;
mod insights;
mod inspections;
mod integrity;
mod keys;
mod knowledge;
mod matrix;
mod open311;
mod ops;
mod pages;
mod qa_search;
mod qualification;
mod scope;
mod settlement;
mod uploads;
