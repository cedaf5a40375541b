//! Tests of the query parser: concepts, synonyms, the vocabulary, stop words and odd input.

use super::*;

fn concepts(text: &str) -> Vec<Concept> {
    parse(text, &Synonyms::shipped(), Some(&Vocabulary::shipped())).concepts
}

fn has(c: &Concept, clause: &Clause, source: Source) -> bool {
    c.alts.iter().any(|a| &a.clause == clause && a.source == source)
}

#[test]
fn synonyms_expand_to_their_group() {
    let c = concepts("储值卡怎么退");
    assert!(has(&c[0], &Clause::Term("预付卡".into()), Source::Synonym), "{c:?}");
    assert!(c[0].alts.iter().any(|a| matches!(a.clause, Clause::Phrase(_))), "{c:?}");
    assert!(c[0].alts.iter().any(|a| a.source == Source::Typed), "the word as typed stays: {c:?}");
}

#[test]
fn synonyms_need_word_boundaries() {
    // 年报 is a synonym word, but in 今年报名 it straddles 今年|报名.
    let c = parse("今年报名", &Synonyms::shipped(), None).concepts;
    assert!(!c.iter().flat_map(|c| &c.alts).any(|a| a.clause == Clause::Term("年度报告".into())), "{c:?}");
}

#[test]
fn everyday_words_bring_the_policy_words_in_one_concept() {
    let c = concepts("鞋开胶了老板不给退");
    let glue = c.iter().find(|c| c.alts.iter().any(|a| a.clause == Clause::Term("开胶".into()))).unwrap();
    assert!(
        glue.alts
            .iter()
            .any(|a| a.source == Source::Vocabulary && words_at(&a.clause).iter().any(|(_, w)| *w == "质量")),
        "{glue:?}"
    );
    let boss = c.iter().find(|c| c.alts.iter().any(|a| a.clause == Clause::Term("老板".into()))).unwrap();
    assert!(has(boss, &Clause::Term("商家".into()), Source::Vocabulary), "{boss:?}");
    assert!(has(boss, &Clause::Term("经营者".into()), Source::Vocabulary), "the meaning's synonyms: {boss:?}");
    // Without the vocabulary (case search) nothing is added.
    let plain = parse("鞋开胶了老板不给退", &Synonyms::shipped(), None).concepts;
    assert!(plain.iter().flat_map(|c| &c.alts).all(|a| a.source != Source::Vocabulary), "{plain:?}");
}

#[test]
fn group_words_containing_another_are_dropped() {
    let c = concepts("七日无理由退货");
    let phrase = |ws: &[(usize, &str)]| Clause::Phrase(ws.iter().map(|(a, w)| (*a, w.to_string())).collect());
    let synonyms: Vec<&Clause> = c[0].alts.iter().filter(|a| a.source == Source::Synonym).map(|a| &a.clause).collect();
    assert_eq!(synonyms, [&phrase(&[(0, "无"), (1, "理由"), (3, "退货")])]);
    let kept = without_subsumed(vec![Clause::Term("执照".into()), Clause::Term("执照".into())]);
    assert_eq!(kept, [Clause::Term("执照".into())]);
}

#[test]
fn stop_words_and_amounts_drop_unless_alone() {
    assert_eq!(concepts("的").len(), 1);
    let c = concepts("食品经营许可证怎么办理");
    assert!(!c.iter().flat_map(|c| &c.alts).any(|a| a.clause == Clause::Term("怎么".into())), "{c:?}");
    let c = concepts("罚款三万咋办");
    assert!(!c.iter().flat_map(|c| &c.alts).any(|a| a.clause == Clause::Term("三万".into())), "{c:?}");
    assert!(is_amount("五千块") && is_amount("几天") && !is_amount("12315") && !is_amount("十倍"));
}

#[test]
fn odd_input_never_panics() {
    for text in
        ["", "   ", "\"", "a:b", "((", "[地址]", "*", "**5678", "'); DROP TABLE", "\u{0}", "🙂", "AND OR NOT", "→"]
    {
        let p = parse(text, &Synonyms::shipped(), Some(&Vocabulary::shipped()));
        let _ = to_query(&p.concepts, &[]);
    }
    let long = "预付卡".repeat(1000);
    assert!(parse(&long, &Synonyms::shipped(), None).concepts.len() <= MAX_QUERY_CHARS);
}

#[test]
fn concepts_carry_a_key_word_for_comparing_questions() {
    let keys = |text: &str| -> Vec<String> { concepts(text).into_iter().map(|c| c.key).collect() };
    assert_eq!(keys("鞋开胶了"), ["东西", "质量问题"]);
    assert_eq!(keys("衣服洗一次就坏了"), ["东西", "洗", "质量问题"]);
    assert!(keys("储值卡怎么退").contains(&"预付卡".to_string()), "{:?}", keys("储值卡怎么退"));
    assert!(keys("医保能报吗").contains(&"医保".to_string()), "{:?}", keys("医保能报吗"));
}
