//! Q&A ranking over the 39 starter entries: everyday words reach the policy entry, the question
//! counts more than a stray word in an answer, who asks moves entries up without hiding others,
//! a strict search answers nothing when nothing fits, and the labelled set stays where it is.

use xinqiao_domain::knowledge::Audience;
use xinqiao_search::eval::{LABELLED_QUERIES_TOML, evaluate, labelled_from_toml, starter_index};
use xinqiao_search::{QaQuery, SearchIndex, Vocabulary, plain_text};

use crate::helpers::qa;

fn first(index: &SearchIndex, text: &str, audience: Option<Audience>) -> Option<String> {
    index.search_qa(&QaQuery::public(text, audience)).unwrap().hits.first().map(|h| h.id.clone())
}

#[test]
fn everyday_words_find_the_policy_entry() {
    let index = starter_index().unwrap();
    let cases = [
        ("鞋穿两天就开胶了 老板死活不退", "quality-problem-return"),
        ("瑜伽馆老板卷钱跑了 卡里还剩好多钱", "prepaid-card-shop-closed"),
        ("自家熬的辣酱装瓶卖 贴纸上要印啥", "prepackaged-food-label-contents"),
        ("我不会弄网上那套 能不能当面去窗口办执照", "offline-help-for-elderly"),
    ];
    for (text, expected) in cases {
        assert_eq!(first(&index, text, None).as_deref(), Some(expected), "{text}");
    }
    // The matched policy words are highlighted in the question shown.
    let hit = &index.search_qa(&QaQuery::public("鞋开胶了", None)).unwrap().hits[0];
    assert!(hit.question.iter().any(|f| f.highlighted && f.text.contains("质量问题")), "{:?}", hit.question);

    // Without the vocabulary the everyday words reach nothing.
    index.set_vocabulary(Vocabulary::default());
    assert_ne!(first(&index, "鞋穿两天就开胶了 老板死活不退", None).as_deref(), Some("quality-problem-return"));
    // An edited vocabulary takes effect at once.
    index.set_vocabulary(Vocabulary::from_lines("开胶 → 质量问题").unwrap());
    assert_eq!(first(&index, "鞋开胶了 不给退", None).as_deref(), Some("quality-problem-return"));
}

#[test]
fn the_question_counts_more_than_a_stray_word_in_a_long_answer() {
    let index = SearchIndex::in_memory().unwrap();
    let filler = "请先核对购物凭证，并保留好聊天记录和照片。".repeat(8);
    index.upsert_qa(&qa("in-question", "电动车电池鼓包了怎么办？", "请停止充电并联系商家检测。")).unwrap();
    index
        .upsert_qa(&qa("in-answer", "网购商品到货后怎么验货？", &format!("{filler}电池鼓包的，请拒收。{filler}")))
        .unwrap();
    index.commit(1).unwrap();
    let hits = index.search_qa(&QaQuery::new("电池鼓包")).unwrap().hits;
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["in-question", "in-answer"]);
    assert!(hits[0].score > hits[1].score * 1.5, "{hits:?}");
}

#[test]
fn who_asks_moves_entries_up_without_hiding_the_others() {
    let index = starter_index().unwrap();
    let text = "ODR先行和解";
    let ids = |audience| -> Vec<String> {
        index.search_qa(&QaQuery::public(text, audience)).unwrap().hits.into_iter().map(|h| h.id).collect()
    };
    let consumer = ids(Some(Audience::Consumer));
    let enterprise = ids(Some(Audience::Enterprise));
    assert_eq!(consumer.first().map(String::as_str), Some("complaint-settling-with-odr-enterprise"), "{consumer:?}");
    assert_eq!(enterprise.first().map(String::as_str), Some("enterprise-joins-odr"), "{enterprise:?}");
    assert!(consumer.contains(&"enterprise-joins-odr".to_string()), "the enterprise entry stays: {consumer:?}");
    // The staff filter still narrows strictly.
    let mut staff = QaQuery::new(text);
    staff.audience = Some(Audience::Enterprise);
    let narrowed: Vec<String> = index.search_qa(&staff).unwrap().hits.into_iter().map(|h| h.id).collect();
    assert!(!narrowed.contains(&"complaint-settling-with-odr-enterprise".to_string()), "{narrowed:?}");
}

#[test]
fn a_strict_search_answers_nothing_when_nothing_fits() {
    let index = starter_index().unwrap();
    for text in ["跨省异地就医要先备案吗", "房东不退押金怎么办", "孩子上学要交什么材料", "考驾照要多少钱"]
    {
        let strict = index.search_qa(&QaQuery::public(text, Some(Audience::Consumer))).unwrap();
        assert!(
            strict.hits.is_empty() && strict.total == 0,
            "{text}: {:?}",
            strict.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
        );
    }
    // A staff search (not strict) still lists what shares a word, best first.
    let loose = index.search_qa(&QaQuery::new("跨省异地就医要先备案吗")).unwrap();
    assert!(!loose.hits.is_empty());
    // A question the entries answer is not cut, and weak hits far below the best are dropped.
    let found = index.search_qa(&QaQuery::public("健身房关门了卡里的钱怎么退", None)).unwrap();
    assert_eq!(found.hits[0].id, "prepaid-card-shop-closed");
    assert!(found.hits.len() < 10, "{}", found.hits.len());
    let best = found.hits[0].score;
    assert!(found.hits.iter().all(|h| h.score >= best * index.ranking().tail), "{:?}", found.hits);
}

#[test]
fn the_search_says_how_it_understood_the_question() {
    let index = starter_index().unwrap();
    let understood = index.understand_qa("鞋开胶了 医保能报吗").unwrap();
    let glue = understood.iter().find(|u| u.said.contains("开胶")).expect("开胶 is understood");
    assert!(glue.also.iter().any(|w| w.contains("质量")), "{glue:?}");
    assert!(!glue.unknown);
    let outside = understood.iter().find(|u| u.said == "医保").expect("医保 is understood");
    assert!(outside.unknown, "another department's word is never covered: {outside:?}");
    assert!(outside.importance > glue.importance, "{understood:?}");
    let hits = index.search_qa(&QaQuery::public("鞋开胶了", None)).unwrap().hits;
    assert!(plain_text(&hits[0].question).contains("质量问题"));
}

#[test]
fn the_labelled_set_stays_above_its_floor() {
    // Floors a little under the figures measured when the ranking was written (see
    // `cargo bench --bench qa`); a change that loses ground fails here.
    let index = starter_index().unwrap();
    let queries = labelled_from_toml(LABELLED_QUERIES_TOML).unwrap();
    let report = evaluate(&index, &queries, true).unwrap();
    let (tuning, holdout) = (report.get("tuning", "all"), report.get("holdout", "all"));
    assert!(tuning.success_at_1() >= 0.93 && tuning.success_at_3() >= 0.97, "{}", report.table());
    assert!(holdout.success_at_1() >= 0.85 && holdout.success_at_3() >= 0.85, "{}", report.table());
    let all = report.get("all", "all");
    assert!(all.empty_rate() >= 0.8 && all.mrr() >= 0.9, "{}", report.table());
    for voice in ["consumer", "shop", "elderly", "formal"] {
        assert!(report.get("all", voice).success_at_1() >= 0.8, "{voice}: {}", report.table());
    }
    // Without the audience the figures hold too.
    let without = evaluate(&index, &queries, false).unwrap().get("all", "all");
    assert!(without.success_at_1() >= 0.88, "{}", without.line());
}

#[test]
fn replaced_entries_waiting_for_a_merge_do_not_change_the_ranking() {
    // An entry saved again leaves its old version in the index until segments merge; the
    // figures must be those of a fresh index.
    let queries = labelled_from_toml(LABELLED_QUERIES_TOML).unwrap();
    let fresh = evaluate(&starter_index().unwrap(), &queries, true).unwrap().get("all", "all");
    let edited = SearchIndex::in_memory().unwrap();
    let docs = xinqiao_search::eval::starter_docs();
    for doc in &docs {
        edited.upsert_qa(doc).unwrap();
    }
    edited.commit(1).unwrap();
    // All but one saved again: the first segment keeps 38 replaced versions and one live entry.
    for doc in &docs[1..] {
        edited.upsert_qa(doc).unwrap();
    }
    edited.commit(2).unwrap();
    assert_eq!(edited.doc_count().qa, 39);
    assert_eq!(evaluate(&edited, &queries, true).unwrap().get("all", "all"), fresh);
}
