use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

#[tokio::test]
async fn token_login_and_me() {
    let app = TestApp::start().await;
    app.user("officer.li", &[Role::Officer]).await;
    let token = app.token("officer.li").await;
    let me: Value =
        Client::new().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "officer.li");
    assert_eq!(me["roles"], json!(["officer"]));
    let (stored,): (String,) =
        sqlx::query_as("SELECT token_hash FROM api_tokens").fetch_one(app.state.store.pool()).await.unwrap();
    assert_ne!(stored, token);
    let res = Client::new().get(app.url("/api/v1/me")).bearer_auth("xq_forged").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "unauthorized");
    let res = Client::new().get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_bodies_get_clear_errors() {
    let app = TestApp::start().await;
    let c = Client::new();
    let url = app.url("/api/v1/auth/token");
    let res = c.post(&url).header("content-type", "application/json").body("{\"username\": ").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "malformed_json");
    let res = c.post(&url).json(&json!({"username": "a", "password": "b", "admin": true})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("admin"), "{body}");
    let res = c.post(&url).body("username=a").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = "x".repeat(200 * 1024);
    let res = c.post(&url).json(&json!({"username": huge, "password": "b"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(res).await, "payload_too_large");
}

#[tokio::test]
async fn wrong_passwords_slow_down_that_name_from_that_client_never_lock_anyone_out() {
    let app = TestApp::start().await;
    app.user("officer.zhao", &[Role::Officer]).await;
    app.user("security", &[Role::SecAdmin]).await;
    let c = Client::new();
    let attempt = |name: &'static str, pw: &'static str| {
        c.post(app.url("/api/v1/auth/token")).json(&json!({"username": name, "password": pw})).send()
    };
    for _ in 0..5 {
        let res = attempt("officer.zhao", "Wrong-password-1").await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(error_code(res).await, "bad_credentials");
    }
    // The sixth attempt from this client waits, even with the right password.
    let res = attempt("officer.zhao", PASSWORD).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(error_code(res).await, "too_many_requests");
    // An unknown name gets exactly the same answers: 401 five times, then 429.
    for _ in 0..5 {
        assert_eq!(attempt("nobody", "x").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("nobody", "x").await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    // The account is not locked: its holder signs in from elsewhere at once.
    let elsewhere = xinqiao_web::auth::check::check_password(&app.state, "officer.zhao", PASSWORD, "10.1.2.3").await;
    assert!(elsewhere.is_ok(), "nobody can lock someone else out");
    // Here, once the delay has passed.
    app.state.clock().advance(31_000);
    assert_eq!(attempt("officer.zhao", PASSWORD).await.unwrap().status(), StatusCode::CREATED);
    // The holder and the security administrators are told.
    let zhao = app.state.store.user_by_name("officer.zhao").await.unwrap();
    let told = app.state.store.notices(&zhao.id, 10).await.unwrap();
    assert_eq!(told.len(), 1);
    assert!(told[0].text.contains("连续 5 次登录失败"), "{told:?}");
    let admins = app.state.store.notices(xinqiao_store::throttle::SECADMINS, 10).await.unwrap();
    assert!(admins.iter().any(|n| n.text.contains("officer.zhao")), "{admins:?}");
    let failures = app
        .state
        .store
        .audit_entries(&Filter {
            action: Some("auth.login".into()),
            outcome: Some(xinqiao_domain::audit::Outcome::Failure),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failures.len(), 10, "5 wrong passwords + 5 unknown names (throttled attempts are not checked)");
}

#[tokio::test]
async fn what_was_typed_as_an_unknown_name_is_never_kept() {
    let app = TestApp::start().await;
    let c = Client::new();
    let typed = "Xinqiao-Secret-Passw0rd";
    let res =
        c.post(app.url("/api/v1/auth/token")).json(&json!({"username": typed, "password": "x"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let all = app.state.store.audit_entries(&Filter { limit: 100, ..Default::default() }).await.unwrap();
    let entry = all.iter().find(|e| e.record.action == "auth.login").expect("the failure is audited");
    assert!(entry.record.actor_name.starts_with("未知用户名#"), "{}", entry.record.actor_name);
    for e in &all {
        let r = &e.record;
        assert!(!format!("{} {} {} {}", r.actor_name, r.target, r.detail, r.purpose).contains(typed));
    }
}

#[tokio::test]
async fn administrators_need_their_second_factor() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let c = Client::new();
    let res = c
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "sys", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "second_factor");
    let code = app.next_code("sys");
    let ok = c
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "sys", "password": PASSWORD, "totp_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED);
    let replay = c
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "sys", "password": PASSWORD, "totp_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED, "a code is good once");
    // An administrator who never bound an authenticator must do so on the web first.
    app.user("sec.new", &[Role::SecAdmin]).await;
    let res = c
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "sec.new", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn create_and_update_users_over_the_api() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let token = app.token("sys").await;
    let c = Client::new();
    let created = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "Officer.Sun", "display_name": "孙体验", "password": "Sun-Officer-2026", "roles": ["officer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let user: Value = created.json().await.unwrap();
    assert_eq!(user["username"], "officer.sun", "login names are stored lower-case");
    let id = user["id"].as_str().unwrap();

    let dup = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "officer.sun", "display_name": "重复", "password": "Sun-Officer-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), StatusCode::CONFLICT);

    let invalid = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "x", "display_name": "", "password": "short", "uscc": "91110000600037341M", "roles": ["king"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["username", "display_name", "uscc", "roles", "password"] {
        assert!(fields.contains(&f), "{f} reported: {body}");
    }
    assert_eq!(app.state.store.list_users().await.unwrap().len(), 2, "nothing half-written");

    let patched: Value = c
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .json(&json!({"roles": ["officer", "supervisor"], "disabled": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(patched["roles"], json!(["officer", "supervisor"]));
    assert_eq!(patched["disabled"], true);
    let missing = c.get(app.url("/api/v1/users/nope")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(missing).await, "not_found");
}

#[tokio::test]
async fn audit_over_the_api() {
    let app = TestApp::start().await;
    app.admin("auditor", Role::AuditAdmin).await;
    app.user("officer", &[Role::Officer]).await;
    let token = app.token("auditor").await;
    let c = Client::new();
    let entries: Vec<Value> = c
        .get(app.url("/api/v1/audit?action=user.&limit=10"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(entries.iter().all(|e| e["action"].as_str().unwrap().starts_with("user.")));
    assert!(entries.len() >= 3, "two creations and a TOTP binding");
    let bad = c.get(app.url("/api/v1/audit?from=yesterday")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value =
        c.post(app.url("/api/v1/audit/verify")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["intact"], true, "{v}");
    assert!(v["checked"].as_u64().unwrap() >= 5);
}

#[tokio::test]
async fn guessing_the_second_factor_locks_the_account() {
    let app = TestApp::start().await;
    let admin = app.admin("sys", Role::SysAdmin).await;
    let c = Client::new();
    let guess = || {
        c.post(app.url("/api/v1/auth/token"))
            .json(&json!({"username": "sys", "password": PASSWORD, "totp_code": "000000"}))
            .send()
    };
    for i in 0..4 {
        assert_eq!(guess().await.unwrap().status(), StatusCode::UNAUTHORIZED, "guess {i}");
    }
    assert_eq!(guess().await.unwrap().status(), StatusCode::LOCKED, "a right password does not reset the count");
    assert!(app.state.store.user(&admin.id).await.unwrap().locked_until.is_some());
    let (stored,): (String,) = sqlx::query_as("SELECT totp_secret FROM users WHERE username = 'sys'")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert!(
        stored.starts_with("v1.k1.") && !stored.contains(&xinqiao_domain::totp::encode_secret(TOTP_SECRET)),
        "sealed at rest"
    );
}

#[tokio::test]
async fn api_errors_are_json_everywhere() {
    let app = TestApp::start().await;
    app.user("officer", &[Role::Officer]).await;
    let token = app.token("officer").await;
    let c = Client::new();
    let res = c.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "no_route");
    let res = c.delete(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(res).await, "method_not_allowed");
    app.admin("aud", Role::AuditAdmin).await;
    let aud = app.token("aud").await;
    let res = c.get(app.url("/api/v1/audit?before=soon")).bearer_auth(&aud).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "validation");
    let res = c.get(app.url("/api/v1/audit?colour=red")).bearer_auth(&aud).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "unknown parameters are named, not ignored");
    // An empty update is still a read of someone else's account: it needs the permission.
    let me: Value = c.get(app.url("/api/v1/me")).bearer_auth(&aud).send().await.unwrap().json().await.unwrap();
    let res = c
        .patch(app.url(&format!("/api/v1/users/{}", me["id"].as_str().unwrap())))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn password_changes_end_tokens_and_first_logins_get_none() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let officer = app.user("officer", &[Role::Officer]).await;
    let officer_token = app.token("officer").await;
    let sys = app.token("sys").await;
    let c = Client::new();
    // The 系统管理员 resets the officer's password from the page.
    let web = app.client();
    app.login(&web, "sys", PASSWORD).await;
    let page = app.page(&web, &format!("/admin/users/{}", officer.id)).await;
    let res = web
        .post(app.url(&format!("/admin/users/{}/password", officer.id)))
        .form(&[("csrf", csrf_of(&page).as_str()), ("password", "Temporary-2026x")])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("已设置临时密码"));
    let res = c.get(app.url("/api/v1/me")).bearer_auth(&officer_token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "tokens made with the old password end with it");
    let res = c
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"username": "officer", "password": "Temporary-2026x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token before the person chose a password");
    // Administrator accounts are the console's to reset: the 系统管理员 cannot take one over.
    let sec = app.admin("sec", Role::SecAdmin).await;
    let res = c
        .patch(app.url(&format!("/api/v1/users/{}", sec.id)))
        .bearer_auth(&sys)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = app.page(&web, &format!("/admin/users/{}", sec.id)).await;
    let res = web
        .post(app.url(&format!("/admin/users/{}/password", sec.id)))
        .form(&[("csrf", csrf_of(&page).as_str()), ("password", "Takeover-2026x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!app.state.store.user(&sec.id).await.unwrap().disabled);
}
