//! 容缺受理 in the store: created and read back by column name; closed once (a second change is
//! a typed conflict, an unknown id not found); listed per bureau and per enterprise; reminded once
//! and only while open; an unknown standing is an error.

use crate::backend_test;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::deferred::Standing;
use xinqiao_domain::ids::{RegionCode, Username};
use xinqiao_store::audit::Actor;
use xinqiao_store::deferred::{DeferredError, NewDeferred};
use xinqiao_store::users::NewUser;

backend_test!(deferred_applications_close_once, |db| {
    let s = &db.store;
    let console = Actor::console();
    let org =
        s.create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", None).await.unwrap();
    let user = s
        .create_user(
            &console,
            NewUser {
                username: Username::parse("officer.li").unwrap(),
                display_name: "李".into(),
                password_hash: "x".into(),
                org_id: Some(org.id.clone()),
                uscc: None,
                roles: vec![Role::Officer],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    let actor = Actor {
        id: user.id.clone(),
        name: "officer.li".into(),
        roles: vec![Role::Officer],
        client_addr: String::new(),
    };
    let new = NewDeferred {
        org_id: org.id.clone(),
        enterprise_name: "某奶茶店".into(),
        enterprise_uscc: Some("91110000600037341L".into()),
        matter: "食品经营许可".into(),
        missing: vec!["健康证明".into(), "规章制度".into()],
        accepted_on: Date::parse("2026-11-16").unwrap(),
        deadline: Date::parse("2026-11-30").unwrap(),
    };
    let id = s.create_deferred(&actor, &new).await.unwrap();
    let other = s.create_deferred(&actor, &NewDeferred { enterprise_uscc: None, ..new.clone() }).await.unwrap();
    // The reminder: both open ones listed, given once, then neither listed again for it.
    assert_eq!(s.deferred_to_remind().await.unwrap().len(), 2);
    let day = Date::parse("2026-11-26").unwrap();
    assert!(s.remind_deferred(&id, day).await.unwrap());
    assert!(!s.remind_deferred(&id, day).await.unwrap(), "once");
    let left: Vec<String> = s.deferred_to_remind().await.unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(left, std::slice::from_ref(&other));
    let mine = s.deferred_of_enterprise("91110000600037341L").await.unwrap();
    assert_eq!((mine.len(), mine[0].reminded_on), (1, Some(day)));
    s.close_deferred(&actor, &other, Standing::Ended, Date::parse("2026-12-01").unwrap()).await.unwrap();
    assert!(!s.remind_deferred(&other, day).await.unwrap(), "a closed matter is not reminded");
    s.close_deferred(&actor, &other, Standing::Ended, Date::parse("2026-12-01").unwrap()).await.unwrap_err();
    let got = s.deferred(&id).await.unwrap();
    assert_eq!((got.standing, got.missing.clone(), got.deadline), (Standing::Open, new.missing.clone(), new.deadline));
    let on = Date::parse("2026-11-20").unwrap();
    s.close_deferred(&actor, &id, Standing::Supplied, on).await.unwrap();
    assert!(matches!(s.close_deferred(&actor, &id, Standing::Ended, on).await, Err(DeferredError::AlreadyClosed)));
    assert!(matches!(s.deferred("nope").await, Err(DeferredError::NotFound)));
    let listed = s.deferred_in(std::slice::from_ref(&org.id)).await.unwrap();
    let listed: Vec<_> = listed.into_iter().filter(|d| d.id == id).collect();
    assert_eq!((listed.len(), listed[0].closed_on), (1, Some(on)));
    assert!(s.deferred_in(&["other".into()]).await.unwrap().is_empty());
    sqlx::query("UPDATE deferred_applications SET standing = 'lost'").execute(s.pool()).await.unwrap();
    assert!(s.deferred(&id).await.is_err());
});
