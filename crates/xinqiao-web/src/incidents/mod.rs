//! 突发事件与舆情 (web): the service used by the staff pages and the JSON API, and the views of
//! an incident's clocks and promises; the enterprise's page of the incidents about it.

mod party;
pub mod public;
mod records;
pub mod reminders;
pub mod service;
mod staff;
pub mod view;

pub fn router() -> axum::Router<crate::AppState> {
    staff::router().merge(records::router()).merge(party::router())
}
