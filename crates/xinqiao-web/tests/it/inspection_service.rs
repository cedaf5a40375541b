//! 双随机's service under both doors (issue 17): recording and publishing a drawn task's results
//! through the task page and through `/api/v1/inspections/{id}/…` meet the same refusals — not on the
//! team, not a supervisor, no category, already published.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;

async fn page_post(app: &TestApp, c: &Client, id: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, &format!("/inspections/{id}")).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(&format!("/inspections/{id}/{path}"))).form(&form).send().await.unwrap()
}

async fn api_post(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> reqwest::Response {
    let req = Client::new().post(app.url(path)).bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    req.send().await.unwrap()
}

#[tokio::test]
async fn results_meet_the_same_refusals_through_the_page_and_the_api() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let id = crate::inspections::committed_task(&app).await;
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let res = page_post(&app, &boss, &id, "reveal", &[("value_0", "3 9 14 22 27 31 8")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let doc: Value =
        Client::new().get(app.url(&format!("/api/v1/draws/{id}"))).send().await.unwrap().json().await.unwrap();
    let uscc = doc["outcome"]["targets"][0]["uscc"].as_str().unwrap().to_owned();
    let (li_token, wang_token) = (app.token("officer.li").await, app.token("supervisor.wang").await);
    let results = format!("/api/v1/inspections/{id}/results");
    let publish = format!("/api/v1/inspections/{id}/publish");
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;

    // Not on the drawn team: refused through both doors.
    let fields = [("uscc", uscc.as_str()), ("category", "no_problem")];
    assert_eq!(page_post(&app, &li, &id, "results", &fields).await.status(), StatusCode::FORBIDDEN);
    let body = json!({"uscc": uscc, "category": "no_problem"});
    let res = api_post(&app, &li_token, &results, Some(body.clone())).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // No category: the same field error.
    let res = api_post(&app, &wang_token, &results, Some(json!({"uscc": uscc, "category": ""}))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = page_post(&app, &boss, &id, "results", &[("uscc", uscc.as_str()), ("category", "")]).await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().await.unwrap().contains("请选择检查结果"));
    // An unknown target: 404 through both doors.
    let res = api_post(&app, &wang_token, &results, Some(json!({"uscc": "none", "category": "no_problem"}))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The supervisor records over the API; an officer cannot publish through either door.
    assert_eq!(api_post(&app, &wang_token, &results, Some(body.clone())).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(page_post(&app, &li, &id, "publish", &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(api_post(&app, &li_token, &publish, None).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(api_post(&app, &wang_token, &publish, None).await.status(), StatusCode::NO_CONTENT);
    // Published: no change any more, through either door, and it says why.
    let res = api_post(&app, &wang_token, &results, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("该结果已经公示，不能修改"));
    let page = page_post(&app, &boss, &id, "results", &fields).await;
    assert!(page.text().await.unwrap().contains("该结果已经公示，不能修改"));
}
