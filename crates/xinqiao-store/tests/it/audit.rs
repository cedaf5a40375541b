use crate::backend_test;
use crate::helpers::*;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::audit::{ChainBreak, Outcome};
use xinqiao_store::audit::{Actor, Event, Filter};

backend_test!(chain_verifies_and_filters, |db| {
    let s = &db.store;
    let admin = user_with(s, "sys.admin", &[Role::SysAdmin]).await;
    for i in 0..5 {
        s.audit(&admin_actor(&admin), Event::new("test.look", format!("x:{i}"), Outcome::Success)).await.unwrap();
    }
    s.audit(&Actor::anonymous("mallory", "10.0.0.9"), Event::new("auth.login", "user:unknown", Outcome::Failure))
        .await
        .unwrap();
    let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
    assert!(v.is_intact(), "{v:?}");
    assert_eq!(v.checked, 7, "user.create + 5 looks + 1 login");

    let all = s.audit_entries(&Filter { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 7);
    assert_eq!(all[0].record.seq, 7, "newest first");
    let failures =
        s.audit_entries(&Filter { outcome: Some(Outcome::Failure), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].record.client_addr, "10.0.0.9");
    let by_actor = s
        .audit_entries(&Filter {
            actor: Some("SYS".into()),
            action: Some("test.".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_actor.len(), 5, "case-insensitive actor match and action prefix");
    let paged = s.audit_entries(&Filter { before_seq: Some(3), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(paged.iter().map(|e| e.record.seq).collect::<Vec<_>>(), vec![2, 1]);
    let wildcard =
        s.audit_entries(&Filter { actor: Some("%".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert!(wildcard.is_empty(), "a % typed by a person is no wildcard");
    let underscore =
        s.audit_entries(&Filter { actor: Some("s_s".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert!(underscore.is_empty(), "_ matches only itself");
    let literal =
        s.audit_entries(&Filter { actor: Some("s.ad".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(literal.len(), 5, "the five looks by sys.admin");
    // A category: any of several prefixes, with the other filters still applying.
    let any = |prefixes: &[&str]| Filter {
        actions: prefixes.iter().map(|p| (*p).to_owned()).collect(),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(s.audit_entries(&any(&["auth.", "test."])).await.unwrap().len(), 6, "user.create is left out");
    assert_eq!(s.audit_entries(&any(&["auth.", "user."])).await.unwrap().len(), 2);
    assert_eq!(s.audit_entries(&any(&["t_st."])).await.unwrap().len(), 0, "_ is no wildcard");
    let failed = Filter { outcome: Some(Outcome::Failure), ..any(&["test.", "auth."]) };
    assert_eq!(s.audit_entries(&failed).await.unwrap().len(), 1);
});

backend_test!(entries_cannot_be_updated_or_deleted, |db| {
    let s = &db.store;
    user_with(s, "someone", &[Role::Officer]).await;
    let upd = sqlx::query("UPDATE audit_log SET outcome = 'failure' WHERE seq = 1").execute(s.pool()).await;
    assert!(upd.is_err(), "UPDATE must be refused");
    let del = sqlx::query("DELETE FROM audit_log").execute(s.pool()).await;
    assert!(del.is_err(), "DELETE must be refused");
    assert!(s.verify_audit_chain(|_, _| {}).await.unwrap().is_intact());
});

backend_test!(tampering_is_found, |db| {
    let s = &db.store;
    for name in ["a.one", "a.two", "a.three"] {
        user_with(s, name, &[Role::Officer]).await;
    }
    // Someone with raw database access removes the guard and edits entry 2.
    let drop_guard = match s.backend() {
        xinqiao_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        xinqiao_store::Backend::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
    };
    sqlx::raw_sql(drop_guard).execute(s.pool()).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 2").execute(s.pool()).await.unwrap();
    let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
    assert_eq!(v.broken, Some(ChainBreak::Content { seq: 2 }));
    assert_eq!(v.checked, 1);
});

backend_test!(deleting_the_newest_entry_is_found, |db| {
    let s = &db.store;
    user_with(s, "a.one", &[Role::Officer]).await;
    user_with(s, "a.two", &[Role::Officer]).await;
    let drop_guard = match s.backend() {
        xinqiao_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_delete",
        xinqiao_store::Backend::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
    };
    sqlx::raw_sql(drop_guard).execute(s.pool()).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(s.pool()).await.unwrap();
    let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
    assert!(!v.is_intact(), "a chain shorter than its head is broken");
});

backend_test!(concurrent_appends_keep_the_chain, |db| {
    let s = db.store.clone();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.audit(&Actor::console(), Event::new("test.parallel", format!("n:{i}"), Outcome::Success)).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
    assert!(v.is_intact(), "{v:?}");
    assert_eq!(v.checked, 16);
});

backend_test!(verifying_while_others_append_stays_intact, |db| {
    let s = db.store.clone();
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                s.audit(&Actor::console(), Event::new("test.busy", format!("n:{i}"), Outcome::Success)).await.unwrap();
            }
        })
    };
    for _ in 0..10 {
        let v = s.verify_audit_chain(|_, _| {}).await.unwrap();
        assert!(v.is_intact(), "{v:?}");
    }
    writer.await.unwrap();
    assert!(s.verify_audit_chain(|_, _| {}).await.unwrap().is_intact());
});

backend_test!(a_keyed_chain_continues_an_unkeyed_one_and_checkpoints_pin_it, |db| {
    use xinqiao_domain::audit::ChainKey;
    let plain = &db.store;
    for i in 0..3 {
        plain.audit(&Actor::console(), Event::new("test.look", format!("x:{i}"), Outcome::Success)).await.unwrap();
    }
    // The key arrives with an upgrade: entries from 4 on are keyed, earlier ones stay as they were.
    let key = ChainKey::new(b"from secrets.toml".to_vec(), 4);
    let keyed = plain.clone().with_chain_key(key.clone());
    for i in 3..6 {
        keyed.audit(&Actor::console(), Event::new("test.look", format!("x:{i}"), Outcome::Success)).await.unwrap();
    }
    assert!(keyed.verify_audit_chain(|_, _| {}).await.unwrap().is_intact());
    let unkeyed = plain.verify_audit_chain(|_, _| {}).await.unwrap();
    assert_eq!(unkeyed.broken.map(|b| b.seq()), Some(4), "without the key the keyed part does not verify");
    let other = plain.clone().with_chain_key(ChainKey::new(b"a guess".to_vec(), 4));
    assert!(!other.verify_audit_chain(|_, _| {}).await.unwrap().is_intact());

    let c = keyed.take_checkpoint().await.unwrap().expect("a keyed store signs checkpoints");
    assert_eq!(c.seq, 6);
    assert!(key.signed(&c));
    assert_eq!(keyed.checkpoints(10).await.unwrap(), vec![c.clone()]);
    assert!(keyed.verify_checkpoint(&c).await.unwrap().holds());
    keyed.audit(&Actor::console(), Event::new("test.look", "x:later", Outcome::Success)).await.unwrap();
    assert!(keyed.verify_checkpoint(&c).await.unwrap().holds(), "later entries do not disturb an earlier checkpoint");
    assert!(plain.take_checkpoint().await.unwrap().is_none(), "no key, no checkpoint");
});
