//! Tests of a whole draw: strata with their derived keys, the inspector stage with recusal,
//! rotation and the per-inspector maximum (against a naive reference), shortfall reports, and
//! verification of published files.

use super::rfc3797::{pick_hash, select};
use super::tests_rfc::Lcg;
use super::tests_task::{cert, fixture, uscc};
use super::*;
use std::collections::{BTreeMap, HashMap, HashSet};

fn with_rfc_sources(mut task: DrawTask) -> DrawTask {
    task.sources.truncate(2);
    task.sources.push(RandomSource {
        name: "第三个来源".into(),
        description: "六个号码".into(),
        kind: SourceKind::Numbers,
        value: Some("9 18 26 34 41 45".into()),
        available_at: None,
    });
    task
}

#[test]
fn strata_use_derived_keys() {
    let mut task = with_rfc_sources(fixture(160, 4));
    task.parameters.sampling = BTreeMap::from([(RiskClass::A, Sampling::Count(5)), (RiskClass::B, Sampling::Count(0))]);
    task.targets.retain(|t| matches!(t.risk, RiskClass::A | RiskClass::B));
    let out = run(&task).unwrap();
    assert_eq!(out.key, "9319./2.5.8.10.12./9.18.26.34.41.45./");
    assert_eq!(stratum_key(&out.key, RiskClass::A), "9319./2.5.8.10.12./9.18.26.34.41.45./stratum:A/");
    // Python: positions among the 40 A-class targets drawn with the key ‖ "stratum:A/".
    let expected: Vec<String> = [1, 34, 10, 4, 24].iter().map(|&p| uscc(4 * p)).collect();
    let got: Vec<String> = out.targets.iter().map(|t| t.uscc.clone()).collect();
    assert_eq!(got, expected);
    assert_eq!(
        out.strata,
        vec![
            StratumResult { risk: RiskClass::A, eligible: 40, drawn: 5 },
            StratumResult { risk: RiskClass::B, eligible: 40, drawn: 0 }
        ]
    );
}

/// The inspector stage as its documentation states it, with plain lists.
fn naive_staff(task: &DrawTask, key: &str, order: &[String]) -> (Vec<Vec<String>>, Vec<Shortfall>) {
    let team = task.parameters.inspectors_per_target as usize;
    let mut load: HashMap<&str, u32> = HashMap::new();
    let (mut teams, mut short) = (Vec::new(), Vec::new());
    for u in order {
        let mut candidates: Vec<&str> = task
            .inspectors
            .iter()
            .map(|p| p.cert_no.as_str())
            .filter(|c| !task.exclusions.iter().any(|e| e.inspector == *c && e.uscc == *u))
            .filter(|c| load.get(c).copied().unwrap_or(0) < task.parameters.max_targets_per_inspector)
            .collect();
        if candidates.len() < team {
            short.push(Shortfall { uscc: u.clone(), needed: team as u32, available: candidates.len() });
            teams.push(vec![]);
            continue;
        }
        let k = inspector_key(key, u);
        let picked: Vec<String> = (0..team as u64)
            .map(|i| candidates.remove((pick_hash(k.as_bytes(), i) % candidates.len() as u128) as usize).to_owned())
            .collect();
        for c in &picked {
            *load.entry(task.inspectors.iter().find(|p| p.cert_no == *c).unwrap().cert_no.as_str()).or_default() += 1;
        }
        teams.push(picked);
    }
    (teams, short)
}

fn random_task(rng: &mut Lcg) -> DrawTask {
    let mut task = fixture(20 + rng.below(60) as usize, 3 + rng.below(8) as usize);
    task.parameters.inspectors_per_target = 2 + rng.below(2) as u32;
    task.parameters.max_targets_per_inspector = 1 + rng.below(5) as u32;
    for r in RiskClass::ALL {
        task.parameters.sampling.insert(r, Sampling::Permille(rng.below(1001) as u32));
    }
    for _ in 0..rng.below(40) {
        let reason = if rng.below(2) == 0 { ExclusionReason::DeclaredTie } else { ExclusionReason::Rotation };
        let inspector = task.inspectors[rng.below(task.inspectors.len() as u64) as usize].cert_no.clone();
        let uscc = task.targets[rng.below(task.targets.len() as u64) as usize].uscc.clone();
        task.exclusions.push(Exclusion { inspector, uscc, reason });
    }
    task.sources[0].value = Some(rng.next().to_string());
    task.canonicalize();
    if task.inspectors.len() < task.parameters.inspectors_per_target as usize {
        task.parameters.inspectors_per_target = 2;
    }
    task
}

#[test]
fn the_inspector_stage_equals_its_naive_statement_and_respects_every_rule() {
    let mut rng = Lcg(42);
    let (mut shortfalls, mut staffed) = (0, 0);
    for _ in 0..150 {
        let task = random_task(&mut rng);
        let out = run(&task).unwrap();
        assert_eq!(out, run(&task).unwrap(), "identical inputs, identical draw");
        let order: Vec<String> = out.targets.iter().map(|t| t.uscc.clone()).collect();
        assert_eq!(order.iter().collect::<HashSet<_>>().len(), order.len(), "targets distinct");
        let (teams, short) = naive_staff(&task, &out.key, &order);
        assert_eq!(out.targets.iter().map(|t| t.inspectors.clone()).collect::<Vec<_>>(), teams);
        assert_eq!(out.shortfalls, short);
        let excluded: HashSet<(&str, &str)> =
            task.exclusions.iter().map(|e| (e.inspector.as_str(), e.uscc.as_str())).collect();
        let mut load: HashMap<&str, u32> = HashMap::new();
        for t in &out.targets {
            let team: HashSet<&String> = t.inspectors.iter().collect();
            assert_eq!(team.len(), t.inspectors.len(), "a team has no repeats");
            if t.inspectors.is_empty() {
                assert!(out.shortfalls.iter().any(|s| s.uscc == t.uscc), "an empty team is reported");
                continue;
            }
            assert_eq!(t.inspectors.len(), task.parameters.inspectors_per_target as usize);
            for c in &t.inspectors {
                assert!(!excluded.contains(&(c.as_str(), t.uscc.as_str())), "recusal and rotation hold");
                *load.entry(c).or_default() += 1;
            }
        }
        assert!(load.values().all(|&n| n <= task.parameters.max_targets_per_inspector));
        shortfalls += out.shortfalls.len();
        staffed += out.targets.len() - out.shortfalls.len();
    }
    assert!(shortfalls > 20 && staffed > 200, "both paths exercised: {shortfalls} short, {staffed} staffed");
}

#[test]
fn recusal_rotation_and_the_maximum_decide_who_may_go() {
    let mut task = fixture(4, 3);
    task.parameters.sampling = BTreeMap::from(RiskClass::ALL.map(|r| (r, Sampling::Permille(1000))));
    task.parameters.max_targets_per_inspector = 4;
    // Inspector 0 declared a tie to target 0; inspector 1 inspected it last time.
    task.exclusions = vec![
        Exclusion { inspector: cert(0), uscc: uscc(0), reason: ExclusionReason::DeclaredTie },
        Exclusion { inspector: cert(1), uscc: uscc(0), reason: ExclusionReason::Rotation },
    ];
    let out = run(&task).unwrap();
    let t0 = out.targets.iter().find(|t| t.uscc == uscc(0)).unwrap();
    assert!(t0.inspectors.is_empty(), "only inspector 2 remains: too few for a team of two");
    assert_eq!(out.shortfalls, vec![Shortfall { uscc: uscc(0), needed: 2, available: 1 }]);
    assert!(!out.fully_staffed());
    assert_eq!(out.targets.iter().filter(|t| !t.inspectors.is_empty()).count(), 3, "the others are staffed");
    // With a maximum of one target each, three inspectors staff one target; the rest are reported.
    task.exclusions.clear();
    task.parameters.max_targets_per_inspector = 1;
    let out = run(&task).unwrap();
    assert_eq!(out.inspector_picks(), 2);
    assert_eq!(out.shortfalls.len(), 3);
    assert!(out.shortfalls.iter().all(|s| s.available == 1 && s.needed == 2));
    let busy = out.targets.iter().find(|t| !t.inspectors.is_empty()).unwrap();
    assert_eq!(out.targets_of(&busy.inspectors[0]).count(), 1);
}

#[test]
fn a_draw_reproduces_the_bare_procedure_per_stratum() {
    let task = fixture(400, 30);
    let out = run(&task).unwrap();
    for s in &out.strata {
        let members: Vec<&Target> = task.targets.iter().filter(|t| t.risk == s.risk).collect();
        let picks = select(stratum_key(&out.key, s.risk).as_bytes(), members.len(), s.drawn).unwrap();
        let from_out: Vec<&str> = out.targets.iter().filter(|t| t.risk == s.risk).map(|t| t.uscc.as_str()).collect();
        assert_eq!(from_out, picks.iter().map(|&p| members[p].uscc.as_str()).collect::<Vec<_>>());
    }
    assert_eq!(out.targets.len(), 10 + 20 + 3 + 100);
    assert!(out.fully_staffed());
}

#[test]
fn verification_matches_and_names_the_first_tampered_value() {
    let task = fixture(60, 8);
    let outcome = run(&task).unwrap();
    let doc = PublishedDraw::new(task.clone(), Some(outcome.clone()));
    let verdict = verify_file(&doc.to_json()).unwrap();
    assert!(verdict.is_match(), "{verdict}");
    assert!(verdict.to_string().starts_with("一致"));
    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(
        (json["result"].as_str(), json["targets"].as_u64()),
        (Some("match"), Some(outcome.targets.len() as u64))
    );

    let mut swapped = doc.clone();
    swapped.outcome.as_mut().unwrap().targets.swap(0, 1);
    let Verification::Mismatch(d) = verify_file(&swapped.to_json()).unwrap() else { panic!("tamper unseen") };
    assert_eq!(d.what, "第 1 个抽中的检查对象");
    let json = serde_json::to_value(Verification::Mismatch(d.clone())).unwrap();
    assert_eq!((json["result"].as_str(), json["what"].as_str()), (Some("mismatch"), Some(d.what.as_str())));
    assert_eq!(
        (d.published.as_str(), d.recomputed.as_str()),
        (outcome.targets[1].uscc.as_str(), outcome.targets[0].uscc.as_str())
    );

    let mut other_inspector = doc.clone();
    other_inspector.outcome.as_mut().unwrap().targets[3].inspectors[1] = "0000000000".into();
    let v = verify_file(&other_inspector.to_json()).unwrap();
    assert!(!v.is_match() && v.to_string().contains("第 4 个检查对象"), "{v}");

    let mut new_value = doc.clone();
    new_value.task.sources[0].value = Some("9318".into());
    let v = verify_file(&new_value.to_json()).unwrap();
    assert!(v.to_string().contains("密钥"), "a changed source value changes the draw: {v}");

    let mut edited_pool = doc.clone();
    edited_pool.task.targets[5].name = "另一家企业".into();
    let Verification::Mismatch(d) = verify_file(&edited_pool.to_json()).unwrap() else { panic!("edit unseen") };
    assert!(d.what.contains("承诺值"), "{d}");

    let mut dropped = doc.clone();
    dropped.outcome.as_mut().unwrap().targets.pop();
    assert!(verify_file(&dropped.to_json()).unwrap().to_string().contains("抽中的检查对象数"));
    assert!(!verify(&task, &dropped.outcome.unwrap()).unwrap().is_match());
}

#[test]
fn unreadable_files_are_errors_not_verdicts() {
    let task = fixture(8, 4);
    let doc = PublishedDraw::new(task, None);
    assert_eq!(verify_file(&doc.to_json()).unwrap_err(), DrawError::NothingToVerify);
    let other = doc.to_json().replace("xinqiao-draw/1", "xinqiao-draw/9");
    assert_eq!(verify_file(&other).unwrap_err().code(), "draw_unsupported_format");
    let broken = verify_file("{\"format\": ").unwrap_err();
    assert_eq!(broken.code(), "draw_bad_document");
    assert!(broken.to_string().contains("第 1 行"), "{broken}");
}
