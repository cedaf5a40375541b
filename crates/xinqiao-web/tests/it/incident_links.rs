//! Where an incident leads, over HTTP: each product batch links to the ledger's batch trace,
//! which answers with the holders of the officer's tree only and records the incident as its
//! purpose; the 廉洁登记 entries about the enterprise since the incident was opened are listed,
//! the officer's own to an officer and the tree's to a supervisor, never another bureau's.

use crate::helpers::*;
use crate::ledger::{enterprise, party, uscc};
use reqwest::{Client, StatusCode};
use serde_json::json;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::integrity::EntryForm;
use xinqiao_store::audit::Actor;
use xinqiao_web::incidents::service::{self, NewIncidentInput, Officer, ProductInput, trace_purpose};
use xinqiao_web::integrity::service as integrity;

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

async fn line(app: &TestApp, token: &str, body: serde_json::Value) {
    let res =
        Client::new().post(app.url("/api/v1/ledger/entries")).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
}

async fn contact(app: &TestApp, user_id: &str, enterprise: &str, happened: &str) {
    let user = app.state.store.user(user_id).await.unwrap();
    let by = integrity::Officer::authorise(&app.state, &user, Actor::console()).await.unwrap();
    let form = EntryForm {
        kind: "improper_request".into(),
        date: app.today().to_string(),
        enterprise_uscc: String::new(),
        enterprise_name: enterprise.into(),
        happened: happened.into(),
        action: "当场拒绝并报告".into(),
    };
    integrity::record(&app.state, &by, &form).await.unwrap();
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x2f;", "/").replace("&#38;", "&")
}

#[tokio::test]
async fn an_incident_links_its_batches_to_the_trace_and_lists_the_integrity_register_within_scope() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner_id = app.member("officer.gusu", &b.gusu, Role::Officer).await;
    let member_id = app.member("member.gusu", &b.gusu, Role::Officer).await;
    let boss_id = app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    let wz_id = app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let owner = officer(&app, &owner_id).await;
    let input = NewIncidentInput {
        title: "酸奶异物".into(),
        enterprise_name: "示例乳品厂".into(),
        team: vec![member_id.clone()],
        ..Default::default()
    };
    let id = service::create(st, &owner, input).await.unwrap();
    let product = ProductInput { gtin: "06901234567892".into(), batch: "B7".into() };
    service::add_product(st, &owner, &id, product).await.unwrap();

    // The batch is held by a maker of the tree and by a shop of the neighbouring district.
    let (maker_u, shop_u) = (uscc(21), uscc(22));
    let maker = enterprise(&app, "maker", &maker_u, Some(&b.gusu)).await;
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.wuzhong)).await;
    let code = "(01)06901234567892(11)261101(17)270501(10)B7";
    let goods = json!({"product_name": "酸奶", "specification": "200g", "category": "food", "code": code});
    let with = |extra: serde_json::Value| {
        let mut v = goods.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    line(&app, &maker, with(json!({"kind": "production", "quantity": "100", "date": "2026-11-01"}))).await;
    let from = party(&app, &shop, "乳品厂", Some(&maker_u)).await;
    line(&app, &shop, with(json!({"kind": "purchase", "quantity": "5", "date": "2026-11-03", "party_id": from}))).await;

    // Contacts about the enterprise: the owner's, a team member's, the neighbour's; and one
    // about another enterprise.
    contact(&app, &owner_id, "示例乳品厂", "企业负责人托人打听检查安排").await;
    contact(&app, &member_id, "示例乳品厂", "企业送来购物卡").await;
    contact(&app, &wz_id, "示例乳品厂", "吴中区收到的请托").await;
    contact(&app, &owner_id, "另一家奶茶店", "与本事件无关的请托").await;

    let c = app.client();
    app.login(&c, "officer.gusu", PASSWORD).await;
    let path = format!("/incidents/{id}");
    let page = app.page(&c, &path).await;
    let href = page.split("class=\"trace-link\"").next().unwrap().rsplit("href=\"").next().unwrap();
    let href = unescape(href.split('"').next().unwrap());
    assert!(href.starts_with("/bureau/trace?code=06901234567892&batch=B7&reference="), "{href}");
    assert!(page.contains("托人打听检查安排"), "the owner's own entry");
    assert!(!page.contains("购物卡") && !page.contains("吴中区收到的请托") && !page.contains("与本事件无关"));

    // The trace answers with the tree's holder only, and records the incident as its purpose.
    let trace = app.page(&c, &href).await;
    assert!(trace.contains(&maker_u), "the maker of the tree is traced");
    assert!(!trace.contains(&shop_u), "the neighbouring district's shop is not shown as a holder");
    let purposes: Vec<String> =
        sqlx::query_scalar("SELECT purpose FROM audit_log WHERE action = 'ledger.trace' ORDER BY seq")
            .fetch_all(st.store.pool())
            .await
            .unwrap();
    assert_eq!(purposes, vec![trace_purpose(&id)]);

    // The supervisor sees the tree's entries about the enterprise, not the neighbour's.
    let boss = app.client();
    app.login(&boss, "boss.gusu", PASSWORD).await;
    let page = app.page(&boss, &path).await;
    assert!(page.contains("托人打听检查安排") && page.contains("企业送来购物卡"));
    assert!(!page.contains("吴中区收到的请托") && !page.contains("与本事件无关"));
    assert!(page.contains("本辖区全部人员的"));
    let _ = boss_id;

    // The neighbour finds neither the incident nor its links.
    let wz = app.client();
    app.login(&wz, "officer.wuzhong", PASSWORD).await;
    assert_eq!(wz.get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let wz_officer = officer(&app, &wz_id).await;
    assert!(matches!(
        service::integrity_during(st, &wz_officer, &id).await,
        Err(xinqiao_web::error::AppError::NotFound)
    ));
}
