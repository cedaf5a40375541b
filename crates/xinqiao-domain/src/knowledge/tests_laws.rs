//! Tests of the law registry: the shipped data, its checks, recording versions and repeals.

use super::laws::*;
use super::{KnowledgeError, laws};
use crate::calendar::Date;

#[test]
fn the_shipped_registry_loads_and_holds_the_facts_of_domain_md() {
    let laws = laws();
    assert!(laws.len() >= 15, "{}", laws.len());
    let order20 = Law::find(&laws, "samr-complaint-interim-measures").unwrap();
    assert_eq!(order20.doc_number, "国家市场监督管理总局令第20号");
    assert_eq!(order20.status(), LawStatus::Repealed);
    assert!(order20.current().is_none());
    let succ = order20.latest().unwrap().replaced_by.clone().unwrap();
    assert_eq!(succ, Successor { law_id: "samr-complaint-measures".into(), version: Some("2025".into()) });

    let order121 = Law::find(&laws, "samr-complaint-measures").unwrap();
    assert!(order121.verified);
    assert_eq!(order121.doc_number, "国家市场监督管理总局令第121号");
    assert_eq!(order121.current().unwrap().effective, Date::from_ymd(2026, 4, 15));
    assert_eq!(order121.status(), LawStatus::Current);

    let disclosure = Law::find(&laws, "enterprise-info-disclosure-regulation").unwrap();
    assert_eq!(disclosure.current().unwrap().id, "2024");
    assert_eq!(disclosure.current().unwrap().effective, None, "not known for sure, so not filled in");
}

#[test]
fn unverified_records_say_where_they_come_from() {
    for law in laws() {
        assert!(!law.source.trim().is_empty(), "{}", law.id);
        assert!(!law.issuer.trim().is_empty(), "{}", law.id);
        if law.verified {
            assert!(law.source.contains('✔'), "{} is marked verified without a checked source", law.id);
        }
    }
}

#[test]
fn statuses_parse_from_codes_and_labels() {
    for s in LawStatus::ALL {
        assert_eq!(LawStatus::parse(s.code()), Some(s));
        assert_eq!(LawStatus::parse(s.label()), Some(s));
    }
    assert_eq!(LawStatus::parse("现行"), Some(LawStatus::Current));
    assert_eq!(LawStatus::parse("废止"), None);
}

const ONE: &str = r#"
[[law]]
id = "a-law"
name = "甲法"
issuer = "某机关"
source = "测试"
verified = false
[[law.version]]
id = "2000"
effective = "2000-01-01"
status = "现行"
"#;

#[test]
fn the_registry_check_refuses_bad_data() {
    assert!(laws_from_toml(ONE).is_ok());
    let cases = [
        ONE.replace("a-law", "A Law"),
        ONE.replace("2000-01-01", "2000-02-30"),
        ONE.replace("现行", "有效"),
        ONE.replace("status = \"现行\"", "status = \"已修订\""),
        format!("{ONE}{}", ONE.split("[[law.version]]").nth(1).map(|v| format!("[[law.version]]{v}")).unwrap()),
        format!("{ONE}{ONE}"),
        ONE.replace("status = \"现行\"", "status = \"已废止\"\nreplaced_by = { law = \"nowhere\" }"),
        ONE.replace("verified = false", "verified = false\nextra = 1"),
    ];
    for text in cases {
        assert!(matches!(laws_from_toml(&text), Err(KnowledgeError::BadData(_))), "accepted:\n{text}");
    }
}

#[test]
fn versions_must_be_in_date_order() {
    let text = format!("{ONE}[[law.version]]\nid = \"1999\"\neffective = \"1999-01-01\"\nstatus = \"现行\"\n")
        .replacen("status = \"现行\"", "status = \"已修订\"\nreplaced_by = { version = \"1999\" }", 1);
    let err = laws_from_toml(&text).unwrap_err();
    assert!(err.to_string().contains("从早到晚"), "{err}");
}

#[test]
fn adding_a_version_and_repealing() {
    let mut law = laws_from_toml(ONE).unwrap().remove(0);
    let change = law.add_version("2010", Date::from_ymd(2010, 5, 1), "修订").unwrap();
    assert_eq!(change, LawChange::NewVersion { law_id: "a-law".into(), version: "2010".into() });
    assert_eq!(law.version("2000").unwrap().status, LawStatus::Amended);
    assert_eq!(law.current().unwrap().id, "2010");
    assert!(law.add_version("2010", None, "").is_err(), "duplicate version");
    assert!(law.add_version(" ", None, "").is_err(), "empty version");
    check_registry(std::slice::from_ref(&law)).unwrap();

    let change = law.repeal(None).unwrap();
    assert_eq!(change, LawChange::Repealed { law_id: "a-law".into(), replaced_by: None });
    assert_eq!(law.status(), LawStatus::Repealed);
    assert!(law.repeal(None).is_err());
    assert!(law.add_version("2020", None, "").is_err(), "a repealed law gets no new version");
    assert_eq!(change.describe(std::slice::from_ref(&law)), "《甲法》已废止");
}

#[test]
fn changes_between_registries() {
    let old = laws();
    let mut new = old.clone();
    let price = new.iter_mut().find(|l| l.id == "price-law").unwrap();
    price.add_version("2030", None, "").unwrap();
    let ads = new.iter_mut().find(|l| l.id == "advertising-law").unwrap();
    ads.repeal(Some(Successor { law_id: "price-law".into(), version: None })).unwrap();
    let changes = changes_between(&old, &new);
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].law_id(), "advertising-law");
    assert!(matches!(changes[0], LawChange::Repealed { .. }));
    assert_eq!(changes[0].describe(&new), "《中华人民共和国广告法》已废止，由《中华人民共和国价格法》取代");
    assert_eq!(changes[1], LawChange::NewVersion { law_id: "price-law".into(), version: "2030".into() });
    assert_eq!(changes[1].describe(&new), "《中华人民共和国价格法》有新版本（2030年版）");
    assert!(changes_between(&old, &old).is_empty());
}

#[test]
fn citations_read_as_chinese_and_articles_are_checked() {
    let laws = laws();
    let c =
        Citation {
            law_id: "consumer-rights-law".into(), version: "2013".into(), article: Some("第二十五条".into())
        };
    assert_eq!(c.label(&laws), "《中华人民共和国消费者权益保护法》第二十五条（2013年版）");
    let unknown = Citation { law_id: "nowhere".into(), version: "1".into(), article: None };
    assert_eq!(unknown.label(&laws), "nowhere@1");
    for ok in ["第二十五条", "第一百四十八条", "第九条第三项", "第五十五条第一款", "第五十五条第一款第二项"]
    {
        assert!(Citation::article_is_well_formed(ok), "{ok}");
    }
    for bad in ["", "25", "第25条", "第条", "二十五条", "第一款", "第九条第三项第一款", "第九条 ", "第九条之一"]
    {
        assert!(!Citation::article_is_well_formed(bad), "{bad}");
    }
}

#[test]
fn laws_serialise_for_the_api() {
    let laws = laws();
    let json = serde_json::to_value(Law::find(&laws, "samr-complaint-interim-measures").unwrap()).unwrap();
    assert_eq!(json["versions"][0]["effective"], "2020-01-01");
    assert_eq!(json["versions"][1]["effective"], serde_json::Value::Null);
    assert_eq!(json["versions"][1]["status"], "repealed");
    assert_eq!(json["versions"][1]["replaced_by"]["law_id"], "samr-complaint-measures");
    let back: Law = serde_json::from_value(json).unwrap();
    assert_eq!(&back, Law::find(&laws, "samr-complaint-interim-measures").unwrap());
}
