//! Early warnings: counts that are improbably high against a baseline, under a Poisson model.
//!
//! An enterprise whose complaints in the last 7 days far exceed its 90-day rate, or a category
//! whose week is far above the same week in prior years, raises a [`Signal`] for a person to look
//! at. A signal is a prompt to look, not a finding. The thresholds ([`SpikeRule`]) are Xinqiao's
//! defaults, chosen to keep false alarms rare; they are not legal or regulatory rules, and a bureau
//! may tune them.

use serde::{Deserialize, Serialize};

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, n = 9; relative error around 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + G + 0.5;
    let series = C[1..].iter().enumerate().fold(C[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// `ln P(X = k)` for `X ~ Poisson(lambda)`, `lambda > 0`.
fn ln_pmf(k: u64, lambda: f64) -> f64 {
    k as f64 * lambda.ln() - lambda - ln_gamma(k as f64 + 1.0)
}

/// `P(X ≥ k)` for `X ~ Poisson(lambda)`.
///
/// Sums the smaller side in log space relative to its largest term: the upper tail from `k`
/// upwards when `k > lambda` (terms fall geometrically, so tiny p-values keep full relative
/// precision), otherwise one minus the lower tail from `k − 1` downwards. `lambda ≤ 0` (or NaN)
/// is treated as no events expected.
pub fn poisson_sf(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda.is_nan() || lambda <= 0.0 {
        return 0.0;
    }
    if lambda.is_infinite() {
        return 1.0;
    }
    if k as f64 > lambda {
        // Terms p(k), p(k+1), … with ratio lambda / (i + 1) < 1.
        let (mut sum, mut term, mut i) = (1.0f64, 1.0f64, k);
        loop {
            term *= lambda / (i + 1) as f64;
            i += 1;
            sum += term;
            if term < sum * 1e-17 {
                break;
            }
        }
        (ln_pmf(k, lambda) + sum.ln()).exp().min(1.0)
    } else {
        // Terms p(k−1), p(k−2), …, p(0) with ratio i / lambda ≤ 1.
        let (mut sum, mut term, mut i) = (1.0f64, 1.0f64, k - 1);
        while i > 0 {
            term *= i as f64 / lambda;
            i -= 1;
            sum += term;
            if term < sum * 1e-17 {
                break;
            }
        }
        let lower = (ln_pmf(k - 1, lambda) + sum.ln()).exp();
        (1.0 - lower).clamp(0.0, 1.0)
    }
}

/// When a count is flagged: at least `min_count` events, and a Poisson upper-tail p-value below
/// `alpha` against an expectation no lower than `baseline_floor` (so a first complaint against an
/// enterprise with no history is not "infinitely" surprising).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpikeRule {
    pub min_count: u64,
    pub alpha: f64,
    pub baseline_floor: f64,
}

impl SpikeRule {
    /// Xinqiao's default for complaints about one enterprise: at least 5 in 7 days, p < 0.001,
    /// expecting at least one a week. Not a legal rule.
    pub fn enterprise() -> Self {
        Self { min_count: 5, alpha: 0.001, baseline_floor: 1.0 }
    }

    /// Xinqiao's default for prepaid-card (预付式消费) complaints, where a closing shop harms many
    /// card holders at once: more sensitive — at least 3 in 7 days, p < 0.01, expecting at least
    /// half a complaint a week. Not a legal rule.
    pub fn prepaid() -> Self {
        Self { min_count: 3, alpha: 0.01, baseline_floor: 0.5 }
    }

    fn check(&self, observed: u64, expected: f64) -> Option<Signal> {
        let expected = if expected.is_finite() { expected.max(self.baseline_floor) } else { self.baseline_floor };
        if observed < self.min_count {
            return None;
        }
        let p_value = poisson_sf(observed, expected);
        (p_value < self.alpha).then_some(Signal { observed, expected, p_value })
    }
}

/// A flagged count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub observed: u64,
    /// The Poisson mean it was tested against (after the floor).
    pub expected: f64,
    /// `P(X ≥ observed)` under that mean.
    pub p_value: f64,
}

/// An enterprise's last 7 days against its preceding 90 days: expected = `baseline_90d × 7 / 90`,
/// floored at `rule.baseline_floor`.
pub fn enterprise_spike(recent_7d: u64, baseline_90d: u64, rule: SpikeRule) -> Option<Signal> {
    rule.check(recent_7d, baseline_90d as f64 * 7.0 / 90.0)
}

/// A category's (or area's) 7-day window against the same calendar window in prior years, so that
/// seasonal peaks (双十一 online shopping, 开学季 training, 春节 travel) are not flagged every
/// year. Expected = the mean of `same_window_prior_years` when any are given; without history,
/// the trailing 28 days' weekly rate `trailing_28d × 7 / 28`. Floored at `rule.baseline_floor`.
pub fn seasonal_surge(
    current_7d: u64,
    same_window_prior_years: &[u64],
    trailing_28d: u64,
    rule: SpikeRule,
) -> Option<Signal> {
    let expected = if same_window_prior_years.is_empty() {
        trailing_28d as f64 * 7.0 / 28.0
    } else {
        same_window_prior_years.iter().map(|&n| n as f64).sum::<f64>() / same_window_prior_years.len() as f64
    };
    rule.check(current_7d, expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    /// `P(X ≥ k)` by direct summation of the lower tail, for small lambda.
    fn naive_sf(k: u64, lambda: f64) -> f64 {
        let mut term = (-lambda).exp();
        let mut lower = 0.0;
        for i in 0..k {
            lower += term;
            term *= lambda / (i + 1) as f64;
        }
        1.0 - lower
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        let mut f = 1.0f64;
        for n in 1..30u32 {
            f *= f64::from(n);
            assert!(close(ln_gamma(f64::from(n) + 1.0), f.ln(), 1e-13), "{n}");
        }
        assert!(close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-13));
        assert!(ln_gamma(1.0).abs() < 1e-14 && ln_gamma(2.0).abs() < 1e-14);
    }

    #[test]
    fn poisson_tail_known_values() {
        assert!((poisson_sf(4, 1.0) - 0.018_988).abs() < 5e-7, "{}", poisson_sf(4, 1.0));
        assert!((poisson_sf(20, 10.0) - 0.003_454).abs() < 5e-7, "{}", poisson_sf(20, 10.0));
        // P(X ≥ 1) = 1 − e^−λ; P(X ≥ 2) at λ = 2 is 1 − 3e^−2.
        assert!(close(poisson_sf(1, 0.3), 1.0 - (-0.3f64).exp(), 1e-13));
        assert!(close(poisson_sf(2, 2.0), 1.0 - 3.0 * (-2.0f64).exp(), 1e-13));
        for (k, lambda) in [(3, 0.5), (7, 2.5), (12, 12.0), (5, 9.0), (30, 20.0), (1, 5.0)] {
            assert!(close(poisson_sf(k, lambda), naive_sf(k, lambda), 1e-9), "{k} {lambda}");
        }
        // The median of Poisson(100) is 100: the tail from 100 is a bit above one half.
        let mid = poisson_sf(100, 100.0);
        assert!(mid > 0.5 && mid < 0.56, "{mid}");
    }

    #[test]
    fn poisson_tail_edges_and_extremes() {
        assert_eq!(poisson_sf(0, 3.0), 1.0);
        assert_eq!(poisson_sf(0, 0.0), 1.0);
        assert_eq!(poisson_sf(1, 0.0), 0.0);
        assert_eq!(poisson_sf(1, -1.0), 0.0);
        assert_eq!(poisson_sf(1, f64::NAN), 0.0);
        // Far tails stay positive and finite where 1 − CDF would round to zero.
        let tiny = poisson_sf(100, 1.0);
        assert!(tiny > 0.0 && tiny < 1e-150, "{tiny}");
        // P(X ≥ 100 | 1) ≈ P(X = 100) = e^−1 / 100!, and the next term is 1% of it.
        assert!(close(tiny, (-1.0 - ln_gamma(101.0)).exp() * 1.0101, 1e-3));
        assert!(close(poisson_sf(1, 1e-12), 1e-12, 1e-6), "{}", poisson_sf(1, 1e-12));
        let big = poisson_sf(1_000_000, 1_000_000.0);
        assert!(big > 0.49 && big < 0.51, "{big}");
        assert!(poisson_sf(1_200_000, 1_000_000.0) < 1e-300);
        assert!(poisson_sf(800_000, 1_000_000.0) > 1.0 - 1e-12);
        // Monotone in k and in lambda.
        for k in 1..40 {
            assert!(poisson_sf(k + 1, 10.0) <= poisson_sf(k, 10.0));
            assert!(poisson_sf(k, 10.0) <= poisson_sf(k, 10.5));
        }
    }

    #[test]
    fn a_prepaid_card_spike_is_flagged() {
        // 0–1 complaints a week for 13 weeks (7 in 90 days), then 6 in one week.
        let weekly = [0u64, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1];
        let baseline: u64 = weekly.iter().sum();
        let s = enterprise_spike(6, baseline, SpikeRule::prepaid()).expect("flagged");
        assert_eq!(s.observed, 6);
        assert!(close(s.expected, 7.0 * 7.0 / 90.0, 1e-12));
        assert!(s.p_value < 1e-4, "{s:?}");
        // The enterprise default, stricter, also flags six against a floor of one a week.
        assert!(enterprise_spike(6, baseline, SpikeRule::enterprise()).is_some());
        // A normal week does not.
        assert_eq!(enterprise_spike(1, baseline, SpikeRule::prepaid()), None);
    }

    #[test]
    fn a_steady_high_volume_enterprise_is_not_flagged() {
        // About 40 a week for 90 days, 44 this week.
        let baseline = 40 * 90 / 7;
        assert_eq!(enterprise_spike(44, baseline, SpikeRule::enterprise()), None);
        assert_eq!(enterprise_spike(44, baseline, SpikeRule::prepaid()), None);
        // But doubling is.
        let s = enterprise_spike(80, baseline, SpikeRule::enterprise()).unwrap();
        assert!(s.p_value < 1e-6 && close(s.expected, 40.0, 0.01), "{s:?}");
    }

    #[test]
    fn min_count_and_floor_are_respected() {
        // No history at all: expected is the floor, so 4 prepaid complaints (p ≈ 0.0018) are
        // flagged, 3 (p ≈ 0.014) are not; for the enterprise rule 4 is below min_count.
        let prepaid = SpikeRule::prepaid();
        assert!(enterprise_spike(4, 0, prepaid).is_some());
        assert_eq!(enterprise_spike(3, 0, prepaid), None);
        assert_eq!(enterprise_spike(4, 0, SpikeRule::enterprise()), None);
        let s = enterprise_spike(4, 0, prepaid).unwrap();
        assert_eq!(s.expected, 0.5);
        // With a tiny floor, 2 events would be very improbable, yet min_count keeps them quiet.
        let rule = SpikeRule { min_count: 3, alpha: 0.05, baseline_floor: 0.01 };
        assert!(poisson_sf(2, 0.01) < 0.05);
        assert_eq!(enterprise_spike(2, 0, rule), None);
        assert!(enterprise_spike(3, 0, rule).is_some());
        // Exactly at alpha is not below it.
        let p = poisson_sf(5, 1.0);
        assert_eq!(enterprise_spike(5, 0, SpikeRule { min_count: 1, alpha: p, baseline_floor: 1.0 }), None);
    }

    #[test]
    fn seasonal_surge_uses_prior_years_then_the_trailing_rate() {
        let rule = SpikeRule::enterprise();
        // 双十一 week: 120 complaints, as in prior years (110, 125, 118): not a surge, even though
        // the trailing four weeks ran at 30 a week.
        assert_eq!(seasonal_surge(120, &[110, 125, 118], 120, rule), None);
        let s = seasonal_surge(120, &[], 120, rule).expect("without history it is a surge");
        assert!(close(s.expected, 30.0, 1e-12));
        // Far above prior years is a surge.
        let s = seasonal_surge(200, &[110, 125, 118], 120, rule).unwrap();
        assert!(close(s.expected, 353.0 / 3.0, 1e-12) && s.p_value < 1e-10, "{s:?}");
        // Floor and min_count apply here too.
        assert_eq!(seasonal_surge(4, &[0, 0], 0, rule), None);
        assert_eq!(seasonal_surge(6, &[0, 0], 0, rule).unwrap().expected, 1.0);
    }
}
