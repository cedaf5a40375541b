//! 廉洁登记: an officer records a 请托 (page) and a refused gift (API); the 请托 is a tie, so the
//! officer can neither act on nor be assigned that enterprise's complaint; supervisors of the
//! bureau tree see the entries, an officer and a supervisor elsewhere do not; the annual review
//! shows them under 廉洁自律; each entry is audited and its text masked.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

const GYM: &str = "苏州姑苏示例健身管理有限公司";

async fn complaint(app: &TestApp) -> String {
    let body = json!({
        "kind": "complaint", "enterprise_name": GYM, "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508",
        "narrative": "我在健身房办了5000元的预付卡，上周突然关门，退不了钱。", "amount": "5000",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    app.state.store.case_by_tracking_code(&code).await.unwrap().id
}

async fn act(app: &TestApp, c: &Client, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = c.get(app.url(&format!("/cases/{id}"))).send().await.unwrap().text().await.unwrap();
    let mut form = vec![("csrf".to_owned(), csrf_of(&page))];
    form.extend(fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    c.post(app.url(&format!("/cases/{id}/act"))).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn an_improper_request_is_recorded_seen_by_supervisors_and_bars_the_officer() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let li = app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.zhao", &b.gusu, Role::Officer).await;
    app.member("boss.city", &b.city, Role::Supervisor).await;
    app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    let case = complaint(&app).await;

    // 李 records the gym's 请托 on the page.
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, "/integrity").await;
    let bad = c
        .post(app.url("/integrity"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("kind", "bribe"), ("date", "2026-11-10")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "nothing half-written");
    let res = c
        .post(app.url("/integrity"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("kind", "improper_request"),
            ("date", "2026-11-10"),
            ("enterprise_name", GYM),
            ("enterprise_uscc", ""),
            ("happened", "健身房老板王建国打电话13900001111，请我劝投诉人撤诉。"),
            ("action", "当场拒绝，并报告科长。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let own = app.page(&c, "/integrity").await;
    assert!(own.contains("请托") && own.contains("回避该企业诉求"));
    assert!(!own.contains("13900001111"), "masked before storing");

    // A refused gift over the API: recorded, no tie.
    let token = app.token("officer.li").await;
    let api = Client::new();
    let res = api
        .post(app.url("/api/v1/integrity"))
        .bearer_auth(&token)
        .json(&json!({"kind": "gift", "date": "2026-11-12", "enterprise_uscc": "91110000600037341L",
                      "happened": "检查结束后对方塞来购物卡一张。", "action": "当场退回。"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let mine: Value =
        api.get(app.url("/api/v1/integrity")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert_eq!((&mine[0]["kind"], &mine[0]["tie"]), (&"gift".into(), &false.into()));
    assert_eq!((&mine[1]["kind"], &mine[1]["tie"]), (&"improper_request".into(), &true.into()));
    let refused = api.get(app.url("/api/v1/integrity/bureau")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "an officer does not see the bureau's register");
    assert_eq!(c.get(app.url("/integrity/bureau")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // The 请托 is a tie: 李 cannot act on the gym's complaint, nor be assigned it.
    let refused = act(&app, &c, &case, &[("action", "accept")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let z = app.client();
    app.login(&z, "officer.zhao", PASSWORD).await;
    act(&app, &z, &case, &[("action", "accept")]).await;
    let detail = app.page(&z, &format!("/cases/{case}")).await;
    assert!(detail.contains("请托（廉洁登记）"), "the assignee list says why");
    let refused = act(&app, &z, &case, &[("action", "assign"), ("assignee", li.as_str())]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.state.store.case(&case).await.unwrap().assigned_to.as_deref() != Some(li.as_str()));

    // Supervisors: the city (above) sees both entries; 吴中 (beside) sees none.
    let city = app.client();
    app.login(&city, "boss.city", PASSWORD).await;
    let html = app.page(&city, "/integrity/bureau").await;
    assert!(html.contains("测试officer.li") && html.contains("礼品礼金") && html.contains("请托"));
    let wz = app.client();
    app.login(&wz, "boss.wuzhong", PASSWORD).await;
    let html = app.page(&wz, "/integrity/bureau").await;
    assert!(!html.contains("测试officer.li") && html.contains("这段时间没有登记"));
    let wz_token = app.token("boss.wuzhong").await;
    let seen: Value =
        api.get(app.url("/api/v1/integrity/bureau")).bearer_auth(&wz_token).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen, json!([]));

    // Audited, without the text.
    let audit = app
        .state
        .store
        .audit_entries(&Filter { action: Some("integrity.record".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|e| !format!("{:?}", e.record).contains("王建国")));
    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert!(denied.len() >= 2, "refusals are recorded");

    // The annual review shows them under 廉洁自律.
    let number = app.state.store.certificates(Some(&li)).await.unwrap()[0].certificate.number.clone();
    let review = app.page(&city, &format!("/qualification/certificates/{number}/review?year=2026")).await;
    assert!(review.contains("廉洁自律：廉洁登记（其中请托）") && review.contains("2 项（1 项）"), "{review}");
    assert!(review.contains("id=\"review-integrity\"") && review.contains("当场退回"));
    let last_year = app.page(&city, &format!("/qualification/certificates/{number}/review?year=2025")).await;
    assert!(last_year.contains("本年度没有廉洁登记"));
}
