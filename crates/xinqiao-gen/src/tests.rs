//! The generator's promises: same parameters, same bytes; valid identifiers; ground-truth spans
//! that match the narrative character for character; codes from the taxonomy; dates in the year.

use super::*;
use std::collections::{HashMap, HashSet};
use xinqiao_domain::ids::{IdNumber, Industry, Mobile, RegionCode, Uscc};
use xinqiao_domain::insights::taxonomy::Taxonomy;

struct Set {
    enterprises: String,
    cases: String,
    pii: String,
}

fn generate(seed: u64, cases: u64, enterprises: usize) -> Set {
    let mut g = Generator::new(seed, enterprises);
    let (mut e, mut c, mut p) = (Vec::new(), CASE_HEADER.as_bytes().to_vec(), Vec::new());
    g.write_enterprises(&mut e).unwrap();
    g.write_cases(0..cases, &mut c, &mut p).unwrap();
    let text = |v: Vec<u8>| String::from_utf8(v).unwrap();
    Set { enterprises: text(e), cases: text(c), pii: text(p) }
}

/// A minimal RFC 4180 reader: enough for what the generator writes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let v = u32::from(c - b'0');
            if i % 2 == 1 { if v > 4 { v * 2 - 9 } else { v * 2 } } else { v }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[test]
fn same_seed_same_bytes_whatever_the_batches() {
    let a = generate(42, 100, 300);
    let b = generate(42, 100, 300);
    assert_eq!(a.enterprises, b.enterprises);
    assert_eq!(a.cases, b.cases);
    assert_eq!(a.pii, b.pii);
    let mut g = Generator::new(42, 300);
    let (mut c, mut p) = (CASE_HEADER.as_bytes().to_vec(), Vec::new());
    g.write_cases(0..37, &mut c, &mut p).unwrap();
    g.write_cases(37..100, &mut c, &mut p).unwrap();
    assert_eq!(String::from_utf8(c).unwrap(), a.cases);
    assert_eq!(String::from_utf8(p).unwrap(), a.pii);
    let other = generate(43, 100, 300);
    assert_ne!(a.cases, other.cases);
    assert_ne!(a.enterprises, other.enterprises);
}

#[test]
fn enterprises_have_valid_unique_codes() {
    let set = generate(1, 0, 3000);
    let rows = parse_csv(&set.enterprises);
    assert_eq!(rows[0].join(",") + "\n", ENTERPRISE_HEADER);
    assert_eq!(rows.len(), 3001);
    let mut codes = HashSet::new();
    let mut sections = HashMap::new();
    for r in &rows[1..] {
        assert_eq!(r.len(), 7, "{r:?}");
        assert_eq!(Uscc::parse(&r[0]).unwrap().as_str(), r[0]);
        assert!(codes.insert(r[0].clone()), "duplicate {}", r[0]);
        assert_eq!(&r[0][2..8], r[3], "the code carries the district");
        assert!(r[1].chars().count() >= 6, "{}", r[1]);
        Industry::parse(&r[2]).unwrap();
        *sections.entry(r[2].clone()).or_insert(0) += 1;
        RegionCode::parse(&r[3]).unwrap();
        assert!(matches!(r[4].as_str(), "A" | "B" | "C" | "D"));
        assert!(matches!(r[5].as_str(), "true" | "false"));
        assert!(xinqiao_domain::calendar::Date::parse(&r[6]).is_some());
    }
    assert!(sections["F"] > sections["H"] && sections["H"] > sections["A"], "{sections:?}");
}

#[test]
fn cases_are_well_formed() {
    let set = generate(7, 4000, 800);
    let taxonomy = Taxonomy::shipped();
    let rows = parse_csv(&set.cases);
    assert_eq!(rows[0].join(",") + "\n", CASE_HEADER);
    assert_eq!(rows.len(), 4001);
    let enterprises: HashMap<String, String> =
        parse_csv(&set.enterprises).into_iter().skip(1).map(|r| (r[0].clone(), r[1].clone())).collect();
    let (first, last) =
        (xinqiao_domain::calendar::Date::from_ymd(YEAR, 1, 1), xinqiao_domain::calendar::Date::from_ymd(YEAR, 12, 31));
    let (mut kinds, mut natures, mut codes) = (HashSet::new(), HashSet::new(), HashSet::new());
    for (i, r) in rows[1..].iter().enumerate() {
        assert_eq!(r.len(), 26, "{r:?}");
        assert_eq!(r[0], (i + 1).to_string());
        assert!(codes.insert(r[1].clone()), "tracking codes are unique");
        TrackingCode::parse(&r[1]).unwrap();
        let kind = CaseKind::parse(&r[2]).unwrap();
        kinds.insert(r[2].clone());
        let received = xinqiao_domain::calendar::Date::parse(&r[4]).unwrap();
        assert!(Some(received) >= first && Some(received) <= last);
        RegionCode::parse(&r[5]).unwrap();
        assert!(taxonomy.nature(&r[6]).is_some(), "nature {}", r[6]);
        natures.insert(r[6].clone());
        assert!(taxonomy.subject(&r[7]).is_some(), "subject {}", r[7]);
        if !r[8].is_empty() {
            Uscc::parse(&r[8]).unwrap();
            assert!(enterprises[&r[8]] == r[9], "the enterprise is in the table under that name");
            Industry::parse(&r[10]).unwrap();
        }
        assert!(!r[11].is_empty() && !r[12].is_empty());
        if !r[15].is_empty() {
            assert_eq!(Mobile::parse(&r[15]).unwrap().as_str(), r[15]);
        }
        if !r[16].is_empty() {
            assert_eq!(IdNumber::parse(&r[16]).unwrap().as_str(), r[16]);
        }
        match r[19].as_str() {
            "true" => {
                let closed = xinqiao_domain::calendar::Date::parse(&r[20]).unwrap();
                assert!(closed >= received && Some(closed) <= last);
                assert!(matches!(r[21].as_str(), "true" | "false"));
                assert!(!r[25].is_empty(), "a closed case has a reply");
            }
            "false" => assert!(r[20].is_empty() && r[23].is_empty() && r[25].is_empty()),
            other => panic!("closed = {other}"),
        }
        assert!(r[22].is_empty() || kind == CaseKind::Complaint);
        assert!(r[23].is_empty() || (1..=5).contains(&r[23].parse::<u8>().unwrap()));
        if let (Ok(got), Ok(asked)) = (r[24].parse::<u64>(), r[13].parse::<u64>()) {
            assert!(got <= asked);
        }
    }
    assert_eq!(kinds.len(), 5, "every kind: {kinds:?}");
    let all: HashSet<String> = taxonomy.natures().iter().map(|n| n.code.clone()).collect();
    assert_eq!(natures, all, "every nature of the taxonomy");
}

/// Every generated row passes intake validation as `xinqiao import cases` reads it (same
/// columns, amounts in cents turned into yuan), so a generated set imports without a rejected row.
#[test]
fn every_case_passes_intake_validation() {
    use xinqiao_domain::cases::intake::IntakeForm;
    let set = generate(13, 6000, 700);
    let rows = parse_csv(&set.cases);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let [kind, received, region, name, uscc, industry, narrative, demand, amount, person, mobile, id, address, consent] =
        [
            "kind",
            "received_on",
            "region_code",
            "enterprise_name",
            "enterprise_uscc",
            "industry",
            "narrative",
            "demand",
            "amount_cents",
            "complainant_name",
            "complainant_mobile",
            "complainant_id_number",
            "complainant_address",
            "consent",
        ]
        .map(col);
    let mut addresses = 0;
    for r in &rows[1..] {
        let cents = |c: &str| c.parse::<i64>().map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default();
        let form = IntakeForm {
            kind: r[kind].clone(),
            enterprise_name: r[name].clone(),
            uscc: r[uscc].clone(),
            industry: r[industry].clone(),
            region_code: r[region].clone(),
            narrative: r[narrative].clone(),
            amount: cents(&r[amount]),
            demand: r[demand].clone(),
            event_date: String::new(),
            name: r[person].clone(),
            mobile: r[mobile].clone(),
            id_number: r[id].clone(),
            address: r[address].clone(),
            consent_publish: r[consent] == "true",
            also_report: false,
        };
        let day = xinqiao_domain::calendar::Date::parse(&r[received]).unwrap();
        if let Err(errors) = form.validate(day) {
            let fields: Vec<_> = errors.iter().map(|e| (e.field, e.message.clone())).collect();
            panic!("case {} ({}) is rejected: {fields:?}", r[0], r[kind]);
        }
        addresses += usize::from(!r[address].is_empty());
    }
    assert!(addresses > 2000, "{addresses} rows with an address");
}

#[test]
fn ground_truth_spans_match_the_narratives() {
    let set = generate(11, 3000, 500);
    let rows = parse_csv(&set.cases);
    let narratives: Vec<Vec<char>> = rows[1..].iter().map(|r| r[11].chars().collect()).collect();
    let mut kinds: HashMap<String, usize> = HashMap::new();
    let mut last = (0u64, 0u64);
    for line in set.pii.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["case_id"].as_u64().unwrap();
        let (start, end) = (v["start"].as_u64().unwrap(), v["end"].as_u64().unwrap());
        let text = v["text"].as_str().unwrap();
        assert!((id, start) > last || id > last.0, "spans in order: {line}");
        last = (id, end);
        let chars = &narratives[id as usize - 1];
        let slice: String = chars[start as usize..end as usize].iter().collect();
        assert_eq!(slice, text, "case {id}");
        let kind = v["kind"].as_str().unwrap();
        *kinds.entry(kind.to_owned()).or_default() += 1;
        let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '·')).collect();
        match kind {
            // `Mobile::parse` takes full-width digits but not the full-width plus.
            "mobile" => assert!(Mobile::parse(&text.replace('＋', "+")).is_ok(), "{text}"),
            "id_number" => assert!(IdNumber::parse(&compact).is_ok(), "{text}"),
            "bank_card" => assert!(luhn(&compact) && (16..=19).contains(&compact.len()), "{text}"),
            "name" => assert!((2..=4).contains(&text.chars().count()), "{text}"),
            "email" => assert!(text.contains('@') && text.contains('.'), "{text}"),
            "plate" => assert!((7..=8).contains(&compact.chars().count()), "{text}"),
            "address" => assert!(text.ends_with(['号', '室']) || text.chars().last().unwrap().is_ascii_digit()),
            other => panic!("unknown kind {other}"),
        }
    }
    for kind in PiiKind::ALL {
        assert!(kinds.get(kind.code()).copied().unwrap_or(0) > 5, "{} appears: {kinds:?}", kind.code());
    }
}

#[test]
fn templates_are_many_valid_and_from_the_taxonomy() {
    let taxonomy = Taxonomy::shipped();
    let file = templates::File::shipped();
    assert!(file.template.len() >= 40, "{} templates", file.template.len());
    for t in &file.template {
        for text in std::iter::once(&t.text).chain(&t.demands) {
            Parsed::new(text).unwrap();
        }
        assert!(taxonomy.nature(&t.nature).is_some() && taxonomy.subject(&t.subject).is_some(), "{}", t.text);
        assert!(t.trades.iter().all(|k| trades::index(k).is_some()), "{:?}", t.trades);
        assert!(!t.demands.is_empty() && t.weight > 0 && t.amount[0] <= t.amount[1]);
        assert!(
            t.prods.is_empty() != Parsed::new(&t.text).unwrap().uses(Slot::Prod),
            "{{prod}} needs prods: {}",
            t.text
        );
    }
    for kind in CaseKind::ALL {
        assert!(file.template.iter().any(|t| t.kind == kind), "{kind:?} has templates");
    }
    let s = &file.snippets;
    for text in
        s.middles.iter().chain(&s.openings).chain(&s.openings_id).chain(&s.openings_enterprise).chain(&s.closings)
    {
        Parsed::new(text).unwrap();
    }
}

#[test]
fn skew_a_few_enterprises_and_the_march_peak() {
    let set = generate(3, 20_000, 2000);
    let rows = parse_csv(&set.cases);
    let mut by_ent: HashMap<&str, usize> = HashMap::new();
    let mut by_day: HashMap<&str, usize> = HashMap::new();
    for r in &rows[1..] {
        if !r[8].is_empty() {
            *by_ent.entry(&r[8]).or_default() += 1;
        }
        *by_day.entry(&r[4]).or_default() += 1;
    }
    let mut counts: Vec<usize> = by_ent.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let median = counts[counts.len() / 2];
    assert!(counts[0] > 20 * median, "top {} vs median {median}", counts[0]);
    let average = 20_000 / 365;
    assert!(by_day["2025-03-15"] > 2 * average, "{} on 15 March", by_day["2025-03-15"]);
}
