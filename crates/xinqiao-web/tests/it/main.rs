//! The web crate's integration tests: the real app on port 0, driven over HTTP (and, in
//! `browser`, through headless Chromium).

mod helpers;

mod api;
mod authz;
mod browser;
mod browser_axe;
mod browser_guide;
mod browser_incidents;
mod browser_ledger;
mod browser_privacy;
mod browser_qualification;
mod browser_ux;
mod calendar;
mod cases;
mod casework;
mod deferred;
mod durability;
mod guide;
mod incident_pages;
mod incident_reminders;
mod incident_review;
mod incident_statements;
mod incidents;
mod insights;
mod inspections;
mod integrity;
mod keys;
mod knowledge;
mod ledger;
mod matrix;
mod modules;
mod open311;
mod openapi;
mod ops;
mod pages;
mod privacy;
mod qa_search;
mod qualification;
mod schema;
mod scope;
mod settlement;
mod tasks;
mod uploads;
mod ux;
