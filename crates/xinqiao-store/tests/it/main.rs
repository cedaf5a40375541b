//! The store's conformance suite: every test runs on SQLite, and on PostgreSQL as well when
//! `XINQIAO_TEST_PG` names a server, each on a fresh database of its own.

mod helpers;

mod accounts;
mod annual_reports;
mod audit;
mod cases;
mod deferred;
mod durability;
mod enterprises;
mod failover;
mod import;
mod incidents;
mod insights;
mod inspections;
mod integrity;
mod knowledge;
mod ledger;
mod ledger_chain;
mod ledger_plans;
mod ledger_sums;
mod migrations;
mod open311;
mod privacy;
mod qa_gaps;
mod qualification;
mod settlement;
