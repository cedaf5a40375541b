//! 电子台账 through the JSON API (which calls the one service the pages call): an enterprise's
//! lines with retention and alerts, corrections, parties, export; an officer's look that needs a
//! case or inspection (refusals recorded); a batch traced across three enterprises of a bureau
//! tree and not beyond it; a sealing list confirmed by each holder.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::{Uscc, Username};
use xinqiao_store::audit::{Actor, Filter};
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

#[tokio::test]
async fn the_phone_pages_add_a_scanned_line_with_a_voucher_and_correct_it() {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::start().await;
    let b = app.bureau().await;
    enterprise(&app, "shop", &uscc(31), Some(&b.gusu)).await;
    let c = app.client();
    app.login(&c, "shop", PASSWORD).await;
    let page = app.page(&c, "/ledger").await;
    assert!(page.contains("我的台账") && page.contains("/static/ledger-scan.js"));
    assert!(page.contains("尚未与法规原文核对"), "the retention rules are shown as unverified");
    assert!(
        page.contains("(10)批号") && page.contains("GB/T 16986") && page.contains("尚未与标准原文核对"),
        "the GS1 facts are shown with their standards, as unverified"
    );
    let csrf = csrf_of(&page);
    let res = c
        .post(app.url("/ledger/parties"))
        .form(&[("csrf", csrf.as_str()), ("name", "苏州粮油批发部"), ("uscc", &uscc(32))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), Some("/ledger?done=party"));
    let page = app.page(&c, "/ledger?done=party").await;
    let at = page.find("\">苏州粮油批发部</option>").expect("the party is offered");
    let party_id = page[..at].rsplit("value=\"").next().unwrap().to_owned();

    let form = |fields: &[(&str, &str)], voucher: bool| {
        let mut f = Form::new();
        for (k, v) in fields {
            f = f.text(k.to_string(), v.to_string());
        }
        if voucher {
            f = f.part("voucher", Part::bytes(crate::uploads::png_of_side(4)).file_name("票据.png"));
        }
        f
    };
    // A bad check digit: the page comes back with the message and what was typed.
    let res = c
        .post(app.url("/ledger/entries"))
        .multipart(form(&[("csrf", &csrf), ("kind", "purchase"), ("code", "6901234567893"), ("quantity", "3")], false))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"ledger-errors\"") && body.contains("校验位"), "{body}");
    assert!(body.contains("value=\"6901234567893\""));

    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "purchase"),
        ("code", "(01)06901234567892(11)261001(17)270401(10)M26"),
        ("product_name", "小麦粉"),
        ("specification", "5kg"),
        ("quantity", "10"),
        ("unit", "袋"),
        ("party_id", &party_id),
    ];
    let res = c.post(app.url("/ledger/entries")).multipart(form(&fields, true)).send().await.unwrap();
    let to = location(&res).map(str::to_owned);
    assert_eq!(to.as_deref(), Some("/ledger?done=added"), "{:?}", res.text().await);
    let page = app.page(&c, "/ledger?done=added").await;
    assert!(page.contains("已记入台账"));
    assert!(page.contains("小麦粉") && page.contains("M26") && page.contains("查看票据"));
    let voucher_at = page.find("/voucher\" class=\"voucher-link\"").expect("a voucher link");
    let voucher_path =
        format!("/ledger/entries/{}/voucher", page[..voucher_at].rsplit("/ledger/entries/").next().unwrap());
    let res = c.get(app.url(&voucher_path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"), "the voucher opens");
    // Another enterprise does not see it.
    enterprise(&app, "other", &uscc(33), Some(&b.gusu)).await;
    let other = app.client();
    app.login(&other, "other", PASSWORD).await;
    assert_eq!(other.get(app.url(&voucher_path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert!(page.contains("保存至 2027-10-01"), "expiry 2027-04-01 + 6 months");
    let look: Value = c.get(app.url("/ledger/lookup?code=6901234567892")).send().await.unwrap().json().await.unwrap();
    assert_eq!(look["product_name"], "小麦粉");

    let at = page.find("\">更正</a>").unwrap();
    let id = page[..at].rsplit("/ledger/entries/").next().unwrap().to_owned();
    let line = app.page(&c, &format!("/ledger/entries/{id}")).await;
    assert!(line.contains("value=\"M26\""), "the correction form starts from the line");
    let mut fix: Vec<(&str, &str)> = vec![
        ("csrf", csrf.as_str()),
        ("kind", "purchase"),
        ("code", "6901234567892"),
        ("batch", "M26"),
        ("quantity", "12"),
        ("unit", "袋"),
        ("expiry", "2027-04-01"),
        ("party_id", &party_id),
    ];
    fix.push(("reason", "数量点错了，实收12袋"));
    let res =
        c.post(app.url(&format!("/ledger/entries/{id}/correct"))).multipart(form(&fix, false)).send().await.unwrap();
    assert_eq!(location(&res), Some("/ledger?done=corrected"));
    let page = app.page(&c, "/ledger").await;
    assert!(page.contains("数量点错了") && page.contains("已被更正"));
    let csv = c.get(app.url("/ledger/export.csv")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 3);

    // An officer reads the voucher only for a complaint about the shop in the bureau tree.
    let r: Value = Client::new()
        .post(app.url("/api/v1/cases"))
        .json(&json!({"kind": "complaint", "enterprise_name": "shop有限公司", "uscc": uscc(31), "industry": "H",
            "region_code": "320508", "narrative": "买到的小麦粉已经结块发霉，怀疑过期。", "demand": "退款",
            "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case = r["cases"][0]["tracking_code"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("wz.officer", &b.wuzhong, Role::Officer).await;
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let wz = app.client();
    app.login(&wz, "wz.officer", PASSWORD).await;
    let officer_path =
        |reference: &str| format!("/bureau/ledgers/{}/entries/{id}/voucher?reference={reference}", uscc(31));
    assert_eq!(li.get(app.url(&officer_path(""))).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(wz.get(app.url(&officer_path(&case))).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(c.get(app.url(&officer_path(&case))).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let res = li.get(app.url(&officer_path(&case))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let reads = app
        .state
        .store
        .audit_entries(&Filter { action: Some("ledger.voucher.read".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(reads.len(), 2, "the shop's read and the officer's");
    assert!(reads.iter().any(|e| e.record.purpose == format!("case:{}", case.replace('-', ""))), "with the case");
}

#[tokio::test]
async fn a_spreadsheet_is_imported_all_or_nothing_with_each_bad_row_named() {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "shop", &uscc(41), Some(&b.gusu)).await;
    party(&app, &shop, "苏州粮油批发部", None).await;
    let send = |csv: String| {
        let form = Form::new().part("file", Part::bytes(csv.into_bytes()).file_name("台账.csv"));
        Client::new().post(app.url("/api/v1/ledger/import")).bearer_auth(&shop).multipart(form).send()
    };
    let head = "\u{feff}类型,商品条码,品名,规格,批号,数量,单位,日期,到期日期,供应商或购货方\n";
    let bad = format!(
        "{head}进货,6901234567892,小麦粉,5kg,M1,10,袋,2026-11-01,2027-04-01,苏州粮油批发部\n\
         进货,6901234567893,大米,10kg,R1,5,袋,2026-11-01,,苏州粮油批发部\n\
         ,,,,,,,,,\n\
         退货,6901234567892,,,M1,abc,袋,2026-11-02,,不认识的供应商\n"
    );
    let res = send(bad).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = res.json().await.unwrap();
    let msgs: Vec<&str> =
        v["error"]["fields"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(msgs.len(), 2, "{v}");
    assert!(msgs[0].starts_with("第3行：") && msgs[0].contains("校验位"), "{msgs:?}");
    assert!(
        msgs[1].starts_with("第5行：")
            && msgs[1].contains("记录类型")
            && msgs[1].contains("数量")
            && msgs[1].contains("尚未登记"),
        "{msgs:?}"
    );
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert!(o["lines"].as_array().unwrap().is_empty(), "nothing written");

    let res = send(
        format!("{head}进货,6901234567892,牛奶,1L,X,1,盒,2026-11-01,,\n")
            .replace(",牛奶", ",牛奶")
            .replace("品名,规格", "品名,规格,颜色"),
    )
    .await
    .unwrap();
    let v: Value = res.json().await.unwrap();
    assert!(v["error"]["message"].as_str().unwrap().contains("不认识的列“颜色”"), "{v}");

    let good = format!(
        "{head}进货,6901234567892,小麦粉,5kg,M1,10,袋,2026-11-01,2027-04-01,苏州粮油批发部\n\
         销售,6901234567892,,,M1,4,袋,2026-11-02,,苏州粮油批发部\n"
    );
    let res = send(good).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.json::<Value>().await.unwrap()["lines"], 2);
    let (_, o) = call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert_eq!(o["lines"].as_array().unwrap().len(), 2);
    assert_eq!(o["stock"][0]["on_hand"], "6");
    // The export reads back in (its computed columns are ignored).
    let csv = Client::new()
        .get(app.url("/api/v1/ledger/export.csv"))
        .bearer_auth(&shop)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = send(csv).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{:?}", res.text().await);
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
