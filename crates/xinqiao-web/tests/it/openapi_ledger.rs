//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 电子台账 on
//! an app of its own, each operation called for real with a success and its client errors.

use super::*;

/// 电子台账 on an app of its own: an enterprise keeps lines, an officer traces and seals, a
/// producer's chain, a complaint's batches, vouchers. Answers what was seen.
pub(super) async fn ledger_walk() -> BTreeMap<(String, String), BTreeSet<u16>> {
    // 电子台账, on an app of its own: an enterprise keeps lines, an officer traces and seals.
    let led = TestApp::start().await;
    let lb = led.bureau().await;
    let shop_u = crate::ledger::uscc(61);
    let shop = crate::ledger::enterprise(&led, "shop", &shop_u, Some(&lb.gusu)).await;
    led.member("officer.li", &lb.gusu, Role::Officer).await;
    let li = led.token("officer.li").await;
    let mut l = Probe::new(&led).await;
    let (s, ov) = l.json("GET", "/api/v1/ledger", "/api/v1/ledger", &shop, None).await;
    assert_eq!(s, 200, "{ov}");
    let pa = "/api/v1/ledger/parties";
    let (s, party) = l.json("POST", pa, pa, &shop, Some(json!({"name": "供应商", "uscc": ""}))).await;
    assert_eq!(s, 201, "{party}");
    assert_eq!(l.json("POST", pa, pa, &shop, Some(json!({"name": ""}))).await.0, 422);
    let en = "/api/v1/ledger/entries";
    let line = json!({"kind": "purchase", "code": "(01)06901234567892(17)270501(10)B7", "quantity": "3",
        "date": "2026-11-05", "product_name": "酸奶", "specification": "200g", "category": "food",
        "party_id": str_of(&party, "id")});
    let (s, added) = l.json("POST", en, en, &shop, Some(line.clone())).await;
    assert_eq!(s, 201, "{added}");
    let (s, e) = l.json("POST", en, en, &shop, Some(json!({"kind": "purchase"}))).await;
    assert!(s == 422 || s == 400, "{e}");
    let id = str_of(&added, "id");
    let co = "/api/v1/ledger/entries/{id}/correction";
    let mut fixed = line.clone();
    fixed["reason"] = json!("数量录错");
    fixed["quantity"] = json!("4");
    let (s, c) =
        l.json("POST", co, &format!("/api/v1/ledger/entries/{id}/correction"), &shop, Some(fixed.clone())).await;
    assert!((200..300).contains(&s), "{c}");
    assert_eq!(l.json("POST", co, "/api/v1/ledger/entries/nope/correction", &shop, Some(fixed)).await.0, 404);
    let ex = "/api/v1/ledger/export.csv";
    assert_eq!(l.call("GET", ex, ex, Some(&shop), &[], Body::None).await.0, 200);
    let im = "/api/v1/ledger/import";
    let csv = "\u{feff}类型,商品条码,品名,规格,批号,数量,单位,日期,到期日期,供应商或购货方\n\
               进货,6901234567892,小麦粉,5kg,M1,10,袋,2026-11-01,2027-04-01,供应商\n";
    let form = Form::new().part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("台账.csv"));
    let (s, e) = l.call("POST", im, im, Some(&shop), &[], Body::Multipart(form)).await;
    assert!((200..300).contains(&s), "{e}");
    let ask = json!({"code": "06901234567892", "batch": "B7", "reference": "质量抽检不合格批次核查"});
    let tr = "/api/v1/bureau/trace";
    let (s, t) = l.json("POST", tr, tr, &li, Some(ask.clone())).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(l.json("POST", tr, tr, &shop, Some(ask.clone())).await.0, 403);
    let mut seal = ask.clone();
    seal["kind"] = json!("seal");
    let rc = "/api/v1/bureau/recalls";
    let (s, r) = l.json("POST", rc, rc, &li, Some(seal)).await;
    assert_eq!(s, 201, "{r}");
    let rid = str_of(&r, "id");
    // A producer's chain: flour M1 (imported above) used in bread batch P1, traced both ways and
    // sealed with the bread; a use beyond the lot's stock is refused.
    let made = json!({"kind": "production", "code": "6920000000005", "batch": "P1", "quantity": "20",
        "date": "2026-11-06", "product_name": "吐司面包", "specification": "400g"});
    assert_eq!(l.json("POST", en, en, &shop, Some(made)).await.0, 201);
    let used = json!({"kind": "material_use", "code": "6901234567892", "batch": "M1", "quantity": "4",
        "date": "2026-11-06", "into_batch": "P1"});
    let (s, u) = l.json("POST", en, en, &shop, Some(used.clone())).await;
    assert_eq!(s, 201, "{u}");
    let mut over = used.clone();
    over["quantity"] = json!("7");
    assert_eq!(l.json("POST", en, en, &shop, Some(over)).await.0, 422);
    for (code, batch, key) in [("06901234567892", "M1", "made_into"), ("06920000000005", "P1", "made_from")] {
        let ask = json!({"code": code, "batch": batch, "reference": "原料批次核查"});
        let (s, t) = l.json("POST", tr, tr, &li, Some(ask)).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t[key].as_array().map(Vec::len), Some(1), "{t}");
    }
    let seal_flour = json!({"code": "06901234567892", "batch": "M1", "reference": "原料批次核查", "kind": "seal"});
    let (s, r) = l.json("POST", rc, rc, &li, Some(seal_flour)).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["holders"][0]["made_from"][0]["batch"], "P1", "{r}");
    let one = "/api/v1/bureau/recalls/{id}";
    assert_eq!(l.json("GET", one, &format!("{rc}/{rid}"), &li, None).await.0, 200);
    assert_eq!(l.json("GET", one, &format!("{rc}/nope"), &li, None).await.0, 404);
    let rcsv = "/api/v1/bureau/recalls/{id}/export.csv";
    assert_eq!(l.call("GET", rcsv, &format!("{rc}/{rid}/export.csv"), Some(&li), &[], Body::None).await.0, 200);
    let cf = "/api/v1/ledger/recalls/{id}/confirm";
    let (s, e) = l.json("POST", cf, &format!("/api/v1/ledger/recalls/{rid}/confirm"), &shop, None).await;
    assert!((200..300).contains(&s), "{e}");
    let cs = "/api/v1/cases";
    let (s, intake) = l.call("POST", cs, cs, None, &[], Body::Json(complaint(&shop_u))).await;
    assert_eq!(s, 201, "{intake}");
    let case_code = str_of(&intake["cases"][0], "tracking_code");
    let bl = "/api/v1/bureau/ledgers/{uscc}";
    let (s, v) = l.json("GET", bl, &format!("/api/v1/bureau/ledgers/{shop_u}?reference={case_code}"), &li, None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(l.json("GET", bl, &format!("/api/v1/bureau/ledgers/{shop_u}?reference="), &li, None).await.0 / 100, 4);
    // A complaint's batches: linked and opened; a neighbouring district's officer finds nothing.
    let cb = "/api/v1/ledger/cases/{code}/batches";
    let at = format!("/api/v1/ledger/cases/{case_code}/batches");
    let link = json!({"code": "06901234567892", "batch": "B7", "claimed_kind": "expiry", "claimed_on": "2027-05-01"});
    let (s, v) = l.json("POST", cb, &at, &li, Some(link.clone())).await;
    assert_eq!((s, v["links"][0]["batch"].as_str()), (201, Some("B7")), "{v}");
    let (s, e) = l.json("POST", cb, &at, &li, Some(json!({"code": "6901234567893", "batch": "B7"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("code")), "{e}");
    let (s, v) = l.json("GET", cb, &format!("{at}?gtin=06901234567892&batch=B7"), &li, None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["opened"]["claim"], "所述到期日期：2027-05-01", "{v}");
    assert!(v["opened"]["lines"].as_array().unwrap().iter().all(|x| x["uscc"] == shop_u.as_str()), "{v}");
    assert_eq!(l.json("GET", cb, &format!("{at}?gtin=06901234567892&batch=NOPE"), &li, None).await.0, 404);
    led.member("officer.wz", &lb.wuzhong, Role::Officer).await;
    let wz = led.token("officer.wz").await;
    assert_eq!(l.json("GET", cb, &at, &wz, None).await.0, 404);
    assert_eq!(l.json("POST", cb, &at, &wz, Some(link)).await.0, 404);
    // Vouchers: a line with one, added on the phone page; the enterprise's own and the officer's.
    let web = led.client();
    led.login(&web, "shop", PASSWORD).await;
    let page = led.page(&web, "/ledger").await;
    let form = Form::new()
        .text("csrf", csrf_of(&page))
        .text("kind", "purchase")
        .text("code", "(01)06901234567892(17)270501(10)B7")
        .text("quantity", "1")
        .text("date", "2026-11-06")
        .text("party_id", str_of(&party, "id"))
        .part("voucher", reqwest::multipart::Part::bytes(crate::uploads::png_of_side(4)).file_name("票据.png"));
    let res = web.post(led.url("/ledger/entries")).multipart(form).send().await.unwrap();
    assert_eq!(location(&res), Some("/ledger?done=added"));
    let (_, ov) = l.json("GET", "/api/v1/ledger", "/api/v1/ledger", &shop, None).await;
    let with =
        ov["lines"].as_array().unwrap().iter().find(|x| x["has_voucher"] == true).expect("a line with a voucher");
    let vid = str_of(with, "id");
    let own = "/api/v1/ledger/entries/{id}/voucher";
    assert_eq!(
        l.call("GET", own, &format!("/api/v1/ledger/entries/{vid}/voucher"), Some(&shop), &[], Body::None).await.0,
        200
    );
    assert_eq!(l.json("GET", own, "/api/v1/ledger/entries/nope/voucher", &shop, None).await.0, 404);
    let ofv = "/api/v1/ledger/enterprises/{uscc}/entries/{id}/voucher";
    let theirs = format!("/api/v1/ledger/enterprises/{shop_u}/entries/{vid}/voucher");
    let (s, _) = l.call("GET", ofv, &format!("{theirs}?reference={case_code}"), Some(&li), &[], Body::None).await;
    assert_eq!(s, 200);
    let (s, e) = l.json("GET", ofv, &format!("{theirs}?reference=NOPE"), &li, None).await;
    assert_eq!((s, e["error"]["code"].as_str()), (403, Some("forbidden")), "{e}");
    assert_eq!(l.json("GET", ofv, &format!("{theirs}?reference={case_code}"), &wz, None).await.0, 403);
    l.drive_into_errors(&li, &["/api/v1/ledger", "/api/v1/bureau/"]).await;
    l.seen
}
