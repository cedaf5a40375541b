//! Tests of the question bank, the recorded test-paper draw and scoring.

use super::framework::Framework;
use super::paper::*;
use super::questions::*;
use crate::draws::rfc3797::select;
use crate::knowledge::{self, Citation};
use std::collections::{BTreeMap, BTreeSet};

fn bank() -> QuestionBank {
    QuestionBank::shipped()
}

#[test]
fn shipped_bank_size_kinds_and_example_marks() {
    let b = bank();
    assert!(b.items.len() >= 40);
    assert!(!b.verified);
    assert!(b.items.iter().all(|i| i.example), "every item is an example for the bureau to review");
    let kinds = b.count_by_kind();
    assert_eq!(kinds[&ItemKind::SingleChoice], 20);
    assert_eq!(kinds[&ItemKind::MultipleChoice], 6);
    assert_eq!(kinds[&ItemKind::SituationalJudgement], 30);
    let f = Framework::shipped();
    b.check_against(&f).unwrap();
    for d in &f.dimensions {
        let n = b.items.iter().filter(|i| i.dimension == d.code && !i.kind.is_choice()).count();
        assert!(n >= 3, "{} has only {n} situational items", d.label);
    }
    // Choice items are 法律法规 and 业务流程 only.
    for i in b.items.iter().filter(|i| i.kind.is_choice()) {
        assert!(i.criterion == "laws" || i.criterion == "process", "{}", i.id);
    }
}

#[test]
fn choice_items_have_answers_citations_and_explanations() {
    let laws = knowledge::laws();
    for i in bank().items.iter().filter(|i| i.kind.is_choice()) {
        let correct = i.correct_keys().len();
        match i.kind {
            ItemKind::SingleChoice => assert_eq!(correct, 1, "{}", i.id),
            _ => assert!(correct >= 2 && correct < i.options.len(), "{}", i.id),
        }
        assert!(!i.citations.is_empty(), "{}", i.id);
        assert!(i.options.iter().all(|o| o.score.is_none() && o.explanation.chars().count() >= 6), "{}", i.id);
        for c in &i.citations {
            assert!(knowledge::Law::find(&laws, &c.law).is_some(), "{} cites unknown law {}", i.id, c.law);
            if let Some(a) = &c.article {
                assert!(Citation::article_is_well_formed(a), "{}: {a}", i.id);
            }
        }
    }
    // The two articles the brief names as sure.
    let b = bank();
    let ad = b.item("law_ad_absolute_terms").unwrap();
    assert_eq!(ad.citations[0], Cite { law: "advertising-law".into(), article: Some("第九条第三项".into()) });
    assert_eq!(ad.option("C").unwrap().text, "“国家级”");
    let ret = b.item("law_seven_day_return").unwrap();
    assert_eq!(ret.citations[0].article.as_deref(), Some("第二十五条"));
}

#[test]
fn situational_items_score_every_option_and_come_from_the_seed() {
    let b = bank();
    for i in b.items.iter().filter(|i| !i.kind.is_choice()) {
        let scores: Vec<u8> = i.options.iter().map(|o| o.score.unwrap()).collect();
        assert!(scores.iter().all(|&s| s <= b.sjt_max_score), "{}", i.id);
        assert_eq!(scores.iter().filter(|&&s| s == 3).count(), 1, "{}: one best option", i.id);
        assert!(scores.contains(&0), "{}: at least one clearly wrong option", i.id);
        assert!(i.options.iter().all(|o| !o.correct && !o.explanation.is_empty()), "{}", i.id);
    }
    let seed_cases = [
        ("sjt_lowest_price_unsure", "全网最低价"),
        ("sjt_gym_elderly_crying", "养老钱"),
        ("sjt_fellow_townsman", "老乡"),
        ("sjt_supermarket_sampling", "生鲜抽检"),
        ("sjt_licence_tomorrow", "明天就去办证"),
        ("sjt_milk_tea_foreign_body", "奶茶"),
        ("sjt_complainant_phone", "投诉人"),
    ];
    for (id, phrase) in seed_cases {
        assert!(b.item(id).unwrap_or_else(|| panic!("{id}")).stem.contains(phrase), "{id}");
    }
}

fn broken(change: impl FnOnce(&mut QuestionBank)) -> String {
    let mut b = bank();
    change(&mut b);
    b.validate().map(|_| String::new()).unwrap_or_else(|e| e.code.to_owned())
}

fn idx(b: &QuestionBank, id: &str) -> usize {
    b.items.iter().position(|i| i.id == id).unwrap()
}

#[test]
fn validation_refuses_broken_items() {
    assert_eq!(broken(|b| b.items[1].id = b.items[0].id.clone()), "duplicate_id");
    assert_eq!(broken(|b| b.items[0].id = "Law-1".into()), "bad_id");
    assert_eq!(broken(|b| b.items[0].options[0].correct = true), "bad_answer", "single choice with two answers");
    assert_eq!(
        broken(|b| {
            let i = idx(b, "law_seven_day_exceptions");
            b.items[i].options.iter_mut().for_each(|o| o.correct = false);
            b.items[i].options[0].correct = true;
        }),
        "bad_answer",
        "multiple choice with one answer"
    );
    assert_eq!(broken(|b| b.items[0].citations.clear()), "no_citation");
    assert_eq!(broken(|b| b.items[0].options[1].score = Some(1)), "score_on_choice");
    assert_eq!(broken(|b| b.items[0].options[2].explanation = " ".into()), "unexplained_option");
    assert_eq!(broken(|b| b.items[0].options[2].key = "A".into()), "bad_option_key");
    assert_eq!(broken(|b| b.items[0].options.truncate(1)), "too_few_options");
    let sjt = idx(&bank(), "sjt_fellow_townsman");
    assert_eq!(broken(|b| b.items[sjt].options[2].score = None), "unscored_option");
    assert_eq!(broken(|b| b.items[sjt].options[2].score = Some(4)), "unscored_option");
    assert_eq!(broken(|b| b.items[sjt].options[1].score = Some(2)), "no_best_option");
    assert_eq!(broken(|b| b.items[sjt].options[1].correct = true), "correct_on_sjt");
    assert_eq!(broken(|b| b.items.clear()), "empty_bank");
    assert_eq!(broken(|_| {}), "");

    let f = Framework::shipped();
    let mut b = bank();
    b.items[0].dimension = "communication".into();
    assert_eq!(b.check_against(&f).unwrap_err().code, "criterion_elsewhere");
    b.items[0].criterion = "ethics".into();
    assert_eq!(b.check_against(&f).unwrap_err().code, "unknown_criterion");
}

const PLAN: [(&str, usize); 7] = [
    ("political", 3),
    ("professional", 8),
    ("communication", 3),
    ("independence", 3),
    ("experience", 3),
    ("learning", 3),
    ("confidentiality", 3),
];
const SOURCE: &str = "2026-06-01 上证综指收盘 3125.47 考生 c-001";

#[test]
fn the_paper_is_a_reproducible_draw_per_dimension() {
    let b = bank();
    let paper = assemble(&b, &PLAN, SOURCE).unwrap();
    assert_eq!(paper.items.len(), 26);
    assert_eq!(paper.key, format!("{SOURCE}./"));
    let ids: BTreeSet<&str> = paper.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), 26, "no item twice");
    // Dimensions one after another, in the requested order.
    let dims: Vec<&str> = paper.items.iter().map(|i| i.dimension.as_str()).collect();
    let expected: Vec<&str> = PLAN.iter().flat_map(|&(d, n)| std::iter::repeat_n(d, n)).collect();
    assert_eq!(dims, expected);
    // Step by step as documented, for one dimension.
    let mut list: Vec<&Item> = b.items.iter().filter(|i| i.dimension == "independence").collect();
    list.sort_by(|x, y| x.id.cmp(&y.id));
    let picks = select(format!("{SOURCE}./dimension:independence/").as_bytes(), list.len(), 3).unwrap();
    let want: Vec<&str> = picks.iter().map(|&i| list[i].id.as_str()).collect();
    let got: Vec<&str> = paper.items[14..17].iter().map(|i| i.id.as_str()).collect();
    assert_eq!(got, want);
    // Same source → same paper; other sources → other papers.
    assert_eq!(assemble(&b, &PLAN, &format!("\t{SOURCE}  ")).unwrap().items, paper.items);
    let papers: BTreeSet<Vec<String>> = (1..=6)
        .map(|i| assemble(&b, &PLAN, &format!("{SOURCE}-{i}")).unwrap().items.into_iter().map(|i| i.id).collect())
        .collect();
    assert!(papers.len() > 1);
    assert_eq!(paper.total_points(), paper.items.iter().map(|i| i.points).sum::<u32>());
    let view = paper.questions();
    assert_eq!(view.len(), 26);
    assert_eq!(view[0].options.len(), paper.items[0].options.len());
}

#[test]
fn impossible_requests_are_refused() {
    let b = bank();
    let code = |plan: &[(&str, usize)], src: &str| assemble(&b, plan, src).unwrap_err().code;
    assert_eq!(code(&[("political", 5)], SOURCE), "too_few_items");
    assert_eq!(code(&[("ethics", 1)], SOURCE), "too_few_items");
    assert_eq!(code(&[("political", 1), ("political", 1)], SOURCE), "duplicate_dimension");
    assert_eq!(code(&[("political", 0)], SOURCE), "zero_count");
    assert_eq!(code(&[], SOURCE), "empty_request");
    assert_eq!(code(&[("political", 1)], " \n "), "bad_source");
}

fn answers(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs.iter().map(|(id, keys)| (id.to_string(), keys.iter().map(|k| k.to_string()).collect())).collect()
}

#[test]
fn scoring_all_or_nothing_and_scaled_situational_scores() {
    let b = bank();
    let paper = assemble(&b, &PLAN, SOURCE).unwrap();
    // Perfect answers.
    let perfect: BTreeMap<String, Vec<String>> = paper
        .items
        .iter()
        .map(|i| {
            let keys: Vec<String> = if i.kind.is_choice() {
                i.correct_keys().into_iter().map(str::to_owned).collect()
            } else {
                i.options.iter().filter(|o| o.score == Some(3)).map(|o| o.key.clone()).collect()
            };
            (i.id.clone(), keys)
        })
        .collect();
    let r = score(&paper, &perfect).unwrap();
    assert_eq!(r.total.earned, r.total.possible);
    assert_eq!(r.total.possible, f64::from(paper.total_points()));
    assert_eq!(r.total.five_point(), 5.0);
    assert_eq!(r.per_dimension.len(), 7);
    assert!(r.per_dimension.values().all(|s| s.fraction() == 1.0));
    // Nothing answered.
    let r = score(&paper, &BTreeMap::new()).unwrap();
    assert_eq!(r.total.earned, 0.0);
    assert_eq!(r.total.five_point(), 1.0);
    assert!(r.items.iter().all(|i| !i.answered));

    let one = |id: &str| assemble(&b, &[("professional", 29)], SOURCE).map(|p| (p, id.to_owned())).unwrap();
    let (p, id) = one("law_seven_day_exceptions");
    let s =
        |keys: &[&str]| score(&p, &answers(&[(&id, keys)])).unwrap().items.iter().find(|i| i.id == id).unwrap().earned;
    assert_eq!(s(&["A", "B", "D"]), 3.0);
    assert_eq!(s(&["D", "B", "A", "A"]), 3.0, "order and repeats do not matter");
    assert_eq!(s(&["A", "B"]), 0.0, "all or nothing");
    assert_eq!(s(&["A", "B", "C", "D"]), 0.0);
    let (p, id) = one("law_fraud_triple");
    let s1 = |keys: &[&str]| score(&p, &answers(&[(&id, keys)])).unwrap().total.earned;
    assert_eq!((s1(&["D"]), s1(&["A"])), (2.0, 0.0));
    let err = score(&p, &answers(&[(&id, &["A", "D"])])).unwrap_err();
    assert_eq!(err.code, "one_option_only");

    let paper = assemble(&b, &[("independence", 6)], SOURCE).unwrap();
    let r = score(&paper, &answers(&[("sjt_supermarket_sampling", &["D"]), ("sjt_fellow_townsman", &["A"])])).unwrap();
    let got = |id: &str| r.items.iter().find(|i| i.id == id).unwrap().earned;
    assert_eq!(got("sjt_supermarket_sampling"), 2.0, "option score 2 of 3 on a 3-point item");
    assert_eq!(got("sjt_fellow_townsman"), 1.0);
    assert_eq!(r.per_criterion["courage"].earned, 2.0);
    assert_eq!(r.per_criterion["courage"].possible, 6.0);
    assert_eq!(r.per_dimension["independence"].earned, 3.0);
    assert!((r.per_dimension["independence"].five_point() - (1.0 + 4.0 * 3.0 / 18.0)).abs() < 1e-12);
}

#[test]
fn tampered_answers_are_refused() {
    let b = bank();
    let paper = assemble(&b, &[("political", 2)], SOURCE).unwrap();
    let first = paper.items[0].id.clone();
    assert_eq!(score(&paper, &answers(&[("not_on_paper", &["A"])])).unwrap_err().code, "unknown_item");
    assert_eq!(score(&paper, &answers(&[(&first, &["Z"])])).unwrap_err().code, "unknown_option");
    assert_eq!(five_point(0.5), 3.0);
    assert_eq!(five_point(1.7), 5.0);
    assert_eq!(five_point(-1.0), 1.0);
}
