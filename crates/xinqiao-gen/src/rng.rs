//! A small, fast, seedable generator (SplitMix64) and the sampling helpers the data generator
//! needs. Not for secrets: only for reproducible synthetic data.

/// SplitMix64: one 64-bit state, passes BigCrush, and any state is a fine starting point — so a
/// stream per case is just `Rng::new(mix(seed, case))`.
#[derive(Debug, Clone)]
pub struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 finaliser: a bijection on `u64` that scatters neighbouring inputs.
pub fn mix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(mix(seed ^ 0x5851_F42D_4C95_7F2D))
    }

    /// An independent stream for item `index` of a run seeded with `seed`.
    pub fn stream(seed: u64, salt: u64, index: u64) -> Self {
        Self::new(mix(seed.wrapping_add(salt.wrapping_mul(GOLDEN))) ^ index.wrapping_mul(GOLDEN))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift (bias below 2^-32 for the sizes used).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent / 100`.
    pub fn percent(&mut self, percent: u32) -> bool {
        self.below(100) < u64::from(percent)
    }

    /// True with probability `per_mille / 1000`.
    pub fn per_mille(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// One of a list of texts.
    pub fn text(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Sampling by weight: cumulative integer weights and a binary search.
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    /// Weights may be zero; at least one must be positive.
    pub fn new(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut total = 0u64;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Self { cumulative }
    }

    /// Zipf weights `1 / rank` (exponent 1) for `n` ranks, in integers: rank 1 of 1,000 draws
    /// about 13% of the draws.
    pub fn zipf(n: usize) -> Self {
        Self::new((1..=n as u64).map(|rank| (1u64 << 40) / rank))
    }

    /// An index drawn in proportion to its weight.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().expect("non-empty weights");
        let r = rng.below(total);
        self.cumulative.partition_point(|&c| c <= r)
    }
}

/// Picks from `(weight, item)` pairs without building a table (short, static lists).
pub fn pick_weighted<'a, T>(rng: &mut Rng, items: &'a [(u32, T)]) -> &'a T {
    let total: u32 = items.iter().map(|(w, _)| w).sum();
    let mut r = rng.below(u64::from(total)) as u32;
    for (w, item) in items {
        if r < *w {
            return item;
        }
        r -= w;
    }
    &items[items.len() - 1].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(1, 2, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::stream(1, 2, 3).next_u64(), Rng::stream(1, 2, 4).next_u64());
        assert_ne!(Rng::stream(1, 2, 3).next_u64(), Rng::stream(2, 2, 3).next_u64());
    }

    #[test]
    fn weighted_sampling_follows_weights() {
        let w = Weighted::new([0, 1, 3]);
        let mut rng = Rng::new(7);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[w.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[0], 0);
        assert!((counts[2] as f64 / counts[1] as f64 - 3.0).abs() < 0.2, "{counts:?}");
        let z = Weighted::zipf(1000);
        let top = (0..10_000).filter(|_| z.sample(&mut rng) == 0).count();
        assert!(top > 1000, "rank 1 draws about 13%: {top}");
    }
}
