//! Tests of the decision: gates, minimums, threshold, refusals, and one candidate end to end.

use super::decision::*;
use super::dossier::*;
use super::framework::{AssessmentMethod, Framework, GateRules};
use super::panel::aggregate_criteria;
use super::paper::assemble;
use super::questions::QuestionBank;
use crate::calendar::Date;
use std::collections::BTreeMap;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn passed() -> Vec<GateResult> {
    ["frontline_experience", "integrity_record", "confidentiality_pledge", "declarations"]
        .into_iter()
        .map(|code| GateResult { code, label: "门槛", passed: true, reason: "通过".into() })
        .collect()
}

fn all(f: &Framework, score: f64) -> BTreeMap<String, f64> {
    f.criteria().map(|(_, c)| (c.code.clone(), score)).collect()
}

#[test]
fn good_scores_and_passed_gates_qualify() {
    let f = Framework::shipped();
    let dec = decide(&f, &passed(), &all(&f, 4.0), &[]).unwrap();
    assert!(dec.qualified);
    assert_eq!(dec.verdict(), "合格");
    assert_eq!(dec.weighted_total, Some(4.0));
    assert_eq!(dec.threshold, 3.5);
    assert_eq!(dec.dimensions.len(), 7);
    assert!(dec.dimensions.iter().all(|x| x.met && x.score == Some(4.0)));
    assert_eq!(dec.reasons.len(), 1);
    assert!(dec.reasons[0].contains("4.00"));
    assert_eq!((dec.framework_version.as_str(), dec.framework_fingerprint.clone()), ("2026.1", f.fingerprint()));
}

#[test]
fn exactly_the_threshold_is_enough() {
    let f = Framework::shipped();
    let dec = decide(&f, &passed(), &all(&f, 3.5), &[]).unwrap();
    assert!(dec.qualified, "{:?}", dec.reasons);
    assert_eq!(dec.weighted_total, Some(3.5));
}

#[test]
fn a_failed_gate_ends_it_with_the_gate_reasons_only() {
    let f = Framework::shipped();
    let mut gates = passed();
    gates[0] = GateResult {
        code: "frontline_experience",
        label: "一线监管经历",
        passed: false,
        reason: "一线监管经历共 400 天，不足 3 年的要求".into(),
    };
    let dec = decide(&f, &gates, &BTreeMap::new(), &[]).unwrap();
    assert!(!dec.qualified);
    assert_eq!(dec.verdict(), "不合格");
    assert_eq!(dec.reasons, ["门槛条件“一线监管经历”未通过：一线监管经历共 400 天，不足 3 年的要求"]);
    assert!(dec.dimensions.iter().all(|x| x.score.is_none() && !x.met));
    let dec = decide(&f, &[], &all(&f, 5.0), &[]).unwrap();
    assert!(!dec.qualified, "gates never run");
    assert_eq!(dec.reasons, ["尚未进行门槛核查"]);
}

#[test]
fn each_unmet_condition_is_stated() {
    let f = Framework::shipped();
    // A missing score.
    let mut s = all(&f, 4.0);
    s.remove("crisis");
    let dec = decide(&f, &passed(), &s, &[]).unwrap();
    assert!(!dec.qualified);
    assert_eq!(dec.reasons, ["维度“实践经验丰富”缺少以下指标的评分：危机处理"]);
    assert_eq!(dec.weighted_total, None);
    assert!(dec.dimensions.iter().find(|x| x.code == "experience").unwrap().score.is_none());

    // A dimension under its minimum (independence needs 3.5): (3×3 + 3×2 + 4×2) / 7 ≈ 3.29.
    let mut s = all(&f, 5.0);
    s.insert("impartiality".into(), 3.0);
    s.insert("courage".into(), 3.0);
    s.insert("risk_foresight".into(), 4.0);
    let dec = decide(&f, &passed(), &s, &[]).unwrap();
    assert!(!dec.qualified);
    assert_eq!(dec.reasons, ["维度“独立性有保障”得分 3.29，未达到最低分 3.5"]);
    let ind = dec.dimensions.iter().find(|x| x.code == "independence").unwrap();
    assert!(!ind.met && (ind.score.unwrap() - 23.0 / 7.0).abs() < 1e-12);
    assert!(dec.weighted_total.unwrap() > 4.5);

    // A gate criterion under the gate score, though its dimension is fine.
    let mut s = all(&f, 5.0);
    s.insert("integrity".into(), 2.0);
    let dec = decide(&f, &passed(), &s, &[]).unwrap();
    assert!(dec.dimensions[0].met, "(2×3 + 5×5) / 8 = 3.875");
    assert_eq!(dec.reasons, ["门槛指标“廉洁自律”得分 2.00，低于 3 分"]);

    // Every dimension at its minimum, the total under the threshold: (3 × 32 + 3.5 × 14) / 46.
    let mut s = all(&f, 3.0);
    for dim in ["independence", "confidentiality"] {
        for c in &f.dimension(dim).unwrap().criteria {
            s.insert(c.code.clone(), 3.5);
        }
    }
    let dec = decide(&f, &passed(), &s, &[]).unwrap();
    assert!(dec.dimensions.iter().all(|x| x.met));
    assert_eq!(dec.reasons, ["加权总分 3.15，未达到合格线 3.5"]);
    assert!((dec.weighted_total.unwrap() - 145.0 / 46.0).abs() < 1e-12);
}

#[test]
fn bad_input_and_open_disagreements_are_refused() {
    let f = Framework::shipped();
    let mut s = all(&f, 4.0);
    s.insert("listening".into(), 5.5);
    assert_eq!(decide(&f, &passed(), &s, &[]).unwrap_err().code, "score_out_of_range");
    s.insert("listening".into(), f64::NAN);
    assert_eq!(decide(&f, &passed(), &s, &[]).unwrap_err().code, "score_out_of_range");
    let mut s = all(&f, 4.0);
    s.insert("charisma".into(), 4.0);
    assert_eq!(decide(&f, &passed(), &s, &[]).unwrap_err().code, "unknown_criterion");
    let err = decide(&f, &passed(), &all(&f, 4.0), &["listening".into()]).unwrap_err();
    assert_eq!(err.code, "open_flags");
    assert!(err.message.contains("listening"));
}

#[test]
fn appeal_deadline_counts_calendar_days() {
    assert_eq!(appeal_deadline(d("2026-03-01"), 15), d("2026-03-16"));
    assert_eq!(appeal_deadline(d("2026-12-20"), 15), d("2027-01-04"));
    assert_eq!(appeal_deadline(d("2028-02-20"), 10), d("2028-03-01"), "2028 is a leap year");
    assert_eq!(appeal_deadline(d("2026-03-01"), 0), d("2026-03-01"));
}

/// One candidate from dossier to decision, through every part of the module.
#[test]
fn one_candidate_end_to_end() {
    let f = Framework::shipped();
    let today = d("2026-06-01");
    let mut x = Dossier::new("c-009", "王芳", "某区市场监管局", "消保科");
    x.work.push(WorkEntry {
        kind: WorkType::CaseHandling,
        unit: "某区市场监管局".into(),
        post: "执法队员".into(),
        start: d("2020-03-01"),
        end: None,
    });
    x.declarations.push(ConflictDeclaration { date: d("2026-05-01"), complete: true, ties: vec![] });
    x.pledge = Some(ConfidentialityPledge { signed: d("2026-05-01"), text_version: "2026版".into() });
    let gates = evaluate_gates(&x, &f.gates, today);
    assert!(all_passed(&gates));
    assert_eq!(f.gates, GateRules::default());

    // Written test: every answer right.
    let bank = QuestionBank::shipped();
    let plan: Vec<(&str, usize)> = f.dimensions.iter().map(|dim| (dim.code.as_str(), 3)).collect();
    let paper = assemble(&bank, &plan, "2026-06-01 开奖号码 07 12 19 24 30 33").unwrap();
    let answers: BTreeMap<String, Vec<String>> = paper
        .items
        .iter()
        .map(|i| {
            let best = i.options.iter().filter(|o| o.correct || o.score == Some(bank.sjt_max_score));
            (i.id.clone(), best.map(|o| o.key.clone()).collect())
        })
        .collect();
    let test = super::paper::score(&paper, &answers).unwrap();
    assert_eq!(test.total.five_point(), 5.0);

    // Every criterion scored from its method: test criteria from the test, the rest by a panel.
    let mut panel_scores = BTreeMap::new();
    let mut scores = BTreeMap::new();
    for (_, c) in f.criteria() {
        match c.method {
            AssessmentMethod::WrittenTest | AssessmentMethod::SituationalJudgement => {
                let s = test.per_criterion.get(&c.code).map_or(4.0, |s| s.five_point());
                scores.insert(c.code.clone(), s);
            }
            _ => drop(panel_scores.insert(c.code.clone(), vec![4u8, 4, 3])),
        }
    }
    for a in aggregate_criteria(&panel_scores).unwrap() {
        assert!(!a.flagged);
        scores.insert(a.criterion, a.score.unwrap());
    }
    let dec = decide(&f, &gates, &scores, &[]).unwrap();
    assert!(dec.qualified, "{:?}", dec.reasons);
    assert!(dec.weighted_total.unwrap() >= 4.0);
}
