//! 电子台账 on the shop's phone pages: a scanned line added with a voucher and corrected, and a
//! spreadsheet imported all or nothing with each bad row named.

use crate::helpers::*;
use crate::ledger::{call, enterprise, party, uscc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

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
