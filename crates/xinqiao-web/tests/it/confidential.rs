//! 保密资料交换: an officer opens an exchange naming officers of their own tree; the enterprise
//! deposits images signing its commitment (a PDF is refused: it cannot be watermarked); a named
//! officer views only after signing the 保密承诺, as an SVG with their name and the time over the
//! image; every view is shown to the enterprise; refusals for an unnamed officer, an unsigned one,
//! another bureau and another enterprise; on the destruction day access ends and the task
//! (driven by hand) empties the sealed bytes and writes the record both sides see.

use crate::helpers::*;
use crate::ledger::{enterprise, uscc};
use crate::uploads::real_png;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

async fn api(app: &TestApp, method: &str, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = Client::new().request(method.parse().unwrap(), app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn deposit(
    app: &TestApp,
    id: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
    signed: bool,
) -> (StatusCode, Value) {
    let mut form = Form::new().part("files", Part::bytes(bytes).file_name(name.to_owned()));
    if signed {
        form = form.text("commitment", "true");
    }
    let res = Client::new()
        .post(app.url(&format!("/api/v1/confidential/{id}/files")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn view(app: &TestApp, id: &str, token: &str) -> reqwest::Response {
    Client::new().get(app.url(&format!("/api/v1/confidential/{id}/files/1"))).bearer_auth(token).send().await.unwrap()
}

async fn audited(app: &TestApp, action: &str) -> usize {
    let f = Filter { action: Some(action.into()), limit: 100, ..Default::default() };
    app.state.store.audit_entries(&f).await.unwrap().len()
}

#[tokio::test]
async fn only_named_officers_who_signed_see_watermarked_files_each_view_shown_and_destroyed_on_the_day() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.zhao", &b.gusu, Role::Officer).await;
    app.member("officer.wz", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await; // bound to 91110000600037341L
    let shop = enterprise(&app, "shop1", &uscc(1), Some(&b.gusu)).await;
    let (boss, li, zhao, wz, gym) = (
        app.token("boss").await,
        app.token("officer.li").await,
        app.token("officer.zhao").await,
        app.token("officer.wz").await,
        app.token("gym").await,
    );

    // Opening: officers must be of the opener's tree; an enterprise cannot open one.
    let mut open = json!({"matter": "新品饮料配方标签审核", "enterprise_uscc": "91110000600037341L",
        "officers": ["officer.wz"], "destroy_day": "2026-11-20"});
    let (s, e) = api(&app, "POST", "/api/v1/confidential", &boss, Some(open.clone())).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("officer_not_in_bureau")),
        "{e}"
    );
    open["officers"] = json!(["officer.li"]);
    assert_eq!(api(&app, "POST", "/api/v1/confidential", &gym, Some(open.clone())).await.0, StatusCode::FORBIDDEN);
    let (s, x) = api(&app, "POST", "/api/v1/confidential", &boss, Some(open)).await;
    assert_eq!((s, x["party"].as_str()), (StatusCode::CREATED, Some("opener")), "{x}");
    let id = x["exchange"]["id"].as_str().unwrap().to_owned();

    // Deposits: the enterprise signs its commitment; a PDF cannot be watermarked; another
    // enterprise and the officers cannot deposit.
    let (s, e) = deposit(&app, &id, &gym, "配方.pdf", b"%PDF-1.4\n%%EOF\n".to_vec(), true).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_watermarkable")),
        "{e}"
    );
    let (s, e) = deposit(&app, &id, &gym, "配方.png", real_png(40), false).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("commitment_unsigned")),
        "{e}"
    );
    assert_eq!(
        deposit(&app, &id, &shop, "x.png", real_png(40), true).await.0,
        StatusCode::NOT_FOUND,
        "another enterprise"
    );
    assert_eq!(deposit(&app, &id, &li, "x.png", real_png(40), true).await.0, StatusCode::FORBIDDEN, "an officer");
    let (s, d) = deposit(&app, &id, &gym, "张三的秘密配方.png", real_png(40), true).await;
    assert_eq!((s, d["files"][0]["name"].as_str()), (StatusCode::CREATED, Some("保密资料-1.png")), "{d}");
    assert!(d["files"][0]["commitment"].as_str().unwrap().contains("真实"), "{d}");
    assert!(!d.to_string().contains("张三"), "the name it was sent with is not kept");

    // Refusals: unsigned, unnamed, the opener, another bureau, another enterprise.
    let res = view(&app, &id, &li).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "not before signing");
    assert!(res.text().await.unwrap().contains("保密承诺"));
    assert_eq!(view(&app, &id, &zhao).await.status(), StatusCode::NOT_FOUND, "an unnamed officer of the bureau");
    assert_eq!(view(&app, &id, &boss).await.status(), StatusCode::FORBIDDEN, "the opener is not named");
    assert_eq!(view(&app, &id, &wz).await.status(), StatusCode::NOT_FOUND, "another bureau");
    assert_eq!(view(&app, &id, &shop).await.status(), StatusCode::NOT_FOUND, "another enterprise");
    assert_eq!(view(&app, &id, &gym).await.status(), StatusCode::FORBIDDEN, "the enterprise itself is not a viewer");
    let one = format!("/api/v1/confidential/{id}");
    assert_eq!(api(&app, "GET", &one, &wz, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api(&app, "GET", &one, &shop, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api(&app, "POST", &format!("{one}/commitment"), &zhao, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api(&app, "POST", &format!("{one}/commitment"), &boss, None).await.0, StatusCode::FORBIDDEN);
    assert!(audited(&app, "access.denied").await >= 8);
    assert_eq!(audited(&app, "confidential.view").await, 0, "no refused look counts as a view");

    // The named officer signs once, then views the watermarked rendering.
    let (s, d) = api(&app, "POST", &format!("{one}/commitment"), &li, None).await;
    assert_eq!((s, d["signed"].as_bool()), (StatusCode::OK, Some(true)), "{d}");
    assert_eq!(api(&app, "POST", &format!("{one}/commitment"), &li, None).await.0, StatusCode::CONFLICT);
    let res = view(&app, &id, &li).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let svg = res.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("data:image/png;base64,"), "{svg}");
    assert!(svg.contains("测试officer.li（officer.li）2026-11-16 "), "the viewer and the day over the image: {svg}");
    // The account and time are burned into the pixels too: the picture inside is not the one sent.
    let b64 = svg.split("data:image/png;base64,").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let shown = data_encoding::BASE64.decode(b64.as_bytes()).unwrap();
    let shown = xinqiao_domain::incidents::redaction::decode(&shown).unwrap().pixels;
    let sent = xinqiao_domain::incidents::redaction::decode(&real_png(40)).unwrap().pixels;
    assert_eq!(shown.dimensions(), sent.dimensions());
    let burned = shown.pixels().zip(sent.pixels()).filter(|(a, b)| a != b).count();
    assert!(burned > 20, "the mark is in the pixels ({burned} changed)");
    let (_, d) = api(&app, "GET", &one, &gym, None).await;
    assert_eq!(d["views"].as_array().map(Vec::len), Some(1), "{d}");
    assert_eq!(d["views"][0]["username"].as_str(), Some("officer.li"));
    assert_eq!(audited(&app, "confidential.view").await, 1);
    let (_, mine) = api(&app, "GET", "/api/v1/confidential", &shop, None).await;
    assert_eq!(mine, json!([]), "another enterprise lists nothing");
    let (_, mine) = api(&app, "GET", "/api/v1/confidential", &li, None).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1));

    // The enterprise's page shows who viewed and when.
    let c = app.client();
    app.login(&c, "gym", PASSWORD).await;
    let page = app.page(&c, &format!("/confidential/{id}")).await;
    assert!(page.contains("测试officer.li（officer.li）") && page.contains("保密资料-1.png"), "{page}");

    // The destruction day: access ends at once; the task destroys and records it, once.
    app.state.clock().advance(4 * 86_400_000);
    assert_eq!(view(&app, &id, &li).await.status(), StatusCode::CONFLICT);
    assert_eq!(deposit(&app, &id, &gym, "x.png", real_png(40), true).await.0, StatusCode::CONFLICT);
    app.run_task("confidential-destruction").await;
    app.run_task("confidential-destruction").await;
    assert_eq!(audited(&app, "confidential.destroy").await, 1);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM confidential_files WHERE sealed IS NOT NULL")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "the sealed bytes are gone");
    for token in [&gym, &li] {
        let (_, d) = api(&app, "GET", &one, token, None).await;
        assert_eq!(d["exchange"]["destroyed_files"].as_i64(), Some(1), "{d}");
        assert_eq!(d["files"][0]["destroyed"].as_bool(), Some(true));
    }
    app.login(&c, "gym", PASSWORD).await; // four days on, the session has expired
    let page = app.page(&c, &format!("/confidential/{id}")).await;
    assert!(page.contains("id=\"destruction-record\"") && page.contains("已销毁本事项的全部资料（1 份）"), "{page}");
}

#[tokio::test]
async fn the_pages_open_an_exchange_and_a_named_officer_signs_before_the_view_link_appears() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let boss = app.client();
    app.login(&boss, "boss", PASSWORD).await;
    let csrf = csrf_of(&app.page(&boss, "/confidential").await);
    let bad = boss
        .post(app.url("/confidential"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("matter", "配方"),
            ("enterprise_uscc", "91110000600037341L"),
            ("officers", "nobody"),
            ("destroy_day", "2026-12-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("“nobody”不是本机构及下级机构的在岗工作人员账户"));
    let res = boss
        .post(app.url("/confidential"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("matter", "配方审核"),
            ("enterprise_uscc", "91110000600037341L"),
            ("officers", "officer.li"),
            ("destroy_day", "2026-12-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = location(&res).unwrap().to_owned();
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let page = app.page(&li, &at).await;
    assert!(page.contains("id=\"officer-commitment\"") && page.contains("尚未签署保密承诺"), "{page}");
    let csrf = csrf_of(&page);
    let unticked = li.post(app.url(&format!("{at}/commitment"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(unticked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let signed = li
        .post(app.url(&format!("{at}/commitment")))
        .form(&[("csrf", csrf.as_str()), ("agree", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let page = app.page(&li, &at).await;
    assert!(page.contains("已签署保密承诺") && !page.contains("id=\"officer-commitment\""), "{page}");
    assert_eq!(audited(&app, "confidential.sign").await, 1);
}
