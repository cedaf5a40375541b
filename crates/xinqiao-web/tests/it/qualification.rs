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

#[tokio::test]
async fn bad_dossier_rows_are_told_beside_their_fields_and_late_answers_are_refused() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    candidate(&app, "cand", &b.gusu).await;
    let c = app.client();
    app.login(&c, "cand", PASSWORD).await;

    // The framework page says the shipped framework is an unverified example.
    let page = app.page(&c, "/qualification/framework").await;
    assert!(page.contains("2026.1") && page.contains("尚未经本局审定"), "unverified framework shown as such");

    // The dossier is typed in rows: a row missing its post and start is told beside those
    // fields of that row (linked by aria-describedby), the values are kept, nothing is stored.
    let csrf = csrf_of(&app.page(&c, "/qualification/apply").await);
    let post = |pairs: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(pairs);
        let c = c.clone();
        let url = app.url("/qualification/apply");
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    beside(&html, "work-0-post", "请填写岗位");
    assert!(html.contains(r#"value="姑苏区局""#), "the unit is kept");
    assert!(html.contains(r#"<option value="routine_inspection" selected>"#), "the type is kept");
    // A type that is not one of the five, and a second row ending before it starts, are each
    // told beside their own field; the first row being fine does not hide the second's fault.
    let today = app.today();
    let day = |back: i64| xinqiao_domain::calendar::Date(today.0 - back).to_string();
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "巡逻".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "队员".into()),
        ("work_start", "2020-01-01".into()),
        ("work_end", "".into()),
        ("work_kind", "case_handling".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "投诉处理".into()),
        ("work_start", day(10)),
        ("work_end", day(20)),
        ("training_date", day(5)),
        ("training_hours", "八".into()),
        ("training_topic", "条例".into()),
        ("gifts_date", day(5)),
        ("gifts_offered_by", "某超市".into()),
        ("gifts_description", "月饼".into()),
        ("gifts_refused", "".into()),
        ("gifts_declared", "yes".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    beside(&html, "work-0-kind", "工作类型“巡逻”");
    beside(&html, "work-1-end", "结束日期早于开始日期");
    beside(&html, "training-0-hours", "学时应为数字");
    beside(&html, "gifts-0-refused", "请选择是否拒收");
    assert!(!html.contains(r#"id="work-0-unit-error""#), "a right field has no message");
    assert!(html.contains("有 4 处需要修改"), "the summary counts every mistake");
    assert!(app.state.store.assessments(None, None).await.unwrap().is_empty());

    // 添加一行 (without any script) shows the form again with one more row in that list, the
    // rows typed so far kept and the new row's first field focused; nothing is sent.
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
        ("add", "work".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="work-1-kind" name="work_kind" autofocus"#), "a second, focused row");
    assert!(!html.contains(r#"id="work-2-kind""#), "exactly one row added");
    assert!(html.contains(r#"value="姑苏区局""#) && !html.contains("field-error"), "kept, not checked");
    assert!(app.state.store.assessments(None, None).await.unwrap().is_empty());

    // The rows, filled right, make the same dossier the API takes (blank rows left out).
    let res = post(vec![
        ("current_post", "消费者权益保护科科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区市场监督管理局".into()),
        ("work_post", "食品安全检查员".into()),
        ("work_start", day(5 * 365)),
        ("work_end", day(400)),
        ("work_kind", "".into()),
        ("work_unit", "".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
        ("work_kind", "案件办理".into()),
        ("work_unit", "姑苏区市场监督管理局".into()),
        ("work_post", "投诉处理".into()),
        ("work_start", day(399)),
        ("work_end", "".into()),
        ("training_date", day(30)),
        ("training_hours", "8".into()),
        ("training_topic", "消费者权益保护法实施条例".into()),
        ("declaration_date", day(20)),
        ("declaration_complete", "1".into()),
        ("ties_tie", "表弟在某超市任店长".into()),
        ("pledge_signed", day(20)),
        ("pledge_version", "2025版".into()),
        ("gifts_date", day(100)),
        ("gifts_offered_by", "某超市".into()),
        ("gifts_description", "月饼两盒".into()),
        ("gifts_refused", "yes".into()),
        ("gifts_declared", "yes".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let row = app.state.store.assessments(None, None).await.unwrap().pop().unwrap();
    assert_eq!(row.status, "in_progress", "every gate passed");
    let d = xinqiao_web::qualification::service::open_dossier(&app.state, &row).unwrap();
    assert_eq!(d.work.len(), 2, "the blank row is left out");
    assert_eq!((d.work[1].kind.as_str(), d.work[1].end.is_none()), ("案件办理", true));
    assert_eq!((d.training[0].hours, d.gifts[0].refused, d.gifts[0].declared), (8.0, true, true));
    assert_eq!(d.declaration.as_ref().unwrap().ties, vec!["表弟在某超市任店长".to_owned()]);

    // Answers after the deadline (and its one-minute grace) are refused.
    candidate(&app, "cand2", &b.gusu).await;
    let api = Api::new(&app);
    let token = app.token("cand2").await;
    let (_, a) = api.call(&token, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    let id = a["id"].as_str().unwrap();
    let (s, _) = api.call(&token, "GET", &format!("/api/v1/qualification/assessments/{id}/test"), None).await;
    assert_eq!(s, StatusCode::OK);
    sqlx::query("UPDATE qual_assessments SET test_due_at = $1 WHERE id = $2")
        .bind(app.state.now_ms() - 61_000)
        .bind(id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let (s, e) = api
        .call(&token, "POST", &format!("/api/v1/qualification/assessments/{id}/test"), Some(json!({"answers": {}})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("时间已到") || e.to_string().contains("time_up"), "{e}");
    let row = app.state.store.assessment(id).await.unwrap().unwrap();
    assert!(row.answers.is_none(), "nothing stored");
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
