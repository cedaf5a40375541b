//! 任职资格's annual review over the JSON API: the year is read from the platform, and a breach
//! suspends the certificate at once.

use crate::helpers::*;
use crate::qualification::Api;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

#[tokio::test]
async fn the_annual_review_reads_the_year_from_the_platform_and_a_breach_suspends_at_once() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    let officer = app.member("off", &b.gusu, Role::Officer).await;
    let store = &app.state.store;
    let api = Api::new(&app);
    let boss = app.token("boss").await;

    // Two cases: one handled by the officer (closed on time, rated 5, settled by mediation), one
    // not theirs whose complainant's identity they read anyway.
    let mut cases = Vec::new();
    for text in ["健身房关门，预付卡退不了。", "买的电饭煲三天就坏了。"] {
        let body = json!({
            "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "industry": "R", "region_code": "320508",
            "narrative": text, "demand": "退款", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
        });
        let r: Value =
            Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
        let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
        cases.push(store.case_by_tracking_code(&code).await.unwrap().id);
    }
    sqlx::query(
        "UPDATE cases SET assigned_to = $1, closed_at = $2, closed_on_time = 1, rating = 5, mediation_success = 1 WHERE id = $3",
    )
    .bind(&officer)
    .bind(app.state.now_ms())
    .bind(&cases[0])
    .execute(store.pool())
    .await
    .unwrap();
    let off = store.user(&officer).await.unwrap();
    let actor = xinqiao_web::auth::session_actor(&off, "127.0.0.1");
    store.read_identity(&actor, &cases[1], "电话联系投诉人").await.unwrap();
    store.add_work_log(&actor, app.state.today().0, "调解一件", "", "").await.unwrap();

    let number = store.certificates(Some(&officer)).await.unwrap()[0].certificate.number.clone();
    let (s, doc) = api.call(&boss, "GET", &format!("/api/v1/qualification/certificates/{number}/review"), None).await;
    assert_eq!(s, StatusCode::OK, "{doc}");
    let value = |label: &str| {
        doc["indicators"].as_array().unwrap().iter().find(|i| i["label"] == label).unwrap()["value"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(value("承办诉求"), "1 件");
    assert!(value("办结按期率").starts_with("100.0%"), "{doc}");
    assert!(value("回访平均评分").starts_with("5.00"), "{doc}");
    assert!(value("调解成功率").starts_with("100.0%"), "{doc}");
    assert_eq!(value("查看个人信息（其中非本人承办案件）"), "1（1）");
    assert_eq!(value("工作日志"), "1 篇");
    let dimensions: std::collections::BTreeSet<&str> =
        doc["indicators"].as_array().unwrap().iter().map(|i| i["dimension"].as_str().unwrap()).collect();
    assert_eq!(dimensions.len(), 7, "every dimension has evidence: {dimensions:?}");

    // The same on the review page, and the holder may read their own.
    for who in ["boss", "off"] {
        let c = app.client();
        app.login(&c, who, PASSWORD).await;
        let html = app.page(&c, &format!("/qualification/certificates/{number}/review")).await;
        assert!(html.contains("承办诉求") && html.contains("1 件"), "{who} sees the year's record");
        assert_eq!(html.contains("record-review"), who == "boss", "only supervisors record reviews");
    }

    // A number typed wrong on the page is told beside its field and records nothing (never read as 0).
    let c = app.client();
    app.login(&c, "boss", PASSWORD).await;
    let path = format!("/qualification/certificates/{number}/review");
    let csrf = csrf_of(&app.page(&c, &path).await);
    let this_year = xinqiao_domain::time::civil_from_days(app.state.today().0).0.to_string();
    let bad = [
        ("csrf", csrf.as_str()),
        ("year", this_year.as_str()),
        ("upheld_complaints", "三"),
        ("missed_recusals", ""),
        ("training_hours", "12"),
        ("note", "x"),
    ];
    let res = c.post(app.url(&path)).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let told = html.split("review-error").nth(1).unwrap_or(&html);
    assert!(html.contains("查实的投诉件数应为数字") && html.contains("请填写应回避未回避次数"), "both told: {told}");
    let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.review'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(reviews, 0, "nothing recorded");
    let params = [
        ("csrf", csrf.as_str()),
        ("test_minutes", "九十"),
        ("panel_size", "3"),
        ("appeal_days", "15"),
        ("validity_years", "2"),
    ];
    let res = c.post(app.url("/qualification/params")).form(&params).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("考试时长应为数字"));

    // The officer cannot review themselves.
    let own = app.token("off").await;
    let (s, _) = api.call(&own, "GET", &format!("/api/v1/qualification/certificates/{number}/review"), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The review confirms a confidentiality breach: suspended at once, the reason masked and audited.
    let year = xinqiao_domain::time::civil_from_days(app.state.today().0).0;
    let review = json!({"year": year, "upheld_complaints": 0, "missed_recusals": 0, "training_hours": 12.0,
        "note": "全年工作称职", "breach": "向无关人员透露投诉人电话13812345678"});
    let (s, r) =
        api.call(&boss, "POST", &format!("/api/v1/qualification/certificates/{number}/review"), Some(review)).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let today = app.state.today();
    assert!(!store.may_take_cases(&officer, today).await.unwrap());
    // The case router no longer offers them anything; the certified supervisor is offered instead.
    let offered = store.candidates(&b.gusu, &cases[1]).await.unwrap();
    let them = offered.iter().find(|o| o.candidate.user_id == officer).unwrap();
    assert!(!them.candidate.certified);
    let parties = xinqiao_domain::cases::independence::Parties {
        enterprise_uscc: None,
        enterprise_name: "某公司".into(),
        person_indexes: vec![],
    };
    let all: Vec<_> = offered.iter().map(|o| o.candidate.clone()).collect();
    let pick = xinqiao_domain::cases::independence::suggest(&all, &parties, Some('R')).unwrap();
    assert_ne!(pick.user_id, officer);
    let (_, roster) = api.call(&boss, "GET", "/api/v1/qualification/roster", None).await;
    let line = roster.as_array().unwrap().iter().find(|r| r["number"] == number.as_str()).unwrap().clone();
    assert_eq!(line["status"], "suspended");
    assert_eq!(line["last_reviewed"], today.to_string());
    let reason = line["reason"].as_str().unwrap();
    assert!(reason.contains("年度复审") && !reason.contains("13812345678"), "{reason}");
    let trail = store
        .audit_entries(&Filter { action: Some("certificate.suspend".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
}
