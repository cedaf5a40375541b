//! The OpenAPI conformance test's probe (a child of `openapi.rs`): it calls the served API, checks
//! each answer's status and body against the document fetched from the app, remembers what it saw
//! for the coverage check, and drives each operation into the client errors it documents.

use crate::helpers::*;
use crate::schema::Validator;
use reqwest::multipart::Form;
use reqwest::{Client, Method};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

pub(super) const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];
pub(super) const GYM: &str = "91110000600037341L";

pub(super) enum Body {
    None,
    Json(Value),
    Raw(&'static str, &'static str),
    Multipart(Form),
}

/// Calls the API and checks each answer against the document fetched from the app.
pub(super) struct Probe<'a> {
    pub(super) app: &'a TestApp,
    pub(super) spec: Value,
    pub(super) http: Client,
    /// (METHOD, path template) → statuses seen.
    pub(super) seen: BTreeMap<(String, String), BTreeSet<u16>>,
}

impl<'a> Probe<'a> {
    pub(super) async fn new(app: &'a TestApp) -> Self {
        let http = Client::new();
        let res = http.get(app.url("/api/openapi.json")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let spec: Value = res.json().await.unwrap();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3."), "an OpenAPI 3 document");
        Self { app, spec, http, seen: BTreeMap::new() }
    }

    /// Sends `method path` (an instance of `template`), checks the answer against the document
    /// and returns its status and JSON body (null when there is none).
    pub(super) async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> (u16, Value) {
        let prefix = template.split('{').next().unwrap();
        assert!(path.starts_with(prefix), "{path} is not an instance of {template}");
        let mut req = self.http.request(Method::from_bytes(method.as_bytes()).unwrap(), self.app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req = match body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Raw(content_type, text) => req.header("content-type", content_type).body(text),
            Body::Multipart(form) => req.multipart(form),
        };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let content_type =
            res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let retry_after = res.headers().contains_key("retry-after");
        let bytes = res.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let what = format!("{method} {path} → {status}");

        let op = &self.spec["paths"][template][method.to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the document");
        let responses = &op["responses"];
        let doc = responses.get(status.to_string()).or_else(|| responses.get("default"));
        let doc = doc.unwrap_or_else(|| panic!("{what} is not documented (documented: {responses}); body: {text}"));
        let mut body = Value::Null;
        match doc.get("content").and_then(Value::as_object) {
            Some(content) if !content.is_empty() && !content.contains_key("application/json") => {
                // A documented non-JSON answer (a CSV download): its media type must be the one given.
                let essence = content_type.split(';').next().unwrap_or_default().trim();
                assert!(content.contains_key(essence), "{what}: content type {content_type:?} is not documented");
            }
            Some(content) if !content.is_empty() => {
                assert!(content_type.starts_with("application/json"), "{what}: content type {content_type:?}: {text}");
                body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
                let media = content.get("application/json").unwrap_or_else(|| panic!("{what}: no JSON documented"));
                if let Some(schema) = media.get("schema") {
                    let errors = Validator::new(&self.spec).errors(schema, &body);
                    assert!(
                        errors.is_empty(),
                        "{what}: the body does not fit its schema:\n{}\n{text}",
                        errors.join("\n")
                    );
                }
            }
            _ => assert!(bytes.is_empty(), "{what}: documented without a body but answered {text}"),
        }
        if doc.get("headers").and_then(Value::as_object).is_some_and(|h| h.contains_key("Retry-After")) {
            assert!(retry_after, "{what}: Retry-After is documented but missing");
        }
        if status >= 400 {
            assert!(body["error"]["code"].is_string() && body["error"]["message"].is_string(), "{what}: {text}");
        }
        self.seen.entry((method.to_uppercase(), template.to_owned())).or_default().insert(status);
        (status, body)
    }

    /// Shorthand for a JSON call with a bearer token.
    pub(super) async fn json(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let body = body.map_or(Body::None, Body::Json);
        self.call(method, template, path, Some(token), &[], body).await
    }

    /// Every operation of the document.
    pub(super) fn operations(&self) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        for (path, item) in self.spec["paths"].as_object().unwrap() {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    out.push((m.to_uppercase(), path.clone(), op.clone()));
                }
            }
        }
        out
    }

    /// The errors every operation can be driven into without data: no token (401), a body that
    /// is not JSON (400) or not declared as JSON (415), a path segment that is not UTF-8 (400),
    /// an unknown query parameter (422); an operation documented without security is called
    /// without a token and must not answer 401. Each answer is checked like any other.
    /// Only the operations whose template starts with one of `under` are driven.
    pub(super) async fn drive_into_errors(&mut self, token: &str, under: &[&str]) {
        for (method, template, op) in self.operations() {
            if !under.iter().any(|u| template.starts_with(u)) {
                continue;
            }
            let documented = |s: &str| op["responses"].get(s).is_some();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let concrete = fill(&template, "x");
            let json_body = op["requestBody"]["content"].get("application/json").is_some();
            let any_body = op.get("requestBody").is_some();
            let body = || if json_body { Body::Json(json!({})) } else { Body::None };
            if op.get("security").is_none() {
                // Documented as open: no token is never answered 401 (and the answer is documented).
                let (s, b) = self.call(&method, &template, &concrete, None, &[], body()).await;
                assert_ne!(s, 401, "{method} {template} needs an account but documents no security: {b}");
            } else {
                assert!(documented("401"), "{method} {template}: 401 undocumented");
                let (s, b) = self.call(&method, &template, &concrete, None, &[], body()).await;
                assert_eq!((s, b["error"]["code"].as_str()), (401, Some("unauthorized")), "{method} {template}");
            }
            if json_body {
                let (s, b) = self
                    .call(&method, &template, &concrete, Some(token), &[], Body::Raw("application/json", "{"))
                    .await;
                assert_eq!((s, b["error"]["code"].as_str()), (400, Some("malformed_json")), "{method} {template}: {b}");
            }
            if any_body {
                let (s, b) =
                    self.call(&method, &template, &concrete, Some(token), &[], Body::Raw("text/plain", "{}")).await;
                assert_eq!(
                    (s, b["error"]["code"].as_str()),
                    (415, Some("unsupported_media_type")),
                    "{method} {template}"
                );
            }
            if params.iter().any(|p| p["in"] == "path") {
                let bad = fill(&template, "%FF%FE");
                let (s, b) = self.call(&method, &template, &bad, Some(token), &[], body()).await;
                assert_eq!((s, b["error"]["code"].as_str()), (400, Some("bad_path")), "{method} {template}: {b}");
                assert!(has_chinese(b["error"]["message"].as_str().unwrap()));
            }
            if params.iter().any(|p| p["in"] == "query") {
                let path = format!("{concrete}?no_such_parameter=1");
                let (s, b) = self.call(&method, &template, &path, Some(token), &[], body()).await;
                assert_eq!((s, b["error"]["code"].as_str()), (422, Some("validation")), "{method} {template}: {b}");
            }
        }
    }
}

/// `template` with every `{name}` replaced by `value`.
pub(super) fn fill(template: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').unwrap() + start;
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out + rest
}

pub(super) fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The names in a path template.
pub(super) fn template_names(template: &str) -> BTreeSet<String> {
    template.split('{').skip(1).map(|p| p.split('}').next().unwrap().to_owned()).collect()
}

pub(super) fn str_of(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")).to_owned()
}

/// An app whose public budgets do not get in the way of calling everything.
pub(super) async fn roomy_app() -> TestApp {
    TestApp::start_configured(|c| {
        c.public_posts_per_minute = 10_000;
        c.intake_per_hour = 10_000;
    })
    .await
}

pub(super) fn complaint(uscc: &str) -> Value {
    json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": uscc,
        "industry": "R", "region_code": "320508",
        "narrative": "我在健身房办了5000元的预付卡，上周突然关门。", "amount": "5000",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    })
}
