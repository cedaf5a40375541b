//! 任职资格 over the JSON API: a failed gate ends an assessment with its reason; a candidate
//! takes the timed test, a panel drawn without tied assessors scores blind, a spread of 2 points
//! holds the decision until discussed, and 合格 issues a certificate that makes the officer
//! eligible for cases until it is suspended; framework revisions make new versions while running
//! assessments stay pinned; an appeal goes to a new panel.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::qualification::{ItemKind, QuestionBank};
use xinqiao_store::audit::{Actor, Filter};

pub struct Api<'a> {
    pub app: &'a TestApp,
    http: Client,
}

impl<'a> Api<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, http: Client::new() }
    }

    pub async fn call(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = self.app.url(path);
        let req = match method {
            "GET" => self.http.get(url),
            "PUT" => self.http.put(url),
            _ => self.http.post(url),
        }
        .bearer_auth(token);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// A candidate working in `org`, without a certificate.
pub async fn candidate(app: &TestApp, name: &str, org: &str) -> String {
    let u = app.user(name, &[Role::Officer]).await;
    app.state.store.set_org(&Actor::console(), &u.id, Some(org)).await.unwrap();
    u.id
}

/// A dossier that passes every gate (or, with `years` under 3, fails the frontline gate).
pub fn dossier(today: xinqiao_domain::calendar::Date, years: i64) -> Value {
    let day = |back: i64| xinqiao_domain::calendar::Date(today.0 - back).to_string();
    json!({
        "current_post": "消费者权益保护科科员",
        "work": [
            {"kind": "日常检查", "unit": "姑苏区市场监督管理局", "post": "食品安全检查员", "start": day(years * 365 + 10), "end": day(200)},
            {"kind": "case_handling", "unit": "姑苏区市场监督管理局", "post": "投诉处理", "start": day(199)}
        ],
        "training": [{"date": day(30), "hours": 8.0, "topic": "消费者权益保护法实施条例"}],
        "declaration": {"date": day(20), "complete": true, "ties": []},
        "pledge": {"signed": day(20), "text_version": "2025版"},
        "gifts": [{"date": day(100), "offered_by": "某超市", "description": "月饼两盒", "refused": true, "declared": true}]
    })
}

/// The best answers to a paper: the correct options, the top-scored situational option.
pub fn best_answers(questions: &Value) -> BTreeMap<String, Vec<String>> {
    let bank = QuestionBank::shipped();
    questions
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let item = bank.item(q["id"].as_str().unwrap()).unwrap();
            let keys: Vec<String> = match item.kind {
                ItemKind::SituationalJudgement => {
                    vec![item.options.iter().max_by_key(|o| o.score).unwrap().key.clone()]
                }
                _ => item.correct_keys().into_iter().map(str::to_owned).collect(),
            };
            (item.id.clone(), keys)
        })
        .collect()
}

/// Scores for every interview criterion of the shipped framework.
pub fn interview_scores(score: u8) -> Value {
    let codes =
        ["people_first", "responsibility", "listening", "plain_speech", "risk_foresight", "crisis", "public_opinion"];
    Value::Object(codes.iter().map(|c| ((*c).to_owned(), json!(score))).collect())
}

pub fn evidence(score: u8) -> Value {
    let codes = ["integrity", "frontline", "enterprise_service", "policy_update", "method_innovation", "review"];
    Value::Object(
        codes.iter().map(|c| ((*c).to_owned(), json!({"score": score, "note": "档案与工作日志核实"}))).collect(),
    )
}

struct Cast {
    supervisor: String,
    reviewers: Vec<String>,
    candidate: String,
}

async fn cast(app: &TestApp) -> Cast {
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    for (name, org) in [
        ("rev.a", &b.city),
        ("rev.b", &b.city),
        ("rev.c", &b.wuzhong),
        ("rev.d", &b.wuzhong),
        ("rev.e", &b.city),
        ("rev.same", &b.gusu),
    ] {
        app.member(name, org, Role::Reviewer).await;
    }
    candidate(app, "cand", &b.gusu).await;
    Cast { supervisor: app.token("boss").await, reviewers: vec![], candidate: app.token("cand").await }
}

#[tokio::test]
async fn a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them() {
    let app = TestApp::start().await;
    a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them_on(&app).await;
}

/// The flow of `a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them`, on an app whose clock may start on any day.
pub async fn a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them_on(app: &TestApp) {
    let mut c = cast(app).await;
    let api = Api::new(app);
    let store = &app.state.store;
    let cand = store.user_by_name("cand").await.unwrap();

    // Two years of frontline work: the gate fails with its reason and the assessment ends.
    let (s, failed) =
        api.call(&c.candidate, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 2))).await;
    assert_eq!(s, StatusCode::CREATED, "{failed}");
    assert_eq!(failed["status"], "gates_failed");
    let gate = &failed["gates"][0];
    assert_eq!(gate["passed"], false);
    assert!(gate["reason"].as_str().unwrap().contains("3"), "{gate}");
    let (s, _) = api
        .call(
            &c.candidate,
            "GET",
            &format!("/api/v1/qualification/assessments/{}/test", failed["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "no test after a failed gate");

    // Five years: every gate passes.
    let (s, a) =
        api.call(&c.candidate, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["status"], "in_progress");
    assert!(a["gates"].as_array().unwrap().iter().all(|g| g["passed"] == true), "{a}");
    assert_eq!(a["framework_version"], "2026.1");
    let id = a["id"].as_str().unwrap().to_owned();
    let path = |tail: &str| format!("/api/v1/qualification/assessments/{id}{tail}");
    let (s, _) =
        api.call(&c.candidate, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    assert_eq!(s, StatusCode::CONFLICT, "one assessment in progress at a time");

    // A framework revision is a new version; the running assessment stays pinned to its own.
    let (_, f) = api.call(&c.supervisor, "GET", "/api/v1/qualification/framework", None).await;
    let toml = f["toml"].as_str().unwrap().replace("threshold = 3.5", "threshold = 3.6");
    let (s, e) = api.call(&c.supervisor, "PUT", "/api/v1/qualification/framework", Some(json!({"toml": toml}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "same version, changed content: {e}");
    let revised = toml.replace("version = \"2026.1\"", "version = \"2026.2\"");
    let (s, f2) =
        api.call(&c.supervisor, "PUT", "/api/v1/qualification/framework", Some(json!({"toml": revised}))).await;
    assert_eq!(s, StatusCode::OK, "{f2}");
    assert_eq!(f2["versions"], json!(["2026.2", "2026.1"]));
    let (s, _) = api.call(&c.candidate, "PUT", "/api/v1/qualification/framework", Some(json!({"toml": revised}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The timed test, answered well.
    let (s, paper) = api.call(&c.candidate, "GET", &path("/test"), None).await;
    assert_eq!(s, StatusCode::OK, "{paper}");
    assert!(paper["questions"].as_array().unwrap().len() >= 10, "{paper}");
    assert!(paper["due_at"].as_i64().unwrap() > app.state.now_ms());
    let answers = best_answers(&paper["questions"]);
    let (s, scored) = api.call(&c.candidate, "POST", &path("/test"), Some(json!({"answers": answers}))).await;
    assert_eq!(s, StatusCode::OK, "{scored}");
    assert_eq!(scored["earned"], scored["possible"]);
    let (s, _) = api.call(&c.candidate, "POST", &path("/test"), Some(json!({"answers": answers}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "handed in once");

    // The panel: the assessor from the candidate's own unit and the one who declared a tie step aside.
    let related = store.user_by_name("rev.e").await.unwrap();
    store
        .declare_assessor_tie(
            &xinqiao_store::audit::Actor {
                id: related.id.clone(),
                name: "rev.e".into(),
                roles: vec![Role::Reviewer],
                client_addr: "t".into(),
            },
            &cand.id,
            "relative",
        )
        .await
        .unwrap();
    let (s, _) = api.call(&c.candidate, "POST", &path("/panel"), Some(json!({}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "candidates do not draw their own panel");
    let (s, drawn) =
        api.call(&c.supervisor, "POST", &path("/panel"), Some(json!({"source": "2026-11-27 排列五 12345"}))).await;
    assert_eq!(s, StatusCode::OK, "{drawn}");
    let members: Vec<String> =
        drawn["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
    assert_eq!(members.len(), 3);
    let excluded: Vec<(String, String)> = drawn["exclusions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["assessor"].as_str().unwrap().to_owned(), e["reason"].as_str().unwrap().to_owned()))
        .collect();
    let same = store.user_by_name("rev.same").await.unwrap();
    assert!(excluded.contains(&(same.id.clone(), "same_unit".into())), "{excluded:?}");
    assert!(excluded.contains(&(related.id.clone(), "relative".into())), "{excluded:?}");
    assert!(!members.contains(&same.id) && !members.contains(&related.id));
    for m in &members {
        let u = store.user(m).await.unwrap();
        c.reviewers.push(app.token(&u.username).await);
    }
    let outsider = app.token("rev.same").await;
    let (s, _) = api.call(&outsider, "POST", &path("/scores"), Some(json!({"scores": interview_scores(4)}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an assessor off the panel has no part in it");

    // Blind scoring: the first assessor sees their own scores, nobody sees the panel's yet.
    let (s, e) =
        api.call(&c.reviewers[0], "POST", &path("/scores"), Some(json!({"scores": {"people_first": 4}}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "every interview criterion is scored: {e}");
    let (s, _) =
        api.call(&c.reviewers[0], "POST", &path("/scores"), Some(json!({"scores": interview_scores(5)}))).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    for token in [&c.reviewers[1], &c.supervisor] {
        let (_, v) = api.call(token, "GET", &path(""), None).await;
        let listening = v["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "listening").unwrap().clone();
        assert_eq!(listening["score"], Value::Null, "blind until all are in: {listening}");
        assert_eq!(listening["panel_scores"], json!([]));
    }
    let (_, mine) = api.call(&c.reviewers[0], "GET", &path(""), None).await;
    assert_eq!(mine["my_scores"]["listening"], 5);
    let (_, theirs) = api.call(&c.reviewers[1], "GET", &path(""), None).await;
    assert_eq!(theirs["my_scores"], json!({}));
    api.call(&c.reviewers[1], "POST", &path("/scores"), Some(json!({"scores": interview_scores(4)}))).await;
    let (s, _) = api.call(&c.supervisor, "POST", &path("/decide"), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "one assessor still to score");
    api.call(&c.reviewers[2], "POST", &path("/scores"), Some(json!({"scores": interview_scores(3)}))).await;

    // 5, 4, 3: median 4, but a spread of 2 on every criterion holds the decision for discussion.
    let (_, v) = api.call(&c.supervisor, "GET", &path(""), None).await;
    let listening = v["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "listening").unwrap().clone();
    assert_eq!(listening["score"], 4.0);
    assert_eq!(listening["flagged"], true);
    api.call(&c.supervisor, "POST", &path("/evidence"), Some(json!({"evidence": evidence(4)}))).await;
    let (s, e) = api.call(&c.supervisor, "POST", &path("/decide"), None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("讨论"), "{e}");
    let flagged = interview_scores(0).as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let (s, e) = api
        .call(
            &c.supervisor,
            "POST",
            &path("/discussion"),
            Some(json!({"criteria": flagged, "note": "评审组讨论后维持原评分"})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{e}");

    // 合格: a certificate, and the officer is now offered cases.
    let today = app.state.today();
    assert!(!store.may_take_cases(&cand.id, today).await.unwrap());
    let (s, decided) = api.call(&c.supervisor, "POST", &path("/decide"), None).await;
    assert_eq!(s, StatusCode::OK, "{decided}");
    assert_eq!(decided["verdict"], "合格", "{decided}");
    assert_eq!(decided["framework_version"], "2026.1", "pinned to the version it started under");
    assert_eq!(decided["dimensions"].as_array().unwrap().len(), 7);
    let number = decided["certificate"].as_str().unwrap().to_owned();
    assert!(number.starts_with("KHTYG-320508-"), "{number}");
    assert!(store.may_take_cases(&cand.id, today).await.unwrap());
    let (_, roster) = api.call(&c.supervisor, "GET", "/api/v1/qualification/roster", None).await;
    let line = roster.as_array().unwrap().iter().find(|r| r["number"] == number.as_str()).unwrap().clone();
    assert_eq!(line["status"], "on_duty");
    let (s, _) = api.call(&c.supervisor, "POST", &path("/scores"), Some(json!({"scores": interview_scores(1)}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A confirmed breach suspends at once, with the reason in the audit trail.
    let (s, e) = api
        .call(
            &c.supervisor,
            "POST",
            &format!("/api/v1/qualification/certificates/{number}/suspend"),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a suspension needs its reason: {e}");
    let (s, line) = api
        .call(
            &c.supervisor,
            "POST",
            &format!("/api/v1/qualification/certificates/{number}/suspend"),
            Some(json!({"reason": "经查实向企业透露检查安排"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{line}");
    assert_eq!(line["status"], "suspended");
    assert!(!store.may_take_cases(&cand.id, today).await.unwrap(), "a suspended officer is offered no cases");
    let trail = store
        .audit_entries(&Filter { action: Some("certificate.suspend".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    let detail = trail[0].record.detail.to_string();
    assert!(detail.contains("透露检查安排"), "{detail}");

    // New applications start under the revised version.
    let other = candidate(app, "cand2", &cand.org_id.clone().unwrap()).await;
    let (s, a2) = api
        .call(&app.token("cand2").await, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 4)))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(a2["framework_version"], "2026.2");
    assert_eq!(a2["candidate_id"], other);
}

#[tokio::test]
async fn a_failed_candidate_appeals_to_a_new_panel() {
    let app = TestApp::start().await;
    let c = cast(&app).await;
    let api = Api::new(&app);
    let store = &app.state.store;
    let (_, a) =
        api.call(&c.candidate, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    let id = a["id"].as_str().unwrap().to_owned();
    let path = |id: &str, tail: &str| format!("/api/v1/qualification/assessments/{id}{tail}");
    let (_, paper) = api.call(&c.candidate, "GET", &path(&id, "/test"), None).await;
    // Nothing answered: the written dimensions score 1.
    api.call(&c.candidate, "POST", &path(&id, "/test"), Some(json!({"answers": {}}))).await;
    assert!(paper["questions"].is_array());
    let (_, drawn) = api.call(&c.supervisor, "POST", &path(&id, "/panel"), Some(json!({"source": "first"}))).await;
    let first: Vec<String> =
        drawn["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
    for m in &first {
        let token = app.token(&store.user(m).await.unwrap().username).await;
        api.call(&token, "POST", &path(&id, "/scores"), Some(json!({"scores": interview_scores(3)}))).await;
    }
    let mut ev = evidence(3);
    ev["integrity"]["note"] = json!("纪检组王某（电话13812345678）出具无违纪证明");
    api.call(&c.supervisor, "POST", &path(&id, "/evidence"), Some(json!({"evidence": ev}))).await;
    let (s, decided) = api.call(&c.supervisor, "POST", &path(&id, "/decide"), None).await;
    assert_eq!(s, StatusCode::OK, "{decided}");
    assert_eq!(decided["verdict"], "不合格");
    let note = decided["evidence"]["integrity"]["note"].as_str().unwrap();
    assert!(note.contains("无违纪证明") && !note.contains("13812345678"), "evidence notes are kept masked: {note}");
    assert!(decided["reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("未达到")), "{decided}");
    assert_eq!(decided["certificate"], Value::Null);

    let (s, _) = api
        .call(&c.supervisor, "POST", &path(&id, "/appeal"), Some(json!({"reason": "笔试时网络中断，请求重新评审"})))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the candidate appeals");
    let (s, appeal) = api
        .call(&c.candidate, "POST", &path(&id, "/appeal"), Some(json!({"reason": "笔试时网络中断，请求重新评审"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{appeal}");
    let again =
        api.call(&c.candidate, "POST", &path(&id, "/appeal"), Some(json!({"reason": "再次申诉，请求重新评审"}))).await;
    assert_eq!(again.0, StatusCode::CONFLICT);
    let second = appeal["id"].as_str().unwrap().to_owned();
    let (_, v) = api.call(&c.candidate, "GET", &path(&second, ""), None).await;
    assert_eq!(v["appeal_of"], id.as_str());
    assert_eq!(v["test_submitted"], true, "the test carries over");
    let (s, drawn) = api.call(&c.supervisor, "POST", &path(&second, "/panel"), Some(json!({"source": "second"}))).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "five in the pool, one same-unit, three on the first panel: too few left: {drawn}"
    );
    assert!(drawn["error"]["message"].as_str().unwrap().contains("不足"), "{drawn}");
    let b = store.user_by_name("rev.a").await.unwrap().org_id.unwrap();
    for name in ["rev.f", "rev.g", "rev.h"] {
        app.member(name, &b, Role::Reviewer).await;
    }
    let (s, drawn) = api.call(&c.supervisor, "POST", &path(&second, "/panel"), Some(json!({"source": "second"}))).await;
    assert_eq!(s, StatusCode::OK, "{drawn}");
    let new: Vec<String> =
        drawn["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
    assert!(new.iter().all(|m| !first.contains(m)), "no member of the first panel sits again: {first:?} {new:?}");
    let earlier = drawn["exclusions"].as_array().unwrap().iter().filter(|e| e["reason"] == "earlier_panel").count();
    assert_eq!(earlier, 3);
}

/// 交卷 cannot be undone, so the test page asks first: a hand-in from the page's form (its
/// `confirmed` still empty, as without the page script) shows the paper again with the answers
/// kept and how many are answered, and stores nothing; 确认交卷 hands it in.
#[tokio::test]
async fn handing_in_the_test_from_the_page_asks_for_confirmation_first() {
    let app = TestApp::start().await;
    let c = cast(&app).await;
    let api = Api::new(&app);
    let (s, a) =
        api.call(&c.candidate, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_owned();
    let cand = app.client();
    app.login(&cand, "cand", PASSWORD).await;
    let test = format!("/qualification/assessments/{id}/test");
    let page = app.page(&cand, &test).await;
    assert!(page.contains("data-confirm=") && page.contains("name=\"confirmed\" value=\"\""), "the form asks first");
    let (_, paper) = api.call(&c.candidate, "GET", &format!("/api/v1/qualification/assessments/{id}/test"), None).await;
    let answers = best_answers(&paper["questions"]);
    let (first, keys) = answers.iter().next().unwrap();
    let total = paper["questions"].as_array().unwrap().len();
    let csrf = csrf_of(&page);
    let name = format!("q_{first}");
    let mut form = vec![("csrf", csrf.clone()), ("confirmed", String::new())];
    form.extend(keys.iter().map(|k| (name.as_str(), k.clone())));

    let res = cand.post(app.url(&test)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let shown = res.text().await.unwrap();
    assert!(shown.contains("id=\"confirm-hand-in\"") && shown.contains("交卷后不能再修改答案"), "{shown}");
    assert!(shown.contains(&format!("已作答 1 题，共 {total} 题")), "{shown}");
    let ticked = format!("name=\"{name}\" value=\"{}\" checked", keys[0]);
    assert!(shown.contains(&ticked), "the answer is kept: {ticked}");
    assert!(shown.contains("name=\"confirmed\" value=\"1\""), "the second submit is the confirmation");
    let row = app.state.store.assessment(&id).await.unwrap().unwrap();
    assert!(row.answers.is_none(), "nothing handed in yet");

    form[1].1 = "1".into();
    let res = cand.post(app.url(&test)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = app.state.store.assessment(&id).await.unwrap().unwrap();
    assert!(row.answers.is_some(), "handed in once confirmed");
    assert!(app.page(&cand, &format!("/qualification/assessments/{id}")).await.contains("已交卷"));
}
