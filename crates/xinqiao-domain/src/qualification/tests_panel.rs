//! Tests of the structured interview: aggregation, disagreement flags and the panel draw.

use super::panel::*;
use crate::draws::rfc3797::select;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn aggregation_by_panel_size() {
    assert_eq!(aggregate(&[]).unwrap(), None);
    assert_eq!(aggregate(&[4, 5]).unwrap(), None, "under three assessors");
    assert_eq!(aggregate(&[2, 4, 3]).unwrap(), Some(3.0), "median of three");
    assert_eq!(aggregate(&[5, 1, 5]).unwrap(), Some(5.0));
    assert_eq!(aggregate(&[1, 2, 4, 5]).unwrap(), Some(3.0), "mean of the middle two");
    assert_eq!(aggregate(&[4, 4, 5, 2]).unwrap(), Some(4.0));
    assert_eq!(aggregate(&[3, 4, 4, 3]).unwrap(), Some(3.5));
    assert_eq!(aggregate(&[1, 2, 3, 4, 5]).unwrap(), Some(3.0), "mean without highest and lowest");
    assert_eq!(aggregate(&[5, 5, 5, 5, 1]).unwrap(), Some(5.0), "one outlier does not drag the mean");
    assert_eq!(aggregate(&[1, 1, 2, 5, 5, 5]).unwrap(), Some(3.25), "only one highest and one lowest dropped");
    assert_eq!(aggregate(&[3, 3, 3, 3, 3, 3, 3]).unwrap(), Some(3.0));
}

#[test]
fn scores_outside_one_to_five_are_refused() {
    for bad in [&[0u8, 3, 3][..], &[3, 6, 3], &[255]] {
        let err = aggregate(bad).unwrap_err();
        assert_eq!(err.code, "score_out_of_range");
        assert!(err.message.contains("1 至 5"));
    }
    assert!(check_scores(&[1, 5]).is_ok());
}

#[test]
fn spread_of_two_or_more_is_flagged() {
    assert!(spread_flag(&[3, 4, 5]));
    assert!(spread_flag(&[2, 4]));
    assert!(spread_flag(&[1, 5, 3, 3]));
    assert!(!spread_flag(&[3, 4, 4]));
    assert!(!spread_flag(&[4, 4, 4, 4, 4]));
    assert!(!spread_flag(&[5]));
    assert!(!spread_flag(&[]));
    let mut scores = BTreeMap::new();
    scores.insert("listening".to_owned(), vec![3, 4, 5]);
    scores.insert("plain_speech".to_owned(), vec![4, 4, 3]);
    let out = aggregate_criteria(&scores).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!((out[0].criterion.as_str(), out[0].score, out[0].flagged), ("listening", Some(4.0), true));
    assert_eq!((out[1].criterion.as_str(), out[1].score, out[1].flagged), ("plain_speech", Some(4.0), false));
    scores.insert("coordination".to_owned(), vec![3, 0, 4]);
    assert!(aggregate_criteria(&scores).is_err());
}

fn assessor(id: &str, unit: &str) -> Assessor {
    Assessor { id: id.into(), name: format!("评审员{id}"), unit: unit.into(), relatives: vec![], conflicts: vec![] }
}

fn pool() -> Vec<Assessor> {
    let mut p = vec![
        assessor("a01", "某区市场监管局登记科"),
        assessor("a02", "市局法规处"),
        assessor("a03", "市局消保处"),
        assessor("a04", "某县市场监管局"),
        assessor("a05", "市局执法稽查支队"),
    ];
    for (i, unit) in ["市局办公室", "市局信用监管处", "某区市场监管局", "市局食品处", "市局广告处"].iter().enumerate()
    {
        p.push(assessor(&format!("a{:02}", i + 6), unit));
    }
    p[1].relatives.push("c-001".into());
    p[3].conflicts.push("c-001".into());
    p
}

fn request(size: usize, source: &str) -> PanelRequest {
    PanelRequest {
        candidate_id: "c-001".into(),
        candidate_unit: " 某区市场监管局登记科".into(),
        candidate_relatives: vec!["a03".into()],
        candidate_conflicts: vec![],
        earlier_panel: vec!["a05".into()],
        size,
        source: source.into(),
    }
}

#[test]
fn ties_are_excluded_and_listed() {
    let draw = draw_panel(&pool(), &request(3, "2026-05-30 双色球 03 11 17 22 28 31 + 09")).unwrap();
    let excluded: Vec<(&str, TieReason)> = draw.exclusions.iter().map(|e| (e.assessor.as_str(), e.reason)).collect();
    assert_eq!(
        excluded,
        [
            ("a01", TieReason::SameUnit),
            ("a02", TieReason::Relative),
            ("a03", TieReason::Relative),
            ("a04", TieReason::DeclaredConflict),
            ("a05", TieReason::EarlierPanel),
        ]
    );
    assert_eq!(draw.eligible, ["a06", "a07", "a08", "a09", "a10"], "a08's unit is another office of the district");
    assert_eq!(draw.members.len(), 3);
    let distinct: BTreeSet<&String> = draw.members.iter().collect();
    assert_eq!(distinct.len(), 3);
    assert!(draw.members.iter().all(|m| draw.eligible.contains(m)));
    for r in [TieReason::SameUnit, TieReason::Relative, TieReason::DeclaredConflict, TieReason::EarlierPanel] {
        assert!(!r.label().is_empty() && !r.code().is_empty());
    }
}

#[test]
fn the_draw_is_reproducible_from_the_recorded_source() {
    let src = "2026-05-30 双色球 03 11 17 22 28 31 + 09";
    let a = draw_panel(&pool(), &request(3, src)).unwrap();
    assert_eq!(a.key, format!("{src}./panel:c-001/"));
    let expected: Vec<String> =
        select(a.key.as_bytes(), 5, 3).unwrap().into_iter().map(|i| a.eligible[i].clone()).collect();
    assert_eq!(a.members, expected, "the documented procedure, step by step");
    // Same source (whitespace aside), pool in any order: the same panel.
    let mut shuffled = pool();
    shuffled.reverse();
    let b = draw_panel(&shuffled, &request(3, &format!("  {}  ", src.replace(' ', "\u{3000}")))).unwrap();
    assert_eq!(b.members, a.members);
    assert!(verify_panel(&pool(), &request(3, src), &a));
    let mut forged = a.clone();
    forged.members.swap(0, 1);
    assert!(!verify_panel(&pool(), &request(3, src), &forged));
    // Other sources give other panels.
    let panels: BTreeSet<Vec<String>> =
        (1..=8).map(|i| draw_panel(&pool(), &request(3, &format!("第{i}期"))).unwrap().members).collect();
    assert!(panels.len() > 1);
    // A larger panel takes everyone eligible.
    let all = draw_panel(&pool(), &request(5, src)).unwrap();
    assert_eq!(all.members.iter().collect::<BTreeSet<_>>(), all.eligible.iter().collect::<BTreeSet<_>>());
}

#[test]
fn too_few_eligible_or_too_small_a_panel_is_refused() {
    let err = draw_panel(&pool(), &request(6, "x")).unwrap_err();
    assert_eq!(err.code, "too_few_eligible");
    assert!(err.message.contains("共 10 人") && err.message.contains("回避 5 人") && err.message.contains("只剩 5 人"));
    let small: Vec<Assessor> = pool().into_iter().take(7).collect();
    let err = draw_panel(&small, &request(3, "x")).unwrap_err();
    assert!(err.message.contains("只剩 2 人"), "{}", err.message);
    assert_eq!(draw_panel(&pool(), &request(2, "x")).unwrap_err().code, "panel_too_small");
    let mut dup = pool();
    dup.push(assessor("a07", "市局质量处"));
    assert_eq!(draw_panel(&dup, &request(3, "x")).unwrap_err().code, "duplicate_assessor");
    assert_eq!(draw_panel(&pool(), &request(3, "   ")).unwrap_err().code, "bad_source");
}
