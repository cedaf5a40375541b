//! Separation of duties: each administrator role is refused what belongs to the others, over
//! the API and on the pages, and every refusal is recorded.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::json;
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

async fn status(c: &Client, req: reqwest::RequestBuilder) -> StatusCode {
    let _ = c;
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn administrator_roles_are_separated_over_the_api() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    app.admin("sec", Role::SecAdmin).await;
    app.admin("aud", Role::AuditAdmin).await;
    let officer = app.user("officer", &[Role::Officer]).await;
    let (sys, sec, aud) = (app.token("sys").await, app.token("sec").await, app.token("aud").await);
    let off = app.token("officer").await;
    let c = Client::new();
    let user_url = app.url(&format!("/api/v1/users/{}", officer.id));
    let new_user =
        json!({"username": "new.one", "display_name": "新人", "password": "New-One-2026x", "roles": ["officer"]});

    // 系统管理员: manages users, but reads no audit trail and grants no administrator role.
    assert_eq!(status(&c, c.get(app.url("/api/v1/users")).bearer_auth(&sys)).await, StatusCode::OK);
    assert_eq!(status(&c, c.get(app.url("/api/v1/audit")).bearer_auth(&sys)).await, StatusCode::FORBIDDEN);
    assert_eq!(status(&c, c.post(app.url("/api/v1/audit/verify")).bearer_auth(&sys)).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status(&c, c.patch(&user_url).bearer_auth(&sys).json(&json!({"roles": ["auditadmin"]}))).await,
        StatusCode::FORBIDDEN
    );
    let sys_id = app.state.store.user_by_name("sys").await.unwrap().id;
    assert_eq!(
        status(
            &c,
            c.patch(app.url(&format!("/api/v1/users/{sys_id}")))
                .bearer_auth(&sys)
                .json(&json!({"roles": ["sysadmin", "supervisor"]}))
        )
        .await,
        StatusCode::FORBIDDEN,
        "no one changes their own roles"
    );

    // 安全管理员: grants roles, but creates and disables no accounts and reads no audit trail.
    assert_eq!(
        status(&c, c.post(app.url("/api/v1/users")).bearer_auth(&sec).json(&new_user)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&c, c.patch(&user_url).bearer_auth(&sec).json(&json!({"disabled": true}))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(status(&c, c.get(app.url("/api/v1/audit")).bearer_auth(&sec)).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status(&c, c.patch(&user_url).bearer_auth(&sec).json(&json!({"roles": ["supervisor"]}))).await,
        StatusCode::OK
    );

    // 审计管理员: reads the trail, touches no account.
    assert_eq!(status(&c, c.get(app.url("/api/v1/audit")).bearer_auth(&aud)).await, StatusCode::OK);
    assert_eq!(status(&c, c.get(app.url("/api/v1/users")).bearer_auth(&aud)).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status(&c, c.post(app.url("/api/v1/users")).bearer_auth(&aud).json(&new_user)).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&c, c.patch(&user_url).bearer_auth(&aud).json(&json!({"roles": []}))).await,
        StatusCode::FORBIDDEN
    );

    // Business roles reach none of it.
    assert_eq!(status(&c, c.get(app.url("/api/v1/users")).bearer_auth(&off)).await, StatusCode::FORBIDDEN);
    assert_eq!(status(&c, c.get(app.url("/api/v1/audit")).bearer_auth(&off)).await, StatusCode::FORBIDDEN);

    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(denied.len(), 12, "every refusal is recorded");
    assert_eq!(app.state.store.user(&officer.id).await.unwrap().roles, vec![Role::Supervisor]);
    assert!(!app.state.store.user(&officer.id).await.unwrap().disabled);
}

#[tokio::test]
async fn administrator_roles_are_separated_on_the_pages() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    app.admin("sec", Role::SecAdmin).await;
    app.admin("aud", Role::AuditAdmin).await;
    let officer = app.user("officer", &[Role::Officer]).await;
    let (sys, sec, aud) = (app.client(), app.client(), app.client());
    for (c, name) in [(&sys, "sys"), (&sec, "sec"), (&aud, "aud")] {
        assert_eq!(location(&app.login(c, name, PASSWORD).await), Some("/"), "{name} signs in");
    }
    let get = |c: &Client, path: &str| c.get(app.url(path)).send();
    assert_eq!(get(&sys, "/audit").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&sys, "/admin/security").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&sys, "/admin/users/new").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(&sec, "/audit").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&sec, "/admin/users/new").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&sec, "/admin/security").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(&aud, "/admin/users").await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&aud, "/audit").await.unwrap().status(), StatusCode::OK);

    // The 系统管理员's role form offers no administrator role, and a forged post is refused.
    let page = app.page(&sys, &format!("/admin/users/{}", officer.id)).await;
    assert!(page.contains("value=\"supervisor\"") && !page.contains("value=\"auditadmin\""));
    let csrf = csrf_of(&page);
    let res = sys
        .post(app.url(&format!("/admin/users/{}/roles", officer.id)))
        .form(&[("csrf", csrf.as_str()), ("roles", "auditadmin")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = app.page(&sec, &format!("/admin/users/{}", officer.id)).await;
    assert!(page.contains("value=\"auditadmin\""), "the 安全管理员 may grant it");
    assert_eq!(app.state.store.user(&officer.id).await.unwrap().roles, vec![Role::Officer]);
}

/// Accounts have one service under both doors: the same bad input is refused with the same
/// field codes on the page and over the API, a page's unticked role boxes clear the roles like
/// an empty list over the API, and an unknown organisation is refused before anything changes.
#[tokio::test]
async fn the_pages_and_the_api_change_accounts_through_one_service() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let officer = app.user("officer", &[Role::Officer, Role::Supervisor]).await;
    let token = app.token("sys").await;
    let c = Client::new();
    let page_client = app.client();
    assert_eq!(location(&app.login(&page_client, "sys", PASSWORD).await), Some("/"));

    // The same bad account, through both doors.
    let bad = [("username", "x"), ("display_name", ""), ("password", "short"), ("uscc", "123"), ("roles", "wizard")];
    let res = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "x", "display_name": "", "password": "short", "uscc": "123", "roles": ["wizard"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    let api_fields: Vec<(String, String)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned()))
        .collect();
    let csrf = csrf_of(&app.page(&page_client, "/admin/users/new").await);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend(bad);
    let res = page_client.post(app.url("/admin/users")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(api_fields.len() >= 4, "{api_fields:?}");
    for (field, message) in &api_fields {
        assert!(page.contains(message.as_str()), "the page says what the API says of {field}: {message}");
    }
    assert!(app.state.store.user_by_name("x").await.is_err(), "nothing created");

    // No role ticked on the page clears the roles, as an empty list does over the API.
    let csrf = csrf_of(&app.page(&page_client, &format!("/admin/users/{}", officer.id)).await);
    let res = page_client
        .post(app.url(&format!("/admin/users/{}/roles", officer.id)))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.state.store.user(&officer.id).await.unwrap().roles.is_empty());
    let res = c
        .patch(app.url(&format!("/api/v1/users/{}", officer.id)))
        .bearer_auth(&token)
        .json(&json!({"roles": ["officer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.state.store.user(&officer.id).await.unwrap().roles, vec![Role::Officer]);

    // An unknown organisation is refused the same way through both doors; nothing changes.
    let res = page_client
        .post(app.url(&format!("/admin/users/{}/org", officer.id)))
        .form(&[("csrf", csrf.as_str()), ("org_id", "no-such-bureau")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("所属机构不存在"));
    let res = c
        .patch(app.url(&format!("/api/v1/users/{}", officer.id)))
        .bearer_auth(&token)
        .json(&json!({"org_id": "no-such-bureau", "disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after = app.state.store.user(&officer.id).await.unwrap();
    assert!(!after.disabled && after.org_id.is_none(), "nothing half-changed");
}
