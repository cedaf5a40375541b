//! Tests of the dossier: years by type without double counting, training hours, and the gates.

use super::dossier::*;
use super::framework::GateRules;
use crate::calendar::Date;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn work(kind: WorkType, start: &str, end: Option<&str>) -> WorkEntry {
    WorkEntry {
        kind, unit: "某区市场监管局".into(), post: kind.label().into(), start: d(start), end: end.map(d)
    }
}

/// A candidate who passes every default gate on 2026-06-01.
fn good() -> Dossier {
    let mut x = Dossier::new("c-001", "张晓明", "某区市场监管局登记科", "登记窗口");
    x.work = vec![
        work(WorkType::WindowService, "2019-01-01", Some("2020-12-31")),
        work(WorkType::CaseHandling, "2020-07-01", Some("2021-06-30")),
        work(WorkType::RoutineInspection, "2022-01-01", None),
        work(WorkType::EnterpriseService, "2021-07-01", None),
    ];
    x.declarations = vec![ConflictDeclaration {
        date: d("2026-05-01"),
        complete: true,
        ties: vec!["老乡：某餐饮企业负责人".into()],
    }];
    x.pledge = Some(ConfidentialityPledge { signed: d("2026-05-02"), text_version: "2026版".into() });
    x
}

fn gate<'a>(gates: &'a [GateResult], code: &str) -> &'a GateResult {
    gates.iter().find(|g| g.code == code).unwrap()
}

#[test]
fn merging_counts_overlaps_once() {
    let r = |a: &str, b: &str| (d(a), d(b));
    let until = d("2030-01-01");
    assert_eq!(merged_days([r("2020-01-01", "2020-01-10")], until), 10);
    // Overlapping, contained, adjacent and disjoint ranges.
    assert_eq!(merged_days([r("2020-01-01", "2020-01-10"), r("2020-01-05", "2020-01-20")], until), 20);
    assert_eq!(merged_days([r("2020-01-01", "2020-01-31"), r("2020-01-10", "2020-01-12")], until), 31);
    assert_eq!(merged_days([r("2020-01-11", "2020-01-20"), r("2020-01-01", "2020-01-10")], until), 20);
    assert_eq!(merged_days([r("2020-01-01", "2020-01-10"), r("2020-02-01", "2020-02-10")], until), 20);
    // Clipped at `until`; ranges starting after it or running backwards count nothing.
    assert_eq!(merged_days([r("2029-12-25", "2030-12-31")], until), 8);
    assert_eq!(merged_days([r("2030-01-02", "2030-12-31"), r("2020-01-10", "2020-01-01")], until), 0);
    assert_eq!(merged_days([], until), 0);
}

#[test]
fn years_by_type_and_frontline_years() {
    let x = good();
    let today = d("2026-06-01");
    let days = x.days_by_type(today);
    assert_eq!(days[&WorkType::WindowService], 731, "2019 and the leap year 2020");
    assert_eq!(days[&WorkType::CaseHandling], 365, "2020-07-01 … 2021-06-30");
    assert_eq!(days[&WorkType::RoutineInspection], 1613, "2022-01-01 … 2026-06-01, still held");
    assert_eq!(days[&WorkType::EnterpriseService], 1797);
    assert!(!days.contains_key(&WorkType::CrisisHandling));
    let years = x.years_by_type(today);
    assert!((years[&WorkType::CaseHandling] - 1.0).abs() < 1e-12);
    // Window service and case handling overlap for half a year: 2019-01-01 … 2021-06-30 once,
    // then inspection from 2022. Enterprise service is not frontline.
    assert_eq!(x.frontline_days(today), 912 + 1613);
    assert!((x.frontline_years(today) - 2525.0 / 365.0).abs() < 1e-12);
}

#[test]
fn frontline_gate_at_the_boundary_and_without_double_counting() {
    let rules = GateRules::default();
    let today = d("2026-06-01");
    let mut x = good();
    x.work = vec![work(WorkType::WindowService, "2021-01-01", Some("2023-12-31"))];
    let g = evaluate_gates(&x, &rules, today);
    assert!(gate(&g, "frontline_experience").passed, "three full calendar years without a leap day: 1095 days");
    x.work = vec![work(WorkType::WindowService, "2021-01-02", Some("2023-12-31"))];
    let g = evaluate_gates(&x, &rules, today);
    let f = gate(&g, "frontline_experience");
    assert!(!f.passed);
    assert!(
        f.reason.contains("1094 天") && f.reason.contains("约 2.9 年") && f.reason.contains("不足 3 年"),
        "{}",
        f.reason
    );
    // Two posts held at once: 1461 days if added up, 882 once merged.
    x.work = vec![
        work(WorkType::WindowService, "2022-01-01", Some("2023-12-31")),
        work(WorkType::RoutineInspection, "2022-06-01", Some("2024-05-31")),
    ];
    assert_eq!(x.frontline_days(today), 882);
    assert!(!gate(&evaluate_gates(&x, &rules, today), "frontline_experience").passed);
    // Enterprise service and crisis handling do not count.
    x.work =
        vec![work(WorkType::EnterpriseService, "2015-01-01", None), work(WorkType::CrisisHandling, "2015-01-01", None)];
    assert_eq!(x.frontline_days(today), 0);
    // A configured requirement.
    let seven = GateRules { frontline_years_min: 7.0, ..GateRules::default() };
    let g = evaluate_gates(&good(), &seven, today);
    assert!(!gate(&g, "frontline_experience").passed, "2525 days < 7 × 365 = 2555");
    assert!(gate(&g, "frontline_experience").reason.contains("约 6.9 年"));
    assert!(gate(&evaluate_gates(&good(), &rules, today), "frontline_experience").passed);
}

#[test]
fn integrity_findings_within_the_lookback_fail() {
    let rules = GateRules::default();
    let today = d("2025-06-01");
    let mut x = good();
    x.pledge.as_mut().unwrap().signed = d("2025-01-01");
    x.declarations[0].date = d("2025-01-01");
    let finding = |date: &str| IntegrityFinding { date: d(date), summary: "违规接受宴请".into() };
    x.integrity = IntegrityRecord::Findings(vec![finding("2022-06-01")]);
    let g = evaluate_gates(&x, &rules, today);
    let i = gate(&g, "integrity_record");
    assert!(!i.passed, "exactly three years ago is within the last three years");
    assert!(i.reason.contains("2022-06-01：违规接受宴请"), "{}", i.reason);
    x.integrity = IntegrityRecord::Findings(vec![finding("2022-05-31")]);
    assert!(gate(&evaluate_gates(&x, &rules, today), "integrity_record").passed);
    let short = GateRules { integrity_lookback_years: 1, ..GateRules::default() };
    x.integrity = IntegrityRecord::Findings(vec![finding("2023-06-01"), finding("2024-12-01")]);
    let g = evaluate_gates(&x, &short, today);
    assert!(!gate(&g, "integrity_record").passed);
    assert!(gate(&g, "integrity_record").reason.contains("1 项"));
    x.integrity = IntegrityRecord::Clean;
    assert!(gate(&evaluate_gates(&x, &rules, today), "integrity_record").passed);
}

#[test]
fn confidentiality_pledge_gate() {
    let today = d("2026-06-01");
    let rules = GateRules::default();
    let mut x = good();
    assert!(gate(&evaluate_gates(&x, &rules, today), "confidentiality_pledge").passed);
    let v2027 = GateRules { pledge_text_version: Some("2027版".into()), ..GateRules::default() };
    let g = evaluate_gates(&x, &v2027, today);
    assert!(!gate(&g, "confidentiality_pledge").passed);
    assert!(gate(&g, "confidentiality_pledge").reason.contains("2027版"));
    x.pledge.as_mut().unwrap().signed = d("2026-06-02");
    assert!(!gate(&evaluate_gates(&x, &rules, today), "confidentiality_pledge").passed, "signed in the future");
    x.pledge = None;
    let g = evaluate_gates(&x, &rules, today);
    assert_eq!(gate(&g, "confidentiality_pledge").reason, "尚未签署保密承诺书");
    let lax = GateRules { pledge_required: false, ..GateRules::default() };
    assert!(gate(&evaluate_gates(&x, &lax, today), "confidentiality_pledge").passed);
}

#[test]
fn declarations_gate_uses_the_latest_and_the_gift_register() {
    let today = d("2026-06-01");
    let rules = GateRules::default();
    let mut x = good();
    let gift = |refused, declared| GiftEntry {
        date: d("2026-02-10"),
        offered_by: "某连锁超市".into(),
        description: "购物卡一张".into(),
        refused,
        declared,
    };
    x.gifts = vec![gift(true, false), gift(false, true)];
    assert!(gate(&evaluate_gates(&x, &rules, today), "declarations").passed, "refused, or accepted and declared");
    x.gifts.push(gift(false, false));
    let g = evaluate_gates(&x, &rules, today);
    assert!(!gate(&g, "declarations").passed);
    assert!(gate(&g, "declarations").reason.contains("2026-02-10 购物卡一张"));
    x.gifts.clear();
    // A newer incomplete declaration replaces the older complete one; a future one is ignored.
    x.declarations.push(ConflictDeclaration { date: d("2026-05-20"), complete: false, ties: vec![] });
    assert!(!gate(&evaluate_gates(&x, &rules, today), "declarations").passed);
    x.declarations[1].date = d("2026-07-01");
    assert!(gate(&evaluate_gates(&x, &rules, today), "declarations").passed);
    x.declarations.clear();
    assert_eq!(gate(&evaluate_gates(&x, &rules, today), "declarations").reason, "尚未提交利益冲突申报");
}

#[test]
fn gates_come_in_a_fixed_order() {
    let g = evaluate_gates(&good(), &GateRules::default(), d("2026-06-01"));
    let codes: Vec<&str> = g.iter().map(|g| g.code).collect();
    assert_eq!(codes, ["frontline_experience", "integrity_record", "confidentiality_pledge", "declarations"]);
    assert!(all_passed(&g));
    let empty = Dossier::new("c-002", "李四", "某区市场监管局", "科员");
    let g = evaluate_gates(&empty, &GateRules::default(), d("2026-06-01"));
    assert_eq!(g.iter().filter(|g| !g.passed).count(), 3, "all but the clean integrity record");
    assert!(!all_passed(&g));
}

#[test]
fn training_hours_validation_and_privacy() {
    let mut x = good();
    let t =
        |date: &str, hours: f64| TrainingEntry { date: d(date), hours, topic: "电子商务法修订解读".into() };
    x.training = vec![t("2025-12-31", 2.0), t("2026-01-01", 3.5), t("2026-12-31", 4.0), t("2027-01-01", 8.0)];
    assert_eq!(x.training_hours(d("2026-01-01"), d("2026-12-31")), 7.5);
    assert_eq!(x.training_hours(d("2024-01-01"), d("2024-12-31")), 0.0);
    x.validate().unwrap();
    x.training.push(t("2026-03-01", 0.0));
    assert_eq!(x.validate().unwrap_err().code, "bad_hours");
    x.training.pop();
    x.work.push(work(WorkType::CaseHandling, "2024-01-01", Some("2023-12-31")));
    assert_eq!(x.validate().unwrap_err().code, "end_before_start");
    let shown = format!("{:?}", good());
    assert!(shown.contains("c-001") && !shown.contains("张晓明"), "{shown}");
}

#[test]
fn work_types() {
    for t in WorkType::ALL {
        assert_eq!(WorkType::parse(t.code()), Some(t));
        assert_eq!(WorkType::parse(t.label()), Some(t));
    }
    assert_eq!(WorkType::parse("窗口服务"), Some(WorkType::WindowService));
    let frontline: Vec<&str> = WorkType::ALL.into_iter().filter(|t| t.is_frontline()).map(WorkType::label).collect();
    assert_eq!(frontline, ["窗口服务", "日常检查", "案件办理"]);
    assert_eq!(WorkType::parse("值班"), None);
}
