//! What one case contributes to the insights cube: its row [`Key`] and additive [`Measures`].
//!
//! Re-exported by [`super::cube`], where these types are documented in context.

use super::taxonomy::UNCLASSIFIED;
use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Additive counts for a set of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Measures {
    pub received: i64,
    /// Taken up by the bureau (accepted, verified) or settled with the enterprise directly: what
    /// public statistics count, so that a submission nobody has looked at counts nowhere.
    pub accepted: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub mediated: i64,
    pub mediated_success: i64,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub recovered_cents: i64,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Measures {
    fn zip(self, o: Self, f: impl Fn(i64, i64) -> i64) -> Self {
        Self {
            received: f(self.received, o.received),
            accepted: f(self.accepted, o.accepted),
            closed: f(self.closed, o.closed),
            closed_on_time: f(self.closed_on_time, o.closed_on_time),
            mediated: f(self.mediated, o.mediated),
            mediated_success: f(self.mediated_success, o.mediated_success),
            rating_sum: f(self.rating_sum, o.rating_sum),
            rating_count: f(self.rating_count, o.rating_count),
            recovered_cents: f(self.recovered_cents, o.recovered_cents),
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Self::default()
    }

    /// Closed on time among closed cases.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.closed_on_time, self.closed)
    }

    /// Successful mediations among mediated cases.
    pub fn mediation_success_rate(&self) -> Option<f64> {
        ratio(self.mediated_success, self.mediated)
    }

    /// Mean satisfaction rating among rated cases.
    pub fn average_rating(&self) -> Option<f64> {
        ratio(self.rating_sum, self.rating_count)
    }
}

impl Add for Measures {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        self.zip(o, |a, b| a + b)
    }
}

impl Sub for Measures {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        self.zip(o, |a, b| a - b)
    }
}

impl Neg for Measures {
    type Output = Self;
    fn neg(self) -> Self {
        Self::default() - self
    }
}

impl AddAssign for Measures {
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}

impl SubAssign for Measures {
    fn sub_assign(&mut self, o: Self) {
        *self = *self - o;
    }
}

/// The coordinates of a cube row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    /// Day received, days since 1970-01-01 (China Standard Time).
    pub day: i64,
    /// Region code of the handling bureau.
    pub bureau: String,
    pub kind: String,
    /// Nature code, or [`UNCLASSIFIED`].
    pub category: String,
    /// GB/T 4754 section letter; empty when unknown.
    pub industry: String,
    /// Enterprise key (USCC or name); empty when the case names none.
    pub enterprise: String,
}

/// What one case contributes to the cube.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFacts {
    pub received_day: i64,
    pub bureau: String,
    pub kind: String,
    /// Nature code; empty when not classified yet.
    pub category: String,
    pub industry: String,
    pub enterprise: String,
    /// Taken up by the bureau or settled directly (see [`Measures::accepted`]).
    pub accepted: bool,
    pub closed: bool,
    /// Counts only for a closed case.
    pub closed_on_time: bool,
    /// `Some(success)` once mediation ended.
    pub mediation: Option<bool>,
    pub rating: Option<u8>,
    pub recovered_cents: i64,
}

impl CaseFacts {
    /// The row this case belongs to and what it adds there.
    pub fn contribution(&self) -> (Key, Measures) {
        let key = Key {
            day: self.received_day,
            bureau: self.bureau.clone(),
            kind: self.kind.clone(),
            category: if self.category.is_empty() { UNCLASSIFIED.to_owned() } else { self.category.clone() },
            industry: self.industry.clone(),
            enterprise: self.enterprise.clone(),
        };
        let measures = Measures {
            received: 1,
            accepted: i64::from(self.accepted),
            closed: i64::from(self.closed),
            closed_on_time: i64::from(self.closed && self.closed_on_time),
            mediated: i64::from(self.mediation.is_some()),
            mediated_success: i64::from(self.mediation == Some(true)),
            rating_sum: self.rating.map_or(0, i64::from),
            rating_count: i64::from(self.rating.is_some()),
            recovered_cents: self.recovered_cents,
        };
        (key, measures)
    }
}
