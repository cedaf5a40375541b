//! 电子台账, the producers' chain beyond the trace page: a complaint's and a warning's batch pages
//! show the batches made from the lot (with their buyers and holders, in the officer's tree
//! only), a raw-material use written before the chain (no product GTIN) shows as 未关联生产批次
//! forward and, backward, as possibly used in its producer's batch of that number; a purchase
//! corrected below what has gone out of its batch is refused; the retention task purges lines the
//! day after their date.

use crate::helpers::*;
use crate::ledger::{call, enterprise, entry, party, uscc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;
use xinqiao_store::warnings::NewWarning;

const FLOUR: &str = "6901234567892";
const BREAD: &str = "6920000000005";

fn with(base: &Value, extra: Value) -> Value {
    let mut v = base.clone();
    v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    v
}

#[tokio::test]
async fn the_case_and_warning_batch_pages_show_the_chain_and_uses_without_a_product() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (bakery_u, wz_shop_u, gusu_shop_u) = (uscc(81), uscc(82), uscc(83));
    let bakery = enterprise(&app, "bakery", &bakery_u, Some(&b.wuzhong)).await;
    let wz_shop = enterprise(&app, "wzshop", &wz_shop_u, Some(&b.wuzhong)).await;
    let gusu_shop = enterprise(&app, "gusushop", &gusu_shop_u, Some(&b.gusu)).await;
    let flour = json!({"code": FLOUR, "batch": "F1", "unit": "袋", "product_name": "小麦粉", "specification": "25kg"});
    let bread =
        json!({"code": BREAD, "batch": "P1", "unit": "箱", "product_name": "吐司面包", "specification": "400g"});
    let from_x = party(&app, &bakery, "粮油批发部", None).await;
    entry(
        &app,
        &bakery,
        with(&flour, json!({"kind": "purchase", "quantity": "40", "date": "2026-11-01", "party_id": from_x})),
    )
    .await;
    entry(&app, &bakery, with(&bread, json!({"kind": "production", "quantity": "50", "date": "2026-11-04"}))).await;
    entry(
        &app,
        &bakery,
        with(&flour, json!({"kind": "material_use", "quantity": "30", "date": "2026-11-04", "into_batch": "P1"})),
    )
    .await;
    // A use written before the chain named the product's GTIN: only its batch number, if that.
    let store = &app.state.store;
    sqlx::query(
        "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, retain_until, \
         created_by, created_at, into_batch) VALUES ('old-use', $1, 'material_use', $2, 'F1', 4000, '袋', $3, $4, '', 0, 'OLD-7')",
    )
    .bind(&bakery_u)
    .bind(format!("0{FLOUR}"))
    .bind(xinqiao_domain::calendar::Date::parse("2026-10-20").unwrap().0)
    .bind(xinqiao_domain::calendar::Date::parse("2029-01-01").unwrap().0)
    .execute(store.pool())
    .await
    .unwrap();
    // Written before migration 0085 too: summed per batch and keeper as that migration does.
    store.ledger_rebuild_lot_keepers().await.unwrap();
    // The bread goes to a shop in Wuzhong and, a day later, one in Gusu.
    for (shop, shop_u, name, day) in
        [(&wz_shop, &wz_shop_u, "吴中超市", "2026-11-05"), (&gusu_shop, &gusu_shop_u, "姑苏超市", "2026-11-06")]
    {
        let to = party(&app, &bakery, name, Some(shop_u)).await;
        entry(&app, &bakery, with(&bread, json!({"kind": "shipment", "quantity": "10", "date": day, "party_id": to})))
            .await;
        let from = party(&app, shop, "面包厂", Some(&bakery_u)).await;
        entry(&app, shop, with(&bread, json!({"kind": "purchase", "quantity": "10", "date": day, "party_id": from})))
            .await;
    }

    // A complaint about the bakery, handled in Wuzhong, linked to the flour lot.
    let r: Value = Client::new()
        .post(app.url("/api/v1/cases"))
        .json(&json!({"kind": "complaint", "enterprise_name": "bakery有限公司", "uscc": bakery_u, "industry": "H",
            "region_code": "320506", "narrative": "面包吃出异味，怀疑面粉有问题，请核查这批面粉。", "demand": "查处",
            "name": "李秀英", "mobile": "13812345678", "address": "苏州市吴中区东吴北路1号"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    app.member("gusu.officer", &b.gusu, Role::Officer).await;
    let wz = app.token("wz.officer").await;
    let path = format!("/api/v1/ledger/cases/{code}/batches");
    let (s, v) = call(&app, &wz, "POST", &path, Some(json!({"code": FLOUR, "batch": "F1"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = call(&app, &wz, "GET", &format!("{path}?gtin=0{FLOUR}&batch=F1"), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let t = &v["opened"]["trace"];
    let made = t["made_into"].as_array().unwrap_or_else(|| panic!("{v}"));
    assert_eq!(made.len(), 1, "{t}");
    assert_eq!((made[0]["batch"].as_str(), made[0]["product"].as_str()), (Some("P1"), Some("吐司面包")));
    // P1 summed in Wuzhong's tree: the bakery made 50 and shipped 10 to each shop; only the
    // Wuzhong shop's purchase is in the tree (the Gusu shop's is not counted).
    let n = |k: &str| made[0][k].as_i64().unwrap();
    assert_eq!((n("movements"), n("keepers"), n("holders"), n("holding")), (4, 2, 2, 2), "{t}");
    let q = |k: &str| made[0][k].as_str().unwrap();
    assert_eq!((q("quantity_in"), q("quantity_out"), q("on_hand")), ("60", "20", "40"), "{t}");
    // The old use: on its date, its quantity, the product unknown.
    assert_eq!(
        t["unlinked_uses"],
        json!([{"enterprise": "bakery有限公司", "enterprise_uscc": bakery_u, "date": "2026-10-20", "quantity": "4",
            "unit": "袋", "into_batch": "OLD-7"}]),
        "{t}"
    );
    // The page shows the same.
    let wz_page = app.client();
    app.login(&wz_page, "wz.officer", PASSWORD).await;
    let page = app.page(&wz_page, &format!("/bureau/cases/{code}/batches?gtin=0{FLOUR}&batch=F1")).await;
    assert!(
        page.contains("id=\"trace-made-into\"") && page.contains("吐司面包") && page.contains("辖区台账记录 4 条"),
        "{page}"
    );
    assert!(
        page.contains("id=\"trace-unlinked\"")
            && page.contains("2026-10-20 bakery有限公司")
            && page.contains("产品未知（所记生产批号 OLD-7）"),
        "{page}"
    );
    // Backward from the bread on the same kind of page: the flour lot it was made from.
    let (s, _) = call(&app, &wz, "POST", &path, Some(json!({"code": BREAD, "batch": "P1"}))).await;
    assert_eq!(s, StatusCode::CREATED);
    let page = app.page(&wz_page, &format!("/bureau/cases/{code}/batches?gtin=0{BREAD}&batch=P1")).await;
    assert!(
        page.contains("id=\"trace-made-from\"")
            && page.contains("小麦粉")
            && page.contains("收到（进货、生产）40")
            && page.contains("另有 1 条原料使用未关联生产批次"),
        "the flour's old use is counted on the linked lot: {page}"
    );
    // Another district's officer cannot open it.
    let gusu = app.token("gusu.officer").await;
    let (s, _) = call(&app, &gusu, "GET", &format!("{path}?gtin=0{FLOUR}&batch=F1"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A warning about the bakery (Wuzhong), linked to the flour: its page shows the same chain.
    let warning = NewWarning {
        rule: "enterprise_spike".into(),
        subject: format!("{bakery_u}@320506"),
        bureau: "320506".into(),
        label: "bakery有限公司（吴中区）".into(),
        window_end: test_today().0,
        observed: 7,
        expected: "0.50".into(),
        p_value: "1.00e-5".into(),
        case_ids: Vec::new(),
    };
    let id = store.raise_warning(&warning).await.unwrap().expect("raised");
    let wpath = format!("/bureau/warnings/{id}/batches");
    let form = app.page(&wz_page, &wpath).await;
    let res = wz_page
        .post(app.url(&wpath))
        .form(&[("csrf", csrf_of(&form).as_str()), ("code", FLOUR), ("batch", "F1")])
        .send()
        .await
        .unwrap();
    let to = location(&res).unwrap().to_owned();
    let page = app.page(&wz_page, &to).await;
    assert!(page.contains("收到该批次的企业（1）"), "{page}");
    assert!(page.contains("id=\"trace-made-into\"") && page.contains("辖区台账记录 4 条"), "{page}");
    assert!(page.contains("id=\"trace-unlinked\"") && page.contains("OLD-7"), "{page}");
    // A Gusu officer cannot open the Wuzhong warning.
    let gusu_page = app.client();
    app.login(&gusu_page, "gusu.officer", PASSWORD).await;
    let res = gusu_page.get(app.url(&to)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Every look is one audit entry with its purpose and how far the chain reached.
    let traces = store
        .audit_entries(&Filter { action: Some("ledger.trace".into()), limit: 20, ..Default::default() })
        .await
        .unwrap();
    let case_looks: Vec<_> = traces.iter().filter(|e| e.record.purpose.starts_with("case:")).collect();
    assert_eq!(case_looks.len(), 3, "API, page, page");
    assert!(case_looks.iter().any(|e| e.record.detail.to_string().contains("\"made_into\":1")));
    assert!(case_looks.iter().any(|e| e.record.detail.to_string().contains("\"made_from\":1")));
    let warning_looks: Vec<_> = traces.iter().filter(|e| e.record.purpose == format!("warning:{id}")).collect();
    assert_eq!(warning_looks.len(), 1);
    assert!(warning_looks[0].record.detail.to_string().contains("\"made_into\":1"));
}

#[tokio::test]
async fn a_purchase_corrected_below_what_went_out_of_its_batch_is_refused() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "wholesaler", &uscc(84), Some(&b.gusu)).await;
    let milk = json!({"code": FLOUR, "batch": "M1", "unit": "箱", "product_name": "纯牛奶", "specification": "1L"});
    let from = party(&app, &shop, "乳品厂", None).await;
    let to = party(&app, &shop, "便利店", None).await;
    let bought = with(&milk, json!({"kind": "purchase", "quantity": "10", "date": "2026-11-01", "party_id": from}));
    let id = entry(&app, &shop, bought.clone()).await;
    entry(&app, &shop, with(&milk, json!({"kind": "sale", "quantity": "6", "date": "2026-11-02", "party_id": to})))
        .await;
    let path = format!("/api/v1/ledger/entries/{id}/correction");
    let (s, v) =
        call(&app, &shop, "POST", &path, Some(with(&bought, json!({"quantity": "5", "reason": "进货数量录错了"}))))
            .await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ledger_below_used")), "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("少于已用去、售出或发出的数量"), "{v}");
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert_eq!(o["lines"].as_array().unwrap().len(), 2, "nothing written");
    assert_eq!(o["stock"][0]["on_hand"], "4");
    let (s, v) =
        call(&app, &shop, "POST", &path, Some(with(&bought, json!({"quantity": "6", "reason": "进货数量录错了"}))))
            .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert!(o["stock"].as_array().unwrap().is_empty(), "6 in, 6 out: {o}");
}

#[tokio::test]
async fn a_backward_trace_shows_old_uses_naming_only_the_batch_number_as_unlinked() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (bakery_u, other_u) = (uscc(85), uscc(86));
    let bakery = enterprise(&app, "bakery", &bakery_u, Some(&b.wuzhong)).await;
    let other = enterprise(&app, "other", &other_u, Some(&b.wuzhong)).await;
    let bread =
        json!({"code": BREAD, "batch": "P1", "unit": "箱", "product_name": "吐司面包", "specification": "400g"});
    entry(&app, &bakery, with(&bread, json!({"kind": "production", "quantity": "50", "date": "2026-11-04"}))).await;
    entry(
        &app,
        &other,
        with(&bread, json!({"kind": "production", "batch": "X1", "quantity": "5", "date": "2026-11-04"})),
    )
    .await;
    // Uses written before the chain: the bakery's names batch P1 (no GTIN); another enterprise's
    // names a P1 of its own (it made no P1 of this bread); the bakery's other names P2.
    let store = &app.state.store;
    for (id, who, into) in [("old-p1", &bakery_u, "P1"), ("old-other", &other_u, "P1"), ("old-p2", &bakery_u, "P2")] {
        sqlx::query(
            "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, retain_until, \
             created_by, created_at, into_batch) VALUES ($1, $2, 'material_use', $3, 'F9', 4000, '袋', $4, $5, '', 0, $6)",
        )
        .bind(id)
        .bind(who)
        .bind(format!("0{FLOUR}"))
        .bind(xinqiao_domain::calendar::Date::parse("2026-10-20").unwrap().0)
        .bind(xinqiao_domain::calendar::Date::parse("2029-01-01").unwrap().0)
        .bind(into)
        .execute(store.pool())
        .await
        .unwrap();
    }
    store.ledger_rebuild_lot_keepers().await.unwrap();
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let wz = app.token("wz.officer").await;
    let ask = json!({"code": BREAD, "batch": "P1", "reference": "旧记录核查"});
    let (s, t) = call(&app, &wz, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["made_from"], json!([]), "not proven, so not a linked lot: {t}");
    assert_eq!(
        t["unlinked_uses_into"],
        json!([{"enterprise": "bakery有限公司", "enterprise_uscc": bakery_u, "material_gtin": FLOUR,
            "material_batch": "F9", "material": "（未登记品名）", "date": "2026-10-20", "quantity": "4", "unit": "袋"}]),
        "only the producer's own use naming P1: {t}"
    );
    let page_client = app.client();
    app.login(&page_client, "wz.officer", PASSWORD).await;
    let page = app.page(&page_client, &format!("/bureau/trace?code={BREAD}&batch=P1&reference=x")).await;
    assert!(page.contains("id=\"trace-unlinked-into\"") && page.contains("批号 F9"), "{page}");
    // Outside the bakery's bureau the gap is not shown either.
    app.member("gusu.officer", &b.gusu, Role::Officer).await;
    let gusu = app.token("gusu.officer").await;
    let (_, t) = call(&app, &gusu, "POST", "/api/v1/bureau/trace", Some(ask)).await;
    assert_eq!(t["unlinked_uses_into"], json!([]), "{t}");
}

#[tokio::test]
async fn the_retention_task_purges_a_line_the_day_after_its_date() {
    let app = TestApp::start_manual_at("2026-11-20").await;
    let b = app.bureau().await;
    let shop_u = uscc(87);
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.wuzhong)).await;
    let milk = json!({"code": FLOUR, "batch": "M1", "unit": "箱", "product_name": "纯牛奶", "specification": "1L",
        "kind": "production", "quantity": "3", "date": "2026-11-20", "expiry": "2026-12-31"});
    entry(&app, &shop, milk).await;
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    let until = o["lines"][0]["retain_until"].as_str().unwrap_or_else(|| panic!("{o}")).to_owned();
    let day = xinqiao_domain::calendar::Date::parse(&until).unwrap();
    let lines = || async {
        let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
        o["lines"].as_array().unwrap().len()
    };
    // The day before its date it stays; the day after, the hourly task purges it.
    let to = |target: i64| (target - app.state.today().0) * 86_400_000;
    assert!(app.state.clock().advance(to(day.0 - 1)));
    app.run_task("ledger-retention").await;
    assert_eq!(lines().await, 1);
    assert!(app.state.clock().advance(to(day.0 + 1)));
    app.run_task("ledger-retention").await;
    assert_eq!(lines().await, 0);
    let purges = app
        .state
        .store
        .audit_entries(&Filter { action: Some("ledger.purge".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(purges.len(), 1);
    assert_eq!(purges[0].record.detail.to_string(), r#"{"lines":1,"vouchers":0}"#, "counts only");
}
