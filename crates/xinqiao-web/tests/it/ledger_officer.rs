//! 电子台账 seen by an officer: a ledger opens only for a case about an enterprise in the officer's
//! tree (refusals recorded), and a complaint links its batch so the batch page sets the claimed
//! date against each holder's ledger, every look audited with the case as its purpose.

use crate::helpers::*;
use crate::ledger::{call, enterprise, entry, party, uscc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

#[tokio::test]
async fn an_officer_opens_a_ledger_only_for_a_case_about_the_enterprise_in_scope() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop_u = uscc(21);
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.gusu)).await;
    let p = party(&app, &shop, "供应商", None).await;
    entry(
        &app,
        &shop,
        json!({"kind": "purchase", "code": "6901234567892", "batch": "A1", "quantity": "3", "product_name": "面粉",
        "specification": "25kg", "party_id": p}),
    )
    .await;
    let complaint = |uscc: &str| {
        json!({"kind": "complaint", "enterprise_name": "shop有限公司", "uscc": uscc, "industry": "H", "region_code": "320508",
            "narrative": "在这家店买到的面粉已经过期了，要求退款。", "demand": "退款", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"})
    };
    let mut codes = Vec::new();
    for u in [shop_u.as_str(), "91110000600037341L"] {
        let r: Value = Client::new()
            .post(app.url("/api/v1/cases"))
            .json(&complaint(u))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        codes.push(r["cases"][0]["tracking_code"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned());
    }
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let li = app.token("officer.li").await;
    let wz = app.token("wz.officer").await;
    let path = |r: &str| format!("/api/v1/bureau/ledgers/{shop_u}?reference={r}");

    let (s, v) = call(&app, &li, "GET", &path(""), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no reference: {v}");
    let (s, v) = call(&app, &li, "GET", &path(&codes[1]), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a case about another enterprise: {v}");
    let (s, _) = call(&app, &wz, "GET", &path(&codes[0]), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a case outside the officer's bureau tree");
    let (s, _) = call(&app, &shop, "GET", &path(&codes[0]), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "enterprises do not read other ledgers");
    let (s, v) = call(&app, &li, "GET", &path(&codes[0]), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v[0]["product"], "面粉");
    assert_eq!(v[0]["batch"], "A1");

    let store = &app.state.store;
    let denied = store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert!(
        denied.iter().filter(|e| e.record.target == format!("ledger:{shop_u}")).count() >= 3,
        "every refusal recorded"
    );
    let reads = store
        .audit_entries(&Filter { action: Some("ledger.read".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].record.purpose, format!("case:{}", codes[0].replace('-', "")));
}

/// The seed's dispute: a complaint says the flour was sold past its date; the officer links the
/// case to the batch with the date the supplier's label gives, opens the batch page from the case
/// and sees each holder and each line, the storekeeper's wrong expiry set apart by its days. An
/// officer of another district can neither link nor open it; a batch not linked to the case is
/// not found; every look is audited with the case as its purpose.
#[tokio::test]
async fn a_complaint_links_its_batch_and_the_batch_page_sets_the_claimed_date_against_each_ledger() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (mill_u, shop_u) = (uscc(41), uscc(42));
    let mill = enterprise(&app, "mill", &mill_u, Some(&b.wuzhong)).await;
    // A shop in another district holding the same batch: not in the Wuzhong officer's tree.
    let outsider = enterprise(&app, "outsider", &uscc(43), Some(&b.gusu)).await;
    let shop = enterprise(&app, "bakery", &shop_u, Some(&b.wuzhong)).await;
    let to_shop = party(&app, &mill, "面包店", Some(&shop_u)).await;
    let from_mill = party(&app, &shop, "面粉厂", Some(&mill_u)).await;
    let flour = json!({"code": "6901234567892", "batch": "F26-07", "product_name": "面粉", "specification": "25kg",
        "category": "food", "production": "2026-07-01"});
    let with = |extra: Value| {
        let mut v = flour.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    entry(
        &app,
        &mill,
        with(json!({"kind": "shipment", "quantity": "40", "date": "2026-07-05", "expiry": "2027-01-01", "party_id": to_shop})),
    )
    .await;
    // The storekeeper typed 2026-10-01 for the expiry.
    entry(
        &app,
        &shop,
        with(json!({"kind": "purchase", "quantity": "40", "date": "2026-07-06", "expiry": "2026-10-01", "party_id": from_mill})),
    )
    .await;
    let from_x = party(&app, &outsider, "某批发商", None).await;
    entry(
        &app,
        &outsider,
        with(json!({"kind": "purchase", "quantity": "1", "date": "2026-07-08", "party_id": from_x})),
    )
    .await;
    let r: Value = Client::new()
        .post(app.url("/api/v1/cases"))
        .json(&json!({"kind": "complaint", "enterprise_name": "bakery有限公司", "uscc": shop_u, "industry": "H",
            "region_code": "320506", "narrative": "面包店用了过期面粉，店员说台账上写着十月就过期了。", "demand": "查处",
            "name": "李秀英", "mobile": "13812345678", "address": "苏州市吴中区东吴北路1号"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    let store = &app.state.store;
    let case = store.case_by_tracking_code(&code.replace('-', "")).await.unwrap();
    assert_eq!(case.org_id.as_deref(), Some(b.wuzhong.as_str()), "the case is Wuzhong's");

    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    app.member("gusu.officer", &b.gusu, Role::Officer).await;
    let wz = app.client();
    app.login(&wz, "wz.officer", PASSWORD).await;
    let gusu = app.client();
    app.login(&gusu, "gusu.officer", PASSWORD).await;
    let path = format!("/bureau/cases/{code}/batches");

    // Another district: the case is not in its tree — neither the page nor the link.
    let res = gusu.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let page = app.page(&gusu, "/bureau/trace").await;
    let res = gusu
        .post(app.url(&path))
        .form(&[("csrf", csrf_of(&page).as_str()), ("code", "6901234567892"), ("batch", "F26-07")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The case page leads to the batches page.
    let detail = app.page(&wz, &format!("/cases/{}", case.id)).await;
    assert!(detail.contains("id=\"case-batches\""), "the case page links its batches");
    let page = app.page(&wz, &path).await;
    let csrf = csrf_of(&page);
    // Half a claim is refused with the field named, nothing linked.
    let res = wz
        .post(app.url(&path))
        .form(&[("csrf", csrf.as_str()), ("code", "6901234567892"), ("batch", "F26-07"), ("claimed_kind", "expiry")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"case-batch-errors\"") && body.contains("请填写所述日期"), "{body}");
    assert!(store.ledger_case_batches(&case.id).await.unwrap().is_empty());
    let res = wz
        .post(app.url(&path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "6901234567892"),
            ("batch", "F26-07"),
            ("claimed_kind", "expiry"),
            ("claimed_on", "2027-01-01"),
        ])
        .send()
        .await
        .unwrap();
    let to = location(&res).unwrap().to_owned();
    assert_eq!(to, format!("/bureau/cases/{}/batches?gtin=06901234567892&batch=F26-07", case.tracking_code));
    let page = app.page(&wz, &to).await;
    assert!(page.contains("所述到期日期：2027-01-01"), "{page}");
    assert!(page.contains("1 条台账记录的日期与之不符"), "{page}");
    assert!(page.contains("记为 2026-10-01，比所述日期早 92 天"), "the storekeeper's line");
    assert!(page.contains("与所述日期一致"), "the mill's line");
    assert!(page.contains("bakery有限公司") && page.contains("mill有限公司"), "both ledgers' lines");
    assert!(!page.contains("outsider有限公司"), "nothing from outside the officer's tree");
    assert!(page.contains("id=\"batch-trace\""), "on to the full trace");
    // A batch not linked to this case is not opened through it.
    let res = wz.get(app.url(&format!("{path}?gtin=06901234567892&batch=OTHER"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let traces = store
        .audit_entries(&Filter { action: Some("ledger.trace".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(traces.len(), 1, "one look");
    assert_eq!(traces[0].record.purpose, format!("case:{}", case.tracking_code));
    let denied = store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert!(denied.iter().filter(|e| e.record.target.starts_with("case_batches:")).count() >= 2, "refusals recorded");
    let linked = store
        .audit_entries(&Filter { action: Some("ledger.case_batch.link".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(linked.len(), 1);
}
