//! Case narratives: masked personal data is never searchable, organisation scope, kind and date
//! filters.

use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::privacy::Detector;
use xinqiao_search::{CaseDoc, CaseQuery, MaskedText, OrgScope, SearchIndex, plain_text};

use crate::helpers::{DAY_MS, MARCH_2025, case};

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let docs = [
        case(
            "c1",
            "org-a",
            CaseKind::Complaint,
            "在某某健身房办了储值卡，联系电话138****5678，张**说老板跑路了，要求退还余额。",
            1,
        ),
        case("c2", "org-b", CaseKind::Report, "举报某直播间宣称全网最低价，实际比门店价格还高。", 2),
        case("c3", "org-a", CaseKind::Consultation, "咨询个体工商户年报怎么填报，邮箱a***@qq.com。", 3),
    ];
    for d in &docs {
        index.upsert_case(d).unwrap();
    }
    index.commit(3).unwrap();
    index
}

fn found(index: &SearchIndex, text: &str, orgs: OrgScope) -> Vec<String> {
    index.search_cases(&CaseQuery::new(text, orgs)).unwrap().into_iter().map(|h| h.id).collect()
}

#[test]
fn a_masked_phone_number_never_matches() {
    let index = index();
    for text in ["13812345678", "5678", "138", "138****5678", "张", "qq.com", "a***@qq.com"] {
        assert!(found(&index, text, OrgScope::All).is_empty(), "{text} found something");
    }
    assert_eq!(found(&index, "健身房储值卡", OrgScope::All), ["c1"]);
    let hit = &index.search_cases(&CaseQuery::new("储值卡", OrgScope::All)).unwrap()[0];
    assert!(plain_text(&hit.snippet).contains("138****5678"), "the masked form is shown as stored");
    assert!(hit.snippet.iter().any(|f| f.highlighted && f.text == "储值卡"));
}

#[test]
fn text_masked_by_the_domain_detector_hides_identities() {
    let index = SearchIndex::in_memory().unwrap();
    let raw = "我叫王小明，手机13812345678，身份证110101199003071234，在天天鲜超市买到过期牛奶。";
    let doc = CaseDoc {
        id: "c9".into(),
        narrative: MaskedText::mask(&Detector::new(), raw),
        org_id: None,
        kind: CaseKind::Complaint,
        received_ms: MARCH_2025,
    };
    assert!(!doc.narrative.as_str().contains("13812345678"), "{}", doc.narrative.as_str());
    index.upsert_case(&doc).unwrap();
    index.commit(1).unwrap();
    for text in ["13812345678", "5678", "110101199003071234", "1234", "王小明", "小明"] {
        assert!(found(&index, text, OrgScope::All).is_empty(), "{text} found something");
    }
    assert_eq!(found(&index, "过期牛奶", OrgScope::All), ["c9"]);
    // A case without an organisation is only visible to an all-seeing scope.
    assert!(found(&index, "过期牛奶", OrgScope::Only(vec!["org-a".into()])).is_empty());
}

#[test]
fn scope_kind_and_date_filters_apply() {
    let index = index();
    assert!(found(&index, "储值卡", OrgScope::Only(Vec::new())).is_empty());
    assert!(found(&index, "", OrgScope::Only(Vec::new())).is_empty());
    assert!(found(&index, "全网最低价", OrgScope::Only(vec!["org-a".into()])).is_empty());
    assert_eq!(found(&index, "全网最低价", OrgScope::Only(vec!["org-a".into(), "org-b".into()])), ["c2"]);
    // Without text: newest first.
    assert_eq!(found(&index, "", OrgScope::Only(vec!["org-a".into()])), ["c3", "c1"]);
    // 个体户 ~ 个体工商户, 直播带货 ~ … (synonyms apply to cases too).
    assert_eq!(found(&index, "个体户年报", OrgScope::All), ["c3"]);

    let mut q = CaseQuery::new("", OrgScope::All);
    q.kinds = vec![CaseKind::Report, CaseKind::Consultation];
    q.received_from_ms = Some(MARCH_2025 + 3 * DAY_MS);
    let hits = index.search_cases(&q).unwrap();
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["c3"]);
    assert_eq!(hits[0].kind, CaseKind::Consultation);
    assert_eq!(hits[0].org_id.as_deref(), Some("org-a"));
    assert_eq!(hits[0].received_ms, MARCH_2025 + 3 * DAY_MS);
}

#[test]
fn case_upsert_replaces_and_odd_queries_are_harmless() {
    let index = index();
    index.upsert_case(&case("c1", "org-a", CaseKind::Complaint, "已撤回。", 1)).unwrap();
    index.delete_case("c2").unwrap();
    index.commit(5).unwrap();
    assert_eq!(index.doc_count().cases, 2);
    assert!(found(&index, "储值卡", OrgScope::All).is_empty());
    for text in ["\"", "org:org-a", "(*)", "*:*", "🙂", "\u{3000}"] {
        index.search_cases(&CaseQuery::new(text, OrgScope::All)).unwrap();
    }
}
