//! Part of the scope tests (a child of `scope.rs`, whose sign-in helper it uses): 任职资格 is
//! handled in the candidate's bureau tree — certificates suspended, revoked and lifted there
//! (never one's own, lifting by two), assessments organised only there.

use super::*;

async fn roster_action(app: &TestApp, c: &Client, number: &str, action: &str, reason: &str) -> reqwest::Response {
    let page = app.page(c, "/qualification/roster").await;
    c.post(app.url(&format!("/qualification/certificates/{number}/{action}")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("reason", reason)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn certificates_are_handled_in_the_bureau_tree_never_ones_own_and_lifted_by_two() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("boss2.gusu", &b.gusu, Role::Supervisor).await;
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let s = &app.state.store;
    let number_of = |name: &'static str| async move {
        let u = s.user_by_name(name).await.unwrap();
        s.certificates(Some(&u.id)).await.unwrap()[0].certificate.number.clone()
    };
    let (gusu_cert, wuzhong_cert, own_cert) =
        (number_of("officer.gusu").await, number_of("officer.wuzhong").await, number_of("boss.gusu").await);

    let boss = signed_in(&app, "boss.gusu").await;
    let roster = app.page(&boss, "/qualification/roster").await;
    assert!(roster.contains(&gusu_cert) && !roster.contains(&wuzhong_cert), "only its own tree");
    // Another district's officer: not found, whatever the action.
    for action in ["suspend", "revoke"] {
        let res = roster_action(&app, &boss, &wuzhong_cert, action, "测试越权").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let res = boss.get(app.url(&format!("/qualification/certificates/{wuzhong_cert}/review"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another district's annual review");
    let page = app.page(&boss, "/qualification/roster").await;
    let res = boss
        .post(app.url("/qualification/roster/register"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("username", "officer.wuzhong"), ("issued", "2025-01-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // One's own certificate: refused.
    let res = roster_action(&app, &boss, &own_cert, "suspend", "自己暂停自己").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("不能办理与本人有关"));

    // A breach suspends at once; lifting it takes a second supervisor.
    let res = roster_action(&app, &boss, &gusu_cert, "suspend", "确认向企业透露检查计划（保密违规）").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = roster_action(&app, &boss, &gusu_cert, "reinstate", "复核后认定情节轻微").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let state = |n: &str| {
        let n = n.to_owned();
        async move { s.certificate(&n).await.unwrap() }
    };
    let row = state(&gusu_cert).await;
    use xinqiao_domain::qualification::CertificateState;
    assert!(row.reinstate_requested_by.is_some());
    assert!(matches!(row.certificate.state, CertificateState::Suspended { .. }));
    let res = roster_action(&app, &boss, &gusu_cert, "reinstate", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("四眼原则"), "the one who asked cannot confirm");
    let second = signed_in(&app, "boss2.gusu").await;
    assert!(app.page(&second, "/qualification/roster").await.contains("待另一位主管确认"));
    let res = roster_action(&app, &second, &gusu_cert, "reinstate", "").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = state(&gusu_cert).await;
    assert_eq!(row.certificate.state, CertificateState::Active);
    assert!(row.reinstate_requested_by.is_none());
    for action in ["certificate.suspend", "certificate.reinstate_request", "certificate.reinstate"] {
        let f = xinqiao_store::audit::Filter { action: Some(action.into()), limit: 10, ..Default::default() };
        let exact = s.audit_entries(&f).await.unwrap().into_iter().filter(|e| e.record.action == action).count();
        assert_eq!(exact, 1, "{action}");
    }

    // The API draws the same lines.
    let token = app.token("boss.gusu").await;
    let api = Client::new();
    let list: serde_json::Value = api
        .get(app.url("/api/v1/qualification/roster"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.as_array().unwrap().iter().all(|e| e["number"] != wuzhong_cert.as_str()));
    let res = api
        .post(app.url(&format!("/api/v1/qualification/certificates/{wuzhong_cert}/suspend")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"reason": "越权"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = api
        .get(app.url(&format!("/api/v1/qualification/certificates/{wuzhong_cert}/review")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_assessment_is_organised_only_in_the_candidates_bureau_tree() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    crate::qualification::candidate(&app, "cand", &b.wuzhong).await;
    let api = crate::qualification::Api::new(&app);
    let (status, a) = api
        .call(
            &app.token("cand").await,
            "POST",
            "/api/v1/qualification/assessments",
            Some(crate::qualification::dossier(app.today(), 5)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_owned();
    let outsider = app.token("boss.gusu").await;
    let (status, _) = api.call(&outsider, "GET", &format!("/api/v1/qualification/assessments/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = api.call(&outsider, "GET", "/api/v1/qualification/assessments", None).await;
    assert!(list.as_array().unwrap().iter().all(|x| x["id"] != id.as_str()));
    let (status, _) = api
        .call(&outsider, "POST", &format!("/api/v1/qualification/assessments/{id}/panel"), Some(serde_json::json!({})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no panel drawn from outside the tree");
    let own = app.token("boss.wuzhong").await;
    let (status, _) = api.call(&own, "GET", &format!("/api/v1/qualification/assessments/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let page = app.page(&signed_in(&app, "boss.gusu").await, "/qualification").await;
    assert!(!page.contains(&id), "not on the outsider's overview");
}
