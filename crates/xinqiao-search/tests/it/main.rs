//! The search crate's integration tests: one binary, in-memory indexes (one on disk for the
//! outbox position surviving a restart).

mod cases;
mod helpers;
mod persistence;
mod qa;
mod recovery;
