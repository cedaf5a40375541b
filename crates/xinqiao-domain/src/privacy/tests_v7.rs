//! Issue 24, sixth pass: the learned score of the name model's candidates (`name_learned`), with
//! the false positives it must not make.

use super::name_learned::{FEATURES, Learned};
use super::tests_v2::{has, untouched};
use super::*;

#[test]
fn the_learned_weights_load_with_every_feature_and_the_threshold() {
    let text = include_str!("../../data/privacy/name-weights.tsv");
    for f in FEATURES {
        assert!(text.lines().any(|l| l.split('\t').next() == Some(f)), "no weight for {f}");
    }
    let learned = Learned::new();
    assert!((learned.threshold - 1.0).abs() < 1e-6, "{}", learned.threshold);
    let w = |name: &str| learned.weights[FEATURES.iter().position(|f| *f == name).unwrap()];
    // What the corpus teaches: a name ends a word and a clause, a cut word is none.
    assert!(w("cut_at_end") < -1.0 && w("clause_end") > 1.0 && w("given_likelihood") > 0.0);
    assert!(w("bias") < 0.0);
}

#[test]
fn candidates_carry_their_features() {
    let d = Detector::new();
    let cands = d.name_candidates("钱是转给了冼嘉慧、鲍一鸣。", &[]);
    let at = |name: &str| FEATURES.iter().position(|f| *f == name).unwrap();
    let c = cands.iter().find(|c| (c.start, c.end) == (5, 8)).expect("冼嘉慧 is a candidate");
    assert_eq!(c.features[at("bias")], 1.0);
    assert_eq!(c.features[at("list")], 1.0, "、 after it");
    assert_eq!(c.features[at("cut_at_end")], 0.0);
    let c = cands.iter().find(|c| (c.start, c.end) == (9, 12)).expect("鲍一鸣 is a candidate");
    assert_eq!(c.features[at("clause_end")], 1.0);
    assert_eq!(c.features[at("list")], 1.0, "、 before it");
}

#[test]
fn the_default_is_either_score_and_it_keeps_every_name_the_hand_score_finds() {
    let either = Detector::new();
    assert_eq!(either.name_scoring(), NameScoring::Either);
    let hand = Detector::new().with_name_scoring(NameScoring::Hand, None);
    for text in [
        "钱是转给了冼嘉慧。",
        "签收的是卞文静，不是我。",
        "来我家量尺寸的是车晓光和莫小川。",
        "问了三次，宫雅琴都说不知道。",
        "跟单的换成了阚立群。",
        "客户经理赖文静说可以退。",
    ] {
        let names = |d: &Detector| -> Vec<String> {
            d.detect(text).into_iter().filter(|s| s.kind == PiiKind::Name).map(|s| s.text).collect()
        };
        let (h, e) = (names(&hand), names(&either));
        assert!(!h.is_empty(), "{text}");
        for n in &h {
            assert!(e.contains(n), "{text}: {n} lost ({e:?})");
        }
    }
}

#[test]
fn a_high_threshold_leaves_the_hand_score_alone() {
    // The learned score can only add names: with an unreachable threshold, Either is Hand.
    let strict = Detector::new().with_name_scoring(NameScoring::Either, Some(1e6));
    let hand = Detector::new().with_name_scoring(NameScoring::Hand, None);
    let text = "那天邬建军和柯晓东来店里，负责售后的窦明亮答应三天内处理。";
    assert_eq!(strict.detect(text), hand.detect(text));
}

#[test]
fn the_learned_score_adds_no_name_the_segmentation_vetoes() {
    // A verb after a form word, a surname standing as a conjunction, a start inside a word.
    untouched("申请人陈述：车辆于8月送修，更换的配件为拆车件。", "陈述");
    untouched("我和台湾来的朋友一起去的，也和夫人说过。", "和台湾");
    untouched("我们在威廉斯堡的奥特莱斯买的包。", "廉斯堡");
    untouched("商家说要崇尚文明消费，可是自己卖假货。", "尚文明");
}

#[test]
fn brands_places_public_bodies_and_products_survive_the_learned_score() {
    for (text, keep) in [
        ("我在周大福买的金项链，发票也开了。", "周大福"),
        ("超市把王老吉放在临期货架上卖原价。", "王老吉"),
        ("石家庄和张家口的消费者都反映过。", "石家庄"),
        ("石家庄和张家口的消费者都反映过。", "张家口"),
        ("已经把线索移交纪检监察部门处理。", "纪检监察部门"),
        ("戴森V12吸尘器用了两个月就坏了。", "戴森V12"),
        ("胡庆余堂的阿胶糕被换成了散装货。", "胡庆余堂"),
        ("杨国福麻辣烫的汤里吃出了钢丝球。", "杨国福"),
    ] {
        untouched(text, keep);
    }
    // And a name beside them is still found.
    has("在周大福买金项链时，店员邹海涛说能退。", PiiKind::Name, "邹海涛");
}
