//! 电子台账, producers' chain through the JSON API: a mill sells flour lot F1 to a bakery, which
//! uses it in bread batch P1 and ships P1 to a supermarket. A raw-material use must name a
//! production batch of the same enterprise and stay within the lot's stock; a trace from the flour
//! lot reaches the supermarket, a trace from the supermarket's bread reaches the mill; a sealing of
//! the flour lists the supermarket for its bread; an officer of another bureau sees none of it;
//! an import with a bad use names its row and writes nothing.

use crate::helpers::*;
use crate::ledger::{call, enterprise, entry, party, uscc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::{Actor, Filter};

const FLOUR: &str = "6901234567892";
const BREAD: &str = "6920000000005";

fn with(base: &Value, extra: Value) -> Value {
    let mut v = base.clone();
    v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    v
}

fn codes(v: &Value) -> Vec<(String, String)> {
    v["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_raw_material_lot_is_traced_through_the_bakery_to_the_shop_and_back() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (mill_u, bakery_u, shop_u) = (uscc(51), uscc(52), uscc(53));
    let mill = enterprise(&app, "mill", &mill_u, Some(&b.gusu)).await;
    let bakery = enterprise(&app, "bakery", &bakery_u, Some(&b.gusu)).await;
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.wuzhong)).await;

    let flour = json!({"code": FLOUR, "batch": "F1", "unit": "袋", "product_name": "小麦粉", "specification": "25kg"});
    let bread =
        json!({"code": BREAD, "batch": "P1", "unit": "箱", "product_name": "吐司面包", "specification": "400g"});
    // The mill makes and sells the flour; the bakery buys it.
    let to_bakery = party(&app, &mill, "面包厂", Some(&bakery_u)).await;
    entry(&app, &mill, with(&flour, json!({"kind": "production", "quantity": "100", "date": "2026-11-01"}))).await;
    entry(
        &app,
        &mill,
        with(&flour, json!({"kind": "sale", "quantity": "40", "date": "2026-11-02", "party_id": to_bakery})),
    )
    .await;
    let from_mill = party(&app, &bakery, "面粉厂", Some(&mill_u)).await;
    entry(
        &app,
        &bakery,
        with(&flour, json!({"kind": "purchase", "quantity": "40", "date": "2026-11-03", "party_id": from_mill})),
    )
    .await;

    // A use must name its production batch, which must be the bakery's own and recorded.
    let use_of = |qty: &str, extra: Value| {
        with(&with(&flour, json!({"kind": "material_use", "quantity": qty, "date": "2026-11-04"})), extra)
    };
    let (s, v) = call(&app, &bakery, "POST", "/api/v1/ledger/entries", Some(use_of("10", json!({})))).await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec![("into_batch".into(), "required".into())]));
    let (s, v) =
        call(&app, &bakery, "POST", "/api/v1/ledger/entries", Some(use_of("10", json!({"into_batch": "P1"})))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&v), [("into_batch".to_owned(), "unknown_production".to_owned())]);
    assert!(v["error"]["fields"][0]["message"].as_str().unwrap().contains("没有批号“P1”的生产记录"), "{v}");
    entry(&app, &bakery, with(&bread, json!({"kind": "production", "quantity": "50", "date": "2026-11-04"}))).await;
    // More than the lot has on hand is refused; the product's GS1 code fills GTIN and batch.
    let (s, v) = call(
        &app,
        &bakery,
        "POST",
        "/api/v1/ledger/entries",
        Some(use_of("41", json!({"into_code": format!("(01)0{BREAD}(10)P1")}))),
    )
    .await;
    assert_eq!((s, codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec![("quantity".into(), "over_stock".into())]));
    assert!(v["error"]["fields"][0]["message"].as_str().unwrap().contains("在库 40"), "{v}");
    let used = entry(&app, &bakery, use_of("30", json!({"into_code": format!("(01)0{BREAD}(10)P1")}))).await;
    let (_, o) = call(&app, &bakery, "GET", "/api/v1/ledger", None).await;
    let line = o["lines"].as_array().unwrap().iter().find(|l| l["id"] == used.as_str()).unwrap();
    assert_eq!((line["into_gtin"].as_str(), line["into_batch"].as_str()), (Some(BREAD), Some("P1")));
    // Only a use names a production batch.
    let (s, v) = call(
        &app,
        &bakery,
        "POST",
        "/api/v1/ledger/entries",
        Some(with(&bread, json!({"kind": "production", "batch": "P2", "quantity": "1", "into_batch": "P1"}))),
    )
    .await;
    assert_eq!(
        (s, codes(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("into_batch".into(), "only_material_use".into())])
    );

    // The bakery ships P1 to the supermarket (another district of the city), which buys it.
    let to_shop = party(&app, &bakery, "超市", Some(&shop_u)).await;
    entry(
        &app,
        &bakery,
        with(&bread, json!({"kind": "shipment", "quantity": "20", "date": "2026-11-05", "party_id": to_shop})),
    )
    .await;
    let from_bakery = party(&app, &shop, "面包厂", Some(&bakery_u)).await;
    entry(
        &app,
        &shop,
        with(&bread, json!({"kind": "purchase", "quantity": "20", "date": "2026-11-06", "party_id": from_bakery})),
    )
    .await;

    app.member("city.officer", &b.city, Role::Officer).await;
    let city = app.token("city.officer").await;
    let reference = "面粉抽检不合格批次核查";

    // Forward from the flour lot: the bread made from it, its shipment, the supermarket holding it.
    let ask = json!({"code": FLOUR, "batch": "F1", "reference": reference});
    let (s, t) = call(&app, &city, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let made = t["made_into"].as_array().unwrap();
    assert_eq!(made.len(), 1, "{t}");
    assert_eq!((made[0]["gtin"].as_str(), made[0]["batch"].as_str()), (Some(BREAD), Some("P1")));
    assert_eq!(made[0]["product"], "吐司面包");
    assert_eq!(made[0]["uses"][0]["quantity"], "30");
    assert_eq!(made[0]["uses"][0]["enterprise"], "bakery有限公司");
    // P1 as a summary summed in SQL: the bakery made 50 and shipped 20, the supermarket bought 20.
    let summary = |l: &Value| {
        let n = |k: &str| l[k].as_i64().unwrap();
        let s = |k: &str| l[k].as_str().unwrap().to_owned();
        (
            (n("movements"), n("keepers"), n("holders"), n("holding")),
            (s("quantity_in"), s("quantity_out"), s("on_hand"), s("unit")),
            (s("first_date"), s("last_date")),
        )
    };
    assert_eq!(
        summary(&made[0]),
        (
            (3, 2, 2, 2),
            ("70".into(), "20".into(), "50".into(), "箱".into()),
            ("2026-11-04".into(), "2026-11-06".into())
        )
    );
    assert!(made[0].get("buyers").is_none() && made[0].get("holders").unwrap().is_i64(), "no lines: {t}");
    // Its own full trace is a link away, with the same purpose: the shipment and both holders.
    let href = made[0]["href"].as_str().unwrap();
    let q: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(href.strip_prefix("/bureau/trace?").unwrap()).unwrap();
    assert_eq!((q["batch"].as_str(), q["reference"].as_str()), ("P1", reference));
    let (_, own) = call(&app, &city, "POST", "/api/v1/bureau/trace", Some(serde_json::to_value(&q).unwrap())).await;
    let buyers: Vec<&str> = own["buyers"].as_array().unwrap().iter().map(|m| m["party"].as_str().unwrap()).collect();
    assert_eq!(buyers, ["超市"], "{own}");
    assert_eq!(own["buyers"][0]["matched"], true, "the supermarket recorded the purchase");
    let holders: Vec<(&str, &str)> = own["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["name"].as_str().unwrap(), h["on_hand"].as_str().unwrap()))
        .collect();
    assert_eq!(holders, [("bakery有限公司", "30"), ("shop有限公司", "20")]);
    assert_eq!(t["made_from"], json!([]), "the mill recorded no raw material for F1");
    assert_eq!(t["chain_truncated"], false);

    // Backward from the supermarket's bread: the flour lot, its purchase from the mill.
    let back = json!({"code": format!("(01)0{BREAD}(10)P1"), "reference": reference});
    let (s, t) = call(&app, &city, "POST", "/api/v1/bureau/trace", Some(back.clone())).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let from = t["made_from"].as_array().unwrap();
    assert_eq!(from.len(), 1, "{t}");
    assert_eq!((from[0]["gtin"].as_str(), from[0]["batch"].as_str()), (Some(FLOUR), Some("F1")));
    assert_eq!(from[0]["product"], "小麦粉");
    // F1: the mill made 100 and sold 40, the bakery bought 40 and used 30.
    assert_eq!(
        summary(&from[0]),
        (
            (4, 2, 2, 2),
            ("140".into(), "70".into(), "70".into(), "袋".into()),
            ("2026-11-01".into(), "2026-11-04".into())
        )
    );
    assert_eq!(
        (from[0]["uses"][0]["product_batch"].as_str(), from[0]["uses"][0]["uses"].as_i64()),
        (Some("P1"), Some(1))
    );
    let (_, own) = call(
        &app,
        &city,
        "POST",
        "/api/v1/bureau/trace",
        Some(json!({"code": FLOUR, "batch": "F1", "reference": reference})),
    )
    .await;
    let suppliers = own["suppliers"].as_array().unwrap();
    assert_eq!(suppliers.len(), 1);
    assert_eq!(
        (suppliers[0]["enterprise"].as_str(), suppliers[0]["party"].as_str()),
        (Some("bakery有限公司"), Some("面粉厂"))
    );
    assert_eq!(suppliers[0]["party_uscc"], mill_u.as_str());
    assert_eq!(suppliers[0]["matched"], true, "the mill recorded the sale");
    assert_eq!(t["suppliers"][0]["enterprise"], "shop有限公司", "the bread's own supplier is still there");

    // The trace page shows both directions.
    let page_client = app.client();
    app.login(&page_client, "city.officer", PASSWORD).await;
    let page = app.page(&page_client, &format!("/bureau/trace?code={FLOUR}&batch=F1&reference={reference}")).await;
    assert!(
        page.contains("id=\"trace-made-into\"") && page.contains("吐司面包") && page.contains("持有企业 2 家"),
        "{page}"
    );
    assert!(!page.contains("shop有限公司"), "the bread's holders are in its own trace, not listed here: {page}");
    let link = made[0]["href"].as_str().unwrap().replace('&', "&#38;");
    assert!(page.contains(&format!("href=\"{link}\"")), "{link} in {page}");
    let page = app.page(&page_client, &format!("/bureau/trace?code={BREAD}&batch=P1&reference={reference}")).await;
    assert!(
        page.contains("id=\"trace-made-from\"") && page.contains("小麦粉") && page.contains("收到（进货、生产）140"),
        "{page}"
    );

    // A sealing of the flour lists the supermarket for the bread it holds; it confirms.
    let (s, r) = call(&app, &city, "POST", "/api/v1/bureau/recalls", Some(with(&ask, json!({"kind": "seal"})))).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let listed: Vec<&str> = r["holders"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(listed.len(), 3, "mill, bakery, supermarket: {r}");
    let shop_line = r["holders"].as_array().unwrap().iter().find(|h| h["uscc"] == shop_u.as_str()).unwrap();
    assert_eq!(shop_line["on_hand"], "0", "no flour of its own");
    assert_eq!(shop_line["made_from"], json!([{"gtin": BREAD, "batch": "P1", "on_hand": "20"}]));
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert_eq!(o["recalls"][0]["made_from"][0]["batch"], "P1", "{o}");
    let id = r["id"].as_str().unwrap();
    let (s, _) = call(&app, &shop, "POST", &format!("/api/v1/ledger/recalls/{id}/confirm"), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let csv = Client::new()
        .get(app.url(&format!("/api/v1/bureau/recalls/{id}/export.csv")))
        .bearer_auth(&city)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains(&format!("{shop_u},shop有限公司,{BREAD},P1,20,是,以本批次为原料的产品")), "{csv}");

    // Each trace is audited with its purpose and how far the chain reached.
    let traces = app
        .state
        .store
        .audit_entries(&Filter { action: Some("ledger.trace".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert!(traces.len() >= 3, "API, page and recall traces");
    assert!(traces.iter().all(|e| e.record.purpose == reference));
    assert!(traces.iter().any(|e| e.record.detail.to_string().contains("\"made_into\":1")));
    assert!(traces.iter().any(|e| e.record.detail.to_string().contains("\"made_from\":1")));

    // Another bureau's officer sees nothing of the chain; a district officer only its district's
    // ledgers; an enterprise cannot trace.
    let far = app
        .state
        .store
        .create_org(
            &Actor::console(),
            &xinqiao_domain::ids::RegionCode::parse("110101").unwrap(),
            "东城区市场监督管理局",
            None,
        )
        .await
        .unwrap();
    app.member("far.officer", &far.id, Role::Officer).await;
    let far = app.token("far.officer").await;
    let (s, t) = call(&app, &far, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((t["holders"].clone(), t["made_into"].clone()), (json!([]), json!([])), "{t}");
    let (_, t) = call(&app, &far, "POST", "/api/v1/bureau/trace", Some(back.clone())).await;
    assert_eq!((t["holders"].clone(), t["made_from"].clone()), (json!([]), json!([])), "{t}");
    let (s, r) = call(&app, &far, "GET", &format!("/api/v1/bureau/recalls/{id}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{r}");
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let wz = app.token("wz.officer").await;
    let (_, t) = call(&app, &wz, "POST", "/api/v1/bureau/trace", Some(back)).await;
    assert_eq!(t["made_from"], json!([]), "the bakery is in Gusu, not Wuzhong: {t}");
    let (s, _) = call(&app, &bakery, "POST", "/api/v1/bureau/trace", Some(ask)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_import_records_production_and_its_raw_materials_together_or_names_the_bad_row() {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let bakery = enterprise(&app, "bakery", &uscc(61), Some(&b.gusu)).await;
    party(&app, &bakery, "面粉厂", None).await;
    let send = |csv: String| {
        let form = Form::new().part("file", Part::bytes(csv.into_bytes()).file_name("生产台账.csv"));
        Client::new().post(app.url("/api/v1/ledger/import")).bearer_auth(&bakery).multipart(form).send()
    };
    let head = "类型,商品条码,品名,规格,批号,数量,单位,日期,供应商或购货方,用于生产批号,用于生产的产品条码\n";
    let rows = |used: &str| {
        format!(
            "{head}进货,{FLOUR},小麦粉,25kg,F1,10,袋,2026-11-01,面粉厂,,\n\
             原料使用,{FLOUR},,,F1,{used},袋,2026-11-02,,P1,\n\
             生产,{BREAD},吐司面包,400g,P1,50,箱,2026-11-02,,,\n\
             原料使用,{FLOUR},,,F1,1,袋,2026-11-02,,P9,{BREAD}\n"
        )
    };
    let res = send(rows("12")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = res.json().await.unwrap();
    let msgs: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(msgs.len(), 2, "{v}");
    assert!(msgs[0].starts_with("第3行：“数量”列：") && msgs[0].contains("在库 10"), "{msgs:?}");
    assert!(msgs[1].starts_with("第5行：“用于生产批号”列：") && msgs[1].contains("P9"), "{msgs:?}");
    let (_, o) = call(&app, &bakery, "GET", "/api/v1/ledger", None).await;
    assert!(o["lines"].as_array().unwrap().is_empty(), "nothing written");

    // Fixed: the use comes before its production row in the file and is linked to it.
    let good = rows("8").lines().take(4).collect::<Vec<_>>().join("\n") + "\n";
    let res = send(good).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{:?}", res.text().await);
    let (_, o) = call(&app, &bakery, "GET", "/api/v1/ledger", None).await;
    let used = o["lines"].as_array().unwrap().iter().find(|l| l["kind"] == "material_use").unwrap();
    assert_eq!((used["into_gtin"].as_str(), used["into_batch"].as_str()), (Some(BREAD), Some("P1")));
    // The export carries the link in the columns the import reads.
    let csv = Client::new()
        .get(app.url("/api/v1/ledger/export.csv"))
        .bearer_auth(&bakery)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains(&format!(",{BREAD},P1,")), "{csv}");
}
