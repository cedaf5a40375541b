//! Measured campaign effects: did a proportion (cases mediated successfully, complaints closed on
//! time, inspected shops found compliant) change between before and after a campaign?
//!
//! The change is reported with a 95% confidence interval for the difference of two independent
//! proportions by Newcombe's hybrid score method (method 10 in R. G. Newcombe, "Interval estimation
//! for the difference between independent proportions: comparison of eleven methods", Statistics
//! in Medicine 17, 873–890, 1998), built from Wilson score intervals without continuity
//! correction. It behaves well for small samples and rates near 0 or 1, where the textbook Wald
//! interval does not. An interval that excludes zero is evidence of a change, not proof that the
//! campaign caused it.

use serde::{Deserialize, Serialize};

/// The standard normal quantile for a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// `hits` out of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proportion {
    pub hits: u64,
    pub n: u64,
}

impl Proportion {
    pub fn new(hits: u64, n: u64) -> Self {
        Self { hits, n }
    }

    /// `hits / n`; `None` when `n` is 0 or `hits > n`.
    pub fn rate(&self) -> Option<f64> {
        (self.n > 0 && self.hits <= self.n).then(|| self.hits as f64 / self.n as f64)
    }

    /// The Wilson score interval for the rate, `(low, high)`, without continuity correction.
    pub fn wilson(&self, z: f64) -> Option<(f64, f64)> {
        let p = self.rate()?;
        let n = self.n as f64;
        let z2 = z * z;
        let centre = 2.0 * n * p + z2;
        let spread = z * (z2 + 4.0 * n * p * (1.0 - p)).sqrt();
        let denominator = 2.0 * (n + z2);
        Some((((centre - spread) / denominator).max(0.0), ((centre + spread) / denominator).min(1.0)))
    }
}

/// The change from before to after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub before_rate: f64,
    pub after_rate: f64,
    /// `after_rate − before_rate`.
    pub difference: f64,
    /// 95% interval for the difference (Newcombe hybrid score).
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Change {
    /// Whether the interval excludes zero.
    pub fn is_significant(&self) -> bool {
        self.ci_low > 0.0 || self.ci_high < 0.0
    }
}

/// Compares two independent proportions; `None` when either has `n == 0` (or `hits > n`).
pub fn compare(before: Proportion, after: Proportion) -> Option<Change> {
    let (p1, p2) = (after.rate()?, before.rate()?);
    let (l1, u1) = after.wilson(Z_95)?;
    let (l2, u2) = before.wilson(Z_95)?;
    let difference = p1 - p2;
    let ci_low = difference - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let ci_high = difference + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    Some(Change { before_rate: p2, after_rate: p1, difference, ci_low, ci_high })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe, "Two-sided confidence intervals for the single proportion" (Statistics in
        // Medicine 17, 857–872, 1998), example 81/263: Wilson interval 0.2553 to 0.3662.
        let (l, u) = Proportion::new(81, 263).wilson(Z_95).unwrap();
        assert!(near(l, 0.2553, 5e-5) && near(u, 0.3662, 5e-5), "{l} {u}");
        // Zero hits: the interval starts at zero and is not degenerate (Wald's would be [0, 0]).
        let (l, u) = Proportion::new(0, 10).wilson(Z_95).unwrap();
        assert_eq!(l, 0.0);
        assert!(near(u, 0.2775, 5e-5), "{u}");
        let (l, u) = Proportion::new(10, 10).wilson(Z_95).unwrap();
        assert!(near(l, 0.7225, 5e-5) && u == 1.0, "{l} {u}");
    }

    #[test]
    fn newcombe_method_10_published_example() {
        // Newcombe (1998), example (a): 56/70 vs 48/80, difference 0.2000, 95% CI 0.0524 to 0.3339.
        let c = compare(Proportion::new(48, 80), Proportion::new(56, 70)).unwrap();
        assert!(near(c.difference, 0.2, 1e-12));
        assert!(near(c.ci_low, 0.0524, 5e-5) && near(c.ci_high, 0.3339, 5e-5), "{c:?}");
        assert!(c.is_significant());
        // Swapping before and after mirrors the interval.
        let m = compare(Proportion::new(56, 70), Proportion::new(48, 80)).unwrap();
        assert!(near(m.difference, -0.2, 1e-12) && near(m.ci_low, -c.ci_high, 1e-12));
        assert!(near(m.ci_high, -c.ci_low, 1e-12));
        // Example (b) in the same table: 9/10 vs 3/10, published interval 0.1705 to 0.8090.
        let d = compare(Proportion::new(3, 10), Proportion::new(9, 10)).unwrap();
        assert!(near(d.ci_low, 0.1705, 5e-5) && near(d.ci_high, 0.8090, 5e-5), "{d:?}");
        // Example (f): 5/56 vs 0/29, published interval −0.0381 to 0.1926 (includes zero).
        let f = compare(Proportion::new(0, 29), Proportion::new(5, 56)).unwrap();
        assert!(near(f.ci_low, -0.0381, 5e-5) && near(f.ci_high, 0.1926, 5e-5), "{f:?}");
        assert!(!f.is_significant());
    }

    #[test]
    fn a_campaign_raising_on_time_closure() {
        // 70/100 closed on time before, 95/100 after.
        let c = compare(Proportion::new(70, 100), Proportion::new(95, 100)).unwrap();
        assert_eq!((c.before_rate, c.after_rate), (0.7, 0.95));
        assert!(near(c.difference, 0.25, 1e-12));
        assert!(c.ci_low > 0.0 && c.ci_low < 0.25 && c.ci_high > 0.25 && c.ci_high < 0.5, "{c:?}");
        assert!(c.is_significant());
        // A small change on small samples is not significant.
        let c = compare(Proportion::new(7, 10), Proportion::new(8, 10)).unwrap();
        assert!(c.ci_low < 0.0 && c.ci_high > 0.0 && !c.is_significant(), "{c:?}");
    }

    #[test]
    fn empty_or_impossible_samples() {
        assert_eq!(compare(Proportion::new(0, 0), Proportion::new(5, 10)), None);
        assert_eq!(compare(Proportion::new(5, 10), Proportion::new(0, 0)), None);
        assert_eq!(compare(Proportion::new(11, 10), Proportion::new(5, 10)), None);
        assert_eq!(Proportion::new(0, 0).rate(), None);
        // Extremes stay within [−1, 1].
        let c = compare(Proportion::new(0, 5), Proportion::new(5, 5)).unwrap();
        assert_eq!(c.difference, 1.0);
        assert!(c.ci_low > 0.0 && c.ci_high <= 1.0, "{c:?}");
    }
}
