//! The law registry, Q&A entries with versions, the law-change cascade, votes, links to cases
//! and the change log that search follows, on both backends.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::knowledge::{LawStatus, QaStatus};
use xinqiao_store::StoreError;
use xinqiao_store::audit::Actor;
use xinqiao_store::knowledge::{CitationRow, EntryText, LawRow, LawVersionRow};

fn law(id: &str) -> LawRow {
    LawRow {
        id: id.into(),
        name: "中华人民共和国消费者权益保护法".into(),
        issuer: "全国人民代表大会常务委员会".into(),
        doc_number: String::new(),
        source: "测试".into(),
        verified: false,
        versions: vec![LawVersionRow {
            version: "2013".into(),
            effective_day: Some(16_160),
            status: LawStatus::Current,
            replaced_by: None,
        }],
    }
}

fn text(q: &str, law: &str) -> EntryText {
    EntryText {
        question: q.into(),
        answer: "可以在收到商品之日起七日内退货，请保持商品完好。".into(),
        explanation: "网购商品一般适用七日无理由退货。".into(),
        audience: "consumer".into(),
        industries: "F".into(),
        tags: "退货".into(),
        citations: vec![CitationRow { law_id: law.into(), version: "2013".into(), article: "第二十五条".into() }],
        review_by: None,
        example: true,
    }
}

backend_test!(entries_versions_cascade_and_votes, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.upsert_law(&a, &law("cpl")).await.unwrap();
    s.upsert_law(&a, &law("other")).await.unwrap();
    let before = s.last_change().await.unwrap();
    let id = s.create_entry(&a, QaStatus::Draft, &text("网购的衣服不合适能退吗？", "cpl")).await.unwrap();
    let other = s.create_entry(&a, QaStatus::Draft, &text("别的问题？", "other")).await.unwrap();
    let v2 =
        s.revise_entry(&a, &id, 1, QaStatus::Draft, &text("网上买的衣服不合适，七天内能退吗？", "cpl")).await.unwrap();
    assert_eq!(v2, 2);
    assert!(matches!(
        s.revise_entry(&a, &id, 1, QaStatus::Draft, &text("旧版本", "cpl")).await,
        Err(StoreError::Conflict(_))
    ));
    let versions = s.entry_versions(&id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.question.as_str()).collect::<Vec<_>>(),
        vec!["网购的衣服不合适能退吗？", "网上买的衣服不合适，七天内能退吗？"]
    );
    assert_eq!(versions[1].citations[0].article, "第二十五条");

    s.set_entry_status(&a, &id, QaStatus::Draft, QaStatus::Review, "qa.submit").await.unwrap();
    assert!(matches!(
        s.set_entry_status(&a, &id, QaStatus::Draft, QaStatus::Review, "qa.submit").await,
        Err(StoreError::Conflict(_))
    ));
    s.set_entry_status(&a, &id, QaStatus::Review, QaStatus::Published, "qa.publish").await.unwrap();
    s.set_entry_status(&a, &other, QaStatus::Draft, QaStatus::Review, "qa.submit").await.unwrap();
    let e = s.entry(&id).await.unwrap();
    assert_eq!((e.status, e.version), (QaStatus::Published, 2));
    assert!(e.published_at.is_some() && e.reviewer_id.is_some());

    // Votes count on published entries only.
    assert!(s.vote_entry(&id, "visitor-1", true).await.unwrap());
    assert!(s.vote_entry(&id, "visitor-2", false).await.unwrap());
    assert!(s.vote_entry(&id, "visitor-3", true).await.unwrap());
    assert!(!s.vote_entry(&id, "visitor-3", true).await.unwrap(), "one vote per visitor");
    assert!(!s.vote_entry(&id, "visitor-3", false).await.unwrap(), "not even the other way");
    assert!(matches!(s.vote_entry(&other, "visitor-1", true).await, Err(StoreError::NotFound)));
    let e = s.entry(&id).await.unwrap();
    assert_eq!((e.helpful, e.unhelpful), (2, 1));

    // A new version of the law: entries citing it become 待复核; the others stay.
    let new = LawVersionRow {
        version: "2026".into(),
        effective_day: Some(20_800),
        status: LawStatus::Current,
        replaced_by: None,
    };
    let stale = s.change_law(&a, "cpl", &new, &[id.clone(), "unknown".into()]).await.unwrap();
    assert_eq!(stale, vec![id.clone()], "only entries still in review or published move");
    assert_eq!(s.entry(&id).await.unwrap().status, QaStatus::Stale);
    assert_eq!(s.entry(&other).await.unwrap().status, QaStatus::Review);
    let laws = s.laws().await.unwrap();
    let cpl = laws.iter().find(|l| l.id == "cpl").unwrap();
    assert_eq!(cpl.versions.iter().map(|v| v.status.code()).collect::<Vec<_>>(), vec!["amended", "current"]);
    assert_eq!(s.entries(&[QaStatus::Stale], Some(&a.id), 10).await.unwrap().len(), 1, "on its author's list");

    // Every change is in the log that search follows.
    let changes = s.changes_since(before, 100).await.unwrap();
    assert!(changes.iter().filter(|c| c.topic == "qa" && c.entity_id == id).count() >= 5);
    assert!(changes.windows(2).all(|w| w[0].seq < w[1].seq));
});

backend_test!(entries_are_linked_to_case_replies, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.upsert_law(&a, &law("cpl")).await.unwrap();
    let id = s.create_entry(&a, QaStatus::Draft, &text("网购退货？", "cpl")).await.unwrap();
    let case = s.intake(&a, &[row(CaseKind::Consultation, "2611QQQQQQQQQ1", "320508", true)]).await.unwrap().remove(0);
    assert!(
        matches!(s.link_entry_to_case(&a, &case, &id, "参考").await, Err(StoreError::NotFound)),
        "drafts are not linked"
    );
    s.set_entry_status(&a, &id, QaStatus::Draft, QaStatus::Published, "qa.publish").await.unwrap();
    s.link_entry_to_case(&a, &case, &id, "答复参考：网购退货？").await.unwrap();
    s.link_entry_to_case(&a, &case, &id, "答复参考：网购退货？").await.unwrap();
    assert_eq!(s.case_entries(&case).await.unwrap().len(), 1);
    let history = s.case_events(&case, true).await.unwrap();
    assert_eq!(history.iter().filter(|e| e.note.contains("答复参考")).count(), 1, "linked once");
    let week = s.published_between(0, i64::MAX).await.unwrap();
    assert_eq!(week.len(), 1);
});

backend_test!(published_entries_come_due_for_review_soonest_first, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.upsert_law(&a, &law("cpl")).await.unwrap();
    let with_date = |q: &str, day: Option<i64>| EntryText { review_by: day, ..text(q, "cpl") };
    let late = s.create_entry(&a, QaStatus::Published, &with_date("明年才到期？", Some(20_900))).await.unwrap();
    let soon = s.create_entry(&a, QaStatus::Published, &with_date("下周到期？", Some(20_790))).await.unwrap();
    let past = s.create_entry(&a, QaStatus::Published, &with_date("已经过期？", Some(20_700))).await.unwrap();
    s.create_entry(&a, QaStatus::Draft, &with_date("草稿也到期？", Some(20_700))).await.unwrap();
    s.create_entry(&a, QaStatus::Published, &with_date("没有复核日期？", None)).await.unwrap();

    let due: Vec<String> = s.entries_due_for_review(20_800, 100).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(due, vec![past.clone(), soon.clone()], "published, dated on or before the day, soonest first");
    let all: Vec<String> = s.entries_due_for_review(20_900, 100).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(all, vec![past, soon, late]);
});

backend_test!(an_unknown_stored_status_is_an_error_not_a_default, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.upsert_law(&a, &law("cpl")).await.unwrap();
    let id = s.create_entry(&a, QaStatus::Draft, &text("网购退货？", "cpl")).await.unwrap();
    sqlx::query("UPDATE qa_entries SET status = 'archived' WHERE id = $1").bind(&id).execute(s.pool()).await.unwrap();
    match s.entry(&id).await {
        Err(StoreError::BadValue { column, value }) => assert_eq!((column, value.as_str()), ("status", "archived")),
        other => panic!("an unknown status must be refused, got {other:?}"),
    }
    assert!(matches!(s.entries(&[], None, 10).await, Err(StoreError::BadValue { .. })), "not read as a draft");
    sqlx::query("UPDATE law_versions SET status = 'withdrawn'").execute(s.pool()).await.unwrap();
    assert!(matches!(s.laws().await, Err(StoreError::BadValue { column: "status", .. })), "not read as current");
});
