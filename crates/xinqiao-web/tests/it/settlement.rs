//! 先行和解 (ODR), attachments and repeated reports, through the pages and the API as the
//! public, the enterprise, officers and supervisors use them.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

const GYM: &str = "91110000600037341L";

fn complaint() -> Value {
    json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": GYM,
        "industry": "R", "region_code": "320508",
        "narrative": "我在健身房办了5000元的预付卡，上周突然关门，我的电话13812345678。", "amount": "5000",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    })
}

/// Submits over the API; returns (receipt, case id, access key).
async fn submit(app: &TestApp, body: &Value) -> (Value, String, String) {
    let res = Client::new().post(app.url("/api/v1/cases")).json(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let r: Value = res.json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let id = app.state.store.case_by_tracking_code(&code).await.unwrap().id;
    let key = r["access_key"].as_str().unwrap().to_owned();
    (r, id, key)
}

async fn progress(app: &TestApp, id: &str, key: &str) -> Value {
    let code = app.state.store.case(id).await.unwrap().tracking_code;
    let res =
        Client::new().get(app.url(&format!("/api/v1/cases/{code}"))).header("x-access-key", key).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Posts a form on a page's behalf, with the CSRF token of `page_path`.
async fn post_form(
    app: &TestApp,
    c: &Client,
    page_path: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page_path).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

async fn audited(app: &TestApp, action: &str) -> usize {
    let f = Filter { action: Some(action.into()), limit: 500, ..Default::default() };
    app.state.store.audit_entries(&f).await.unwrap().len()
}

#[tokio::test]
async fn an_odr_enterprise_settles_first_and_the_complainant_accepts() {
    let app = TestApp::start().await;
    an_odr_enterprise_settles_first_and_the_complainant_accepts_on(&app).await;
}

/// The flow of `an_odr_enterprise_settles_first_and_the_complainant_accepts`, on an app whose clock may start on any day.
pub async fn an_odr_enterprise_settles_first_and_the_complainant_accepts_on(app: &TestApp) {
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await;

    // The supervisor puts the gym in ODR; an officer may not.
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let res =
        post_form(app, &boss, "/odr", "/odr", &[("name", "苏州姑苏示例健身管理有限公司"), ("uscc", "911100006000373")])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a wrong code is refused");
    let res = post_form(app, &boss, "/odr", "/odr", &[("name", "苏州姑苏示例健身管理有限公司"), ("uscc", GYM)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains(GYM));
    let res = post_form(app, &boss, "/odr", "/odr/policy", &[("days", "0")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    assert_eq!(officer.get(app.url("/odr")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // The complaint starts with the enterprise; the bureau's clock stands still.
    let (receipt, id, key) = submit(app, &complaint()).await;
    assert!(receipt["settle_until"].is_string(), "{receipt}");
    assert!(receipt["decision_due"].is_null(), "no acceptance deadline while settling");
    let p = progress(app, &id, &key).await;
    assert_eq!(p["status"], "settling");
    assert_eq!(p["settle_until"], receipt["settle_until"]);
    let staff_page = app.page(&officer, &format!("/cases/{id}")).await;
    assert!(staff_page.contains("先行和解期限"));
    assert!(!staff_page.contains("value=\"accept_settlement\""), "only the complainant accepts");

    // The enterprise proposes (once an officer confirmed the masking), never seeing who complained.
    app.confirm_masking(&id).await;
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let portal = format!("/enterprise/cases/{id}");
    let page = app.page(&firm, &portal).await;
    for secret in ["李秀英", "13812345678", "人民路88号"] {
        assert!(!page.contains(secret));
    }
    assert!(page.contains("先行和解期限"));
    let res = post_form(app, &firm, &portal, &format!("{portal}/settlement"), &[("proposal", "退")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post_form(
        app,
        &firm,
        &portal,
        &format!("{portal}/settlement"),
        &[("proposal", "退还余额4500元，请联系店长13900001111办理")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The complainant sees it (masked) and accepts; the case is closed and may be rated.
    let p = progress(app, &id, &key).await;
    let proposal = p["settlement_proposal"].as_str().unwrap();
    assert!(proposal.contains("退还余额4500元") && !proposal.contains("13900001111"), "{proposal}");
    let code = app.state.store.case(&id).await.unwrap().tracking_code;
    let answer = |accept: bool, key: &str| {
        Client::new()
            .post(app.url(&format!("/api/v1/cases/{code}/settlement")))
            .header("x-access-key", key)
            .json(&json!({"accept": accept}))
    };
    assert_eq!(answer(true, "WRONG-KEY").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = answer(true, &key).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "closed");
    assert_eq!(error_code(answer(true, &key).send().await.unwrap()).await, "conflict");
    let p = progress(app, &id, &key).await;
    assert_eq!(p["status"], "closed");
    assert!(p["settlement_proposal"].is_null());
    let rate = Client::new()
        .post(app.url(&format!("/api/v1/cases/{code}/rating")))
        .header("x-access-key", &key)
        .json(&json!({"rating": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(rate.status(), StatusCode::NO_CONTENT);
    assert_eq!(audited(app, "settlement.").await, 2, "proposal and acceptance recorded");
    assert_eq!(audited(app, "odr.join").await, 1);
}

#[tokio::test]
async fn a_declined_settlement_comes_to_the_bureau() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.state.store.join_odr(&xinqiao_store::audit::Actor::console(), GYM, "健身房").await.unwrap();
    let (_, id, key) = submit(&app, &complaint()).await;
    app.state.store.propose_settlement(&xinqiao_store::audit::Actor::console(), &id, "退一半").await.unwrap();
    let code = app.state.store.case(&id).await.unwrap().tracking_code;
    // On the tracking page: the proposal, then the answer.
    let c = Client::new();
    let page = c.post(app.url("/track")).form(&[("code", code.as_str()), ("key", key.as_str())]).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("id=\"settlement-decline\"") && page.contains("退一半"));
    let res = c
        .post(app.url("/track/settlement"))
        .form(&[("code", code.as_str()), ("key", key.as_str()), ("answer", "decline")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("市场监督管理部门将继续处理"));
    assert_eq!(progress(&app, &id, &key).await["status"], "awaiting_acceptance");
    // Now the bureau's deadline runs, and the officer can accept.
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    let page = app.page(&officer, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"case-deadline\""), "the acceptance deadline is shown again");
    assert!(page.contains("value=\"accept\""));
}

/// A tiny JPEG whose EXIF block carries a GPS position.
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude=31.2989N;GPSLongitude=120.5853E";
    j.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    j.extend_from_slice(exif);
    j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    j.extend_from_slice(&[1u8; 64]);
    j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    j.extend_from_slice(&[0x12, 0x34, 0x56]);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

#[tokio::test]
async fn attachments_are_cleaned_sealed_and_shown_only_to_staff() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await;
    let public = app.client();
    let form_page = app.page(&public, "/submit").await;
    assert!(form_page.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_of(&form_page);
    let fields = |files: Vec<(&str, Vec<u8>)>| {
        let mut f = Form::new()
            .text("csrf", csrf.clone())
            .text("kind", "complaint")
            .text("enterprise_name", "苏州姑苏示例健身管理有限公司")
            .text("uscc", GYM)
            .text("industry", "R")
            .text("region_code", "320508")
            .text("narrative", "健身房关门跑路，预付卡余额退不了，附上收据照片。")
            .text("demand", "退还余额")
            .text("name", "李秀英")
            .text("mobile", "13812345678")
            .text("address", "苏州市姑苏区人民路88号");
        for (name, bytes) in files {
            f = f.part("attachments", Part::bytes(bytes).file_name(name.to_owned()));
        }
        f
    };
    // An executable dressed as a photo is refused, and nothing is stored.
    let res = public
        .post(app.url("/submit"))
        .multipart(fields(vec![("收据.jpg", b"MZ\x90\0\x03\0\0\0 this program".to_vec())]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"attachments-error\""));
    assert!(app.state.store.list_cases(&Default::default()).await.unwrap().is_empty());

    let res = public
        .post(app.url("/submit"))
        .multipart(fields(vec![
            ("收据.jpg", jpeg_with_gps()),
            ("合同.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF".to_vec()),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let receipt = res.text().await.unwrap();
    let code = receipt.split("class=\"tracking-code\">").nth(1).unwrap().split('<').next().unwrap().replace('-', "");
    let key = receipt.split("id=\"access-key\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let case = app.state.store.case_by_tracking_code(&code).await.unwrap();
    let files = app.state.store.attachments(&case.id).await.unwrap();
    assert_eq!(files.iter().map(|f| f.media.as_str()).collect::<Vec<_>>(), vec!["jpeg", "pdf"]);
    // Sealed at rest: neither the GPS text nor the PDF header is readable in the database.
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT sealed FROM blobs WHERE media = 'jpeg'")
        .fetch_one(app.state.store.pool())
        .await
        .unwrap();
    assert!(!sealed.windows(3).any(|w| w == b"GPS"));

    // The officer opens the photo: an image, inline, sandboxed, without its GPS block, audited.
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    let page = app.page(&officer, &format!("/cases/{}", case.id)).await;
    assert!(page.contains("收据.jpg"));
    let photo = officer.get(app.url(&format!("/cases/{}/files/{}", case.id, files[0].id))).send().await.unwrap();
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert!(photo.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(photo.headers()["x-content-type-options"], "nosniff");
    let bytes = photo.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && !bytes.windows(3).any(|w| w == b"GPS"));
    let pdf = officer.get(app.url(&format!("/cases/{}/files/{}", case.id, files[1].id))).send().await.unwrap();
    assert!(pdf.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(audited(&app, "case.attachment.read").await, 2);
    // The enterprise and the public cannot fetch it.
    let firm = app.client();
    app.login(&firm, "gym", PASSWORD).await;
    let url = app.url(&format!("/cases/{}/files/{}", case.id, files[0].id));
    assert_eq!(firm.get(&url).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(&url).send().await.unwrap().status(), StatusCode::SEE_OTHER);

    // The complainant supplements over the API; six files are too many, an HTML page is refused.
    let supplement = |form: Form, key: &str| {
        Client::new()
            .post(app.url(&format!("/api/v1/cases/{code}/supplement")))
            .header("x-access-key", key)
            .multipart(form)
    };
    let six = (0..6)
        .fold(Form::new(), |f, i| f.part("attachments", Part::bytes(jpeg_with_gps()).file_name(format!("{i}.jpg"))));
    assert_eq!(error_code(supplement(six, &key).send().await.unwrap()).await, "validation");
    let html = Form::new().part("attachments", Part::bytes(b"<html><script>x</script>".to_vec()).file_name("a.pdf"));
    assert_eq!(error_code(supplement(html, &key).send().await.unwrap()).await, "validation");
    let ok = Form::new()
        .text("note", "补充付款记录，联系电话13812345678")
        .part("attachments", Part::bytes(jpeg_with_gps()).file_name("付款记录.jpg"));
    assert_eq!(supplement(ok, "WRONG").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let ok = Form::new()
        .text("note", "补充付款记录，联系电话13812345678")
        .part("attachments", Part::bytes(jpeg_with_gps()).file_name("付款记录.jpg"));
    assert_eq!(supplement(ok, &key).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let p = progress(&app, &case.id, &key).await;
    assert_eq!(p["attachments"].as_array().unwrap().len(), 3);
    let notes: String = p["events"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
    assert!(notes.contains("补充付款记录") && !notes.contains("13812345678"), "{notes}");
    let (blobs,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM blobs").fetch_one(app.state.store.pool()).await.unwrap();
    assert_eq!(blobs, 2, "the same cleaned photo is stored once");
}

#[tokio::test]
async fn a_repeated_report_is_proposed_for_merging() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let report = |narrative: &str| {
        json!({"kind": "report", "enterprise_name": "苏州姑苏示例超市有限公司", "industry": "F", "region_code": "320508",
            "narrative": narrative})
    };
    let text = "姑苏区人民路上的示例超市长期销售过期牛奶，生产日期是上个月的，货架上还有很多，店员说卖完再说。我买了两盒，喝了以后肚子疼，希望你们去查一查。";
    let (_, first, _) = submit(&app, &report(text)).await;
    let (_, second, key) =
        submit(&app, &report(&format!("{text}另外冷柜里的酸奶也过期了。我的电话13700001111。"))).await;
    let (_, other, _) =
        submit(&app, &report("示例超市的商品没有明码标价，结账时价格比货架上贵了两块钱，收银员态度也很差。")).await;
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    let page = app.page(&officer, &format!("/cases/{second}")).await;
    assert!(page.contains("疑似重复举报"));
    let first_code =
        xinqiao_domain::cases::TrackingCode::parse(&app.state.store.case(&first).await.unwrap().tracking_code)
            .unwrap()
            .to_string();
    assert!(page.contains(&first_code));
    assert!(!app.page(&officer, &format!("/cases/{other}")).await.contains("疑似重复举报"), "a different report");
    // Merging into something that is not a candidate is refused.
    let res = post_form(
        &app,
        &officer,
        &format!("/cases/{second}"),
        &format!("/cases/{second}/act"),
        &[("action", "merge"), ("into", &other)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = post_form(
        &app,
        &officer,
        &format!("/cases/{second}"),
        &format!("/cases/{second}/act"),
        &[("action", "merge"), ("into", &first)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = progress(&app, &second, &key).await;
    assert_eq!(p["status"], "merged");
    assert_eq!(app.state.store.case(&first).await.unwrap().status, xinqiao_domain::cases::Status::AwaitingVerification);
    assert!(app.page(&officer, &format!("/cases/{second}")).await.contains(&first_code));
}
