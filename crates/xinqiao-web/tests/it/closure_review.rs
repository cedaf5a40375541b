//! 审核办结 (issue 18): with the bureau's closure review on, an officer's 办结 waits for a
//! supervisor, who approves it (the case closes) or returns it with a reason; the case page, the
//! supervisor's workbench count and the queue show it. The same refusals through the page and the
//! API: the officer cannot approve their own closure, another bureau's supervisor cannot see it.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;

async fn complaint(app: &TestApp) -> (String, String) {
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "region_code": "320508", "narrative": "我在健身房办了5000元的预付卡，上周突然关门。",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().to_owned();
    let id = app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id;
    (id, code)
}

async fn api(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    Client::new().post(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn post_page(app: &TestApp, c: &Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, "/cases").await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(path)).form(&form).send().await.unwrap()
}

fn status_of(page: &str) -> &str {
    page.split("id=\"case-status\">").nth(1).unwrap().split('<').next().unwrap()
}

fn count(home: &str, id: &str) -> String {
    home.split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap()
        .split("class=\"count\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_officers_closure_waits_for_a_supervisor_of_the_bureau() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let li = app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("super.wang", &b.gusu, Role::Supervisor).await;
    app.member("super.wu", &b.wuzhong, Role::Supervisor).await;
    let (id, code) = complaint(&app).await;
    let li_token = app.token("officer.li").await;
    let wang_token = app.token("super.wang").await;
    let wu_token = app.token("super.wu").await;
    let actions = format!("/api/v1/cases/{code}/actions");
    let review = format!("/api/v1/cases/{code}/closure-review");
    for body in
        [json!({"action": "accept"}), json!({"action": "assign", "assignee": li}), json!({"action": "start_mediation"})]
    {
        assert_eq!(api(&app, &li_token, &actions, body).await.status(), StatusCode::OK);
    }

    // Off unless the bureau turns it on; only a supervisor turns it on, through either door.
    let setting =
        Client::new().get(app.url("/api/v1/cases/closure-review-setting")).bearer_auth(&li_token).send().await.unwrap();
    assert_eq!(setting.json::<Value>().await.unwrap()["required"], false);
    let res = Client::new()
        .put(app.url("/api/v1/cases/closure-review-setting"))
        .bearer_auth(&li_token)
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let li_page = app.client();
    app.login(&li_page, "officer.li", PASSWORD).await;
    let res = post_page(&app, &li_page, "/cases/closure-setting", &[("required", "1")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let wang = app.client();
    app.login(&wang, "super.wang", PASSWORD).await;
    assert!(app.page(&wang, "/cases").await.contains("开启审核办结"));
    let res = post_page(&app, &wang, "/cases/closure-setting", &[("required", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.page(&wang, "/cases").await.contains("id=\"closure-setting-state\">已开启"));

    // The officer's 办结 (confirmed) becomes a request; the case stays in mediation.
    let close =
        [("action", "close"), ("result", "settled"), ("recovered", "1200"), ("note", "已退款"), ("confirmed", "1")];
    let res = post_page(&app, &li_page, &format!("/cases/{id}/act"), &close).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res).unwrap(), format!("/cases/{id}?done=close_request"));
    let page = app.page(&li_page, &format!("/cases/{id}?done=close_request")).await;
    assert_eq!(status_of(&page), "调解中");
    assert!(page.contains("已提交办结申请，待主管审核。") && page.contains("办结申请待主管审核"), "{page}");
    assert!(!page.contains("id=\"act-close\"") && !page.contains("id=\"closure-approve\""), "nothing else meanwhile");
    let res = api(&app, &li_token, &actions, json!({"action": "assign", "assignee": li})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // The officer cannot approve their own closure: refused through both doors.
    let res = post_page(&app, &li_page, &format!("/cases/{id}/closure-review"), &[("decision", "approve")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = api(&app, &li_token, &review, json!({"decision": "approve"})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Another bureau's supervisor does not even see the case: through both doors.
    let wu = app.client();
    app.login(&wu, "super.wu", PASSWORD).await;
    let res = post_page(&app, &wu, &format!("/cases/{id}/closure-review"), &[("decision", "approve")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = api(&app, &wu_token, &review, json!({"decision": "approve"})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app.page(&li_page, &format!("/cases/{id}")).await), "调解中", "nothing approved");

    // The supervisor of the bureau sees it on the workbench and in the queue.
    let home = app.page(&wang, "/").await;
    assert_eq!(count(&home, "work-closure"), "1", "the workbench counts it");
    let queue = app.page(&wang, "/cases?closure=1").await;
    assert!(queue.contains(&format!("/cases/{id}\"")) && queue.contains("共 <strong>1</strong> 件"), "{queue}");
    assert!(!app.page(&li_page, "/").await.contains("id=\"work-closure\""), "an officer reviews none");

    // Returned: a reason is required (told beside its field), then the officer sees it.
    let res =
        post_page(&app, &wang, &format!("/cases/{id}/closure-review"), &[("decision", "return"), ("reason", "短")])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("aria-describedby=\"closure-reason-error\"") && html.contains("id=\"closure-reason-error\""));
    let reason = [("decision", "return"), ("reason", "请补充退款凭证后再申请办结")];
    let res = post_page(&app, &wang, &format!("/cases/{id}/closure-review"), &reason).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&li_page, &format!("/cases/{id}")).await;
    assert_eq!(status_of(&page), "调解中");
    assert!(page.contains("办结申请已被主管退回：请补充退款凭证后再申请办结"), "{page}");
    assert!(page.contains("id=\"act-close\""), "back to the officer");
    assert_eq!(count(&app.page(&wang, "/").await, "work-closure"), "0");

    // Asked again over the API, approved over the API: the case is closed with the officer's result.
    let res = api(&app, &li_token, &actions, json!({"action": "close", "result": "settled", "recovered": "800"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["status"].as_str(), body["awaiting_review"].as_bool()), (Some("mediating"), Some(true)));
    let res = api(&app, &wang_token, &review, json!({"decision": "approve"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "closed");
    let case = app.state.store.case(&id).await.unwrap();
    assert_eq!(case.status, xinqiao_domain::cases::Status::Closed);
    assert_eq!(case.recovered_cents, Some(80_000));
    let res = api(&app, &wang_token, &review, json!({"decision": "approve"})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "nothing waits any more");
    let events = app.state.store.case_events(&id, false).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    for a in ["case.close_request", "case.close_return", "case.close"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}
