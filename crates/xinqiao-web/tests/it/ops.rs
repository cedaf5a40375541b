use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn health_ready_and_metrics() {
    let app = TestApp::start().await;
    let c = app.client();
    assert_eq!(c.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().text().await.unwrap(), "ready");
    c.get(app.url("/nowhere")).send().await.unwrap();
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_http_requests_total{class=\"2xx\"} 2"), "{metrics}");
    assert!(metrics.contains("xinqiao_http_requests_total{class=\"4xx\"} 1"), "{metrics}");
    assert!(metrics.contains("backend=\"sqlite\""));
}

#[tokio::test]
async fn security_headers_and_chinese_404() {
    let app = TestApp::start().await;
    let res = app.client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store");
    let body = res.text().await.unwrap();
    assert!(body.contains("页面不存在"), "{body}");
    assert!(!body.contains("<script>"), "no inline script");
}

#[tokio::test]
async fn static_assets_are_cached_and_typed() {
    let app = TestApp::start().await;
    let res = app.client().get(app.url("/static/app.css")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let missing = app.client().get(app.url("/static/evil.js")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let app = TestApp::start().await;
    let doc: serde_json::Value =
        app.client().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut seen = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete =
                path.replace("{id}", "00000000-0000-0000-0000-000000000000").replace("{code}", "2611-K7M3-9QXD-HF");
            let res = app
                .client()
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body = res.text().await.unwrap();
            assert!(
                !body.contains("\"no_route\"") && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not served ({status})"
            );
            seen.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    seen.sort();
    // The API's routes are registered only through the documented router; this list must grow
    // with it, so an undocumented route cannot slip in unnoticed.
    assert_eq!(
        seen,
        [
            "DELETE /api/v1/me/tokens/{id}",
            "DELETE /api/v1/odr/{uscc}",
            "GET /api/v1/annual-report/campaign",
            "GET /api/v1/annual-report/guide",
            "GET /api/v1/audit",
            "GET /api/v1/bureau/ledgers/{uscc}",
            "GET /api/v1/bureau/recalls/{id}",
            "GET /api/v1/bureau/recalls/{id}/export.csv",
            "GET /api/v1/calendar",
            "GET /api/v1/campaigns",
            "GET /api/v1/campaigns/{id}",
            "GET /api/v1/cases/closure-review-setting",
            "GET /api/v1/cases/{code}",
            "GET /api/v1/confidential",
            "GET /api/v1/confidential/{id}",
            "GET /api/v1/confidential/{id}/files/{seq}",
            "GET /api/v1/confidential/{id}/files/{seq}/pages/{page}",
            "GET /api/v1/deferred",
            "GET /api/v1/deferred/policy",
            "GET /api/v1/deferred/{id}",
            "GET /api/v1/draws/{id}",
            "GET /api/v1/enterprise/annual-report",
            "GET /api/v1/enterprise/cases",
            "GET /api/v1/enterprise/cases/{code}",
            "GET /api/v1/enterprise/deferred",
            "GET /api/v1/enterprise/incidents",
            "GET /api/v1/incidents",
            "GET /api/v1/incidents/{id}",
            "GET /api/v1/incidents/{id}/drills/{drill}",
            "GET /api/v1/incidents/{id}/evidence",
            "GET /api/v1/incidents/{id}/evidence/{evidence}/image",
            "GET /api/v1/incidents/{id}/review",
            "GET /api/v1/incidents/{id}/statements",
            "GET /api/v1/inspection-results",
            "GET /api/v1/integrity",
            "GET /api/v1/integrity/bureau",
            "GET /api/v1/laws",
            "GET /api/v1/ledger",
            "GET /api/v1/ledger/cases/{code}/batches",
            "GET /api/v1/ledger/enterprises/{uscc}/entries/{id}/voucher",
            "GET /api/v1/ledger/entries/{id}/voucher",
            "GET /api/v1/ledger/export.csv",
            "GET /api/v1/me",
            "GET /api/v1/me/notices",
            "GET /api/v1/me/tokens",
            "GET /api/v1/odr",
            "GET /api/v1/open311/keys",
            "GET /api/v1/orgs",
            "GET /api/v1/qa",
            "GET /api/v1/qa/gaps",
            "GET /api/v1/qa/words",
            "GET /api/v1/qa/{id}",
            "GET /api/v1/qualification/assessments",
            "GET /api/v1/qualification/assessments/{id}",
            "GET /api/v1/qualification/assessments/{id}/test",
            "GET /api/v1/qualification/certificates/{number}/review",
            "GET /api/v1/qualification/framework",
            "GET /api/v1/qualification/params",
            "GET /api/v1/qualification/roster",
            "GET /api/v1/security-policy",
            "GET /api/v1/taxonomy",
            "GET /api/v1/ties",
            "GET /api/v1/users",
            "GET /api/v1/users/{id}",
            "GET /api/v1/warnings",
            "GET /api/v1/warnings/{id}",
            "GET /api/v1/worklog",
            "PATCH /api/v1/users/{id}",
            "POST /api/v1/audit/verify",
            "POST /api/v1/auth/token",
            "POST /api/v1/bureau/recalls",
            "POST /api/v1/bureau/trace",
            "POST /api/v1/calendar/notices",
            "POST /api/v1/campaigns",
            "POST /api/v1/cases",
            "POST /api/v1/cases/preview",
            "POST /api/v1/cases/{code}/actions",
            "POST /api/v1/cases/{code}/classification",
            "POST /api/v1/cases/{code}/closure-review",
            "POST /api/v1/cases/{code}/identity",
            "POST /api/v1/cases/{code}/notes",
            "POST /api/v1/cases/{code}/pause",
            "POST /api/v1/cases/{code}/privacy-review",
            "POST /api/v1/cases/{code}/qa-draft",
            "POST /api/v1/cases/{code}/qa-links",
            "POST /api/v1/cases/{code}/rating",
            "POST /api/v1/cases/{code}/recusal",
            "POST /api/v1/cases/{code}/resume",
            "POST /api/v1/cases/{code}/settlement",
            "POST /api/v1/cases/{code}/supplement",
            "POST /api/v1/cases/{code}/tie-override",
            "POST /api/v1/confidential",
            "POST /api/v1/confidential/{id}/commitment",
            "POST /api/v1/confidential/{id}/files",
            "POST /api/v1/deferred",
            "POST /api/v1/deferred/{id}/ended",
            "POST /api/v1/deferred/{id}/supplied",
            "POST /api/v1/draws",
            "POST /api/v1/draws/verify",
            "POST /api/v1/draws/{id}/reveal",
            "POST /api/v1/draws/{id}/verify",
            "POST /api/v1/enterprise/annual-report/filed",
            "POST /api/v1/enterprise/cases/{code}/proposal",
            "POST /api/v1/enterprise/cases/{code}/reply",
            "POST /api/v1/enterprise/incidents/{id}/secrets",
            "POST /api/v1/incidents",
            "POST /api/v1/incidents/{id}/drills",
            "POST /api/v1/incidents/{id}/drills/{drill}/findings",
            "POST /api/v1/incidents/{id}/evidence",
            "POST /api/v1/incidents/{id}/links",
            "POST /api/v1/incidents/{id}/measures",
            "POST /api/v1/incidents/{id}/measures/{measure}/completion",
            "POST /api/v1/incidents/{id}/measures/{measure}/extension",
            "POST /api/v1/incidents/{id}/measures/{measure}/laboratory",
            "POST /api/v1/incidents/{id}/measures/{measure}/testing",
            "POST /api/v1/incidents/{id}/media",
            "POST /api/v1/incidents/{id}/products",
            "POST /api/v1/incidents/{id}/promises",
            "POST /api/v1/incidents/{id}/promises/{promise}/kept",
            "POST /api/v1/incidents/{id}/secrets",
            "POST /api/v1/incidents/{id}/statements",
            "POST /api/v1/incidents/{id}/statements/{statement}/publish",
            "POST /api/v1/inspections/{id}/publish",
            "POST /api/v1/inspections/{id}/results",
            "POST /api/v1/integrity",
            "POST /api/v1/laws/{id}/versions",
            "POST /api/v1/ledger/cases/{code}/batches",
            "POST /api/v1/ledger/entries",
            "POST /api/v1/ledger/entries/{id}/correction",
            "POST /api/v1/ledger/import",
            "POST /api/v1/ledger/parties",
            "POST /api/v1/ledger/recalls/{id}/confirm",
            "POST /api/v1/me/notices/{id}/dismiss",
            "POST /api/v1/me/tokens",
            "POST /api/v1/odr",
            "POST /api/v1/open311/keys",
            "POST /api/v1/open311/keys/{id}/revoke",
            "POST /api/v1/orgs",
            "POST /api/v1/qa/entries",
            "POST /api/v1/qa/entries/{id}/actions",
            "POST /api/v1/qa/gaps/drafts",
            "POST /api/v1/qa/lint",
            "POST /api/v1/qualification/assessments",
            "POST /api/v1/qualification/assessments/{id}/appeal",
            "POST /api/v1/qualification/assessments/{id}/decide",
            "POST /api/v1/qualification/assessments/{id}/discussion",
            "POST /api/v1/qualification/assessments/{id}/evidence",
            "POST /api/v1/qualification/assessments/{id}/panel",
            "POST /api/v1/qualification/assessments/{id}/scores",
            "POST /api/v1/qualification/assessments/{id}/test",
            "POST /api/v1/qualification/assessor-ties",
            "POST /api/v1/qualification/certificates/{number}/review",
            "POST /api/v1/qualification/certificates/{number}/{action}",
            "POST /api/v1/ties",
            "POST /api/v1/users",
            "POST /api/v1/users/{id}/password",
            "POST /api/v1/users/{id}/totp-reset",
            "POST /api/v1/warnings/scan",
            "POST /api/v1/warnings/{id}/actions",
            "POST /api/v1/worklog",
            "PUT /api/v1/cases/closure-review-setting",
            "PUT /api/v1/cases/privacy-review-setting",
            "PUT /api/v1/deferred/policy",
            "PUT /api/v1/incidents/{id}/evidence/{evidence}/redaction",
            "PUT /api/v1/incidents/{id}/review",
            "PUT /api/v1/incidents/{id}/team",
            "PUT /api/v1/me/password",
            "PUT /api/v1/odr/policy",
            "PUT /api/v1/qa/entries/{id}",
            "PUT /api/v1/qa/words/synonyms",
            "PUT /api/v1/qa/words/vocabulary",
            "PUT /api/v1/qualification/framework",
            "PUT /api/v1/qualification/params",
            "PUT /api/v1/security-policy",
            "PUT /api/v1/stats/minimum",
            "PUT /api/v1/taxonomy",
            "PUT /api/v1/ties/industries",
        ]
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn runs_on_postgres_too() {
    let Some(app) = TestApp::start_on(xinqiao_store::Backend::Postgres, true).await else {
        eprintln!("XINQIAO_TEST_PG not set: PostgreSQL variant skipped");
        return;
    };
    assert_eq!(app.client().get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    app.user("officer.pg", &[xinqiao_domain::accounts::Role::Officer]).await;
    let c = app.client();
    let res = app.login(&c, "officer.pg", PASSWORD).await;
    assert_eq!(location(&res), Some("/"));
    let home = app.page(&c, "/").await;
    assert!(home.contains("客户体验官"));
    app.stop().await;
}

#[tokio::test]
async fn graceful_stop_returns() {
    let app = TestApp::start().await;
    assert_eq!(app.client().get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let addr = app.addr;
    app.stop().await;
    assert!(reqwest::get(format!("http://{addr}/healthz")).await.is_err(), "no longer listening");
}
