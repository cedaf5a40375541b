//! Tests of the bare RFC 3797 procedure: canonicalisation, the RFC's worked example (§6), the
//! counter extension, and the fast selection against the textbook one.

use super::DrawError;
use super::fenwick::Remaining;
use super::rfc3797::{self, SourceKind, pick_hash, select, select_naive};
use std::collections::HashSet;

/// A small linear congruential generator (Knuth's MMIX constants): property tests without deps.
pub(super) struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const RFC_KEY: &str = "9319./2.5.8.10.12./9.18.26.34.41.45./";

fn rfc_key() -> String {
    let sources = [
        (SourceKind::Numbers, "9319"),
        (SourceKind::Numbers, "2 5 12 8 10"),
        (SourceKind::Numbers, "9 18 26 34 41 45"),
    ];
    rfc3797::key(sources).unwrap()
}

#[test]
fn numbers_are_sorted_stripped_dotted_and_closed() {
    assert_eq!(rfc_key(), RFC_KEY);
    let n = SourceKind::Numbers;
    assert_eq!(n.canonical("007, 3，10、3；0").unwrap(), "0.3.3.7.10./", "duplicates kept, zeros stripped");
    assert_eq!(n.canonical("  ０９　１２ ").unwrap(), "9.12./", "full-width digits and spaces");
    assert_eq!(
        n.canonical("100000000000000000000000000000000000000 99").unwrap(),
        "99.100000000000000000000000000000000000000./",
        "integers of any length, compared as numbers"
    );
    assert!(n.canonical("12.5").is_err(), "fractions must be announced as integers");
    assert!(n.canonical("-3").is_err());
    assert!(n.canonical(" , ").is_err(), "no numbers");
}

#[test]
fn text_sources_are_one_item_with_whitespace_collapsed() {
    let t = SourceKind::Text;
    assert_eq!(t.canonical("  雪  莲\t花 ").unwrap(), "雪 莲 花./");
    assert_eq!(t.canonical("W 4-1").unwrap(), "W 4-1./", "case and punctuation kept as typed");
    assert!(t.canonical("   ").is_err());
    assert!(t.canonical("a\u{7}b").is_err(), "control characters refused");
    let key = rfc3797::key([(SourceKind::Numbers, "9319"), (t, "雪 莲  花")]).unwrap();
    assert_eq!(key, "9319./雪 莲 花./");
    // Cross-checked with Python: hashlib.md5(b"\0\0" + key.encode() + b"\0\0").hexdigest().
    assert_eq!(format!("{:032x}", pick_hash(key.as_bytes(), 0)), "9e5d925e4f229087a7729b61d598951b");
    assert_eq!(rfc3797::key([(SourceKind::Numbers, "1"), (SourceKind::Numbers, "x")]), Err((1, rfc3797_reason())));
}

fn rfc3797_reason() -> &'static str {
    SourceKind::Numbers.canonical("x").unwrap_err()
}

#[test]
fn kinds_are_detected_for_the_bare_command() {
    assert_eq!(SourceKind::detect("2 5 12 8 10"), SourceKind::Numbers);
    assert_eq!(SourceKind::detect("０９，１２"), SourceKind::Numbers);
    assert_eq!(SourceKind::detect("W 4-1"), SourceKind::Text);
    assert_eq!(SourceKind::detect("12.5"), SourceKind::Text);
    assert_eq!(SourceKind::detect(""), SourceKind::Text);
}

/// RFC 3797 §6 "Fully Worked Example": 25 volunteers, the three sources above. The MD5 values
/// and the selection are the RFC's table (as reproduced in the test data of several independent
/// implementations and recomputed here with Python's hashlib).
#[test]
fn rfc3797_worked_example() {
    let key = rfc_key();
    let digests = [
        "990DD0A5692A029A98B5E01AA28F3459",
        "3691E55CB63FCC37914430B2F70B5EC6",
        "FE814EDF564C190AC1D25753979990FA",
        "1863CCACEB568C31D7DDBDF1D4E91387",
        "F4AB33DF4889F0AF29C513905BE1D758",
        "13EAEB529F61ACFB9A29D0BA3A60DE4A",
        "992DB77C382CA2BDB9727001F3CDCCD9",
        "63AB4258ECA922976811C7F55C383CE7",
        "DFBC5AC97CED01B3A6E348E3CC63F40D",
        "31CB111C4A4EBE9287CEAE16FE51B909",
        "07FA46C122F164C215BBC72793B189A3",
        "AC52F8D75CCBE2E61AFEB3387637D501",
        "53306F73E14FC0B2FBF434218D25948E",
        "B5D1403501A81F9A47318BE7893B347C",
        "85B10B356AA06663EF1B1B407765100A",
        "3269E6CE559ABD57E2BA6AAB495EB9BD",
    ];
    for (i, d) in digests.iter().enumerate() {
        assert_eq!(format!("{:032X}", pick_hash(key.as_bytes(), i as u64)), *d, "digest of pick {}", i + 1);
    }
    let picked: Vec<usize> = select(key.as_bytes(), 25, 16).unwrap().into_iter().map(|p| p + 1).collect();
    assert_eq!(picked, [17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4]);
    let names = [
        "John",
        "Mary",
        "Bashful",
        "Dopey",
        "Sleepy",
        "Grouchy",
        "Doc",
        "Sneazy",
        "Handsome",
        "Cassandra",
        "Pollyanna",
        "Pendragon",
        "Pandora",
        "Faith",
        "Hope",
        "Charity",
        "Lee",
        "Longsuffering",
        "Chastity",
        "Smith",
        "Pride",
        "Sloth",
        "Envy",
        "Anger",
        "Kasczynski",
    ];
    let first_ten: Vec<&str> = picked[..10].iter().map(|&p| names[p - 1]).collect();
    assert_eq!(
        first_ten,
        ["Lee", "Doc", "Mary", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity", "Pandora"]
    );
}

#[test]
fn big_pools_match_an_independent_implementation() {
    // Python: pool = list(range(1, 1_000_001)); pop(int.from_bytes(md5(c + key + c), "big") % len(pool)).
    let picked: Vec<usize> = select(RFC_KEY.as_bytes(), 1_000_000, 10).unwrap().into_iter().map(|p| p + 1).collect();
    assert_eq!(picked, [665242, 937991, 421561, 962470, 788747, 129384, 320323, 32331, 160080, 416911]);
}

#[test]
fn the_counter_grows_to_four_bytes_after_65535() {
    let k = RFC_KEY.as_bytes();
    // Python: hashlib.md5(i.to_bytes(n, "big") + key + i.to_bytes(n, "big")).hexdigest().
    assert_eq!(format!("{:032x}", pick_hash(k, 65_535)), "dad0ae7ff9b726d94454d1170acea1e9", "2 bytes");
    assert_eq!(format!("{:032x}", pick_hash(k, 65_536)), "d8e78f06aba7dc4fe089aa112a7e0cc1", "4 bytes");
    assert_eq!(format!("{:032x}", pick_hash(k, 70_000)), "122d599e06da29f42b4e34baa4f1e637");
    let picks = select(k, 70_000, 66_000).unwrap();
    assert_eq!(picks.len(), 66_000);
    assert_eq!(picks.iter().collect::<HashSet<_>>().len(), 66_000, "still distinct past the RFC's limit");
}

#[test]
fn too_many_picks_are_refused() {
    assert_eq!(select(b"k", 3, 4), Err(DrawError::CountExceedsPool { count: 4, pool: 3 }));
    assert_eq!(select(b"k", 0, 0), Ok(vec![]));
}

#[test]
fn a_draw_is_a_permutation_prefix_and_repeatable() {
    let mut rng = Lcg(7);
    for round in 0..200 {
        let n = 1 + rng.below(300) as usize;
        let k = rng.below(n as u64 + 1) as usize;
        let key = format!("{}./{}./", rng.next(), round);
        let a = select(key.as_bytes(), n, k).unwrap();
        assert_eq!(a.len(), k);
        assert!(a.iter().all(|&p| p < n), "in range");
        assert_eq!(a.iter().collect::<HashSet<_>>().len(), k, "distinct");
        assert_eq!(a, select(key.as_bytes(), n, k).unwrap(), "identical inputs, identical draw");
        // A longer draw with the same inputs starts with the shorter one.
        assert_eq!(select(key.as_bytes(), n, n).unwrap()[..k], a[..]);
        if k == n {
            let mut all = a.clone();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>(), "a full draw is a permutation");
        }
    }
}

#[test]
fn the_order_statistic_tree_equals_removal_from_a_list() {
    let mut rng = Lcg(2026);
    for round in 0..300 {
        let n = 1 + rng.below(200) as usize;
        let k = rng.below(n as u64 + 1) as usize;
        let key = format!("{}./{round}./", rng.next());
        assert_eq!(select(key.as_bytes(), n, k).unwrap(), select_naive(key.as_bytes(), n, k), "n={n} k={k}");
    }
    // Mixed removals and insertions against a sorted Vec.
    let mut tree = Remaining::full(64);
    let mut list: Vec<usize> = (0..64).collect();
    for _ in 0..2_000 {
        let p = rng.below(64) as usize;
        if rng.below(2) == 0 {
            assert_eq!(tree.remove(p), list.contains(&p));
            list.retain(|&x| x != p);
        } else if tree.insert(p) {
            list.push(p);
            list.sort_unstable();
        }
        assert_eq!(tree.len(), list.len());
        if !list.is_empty() {
            let k = rng.below(list.len() as u64) as usize;
            assert_eq!(tree.kth(k), list[k]);
        }
    }
}
