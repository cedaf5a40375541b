//! 廉洁登记 in the store: an entry and, for a 请托, its tie in one transaction; read back by
//! officer and by bureaus; counted in the annual review's evidence (not as a declared tie); an
//! unknown kind read back is an error.

use crate::backend_test;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::independence::{Tie, TieKind};
use xinqiao_domain::ids::{RegionCode, Uscc, Username};
use xinqiao_domain::integrity::EntryKind;
use xinqiao_store::audit::Actor;
use xinqiao_store::integrity::{IntegrityScope, NewIntegrityEntry};
use xinqiao_store::users::NewUser;

backend_test!(integrity_entries_make_ties_and_feed_the_review, |db| {
    let s = &db.store;
    let console = Actor::console();
    let org =
        s.create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", None).await.unwrap();
    let user = s
        .create_user(
            &console,
            NewUser {
                username: Username::parse("officer.li").unwrap(),
                display_name: "李警官".into(),
                password_hash: "x".into(),
                org_id: Some(org.id.clone()),
                uscc: None,
                roles: vec![Role::Officer],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    let uscc = Uscc::parse("91110000600037341L").unwrap();
    let entry = |kind, tie: Option<Tie>| NewIntegrityEntry {
        kind,
        day: Date::parse("2026-11-10").unwrap(),
        enterprise_uscc: Some(uscc.clone()),
        enterprise_name: "苏州某某超市有限公司".into(),
        happened_masked: "负责人请我手下留情。".into(),
        action_masked: "拒绝".into(),
        tie,
    };
    let tie = Tie {
        kind: TieKind::ImproperRequest,
        enterprise_uscc: Some(uscc.as_str().into()),
        enterprise_name: Some("苏州某某超市有限公司".into()),
        person_index: None,
    };
    s.record_integrity(&console, &user.id, Some(&org.id), &entry(EntryKind::ImproperRequest, Some(tie.clone())))
        .await
        .unwrap();
    s.record_integrity(&console, &user.id, Some(&org.id), &entry(EntryKind::Gift, None)).await.unwrap();

    let ties = s.ties_of(&user.id).await.unwrap();
    assert_eq!(ties.iter().map(|t| t.tie.clone()).collect::<Vec<_>>(), [tie]);
    let mine = s.integrity_entries(IntegrityScope::Officer(&user.id), 0, i64::MAX).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine.iter().filter(|e| e.tied).count(), 1);
    assert_eq!(mine[0].enterprise_uscc, Some(uscc.clone()));
    let orgs = [org.id.clone()];
    assert_eq!(s.integrity_entries(IntegrityScope::Bureaus(&orgs), 0, i64::MAX).await.unwrap().len(), 2);
    assert!(s.integrity_entries(IntegrityScope::Bureaus(&["other".into()]), 0, i64::MAX).await.unwrap().is_empty());
    assert!(s.integrity_entries(IntegrityScope::Bureaus(&[]), 0, i64::MAX).await.unwrap().is_empty());

    let evidence = s.officer_evidence(&user.id, 0, i64::MAX).await.unwrap();
    assert_eq!((evidence.integrity_entries, evidence.improper_requests, evidence.ties_declared), (2, 1, 0));

    sqlx::query("UPDATE integrity_entries SET kind = 'bribe' WHERE kind = 'gift'").execute(s.pool()).await.unwrap();
    assert!(s.integrity_entries(IntegrityScope::Officer(&user.id), 0, i64::MAX).await.is_err());
});
