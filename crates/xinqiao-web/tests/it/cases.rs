//! Public intake and tracking, over the form and the API: validation, masking, sealing, and the
//! code-plus-key rule for reading progress.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_store::audit::Filter;

fn complaint() -> Value {
    json!({
        "kind": "complaint",
        "enterprise_name": "苏州姑苏示例健身管理有限公司",
        "uscc": "91110000600037341L",
        "industry": "R",
        "region_code": "320508",
        "narrative": "我叫李秀英，在人民路88号的健身房办了5000元的卡，老板电话15900001111关机。我的手机13812345678。",
        "amount": "5000",
        "demand": "退还卡内余额",
        "event_date": "2026-03-15",
        "name": "李秀英",
        "mobile": "138 1234 5678",
        "id_number": "360426199101010071",
        "address": "苏州市姑苏区人民路88号",
        "consent_publish": true,
        "also_report": true
    })
}

#[tokio::test]
async fn api_intake_masks_seals_and_tracks() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = Client::new();
    let res = c.post(app.url("/api/v1/cases")).json(&complaint()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let receipt: Value = res.json().await.unwrap();
    let cases = receipt["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2, "a complaint that also reports opens a linked report");
    assert_eq!(cases[1]["kind"], "report");
    let code = cases[0]["tracking_code"].as_str().unwrap();
    let key = receipt["access_key"].as_str().unwrap();
    assert_eq!(receipt["decision_due_verified"], false, "Order 121's limits are not yet verified");
    assert!(receipt["decision_due"].as_str().unwrap().starts_with("202"));

    // At rest: masked narrative, sealed original and identity, nothing raw.
    let bare: String = code.chars().filter(|c| *c != '-').collect();
    let case = app.state.store.case_by_tracking_code(&bare).await.unwrap();
    for raw in ["13812345678", "15900001111", "李秀英", "人民路88号"] {
        assert!(!case.narrative_masked.contains(raw), "{raw} in {}", case.narrative_masked);
    }
    assert!(case.narrative_masked.contains("健身房") && case.narrative_masked.contains("5000元"), "still readable");
    let (sealed, narrative_sealed): (String, String) = sqlx::query_as(
        "SELECT i.sealed, c.narrative_sealed FROM case_identities i JOIN cases c ON c.id = i.case_id WHERE c.id = $1",
    )
    .bind(&case.id)
    .fetch_one(app.state.store.pool())
    .await
    .unwrap();
    assert!(!sealed.contains("13812345678") && !narrative_sealed.contains("13812345678"));
    let identity: Value =
        serde_json::from_slice(&app.state.secrets.open(&format!("identity:{bare}"), &sealed).unwrap()).unwrap();
    assert_eq!(identity["mobile"], "13812345678");
    let index = app.state.secrets.blind_index("mobile", "13812345678");
    assert_eq!(
        app.state.store.cases_by_index(Some(&index), None).await.unwrap().len(),
        2,
        "both linked cases found by phone"
    );
    let org = case.org_name.as_deref();
    assert_eq!(org, Some("姑苏区市场监督管理局"));

    // Progress needs the key; a wrong key and an unknown code look the same.
    let ok = c.get(app.url(&format!("/api/v1/cases/{code}"))).header("x-access-key", key).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let progress: Value = ok.json().await.unwrap();
    assert_eq!(progress["status_label"], "待受理");
    assert_eq!(progress["events"].as_array().unwrap().len(), 1);
    let wrong =
        c.get(app.url(&format!("/api/v1/cases/{code}"))).header("x-access-key", "WRONG-KEY").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let unknown = c.get(app.url("/api/v1/cases/2611-K7M3-9QXD-HF")).header("x-access-key", key).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(wrong).await, error_code(unknown).await);

    let audit = app
        .state
        .store
        .audit_entries(&Filter { action: Some("case.intake".into()), limit: 5, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    // Neither form of the number (a case code may hold "138" by chance, so the whole number).
    for number in ["13812345678", "138 1234 5678"] {
        assert!(audit.iter().all(|e| !e.record.detail.contains(number) && !e.record.target.contains(number)));
    }
}

#[tokio::test]
async fn api_intake_reports_every_field_problem() {
    let app = TestApp::start().await;
    let mut bad = complaint();
    bad["uscc"] = json!("91110000600037341M");
    bad["mobile"] = json!("12345");
    bad["narrative"] = json!("太差");
    bad["region_code"] = json!("99");
    let res = Client::new().post(app.url("/api/v1/cases")).json(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields.len(), 4, "{body}");
    for f in ["uscc", "mobile", "narrative", "region_code"] {
        assert!(fields.contains(&f), "{f}");
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(app.state.store.pool()).await.unwrap();
    assert_eq!(n, 0, "nothing stored");
    let extra = Client::new()
        .post(app.url("/api/v1/cases"))
        .json(&json!({"kind": "complaint", "secret": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(extra.status(), StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are named");
}

#[tokio::test]
async fn the_public_form_and_tracking_page() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = app.client();
    let page = app.page(&c, "/submit").await;
    assert!(page.contains("不会告诉被投诉企业") && page.contains("姑苏区市场监督管理局"));
    let csrf = csrf_of(&page);
    let no_csrf = c.post(app.url("/submit")).form(&[("kind", "report")]).send().await.unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let invalid = c
        .post(app.url("/submit"))
        .form(&[("csrf", csrf.as_str()), ("kind", "complaint"), ("narrative", "太差"), ("region_code", "320508")])
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = invalid.text().await.unwrap();
    for msg in ["请填写被投诉（举报）企业的名称", "至少10个字", "投诉须留下您的姓名", "投诉须留下手机号"]
    {
        assert!(html.contains(msg), "{msg}");
    }
    // An anonymous report.
    let ok = c
        .post(app.url("/submit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "report"),
            ("enterprise_name", "某某超市"),
            ("industry", "F"),
            ("region_code", "320508"),
            ("narrative", "这家超市把过期的牛奶改了生产日期重新上架销售。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let receipt = ok.text().await.unwrap();
    let code = between(&receipt, "<code class=\"tracking-code\">", "<");
    let key = between(&receipt, "<code id=\"access-key\">", "<");
    assert_eq!(code.len(), 17);
    let track = c.post(app.url("/track")).form(&[("code", code.as_str()), ("key", key.as_str())]).send().await.unwrap();
    assert_eq!(track.status(), StatusCode::OK);
    let html = track.text().await.unwrap();
    assert!(html.contains("待核查") && html.contains("某某超市"), "{html}");
    let wrong = c.post(app.url("/track")).form(&[("code", code.as_str()), ("key", "nope")]).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    assert!(wrong.text().await.unwrap().contains("受理编号或查询码不正确"));
    let stored = app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap();
    assert!(stored.anonymous);
}

fn between(html: &str, start: &str, end: &str) -> String {
    let at = html.find(start).expect(start) + start.len();
    html[at..].split(end).next().unwrap().to_owned()
}
