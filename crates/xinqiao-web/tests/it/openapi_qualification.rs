//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): 任职资格
//! in the main walk's app — the framework and parameters, an assessment from application to
//! certificate with an appeal, the roster, the annual review and a suspension.

use super::*;

/// 任职资格's operations, called with the main walk's probe and accounts.
pub(super) async fn qualification_walk(p: &mut Probe<'_>, app: &TestApp, boss: &str, cand: &str, sys: &str) {
    // 任职资格: the framework and the parameters.
    let f = "/api/v1/qualification/framework";
    let (s, fw) = p.json("GET", f, f, boss, None).await;
    assert_eq!(s, 200);
    let revised = str_of(&fw, "toml").replace("version = \"2026.1\"", "version = \"2026.2\"");
    assert_eq!(p.json("PUT", f, f, boss, Some(json!({"toml": revised}))).await.0, 200);
    assert_eq!(p.json("PUT", f, f, boss, Some(json!({"toml": revised}))).await.0, 422, "the version is taken");
    assert_eq!(p.json("PUT", f, f, cand, Some(json!({"toml": revised}))).await.0, 403);
    assert_eq!(p.json("GET", f, f, sys, None).await.0, 403);
    let q = "/api/v1/qualification/params";
    let (s, params) = p.json("GET", q, q, boss, None).await;
    assert_eq!(s, 200, "the answer carries require_certificate and fits the schema: {params}");
    assert_eq!(params["require_certificate"], true);
    let (s, again) = p.json("PUT", q, q, boss, Some(params.clone())).await;
    assert_eq!((s, &again), (200, &params));
    let mut small = params.clone();
    small["panel_size"] = json!(1);
    assert_eq!(p.json("PUT", q, q, boss, Some(small)).await.0, 422);
    let mut extra = params.clone();
    extra["colour"] = json!("red");
    assert_eq!(p.json("PUT", q, q, boss, Some(extra)).await.0, 422, "the schema closes the object, so does the server");
    assert_eq!(p.json("PUT", q, q, cand, Some(params)).await.0, 403);

    // An assessment from application to certificate, and an appeal.
    let list = "/api/v1/qualification/assessments";
    let (s, failed) = p.json("POST", list, list, cand, Some(dossier(app.today(), 2))).await;
    assert_eq!((s, failed["status"].as_str()), (201, Some("gates_failed")));
    let (s, a) = p.json("POST", list, list, cand, Some(dossier(app.today(), 5))).await;
    assert_eq!((s, a["status"].as_str()), (201, Some("in_progress")), "{a}");
    assert_eq!(p.json("POST", list, list, cand, Some(dossier(app.today(), 5))).await.0, 409);
    assert_eq!(p.json("POST", list, list, sys, Some(dossier(app.today(), 5))).await.0, 403);
    assert_eq!(p.json("GET", list, list, boss, None).await.0, 200);
    assert_eq!(p.json("GET", list, list, sys, None).await.0, 403);
    let id = str_of(&a, "id");
    let at = |tail: &str| format!("/api/v1/qualification/assessments/{id}{tail}");
    let tpl = |tail: &str| format!("/api/v1/qualification/assessments/{{id}}{tail}");
    assert_eq!(p.json("GET", &tpl(""), &at(""), cand, None).await.0, 200);
    assert_eq!(p.json("GET", &tpl(""), &format!("{list}/nope"), cand, None).await.0, 404);
    assert_eq!(p.json("POST", &tpl("/decide"), &at("/decide"), boss, None).await.0, 409, "no test handed in yet");
    let (s, paper) = p.json("GET", &tpl("/test"), &at("/test"), cand, None).await;
    assert_eq!(s, 200);
    assert_eq!(p.json("GET", &tpl("/test"), &at("/test"), boss, None).await.0, 403);
    let answers = json!({"answers": best_answers(&paper["questions"])});
    assert_eq!(p.json("POST", &tpl("/test"), &at("/test"), cand, Some(answers.clone())).await.0, 200);
    assert_eq!(p.json("POST", &tpl("/test"), &at("/test"), cand, Some(answers)).await.0, 409);
    assert_eq!(p.json("POST", &tpl("/panel"), &at("/panel"), cand, Some(json!({}))).await.0, 403);
    let (s, drawn) =
        p.json("POST", &tpl("/panel"), &at("/panel"), boss, Some(json!({"source": "2026-11-27 排列五 12345"}))).await;
    assert_eq!(s, 200, "{drawn}");
    assert_eq!(p.json("POST", &tpl("/panel"), &at("/panel"), boss, Some(json!({"source": "again"}))).await.0, 409);
    let mut reviewers = Vec::new();
    for m in drawn["members"].as_array().unwrap() {
        reviewers.push(app.token(&app.state.store.user(m.as_str().unwrap()).await.unwrap().username).await);
    }
    assert_eq!(
        p.json("POST", &tpl("/scores"), &at("/scores"), &reviewers[0], Some(json!({"scores": {"people_first": 4}})))
            .await
            .0,
        422
    );
    for (token, score) in reviewers.iter().zip([5, 4, 3]) {
        let (s, e) = p
            .json("POST", &tpl("/scores"), &at("/scores"), token, Some(json!({"scores": interview_scores(score)})))
            .await;
        assert_eq!(s, 204, "{e}");
    }
    assert_eq!(
        p.json("POST", &tpl("/scores"), &at("/scores"), boss, Some(json!({"scores": interview_scores(3)}))).await.0,
        403
    );
    assert_eq!(
        p.json("POST", &tpl("/evidence"), &at("/evidence"), boss, Some(json!({"evidence": evidence(4)}))).await.0,
        204
    );
    assert_eq!(
        p.json("POST", &tpl("/evidence"), &at("/evidence"), cand, Some(json!({"evidence": evidence(4)}))).await.0,
        403
    );
    let (s, e) = p.json("POST", &tpl("/decide"), &at("/decide"), boss, None).await;
    assert_eq!(s, 422, "the spread of 2 is discussed first: {e}");
    let flagged: Vec<String> = interview_scores(0).as_object().unwrap().keys().cloned().collect();
    let talk = json!({"criteria": flagged, "note": "评审组讨论后维持原评分"});
    assert_eq!(p.json("POST", &tpl("/discussion"), &at("/discussion"), cand, Some(talk.clone())).await.0, 403);
    assert_eq!(p.json("POST", &tpl("/discussion"), &at("/discussion"), boss, Some(talk)).await.0, 204);
    let (s, decided) = p.json("POST", &tpl("/decide"), &at("/decide"), boss, None).await;
    assert_eq!((s, decided["verdict"].as_str()), (200, Some("合格")), "{decided}");
    let number = str_of(&decided, "certificate");
    let appeal = json!({"reason": "对面谈评分有异议，请求重新评审"});
    assert_eq!(p.json("POST", &tpl("/appeal"), &at("/appeal"), boss, Some(appeal.clone())).await.0, 403);
    let (s, e) = p.json("POST", &tpl("/appeal"), &at("/appeal"), cand, Some(appeal.clone())).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(p.json("POST", &tpl("/appeal"), &at("/appeal"), cand, Some(appeal)).await.0, 409);

    // The roster, the annual review and a suspension.
    let r = "/api/v1/qualification/roster";
    let (s, roster) = p.json("GET", r, r, boss, None).await;
    assert_eq!(s, 200);
    assert!(roster.as_array().unwrap().iter().any(|l| l["number"] == number.as_str()));
    assert_eq!(p.json("GET", r, r, sys, None).await.0, 403);
    let rev = "/api/v1/qualification/certificates/{number}/review";
    let review_at = format!("/api/v1/qualification/certificates/{number}/review");
    let this_year = xinqiao_domain::time::civil_from_days(app.state.today().0).0;
    let (s, doc) = p.json("GET", rev, &format!("{review_at}?year={this_year}"), boss, None).await;
    assert_eq!((s, doc["year"].as_i64()), (200, Some(this_year)), "{doc}");
    assert_eq!(p.json("GET", rev, &format!("{review_at}?year=1999"), boss, None).await.0, 422);
    assert_eq!(p.json("GET", rev, &review_at, cand, None).await.0, 403);
    assert_eq!(p.json("GET", rev, "/api/v1/qualification/certificates/NOPE/review", boss, None).await.0, 404);
    let review = json!({"year": this_year, "upheld_complaints": 0, "missed_recusals": 0, "training_hours": 12.0, "note": "年度表现良好"});
    let (s, e) = p.json("POST", rev, &review_at, boss, Some(review.clone())).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(p.json("POST", rev, "/api/v1/qualification/certificates/NOPE/review", boss, Some(review)).await.0, 404);
    let ch = "/api/v1/qualification/certificates/{number}/{action}";
    let suspend = format!("/api/v1/qualification/certificates/{number}/suspend");
    assert_eq!(p.json("POST", ch, &suspend, boss, Some(json!({"reason": ""}))).await.0, 422);
    let (s, line) = p.json("POST", ch, &suspend, boss, Some(json!({"reason": "经查实向企业透露检查安排"}))).await;
    assert_eq!((s, line["status"].as_str()), (200, Some("suspended")), "{line}");
    assert_eq!(p.json("POST", ch, &suspend, cand, Some(json!({"reason": "x"}))).await.0, 403);
    assert_eq!(
        p.json("POST", ch, "/api/v1/qualification/certificates/NOPE/suspend", boss, Some(json!({"reason": "x"})))
            .await
            .0,
        404
    );
}
