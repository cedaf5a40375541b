//! Tests of the roll-up cube: measure arithmetic, region scopes, a hand-checked dashboard, and a
//! property test that replays random case histories and compares the cube with a recount.

use super::*;

fn m(received: i64, closed: i64) -> Measures {
    Measures { received, closed, ..Measures::default() }
}

fn case(day: i64, bureau: &str, kind: &str, category: &str, industry: &str, enterprise: &str) -> CaseFacts {
    CaseFacts {
        received_day: day,
        bureau: bureau.into(),
        kind: kind.into(),
        category: category.into(),
        industry: industry.into(),
        enterprise: enterprise.into(),
        ..CaseFacts::default()
    }
}

#[test]
fn measures_add_subtract_and_rates() {
    let a = Measures { received: 3, closed: 2, closed_on_time: 1, rating_sum: 9, rating_count: 2, ..m(0, 0) };
    let b = m(1, 1);
    assert_eq!((a + b).received, 4);
    assert_eq!((a + b - b), a);
    assert_eq!(-a + a, Measures::default());
    let mut c = a;
    c += b;
    c -= a;
    assert_eq!(c, b);
    assert!((a - a).is_zero() && !a.is_zero());
    assert_eq!(a.on_time_rate(), Some(0.5));
    assert_eq!(a.average_rating(), Some(4.5));
    assert_eq!(a.mediation_success_rate(), None);
    assert_eq!(Measures { mediated: 4, mediated_success: 3, ..m(0, 0) }.mediation_success_rate(), Some(0.75));
}

#[test]
fn contribution_of_a_case() {
    let mut f = case(100, "330106", "complaint", "", "F", "91330100MA27XXXX1X");
    f.closed_on_time = true; // not closed yet: does not count
    let (key, got) = f.contribution();
    assert_eq!(key.category, "unclassified");
    assert_eq!(got, m(1, 0));
    f.closed = true;
    f.mediation = Some(false);
    f.rating = Some(4);
    f.recovered_cents = 12_345;
    let (_, got) = f.contribution();
    let want = Measures {
        received: 1,
        accepted: 0,
        closed: 1,
        closed_on_time: 1,
        mediated: 1,
        mediated_success: 0,
        rating_sum: 4,
        rating_count: 1,
        recovered_cents: 12_345,
    };
    assert_eq!(got, want);
}

#[test]
fn region_scopes() {
    assert!(region_covers("330000", "330106"));
    assert!(region_covers("330000", "330100"));
    assert!(region_covers("330100", "330106"));
    assert!(region_covers("330100", "330100"));
    assert!(!region_covers("330100", "330203"));
    assert!(!region_covers("330000", "310101"));
    assert!(region_covers("330106", "330106"));
    assert!(!region_covers("330106", "330105"));
    assert!(!region_covers("330106", "330100"), "a district does not cover its city");
    assert!(region_covers("429000", "429004"));
    for bad in ["", "33", "33010", "3301066", "33a100"] {
        assert!(!region_covers(bad, "330106") && !region_covers("330000", bad), "{bad}");
    }
}

#[test]
fn a_hand_checked_dashboard() {
    let mut facts = vec![
        case(10, "330106", "complaint", "prepaid", "R", "gym"),
        case(10, "330106", "complaint", "prepaid", "R", "gym"),
        case(11, "330105", "complaint", "prepaid", "R", "gym"),
        case(12, "330105", "report", "quality", "C", "factory"),
        case(12, "330203", "complaint", "price", "F", "shop"),
        case(13, "330106", "consultation", "", "", ""),
        case(40, "330106", "complaint", "price", "F", "shop"),
    ];
    facts[0].closed = true;
    facts[0].closed_on_time = true;
    facts[1].closed = true;
    facts[1].rating = Some(5);
    facts[2].mediation = Some(true);
    let cube = Cube::from_facts(&facts);
    assert_eq!(cube.len(), 6, "the first two cases share a row");

    let d = cube.dashboard(&Filter { bureau_prefix: Some("330100".into()), ..Filter::days(9, 14) }, 2);
    assert_eq!(d.total.received, 5);
    assert_eq!(d.by_day, vec![(9, 0), (10, 2), (11, 1), (12, 1), (13, 1), (14, 0)]);
    let cats: Vec<(&str, i64)> = d.by_category.iter().map(|r| (r.code.as_str(), r.count)).collect();
    assert_eq!(cats, [("prepaid", 3), ("quality", 1), ("unclassified", 1)]);
    assert_eq!(d.by_category[0].share, 0.6);
    assert_eq!(d.by_category[1].cumulative_share, 0.8);
    assert_eq!(d.by_category[2].cumulative_share, 1.0);
    assert_eq!(d.by_bureau, vec![("330106".into(), 3), ("330105".into(), 2)]);
    assert_eq!(d.by_industry, vec![("R".into(), 3), ("".into(), 1), ("C".into(), 1)]);
    assert_eq!(d.top_enterprises, vec![("gym".into(), 3), ("factory".into(), 1)]);
    assert_eq!(d.on_time_rate(), Some(0.5));
    assert_eq!(d.average_rating(), Some(5.0));
    assert_eq!(d.mediation_success_rate(), Some(1.0));
    assert_eq!(d, recount(&facts, &Filter { bureau_prefix: Some("330100".into()), ..Filter::days(9, 14) }, 2));

    let only = |f: Filter| cube.dashboard(&f, 10).total.received;
    assert_eq!(only(Filter { kind: Some("complaint".into()), ..Filter::days(0, 100) }), 5);
    assert_eq!(only(Filter { category: Some("".into()), ..Filter::days(0, 100) }), 1);
    assert_eq!(only(Filter { category: Some("unclassified".into()), ..Filter::days(0, 100) }), 1);
    assert_eq!(only(Filter { industry: Some("F".into()), ..Filter::days(0, 100) }), 2);
    assert_eq!(only(Filter { industry: Some("Z".into()), ..Filter::days(0, 100) }), 0);
    assert_eq!(only(Filter { bureau_prefix: Some("330000".into()), ..Filter::days(0, 100) }), 7);
    assert_eq!(only(Filter::days(14, 39)), 0);
    assert_eq!(cube.dashboard(&Filter::days(5, 4), 3).by_day, vec![]);

    // A very long range lists only days with cases.
    let long = cube.dashboard(&Filter::days(i64::MIN / 2, i64::MAX / 2), 3);
    assert_eq!(long.by_day, vec![(10, 2), (11, 1), (12, 2), (13, 1), (40, 1)]);
    assert_eq!(long, recount(&facts, &Filter::days(i64::MIN / 2, i64::MAX / 2), 3));
}

#[test]
fn rows_round_trip_and_zero_rows_stay() {
    let f = case(7, "330106", "complaint", "", "F", "e");
    let mut cube = Cube::new();
    let (key, c) = f.contribution();
    cube.apply(&key, c);
    cube.apply(&key, -c);
    assert_eq!(cube.len(), 1);
    let rows: Vec<(Key, Measures)> = cube.rows().collect();
    assert_eq!(rows, vec![(key.clone(), Measures::default())]);
    assert_eq!(cube.dashboard(&Filter::days(0, 10), 5), recount(&[], &Filter::days(0, 10), 5));
    // An empty category given to `apply` lands on the unclassified row.
    cube.apply(&Key { category: String::new(), ..key.clone() }, c);
    assert_eq!(cube.len(), 1);
    assert_eq!(cube.rows().next().unwrap(), (key, c));
}

/// xorshift64: a tiny deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const BUREAUS: &[&str] = &["330102", "330106", "330110", "330100", "330203", "330200", "310101", "110105"];
const KINDS: &[&str] = &["complaint", "report", "consultation", "suggestion", "enterprise_request"];
const CATEGORIES: &[&str] = &["", "quality", "price", "prepaid", "after_sales"];
const INDUSTRIES: &[&str] = &["", "C", "F", "H", "R"];
const ENTERPRISES: &[&str] = &["", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"];
const SCOPES: &[&str] = &["330000", "330100", "330200", "330106", "310000", "440000"];

fn random_filter(rng: &mut Rng) -> Filter {
    let from = 20_000 + rng.below(70) as i64 - 5;
    let mut optional = |items: &[&str]| (rng.below(3) == 0).then(|| rng.pick(items).to_owned());
    let (kind, bureau_prefix) = (optional(KINDS), optional(SCOPES));
    let (industry, category) = (optional(INDUSTRIES), optional(&[CATEGORIES, &["unclassified", "nope"]].concat()));
    // A viewer's scope: a random subset of the bureaus, sorted.
    let scope = (rng.below(2) == 0).then(|| {
        let mut s: Vec<String> = BUREAUS.iter().filter(|_| rng.below(2) == 0).map(|b| b.to_string()).collect();
        s.sort();
        s
    });
    let accepted_only = rng.below(3) == 0;
    Filter {
        from_day: from,
        to_day: from + rng.below(40) as i64,
        kind,
        bureau_prefix,
        industry,
        category,
        scope,
        accepted_only,
    }
}

#[test]
fn the_cube_agrees_with_a_recount_over_random_histories() {
    for seed in 1..=6u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x1234_5678_9abc_def1));
        let mut cube = Cube::new();
        let mut facts: Vec<CaseFacts> = Vec::new();
        for _ in 0..1500 {
            if facts.is_empty() || rng.below(3) == 0 {
                let f = CaseFacts {
                    received_day: 20_000 + rng.below(60) as i64,
                    bureau: rng.pick(BUREAUS).into(),
                    kind: rng.pick(KINDS).into(),
                    category: rng.pick(CATEGORIES).into(),
                    industry: rng.pick(INDUSTRIES).into(),
                    enterprise: rng.pick(ENTERPRISES).into(),
                    ..CaseFacts::default()
                };
                let (key, c) = f.contribution();
                cube.apply(&key, c);
                facts.push(f);
                continue;
            }
            let i = rng.below(facts.len());
            let (old_key, old) = facts[i].contribution();
            let f = &mut facts[i];
            match rng.below(7) {
                0 => {
                    f.closed = true;
                    f.closed_on_time = rng.below(2) == 0;
                }
                1 => f.mediation = Some(rng.below(3) > 0),
                2 => f.rating = Some(1 + rng.below(5) as u8),
                3 => f.recovered_cents += rng.below(100_000) as i64,
                4 => f.accepted = !f.accepted,
                5 => f.category = rng.pick(CATEGORIES).into(),
                _ => f.industry = rng.pick(INDUSTRIES).into(),
            }
            let (new_key, new) = f.contribution();
            cube.apply(&old_key, -old);
            cube.apply(&new_key, new);
        }
        let all = Filter::days(19_000, 21_000);
        let full = recount(&facts, &all, 100);
        assert_eq!(cube.dashboard(&all, 100), full, "seed {seed}");
        assert_eq!(full.total.received, facts.len() as i64);
        let summed = cube.rows().fold(Measures::default(), |acc, (_, m)| acc + m);
        assert_eq!(summed, full.total);
        assert!(full.total.closed > 0 && full.total.mediated > 0 && full.total.rating_count > 0);
        let mut matched = 0;
        for _ in 0..40 {
            let filter = random_filter(&mut rng);
            let top_n = rng.below(6);
            let d = cube.dashboard(&filter, top_n);
            assert_eq!(d, recount(&facts, &filter, top_n), "seed {seed}, {filter:?}");
            assert!(d.top_enterprises.len() <= top_n);
            let counted = if filter.accepted_only { d.total.accepted } else { d.total.received };
            assert_eq!(d.by_day.iter().map(|(_, n)| n).sum::<i64>(), counted);
            matched += usize::from(d.total.received > 0);
        }
        assert!(matched >= 10, "the random filters should mostly select something: {matched}");
    }
}

#[test]
fn set_get_and_enterprise_measures() {
    let mut facts = vec![
        case(10, "330106", "complaint", "prepaid", "R", "gym"),
        case(11, "330106", "complaint", "", "R", "gym"),
        case(11, "330203", "complaint", "price", "F", "shop"),
        case(12, "330106", "consultation", "", "", ""),
    ];
    facts[0].mediation = Some(true);
    let mut cube = Cube::from_facts(&facts);
    let (key, c) = facts[1].contribution();
    assert_eq!(cube.get(&key), c);
    assert_eq!(cube.get(&Key { category: String::new(), ..key.clone() }), c, "empty category reads unclassified");
    assert_eq!(cube.get(&Key { day: 99, ..key.clone() }), Measures::default());
    let value = Measures { received: 3, closed: 2, ..Measures::default() };
    cube.set(&key, value);
    assert_eq!(cube.get(&key), value);
    cube.set(&Key { day: 13, ..key.clone() }, value);
    assert_eq!((cube.len(), cube.get(&Key { day: 13, ..key })), (5, value));

    let cube = Cube::from_facts(&facts);
    let mut got = cube.enterprise_measures(&Filter { bureau_prefix: Some("330100".into()), ..Filter::days(0, 20) });
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let gym = facts[0].contribution().1 + facts[1].contribution().1;
    assert_eq!(got, vec![("gym".to_owned(), gym)]);
    assert_eq!(cube.enterprise_measures(&Filter::days(11, 11)).len(), 2);
    assert!(cube.enterprise_measures(&Filter { kind: Some("nope".into()), ..Filter::days(0, 20) }).is_empty());
}

#[test]
fn a_viewer_scope_hides_every_other_bureau() {
    let mut cube = Cube::new();
    for (bureau, enterprise) in [("320508", "甲"), ("320508", "甲"), ("320506", "乙"), ("110105", "丙")] {
        let (k, m) = case(100, bureau, "complaint", "quality", "F", enterprise).contribution();
        cube.apply(&k, m);
    }
    let all = Filter::days(90, 110);
    assert_eq!(cube.dashboard(&all, 10).total.received, 4);
    let suzhou = Filter { scope: Some(vec!["320500".into(), "320506".into(), "320508".into()]), ..all.clone() };
    let d = cube.dashboard(&suzhou, 10);
    assert_eq!(d.total.received, 3);
    assert!(d.by_bureau.iter().all(|(b, _)| b.starts_with("3205")));
    assert!(d.top_enterprises.iter().all(|(e, _)| e != "丙"));
    assert!(cube.enterprise_measures(&suzhou).iter().all(|(e, _)| e != "丙"));
    // A chosen region outside the scope selects nothing rather than widening it.
    let elsewhere = Filter { bureau_prefix: Some("110000".into()), ..suzhou.clone() };
    assert_eq!(cube.dashboard(&elsewhere, 10).total.received, 0);
    let nothing = Filter { scope: Some(Vec::new()), ..all };
    assert_eq!(cube.dashboard(&nothing, 10).total.received, 0);
}

#[test]
fn a_row_stays_small() {
    // One row per case at a million cases: the columns of a row (day, four small dimensions, the
    // enterprise, the measures) take 56 bytes, where full-width keys and measures took 100.
    let row = std::mem::size_of::<i32>()
        + std::mem::size_of::<[u16; 4]>()
        + std::mem::size_of::<u32>()
        + std::mem::size_of::<Compact>();
    assert_eq!(row, 56);
    // A large amount and many cases on one row still add up exactly.
    let key = case(5, "330106", "complaint", "", "F", "e").contribution().0;
    let mut cube = Cube::new();
    let big = Measures { received: 1, recovered_cents: 9_000_000_000_000, ..Measures::default() };
    for _ in 0..3 {
        cube.apply(&key, big);
    }
    assert_eq!(cube.get(&key), Measures { received: 3, recovered_cents: 27_000_000_000_000, ..Measures::default() });
    assert_eq!(cube.dashboard(&Filter::days(0, 10), 1).total.recovered_cents, 27_000_000_000_000);
}
