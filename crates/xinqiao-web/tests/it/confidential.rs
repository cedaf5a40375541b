//! 保密资料交换: an officer opens an exchange naming officers of their own tree; the enterprise
//! deposits images or PDFs signing its commitment (a PDF that does not open is refused in
//! Chinese); a named officer views only after signing the 保密承诺, as an SVG with their name and
//! the time over the image, a PDF page by page with the mark burned into each page's pixels;
//! every view is shown to the enterprise; refusals for an unnamed officer, an unsigned one,
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

    // Deposits: the enterprise signs its commitment; a PDF that does not open is refused;
    // another enterprise and the officers cannot deposit.
    let (s, e) = deposit(&app, &id, &gym, "配方.pdf", b"%PDF-1.4\n%%EOF\n".to_vec(), true).await;
    assert_eq!(
        (s, e["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("pdf_malformed")),
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

/// A PDF written by hand: `pages` A4 pages, each with a filled blue rectangle in its upper left
/// part and a line of Helvetica (a standard font, not embedded).
pub fn hand_pdf(pages: usize) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect::<Vec<_>>().join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    for i in 0..pages {
        let content =
            format!("0.1 0.2 0.6 rg 60 560 240 220 re f BT /F1 28 Tf 0 0 0 rg 60 480 Td (Recipe page {}) Tj ET", i + 1);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> \
             /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

async fn get(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    Client::new().get(app.url(path)).bearer_auth(token).send().await.unwrap()
}

/// The PNG inside a watermarked SVG rendering, decoded.
fn png_in(svg: &str) -> image::RgbImage {
    let b64 = svg.split("data:image/png;base64,").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let png = data_encoding::BASE64.decode(b64.as_bytes()).unwrap();
    image::load_from_memory(&png).unwrap().into_rgb8()
}

#[tokio::test]
async fn a_pdf_is_shown_page_by_page_as_watermarked_images_to_named_signed_officers_only() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.qian", &b.gusu, Role::Officer).await;
    app.member("officer.zhao", &b.gusu, Role::Officer).await;
    app.member("officer.wz", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await; // bound to 91110000600037341L
    let (boss, li, qian, zhao, wz, gym) = (
        app.token("boss").await,
        app.token("officer.li").await,
        app.token("officer.qian").await,
        app.token("officer.zhao").await,
        app.token("officer.wz").await,
        app.token("gym").await,
    );
    let open = json!({"matter": "新品饮料配方标签审核", "enterprise_uscc": "91110000600037341L",
        "officers": ["officer.li", "officer.qian"], "destroy_day": "2026-11-20"});
    let (s, x) = api(&app, "POST", "/api/v1/confidential", &boss, Some(open)).await;
    assert_eq!(s, StatusCode::CREATED, "{x}");
    let id = x["exchange"]["id"].as_str().unwrap().to_owned();

    // PDFs that cannot be shown are refused at deposit, in Chinese, nothing stored.
    let field = |e: &Value| {
        (e["error"]["fields"][0]["code"].as_str().map(str::to_owned), e["error"]["fields"][0]["message"].to_string())
    };
    let (s, e) = deposit(&app, &id, &gym, "坏.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog".to_vec(), true).await;
    assert_eq!((s, field(&e).0.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("pdf_malformed")), "{e}");
    assert!(field(&e).1.contains("PDF 文件已损坏或结构异常"), "{e}");
    let bomb = hand_pdf(2000);
    let (s, e) = deposit(&app, &id, &gym, "多.pdf", bomb, true).await;
    assert_eq!((s, field(&e).0.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("pdf_too_many_pages")), "{e}");
    assert!(field(&e).1.contains("共2000页，每个文件最多30页"), "{e}");
    let locked = String::from_utf8(hand_pdf(1)).unwrap().replace("/Root 1 0 R", "/Root 1 0 R /Encrypt 9 0 R");
    let (s, e) = deposit(&app, &id, &gym, "锁.pdf", locked.into_bytes(), true).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(field(&e).1.contains("加密"), "{e}");
    // The type is read from the bytes: a PDF named .png is a PDF, a PNG named .pdf a PNG.
    let pdf = hand_pdf(2);
    let (s, d) = deposit(&app, &id, &gym, "配方.png", pdf.clone(), true).await;
    assert_eq!((s, d["files"][0]["name"].as_str()), (StatusCode::CREATED, Some("保密资料-1.pdf")), "{d}");
    assert_eq!(d["files"].as_array().map(Vec::len), Some(1), "the refused ones left nothing: {d}");
    assert_eq!(d["files"][0]["pages"].as_i64(), Some(2), "{d}");
    let (s, d) = deposit(&app, &id, &gym, "图.pdf", real_png(40), true).await;
    assert_eq!(
        (s, d["files"][1]["name"].as_str(), d["files"][1]["pages"].clone()),
        (StatusCode::CREATED, Some("保密资料-2.png"), Value::Null)
    );

    // Refusals: a named officer who has not signed, an unnamed one, another bureau, the enterprise.
    let page1 = format!("/api/v1/confidential/{id}/files/1/pages/1");
    let res = get(&app, &page1, &qian).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "named but unsigned");
    assert!(res.text().await.unwrap().contains("保密承诺"));
    assert_eq!(get(&app, &page1, &zhao).await.status(), StatusCode::NOT_FOUND, "unnamed");
    assert_eq!(get(&app, &page1, &wz).await.status(), StatusCode::NOT_FOUND, "another bureau");
    assert_eq!(get(&app, &page1, &boss).await.status(), StatusCode::FORBIDDEN, "the opener is not named");
    assert_eq!(get(&app, &page1, &gym).await.status(), StatusCode::FORBIDDEN, "the enterprise is not a viewer");
    assert_eq!(audited(&app, "confidential.view").await, 0);

    // The named officer signs and views page 2: pixels with the mark burned in, never the PDF.
    let one = format!("/api/v1/confidential/{id}");
    assert_eq!(api(&app, "POST", &format!("{one}/commitment"), &li, None).await.0, StatusCode::OK);
    let res = get(&app, &format!("{one}/files/1/pages/2"), &li).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let svg = res.text().await.unwrap();
    assert!(svg.contains("测试officer.li（officer.li）2026-11-16 "), "the name and day over the page");
    assert!(!svg.contains("application/pdf") && !svg.contains("%PDF"), "never the PDF itself");
    let shown = png_in(&svg);
    let plain = xinqiao_domain::confidential_pdf::render_page(&pdf, 2).unwrap();
    assert_eq!(shown.dimensions(), (1240, 1754), "A4 at about 150 dpi");
    assert_eq!(shown.dimensions(), plain.dimensions());
    let changed: Vec<(u32, u32)> =
        shown.enumerate_pixels().filter(|(x, y, p)| *p != plain.get_pixel(*x, *y)).map(|(x, y, _)| (x, y)).collect();
    assert!(changed.len() > 20_000, "the mark is in the pixels ({} changed)", changed.len());
    // the first line of the mark starts at the top left (scale 10: cells from 20 px); the blank
    // bottom margin is marked too, so cutting away the text does not cut away the mark
    assert!(changed.iter().filter(|&&(x, y)| x < 400 && (20..90).contains(&y)).count() > 500, "top-left line");
    assert!(changed.iter().any(|&(_, y)| y > 1600), "bottom margin marked");
    // the page itself is there: the blue rectangle (in points 60..300 × 560..780) shows
    let s = 1240.0 / 595.0;
    let blue = shown.get_pixel((250.0 * s) as u32, ((842.0 - 700.0) * s) as u32).0;
    assert!(blue[2] > blue[0] + 40, "rectangle pixel {blue:?}");
    // a PDF is viewed by page; pages it does not have, and pages of an image, are not there
    let res = get(&app, &format!("{one}/files/1"), &li).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("按页查阅"));
    for missing in ["1/pages/3", "1/pages/0", "2/pages/1", "9/pages/1"] {
        assert_eq!(
            get(&app, &format!("{one}/files/{missing}"), &li).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    assert_eq!(get(&app, &format!("{one}/files/2"), &li).await.status(), StatusCode::OK, "the image as before");

    // Each view is recorded with its page, audited and shown to the enterprise.
    assert_eq!(audited(&app, "confidential.view").await, 2);
    let (_, d) = api(&app, "GET", &one, &gym, None).await;
    assert_eq!(d["views"].as_array().map(Vec::len), Some(2), "{d}");
    let paged = d["views"].as_array().unwrap().iter().find(|v| v["seq"] == 1).unwrap();
    assert_eq!((paged["page"].as_i64(), paged["username"].as_str()), (Some(2), Some("officer.li")), "{d}");
    assert!(d["views"].as_array().unwrap().iter().any(|v| v["seq"] == 2 && v["page"].is_null()), "{d}");
    let c = app.client();
    app.login(&c, "gym", PASSWORD).await;
    let page = app.page(&c, &format!("/confidential/{id}")).await;
    assert!(page.contains("保密资料-1.pdf 第2页") && page.contains("共 2 页"), "{page}");
    assert!(!page.contains("/files/1/pages/"), "the enterprise gets no view links");
    // The officer's page lists the pages, each a link that serves the watermarked page.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/confidential/{id}")).await;
    let link = format!("/confidential/{id}/files/1/pages/2");
    assert!(page.contains(&format!("/confidential/{id}/files/1/pages/1")) && page.contains(&link), "{page}");
    let res = c.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(png_in(&res.text().await.unwrap()).dimensions(), (1240, 1754));
    assert_eq!(audited(&app, "confidential.view").await, 3);

    // After the destruction day nobody sees a page, and once destroyed the pages are gone.
    app.state.clock().advance(4 * 86_400_000);
    assert_eq!(get(&app, &page1, &li).await.status(), StatusCode::CONFLICT);
    app.run_task("confidential-destruction").await;
    let li = app.token("officer.li").await;
    assert_eq!(get(&app, &page1, &li).await.status(), StatusCode::CONFLICT);
    let (_, d) = api(&app, "GET", &one, &li, None).await;
    assert_eq!(d["files"][0]["destroyed"].as_bool(), Some(true), "{d}");
}
