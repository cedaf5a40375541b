//! Cases (诉求办理) on the web: the public intake form and tracking page, and the intake pipeline
//! that the form and `POST /api/v1/cases` share.

mod enterprise;
pub mod intake;
mod public;
mod staff;
mod ties;
mod view;
mod worklog;

pub use public::{lookup as public_lookup, rate as public_rate};

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    public::router().merge(staff::router()).merge(enterprise::router()).merge(ties::router()).merge(worklog::router())
}
