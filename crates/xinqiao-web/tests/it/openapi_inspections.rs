//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 双随机's
//! open data and draws on an app of its own, each operation called for real with a success and
//! its client errors.

use super::*;

/// 双随机 on an app of its own (its flow brings its own bureau and staff): the open results, the
/// draw document and its verification, results and publication, a new task and its reveal.
/// Answers what was seen.
pub(super) async fn inspections_walk() -> BTreeMap<(String, String), BTreeSet<u16>> {
    // 双随机 open data, on an app of its own (its flow brings its own bureau and staff).
    let open = TestApp::start().await;
    crate::inspections::a_task_from_commitment_to_published_results_on(&open).await;
    let mut o = Probe::new(&open).await;
    let ir = "/api/v1/inspection-results";
    let (s, results) = o.call("GET", ir, &format!("{ir}?limit=5"), None, &[], Body::None).await;
    assert_eq!(s, 200);
    assert!((1..=5).contains(&results.as_array().unwrap().len()), "limit=5 is kept: {results}");
    let task = str_of(&results[0], "task_id");
    assert_eq!(o.call("GET", ir, &format!("{ir}?limit=5000"), None, &[], Body::None).await.0, 422);
    let (s, doc) = o.call("GET", "/api/v1/draws/{id}", &format!("/api/v1/draws/{task}"), None, &[], Body::None).await;
    assert_eq!(s, 200, "{doc}");
    assert_eq!(o.call("GET", "/api/v1/draws/{id}", "/api/v1/draws/nope", None, &[], Body::None).await.0, 404);
    // Anyone recomputes the draw: the stored task, or a copy sent back; a changed copy is told
    // where it first differs.
    let (vs, vd) = ("/api/v1/draws/{id}/verify", "/api/v1/draws/verify");
    let (s, v) = o.call("POST", vs, &format!("/api/v1/draws/{task}/verify"), None, &[], Body::None).await;
    assert!(s == 200 && v["matches"] == true && v["difference"].is_null(), "{v}");
    assert_eq!(o.call("POST", vs, "/api/v1/draws/nope/verify", None, &[], Body::None).await.0, 404);
    let (s, v) = o.call("POST", vd, vd, None, &[], Body::Json(doc.clone())).await;
    assert!(s == 200 && v["matches"] == true, "{v}");
    let mut changed = doc.clone();
    changed["outcome"]["targets"][0]["uscc"] = json!("91320508000000000X");
    let (s, v) = o.call("POST", vd, vd, None, &[], Body::Json(changed)).await;
    assert!(s == 200 && v["matches"] == false && str_of(&v, "message").starts_with("不一致"), "{v}");
    assert!(v["difference"]["published"].as_str().is_some_and(|x| x.contains("91320508000000000X")), "{v}");
    let mut undrawn = doc.clone();
    undrawn["outcome"] = Value::Null;
    assert_eq!(o.call("POST", vd, vd, None, &[], Body::Json(undrawn)).await.0, 409, "nothing drawn to verify");
    let (s, e) = o.call("POST", vd, vd, None, &[], Body::Json(json!({"format": "xinqiao-draw/1"}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("document")), "{e}");
    // Results over the API (the task page's service): a supervisor records a drawn target's
    // result and publishes.
    let wang = open.token("supervisor.wang").await;
    o.drive_into_errors(&wang, &["/api/v1/inspection-results", "/api/v1/draws/"]).await;
    let (rr, rp) = ("/api/v1/inspections/{id}/results", "/api/v1/inspections/{id}/publish");
    let mut recorded = Vec::new();
    for t in doc["outcome"]["targets"].as_array().unwrap() {
        let body = json!({"uscc": t["uscc"], "category": "no_problem"});
        recorded.push(o.json("POST", rr, &format!("/api/v1/inspections/{task}/results"), &wang, Some(body)).await.0);
    }
    assert!(recorded.contains(&204), "{recorded:?}");
    assert_eq!(o.json("POST", rp, &format!("/api/v1/inspections/{task}/publish"), &wang, None).await.0, 204);
    // A new task and its draw over the API (the /inspections/new form's service).
    let (cd, rv) = ("/api/v1/draws", "/api/v1/draws/{id}/reveal");
    let task_in = |available_at: &str| {
        json!({"title": "接口创建的抽查任务", "items": ["食品经营许可"], "industries": ["H"], "regions": ["320508"],
            "ratios": [1000, 1000, 1000, 1000], "inspectors_per_target": 2, "max_targets_per_inspector": 50,
            "sources": [{"name": "福彩双色球第2026141期开奖号码", "description": "中国福利彩票发行管理中心公布的全部号码",
                "kind": "numbers", "available_at": available_at}]})
    };
    let li = open.token("officer.li").await;
    assert_eq!(o.json("POST", cd, cd, &li, Some(json!({"task": task_in(""), "confirmed": true}))).await.0, 403);
    assert_eq!(o.json("POST", cd, cd, &wang, Some(json!({"task": task_in(""), "confirmed": false}))).await.0, 422);
    let mut bad = task_in("");
    bad["ratios"] = json!([2000, 0, 0, 0]);
    let (s, e) = o.json("POST", cd, cd, &wang, Some(json!({"task": bad, "confirmed": true}))).await;
    assert_eq!((s, e["error"]["fields"][0]["field"].as_str()), (422, Some("ratio_a")), "{e}");
    let (s, made) = o.json("POST", cd, cd, &wang, Some(json!({"task": task_in(""), "confirmed": true}))).await;
    assert_eq!(s, 201, "{made}");
    let at = format!("/api/v1/draws/{}/reveal", str_of(&made, "id"));
    assert_eq!(o.json("POST", rv, &at, &li, Some(json!({"values": ["3 9 14"]}))).await.0, 403);
    assert_eq!(o.json("POST", rv, &at, &wang, Some(json!({"values": ["x"]}))).await.0, 422);
    assert_eq!(o.json("POST", rv, &at, &wang, Some(json!({"values": ["3 9 14 22 27 31 8"]}))).await.0, 204);
    assert_eq!(o.json("POST", rv, &at, &wang, Some(json!({"values": ["3 9 14 22 27 31 8"]}))).await.0, 422);
    let (s, later) =
        o.json("POST", cd, cd, &wang, Some(json!({"task": task_in("2027-01-01 21:15"), "confirmed": true}))).await;
    assert_eq!(s, 201, "{later}");
    let at = format!("/api/v1/draws/{}/reveal", str_of(&later, "id"));
    assert_eq!(
        o.json("POST", rv, &at, &wang, Some(json!({"values": ["1 2 3"]}))).await.0,
        409,
        "before it is announced"
    );
    o.seen
}
