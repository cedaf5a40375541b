//! The published OpenAPI document against the served API: every documented operation is called
//! for real (a success, and an error where it documents one) and each answer's status must be
//! documented and its JSON body must fit the documented schema. The document itself names each
//! path parameter in its template and only there, `limit` above its maximum is refused in
//! Chinese, and every error of /api/v1 is JSON with a stable code.

use crate::helpers::*;
use crate::qualification::{best_answers, candidate, dossier, evidence, interview_scores};
use reqwest::Client;
use reqwest::multipart::Form;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Actor;

#[path = "openapi_confidential.rs"]
mod confidential;
#[path = "openapi_desk.rs"]
mod desk;
#[path = "openapi_document.rs"]
mod document;
#[path = "openapi_incidents.rs"]
mod incidents;
#[path = "openapi_inspections.rs"]
mod inspections;
#[path = "openapi_knowledge.rs"]
mod knowledge;
#[path = "openapi_ledger.rs"]
mod ledger;
#[path = "openapi_probe.rs"]
mod probe;
#[path = "openapi_qualification.rs"]
mod qualification;

use probe::*;

#[test]
fn every_documented_operation_answers_as_its_schema_says() {
    // The walk through every operation is one very large future, and the app's handlers run on
    // the same thread (a current-thread runtime, as `#[tokio::test]` makes): give it room.
    let walk = std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(every_documented_operation())
        })
        .unwrap();
    if let Err(panic) = walk.join() {
        std::panic::resume_unwind(panic);
    }
}

async fn every_documented_operation() {
    let app = roomy_app().await;
    let mut p = Probe::new(&app).await;
    let store = &app.state.store;
    let b = app.bureau().await;

    // Accounts and tokens.
    app.admin("sys", Role::SysAdmin).await;
    app.admin("aud", Role::AuditAdmin).await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    for (name, org) in [("rev.a", &b.city), ("rev.b", &b.city), ("rev.c", &b.wuzhong), ("rev.d", &b.wuzhong)] {
        app.member(name, org, Role::Reviewer).await;
    }
    candidate(&app, "cand", &b.gusu).await;
    let t = "/api/v1/auth/token";
    let (s, e) = p.call("POST", t, t, None, &[], Body::Json(json!({"username": "cand", "password": "wrong"}))).await;
    assert_eq!((s, str_of(&e["error"], "code").as_str()), (401, "bad_credentials"));
    let (s, e) = p.call("POST", t, t, None, &[], Body::Json(json!({"username": "cand"}))).await;
    assert_eq!(s, 422, "a missing field: {e}");
    let (s, tok) = p
        .call("POST", t, t, None, &[], Body::Json(json!({"username": "cand", "password": PASSWORD, "name": "脚本"})))
        .await;
    assert_eq!(s, 201);
    let cand = str_of(&tok, "token");
    let (sys, aud, boss) = (app.token("sys").await, app.token("aud").await, app.token("boss").await);

    let (s, me) = p.json("GET", "/api/v1/me", "/api/v1/me", &cand, None).await;
    assert_eq!((s, me["username"].as_str()), (200, Some("cand")));
    let (s, _) = p.json("GET", "/api/v1/users", "/api/v1/users", &sys, None).await;
    assert_eq!(s, 200);
    let (s, _) = p.json("GET", "/api/v1/users", "/api/v1/users", &cand, None).await;
    assert_eq!(s, 403);
    let new_user = json!({"username": "newbie", "display_name": "新同事", "password": "Xinqiao-2026!ok", "org_id": b.gusu, "roles": ["officer"]});
    let (s, created) = p.json("POST", "/api/v1/users", "/api/v1/users", &sys, Some(new_user.clone())).await;
    assert_eq!(s, 201, "{created}");
    let (s, _) = p.json("POST", "/api/v1/users", "/api/v1/users", &sys, Some(new_user)).await;
    assert_eq!(s, 409);
    let (s, _) = p
        .json(
            "POST",
            "/api/v1/users",
            "/api/v1/users",
            &sys,
            Some(json!({"username": "x", "display_name": "", "password": "1"})),
        )
        .await;
    assert_eq!(s, 422);
    let user = format!("/api/v1/users/{}", str_of(&created, "id"));
    assert_eq!(p.json("GET", "/api/v1/users/{id}", &user, &sys, None).await.0, 200);
    assert_eq!(p.json("GET", "/api/v1/users/{id}", "/api/v1/users/nope", &sys, None).await.0, 404);
    let (s, patched) = p.json("PATCH", "/api/v1/users/{id}", &user, &sys, Some(json!({"disabled": true}))).await;
    assert_eq!((s, &patched["disabled"]), (200, &json!(true)));
    assert_eq!(
        p.json("PATCH", "/api/v1/users/{id}", "/api/v1/users/nope", &sys, Some(json!({"disabled": true}))).await.0,
        404
    );
    let (s, orgs) = p.json("GET", "/api/v1/orgs", "/api/v1/orgs", &cand, None).await;
    assert_eq!((s, orgs.as_array().unwrap().len()), (200, 3));

    // The integrity register: an officer records and reads their own; supervisors read the tree.
    let i = "/api/v1/integrity";
    let entry = json!({"kind": "gift", "date": "2026-11-12", "enterprise_name": "苏州姑苏示例健身管理有限公司",
        "happened": "检查结束后对方塞来购物卡一张。", "action": "当场退回。"});
    let (s, e) = p.json("POST", i, i, &cand, Some(entry)).await;
    assert_eq!(s, 201, "{e}");
    let (s, e) = p
        .json(
            "POST",
            i,
            i,
            &cand,
            Some(json!({"kind": "bribe", "date": "2026-11-12",
        "happened": "对方塞来购物卡一张。", "action": "退回。"})),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    let (s, mine) = p.json("GET", i, i, &cand, None).await;
    assert_eq!((s, mine.as_array().map(Vec::len)), (200, Some(1)), "{mine}");
    let ib = "/api/v1/integrity/bureau";
    assert_eq!(p.json("GET", ib, ib, &boss, None).await.0, 200);
    assert_eq!(p.json("GET", ib, ib, &cand, None).await.0, 403);

    // 回避申报: the officer's own ties and industries; a person only as an index; others refused.
    let t = "/api/v1/ties";
    let tie = json!({"kind": "relative", "person": "13812345678", "note": "表兄"});
    let (s, made) = p.json("POST", t, t, &cand, Some(tie)).await;
    assert_eq!(s, 201, "{made}");
    let (s, e) = p.json("POST", t, t, &cand, Some(json!({"kind": "relative"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("required")), "{e}");
    let ti = "/api/v1/ties/industries";
    let (s, set) = p.json("PUT", ti, ti, &cand, Some(json!({"industries": ["H", "F", "H"]}))).await;
    assert_eq!((s, set), (200, json!(["F", "H"])));
    assert_eq!(p.json("PUT", ti, ti, &cand, Some(json!({"industries": ["Z"]}))).await.0, 422);
    let (s, mine) = p.json("GET", t, t, &cand, None).await;
    assert_eq!(
        (s, mine["industries"].clone(), mine["ties"].as_array().map(Vec::len)),
        (200, json!(["F", "H"]), Some(1))
    );
    assert!(!mine.to_string().contains("13812345678"), "a person never in clear: {mine}");
    assert_eq!(p.json("GET", t, t, &aud, None).await.0, 403, "an auditor declares no ties");

    // 容缺受理: accept, read, supply, the policy; the applicant sees its own; another bureau nothing.
    app.user("gym", &[Role::Enterprise]).await; // bound to GYM
    let gym = app.token("gym").await;
    app.member("officer.wz", &b.wuzhong, Role::Officer).await;
    let wz = app.token("officer.wz").await;
    let d = "/api/v1/deferred";
    let apply = json!({"enterprise_name": "苏州姑苏示例健身管理有限公司", "enterprise_uscc": GYM, "matter": "食品经营许可",
        "missing": ["从业人员健康证明"], "core_complete": true, "promise_signed": true});
    let (s, made) = p.json("POST", d, d, &boss, Some(apply.clone())).await;
    assert_eq!((s, made["deadline"].as_str()), (201, Some("2026-11-30")), "{made}");
    let mut unsigned = apply.clone();
    unsigned["promise_signed"] = json!(false);
    let (s, e) = p.json("POST", d, d, &boss, Some(unsigned)).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(p.json("POST", d, d, &gym, Some(apply)).await.0, 403);
    let (s, ov) = p.json("GET", d, d, &boss, None).await;
    assert_eq!((s, ov["open"].as_u64()), (200, Some(1)), "{ov}");
    assert_eq!(ov["applications"][0]["enterprise_uscc"].as_str(), Some(GYM));
    assert_eq!(p.json("GET", d, d, &wz, None).await.1["applications"], json!([]), "another bureau sees none");
    let did = str_of(&made, "id");
    let one = "/api/v1/deferred/{id}";
    assert_eq!(p.json("GET", one, &format!("{d}/{did}"), &boss, None).await.0, 200);
    assert_eq!(p.json("GET", one, &format!("{d}/{did}"), &wz, None).await.0, 404);
    assert_eq!(p.json("GET", one, &format!("{d}/{did}"), &gym, None).await.0, 403);
    let ended = "/api/v1/deferred/{id}/ended";
    assert_eq!(p.json("POST", ended, &format!("{d}/{did}/ended"), &boss, None).await.0, 409, "not before the deadline");
    assert_eq!(p.json("POST", ended, &format!("{d}/{did}/ended"), &wz, None).await.0, 404);
    assert_eq!(p.json("POST", ended, &format!("{d}/{did}/ended"), &gym, None).await.0, 403);
    let (s, mine) = p.json("GET", "/api/v1/enterprise/deferred", "/api/v1/enterprise/deferred", &gym, None).await;
    assert_eq!((s, mine[0]["deadline"].as_str()), (200, Some("2026-11-30")), "{mine}");
    assert_eq!(p.json("GET", "/api/v1/enterprise/deferred", "/api/v1/enterprise/deferred", &boss, None).await.0, 403);
    // A second application whose deadline already passed (moved back in the database) ends.
    let late = json!({"enterprise_name": "某小店", "matter": "变更登记", "missing": ["章程修正案"],
        "core_complete": true, "promise_signed": true});
    let (s, late) = p.json("POST", d, d, &boss, Some(late)).await;
    assert_eq!(s, 201, "{late}");
    let lid = str_of(&late, "id");
    sqlx::query("UPDATE deferred_applications SET deadline_day = deadline_day - 30 WHERE id = $1")
        .bind(&lid)
        .execute(store.pool())
        .await
        .unwrap();
    let (s, gone) = p.json("POST", ended, &format!("{d}/{lid}/ended"), &boss, None).await;
    assert_eq!((s, gone["standing"].as_str()), (200, Some("ended")), "{gone}");
    let sup = "/api/v1/deferred/{id}/supplied";
    let (s, done) = p.json("POST", sup, &format!("{d}/{did}/supplied"), &boss, None).await;
    assert_eq!((s, done["standing"].as_str()), (200, Some("supplied")), "{done}");
    assert_eq!(p.json("POST", sup, &format!("{d}/{did}/supplied"), &boss, None).await.0, 409);
    assert_eq!(p.json("POST", sup, &format!("{d}/nope/supplied"), &boss, None).await.0, 404);
    assert_eq!(p.json("POST", sup, &format!("{d}/{did}/supplied"), &gym, None).await.0, 403);
    let dp = "/api/v1/deferred/policy";
    let (s, pol) = p.json("GET", dp, dp, &wz, None).await;
    assert_eq!((s, pol["remind_before"].as_u64(), pol["verified"].as_bool()), (200, Some(2), Some(false)), "{pol}");
    assert_eq!(p.json("GET", dp, dp, &gym, None).await.0, 403);
    let new_policy = json!({"enabled": true, "days_to_supply": 5, "refuse_bad_credit": true, "remind_before": 1});
    let (s, pol) = p.json("PUT", dp, dp, &boss, Some(new_policy.clone())).await;
    assert_eq!((s, pol["days_to_supply"].as_u64()), (200, Some(5)), "{pol}");
    assert_eq!(p.json("PUT", dp, dp, &wz, Some(new_policy)).await.0, 403, "an officer does not set it");
    let bad = json!({"enabled": true, "days_to_supply": 5, "refuse_bad_credit": true, "remind_before": 9});
    assert_eq!(p.json("PUT", dp, dp, &boss, Some(bad)).await.0, 422);

    // 年报 help: the public guide, the enterprise's standing and statement, the bureau's campaign.
    let ag = "/api/v1/annual-report/guide";
    let (s, guide) = p.call("GET", ag, ag, None, &[], Body::None).await;
    assert_eq!((s, guide["window"]["closes"].as_str()), (200, Some("06-30")), "{guide}");
    assert_eq!(guide["fields"].as_array().map(Vec::len), Some(9), "{guide}");
    assert!(guide["fields"][0]["qa_link"].as_str().unwrap().starts_with("/qa"), "{guide}");
    let ao = "/api/v1/enterprise/annual-report";
    let (s, own) = p.json("GET", ao, ao, &gym, None).await;
    assert_eq!((s, own["filed_on"].clone(), own["closes"].as_str()), (200, Value::Null, Some("2026-06-30")), "{own}");
    assert_eq!(p.json("GET", ao, ao, &boss, None).await.0, 403);
    let af = "/api/v1/enterprise/annual-report/filed";
    let (s, own) = p.json("POST", af, af, &gym, None).await;
    assert_eq!((s, own["filed_on"].as_str()), (200, Some(app.state.today().to_string().as_str())), "{own}");
    assert_eq!(p.json("POST", af, af, &gym, None).await.0, 409, "once");
    assert_eq!(p.json("POST", af, af, &boss, None).await.0, 403);
    let ac = "/api/v1/annual-report/campaign";
    let (s, camp) = p.json("GET", ac, ac, &boss, None).await;
    assert_eq!((s, camp["rows"].as_array().unwrap().last().unwrap()["org"].as_str()), (200, Some("合计")), "{camp}");
    assert_eq!(p.json("GET", ac, ac, &gym, None).await.0, 403);

    // 保密资料交换.
    confidential::confidential_walk(&mut p, &app, &b, &boss, &gym, &wz).await;

    // The audit trail.
    let (s, entries) = p.json("GET", "/api/v1/audit", "/api/v1/audit?limit=5&action=auth.", &aud, None).await;
    assert_eq!(s, 200);
    assert!(!entries.as_array().unwrap().is_empty() && entries.as_array().unwrap().len() <= 5);
    assert_eq!(p.json("GET", "/api/v1/audit", "/api/v1/audit", &cand, None).await.0, 403);
    assert_eq!(p.json("GET", "/api/v1/audit", "/api/v1/audit?from=yesterday", &aud, None).await.0, 422);
    let (s, v) = p.json("POST", "/api/v1/audit/verify", "/api/v1/audit/verify", &aud, None).await;
    assert_eq!((s, &v["intact"]), (200, &json!(true)), "{v}");
    assert_eq!(p.json("POST", "/api/v1/audit/verify", "/api/v1/audit/verify", &cand, None).await.0, 403);

    // The calendar.
    let (s, cal) = p.call("GET", "/api/v1/calendar", "/api/v1/calendar", None, &[], Body::None).await;
    assert_eq!(s, 200);
    let year = xinqiao_domain::time::civil_from_days(app.state.today().0).0 + 1;
    let off: Vec<String> = xinqiao_domain::calendar::Statutory::builtin()
        .days(year)
        .into_iter()
        .map(|d| format!("\"{}\"", d.date))
        .collect();
    let notice = format!("[{year}]\nsource = \"测试用通知\"\nverified = true\noff = [{}]\nwork = []\n", off.join(", "));
    let n = "/api/v1/calendar/notices";
    let (s, loaded) = p.json("POST", n, n, &sys, Some(json!({"toml": notice}))).await;
    assert_eq!(s, 201, "{loaded} {cal}");
    assert_eq!(
        p.json("POST", n, n, &sys, Some(json!({"toml": "[2031]\nsource = \"x\"\noff = []\nwork = []\n"}))).await.0,
        422
    );
    assert_eq!(p.json("POST", n, n, &cand, Some(json!({"toml": notice}))).await.0, 403);

    // Cases: intake, progress, supplement; 先行和解 accepted, then rated.
    store.join_odr(&Actor::console(), GYM, "健身房").await.unwrap();
    let pv = "/api/v1/cases/preview";
    let (s, preview) = p.call("POST", pv, pv, None, &[], Body::Json(complaint(""))).await;
    assert_eq!(s, 200, "{preview}");
    let (s, e) = p.call("POST", pv, pv, None, &[], Body::Json(json!({"kind": "complaint"}))).await;
    assert_eq!(s, 422, "{e}");
    let c = "/api/v1/cases";
    let (s, plain) = p.call("POST", c, c, None, &[], Body::Json(complaint(""))).await;
    assert_eq!(s, 201, "{plain}");
    let (s, e) = p.call("POST", c, c, None, &[], Body::Json(json!({"kind": "complaint"}))).await;
    assert_eq!(s, 422, "{e}");
    let code = str_of(&plain["cases"][0], "tracking_code");
    let key = str_of(&plain, "access_key");
    let one = format!("/api/v1/cases/{code}");
    let (s, _) = p.call("GET", "/api/v1/cases/{code}", &one, None, &[("x-access-key", &key)], Body::None).await;
    assert_eq!(s, 200);
    let (s, _) = p.call("GET", "/api/v1/cases/{code}", &one, None, &[("x-access-key", "WRONG")], Body::None).await;
    assert_eq!(s, 404);
    let sup = "/api/v1/cases/{code}/supplement";
    let form = Form::new().text("note", "补充付款记录");
    let (s, e) =
        p.call("POST", sup, &format!("{one}/supplement"), None, &[("x-access-key", &key)], Body::Multipart(form)).await;
    assert_eq!(s, 204, "{e}");
    let form = Form::new().text("note", "补充");
    let (s, _) = p
        .call("POST", sup, &format!("{one}/supplement"), None, &[("x-access-key", "WRONG")], Body::Multipart(form))
        .await;
    assert_eq!(s, 404);
    let (s, odr) = p.call("POST", c, c, None, &[], Body::Json(complaint(GYM))).await;
    assert_eq!(s, 201);
    assert!(odr["settle_until"].is_string(), "{odr}");
    let (code, key) = (str_of(&odr["cases"][0], "tracking_code"), str_of(&odr, "access_key"));
    let id = store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id;
    store.propose_settlement(&Actor::console(), &id, "退还余额4500元").await.unwrap();
    let one = format!("/api/v1/cases/{code}");
    let (set, rate) = ("/api/v1/cases/{code}/settlement", "/api/v1/cases/{code}/rating");
    let k = [("x-access-key", key.as_str())];
    let (s, e) = p.call("POST", rate, &format!("{one}/rating"), None, &k, Body::Json(json!({"rating": 5}))).await;
    assert_eq!(s, 409, "not closed yet: {e}");
    let (s, e) = p.call("POST", set, &format!("{one}/settlement"), None, &k, Body::Json(json!({"accept": true}))).await;
    assert_eq!((s, e["status"].as_str()), (200, Some("closed")), "{e}");
    assert_eq!(
        p.call("POST", set, &format!("{one}/settlement"), None, &k, Body::Json(json!({"accept": true}))).await.0,
        409
    );
    let (s, e) = p.call("POST", rate, &format!("{one}/rating"), None, &k, Body::Json(json!({"rating": 9}))).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(p.call("POST", rate, &format!("{one}/rating"), None, &k, Body::Json(json!({"rating": 5}))).await.0, 204);

    // Staff on a case (the case page's service): the closure review setting, actions, and an
    // officer's closure approved by the supervisor.
    let officer = app.member("officer.gs", &b.gusu, Role::Officer).await;
    let officer_token = app.token("officer.gs").await;
    let plain_code = str_of(&plain["cases"][0], "tracking_code");
    let case_at = |s: &str| format!("/api/v1/cases/{plain_code}/{s}");
    let (act, cr, crs) =
        ("/api/v1/cases/{code}/actions", "/api/v1/cases/{code}/closure-review", "/api/v1/cases/closure-review-setting");
    let (s, e) = p.json("GET", crs, crs, &boss, None).await;
    assert_eq!((s, e["required"].as_bool()), (200, Some(false)), "{e}");
    assert_eq!(p.json("PUT", crs, crs, &officer_token, Some(json!({"required": true}))).await.0, 403);
    assert_eq!(p.json("PUT", crs, crs, &boss, Some(json!({"required": true}))).await.0, 200);
    for step in [
        json!({"action": "accept"}),
        json!({"action": "assign", "assignee": officer}),
        json!({"action": "start_mediation"}),
    ] {
        let (s, e) = p.json("POST", act, &case_at("actions"), &boss, Some(step)).await;
        assert_eq!(s, 200, "{e}");
    }
    assert_eq!(p.json("POST", act, &case_at("actions"), &boss, Some(json!({"action": "accept"}))).await.0, 409);
    assert_eq!(p.json("POST", act, &case_at("actions"), &boss, Some(json!({"action": "close"}))).await.0, 422);
    assert_eq!(
        p.json("POST", cr, &case_at("closure-review"), &boss, Some(json!({"decision": "approve"}))).await.0,
        409
    );
    let close = json!({"action": "close", "result": "failed"});
    let (s, e) = p.json("POST", act, &case_at("actions"), &officer_token, Some(close)).await;
    assert_eq!((s, e["awaiting_review"].as_bool()), (200, Some(true)), "{e}");
    let approve = json!({"decision": "approve"});
    assert_eq!(p.json("POST", cr, &case_at("closure-review"), &officer_token, Some(approve.clone())).await.0, 403);
    let (s, e) = p.json("POST", cr, &case_at("closure-review"), &boss, Some(approve)).await;
    assert_eq!((s, e["status"].as_str()), (200, Some("closed")), "{e}");

    // The side steps of handling: the clock, the masking review and its setting, recusal, leave.
    let (s, second) = p.call("POST", c, c, None, &[], Body::Json(complaint(""))).await;
    assert_eq!(s, 201, "{second}");
    let sc = str_of(&second["cases"][0], "tracking_code");
    let at2 = |s: &str| format!("/api/v1/cases/{sc}/{s}");
    let (pa, re, pr) =
        ("/api/v1/cases/{code}/pause", "/api/v1/cases/{code}/resume", "/api/v1/cases/{code}/privacy-review");
    let (prs, rc, to) =
        ("/api/v1/cases/privacy-review-setting", "/api/v1/cases/{code}/recusal", "/api/v1/cases/{code}/tie-override");
    assert_eq!(p.json("POST", pa, &at2("pause"), &boss, Some(json!({"reason": "forever"}))).await.0, 422);
    assert_eq!(p.json("POST", pa, &at2("pause"), &boss, Some(json!({"reason": "testing"}))).await.0, 204);
    assert_eq!(p.json("POST", pa, &at2("pause"), &boss, Some(json!({"reason": "testing"}))).await.0, 409);
    assert_eq!(p.json("POST", re, &at2("resume"), &boss, None).await.0, 204);
    assert_eq!(p.json("POST", re, &at2("resume"), &boss, None).await.0, 409);
    assert_eq!(p.json("POST", re, &case_at("resume"), &boss, None).await.0, 409, "a closed case has no clock");
    assert_eq!(p.json("PUT", prs, prs, &officer_token, Some(json!({"required": true}))).await.0, 403);
    assert_eq!(p.json("PUT", prs, prs, &boss, Some(json!({"required": true}))).await.0, 200);
    assert_eq!(p.json("POST", pr, &at2("privacy-review"), &boss, Some(json!({"op": "shred"}))).await.0, 422);
    assert_eq!(p.json("POST", pr, &at2("privacy-review"), &boss, Some(json!({"op": "confirm"}))).await.0, 204);
    assert_eq!(p.json("POST", pr, &at2("privacy-review"), &boss, Some(json!({"op": "confirm"}))).await.0, 409);
    let cl = "/api/v1/cases/{code}/classification";
    let (s, e) = p.json("POST", cl, &at2("classification"), &boss, Some(json!({"category": "prepaid"}))).await;
    assert_eq!(s, 204, "{e}");
    assert_eq!(p.json("POST", cl, &at2("classification"), &boss, Some(json!({"category": "nope"}))).await.0, 422);
    assert_eq!(p.json("POST", cl, &at2("classification"), &sys, Some(json!({"category": "prepaid"}))).await.0, 403);
    for step in [json!({"action": "accept"}), json!({"action": "assign", "assignee": officer})] {
        let (s, e) = p.json("POST", act, &at2("actions"), &boss, Some(step)).await;
        assert_eq!(s, 200, "{e}");
    }
    let why = json!({"reason": "与企业负责人系亲属"});
    assert_eq!(p.json("POST", rc, &at2("recusal"), &boss, Some(why.clone())).await.0, 409, "only the assignee");
    assert_eq!(p.json("POST", rc, &at2("recusal"), &officer_token, Some(json!({"reason": ""}))).await.0, 422);
    assert_eq!(p.json("POST", rc, &at2("recusal"), &officer_token, Some(why)).await.0, 204);
    let leave = |reason: &str| Some(json!({"user_id": officer, "reason": reason}));
    assert_eq!(p.json("POST", to, &at2("tie-override"), &officer_token, leave("无其他可分派人员")).await.0, 403);
    assert_eq!(p.json("POST", to, &at2("tie-override"), &boss, leave("无其他可分派人员")).await.0, 409, "no tie");
    let tie = json!({"kind": "relative", "enterprise_name": "苏州姑苏示例健身管理有限公司"});
    assert_eq!(p.json("POST", "/api/v1/ties", "/api/v1/ties", &officer_token, Some(tie)).await.0, 201);
    assert_eq!(p.json("POST", to, &at2("tie-override"), &boss, leave("短")).await.0, 422);
    assert_eq!(p.json("POST", to, &at2("tie-override"), &boss, leave("无其他可分派人员")).await.0, 204);
    assert_eq!(p.json("POST", to, &at2("tie-override"), &boss, leave("无其他可分派人员")).await.0, 409, "granted once");

    knowledge::qa_walk(&mut p, &app, &plain_code, &boss, &sys).await;

    Box::pin(incidents::knowledge_keeping(&mut p, &boss, &sys)).await;
    Box::pin(incidents::campaigns(&mut p, &boss, &sys)).await;

    // 预警 of the supervisor's bureau tree.
    let warning = xinqiao_store::warnings::NewWarning {
        rule: "enterprise_spike".into(),
        subject: "示例企业@320508".into(),
        bureau: "320508".into(),
        label: "示例企业（姑苏区）".into(),
        window_end: app.today().0,
        observed: 7,
        expected: "0.50".into(),
        p_value: "1.00e-5".into(),
        case_ids: Vec::new(),
    };
    let wid = store.raise_warning(&warning).await.unwrap().expect("raised");
    let wl = "/api/v1/warnings";
    let (s, list) = p.json("GET", wl, wl, &boss, None).await;
    assert!(s == 200 && list.as_array().unwrap().len() == 1, "{list}");
    assert_eq!(p.json("GET", wl, wl, &sys, None).await.0, 403);
    assert_eq!(p.json("GET", wl, "/api/v1/warnings?mine=maybe", &boss, None).await.0, 422);
    let w1 = "/api/v1/warnings/{id}";
    let w_at = format!("/api/v1/warnings/{wid}");
    assert_eq!(p.json("GET", w1, &w_at, &boss, None).await.0, 200);
    assert_eq!(p.json("GET", w1, "/api/v1/warnings/nope", &boss, None).await.0, 404);
    assert_eq!(p.json("GET", w1, &w_at, &sys, None).await.0, 403);
    let wa = "/api/v1/warnings/{id}/actions";
    let wa_at = format!("{w_at}/actions");
    assert_eq!(p.json("POST", wa, &wa_at, &boss, Some(json!({"action": "close"}))).await.0, 422, "a note is needed");
    let (s, w) = p.json("POST", wa, &wa_at, &boss, Some(json!({"action": "acknowledge"}))).await;
    assert_eq!((s, w["status"].as_str()), (200, Some("acknowledged")), "{w}");
    assert_eq!(p.json("POST", wa, &wa_at, &boss, Some(json!({"action": "acknowledge"}))).await.0, 409);
    assert_eq!(p.json("POST", wa, &wa_at, &cand, Some(json!({"action": "close", "note": "已约谈"}))).await.0, 403);
    let nope = "/api/v1/warnings/nope/actions";
    assert_eq!(p.json("POST", wa, nope, &boss, Some(json!({"action": "acknowledge"}))).await.0, 404);

    qualification::qualification_walk(&mut p, &app, &boss, &cand, &sys).await;

    // What every operation can be driven into without data.
    p.drive_into_errors(&boss, &["/api/v1/"]).await;

    let inspections_seen = Box::pin(inspections::inspections_walk()).await;
    let ledger_seen = Box::pin(ledger::ledger_walk()).await;
    let incidents_seen = Box::pin(incidents::incidents_walk()).await;

    // Every documented operation was answered with a success, and each that documents a client
    // error was driven into one.
    let mut seen = p.seen;
    for (k, v) in inspections_seen
        .into_iter()
        .chain(ledger_seen)
        .chain(incidents_seen)
        .chain(desk::seen().await)
        .chain(desk::accounts_and_settings().await)
    {
        seen.entry(k).or_default().extend(v);
    }
    let mut missing = Vec::new();
    for (method, template, op) in Probe::new(&app).await.operations() {
        let statuses = seen.get(&(method.clone(), template.clone())).cloned().unwrap_or_default();
        if !statuses.iter().any(|s| (200..300).contains(s)) {
            missing.push(format!("{method} {template}: no success"));
        }
        let documents_4xx = op["responses"].as_object().unwrap().keys().any(|s| s.starts_with('4') && s != "429");
        if documents_4xx && !statuses.iter().any(|s| (400..500).contains(s)) {
            missing.push(format!("{method} {template}: no client error"));
        }
    }
    assert!(missing.is_empty(), "operations not exercised:\n{}", missing.join("\n"));
    assert!(seen.len() >= 40, "{} operations", seen.len());
}
