//! Tests of the shipped starter content: it parses, cites only known laws and versions, keeps
//! answers within 200 characters, passes the plain-language check, and covers the seed's topics.

use super::*;
use std::collections::HashSet;
use std::sync::OnceLock;

fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

#[test]
fn at_least_thirty_entries_all_examples_awaiting_review() {
    let entries = starter_entries();
    assert!(entries.len() >= 30, "{}", entries.len());
    let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries.len());
    for e in &entries {
        assert!(e.example, "{} must be marked as an example", e.id);
        assert!(!e.question.is_empty() && !e.explanation.is_empty(), "{}", e.id);
        assert!(!e.audience.is_empty() && !e.tags.is_empty(), "{}", e.id);
        assert!(e.review_by.is_some(), "{}", e.id);
    }
}

#[test]
fn every_citation_resolves_to_a_known_law_version() {
    let laws = laws();
    let mut cited = HashSet::new();
    for e in starter_entries() {
        assert!(!e.citations.is_empty(), "{} cites nothing", e.id);
        assert_eq!(e.check(&laws), vec![], "{}", e.id);
        for c in &e.citations {
            let law = Law::find(&laws, &c.law_id).unwrap();
            let v = law.version(&c.version).unwrap();
            assert_eq!(v.status, LawStatus::Current, "{} cites a superseded version of {}", e.id, law.id);
            cited.insert(c.law_id.as_str().to_owned());
        }
    }
    // Every law in the registry is cited by something or is the repealed predecessor of one that is.
    for law in &laws {
        let cited_or_predecessor = cited.contains(&law.id)
            || law.versions.iter().filter_map(|v| v.replaced_by.as_ref()).any(|s| cited.contains(&s.law_id));
        assert!(cited_or_predecessor, "{} is not cited", law.id);
    }
}

#[test]
fn answers_are_short_and_pass_the_plain_language_check() {
    let rules = Rules::builtin();
    let mut report = Vec::new();
    for e in starter_entries() {
        let n = e.answer.chars().count();
        assert!(n <= ANSWER_TARGET_CHARS, "{}: answer has {n} characters", e.id);
        for f in lint(jieba(), &e.answer, &rules) {
            let text: String = e.answer.chars().skip(f.start).take(f.end - f.start).collect();
            report.push(format!("{} [{}] {} «{text}»", e.id, f.kind.code(), f.message));
        }
    }
    assert!(report.is_empty(), "answers with findings:\n{}", report.join("\n"));
}

#[test]
fn explanations_do_not_trip_the_structural_checks() {
    let rules = Rules::builtin().without_action_check();
    for e in starter_entries() {
        // Explanations quote the law, so jargon and long quoted sentences are expected there; they
        // must not be unreadable piles of nouns.
        let piles: Vec<Finding> = lint(jieba(), &e.explanation, &rules)
            .into_iter()
            .filter(|f| f.kind == FindingKind::StackedNouns && f.message.contains("名词"))
            .collect();
        assert!(piles.len() <= 1, "{}: {piles:#?}", e.id);
    }
}

#[test]
fn the_seed_topics_are_covered() {
    let entries = starter_entries();
    let tags: HashSet<&str> = entries.iter().flat_map(|e| e.tags.iter().map(String::as_str)).collect();
    for topic in [
        "食品经营许可",
        "标签",
        "预付卡",
        "网络直播营销",
        "全网最低价",
        "年报填报",
        "一网通办",
        "容缺受理",
        "双随机抽查",
        "化妆品备案与注册",
        "进货台账",
        "电子台账",
        "七日无理由退货",
        "投诉举报",
        "先行和解",
        "个人信息",
    ] {
        assert!(tags.contains(topic), "no entry tagged {topic}");
    }
    let random = entries.iter().find(|e| e.id == "random-inspection-is-a-lottery").unwrap();
    assert!(random.answer.contains("摇号"), "双随机 is explained as 摇号, as in the seed");
    for audience in Audience::ALL {
        assert!(entries.iter().filter(|e| e.audience.contains(&audience)).count() >= 10, "{audience}");
    }
}

#[test]
fn entries_round_trip_through_json_and_check_their_fields() {
    let laws = laws();
    let entry = starter_entries().into_iter().find(|e| e.id == "seven-day-return").unwrap();
    let json = serde_json::to_value(&entry).unwrap();
    assert_eq!(json["audience"][0], "consumer");
    assert_eq!(json["industries"][0], "F");
    assert_eq!(json["review_by"], "2027-06-30");
    assert_eq!(json["citations"][0]["article"], "第二十五条");
    let back: QaEntry = serde_json::from_value(json).unwrap();
    assert_eq!(back, entry);

    let mut bad = entry.clone();
    bad.question = " ".into();
    bad.audience.clear();
    bad.industries.push('Z');
    bad.citations.push(Citation { law_id: "nowhere".into(), version: "1".into(), article: None });
    bad.citations.push(Citation { law_id: "price-law".into(), version: "1888".into(), article: Some("25".into()) });
    bad.tags.push(bad.tags[0].clone());
    let codes: Vec<&str> = bad.check(&laws).iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        ["required", "required", "unknown_industry", "unknown_law", "unknown_version", "bad_article", "bad_tag"]
    );
    assert_eq!(industry_label('H'), Some("住宿和餐饮业"));
    assert_eq!(industry_label('U'), None);
    assert_eq!(Audience::parse("企业"), Some(Audience::Enterprise));
}

#[test]
fn entry_files_with_mistakes_are_refused() {
    let laws = laws();
    let one = r#"
[[entry]]
id = "x"
question = "问？"
answer = "请拨打12315。"
explanation = "说明。"
citations = [{ law = "price-law" }]
audience = ["consumer"]
"#;
    let parsed = entries_from_toml(one, &laws).unwrap();
    assert_eq!(parsed[0].citations[0].version, "1997", "no version: the current one");
    assert!(!parsed[0].example);
    for bad in [
        one.replace("price-law", "nowhere"),
        one.replace("price-law", "samr-complaint-interim-measures"),
        one.replace("consumer", "official"),
        one.replace("audience", "industries = [\"HH\"]\naudience"),
        format!("{one}{one}"),
        one.replace("audience", "review_by = \"2027-13-01\"\naudience"),
    ] {
        assert!(entries_from_toml(&bad, &laws).is_err(), "accepted:\n{bad}");
    }
}
