//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 突发事件 on
//! an app of its own, 治理成效's campaigns and 政策问答's keeping, each operation called for real
//! with a success and its client errors.

use super::*;

/// 突发事件, on an app of its own: the team runs an incident; a supervisor extends and publishes
/// (apart, so that the main walk's future stays within the stack). Answers what was seen.
pub(super) async fn incidents_walk() -> BTreeMap<(String, String), BTreeSet<u16>> {
    let inc = TestApp::start().await;
    let ib = inc.bureau().await;
    let owner_id = inc.member("inc.owner", &ib.gusu, Role::Officer).await;
    let boss_id = inc.member("inc.boss", &ib.gusu, Role::Supervisor).await;
    let wz_id = inc.member("inc.wz", &ib.wuzhong, Role::Officer).await;
    inc.member("inc.other", &ib.gusu, Role::Officer).await;
    let (owner, boss, wz) = (inc.token("inc.owner").await, inc.token("inc.boss").await, inc.token("inc.wz").await);
    let mut n = Probe::new(&inc).await;
    let il = "/api/v1/incidents";
    let (s, c) =
        n.json("POST", il, il, &owner, Some(json!({"title": "奶茶异物", "enterprise_name": "示例奶茶店"}))).await;
    assert_eq!(s, 201, "{c}");
    let id = str_of(&c, "id");
    let (s, e) = n.json("POST", il, il, &owner, Some(json!({"title": " ", "enterprise_name": "示例奶茶店"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("title")), "{e}");
    let (s, rows) = n.json("GET", il, il, &owner, None).await;
    assert_eq!((s, rows.as_array().map(Vec::len)), (200, Some(1)), "{rows}");
    let (s, rows) = n.json("GET", il, il, &wz, None).await;
    assert_eq!((s, rows.as_array().map(Vec::len)), (200, Some(0)), "the neighbour's tree holds none: {rows}");
    inc.user("inc.shop", &[Role::Enterprise]).await;
    assert_eq!(n.json("GET", il, il, &inc.token("inc.shop").await, None).await.0, 403);
    let one = "/api/v1/incidents/{id}";
    let at = |tail: &str| format!("/api/v1/incidents/{id}{tail}");
    let (s, v) = n.json("GET", one, &at(""), &owner, None).await;
    assert_eq!((s, v["title"].as_str()), (200, Some("奶茶异物")), "{v}");
    assert_eq!(n.json("GET", one, &at(""), &wz, None).await.0, 404, "outside the tree: not found");
    let tm = "/api/v1/incidents/{id}/team";
    let (s, t) = n.json("PUT", tm, &at("/team"), &owner, Some(json!({"owner_id": owner_id, "team": [boss_id]}))).await;
    assert_eq!((s, t["added"].as_array().map(Vec::len)), (200, Some(1)), "{t}");
    let (s, e) = n.json("PUT", tm, &at("/team"), &owner, Some(json!({"owner_id": owner_id, "team": [wz_id]}))).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("out_of_scope")), "{e}");
    let other = inc.token("inc.other").await;
    assert_eq!(n.json("PUT", tm, &at("/team"), &other, Some(json!({"owner_id": owner_id}))).await.0, 403);
    assert_eq!(n.json("PUT", tm, &at("/team"), &wz, Some(json!({"owner_id": wz_id}))).await.0, 404);
    let dr = "/api/v1/incidents/{id}/drills";
    let drill = json!({"plan": "突击检查方案", "carried_out_at": "2099-01-01T09:00",
        "scenario": "假设检查方案在实施前泄露", "target_hours": 24});
    assert_eq!(n.json("POST", dr, &at("/drills"), &owner, Some(drill.clone())).await.0, 403, "supervisors only");
    let (s, d) = n.json("POST", dr, &at("/drills"), &boss, Some(drill)).await;
    assert_eq!(s, 201, "{d}");
    let bad = json!({"plan": "方案", "carried_out_at": "soon", "scenario": "情景", "target_hours": 24});
    assert_eq!(n.json("POST", dr, &at("/drills"), &boss, Some(bad)).await.0, 422);
    let did = str_of(&d, "id");
    let rp = "/api/v1/incidents/{id}/drills/{drill}";
    let (s, r) = n.json("GET", rp, &at(&format!("/drills/{did}")), &boss, None).await;
    assert_eq!((s, r["openers"][0]["username"].as_str()), (200, Some("inc.owner")), "{r}");
    assert_eq!(n.json("GET", rp, &at("/drills/nope"), &boss, None).await.0, 404);
    assert_eq!(n.json("GET", rp, &at(&format!("/drills/{did}")), &owner, None).await.0, 403);
    let fd = "/api/v1/incidents/{id}/drills/{drill}/findings";
    let fin = at(&format!("/drills/{did}/findings"));
    assert_eq!(n.json("POST", fd, &fin, &boss, Some(json!({"findings": " "}))).await.0, 422);
    assert_eq!(n.json("POST", fd, &fin, &boss, Some(json!({"findings": "方案实施前仅事件组打开过。"}))).await.0, 204);
    assert_eq!(n.json("POST", fd, &fin, &boss, Some(json!({"findings": "再次提交"}))).await.0, 409);
    let cs = "/api/v1/cases";
    let (s, intake) = n.call("POST", cs, cs, None, &[], Body::Json(complaint(GYM))).await;
    assert_eq!(s, 201, "{intake}");
    let code = str_of(&intake["cases"][0], "tracking_code");
    let lk = "/api/v1/incidents/{id}/links";
    let link = json!({"kind": "case", "target": code});
    let (s, e) = n.json("POST", lk, &at("/links"), &owner, Some(link.clone())).await;
    assert_eq!(s, 204, "{e}");
    assert_eq!(n.json("POST", lk, &at("/links"), &owner, Some(link.clone())).await.0, 409);
    assert_eq!(n.json("POST", lk, &at("/links"), &wz, Some(link)).await.0, 404);
    let md = "/api/v1/incidents/{id}/media";
    let item = json!({"url": "https://weibo.com/123", "excerpt": "网传奶茶里喝出异物", "seen_at": "2026-11-15T20:30"});
    let (s, m) = n.json("POST", md, &at("/media"), &owner, Some(item)).await;
    assert_eq!(s, 201, "{m}");
    let later = json!({"url": "https://weibo.com/123", "excerpt": "x", "seen_at": "2027-01-01T08:00"});
    assert_eq!(n.json("POST", md, &at("/media"), &owner, Some(later)).await.0, 422);
    let pr = "/api/v1/incidents/{id}/products";
    let product = json!({"gtin": "06901234567892", "batch": "B7"});
    assert_eq!(n.json("POST", pr, &at("/products"), &owner, Some(product.clone())).await.0, 204);
    assert_eq!(n.json("POST", pr, &at("/products"), &owner, Some(product)).await.0, 409);
    let ms = "/api/v1/incidents/{id}/measures";
    let seal = json!({"clock": "sealing", "title": "封存同批次产品", "started_on": "2026-11-16"});
    let (s, m) = n.json("POST", ms, &at("/measures"), &owner, Some(seal)).await;
    assert_eq!(s, 201, "{m}");
    let mid = str_of(&m, "id");
    let bad = json!({"clock": "forever", "title": "封存", "started_on": "2026-11-16"});
    assert_eq!(n.json("POST", ms, &at("/measures"), &owner, Some(bad)).await.0, 422);
    let ex = "/api/v1/incidents/{id}/measures/{measure}/extension";
    let on = json!({"on": "2026-11-16"});
    let ext = at(&format!("/measures/{mid}/extension"));
    assert_eq!(n.json("POST", ex, &ext, &owner, Some(on.clone())).await.0, 403, "a supervisor approves");
    assert_eq!(n.json("POST", ex, &ext, &boss, Some(on.clone())).await.0, 204);
    assert_eq!(n.json("POST", ex, &ext, &boss, Some(on.clone())).await.0, 409, "once only");
    let te = "/api/v1/incidents/{id}/measures/{measure}/testing";
    let tst = at(&format!("/measures/{mid}/testing"));
    let unnotified = json!({"from": "2026-11-17", "until": "2026-11-20"});
    let (s, e) = n.json("POST", te, &tst, &owner, Some(unnotified)).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("testing_not_notified")), "{e}");
    let notified = json!({"from": "2026-11-17", "until": "2026-11-20", "notified_on": "2026-11-16"});
    assert_eq!(n.json("POST", te, &tst, &owner, Some(notified)).await.0, 204);
    let (_, v) = n.json("GET", one, &at(""), &owner, None).await;
    assert_eq!(v["measures"][0]["testing"].as_array().map(Vec::len), Some(1), "{v}");
    let co = "/api/v1/incidents/{id}/measures/{measure}/completion";
    assert_eq!(n.json("POST", co, &at("/measures/nope/completion"), &owner, Some(on.clone())).await.0, 404);
    assert_eq!(n.json("POST", co, &at(&format!("/measures/{mid}/completion")), &owner, Some(on)).await.0, 204);
    let lb = "/api/v1/incidents/{id}/measures/{measure}/laboratory";
    let labs = json!({"original_lab": "甲检测中心", "candidates": "甲检测中心\n乙检验所\n丙检测公司"});
    assert_eq!(
        n.json("POST", lb, &at(&format!("/measures/{mid}/laboratory")), &owner, Some(labs.clone())).await.0,
        422
    );
    let retest = json!({"clock": "retest_request", "title": "复检申请", "started_on": "2026-11-13"});
    let rid = str_of(&n.json("POST", ms, &at("/measures"), &owner, Some(retest)).await.1, "id");
    let lab = at(&format!("/measures/{rid}/laboratory"));
    let few = json!({"original_lab": "甲检测中心", "candidates": "甲检测中心\n乙检验所"});
    assert_eq!(n.json("POST", lb, &lab, &owner, Some(few)).await.0, 422);
    assert_eq!(n.json("POST", lb, &lab, &wz, Some(labs.clone())).await.0, 404);
    let (s, drawn) = n.json("POST", lb, &lab, &owner, Some(labs.clone())).await;
    assert_eq!(s, 201, "{drawn}");
    assert!(["乙检验所", "丙检测公司"].contains(&str_of(&drawn, "laboratory").as_str()), "{drawn}");
    assert_eq!(n.json("POST", lb, &lab, &owner, Some(labs)).await.0, 409, "never redrawn");
    let pm = "/api/v1/incidents/{id}/promises";
    let promise = json!({"text": "三天内给结果", "unit": "days", "amount": 3});
    let (s, p3) = n.json("POST", pm, &at("/promises"), &owner, Some(promise)).await;
    assert_eq!(s, 201, "{p3}");
    let zero = json!({"text": "尽快", "unit": "days", "amount": 0});
    assert_eq!(n.json("POST", pm, &at("/promises"), &owner, Some(zero)).await.0, 422);
    let kp = "/api/v1/incidents/{id}/promises/{promise}/kept";
    let kept = at(&format!("/promises/{}/kept", str_of(&p3, "id")));
    assert_eq!(n.json("POST", kp, &kept, &owner, None).await.0, 204);
    assert_eq!(n.json("POST", kp, &kept, &owner, None).await.0, 409);
    // Evidence: a photo kept, its working copy, and boxes that publish a copy.
    let ev = "/api/v1/incidents/{id}/evidence";
    let photo = || {
        Form::new()
            .text("caption", "现场照片")
            .part("file", reqwest::multipart::Part::bytes(crate::uploads::real_png(20)).file_name("a.png"))
    };
    let (s, kept) = n.call("POST", ev, &at("/evidence"), Some(&owner), &[], Body::Multipart(photo())).await;
    assert_eq!(s, 201, "{kept}");
    let not_image = Form::new().part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("a.pdf"));
    assert_eq!(n.call("POST", ev, &at("/evidence"), Some(&owner), &[], Body::Multipart(not_image)).await.0, 422);
    assert_eq!(n.call("POST", ev, &at("/evidence"), Some(&wz), &[], Body::Multipart(photo())).await.0, 404);
    assert_eq!(n.call("POST", ev, &at("/evidence"), Some(&other), &[], Body::Multipart(photo())).await.0, 403);
    let (s, items) = n.json("GET", ev, &at("/evidence"), &owner, None).await;
    assert_eq!((s, items.as_array().map(Vec::len)), (200, Some(1)), "{items}");
    assert_eq!(n.json("GET", ev, &at("/evidence"), &wz, None).await.0, 404);
    let eid = str_of(&kept, "id");
    let im = "/api/v1/incidents/{id}/evidence/{evidence}/image";
    assert_eq!(n.call("GET", im, &at(&format!("/evidence/{eid}/image")), Some(&owner), &[], Body::None).await.0, 200);
    assert_eq!(n.call("GET", im, &at(&format!("/evidence/{eid}/image")), Some(&wz), &[], Body::None).await.0, 404);
    let rd = "/api/v1/incidents/{id}/evidence/{evidence}/redaction";
    let rd_at = at(&format!("/evidence/{eid}/redaction"));
    let (s, done) = n.json("PUT", rd, &rd_at, &owner, Some(json!({"boxes": [{"x": 1, "y": 1, "w": 5, "h": 5}]}))).await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(
        n.json("PUT", rd, &rd_at, &owner, Some(json!({"boxes": [{"x": 18, "y": 0, "w": 5, "h": 5}]}))).await.0,
        422
    );
    assert_eq!(n.json("PUT", rd, &rd_at, &other, Some(json!({"boxes": []}))).await.0, 403);
    assert_eq!(n.json("PUT", rd, &rd_at, &wz, Some(json!({"boxes": []}))).await.0, 404);
    let se = "/api/v1/incidents/{id}/secrets";
    assert_eq!(n.json("POST", se, &at("/secrets"), &owner, Some(json!({"term": "12800元"}))).await.0, 204);
    assert_eq!(n.json("POST", se, &at("/secrets"), &owner, Some(json!({"term": "12800元"}))).await.0, 409);
    assert_eq!(n.json("POST", se, &at("/secrets"), &owner, Some(json!({"term": " "}))).await.0, 422);
    let shop = inc.token("inc.shop").await;
    let about = json!({"title": "乳品异味", "enterprise_name": "示例乳品厂", "enterprise_uscc": "91110000600037341L"});
    let pid = str_of(&n.json("POST", il, il, &owner, Some(about)).await.1, "id");
    let pl = "/api/v1/enterprise/incidents";
    assert_eq!(n.json("GET", pl, pl, &owner, None).await.0, 403, "officers have no enterprise");
    let ps = "/api/v1/enterprise/incidents/{id}/secrets";
    let own = format!("/api/v1/enterprise/incidents/{pid}/secrets");
    assert_eq!(n.json("POST", ps, &own, &shop, Some(json!({"term": "乳清蛋白占比3.2%"}))).await.0, 204);
    assert_eq!(n.json("POST", ps, &own, &shop, Some(json!({"term": "乳清蛋白占比3.2%"}))).await.0, 409);
    assert_eq!(n.json("POST", ps, &own, &shop, Some(json!({"term": ""}))).await.0, 422);
    let other = format!("/api/v1/enterprise/incidents/{id}/secrets");
    assert_eq!(
        n.json("POST", ps, &other, &shop, Some(json!({"term": "x1"}))).await.0,
        404,
        "not about this enterprise"
    );
    let (s, mine) = n.json("GET", pl, pl, &shop, None).await;
    assert_eq!((s, mine.as_array().map(Vec::len)), (200, Some(1)), "{mine}");
    assert_eq!(mine[0]["secrets"], json!(["乳清蛋白占比3.2%"]));
    let st = "/api/v1/incidents/{id}/statements";
    let leaky = json!({"facts": "经查，该店当月营业额为12,800 元，异物为员工掉落的塑料片。"});
    let (s, d1) = n.json("POST", st, &at("/statements"), &owner, Some(leaky)).await;
    assert_eq!(s, 201, "{d1}");
    assert_eq!(n.json("POST", st, &at("/statements"), &owner, Some(json!({"facts": ""}))).await.0, 422);
    assert_eq!(n.json("POST", st, &at("/statements"), &wz, Some(json!({"facts": "经查属实。"}))).await.0, 404);
    let clean = json!({"facts": "经查，异物为员工掉落的塑料片。", "measures": "已封存同批次产品并送检。",
        "next_update_at": "2026-11-19T18:00"});
    let (s, d2) = n.json("POST", st, &at("/statements"), &owner, Some(clean)).await;
    assert_eq!(s, 201, "{d2}");
    let (s, list) = n.json("GET", st, &at("/statements"), &owner, None).await;
    assert_eq!(s, 200, "{list}");
    let refusals: Vec<&str> =
        list[0]["refusals"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!((refusals, list[1]["refusals"].as_array().map(Vec::len)), (vec!["trade_secret"], Some(0)), "{list}");
    assert_eq!(n.json("GET", st, &at("/statements"), &wz, None).await.0, 404);
    let pb = "/api/v1/incidents/{id}/statements/{statement}/publish";
    let pub1 = at(&format!("/statements/{}/publish", str_of(&d1, "id")));
    let (s, e) = n.json("POST", pb, &pub1, &boss, None).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("trade_secret")), "{e}");
    let pub2 = at(&format!("/statements/{}/publish", str_of(&d2, "id")));
    assert_eq!(n.json("POST", pb, &pub2, &owner, None).await.0, 403, "not by its drafter");
    let (s, published) = n.json("POST", pb, &pub2, &boss, None).await;
    assert!(s == 200 && published["published_at_ms"].as_i64().is_some(), "{published}");
    assert_eq!(n.json("POST", pb, &pub2, &boss, None).await.0, 409);
    let page = Client::new().get(inc.url(&format!("/statements/{id}"))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("员工掉落的塑料片"), "the published statement is public");
    n.drive_into_errors(&owner, &["/api/v1/incidents"]).await;
    n.seen
}

/// 治理成效: a campaign recorded, listed and measured.
pub(super) async fn campaigns(p: &mut Probe<'_>, boss: &str, sys: &str) {
    let c = "/api/v1/campaigns";
    let body = json!({"title": "预付卡专项整治", "kind": "inspection_wave", "start": "2026-11-01", "window_days": 14,
        "measure": "on_time"});
    let (s, created) = p.json("POST", c, c, boss, Some(body.clone())).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(p.json("POST", c, c, sys, Some(body)).await.0, 403);
    let bad = json!({"title": "", "kind": "guide", "start": "2026-11-01", "window_days": 14, "measure": "on_time"});
    assert_eq!(p.json("POST", c, c, boss, Some(bad)).await.0, 422);
    let (s, list) = p.json("GET", c, c, boss, None).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(p.json("GET", c, c, sys, None).await.0, 403);
    let one = "/api/v1/campaigns/{id}";
    let (s, effect) = p.json("GET", one, &format!("{c}/{}", str_of(&created, "id")), boss, None).await;
    assert_eq!(s, 200, "{effect}");
    assert_eq!(p.json("GET", one, "/api/v1/campaigns/nope", boss, None).await.0, 404);
}

/// 政策问答's keeping: laws, the search's words, the unanswered questions (apart, so that the
/// main test's future stays within the stack).
pub(super) async fn knowledge_keeping(p: &mut Probe<'_>, boss: &str, sys: &str) {
    let lw = "/api/v1/laws";
    let (s, laws) = p.json("GET", lw, lw, boss, None).await;
    assert_eq!(s, 200, "{laws}");
    assert_eq!(p.json("GET", lw, lw, sys, None).await.0, 403);
    let law = str_of(&laws[0], "id");
    let lv = "/api/v1/laws/{id}/versions";
    let change = json!({"version": "2031修正", "effective": "2031-01-01"});
    let (s, changed) = p.json("POST", lv, &format!("/api/v1/laws/{law}/versions"), boss, Some(change.clone())).await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(p.json("POST", lv, "/api/v1/laws/nope/versions", boss, Some(change.clone())).await.0, 404);
    assert_eq!(p.json("POST", lv, &format!("/api/v1/laws/{law}/versions"), sys, Some(change)).await.0, 403);
    let bad = json!({"version": "", "status": "current"});
    assert_eq!(p.json("POST", lv, &format!("/api/v1/laws/{law}/versions"), boss, Some(bad)).await.0, 422);
    let w = "/api/v1/qa/words";
    let (s, words) = p.json("GET", w, w, boss, None).await;
    assert_eq!(s, 200, "{words}");
    assert_eq!(p.json("GET", w, w, sys, None).await.0, 403);
    for (which, lines) in [("synonyms", str_of(&words, "synonyms")), ("vocabulary", str_of(&words, "vocabulary"))] {
        let (path, at) = (format!("/api/v1/qa/words/{which}"), format!("/api/v1/qa/words/{which}"));
        let (s, kept) = p.json("PUT", &path, &at, boss, Some(json!({ "lines": lines }))).await;
        assert_eq!(s, 200, "{kept}");
        assert_eq!(p.json("PUT", &path, &at, sys, Some(json!({ "lines": lines }))).await.0, 403);
        assert_eq!(p.json("PUT", &path, &at, boss, Some(json!({"lines": "孤零零"}))).await.0, 422);
    }
    let g = "/api/v1/qa/gaps";
    let (s, gaps) = p.json("GET", g, &format!("{g}?weeks=4"), boss, None).await;
    assert_eq!(s, 200, "{gaps}");
    assert_eq!(p.json("GET", g, g, sys, None).await.0, 403);
    let gd = "/api/v1/qa/gaps/drafts";
    let (s, started) = p.json("POST", gd, gd, boss, Some(json!({"question": "宠物医院乱收费找谁", "ids": []}))).await;
    assert_eq!(s, 201, "{started}");
    assert_eq!(p.json("POST", gd, gd, sys, Some(json!({"question": "宠物医院乱收费找谁"}))).await.0, 403);
    assert_eq!(p.json("POST", gd, gd, boss, Some(json!({"question": " "}))).await.0, 422);
}
