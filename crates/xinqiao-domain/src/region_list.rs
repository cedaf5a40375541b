//! The GB/T 2260 division codes the identifier rules accept (`data/regions/regions.txt`: provinces,
//! prefecture- and county-level divisions of the National Bureau of Statistics' 2023 list), for
//! positions 3–8 of a 统一社会信用代码.

use std::sync::OnceLock;

const LIST: &str = include_str!("../data/regions/regions.txt");

/// Codes at the central level and of Taiwan, Hong Kong and Macau, which the statistical list
/// leaves out: 100000 (bodies registered at the central level), 710000, 810000, 820000.
const EXTRA: [u32; 4] = [100_000, 710_000, 810_000, 820_000];

fn codes() -> &'static [u32] {
    static CODES: OnceLock<Vec<u32>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut v: Vec<u32> = LIST
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .chain(EXTRA)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Whether six ASCII digits are a listed GB/T 2260 code.
pub fn listed(six: &[u8]) -> bool {
    six.len() == 6
        && six.iter().all(u8::is_ascii_digit)
        && codes().binary_search(&six.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_holds_every_level_and_the_central_code() {
        assert!(super::codes().len() > 3_000);
        for code in ["110000", "320500", "320508", "320576", "429004", "441900", "100000", "810000"] {
            assert!(super::listed(code.as_bytes()), "{code}");
        }
        for code in ["320599", "329900", "990000", "000000", "32050", "3205a8"] {
            assert!(!super::listed(code.as_bytes()), "{code}");
        }
    }
}
