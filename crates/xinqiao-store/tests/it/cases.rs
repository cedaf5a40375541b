use crate::backend_test;
use crate::helpers::*;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::cases::{Action, CaseKind, Status};
use xinqiao_domain::ids::RegionCode;
use xinqiao_store::StoreError;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::cases::{NewCaseRow, SealedIdentity, Submission};
use xinqiao_store::conflict::{CaseConflict, Conflict};

pub fn row(kind: CaseKind, code: &str, region: &str, identity: bool) -> NewCaseRow {
    NewCaseRow {
        kind,
        tracking_code: code.into(),
        access_key_hash: "hash-of-key".into(),
        region_code: region.into(),
        industry: Some('R'),
        enterprise_name: "苏州姑苏示例健身管理有限公司".into(),
        enterprise_uscc: Some("91110000600037341L".into()),
        narrative_masked: "我在[地址]的健身房办了卡，老板电话159****1111关机。".into(),
        narrative_sealed: "v1.k1.sealed".into(),
        demand_masked: "退还余额".into(),
        amount_cents: Some(500_000),
        event_day: Some(20_527),
        consent_publish: true,
        received_day: 20_784,
        rule_set: Some("samr-order-121".into()),
        settle_until: None,
        category: Some("prepaid".into()),
        subject: Some("fitness".into()),
        attachments: Vec::new(),
        privacy: None,
        demand_privacy: None,
        identity: identity.then(|| SealedIdentity {
            sealed: "v1.k1.identity".into(),
            mobile_index: Some("mobile-index-1".into()),
            id_index: None,
        }),
    }
}

backend_test!(a_batch_of_many_regions_routes_each_case_to_its_nearest_bureau, |db| {
    let s = &db.store;
    let console = Actor::console();
    let org = |code: &'static str, name: &'static str| {
        let console = console.clone();
        async move { s.create_org(&console, &RegionCode::parse(code).unwrap(), name, None).await.unwrap() }
    };
    let province = org("320000", "江苏省市场监督管理局").await;
    let city = org("320500", "苏州市市场监督管理局").await;
    let district = org("320508", "姑苏区市场监督管理局").await;
    let capital = org("110000", "北京市市场监督管理局").await;
    // (region, the bureau it goes to): its own, its city's, its province's, none at all.
    let expected: [(&str, Option<&str>); 7] = [
        ("320508", Some(&district.id)),
        ("320506", Some(&city.id)),
        ("320500", Some(&city.id)),
        ("320102", Some(&province.id)),
        ("110105", Some(&capital.id)),
        ("440305", None),
        ("320508", Some(&district.id)),
    ];
    let subs: Vec<Submission> = expected
        .iter()
        .enumerate()
        .map(|(i, (region, _))| Submission {
            actor: Actor::console(),
            cases: vec![row(CaseKind::Consultation, &format!("2611R{i:08}C"), region, false)],
            open311: None,
        })
        .collect();
    let ids = s.intake_many(&subs).await.unwrap();
    for ((region, org), ids) in expected.iter().zip(&ids) {
        let case = s.case(&ids[0]).await.unwrap();
        assert_eq!(case.org_id.as_deref(), *org, "region {region}");
    }
});

backend_test!(intake_routes_links_and_records, |db| {
    let s = &db.store;
    let console = Actor::console();
    let city =
        s.create_org(&console, &RegionCode::parse("320500").unwrap(), "苏州市市场监督管理局", None).await.unwrap();
    let district = s
        .create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", Some(&city.id))
        .await
        .unwrap();
    let public = Actor::anonymous("", "203.0.113.9");
    let ids = s
        .intake(
            &public,
            &[
                row(CaseKind::Complaint, "2611AAAAAAAAA1", "320508", true),
                row(CaseKind::Report, "2611AAAAAAAAA2", "320508", true),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let complaint = s.case_by_tracking_code("2611AAAAAAAAA1").await.unwrap();
    let report = s.case(&ids[1]).await.unwrap();
    assert_eq!(complaint.status, Status::AwaitingAcceptance);
    assert_eq!(report.status, Status::AwaitingVerification);
    assert_eq!(complaint.org_id.as_deref(), Some(district.id.as_str()), "routed to the district bureau");
    assert_eq!(complaint.linked_case_id.as_deref(), Some(report.id.as_str()));
    assert_eq!(report.linked_case_id.as_deref(), Some(complaint.id.as_str()));

    // A region without its own bureau goes to the city's.
    let other = s.intake(&public, &[row(CaseKind::Consultation, "2611AAAAAAAAA3", "320506", false)]).await.unwrap();
    let other = s.case(&other[0]).await.unwrap();
    assert_eq!(other.org_id.as_deref(), Some(city.id.as_str()));
    assert!(other.anonymous);

    let events = s.case_events(&complaint.id, true).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].to_status, Some(Status::AwaitingAcceptance));
    let audit =
        s.audit_entries(&Filter { action: Some("case.intake".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 3);
    assert!(audit.iter().all(|e| !e.record.detail.contains("159") && e.record.client_addr == "203.0.113.9"));
    let (outbox,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox").fetch_one(s.pool()).await.unwrap();
    assert_eq!(outbox, 3);
    assert!(matches!(s.case_by_tracking_code("2611ZZZZZZZZZZ").await, Err(StoreError::NotFound)));
});

backend_test!(a_failed_intake_leaves_nothing, |db| {
    let s = &db.store;
    let dup = [
        row(CaseKind::Complaint, "2611BBBBBBBBB1", "320508", true),
        row(CaseKind::Report, "2611BBBBBBBBB1", "320508", true),
    ];
    assert!(s.intake(&Actor::console(), &dup).await.is_err(), "the second tracking code collides");
    let (cases,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(s.pool()).await.unwrap();
    let (identities,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM case_identities").fetch_one(s.pool()).await.unwrap();
    assert_eq!((cases, identities), (0, 0));
    assert!(s.verify_audit_chain(|_, _| {}).await.unwrap().is_intact());
});

backend_test!(identity_reads_need_a_purpose_and_are_recorded, |db| {
    let s = &db.store;
    let officer = user_with(s, "officer", &[Role::Officer]).await;
    let ids = s.intake(&Actor::console(), &[row(CaseKind::Complaint, "2611CCCCCCCCC1", "320508", true)]).await.unwrap();
    let who = admin_actor(&officer);
    let refused = s.read_identity(&who, &ids[0], "看").await;
    assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.field == "purpose"));
    let sealed = s.read_identity(&who, &ids[0], "电话联系投诉人安排调解").await.unwrap();
    assert_eq!(sealed.as_deref(), Some("v1.k1.identity"));
    let reads = s
        .audit_entries(&Filter { action: Some("case.identity".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].record.purpose, "电话联系投诉人安排调解");
    assert_eq!(reads[0].record.actor_name, "officer");
    assert_eq!(s.cases_by_index(Some("mobile-index-1"), None).await.unwrap(), ids);
    assert!(s.cases_by_index(None, None).await.unwrap().is_empty());
});

backend_test!(transitions_list_and_notes, |db| {
    use xinqiao_store::cases::{CaseFilter, Transition};
    let s = &db.store;
    let console = Actor::console();
    let city =
        s.create_org(&console, &RegionCode::parse("320500").unwrap(), "苏州市市场监督管理局", None).await.unwrap();
    let officer = user_with(s, "officer", &[Role::Officer]).await;
    let ids = s.intake(&console, &[row(CaseKind::Complaint, "2611DDDDDDDDD1", "320500", true)]).await.unwrap();
    s.intake(&console, &[row(CaseKind::Report, "2611DDDDDDDDD2", "320500", false)]).await.unwrap();
    let who = admin_actor(&officer);
    let accept = Transition {
        case_id: &ids[0],
        from: Status::AwaitingAcceptance,
        action: &Action::Accept,
        note: "已受理".into(),
        public: true,
        assign: None,
        org: None,
        finish: None,
    };
    let accepted = s.transition(&who, accept.clone()).await.unwrap();
    assert_eq!(accepted.status, Status::Accepted);
    let stale = s.transition(&who, accept).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "a second accept finds the status changed");
    assert!(
        matches!(stale, Err(StoreError::Conflict(Conflict::Case(CaseConflict::ChangedMeanwhile)))),
        "typed as changed meanwhile: {stale:?}"
    );
    let assigned = s
        .transition(
            &who,
            Transition {
                case_id: &ids[0],
                from: Status::Accepted,
                action: &Action::Assign,
                note: "分派给承办人".into(),
                public: false,
                assign: Some(Some(&officer.id)),
                org: None,
                finish: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(assigned.assigned_to.as_deref(), Some(officer.id.as_str()));
    s.add_case_note(&who, &ids[0], "case.note", "电话联系了商家", false).await.unwrap();
    assert!(matches!(s.add_case_note(&who, "nope", "case.note", "x", false).await, Err(StoreError::NotFound)));
    let history = s.case_events(&ids[0], false).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["case.intake", "case.accept", "case.assign", "case.note"]
    );
    assert_eq!(s.case_events(&ids[0], true).await.unwrap().len(), 2, "only public steps on the tracking page");

    let all =
        s.list_cases(&CaseFilter { org_ids: vec![city.id.clone()], limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 2);
    let complaints = s
        .list_cases(&CaseFilter {
            uscc: Some("91110000600037341L".into()),
            kinds: vec![CaseKind::Complaint],
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(complaints.len(), 1);
    let none =
        s.list_cases(&CaseFilter { org_ids: vec!["other".into()], limit: 50, ..Default::default() }).await.unwrap();
    assert!(none.is_empty());
    let audit =
        s.audit_entries(&Filter { action: Some("case.".into()), limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 5, "two intakes, accept, assign, note");
});

backend_test!(a_batch_of_submissions_commits_together_and_chains_its_audit, |db| {
    let s = &db.store;
    let subs: Vec<Submission> = (0..30)
        .map(|i| Submission {
            actor: Actor::anonymous("", &format!("198.51.100.{i}")),
            cases: if i % 3 == 0 {
                vec![
                    row(CaseKind::Complaint, &format!("2611E{i:08}A"), "320508", true),
                    row(CaseKind::Report, &format!("2611E{i:08}B"), "320508", true),
                ]
            } else {
                vec![row(CaseKind::Consultation, &format!("2611E{i:08}C"), "320508", false)]
            },
            open311: None,
        })
        .collect();
    let ids = s.intake_many(&subs).await.unwrap();
    assert_eq!(ids.iter().map(Vec::len).sum::<usize>(), 40);
    let first = s.case(&ids[0][0]).await.unwrap();
    assert_eq!(first.linked_case_id.as_deref(), Some(ids[0][1].as_str()));
    assert_eq!(s.case(&ids[0][1]).await.unwrap().linked_case_id.as_deref(), Some(ids[0][0].as_str()));
    let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
    assert!(v.is_intact());
    assert_eq!(v.checked, 40);
    let entries = s.audit_entries(&Filter { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(
        entries.last().unwrap().record.client_addr,
        "198.51.100.0",
        "oldest first entry from the first submission"
    );
    // A batch with a colliding tracking code stores nothing.
    let clash = vec![
        Submission {
            actor: Actor::console(),
            cases: vec![row(CaseKind::Consultation, "2611FFFFFFFFF1", "320508", false)],
            open311: None,
        },
        Submission {
            actor: Actor::console(),
            cases: vec![row(CaseKind::Consultation, "2611E00000001C", "320508", false)],
            open311: None,
        },
    ];
    assert!(s.intake_many(&clash).await.is_err());
    assert!(matches!(s.case_by_tracking_code("2611FFFFFFFFF1").await, Err(StoreError::NotFound)));
});

backend_test!(pauses_and_acceptance_day, |db| {
    use xinqiao_store::cases::{PauseReason, Transition};
    let s = &db.store;
    let ids = s.intake(&Actor::console(), &[row(CaseKind::Complaint, "2611GGGGGGGGG1", "320508", true)]).await.unwrap();
    assert!(s.case_pauses(&ids[0]).await.unwrap().is_empty());
    assert_eq!(s.accepted_at(&ids[0]).await.unwrap(), None);
    s.pause_case(&Actor::console(), &ids[0], PauseReason::Supplement, 20_780).await.unwrap();
    assert!(matches!(
        s.pause_case(&Actor::console(), &ids[0], PauseReason::Testing, 20_781).await,
        Err(StoreError::Conflict(_))
    ));
    s.resume_case(&Actor::console(), &ids[0], 20_783).await.unwrap();
    assert_eq!(s.case_pauses(&ids[0]).await.unwrap(), vec![(PauseReason::Supplement, 20_780, Some(20_783))]);
    let t = Transition {
        case_id: &ids[0],
        from: Status::AwaitingAcceptance,
        action: &Action::Accept,
        note: String::new(),
        public: true,
        assign: None,
        org: None,
        finish: None,
    };
    s.transition(&Actor::console(), t).await.unwrap();
    assert!(s.accepted_at(&ids[0]).await.unwrap().is_some());
});

backend_test!(a_transition_follows_the_workflow_of_the_case_kind, |db| {
    use xinqiao_domain::cases::MediationResult;
    use xinqiao_store::cases::{Finish, Transition};
    let s = &db.store;
    let console = Actor::console();
    let ids = s.intake(&console, &[row(CaseKind::Complaint, "2611EEEEEEEEE1", "320508", false)]).await.unwrap();
    let step = |from, action| Transition {
        case_id: &ids[0],
        from,
        action,
        note: String::new(),
        public: true,
        assign: None,
        org: None,
        finish: None,
    };
    // A complaint is not closed before it was mediated, nor answered like a consultation.
    let close = Action::Close(MediationResult::Settled);
    let refused = s.transition(&console, step(Status::AwaitingAcceptance, &close)).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    assert!(matches!(refused, Err(StoreError::Conflict(Conflict::Case(CaseConflict::NotAllowed)))), "{refused:?}");
    assert!(matches!(
        s.transition(&console, step(Status::AwaitingAcceptance, &Action::Reply)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.case(&ids[0]).await.unwrap().status, Status::AwaitingAcceptance, "nothing written");
    assert!(s.case_events(&ids[0], false).await.unwrap().iter().all(|e| e.action != "case.close"));
    // The workflow's path: the store decides each next status and records the action's code.
    let accepted = s.transition(&console, step(Status::AwaitingAcceptance, &Action::Accept)).await.unwrap();
    assert_eq!(accepted.status, Status::Accepted);
    s.transition(&console, step(Status::Accepted, &Action::Assign)).await.unwrap();
    s.transition(&console, step(Status::Assigned, &Action::StartMediation)).await.unwrap();
    let finish = Finish { on_time: true, mediation: Some(true), recovered_cents: None };
    let closed = s.transition(&console, Transition { finish: Some(finish), ..step(Status::Mediating, &close) }).await;
    assert_eq!(closed.unwrap().status, Status::Closed);
    let codes: Vec<String> = s.case_events(&ids[0], false).await.unwrap().into_iter().map(|e| e.action).collect();
    for code in ["case.accept", "case.assign", "case.mediate", "case.close"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    assert!(matches!(
        s.transition(&console, step(Status::AwaitingAcceptance, &Action::Accept)).await,
        Err(StoreError::Conflict(_))
    ));
    let missing = Transition { case_id: "no-such-case", ..step(Status::AwaitingAcceptance, &Action::Accept) };
    assert!(matches!(s.transition(&console, missing).await, Err(StoreError::NotFound)));
});
