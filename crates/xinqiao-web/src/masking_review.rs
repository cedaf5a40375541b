//! The bureau setting of the officer's masking review, in a leaf module: cases (what the
//! enterprise sees), insights (public statistics) and Open311 (public requests) ask it alike.

use crate::AppState;
use crate::error::AppError;

/// The settings key: whether a complaint's text leaves the bureau (to its enterprise, to public
/// statistics, to Open311) only after an officer confirmed its masking (on unless turned off).
pub const REVIEW_SETTING: &str = "privacy.review_before_enterprise";

/// Whether the bureau requires the officer's confirmation of the masking.
pub async fn review_required(state: &AppState) -> Result<bool, AppError> {
    Ok(state.store.setting::<bool>(REVIEW_SETTING).await?.unwrap_or(true))
}
