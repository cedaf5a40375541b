//! The search crate's integration tests: one binary, in-memory indexes (one on disk for the
//! outbox position surviving a restart).

mod cases;
mod eval;
mod helpers;
mod persistence;
mod qa;
mod ranking;
mod recovery;
