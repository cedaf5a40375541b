//! Cases (诉求): their kinds, the workflow each kind follows, and the tracking code the public
//! uses to follow one.

pub mod attachments;
pub mod independence;
pub mod intake;
pub mod limits;
pub mod similarity;
pub mod tracking;
pub mod workflow;

pub use tracking::TrackingCode;
pub use workflow::{Action, ActionKind, CaseKind, IllegalTransition, MediationResult, RejectGround, Status};
