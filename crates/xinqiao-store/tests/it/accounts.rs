use crate::backend_test;
use crate::helpers::*;
use xinqiao_domain::accounts::{GrantRefusal, Role, SecurityPolicy};
use xinqiao_domain::ids::{RegionCode, Username};
use xinqiao_store::StoreError;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::sessions::{Completion, Lookup, Stage};
use xinqiao_store::users::NewUser;

backend_test!(users_roles_and_orgs, |db| {
    let s = &db.store;
    let city = s
        .create_org(&Actor::console(), &RegionCode::parse("320500").unwrap(), "苏州市市场监督管理局", None)
        .await
        .unwrap();
    let district = s
        .create_org(&Actor::console(), &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", Some(&city.id))
        .await
        .unwrap();
    let outside =
        s.create_org(&Actor::console(), &RegionCode::parse("110101").unwrap(), "东城区", Some(&city.id)).await;
    assert!(matches!(outside, Err(StoreError::Invalid(e)) if e.code == "outside_parent"));
    assert_eq!(s.list_orgs().await.unwrap().len(), 2);

    let sys = user_with(s, "sys", &[Role::SysAdmin]).await;
    let sec = user_with(s, "sec", &[Role::SecAdmin]).await;
    let officer = user_with(s, "officer.wang", &[Role::Officer]).await;
    let dup = s
        .create_user(
            &Actor::console(),
            NewUser {
                username: Username::parse("OFFICER.WANG").unwrap(),
                display_name: "重复".into(),
                password_hash: "x".into(),
                org_id: None,
                uscc: None,
                roles: vec![],
                must_change_password: false,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    assert!(
        matches!(
            dup,
            Err(StoreError::Conflict(xinqiao_store::Conflict::Account(
                xinqiao_store::conflict::AccountConflict::UsernameTaken
            )))
        ),
        "on both databases the taken name is recognised: {dup:?}"
    );

    let moved = s.set_org(&admin_actor(&sys), &officer.id, Some(&district.id)).await.unwrap();
    assert_eq!(moved.org_name.as_deref(), Some("姑苏区市场监督管理局"));

    // The system administrator grants business roles but not administrator roles.
    let up = s.set_roles(&admin_actor(&sys), &officer.id, &[Role::Officer, Role::Supervisor]).await.unwrap();
    assert_eq!(up.roles, vec![Role::Officer, Role::Supervisor]);
    let refused = s.set_roles(&admin_actor(&sys), &officer.id, &[Role::AuditAdmin]).await;
    assert!(matches!(refused, Err(StoreError::Refused(GrantRefusal::AdminRoleNeedsSecAdmin))));
    let own = s.set_roles(&admin_actor(&sec), &sec.id, &[]).await;
    assert!(matches!(own, Err(StoreError::Refused(GrantRefusal::OwnRoles))));
    let granted = s.set_roles(&admin_actor(&sec), &officer.id, &[Role::AuditAdmin]).await.unwrap();
    assert_eq!(granted.roles, vec![Role::AuditAdmin]);
    let audit =
        s.audit_entries(&Filter { action: Some("user.roles".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 2, "two successful role changes recorded");
    assert!(audit[0].record.detail.contains("auditadmin"));
});

backend_test!(lockout_after_failures, |db| {
    let s = &db.store;
    let u = user_with(s, "clumsy", &[Role::Officer]).await;
    let policy = SecurityPolicy::default();
    let who = Actor::anonymous("clumsy", "127.0.0.1");
    for i in 1..policy.max_failed_logins {
        assert_eq!(s.note_login_failure(&who, Some(&u.id), "bad_password", &policy).await.unwrap(), None, "try {i}");
    }
    let until = s.note_login_failure(&who, Some(&u.id), "bad_password", &policy).await.unwrap();
    assert!(until.is_some(), "the fifth failure locks");
    assert!(s.user(&u.id).await.unwrap().locked_until.is_some());
    let locks =
        s.audit_entries(&Filter { action: Some("auth.lock".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(locks.len(), 1);
    let finished = s.finish_login(&who, &u.id, Completion::NoSession, "password").await;
    assert!(matches!(finished, Err(StoreError::Locked)), "no login completes while locked");
    sqlx::query("UPDATE users SET locked_until = 1").execute(s.pool()).await.unwrap();
    s.finish_login(&who, &u.id, Completion::NoSession, "password").await.unwrap();
    let after = s.user(&u.id).await.unwrap();
    assert_eq!(after.locked_until, None);
});

backend_test!(sessions_expire_and_follow_disable, |db| {
    let s = &db.store;
    let sys = user_with(s, "sys", &[Role::SysAdmin]).await;
    let u = user_with(s, "officer", &[Role::Officer]).await;
    let token = s.start_session(&u.id, Stage::SecondFactor).await.unwrap();
    let Lookup::Live(sess) = s.session(&token, 60_000).await.unwrap() else { panic!("live") };
    assert_eq!(sess.stage, Stage::SecondFactor);
    s.finish_login(&admin_actor(&u), &u.id, Completion::Pending(&sess.token_hash), "password+totp").await.unwrap();
    let Lookup::Live(after) = s.session(&token, 60_000).await.unwrap() else { panic!("live") };
    assert_eq!(after.stage, Stage::Full);
    assert_ne!(after.csrf_token, sess.csrf_token, "CSRF token renewed on step-up");
    assert!(matches!(s.session("nonsense", 60_000).await.unwrap(), Lookup::Missing));
    assert!(matches!(s.session(&token, -1).await.unwrap(), Lookup::Expired), "idle longer than allowed");
    assert!(matches!(s.session(&token, 60_000).await.unwrap(), Lookup::Missing), "expired sessions are removed");

    let again = s.start_session(&u.id, Stage::Full).await.unwrap();
    s.set_disabled(&admin_actor(&sys), &u.id, true).await.unwrap();
    assert!(matches!(s.session(&again, 60_000).await.unwrap(), Lookup::Missing));
});

backend_test!(tokens_are_hashed_and_revocable, |db| {
    let s = &db.store;
    let u = user_with(s, "api.user", &[Role::Officer]).await;
    let (info, value) = s.create_token(&Actor::console(), &u.id, "脚本").await.unwrap();
    assert!(value.starts_with("xq_"));
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM api_tokens").fetch_one(s.pool()).await.unwrap();
    assert_ne!(stored, value, "only the hash is stored");
    assert_eq!(s.token_user(&value).await.unwrap().unwrap().id, u.id);
    s.revoke_token(&Actor::console(), &u.id, &info.id).await.unwrap();
    assert!(s.token_user(&value).await.unwrap().is_none());
    assert!(s.list_tokens(&u.id).await.unwrap()[0].revoked);
});

backend_test!(totp_steps_are_single_use, |db| {
    let s = &db.store;
    let u = user_with(s, "sec", &[Role::SecAdmin]).await;
    s.set_totp_secret(&Actor::console(), &u.id, Some("GEZDGNBVGY3TQOJQ")).await.unwrap();
    assert!(s.user(&u.id).await.unwrap().totp_enabled);
    assert!(s.consume_totp_step(&u.id, 100).await.unwrap());
    assert!(!s.consume_totp_step(&u.id, 100).await.unwrap(), "replay");
    assert!(!s.consume_totp_step(&u.id, 99).await.unwrap(), "older step");
    assert!(s.consume_totp_step(&u.id, 101).await.unwrap());
});

backend_test!(settings_round_trip, |db| {
    let s = &db.store;
    assert_eq!(s.setting::<SecurityPolicy>("security_policy").await.unwrap(), None);
    let tighter = SecurityPolicy { min_password_len: 12, ..Default::default() };
    s.put_setting(&Actor::console(), "security_policy", &tighter).await.unwrap();
    s.put_setting(&Actor::console(), "security_policy", &tighter).await.unwrap();
    assert_eq!(s.setting::<SecurityPolicy>("security_policy").await.unwrap(), Some(tighter));
});

backend_test!(admin_grants_end_access_and_admin_accounts_are_the_consoles, |db| {
    let s = &db.store;
    let sys = user_with(s, "sys", &[Role::SysAdmin]).await;
    let sec = user_with(s, "sec", &[Role::SecAdmin]).await;
    let officer = user_with(s, "officer", &[Role::Officer]).await;
    let token = s.start_session(&officer.id, Stage::Full).await.unwrap();
    let (_, api) = s.create_token(&Actor::console(), &officer.id, "t").await.unwrap();
    s.set_roles(&admin_actor(&sec), &officer.id, &[Role::AuditAdmin]).await.unwrap();
    assert!(matches!(s.session(&token, 60_000).await.unwrap(), Lookup::Missing), "a new administrator logs in afresh");
    assert!(s.token_user(&api).await.unwrap().is_none());

    let refused = s.set_password(&admin_actor(&sys), &sec.id, "x", true, None).await;
    assert!(matches!(refused, Err(StoreError::Refused(GrantRefusal::AdminAccount))), "{refused:?}");
    let refused = s.set_disabled(&admin_actor(&sys), &officer.id, true).await;
    assert!(matches!(refused, Err(StoreError::Refused(GrantRefusal::AdminAccount))));
    s.set_disabled(&Actor::console(), &officer.id, true).await.unwrap();
    let denied = s
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(denied.len(), 2);
});

backend_test!(password_change_revokes_tokens, |db| {
    let s = &db.store;
    let u = user_with(s, "officer", &[Role::Officer]).await;
    let (_, api) = s.create_token(&Actor::console(), &u.id, "t").await.unwrap();
    s.set_password(&admin_actor(&u), &u.id, "new-hash", false, None).await.unwrap();
    assert!(s.token_user(&api).await.unwrap().is_none());
});

backend_test!(unknown_org_is_a_validation_error, |db| {
    let s = &db.store;
    let u = user_with(s, "officer", &[Role::Officer]).await;
    let res = s.set_org(&Actor::console(), &u.id, Some("no-such-org")).await;
    assert!(matches!(res, Err(StoreError::Invalid(ref e)) if e.code == "missing_reference"), "{res:?}");
});

/// The small writes of signing in and out (a token's last use, a TOTP step, a cleared throttle,
/// a session ended) wait for the writers' turn like every write: outside it they waited in
/// SQLite's busy handler, and a writer holding the lock past its 5 seconds (an import committing
/// batch after batch in the same process) made them fail as busy.
#[tokio::test]
async fn sign_in_writes_wait_for_the_writers_turn() {
    let db = xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Sqlite).await.unwrap();
    let s = &db.store;
    let u = user_with(s, "sec", &[Role::SecAdmin]).await;
    let (_, value) = s.create_token(&Actor::console(), &u.id, "脚本").await.unwrap();
    let token = s.start_session(&u.id, Stage::Full).await.unwrap();
    let Lookup::Live(sess) = s.session(&token, 60_000).await.unwrap() else { panic!("live") };
    // A writer holding the turn (and SQLite's lock) longer than the busy timeout.
    let held = s.begin().await.unwrap();
    let holder = async move {
        tokio::time::sleep(std::time::Duration::from_millis(5_600)).await;
        held.commit().await
    };
    let (used, step, cleared, ended, held) = tokio::join!(
        s.token_user(&value),
        s.consume_totp_step(&u.id, 100),
        s.login_succeeded("sec|127.0.0.1"),
        s.end_session(&sess.token_hash),
        holder
    );
    held.unwrap();
    assert_eq!(used.unwrap().map(|u| u.username), Some("sec".to_owned()));
    assert!(step.unwrap(), "the step was recorded once the turn was its own");
    cleared.unwrap();
    ended.unwrap();
    assert!(matches!(s.session(&token, 60_000).await.unwrap(), Lookup::Missing));
}
