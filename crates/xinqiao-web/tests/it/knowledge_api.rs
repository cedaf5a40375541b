//! 政策问答's keeping over `/api/v1`, through the service the pages use: the law registry and a
//! new version sending citing entries to 待复核, the search's word lists with a bad line refused
//! whole, and the unanswered questions grouped with a draft started from a group — each refused
//! to an officer and to a caller without a token, and each answering what the page shows.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let mut req = Client::new().get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn send(app: &TestApp, method: reqwest::Method, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = Client::new().request(method, app.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn laws_are_read_by_writers_and_changed_by_supervisors_over_the_api() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let (li, wang) = (app.token("officer.li").await, app.token("supervisor.wang").await);

    assert_eq!(get(&app, None, "/api/v1/laws").await.0, StatusCode::UNAUTHORIZED);
    let (status, laws) = get(&app, Some(&li), "/api/v1/laws").await;
    assert_eq!(status, StatusCode::OK);
    let laws = laws.as_array().unwrap().clone();
    assert!(laws.len() >= 5, "the registry: {laws:?}");
    let first = &laws[0];
    assert!(first["verified"].is_boolean() && !first["versions"].as_array().unwrap().is_empty(), "{first}");
    // The page lists the same laws.
    let page_user = app.client();
    app.login(&page_user, "officer.li", PASSWORD).await;
    let html = app.page(&page_user, "/laws").await;
    for law in &laws {
        assert!(html.contains(law["name"].as_str().unwrap()), "{law}");
    }

    let law = first["id"].as_str().unwrap().to_owned();
    let versions_before = first["versions"].as_array().unwrap().len();
    let path = format!("/api/v1/laws/{law}/versions");
    let change = json!({"version": "2031修正", "effective": "2031-01-01", "status": "current"});
    // An officer may read but not change; nothing recorded.
    let (status, body) = send(&app, reqwest::Method::POST, &li, &path, change.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    // Unknown fields and unknown laws are refused.
    let (status, body) = send(&app, reqwest::Method::POST, &wang, &path, json!({"version": "x", "when": "now"})).await;
    assert!(status.is_client_error(), "an unknown field is refused: {status} {body}");
    let (status, _) =
        send(&app, reqwest::Method::POST, &wang, "/api/v1/laws/no-such-law/versions", change.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, same) = get(&app, Some(&li), "/api/v1/laws").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(same.as_array().unwrap()[0]["versions"].as_array().unwrap().len(), versions_before, "nothing recorded");

    let (status, body) = send(&app, reqwest::Method::POST, &wang, &path, change).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["message"].as_str().unwrap().contains("条问答转为待复核"), "{body}");
    let (_, after) = get(&app, Some(&li), "/api/v1/laws").await;
    let changed = after.as_array().unwrap().iter().find(|l| l["id"] == law.as_str()).unwrap().clone();
    let versions = changed["versions"].as_array().unwrap();
    assert_eq!(versions.len(), versions_before + 1, "{changed}");
    let newest = versions.last().unwrap();
    assert_eq!(newest["id"], "2031修正");
    assert_eq!(newest["effective"], "2031-01-01");
    assert!(app.page(&page_user, "/laws").await.contains("2031修正"), "the page shows what the API recorded");
}

#[tokio::test]
async fn the_search_words_are_kept_over_the_api_as_on_the_page() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let (li, wang) = (app.token("officer.li").await, app.token("supervisor.wang").await);

    assert_eq!(get(&app, None, "/api/v1/qa/words").await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = get(&app, Some(&li), "/api/v1/qa/words").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, before) = get(&app, Some(&wang), "/api/v1/qa/words").await;
    assert_eq!(status, StatusCode::OK);
    let synonyms = before["synonyms"].as_str().unwrap().to_owned();
    assert!(!synonyms.is_empty() && before["vocabulary"].is_string(), "{before}");

    // An officer cannot replace a list; a list with a bad line is refused whole.
    let put = |token: &str, which: &str, lines: String| {
        let (token, path) = (token.to_owned(), format!("/api/v1/qa/words/{which}"));
        let app = &app;
        async move { send(app, reqwest::Method::PUT, &token, &path, json!({ "lines": lines })).await }
    };
    let added = format!("{synonyms}撸铁馆，健身房，健身中心\n");
    assert_eq!(put(&li, "synonyms", added.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, body) = put(&wang, "synonyms", format!("{added}孤零零\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("至少需要两个词"), "{body}");
    assert_eq!(get(&app, Some(&wang), "/api/v1/qa/words").await.1, before, "nothing saved");

    let (status, now) = put(&wang, "synonyms", added).await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert!(now["synonyms"].as_str().unwrap().contains("撸铁馆，健身房，健身中心"), "{now}");
    let page_user = app.client();
    app.login(&page_user, "supervisor.wang", PASSWORD).await;
    assert!(app.page(&page_user, "/knowledge/synonyms").await.contains("撸铁馆，健身房，健身中心"));

    let vocabulary = format!("{}老板卷款跑了 → 预付卡\n", now["vocabulary"].as_str().unwrap());
    let (status, body) = put(&wang, "vocabulary", vocabulary).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["vocabulary"].as_str().unwrap().contains("老板卷款跑了"), "{body}");
    assert!(app.page(&page_user, "/knowledge/synonyms").await.contains("老板卷款跑了"));
}

#[tokio::test]
async fn unanswered_questions_are_grouped_and_drafted_over_the_api() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let (li, wang) = (app.token("officer.li").await, app.token("supervisor.wang").await);
    for q in ["跨省异地就医怎么备案，我电话13812345678", "异地就医要怎么备案", "宠物医院乱收费找谁"]
    {
        let res = Client::new().get(app.url("/api/v1/qa")).query(&[("q", q)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    assert_eq!(get(&app, None, "/api/v1/qa/gaps").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, Some(&li), "/api/v1/qa/gaps").await.0, StatusCode::FORBIDDEN);
    assert!(get(&app, Some(&wang), "/api/v1/qa/gaps?since=2020").await.0.is_client_error(), "unknown parameter");
    let (status, report) = get(&app, Some(&wang), "/api/v1/qa/gaps?weeks=4").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["weeks"].as_array().unwrap().len(), 4);
    assert_eq!(report["questions"], 3, "{report}");
    assert!(!report.to_string().contains("13812345678"), "public text only: {report}");
    let groups = report["groups"].as_array().unwrap();
    let medical = groups.iter().find(|g| g["example"].as_str().unwrap().contains("异地就医")).expect("grouped");
    assert_eq!(medical["total"], 2, "{medical}");
    assert_eq!(medical["counts"].as_array().unwrap().last().unwrap(), 2, "both this week: {medical}");
    assert!(medical["drafted"].is_null());
    // The page counts the same.
    let page_user = app.client();
    app.login(&page_user, "supervisor.wang", PASSWORD).await;
    assert!(app.page(&page_user, "/knowledge/gaps?weeks=4").await.contains("3 个问题，2 组"));
    // Out-of-range weeks are clamped, not refused.
    assert_eq!(get(&app, Some(&wang), "/api/v1/qa/gaps?weeks=0").await.1["weeks"].as_array().unwrap().len(), 1);

    let draft = json!({"question": medical["example"], "ids": medical["ids"], "audience": "consumer", "words": medical["words"]});
    assert_eq!(
        send(&app, reqwest::Method::POST, &li, "/api/v1/qa/gaps/drafts", draft.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, body) =
        send(&app, reqwest::Method::POST, &wang, "/api/v1/qa/gaps/drafts", json!({"question": " ", "ids": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = send(&app, reqwest::Method::POST, &wang, "/api/v1/qa/gaps/drafts", draft).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let entry = app.state.store.entry(&id).await.unwrap();
    assert_eq!(entry.status, xinqiao_domain::knowledge::QaStatus::Draft);
    assert!(entry.text.question.contains("异地就医") && !entry.text.question.contains("13812345678"));
    let (_, report) = get(&app, Some(&wang), "/api/v1/qa/gaps").await;
    let medical = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["example"].as_str().unwrap().contains("异地就医"))
        .unwrap()
        .clone();
    assert_eq!(medical["drafted"], id.as_str(), "{medical}");
}
