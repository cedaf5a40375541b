//! 电子台账 through the JSON API (which calls the one service the pages call): an enterprise's
//! lines with retention and alerts, corrections, parties, export; a batch traced across three
//! enterprises of a bureau tree and not beyond it; a sealing list confirmed by each holder. The
//! officer's look is in `ledger_officer.rs`, the shop's phone pages and spreadsheet in
//! `ledger_pages.rs`; the helpers here are shared by both.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::{Uscc, Username};
use xinqiao_store::audit::Actor;
use xinqiao_store::users::NewUser;

pub(crate) fn uscc(n: u32) -> String {
    Uscc::with_check_char(&format!("91320508MA1XL{n:04}")).unwrap().as_str().to_owned()
}

/// An enterprise account bound to `uscc`, registered with bureau `org`; returns its token.
pub(crate) async fn enterprise(app: &TestApp, name: &str, uscc: &str, org: Option<&str>) -> String {
    let hash = xinqiao_web::auth::password::hash(PASSWORD.into()).await.unwrap();
    app.state
        .store
        .create_user(
            &Actor::console(),
            NewUser {
                username: Username::parse(name).unwrap(),
                display_name: format!("{name}有限公司"),
                password_hash: hash,
                org_id: org.map(str::to_owned),
                uscc: Some(Uscc::parse(uscc).unwrap()),
                roles: vec![Role::Enterprise],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    app.token(name).await
}

pub(crate) async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let c = Client::new();
    let req = match method {
        "GET" => c.get(app.url(path)),
        _ => c.post(app.url(path)),
    };
    let req = req.bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub(crate) async fn party(app: &TestApp, token: &str, name: &str, uscc: Option<&str>) -> String {
    let (s, v) =
        call(app, token, "POST", "/api/v1/ledger/parties", Some(json!({"name": name, "uscc": uscc.unwrap_or("")})))
            .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn entry(app: &TestApp, token: &str, body: Value) -> String {
    let (s, v) = call(app, token, "POST", "/api/v1/ledger/entries", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_enterprise_keeps_its_ledger_with_retention_alerts_and_corrections() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "shop", &uscc(1), Some(&b.gusu)).await;
    let supplier = party(&app, &shop, "苏州乳业批发有限公司", Some(&uscc(2))).await;
    let (s, v) = call(
        &app,
        &shop,
        "POST",
        "/api/v1/ledger/parties",
        Some(json!({"name": "坏代码", "uscc": "91320508MA1XL0002"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "uscc");

    // A scanned GS1 DataMatrix of a product not yet in the master: name and specification asked for.
    let scanned = "]d20106901234567892112611011726112010B1";
    let first = json!({"kind": "purchase", "code": scanned, "quantity": "24", "unit": "盒", "date": "2026-11-10", "party_id": supplier});
    let (s, v) = call(&app, &shop, "POST", "/api/v1/ledger/entries", Some(first.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"][0]["code"], "unknown_product");
    let mut named = first.clone();
    named["product_name"] = json!("纯牛奶");
    named["specification"] = json!("250mL");
    let milk = entry(&app, &shop, named).await;
    // Next time the master fills it in; a typed EAN-13 with typed dates works as well.
    entry(
        &app,
        &shop,
        json!({"kind": "purchase", "code": "6901234567892", "batch": "OLD", "quantity": "2", "date": "2026-10-01",
        "production": "2026-09-01", "expiry": "2026-11-01", "party_id": supplier}),
    )
    .await;
    entry(
        &app,
        &shop,
        json!({"kind": "purchase", "code": "6901234567892", "batch": "NEW", "quantity": "5", "date": "2026-11-12",
        "expiry": "2027-06-01", "party_id": supplier}),
    )
    .await;
    entry(
        &app,
        &shop,
        json!({"kind": "sale", "code": "6901234567892", "batch": "NEW", "quantity": "5", "party_id": supplier}),
    )
    .await;

    // Bad input: every field named at once, nothing stored; a bad check digit in Chinese.
    let (s, v) = call(
        &app,
        &shop,
        "POST",
        "/api/v1/ledger/entries",
        Some(json!({"kind": "gift", "code": "6901234567893", "quantity": "0", "date": "2099-01-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "code", "quantity", "date"], "{v}");
    assert!(v["error"]["fields"][1]["message"].as_str().unwrap().contains("校验位"));

    let (s, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert_eq!(s, StatusCode::OK, "{o}");
    let line = o["lines"].as_array().unwrap().iter().find(|l| l["id"] == milk.as_str()).unwrap().clone();
    assert_eq!(line["product"], "纯牛奶");
    assert_eq!(line["batch"], "B1");
    assert_eq!((line["production"].as_str(), line["expiry"].as_str()), (Some("2026-11-01"), Some("2026-11-20")));
    assert_eq!(line["retain_until"], "2027-05-20", "six months after the shelf life ends (食品安全法)");
    assert!(line["retention_basis"].as_str().unwrap().contains("尚未与法规原文核对"));
    let stock = o["stock"].as_array().unwrap();
    let alert = |batch: &str| stock.iter().find(|s| s["batch"] == batch).map(|s| s["alert"].clone());
    assert_eq!(alert("OLD"), Some(json!("过期")));
    assert_eq!(alert("B1"), Some(json!("临期")));
    assert_eq!(alert("NEW"), None, "sold out: not stock on hand");

    // The seed's dispute: the storekeeper entered the wrong date. The correction is a new line.
    let mut fixed = first.clone();
    fixed["date"] = json!("2026-11-14");
    fixed["reason"] = json!("仓库管理员记错了入库时间");
    let path = format!("/api/v1/ledger/entries/{milk}/correction");
    let (s, v) = call(&app, &shop, "POST", &path, Some(fixed.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = call(&app, &shop, "POST", &path, Some(fixed.clone())).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ledger_already_corrected")), "{v}");
    fixed["reason"] = json!("错");
    let (s, v) = call(&app, &shop, "POST", "/api/v1/ledger/entries/nope/correction", Some(fixed)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a short reason is refused first: {v}");
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    let old = o["lines"].as_array().unwrap().iter().find(|l| l["id"] == milk.as_str()).unwrap();
    assert!(old["corrected_by"].is_string(), "the old line stays, marked");
    assert_eq!(old["date"], "2026-11-10");

    let res = Client::new().get(app.url("/api/v1/ledger/export.csv")).bearer_auth(&shop).send().await.unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}类型,商品条码"));
    assert!(csv.contains("仓库管理员记错了入库时间"));
    assert_eq!(csv.lines().count(), 1 + 5);

    // Officers have no enterprise ledger; an enterprise without a bureau cannot open one.
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    drop(officer);
    let (s, _) = call(&app, &app.token("officer.li").await, "GET", "/api/v1/ledger", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let homeless = enterprise(&app, "nobureau", &uscc(9), None).await;
    let (s, v) = call(&app, &homeless, "GET", "/api/v1/ledger", None).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("ledger_no_bureau")));
}

#[tokio::test]
async fn a_batch_is_traced_across_three_enterprises_of_the_tree_and_sealed() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (maker_u, whole_u, shop_u) = (uscc(11), uscc(12), uscc(13));
    let maker = enterprise(&app, "maker", &maker_u, Some(&b.gusu)).await;
    let whole = enterprise(&app, "wholesaler", &whole_u, Some(&b.gusu)).await;
    let shop = enterprise(&app, "shop", &shop_u, Some(&b.wuzhong)).await;
    // Outside the tree: another province's bureau and a shop under it with the same batch.
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
    let beijing = enterprise(&app, "beijing", &uscc(14), Some(&far.id)).await;

    let code = "(01)06901234567892(11)261101(17)270501(10)B7";
    let product = json!({"product_name": "酸奶", "specification": "200g", "category": "food"});
    let with = |extra: Value| {
        let mut v = product.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let to_whole = party(&app, &maker, "批发商", Some(&whole_u)).await;
    entry(&app, &maker, with(json!({"kind": "production", "code": code, "quantity": "100", "date": "2026-11-01"})))
        .await;
    entry(
        &app,
        &maker,
        with(json!({"kind": "shipment", "code": code, "quantity": "60", "date": "2026-11-02", "party_id": to_whole})),
    )
    .await;
    let from_maker = party(&app, &whole, "乳品厂", Some(&maker_u)).await;
    let to_shop = party(&app, &whole, "超市", Some(&shop_u)).await;
    let to_canteen = party(&app, &whole, "某单位食堂", None).await;
    entry(
        &app,
        &whole,
        with(json!({"kind": "purchase", "code": code, "quantity": "60", "date": "2026-11-03", "party_id": from_maker})),
    )
    .await;
    entry(
        &app,
        &whole,
        with(json!({"kind": "sale", "code": code, "quantity": "20", "date": "2026-11-04", "party_id": to_shop})),
    )
    .await;
    entry(
        &app,
        &whole,
        with(json!({"kind": "sale", "code": code, "quantity": "10", "date": "2026-11-04", "party_id": to_canteen})),
    )
    .await;
    let from_whole = party(&app, &shop, "批发商", Some(&whole_u)).await;
    entry(
        &app,
        &shop,
        with(json!({"kind": "purchase", "code": code, "quantity": "20", "date": "2026-11-05", "party_id": from_whole})),
    )
    .await;
    let from_x = party(&app, &beijing, "某批发商", None).await;
    entry(
        &app,
        &beijing,
        with(json!({"kind": "purchase", "code": code, "quantity": "1", "date": "2026-11-05", "party_id": from_x})),
    )
    .await;

    app.member("city.officer", &b.city, Role::Officer).await;
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let city = app.token("city.officer").await;
    let wz = app.token("wz.officer").await;
    let ask = json!({"code": "06901234567892", "batch": "B7", "reference": "质量抽检不合格批次核查"});

    let (s, t) = call(&app, &city, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let holders: Vec<(&str, &str)> = t["holders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["name"].as_str().unwrap(), h["on_hand"].as_str().unwrap()))
        .collect();
    assert_eq!(holders.len(), 3, "maker, wholesaler, shop — not the Beijing shop: {t}");
    assert!(holders.contains(&("maker有限公司", "40")));
    assert!(holders.contains(&("wholesaler有限公司", "30")));
    assert!(holders.contains(&("shop有限公司", "20")));
    let suppliers = t["suppliers"].as_array().unwrap();
    assert_eq!(suppliers.len(), 2, "backward: the wholesaler's and the shop's purchases");
    assert!(suppliers.iter().all(|m| m["matched"] == true), "each supplier recorded the shipment or sale: {t}");
    let buyers = t["buyers"].as_array().unwrap();
    assert_eq!(buyers.len(), 3, "forward: the maker's shipment, the wholesaler's two sales");
    let canteen = buyers.iter().find(|m| m["party"] == "某单位食堂").unwrap();
    assert_eq!(canteen["matched"], false);
    assert_eq!(t["elsewhere"], json!([{"name": "某单位食堂", "uscc": null, "role": "buyer"}]));

    // A district officer sees only the district's ledgers.
    let (_, t) = call(&app, &wz, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(t["holders"].as_array().unwrap().len(), 1, "{t}");
    // An enterprise cannot trace.
    let (s, _) = call(&app, &shop, "POST", "/api/v1/bureau/trace", Some(ask.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let mut seal = ask.clone();
    seal["kind"] = json!("seal");
    let (s, r) = call(&app, &city, "POST", "/api/v1/bureau/recalls", Some(seal)).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["kind"], "封存");
    assert_eq!(r["holders"].as_array().unwrap().len(), 3);
    let id = r["id"].as_str().unwrap().to_owned();
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert_eq!(o["recalls"][0]["id"], id.as_str());
    assert_eq!(o["recalls"][0]["confirmed"], false);
    let confirm = format!("/api/v1/ledger/recalls/{id}/confirm");
    let (s, _) = call(&app, &shop, "POST", &confirm, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = call(&app, &shop, "POST", &confirm, None).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ledger_already_confirmed")));
    let (s, v) = call(&app, &beijing, "POST", &confirm, None).await;
    assert_eq!((s, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ledger_not_a_holder")));
    let (_, r) = call(&app, &city, "GET", &format!("/api/v1/bureau/recalls/{id}"), None).await;
    let confirmed: Vec<bool> =
        r["holders"].as_array().unwrap().iter().map(|h| h["confirmed"].as_bool().unwrap()).collect();
    assert_eq!(confirmed.iter().filter(|c| **c).count(), 1);
    let res = Client::new()
        .get(app.url(&format!("/api/v1/bureau/recalls/{id}/export.csv")))
        .bearer_auth(&city)
        .send()
        .await
        .unwrap();
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.contains("shop有限公司") && csv.contains(",是"));
    // The district officer does not see the city's list.
    let (s, _) = call(&app, &wz, "GET", &format!("/api/v1/bureau/recalls/{id}"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
