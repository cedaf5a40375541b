//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 政策问答, the
//! public search and entries, a case's links and draft, the plain-language lint, and the staff's
//! drafts, versions and lifecycle (the editor's service), each with a success and its client errors.

use super::*;

/// Publishes the seeded registry and walks the Q&A operations; `code` is a case the supervisor
/// `boss` may act on.
pub(super) async fn qa_walk(p: &mut Probe<'_>, app: &TestApp, code: &str, boss: &str, sys: &str) {
    let store = &app.state.store;
    let case_at = |s: &str| format!("/api/v1/cases/{code}/{s}");
    // 政策问答.
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    for e in store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1000).await.unwrap() {
        store
            .set_entry_status(
                &Actor::console(),
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await
            .unwrap();
    }
    let (s, hits) =
        p.call("GET", "/api/v1/qa", "/api/v1/qa?q=预付卡退款&audience=consumer", None, &[], Body::None).await;
    assert_eq!(s, 200);
    let entry = str_of(&hits[0], "id");
    let ql = "/api/v1/cases/{code}/qa-links";
    assert_eq!(p.json("POST", ql, &case_at("qa-links"), boss, Some(json!({"entry": entry}))).await.0, 204);
    assert_eq!(p.json("POST", ql, &case_at("qa-links"), boss, Some(json!({"entry": "nope"}))).await.0, 422);
    assert_eq!(p.json("POST", ql, &case_at("qa-links"), sys, Some(json!({"entry": entry}))).await.0, 403);
    let qd = "/api/v1/cases/{code}/qa-draft";
    let (s, d) = p.json("POST", qd, &case_at("qa-draft"), boss, None).await;
    assert_eq!(s, 201, "{d}");
    assert_eq!(p.json("POST", qd, "/api/v1/cases/NOPE/qa-draft", boss, None).await.0, 404);
    assert_eq!(p.call("GET", "/api/v1/qa", "/api/v1/qa?q=x&audience=elderly", None, &[], Body::None).await.0, 422);
    let (s, _) = p.call("GET", "/api/v1/qa/{id}", &format!("/api/v1/qa/{entry}"), None, &[], Body::None).await;
    assert_eq!(s, 200);
    assert_eq!(p.call("GET", "/api/v1/qa/{id}", "/api/v1/qa/nope", None, &[], Body::None).await.0, 404);
    let l = "/api/v1/qa/lint";
    let (s, findings) = p
        .call(
            "POST",
            l,
            l,
            None,
            &[],
            Body::Json(
                json!({"text": "根据相关规定，经营者应当依法履行相应义务并承担相应责任，消费者可以依法主张权利。"}),
            ),
        )
        .await;
    assert_eq!(s, 200, "{findings}");
    assert_eq!(p.call("POST", l, l, None, &[], Body::Json(json!({"text": "字".repeat(20_001)}))).await.0, 422);

    // 政策问答: the staff's drafts, versions and lifecycle (the editor's service).
    let qe = "/api/v1/qa/entries";
    let draft = json!({"question": "预付卡可以转让吗？", "answer": "可以问商家是否同意转让，并保留好凭证。", "audience": ["consumer"]});
    let (s, created) = p.json("POST", qe, qe, boss, Some(draft.clone())).await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(p.json("POST", qe, qe, sys, Some(draft.clone())).await.0, 403);
    assert_eq!(p.json("POST", qe, qe, boss, Some(json!({"question": "", "answer": ""}))).await.0, 422);
    let qid = str_of(&created, "id");
    let one = "/api/v1/qa/entries/{id}";
    let at = format!("/api/v1/qa/entries/{qid}");
    let seen = json!({"version": created["version"], "entry": draft});
    let (s, revised) = p.json("PUT", one, &at, boss, Some(seen.clone())).await;
    assert_eq!(s, 200, "{revised}");
    assert_eq!(p.json("PUT", one, &at, boss, Some(seen)).await.0, 409, "a newer version was saved");
    assert_eq!(p.json("PUT", one, "/api/v1/qa/entries/nope", boss, Some(json!({"entry": draft}))).await.0, 404);
    assert_eq!(p.json("PUT", one, &at, sys, Some(json!({"entry": draft}))).await.0, 403);
    let empty = json!({"entry": {"question": "", "answer": ""}});
    assert_eq!(p.json("PUT", one, &at, boss, Some(empty)).await.0, 422);
    let qa = "/api/v1/qa/entries/{id}/actions";
    let qa_at = format!("{at}/actions");
    let (s, e) = p.json("POST", qa, &qa_at, boss, Some(json!({"action": "submit"}))).await;
    assert_eq!((s, e["status"].as_str()), (200, Some("review")), "{e}");
    assert_eq!(p.json("POST", qa, &qa_at, boss, Some(json!({"action": "approve"}))).await.0, 409, "not one's own");
    assert_eq!(p.json("POST", qa, &qa_at, boss, Some(json!({"action": "fly"}))).await.0, 422);
    assert_eq!(p.json("POST", qa, &qa_at, sys, Some(json!({"action": "submit"}))).await.0, 403);
    let nope = "/api/v1/qa/entries/nope/actions";
    assert_eq!(p.json("POST", qa, nope, boss, Some(json!({"action": "submit"}))).await.0, 404);
}
