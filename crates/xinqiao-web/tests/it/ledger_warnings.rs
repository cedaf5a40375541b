//! From an early warning (预警) to its batch: an officer of the warning's bureau tree links the
//! batch and sees every enterprise of the tree that received it, by its ledger, and nothing from
//! outside the tree; an officer of another district can neither open nor link it; links and
//! looks are audited with the warning.

use crate::helpers::*;
use crate::ledger::{enterprise, entry, party, uscc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;
use xinqiao_store::warnings::NewWarning;

#[tokio::test]
async fn a_warning_links_its_batch_and_shows_the_holders_in_the_tree_only() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (mill_u, shop_u) = (uscc(71), uscc(72));
    let mill = enterprise(&app, "mill", &mill_u, Some(&b.gusu)).await;
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.gusu)).await;
    // Another district's shop holding the same batch: outside the Gusu officer's tree.
    let outsider = enterprise(&app, "outsider", &uscc(73), Some(&b.wuzhong)).await;
    let to_shop = party(&app, &mill, "食品店", Some(&shop_u)).await;
    let from_mill = party(&app, &shop, "乳品厂", Some(&mill_u)).await;
    let from_x = party(&app, &outsider, "某批发商", None).await;
    let milk = json!({"code": "(01)06901234567892(10)M26-11", "product_name": "纯牛奶", "specification": "250ml",
        "category": "food", "production": "2026-11-01", "expiry": "2027-05-01"});
    let with = |extra: Value| {
        let mut v = milk.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    entry(&app, &mill, with(json!({"kind": "production", "quantity": "50", "date": "2026-11-02"}))).await;
    entry(&app, &mill, with(json!({"kind": "shipment", "quantity": "20", "date": "2026-11-05", "party_id": to_shop})))
        .await;
    entry(
        &app,
        &shop,
        with(json!({"kind": "purchase", "quantity": "20", "date": "2026-11-06", "party_id": from_mill})),
    )
    .await;
    entry(
        &app,
        &outsider,
        with(json!({"kind": "purchase", "quantity": "3", "date": "2026-11-07", "party_id": from_x})),
    )
    .await;
    let store = &app.state.store;
    let warning = NewWarning {
        rule: "enterprise_spike".into(),
        subject: format!("{shop_u}@320508"),
        bureau: "320508".into(),
        label: "shop有限公司（姑苏区）".into(),
        window_end: test_today().0,
        observed: 7,
        expected: "0.50".into(),
        p_value: "1.00e-5".into(),
        case_ids: Vec::new(),
    };
    let id = store.raise_warning(&warning).await.unwrap().expect("raised");

    app.member("gusu.officer", &b.gusu, Role::Officer).await;
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let gusu = app.client();
    app.login(&gusu, "gusu.officer", PASSWORD).await;
    let wz = app.client();
    app.login(&wz, "wz.officer", PASSWORD).await;
    let path = format!("/bureau/warnings/{id}/batches");

    // The warning's page leads to its batches.
    let detail = app.page(&gusu, &format!("/insights/warnings/{id}")).await;
    assert!(detail.contains(&format!("href=\"{path}\"")), "{detail}");

    // Another district: the warning is not in its tree — neither the page nor the link.
    assert_eq!(wz.get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let page = app.page(&wz, "/bureau/trace").await;
    let res = wz
        .post(app.url(&path))
        .form(&[("csrf", csrf_of(&page).as_str()), ("code", "06901234567892"), ("batch", "M26-11")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(store.ledger_warning_batches(&id).await.unwrap().is_empty(), "nothing linked by the neighbour");

    let page = app.page(&gusu, &path).await;
    assert!(page.contains("shop有限公司（姑苏区）") && !page.contains("id=\"batch-holders\""), "{page}");
    let csrf = csrf_of(&page);
    // A bad check digit: the page again, the field's message, nothing linked.
    let res = gusu
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("code", "6901234567893"), ("batch", "M26-11")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"warning-batch-errors\"") && body.contains("校验位"), "{body}");
    assert!(store.ledger_warning_batches(&id).await.unwrap().is_empty());
    // The GS1 string's own batch is used.
    let res = gusu
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("code", "(01)06901234567892(10)M26-11")])
        .send()
        .await
        .unwrap();
    let to = location(&res).unwrap().to_owned();
    assert_eq!(to, format!("{path}?gtin=06901234567892&batch=M26-11"));
    let page = app.page(&gusu, &to).await;
    assert!(page.contains("收到该批次的企业（2）"), "{page}");
    assert!(page.contains("mill有限公司") && page.contains("shop有限公司"), "both ledgers in the tree");
    assert!(page.contains("按台账在库 20") && page.contains("按台账在库 30"), "stock by each ledger: {page}");
    assert!(!page.contains("outsider有限公司"), "nothing from outside the officer's tree");
    assert!(page.contains("id=\"batch-trace\""), "on to the full trace and a recall list");
    // A batch not linked to this warning is not opened through it; nor is an unknown warning.
    let res = gusu.get(app.url(&format!("{path}?gtin=06901234567892&batch=OTHER"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = gusu.get(app.url("/bureau/warnings/nope/batches")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // An enterprise account is no officer.
    let owner = app.client();
    app.login(&owner, "shop", PASSWORD).await;
    assert_eq!(owner.get(app.url(&path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    let audited = |action: &'static str| async move {
        store.audit_entries(&Filter { action: Some(action.into()), limit: 20, ..Default::default() }).await.unwrap()
    };
    let traces = audited("ledger.trace").await;
    assert_eq!(traces.len(), 1, "one look");
    assert_eq!(traces[0].record.purpose, format!("warning:{id}"));
    assert_eq!(audited("ledger.warning_batch.link").await.len(), 1);
    let denied = audited("access.denied").await;
    assert!(
        denied.iter().filter(|e| e.record.target.starts_with("warning_batches:")).count() >= 3,
        "refusals recorded"
    );
}
