//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): the
//! officer's desk (notes, contact details for a purpose, the work log), 先行和解's list and window,
//! and the enterprise portal, each called for real with a success and its client errors, on an
//! app of their own. Refusals are checked, not only the successes.

use super::*;

type Seen = BTreeMap<(String, String), BTreeSet<u16>>;

/// Runs a flow on a thread and runtime of its own with room on its stack (the conformance test's
/// one future is already near a test thread's) and returns what its probe saw.
async fn on_own_stack<F: std::future::Future<Output = Seen> + 'static>(flow: fn() -> F, what: &'static str) -> Seen {
    let thread = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(flow()))
        .unwrap();
    tokio::task::spawn_blocking(move || thread.join().unwrap_or_else(|_| panic!("the {what} flow passes")))
        .await
        .unwrap()
}

/// What the desk and portal flow's probe saw, for the coverage check.
pub(super) async fn seen() -> Seen {
    on_own_stack(desk_and_portal, "desk and portal").await
}

/// Exercises the operations; returns what the probe saw.
async fn desk_and_portal() -> Seen {
    let app = roomy_app().await;
    let mut p = Probe::new(&app).await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wz", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await; // bound to GYM
    let (boss, li, wz, gym) =
        (app.token("boss").await, app.token("officer.li").await, app.token("officer.wz").await, app.token("gym").await);

    // 先行和解: supervisors only; the window for complaints from now on.
    let o = "/api/v1/odr";
    assert_eq!(p.json("GET", o, o, &li, None).await.0, 403, "an officer does not keep the list");
    let gym_firm = json!({"uscc": GYM, "name": "苏州姑苏示例健身管理有限公司"});
    let (s, v) = p.json("POST", o, o, &boss, Some(gym_firm.clone())).await;
    assert_eq!((s, v["enterprises"][0]["uscc"].as_str()), (201, Some(GYM)), "{v}");
    assert_eq!(p.json("POST", o, o, &boss, Some(gym_firm)).await.0, 409, "already on the list");
    let (s, e) = p.json("POST", o, o, &boss, Some(json!({"uscc": "911100006000373", "name": "某公司"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("uscc")), "{e}");
    let op = "/api/v1/odr/policy";
    let (s, v) = p.json("PUT", op, op, &boss, Some(json!({"days": 5}))).await;
    assert_eq!((s, v["days"].as_u64()), (200, Some(5)), "{v}");
    assert_eq!(p.json("PUT", op, op, &boss, Some(json!({"days": 0}))).await.0, 422);
    assert_eq!(p.json("PUT", op, op, &li, Some(json!({"days": 3}))).await.0, 403);
    assert_eq!(p.json("GET", o, o, &boss, None).await.1["days"], 5);

    // A complaint about the gym starts with the enterprise (settling).
    let c = "/api/v1/cases";
    let (s, receipt) = p.call("POST", c, c, None, &[], Body::Json(complaint(GYM))).await;
    assert_eq!(s, 201, "{receipt}");
    let code = str_of(&receipt["cases"][0], "tracking_code");
    let id = app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id;

    // The enterprise sees it only after the masking is confirmed, and never who complained.
    let pl = "/api/v1/enterprise/cases";
    let (s, list) = p.json("GET", pl, pl, &gym, None).await;
    assert_eq!((s, list["total"].as_u64()), (200, Some(0)), "not before the masking review: {list}");
    app.confirm_masking(&id).await;
    let (s, list) = p.json("GET", pl, pl, &gym, None).await;
    assert_eq!((s, list["total"].as_u64(), list["open"].as_u64()), (200, Some(1), Some(1)), "{list}");
    assert_eq!(p.json("GET", pl, pl, &li, None).await.0, 403, "an officer has no enterprise portal");
    let pc = "/api/v1/enterprise/cases/{code}";
    let one = format!("{pl}/{code}");
    let (s, case) = p.json("GET", pc, &one, &gym, None).await;
    assert_eq!((s, case["status"].as_str(), case["can_propose"].as_bool()), (200, Some("settling"), Some(true)));
    for secret in ["李秀英", "13812345678", "人民路88号"] {
        assert!(!case.to_string().contains(secret), "{secret} reached the enterprise: {case}");
    }
    assert!(case["settle_until"].is_string(), "{case}");
    assert_eq!(p.json("GET", pc, &format!("{pl}/NOPE"), &gym, None).await.0, 404);
    let pr = "/api/v1/enterprise/cases/{code}/reply";
    let reply = format!("{one}/reply");
    let (s, e) = p.json("POST", pr, &reply, &gym, Some(json!({"reply": "好"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("length")), "{e}");
    assert_eq!(p.json("POST", pr, &reply, &gym, Some(json!({"reply": "已联系顾客，正在核实退款金额。"}))).await.0, 204);
    let pp = "/api/v1/enterprise/cases/{code}/proposal";
    let proposal = format!("{one}/proposal");
    assert_eq!(p.json("POST", pp, &proposal, &gym, Some(json!({"proposal": "退"}))).await.0, 422);
    let offer = json!({"proposal": "退还余额4500元，请联系店长13900001111办理"});
    assert_eq!(p.json("POST", pp, &proposal, &gym, Some(offer.clone())).await.0, 204);
    let (_, case) = p.json("GET", pc, &one, &gym, None).await;
    let told = case["proposals"][0]["text"].as_str().unwrap();
    assert!(told.contains("4500元") && !told.contains("13900001111"), "masked before it is stored: {told}");
    assert!(case["steps"].to_string().contains("已联系顾客"), "the reply is in the history: {case}");

    // Notes and the contact details: the bureau that handles it; another district is refused.
    let n = "/api/v1/cases/{code}/notes";
    let notes = format!("/api/v1/cases/{code}/notes");
    assert_eq!(
        p.json("POST", n, &notes, &boss, Some(json!({"text": "已电话联系企业店长，约定周五前回复。"}))).await.0,
        204
    );
    assert_eq!(p.json("POST", n, &notes, &boss, Some(json!({"text": " "}))).await.0, 422);
    let refused = p.json("POST", n, &notes, &wz, Some(json!({"text": "越权记录"}))).await.0;
    assert!(refused == 403 || refused == 404, "another district: {refused}");
    let i = "/api/v1/cases/{code}/identity";
    let identity = format!("/api/v1/cases/{code}/identity");
    let (s, e) = p.json("POST", i, &identity, &boss, Some(json!({"purpose": "看"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("purpose")), "{e}");
    let (s, who) = p.json("POST", i, &identity, &boss, Some(json!({"purpose": "电话核实退款金额"}))).await;
    assert_eq!((s, who["anonymous"].as_bool(), who["name"].as_str()), (200, Some(false), Some("李秀英")), "{who}");
    let refused = p.json("POST", i, &identity, &wz, Some(json!({"purpose": "电话核实退款金额"}))).await.0;
    assert!(refused == 403 || refused == 404, "another district: {refused}");
    assert_eq!(p.json("POST", i, &identity, &gym, Some(json!({"purpose": "想知道是谁投诉"}))).await.0, 403);
    let reads = app
        .state
        .store
        .audit_entries(&xinqiao_store::audit::Filter {
            action: Some("case.identity.read".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(reads.len(), 1, "each look is audited, refusals read nothing");

    // The work log: the caller's own; a day in the future is refused.
    let w = "/api/v1/worklog";
    let today = app.today().to_string();
    let day =
        json!({"day": today, "solved": "健身卡退费一件，企业同意退还4500元。", "learned": "先行和解期限内多沟通。"});
    assert_eq!(p.json("POST", w, w, &li, Some(day)).await.0, 204);
    let (s, e) = p.json("POST", w, w, &li, Some(json!({"day": "2999-01-01", "solved": "x"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("day")), "{e}");
    let (s, log) = p.json("GET", w, w, &li, None).await;
    assert_eq!((s, log.as_array().map(Vec::len), log[0]["day"].as_str()), (200, Some(1), Some(today.as_str())));
    assert_eq!(p.json("GET", w, w, &boss, None).await.1.as_array().map(Vec::len), Some(0), "one's own log only");
    assert_eq!(p.json("GET", w, w, &gym, None).await.0, 403);

    // Off the list, once.
    let ol = "/api/v1/odr/{uscc}";
    assert_eq!(p.json("DELETE", ol, &format!("{o}/{GYM}"), &li, None).await.0, 403);
    assert_eq!(p.json("DELETE", ol, &format!("{o}/{GYM}"), &boss, None).await.0, 204);
    assert_eq!(p.json("DELETE", ol, &format!("{o}/{GYM}"), &boss, None).await.0, 404);
    p.seen
}

/// The same for the operations of accounts and settings: the caller's own tokens and password,
/// a new bureau, the security policy, the publicity threshold, the taxonomy, an assessor's tie
/// and an incident's review.
pub(super) async fn accounts_and_settings() -> Seen {
    on_own_stack(settings_flow, "accounts and settings").await
}

async fn settings_flow() -> Seen {
    let app = roomy_app().await;
    let mut p = Probe::new(&app).await;
    let b = app.bureau().await;
    app.admin("sys", Role::SysAdmin).await;
    app.admin("sec", Role::SecAdmin).await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    let li_id = app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("rev.a", &b.city, Role::Reviewer).await;
    let cand = crate::qualification::candidate(&app, "cand", &b.gusu).await;
    let (sys, sec, boss, li, rev) = (
        app.token("sys").await,
        app.token("sec").await,
        app.token("boss").await,
        app.token("officer.li").await,
        app.token("rev.a").await,
    );

    // One's own tokens: made (the value once), listed without values, revoked; another's is 404.
    let t = "/api/v1/me/tokens";
    let (s, made) = p.json("POST", t, t, &li, Some(json!({"name": "脚本"}))).await;
    assert_eq!(s, 201, "{made}");
    let (value, token_id) = (str_of(&made, "token"), str_of(&made, "id"));
    let (s, e) = p.json("POST", t, t, &li, Some(json!({"name": 7}))).await;
    assert_eq!(s, 422, "{e}");
    let (s, mine) = p.json("GET", t, t, &value, None).await;
    assert_eq!(s, 200, "the new token works: {mine}");
    assert!(mine.as_array().unwrap().iter().any(|x| x["id"] == token_id.as_str() && x["name"] == "脚本"), "{mine}");
    assert!(!mine.to_string().contains(&value), "a token's value is never listed again");
    let tr = "/api/v1/me/tokens/{id}";
    assert_eq!(p.json("DELETE", tr, &format!("{t}/{token_id}"), &boss, None).await.0, 404, "not the boss's token");
    assert_eq!(p.json("DELETE", tr, &format!("{t}/{token_id}"), &li, None).await.0, 204);
    assert_eq!(p.json("GET", t, t, &value, None).await.0, 401, "a revoked token opens nothing");

    // One's own password: every mistake under its field; then changed.
    let pw = "/api/v1/me/password";
    let (s, e) =
        p.json("PUT", pw, pw, &li, Some(json!({"current": "wrong", "new": "short", "confirm": "other"}))).await;
    let fields: BTreeSet<&str> =
        e["error"]["fields"].as_array().unwrap().iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!((s, fields), (422, BTreeSet::from(["current", "new", "confirm"])), "{e}");
    let new = "Xinqiao-2026!new";
    let change = json!({"current": PASSWORD, "new": new, "confirm": new});
    assert_eq!(p.json("PUT", pw, pw, &li, Some(change)).await.0, 204);
    let login = json!({"username": "officer.li", "password": new});
    let res = Client::new().post(app.url("/api/v1/auth/token")).json(&login).send().await.unwrap();
    assert_eq!(res.status(), 201, "the new password signs in");
    let fresh = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    assert_eq!(p.json("GET", t, t, &li, None).await.0, 401, "a password change ends the old tokens");
    let li = fresh;

    // A new bureau: the system administrator only; a taken region code under its field.
    let o = "/api/v1/orgs";
    let org = json!({"region_code": "320507", "name": "相城区市场监督管理局", "parent_id": b.city});
    assert_eq!(p.json("POST", o, o, &boss, Some(org.clone())).await.0, 403);
    let (s, made) = p.json("POST", o, o, &sys, Some(org.clone())).await;
    assert_eq!((s, made["region_code"].as_str()), (201, Some("320507")), "{made}");
    let (s, e) = p.json("POST", o, o, &sys, Some(org)).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("region_code")), "{e}");

    // The security policy: the security administrator; out of bounds is refused.
    let sp = "/api/v1/security-policy";
    assert_eq!(p.json("GET", sp, sp, &sys, None).await.0, 403, "separation of duties");
    let (s, mut policy) = p.json("GET", sp, sp, &sec, None).await;
    assert_eq!(s, 200, "{policy}");
    policy["min_password_len"] = json!(12);
    let (s, saved) = p.json("PUT", sp, sp, &sec, Some(policy.clone())).await;
    assert_eq!((s, saved["min_password_len"].as_u64()), (200, Some(12)), "{saved}");
    policy["min_password_len"] = json!(3);
    assert_eq!(p.json("PUT", sp, sp, &sec, Some(policy)).await.0, 422);
    assert_eq!(p.json("GET", sp, sp, &sec, None).await.1["min_password_len"], 12, "nothing half-written");

    // The publicity threshold and the taxonomy: supervisors change them.
    let m = "/api/v1/stats/minimum";
    assert_eq!(p.json("PUT", m, m, &boss, Some(json!({"minimum": 5}))).await.0, 204);
    assert_eq!(p.json("PUT", m, m, &boss, Some(json!({"minimum": 0}))).await.0, 422);
    assert_eq!(p.json("PUT", m, m, &li, Some(json!({"minimum": 5}))).await.0, 403);
    let tx = "/api/v1/taxonomy";
    let (s, doc) = p.json("GET", tx, tx, &li, None).await;
    let text = str_of(&doc, "text");
    assert!(s == 200 && !text.is_empty(), "{doc}");
    assert_eq!(p.json("PUT", tx, tx, &li, Some(json!({"text": text}))).await.0, 403, "officers read only");
    let (s, e) = p.json("PUT", tx, tx, &boss, Some(json!({"text": "not toml ["}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("text")), "{e}");
    let (s, saved) = p.json("PUT", tx, tx, &boss, Some(json!({"text": text}))).await;
    assert_eq!((s, saved["text"].as_str()), (200, Some(text.as_str())));

    // An assessor's declared tie: reviewers only; an unknown candidate is refused.
    let at = "/api/v1/qualification/assessor-ties";
    assert_eq!(p.json("POST", at, at, &rev, Some(json!({"kind": "relative", "candidate": cand}))).await.0, 204);
    let (s, e) = p.json("POST", at, at, &rev, Some(json!({"kind": "relative", "candidate": "nobody"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("candidate")), "{e}");
    assert_eq!(p.json("POST", at, at, &li, Some(json!({"kind": "relative", "candidate": cand}))).await.0, 403);

    // An incident's review: read and written by its tree; lessons masked.
    let il = "/api/v1/incidents";
    let (s, c) =
        p.json("POST", il, il, &boss, Some(json!({"title": "奶茶异物", "enterprise_name": "示例奶茶店"}))).await;
    assert_eq!(s, 201, "{c}");
    let r = "/api/v1/incidents/{id}/review";
    let review = format!("{il}/{}/review", str_of(&c, "id"));
    let (s, v) = p.json("GET", r, &review, &boss, None).await;
    assert_eq!((s, v["title"].as_str()), (200, Some("奶茶异物")), "{v}");
    assert_eq!(p.json("GET", r, &format!("{il}/nope/review"), &boss, None).await.0, 404);
    let lessons = json!({"lessons": "通报应更早发布；店员张伟（13812345678）的说法须核实后再引用。"});
    let (s, v) = p.json("PUT", r, &review, &boss, Some(lessons)).await;
    let kept = v["lessons"].as_str().unwrap_or_default();
    assert!(s == 200 && kept.contains("通报应更早发布") && !kept.contains("13812345678"), "{s} {v}");
    assert_eq!(p.json("PUT", r, &review, &boss, Some(json!({"lessons": ""}))).await.0, 422);

    keys_notices_and_scan(&mut p, &app, (&sys, &boss, &li), &li_id, &b.gusu).await;

    // Another's password (系统管理员) and second factor (安全管理员), last: they end the officer's
    // sign-ins.
    let rp = "/api/v1/users/{id}/password";
    let at = format!("/api/v1/users/{li_id}/password");
    let temporary = json!({"password": "Temporary-2026!x"});
    assert_eq!(p.json("POST", rp, &at, &sec, Some(temporary.clone())).await.0, 403, "separation of duties");
    let (s, e) = p.json("POST", rp, &at, &sys, Some(json!({"password": "short"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("password")), "{e}");
    assert_eq!(p.json("POST", rp, "/api/v1/users/nope/password", &sys, Some(temporary.clone())).await.0, 404);
    assert_eq!(p.json("POST", rp, &at, &sys, Some(temporary)).await.0, 204);
    assert!(app.state.store.user(&li_id).await.unwrap().must_change_password, "to be changed at the next sign-in");
    let rt = "/api/v1/users/{id}/totp-reset";
    let at = format!("/api/v1/users/{li_id}/totp-reset");
    assert_eq!(p.json("POST", rt, &at, &sys, None).await.0, 403, "separation of duties");
    assert_eq!(p.json("POST", rt, "/api/v1/users/nope/totp-reset", &sec, None).await.0, 404);
    assert_eq!(p.json("POST", rt, &at, &sec, None).await.0, 204);
    p.seen
}

/// Open311 keys (系统管理员), one's own security notices, and a supervisor's warning scan: the
/// operations the pages had before the API.
async fn keys_notices_and_scan(
    p: &mut Probe<'_>,
    app: &TestApp,
    (sys, boss, li): (&str, &str, &str),
    li_id: &str,
    gusu: &str,
) {
    let k = "/api/v1/open311/keys";
    let key = json!({"org_id": gusu, "label": "随手拍小程序"});
    assert_eq!(p.json("POST", k, k, boss, Some(key.clone())).await.0, 403, "system administrators only");
    let (s, issued) = p.json("POST", k, k, sys, Some(key)).await;
    assert_eq!((s, issued["label"].as_str()), (201, Some("随手拍小程序")), "{issued}");
    let secret = str_of(&issued, "secret");
    assert!(secret.starts_with(&str_of(&issued, "prefix")), "{issued}");
    let (s, e) = p.json("POST", k, k, sys, Some(json!({"org_id": "nope", "label": "x"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("org_id")), "{e}");
    assert_eq!(p.json("POST", k, k, sys, Some(json!({"org_id": gusu, "label": " "}))).await.0, 422);
    let (s, keys) = p.json("GET", k, k, sys, None).await;
    assert_eq!((s, keys.as_array().map(Vec::len)), (200, Some(1)), "{keys}");
    assert!(!keys.to_string().contains(&secret), "the key is shown once, never listed");
    assert_eq!(p.json("GET", k, k, li, None).await.0, 403);
    let said = "超市把过期牛奶重新贴标签出售，已经看到好几次了。";
    assert_eq!(crate::open311::post(app, "json", &crate::open311::report(&secret, said, "no")).await.0, 200);
    let kr = "/api/v1/open311/keys/{id}/revoke";
    let at = format!("{k}/{}/revoke", str_of(&issued, "id"));
    assert_eq!(p.json("POST", kr, &at, boss, None).await.0, 403);
    let (s, revoked) = p.json("POST", kr, &at, sys, None).await;
    assert!(s == 200 && revoked["revoked_at_ms"].is_i64(), "{revoked}");
    assert_eq!(p.json("POST", kr, &at, sys, None).await.0, 409, "revoked once");
    assert_eq!(p.json("POST", kr, &format!("{k}/nope/revoke"), sys, None).await.0, 404);
    let refused = crate::open311::post(app, "json", &crate::open311::report(&secret, said, "no")).await.0;
    assert_eq!(refused, 403, "a revoked key opens nothing");

    // Failed sign-ins on the officer's account reach the threshold: they are told.
    let store = &app.state.store;
    let policy = xinqiao_web::auth::policy(&app.state).await;
    for _ in 0..policy.max_failed_logins {
        let failure = xinqiao_store::throttle::Failure {
            user_id: Some(li_id),
            username: Some("officer.li"),
            reason: "bad_password",
            key: "hmac-of-name-and-client",
            client: "203.0.113.7",
        };
        store.login_failed(&xinqiao_store::audit::Actor::console(), &failure, &policy).await.unwrap();
    }
    let n = "/api/v1/me/notices";
    let (s, notices) = p.json("GET", n, n, li, None).await;
    let list = notices.as_array().cloned().unwrap_or_default();
    assert!(s == 200 && list.len() == 1 && str_of(&list[0], "text").contains("203.0.113.7"), "{notices}");
    let (s, others) = p.json("GET", n, n, boss, None).await;
    assert_eq!((s, others.as_array().map(Vec::len)), (200, Some(0)), "another's notices are not listed");
    let nd = "/api/v1/me/notices/{id}/dismiss";
    let at = format!("{n}/{}/dismiss", str_of(&list[0], "id"));
    assert_eq!(p.json("POST", nd, &at, boss, None).await.0, 404, "not the boss's notice");
    assert_eq!(p.json("POST", nd, &at, li, None).await.0, 204);
    assert_eq!(p.json("POST", nd, &at, li, None).await.0, 404, "already read");
    assert_eq!(p.json("GET", n, n, li, None).await.1, json!([]));

    // The warning scan: supervisors; told only of their tree's new warnings.
    let sc = "/api/v1/warnings/scan";
    let (s, scanned) = p.json("POST", sc, sc, boss, None).await;
    assert!(s == 200 && scanned["raised"].is_u64(), "{scanned}");
    assert_eq!(p.json("POST", sc, sc, li, None).await.0, 403);
}
