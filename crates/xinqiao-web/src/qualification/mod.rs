//! 任职资格: the competency framework with its versions, candidates' applications and dossiers,
//! the timed written test, the blind panel interview, the decision report with its radar chart,
//! appeals, certificates, the officer roster and the annual review. Pages here; the same steps in
//! the JSON API (`api::qualification`) through [`service`].

pub mod dossier;
pub mod pages;
pub mod review;
pub mod roster;
pub mod service;
pub mod ties;
pub mod view;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    pages::router().merge(roster::router()).merge(review::router())
}
