//! Cases (诉求办理) on the web: the public intake form and tracking page, and the intake pipeline
//! that the form and `POST /api/v1/cases` share.

pub mod bulk;
mod enterprise;
pub(crate) mod files;
pub mod intake;
pub mod odr;
mod public;
mod staff;
mod ties;
pub(crate) mod view;
mod worklog;

pub use public::{
    answer_settlement as public_answer_settlement, lookup as public_lookup, rate as public_rate,
    supplement as public_supplement,
};

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    public::router()
        .merge(staff::router())
        .merge(enterprise::router())
        .merge(ties::router())
        .merge(worklog::router())
        .merge(files::router())
        .merge(odr::router())
}
