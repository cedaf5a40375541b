//! Part of the OpenAPI conformance test (a child of `openapi.rs`, whose probe it uses): the
//! document's own rules — each path parameter named in its template and only there, `limit` above
//! its maximum refused in Chinese, every error of /api/v1 JSON with a stable code.

use super::*;

#[tokio::test]
async fn the_document_names_each_path_parameter_in_its_template_and_only_there() {
    let app = TestApp::start().await;
    let p = Probe::new(&app).await;
    let mut problems = Vec::new();
    for (method, template, op) in p.operations() {
        let names = template_names(&template);
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let in_path: BTreeSet<String> =
            params.iter().filter(|x| x["in"] == "path").map(|x| str_of(x, "name")).collect();
        for name in names.difference(&in_path) {
            problems.push(format!("{method} {template}: `{name}` is in the template but not declared in: path"));
        }
        for name in in_path.difference(&names) {
            problems.push(format!("{method} {template}: `{name}` is declared in: path but not in the template"));
        }
        for x in &params {
            if x["in"] == "path" && x["required"] != true {
                problems.push(format!("{method} {template}: path parameter {} is not required", x["name"]));
            }
            if x["in"] != "path" && names.contains(x["name"].as_str().unwrap()) {
                problems
                    .push(format!("{method} {template}: `{}` is both in the template and in {}", x["name"], x["in"]));
            }
        }
        let mut keys = BTreeSet::new();
        for x in &params {
            if !keys.insert((x["in"].to_string(), x["name"].to_string())) {
                problems.push(format!("{method} {template}: parameter {} twice", x["name"]));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The operations the issue named take their filters from the query.
    for (path, names) in [
        ("/api/v1/audit", &["actor", "action", "outcome", "from", "to", "before", "limit"][..]),
        ("/api/v1/inspection-results", &["q", "limit"][..]),
        ("/api/v1/qualification/certificates/{number}/review", &["year"][..]),
    ] {
        let params = p.spec["paths"][path]["get"]["parameters"].as_array().unwrap();
        for name in names {
            let x = params.iter().find(|x| x["name"] == *name).unwrap_or_else(|| panic!("{path} {name}"));
            assert_eq!(
                (x["in"].as_str(), x["required"].as_bool().unwrap_or(false)),
                (Some("query"), false),
                "{path} {x}"
            );
        }
    }
    // ParamsDoc is one closed object, not an allOf whose first part forbids the second.
    let params_doc = &p.spec["components"]["schemas"]["ParamsDoc"];
    assert!(params_doc.get("allOf").is_none(), "{params_doc}");
    assert_eq!(params_doc["additionalProperties"], false);
    assert!(params_doc["properties"]["require_certificate"].is_object());
    // Every $ref resolves.
    let text = p.spec.to_string();
    for part in text.split("\"$ref\":\"").skip(1) {
        let target = part.split('"').next().unwrap();
        assert!(p.spec.pointer(target.trim_start_matches('#')).is_some(), "dangling $ref {target}");
    }
}

#[tokio::test]
async fn a_limit_above_the_documented_maximum_is_refused_in_chinese() {
    let app = TestApp::start().await;
    app.admin("aud", Role::AuditAdmin).await;
    let aud = app.token("aud").await;
    let mut p = Probe::new(&app).await;
    for path in ["/api/v1/audit", "/api/v1/inspection-results"] {
        let limit = p.spec["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == "limit")
            .unwrap()
            .clone();
        assert_eq!(
            (limit["schema"]["minimum"].as_i64(), limit["schema"]["maximum"].as_i64()),
            (Some(1), Some(1000)),
            "{limit}"
        );
        for (value, ok) in [("1001", false), ("5000", false), ("0", false), ("-1", false), ("1000", true), ("1", true)]
        {
            let (s, body) = p.json("GET", path, &format!("{path}?limit={value}"), &aud, None).await;
            if ok {
                assert_eq!(s, 200, "{path} limit={value}: {body}");
                continue;
            }
            assert_eq!(s, 422, "{path} limit={value}");
            let message = str_of(&body["error"], "message");
            assert!(has_chinese(&message) && message.contains("1000"), "{message}");
            assert_eq!(body["error"]["fields"][0]["field"], "limit");
        }
    }
}

#[tokio::test]
async fn every_error_of_the_api_is_json_with_a_stable_code() {
    let app = TestApp::start().await;
    let http = Client::new();
    let token = {
        app.user("cand", &[Role::Officer]).await;
        app.token("cand").await
    };
    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (http.get(app.url("/api/v1/nothing-here")), 404, "no_route"),
        (http.get(app.url("/api/v1/%FF")), 404, "no_route"),
        (http.get(app.url("/api/v1/me/")), 404, "no_route"),
        (http.delete(app.url("/api/v1/me")).bearer_auth(&token), 405, "method_not_allowed"),
        (http.get(app.url("/api/v1/qa/%C3%28")), 400, "bad_path"),
        (http.get(app.url("/api/v1/cases/%FF")), 400, "bad_path"),
        (
            http.post(app.url("/api/v1/qa/lint")).header("content-type", "application/json").body("{\"text\":"),
            400,
            "malformed_json",
        ),
        (
            http.post(app.url("/api/v1/qa/lint")).header("content-type", "text/plain").body("{}"),
            415,
            "unsupported_media_type",
        ),
        (http.post(app.url("/api/v1/cases/X/supplement")).json(&json!({})), 415, "unsupported_media_type"),
        (http.post(app.url("/api/v1/qa/lint")).json(&json!({"text": 1})), 422, "validation"),
        (http.get(app.url("/api/v1/qa?audience=elderly")), 422, "validation"),
        (http.get(app.url("/api/v1/inspection-results?limit=many")), 422, "validation"),
        (http.get(app.url("/api/v1/me")).bearer_auth("xq_forged"), 401, "unauthorized"),
        (http.get(app.url("/api/v1/users")).bearer_auth(&token), 403, "forbidden"),
    ];
    for (req, status, code) in cases {
        let res = req.send().await.unwrap();
        let url = res.url().to_string();
        assert_eq!(res.status().as_u16(), status, "{url}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("application/json"), "{url}: {ct}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{url}: {body}");
        assert!(has_chinese(body["error"]["message"].as_str().unwrap()), "{url}: {body}");
    }
    // The public budget (2 a minute here): the third answer is a documented 429 with Retry-After.
    let app = TestApp::start_configured(|c| c.public_posts_per_minute = 2).await;
    app.user("cand", &[Role::Officer]).await;
    let mut p = Probe::new(&app).await;
    let l = "/api/v1/qa/lint";
    let statuses = [
        p.call("POST", l, l, None, &[], Body::Json(json!({"text": "你好"}))).await.0,
        p.call("POST", l, l, None, &[], Body::Json(json!({"text": "你好"}))).await.0,
        p.call("POST", l, l, None, &[], Body::Json(json!({"text": "你好"}))).await.0,
    ];
    assert_eq!(statuses, [200, 200, 429]);
    let t = "/api/v1/auth/token";
    let (s, body) =
        p.call("POST", t, t, None, &[], Body::Json(json!({"username": "cand", "password": PASSWORD}))).await;
    assert_eq!((s, body["error"]["code"].as_str()), (429, Some("too_many_requests")), "{body}");

    // A full disk: a documented 503 with Retry-After, on writes with and without an account.
    let app = roomy_app().await;
    app.bureau().await;
    app.admin("sys", Role::SysAdmin).await;
    let sys = app.token("sys").await;
    let mut p = Probe::new(&app).await;
    // No free pages left inside the file (earlier deletes leave some), so the limit bites.
    sqlx::raw_sql("VACUUM").execute(app.state.store.pool()).await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(app.state.store.pool()).await.unwrap();
    app.state.store.limit_sqlite_pages(Some(pages as u64));
    let c = "/api/v1/cases";
    let mut unavailable = 0;
    for _ in 0..8 {
        let (s, body) = p.call("POST", c, c, None, &[], Body::Json(complaint(""))).await;
        if s == 503 {
            assert_eq!(body["error"]["code"], "disk_full", "{body}");
            unavailable += 1;
        }
    }
    assert!(unavailable > 0, "the disk never filled");
    // A small row may still fit a page with room left; the pages fill within a few accounts.
    let u = "/api/v1/users";
    let mut refused = None;
    for i in 0..40 {
        let new_user = json!({"username": format!("newbie{i}"), "display_name": "新同事",
            "password": "Xinqiao-2026!ok", "roles": ["officer"]});
        let (s, body) = p.json("POST", u, u, &sys, Some(new_user)).await;
        assert!(s == 201 || s == 503, "{s} {body}");
        if s == 503 {
            refused = Some(body);
            break;
        }
    }
    let body = refused.expect("an account's write on a full disk answers 503");
    assert_eq!(body["error"]["code"], "disk_full", "{body}");
    app.state.store.limit_sqlite_pages(None);
}
