//! Q&A search: a question finds the entry that answers it, synonyms, filters, paging, upserts and
//! odd input.

use xinqiao_domain::ids::Industry;
use xinqiao_domain::knowledge::{Audience, QaStatus};
use xinqiao_search::{QaQuery, SearchIndex, Synonyms, plain_text};

use crate::helpers::{DAY_MS, MARCH_2025, entries, ids, index_with_entries, qa, snippets};

#[test]
fn a_question_finds_the_entry_that_answers_it() {
    let index = index_with_entries();
    let cases = [
        ("直播带货能不能说全网最低价", "live-price"),
        ("店铺关门了预付卡里的钱怎么退", "prepaid-refund"),
        ("开饭馆要办什么许可证", "food-licence"),
        ("年报什么时候报", "annual-report"),
        ("网购衣服七天无理由退货", "seven-day-return"),
        ("食品标签上要写哪些内容", "food-label"),
        ("进口化妆品备案", "cosmetics-filing"),
        ("电子台账行不行", "e-ledger"),
        ("为什么查到我家", "random-check"),
    ];
    for (query, expected) in cases {
        let found = ids(&index, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(expected),
            "{query}: {found:?} {:?}",
            snippets(&index, query)
        );
    }
}

#[test]
fn synonyms_find_entries_that_use_another_word() {
    let index = index_with_entries();
    // 储值卡 appears nowhere; the entry says 预付卡.
    assert_eq!(ids(&index, "储值卡").first().map(String::as_str), Some("prepaid-refund"));
    // 直播带货 ~ 网络直播营销.
    assert!(ids(&index, "直播带货").contains(&"live-duty".to_string()));
    // 摇号抽查 ~ 双随机、一公开 (a group word with punctuation inside).
    assert_eq!(ids(&index, "摇号抽查").first().map(String::as_str), Some("random-check"));

    index.set_synonyms(Synonyms::default());
    assert!(ids(&index, "储值卡").is_empty());
    index.set_synonyms(Synonyms::from_lines("储值卡，预付卡").unwrap());
    assert_eq!(ids(&index, "储值卡"), ["prepaid-refund"]);
}

#[test]
fn hits_carry_highlighted_question_and_snippet() {
    let index = index_with_entries();
    let hit = &index.search_qa(&QaQuery::new("储值卡退钱")).unwrap().hits[0];
    assert_eq!(plain_text(&hit.question), "在美容店办的预付卡，店铺关门了怎么退钱？");
    let marked: Vec<&str> = hit.question.iter().filter(|f| f.highlighted).map(|f| f.text.as_str()).collect();
    assert_eq!(marked, ["预付卡", "退钱"]);
    assert!(!hit.snippet.is_empty());
    assert_eq!(hit.status, QaStatus::Published);
    assert_eq!(hit.updated_ms, MARCH_2025 + 3 * DAY_MS);
}

#[test]
fn filters_narrow_by_audience_industry_status_and_date() {
    let index = index_with_entries();
    let search = |q: QaQuery| -> Vec<String> { index.search_qa(&q).unwrap().hits.into_iter().map(|h| h.id).collect() };

    let mut q = QaQuery::new("退货 退钱 许可证");
    q.audience = Some(Audience::Consumer);
    let found = search(q.clone());
    assert!(found.contains(&"seven-day-return".into()) && found.contains(&"prepaid-refund".into()), "{found:?}");
    assert!(!found.contains(&"food-licence".into()), "{found:?}");

    let mut q = QaQuery::new("");
    q.industry = Some(Industry::parse("H").unwrap());
    q.limit = 100;
    let found = search(q);
    for id in ["food-licence", "e-ledger", "annual-report", "random-check"] {
        assert!(found.contains(&id.to_string()), "{id} missing from {found:?}");
    }
    assert!(!found.contains(&"food-label".into()) && !found.contains(&"licence-term-old".into()), "{found:?}");

    // Published only by default; other statuses on request.
    assert!(!ids(&index, "食品经营许可证有效期").contains(&"licence-term-old".into()));
    let mut q = QaQuery::new("食品经营许可证有效期");
    q.statuses = vec![QaStatus::Retired];
    assert_eq!(search(q), ["licence-term-old"]);
    let mut q = QaQuery::new("");
    q.statuses = vec![QaStatus::Stale, QaStatus::Draft];
    assert_eq!(search(q), ["ledger-keep"]);
    let mut q = QaQuery::new("");
    q.statuses = Vec::new();
    q.limit = 100;
    assert_eq!(search(q).len(), entries().len());

    // Updated within [day 5, day 7): annual-report (5) and seven-day-return (6).
    let mut q = QaQuery::new("");
    q.updated_from_ms = Some(MARCH_2025 + 5 * DAY_MS);
    q.updated_to_ms = Some(MARCH_2025 + 7 * DAY_MS);
    assert_eq!(search(q), ["seven-day-return", "annual-report"]);
}

#[test]
fn an_empty_query_lists_newest_first_and_pages_with_a_total() {
    let index = index_with_entries();
    let mut q = QaQuery::new("  ");
    q.limit = 3;
    let first = index.search_qa(&q).unwrap();
    assert_eq!(first.total, 10);
    assert_eq!(
        first.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["e-ledger", "random-check", "cosmetics-filing"]
    );
    q.offset = 9;
    assert_eq!(index.search_qa(&q).unwrap().hits.len(), 1);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert_qa(&qa("x", "营业执照丢了怎么补办？", "登报声明作废后申请补领。")).unwrap();
    index.upsert_qa(&qa("x", "营业执照遗失怎么补领？", "在网上申请补领即可。")).unwrap();
    index.commit(2).unwrap();
    assert_eq!(index.doc_count().qa, 1);
    assert!(ids(&index, "登报声明").is_empty());
    assert_eq!(ids(&index, "执照遗失"), ["x"]);
    index.upsert_qa(&qa("x", "营业执照遗失怎么补领？", "第三版。")).unwrap();
    index.commit(3).unwrap();
    assert_eq!(index.search_qa(&QaQuery::new("执照")).unwrap().total, 1);
    index.delete_qa("x").unwrap();
    index.delete_qa("never-there").unwrap();
    index.commit(4).unwrap();
    assert_eq!(index.doc_count().qa, 0);
}

#[test]
fn odd_input_neither_panics_nor_errors() {
    let index = index_with_entries();
    let long = "预付卡".repeat(5000);
    let odd = [
        "",
        " ",
        "\"",
        "\"全网最低价",
        "title:foo",
        "a:b:c",
        "((预付卡",
        "[地址]",
        "*",
        "?",
        "\\",
        "AND OR NOT",
        "+-!^~",
        "\u{0}",
        "🙂🙂",
        "'); DROP TABLE qa; --",
        "１２３１５",
        "ＡＢＣ",
        &long,
    ];
    for text in odd {
        let mut q = QaQuery::new(text);
        q.limit = 0;
        q.offset = usize::MAX;
        index.search_qa(&q).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(index.search_qa(&QaQuery::new(text)).unwrap().hits.len() <= 10);
    }
    assert_eq!(ids(&index, "\"全网最低价\"").first().map(String::as_str), Some("live-price"));
}

#[test]
fn the_handle_is_shareable() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<SearchIndex>();
}
