//! Cases (诉求办理) on the web: the public intake form and tracking page, and the intake pipeline
//! that the form and `POST /api/v1/cases` share.

mod actions;
pub mod bulk;
pub mod desk;
mod enterprise;
pub mod files;
pub mod handling;
pub mod intake;
pub mod odr;
pub mod portal;
pub mod privacy;
mod public;
pub(crate) mod queue;
mod receipt;
mod sealing;
pub(crate) mod service;
mod staff;
mod steps;
mod submit;
pub mod ties;
mod track;
pub(crate) mod view;
mod worklog;

pub use queue::PAGE_SIZE as QUEUE_PAGE_SIZE;
pub use track::{
    answer_settlement as public_answer_settlement, lookup as public_lookup, rate as public_rate,
    supplement as public_supplement,
};
pub(crate) use view::shown_code as shown_tracking_code;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    public::router()
        .merge(track::router())
        .merge(staff::router())
        .merge(enterprise::router())
        .merge(ties::router())
        .merge(worklog::router())
        .merge(files::router())
        .merge(odr::router())
        .merge(receipt::router())
        .merge(queue::router())
        .merge(submit::router())
}
