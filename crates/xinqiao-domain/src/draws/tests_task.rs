//! Tests of the task: validation with its codes, sampling rounding, the commitment (every
//! committed character counts, source values do not), JSON round trips, exclusion helpers, result
//! categories and the publication deadline.

use super::results::{DrawRules, MIN_INSPECTORS_PER_TARGET, ResultCategories};
use super::*;
use crate::calendar::{Calendar, Date};
use crate::cases::independence::{Tie, TieKind};
use crate::ids::Uscc;
use std::collections::BTreeMap;

pub(super) fn uscc(i: usize) -> String {
    Uscc::with_check_char(&format!("91320500{i:09}")).unwrap().as_str().to_owned()
}

pub(super) fn cert(i: usize) -> String {
    format!("3205{i:06}")
}

/// A revealed, canonical task: `pool` targets of classes A, B, C, D in turn, `staff` inspectors.
pub(super) fn fixture(pool: usize, staff: usize) -> DrawTask {
    let sampling = BTreeMap::from([
        (RiskClass::A, Sampling::Permille(100)),
        (RiskClass::B, Sampling::Permille(200)),
        (RiskClass::C, Sampling::Count(3)),
        (RiskClass::D, Sampling::Permille(1000)),
    ]);
    DrawTask {
        id: "2026-SJ-0001".into(),
        title: "2026年第一批企业公示信息随机抽查".into(),
        scope: "姑苏区；行业 F、H；存续企业".into(),
        items: vec!["年度报告公示信息的检查".into(), "住所（经营场所）的检查".into()],
        parameters: Parameters { sampling, inspectors_per_target: 2, max_targets_per_inspector: 10 },
        targets: (0..pool)
            .map(|i| Target {
                uscc: uscc(i), name: format!("示例企业{i}有限公司"), risk: RiskClass::ALL[i % 4]
            })
            .collect(),
        inspectors: (0..staff)
            .map(|i| Inspector {
                cert_no: cert(i), name: format!("执法人员{i}"), unit: "姑苏区市场监督管理局".into()
            })
            .collect(),
        exclusions: vec![],
        sources: vec![
            source("福彩3D 2026-12-01 开奖号码", SourceKind::Numbers, "9319"),
            source("双色球 2026-12-01 红球", SourceKind::Numbers, "2 5 12 8 10"),
            source("公证处现场抽签结果（文字）", SourceKind::Text, "雪莲花"),
        ],
    }
}

fn source(name: &str, kind: SourceKind, value: &str) -> RandomSource {
    RandomSource {
        name: name.into(),
        description: "开奖后以官方公告为准".into(),
        kind,
        value: Some(value.into()),
        available_at: None,
    }
}

fn err(task: &DrawTask) -> DrawError {
    task.validate().unwrap_err()
}

#[test]
fn a_fixture_is_valid_and_its_commitment_is_hex_sha256() {
    let task = fixture(40, 6);
    task.validate().unwrap();
    let c = task.commitment();
    assert_eq!(c.len(), 64);
    assert!(c.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    let bytes = String::from_utf8(task.commitment_bytes()).unwrap();
    assert!(bytes.starts_with(r#"{"format":"xinqiao-draw/1","id":"2026-SJ-0001","title":"2026年第一批"#), "{bytes}");
    assert!(
        bytes.contains(
            r#""sampling":{"A":{"permille":100},"B":{"permille":200},"C":{"count":3},"D":{"permille":1000}}"#
        )
    );
    assert!(bytes.ends_with(r#""kind":"text"}]}"#), "values are not committed: {bytes}");
}

/// An edit that makes a valid task invalid.
type Change = Box<dyn Fn(&mut DrawTask)>;

#[test]
fn validation_errors_have_codes_and_chinese_messages() {
    let base = fixture(8, 4);
    let cases: Vec<(&str, Change)> = vec![
        ("draw_pool_empty", Box::new(|t| t.targets.clear())),
        ("draw_duplicate_uscc", Box::new(|t| t.targets[1].uscc = t.targets[0].uscc.clone())),
        ("draw_pool_not_canonical", Box::new(|t| t.targets.swap(0, 1))),
        ("draw_bad_uscc", Box::new(|t| t.targets[0].uscc = "91320500000000000X".into())),
        ("draw_bad_uscc", Box::new(|t| t.targets[0].uscc = t.targets[0].uscc.to_lowercase())),
        ("draw_too_few_inspectors_per_target", Box::new(|t| t.parameters.inspectors_per_target = 1)),
        ("draw_max_per_inspector_zero", Box::new(|t| t.parameters.max_targets_per_inspector = 0)),
        (
            "draw_ratio_out_of_range",
            Box::new(|t| _ = t.parameters.sampling.insert(RiskClass::B, Sampling::Permille(1001))),
        ),
        ("draw_missing_sampling", Box::new(|t| _ = t.parameters.sampling.remove(&RiskClass::C))),
        ("draw_no_inspectors", Box::new(|t| t.inspectors.clear())),
        ("draw_duplicate_inspector", Box::new(|t| t.inspectors[1].cert_no = t.inspectors[0].cert_no.clone())),
        ("draw_inspectors_not_canonical", Box::new(|t| t.inspectors.swap(0, 1))),
        ("draw_bad_cert_no", Box::new(|t| t.inspectors[0].cert_no = "3205 01".into())),
        ("draw_inspectors_fewer_than_team", Box::new(|t| t.parameters.inspectors_per_target = 5)),
        ("draw_no_sources", Box::new(|t| t.sources.clear())),
        ("draw_duplicate_source", Box::new(|t| t.sources[1].name = t.sources[0].name.clone())),
        ("draw_empty_field", Box::new(|t| t.title = "  ".into())),
        ("draw_control_character", Box::new(|t| t.targets[0].name = "示例\n企业".into())),
        ("draw_unknown_in_exclusion", Box::new(|t| t.exclusions = vec![excl("nobody", &t.targets[0].uscc)])),
        (
            "draw_exclusions_not_canonical",
            Box::new(|t| {
                let (a, b) = (&t.inspectors[0].cert_no, &t.targets[0].uscc);
                t.exclusions = vec![excl(a, b), excl(a, b)];
            }),
        ),
    ];
    for (code, change) in cases {
        let mut task = base.clone();
        change(&mut task);
        let e = err(&task);
        assert_eq!(e.code(), code, "{e}");
        assert!(e.to_string().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese: {e}");
    }
    assert!(
        err(&{
            let mut t = base.clone();
            t.parameters.inspectors_per_target = 1;
            t
        })
        .to_string()
        .contains("至少须选派 2 名")
    );
}

fn excl(inspector: &str, uscc: &str) -> Exclusion {
    Exclusion { inspector: inspector.into(), uscc: uscc.into(), reason: ExclusionReason::DeclaredTie }
}

#[test]
fn reveal_needs_every_source_value_in_its_announced_kind() {
    let mut task = fixture(8, 4);
    task.sources[1].value = None;
    task.validate().unwrap();
    assert!(!task.is_revealed());
    let e = run(&task).unwrap_err();
    assert_eq!(e.code(), "draw_source_value_missing");
    assert!(e.to_string().contains("双色球"), "{e}");
    task.sources[1].value = Some("2 5 十二".into());
    assert_eq!(run(&task).unwrap_err().code(), "draw_source_value_invalid");
    task.sources[1].value = Some("2，5，12，8，10".into());
    assert_eq!(task.key().unwrap(), "9319./2.5.8.10.12./雪莲花./");
}

#[test]
fn sampling_rounds_up_and_counts_are_capped() {
    assert_eq!(Sampling::Permille(1).count_for(10), 1);
    assert_eq!(Sampling::Permille(0).count_for(10), 0);
    assert_eq!(Sampling::Permille(333).count_for(3), 1);
    assert_eq!(Sampling::Permille(500).count_for(7), 4);
    assert_eq!(Sampling::Permille(1000).count_for(7), 7);
    assert_eq!(Sampling::Permille(30).count_for(0), 0);
    assert_eq!(Sampling::Count(5).count_for(3), 3);
    assert_eq!(Sampling::Permille(30).count_for(1_000_000), 30_000);
    let planned = fixture(40, 6).planned_counts();
    assert_eq!(
        planned,
        vec![(RiskClass::A, 10, 1), (RiskClass::B, 10, 2), (RiskClass::C, 10, 3), (RiskClass::D, 10, 10)]
    );
}

/// Next character for a mutation: digits and ASCII letters cycle, other non-structural
/// characters move to the next code point.
fn mutate(c: char) -> Option<char> {
    match c {
        '9' => Some('0'),
        'z' => Some('a'),
        'Z' => Some('A'),
        c if c.is_ascii_alphanumeric() => char::from_u32(c as u32 + 1),
        c if !c.is_ascii() => char::from_u32(c as u32 + 1),
        '-' | ' ' | '.' | '/' => Some('_'),
        _ => None,
    }
}

#[test]
fn changing_any_committed_character_changes_the_commitment() {
    let mut task = fixture(6, 3);
    task.exclusions = vec![Exclusion { inspector: cert(1), uscc: uscc(2), reason: ExclusionReason::Rotation }];
    task.validate().unwrap();
    let json = serde_json::to_string(&task).unwrap();
    let base = task.commitment();
    let (mut committed, mut values) = (0, 0);
    for (i, c) in json.char_indices() {
        let Some(r) = mutate(c) else { continue };
        let changed = format!("{}{}{}", &json[..i], r, &json[i + c.len_utf8()..]);
        let Ok(t) = serde_json::from_str::<DrawTask>(&changed) else { continue };
        let mut same_values = t.clone();
        for (s, o) in same_values.sources.iter_mut().zip(&task.sources) {
            s.value = o.value.clone();
        }
        if same_values == task {
            values += 1;
            assert_eq!(t.commitment(), base, "a source value is not committed (char {i})");
        } else {
            committed += 1;
            assert_ne!(t.commitment(), base, "char {i} of {json}");
        }
    }
    assert!(committed > 300 && values > 5, "{committed} committed and {values} value mutations tried");
}

#[test]
fn json_round_trips_and_canonicalize_sorts() {
    let task = fixture(12, 5);
    let back: DrawTask = serde_json::from_str(&serde_json::to_string_pretty(&task).unwrap()).unwrap();
    assert_eq!(back, task);
    let doc = PublishedDraw::new(task.clone(), Some(run(&task).unwrap()));
    assert_eq!(PublishedDraw::from_json(&doc.to_json()).unwrap(), doc);
    let mut shuffled = task.clone();
    shuffled.targets.reverse();
    shuffled.inspectors.swap(0, 4);
    shuffled.exclusions = vec![excl(&cert(3), &uscc(1)), excl(&cert(0), &uscc(5)), excl(&cert(3), &uscc(1))];
    shuffled.canonicalize();
    shuffled.validate().unwrap();
    assert_eq!(shuffled.targets, task.targets);
    assert_eq!(shuffled.exclusions, vec![excl(&cert(0), &uscc(5)), excl(&cert(3), &uscc(1))]);
    let unknown = serde_json::to_string(&task).unwrap().replacen("\"scope\"", "\"extra\":1,\"scope\"", 1);
    assert!(serde_json::from_str::<DrawTask>(&unknown).is_err(), "unknown fields are refused");
}

#[test]
fn exclusions_come_from_declared_ties_and_previous_draws() {
    let task = fixture(8, 4);
    let ties = [
        Tie { kind: TieKind::Relative, enterprise_uscc: Some(uscc(3)), enterprise_name: None, person_index: None },
        Tie {
            kind: TieKind::FellowTownsman,
            enterprise_uscc: None,
            enterprise_name: Some("示例企业5有限公司".into()),
            person_index: None,
        },
    ];
    let tied = tie_exclusions(&cert(1), &ties, &task.targets);
    assert_eq!(tied, vec![excl(&cert(1), &uscc(3)), excl(&cert(1), &uscc(5))]);
    let previous = [cert(0), cert(2), "离职人员".to_owned()];
    let rotation =
        rotation_exclusions(&task, [(uscc(4).as_str(), &previous[..]), ("91110000600037341L", &previous[..])]);
    assert_eq!(rotation.len(), 2, "only inspectors and targets of this task: {rotation:?}");
    assert!(rotation.iter().all(|e| e.reason == ExclusionReason::Rotation && e.uscc == uscc(4)));
}

#[test]
fn result_categories_and_publication_rule_are_data() {
    let cats = ResultCategories::builtin();
    assert!(cats.all().len() >= 6);
    assert_eq!(cats.get("no_problem").unwrap().label, "未发现问题");
    assert!(!cats.get("no_problem").unwrap().problem);
    assert_eq!(cats.by_label("通过登记的住所(经营场所)无法联系").unwrap().code, "unreachable_at_address");
    assert!(cats.by_label("发现问题已责令改正").unwrap().problem);
    assert!(cats.all().iter().all(|c| !c.verified && !c.source.is_empty()), "no category is checked yet");
    let dup = format!(
        "{}\n[[category]]\ncode = \"no_problem\"\nlabel = \"另一个\"\nproblem = false\nsource = \"x\"\nverified = false\n",
        super::results::BUILTIN_RESULTS
    );
    assert!(ResultCategories::from_toml(&dup).is_err());

    let rules = DrawRules::builtin();
    assert_eq!(rules.publication.working_days, 20);
    assert!(!rules.publication.verified, "its application to inspection results is not yet checked");
    assert_eq!(rules.inspectors.minimum, MIN_INSPECTORS_PER_TARGET);
    let cal = Calendar::builtin();
    let d = |s: &str| Date::parse(s).unwrap();
    assert_eq!(rules.publication.due(&cal, d("2026-11-02")).value, d("2026-11-30"));
    assert_eq!(rules.publication.due(&cal, d("2026-09-30")).value, d("2026-11-03"), "国庆 and 调休 10-10");
    let late = rules.publication.due(&cal, d("2030-06-03"));
    assert_eq!(late.footing.provisional, Some(2030), "a year without its notice is provisional, not an error");
    assert_eq!(late.value, d("2030-07-02"), "端午 2030-06-05 off on the statutory base");
}
