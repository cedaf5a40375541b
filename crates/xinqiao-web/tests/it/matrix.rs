//! Every staff endpoint, page and API, for every role and for someone not signed in: who is
//! let through, who gets 403 (and an audit entry), and who is sent to sign in. The table is
//! the platform's permission map written out by hand; a new route must be added to it.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

/// Who may use an endpoint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    /// 客户体验官 and 主管.
    Handle,
    /// 主管 only.
    Supervise,
    /// 企业用户.
    Portal,
    /// 系统管理员 and 安全管理员.
    ListUsers,
    /// 系统管理员.
    SysAdmin,
    /// 安全管理员.
    SecAdmin,
    /// 系统管理员 or 安全管理员 (roles: business roles by the one, any by the other).
    Grant,
    /// 审计管理员.
    Auditor,
    /// 客户体验官, 主管 and 评审员 (任职资格).
    Qualify,
    /// 评审员.
    Review,
    /// Anyone signed in.
    Anyone,
}

fn allowed(who: Who, role: Role) -> bool {
    use Role::*;
    match who {
        Who::Handle => matches!(role, Officer | Supervisor),
        Who::Supervise => role == Supervisor,
        Who::Portal => role == Enterprise,
        Who::ListUsers | Who::Grant => matches!(role, SysAdmin | SecAdmin),
        Who::SysAdmin => role == SysAdmin,
        Who::SecAdmin => role == SecAdmin,
        Who::Auditor => role == AuditAdmin,
        Who::Qualify => matches!(role, Officer | Supervisor | Reviewer),
        Who::Review => role == Reviewer,
        Who::Anyone => true,
    }
}

const ROLES: [(&str, Role); 7] = [
    ("officer.li", Role::Officer),
    ("supervisor.wang", Role::Supervisor),
    ("reviewer.chen", Role::Reviewer),
    ("gym", Role::Enterprise),
    ("sys", Role::SysAdmin),
    ("sec", Role::SecAdmin),
    ("aud", Role::AuditAdmin),
];

#[tokio::test]
async fn every_page_endpoint_for_every_role() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    for (name, role) in ROLES {
        match role {
            Role::SysAdmin | Role::SecAdmin | Role::AuditAdmin => drop(app.admin(name, role).await),
            Role::Enterprise => drop(app.user(name, &[role]).await),
            _ => drop(app.member(name, &b.gusu, role).await),
        }
    }
    let target = app.member("target.user", &b.gusu, Role::Officer).await;
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508", "narrative": "健身房关门，预付卡退不了。", "demand": "退款",
        "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let case = app.state.store.case_by_tracking_code(&code).await.unwrap().id;
    let file = "00000000-0000-0000-0000-000000000000";
    let task = crate::inspections::committed_task(&app).await;

    let get = |path: String, who: Who| ("GET", path, who, Vec::<(&'static str, &'static str)>::new());
    let post = |path: String, who: Who, form: &[(&'static str, &'static str)]| ("POST", path, who, form.to_vec());
    let endpoints = vec![
        get("/".into(), Who::Anyone),
        get("/account".into(), Who::Anyone),
        get("/account/password".into(), Who::Anyone),
        get("/cases".into(), Who::Handle),
        get(format!("/cases/{case}"), Who::Handle),
        get(format!("/cases/{case}/files/{file}"), Who::Handle),
        post(format!("/cases/{case}/act"), Who::Handle, &[("action", "assign"), ("assignee", "nobody")]),
        post(format!("/cases/{case}/identity"), Who::Handle, &[("purpose", "电话联系投诉人")]),
        post(format!("/cases/{case}/recuse"), Who::Handle, &[("reason", "老乡")]),
        post(format!("/cases/{case}/privacy"), Who::Handle, &[("op", "none")]),
        post("/cases/privacy-setting".into(), Who::Supervise, &[("required", "x")]),
        post(format!("/cases/{case}/pause"), Who::Handle, &[("reason", "testing")]),
        post(format!("/cases/{case}/resume"), Who::Handle, &[]),
        post(format!("/cases/{case}/note"), Who::Handle, &[("text", "已联系商家")]),
        get("/worklog".into(), Who::Handle),
        post("/worklog".into(), Who::Handle, &[("solved", "调解一件"), ("said", ""), ("learned", "")]),
        get("/ties".into(), Who::Handle),
        post("/ties".into(), Who::Handle, &[("kind", "friend"), ("enterprise_name", "某公司")]),
        post("/ties/industries".into(), Who::Handle, &[("industry", "R")]),
        get("/integrity".into(), Who::Handle),
        post("/integrity".into(), Who::Handle, &[("kind", "gift")]),
        get("/integrity/bureau".into(), Who::Supervise),
        get("/deferred".into(), Who::Handle),
        post("/deferred".into(), Who::Handle, &[("matter", "")]),
        post(format!("/deferred/{file}/supplied"), Who::Handle, &[]),
        post("/deferred/policy".into(), Who::Supervise, &[("days_to_supply", "0")]),
        get("/odr".into(), Who::Supervise),
        post("/odr".into(), Who::Supervise, &[("name", "示例公司"), ("uscc", "bad")]),
        post("/odr/leave".into(), Who::Supervise, &[("uscc", "91110000600037341L")]),
        post("/odr/policy".into(), Who::Supervise, &[("days", "7")]),
        get("/enterprise".into(), Who::Portal),
        get(format!("/enterprise/cases/{case}"), Who::Portal),
        post(format!("/enterprise/cases/{case}/reply"), Who::Portal, &[("reply", "已联系顾客办理退款。")]),
        post(format!("/enterprise/cases/{case}/settlement"), Who::Portal, &[("proposal", "退还余额一半。")]),
        get("/ledger".into(), Who::Portal),
        get("/ledger/export.csv".into(), Who::Portal),
        get("/ledger/lookup?code=6901234567892".into(), Who::Portal),
        get(format!("/ledger/entries/{file}"), Who::Portal),
        post("/ledger/entries".into(), Who::Portal, &[("kind", "purchase")]),
        post(format!("/ledger/entries/{file}/correct"), Who::Portal, &[("reason", "")]),
        get(format!("/ledger/entries/{file}/voucher"), Who::Portal),
        post("/ledger/parties".into(), Who::Portal, &[("name", "")]),
        post("/ledger/import".into(), Who::Portal, &[]),
        post(format!("/ledger/recalls/{file}/confirm"), Who::Portal, &[]),
        get("/bureau/trace".into(), Who::Handle),
        post("/bureau/recalls".into(), Who::Handle, &[("kind", "x")]),
        get(format!("/bureau/recalls/{file}"), Who::Handle),
        get(format!("/bureau/recalls/{file}/export.csv"), Who::Handle),
        get("/admin/users".into(), Who::ListUsers),
        get("/admin/users/new".into(), Who::SysAdmin),
        post("/admin/users".into(), Who::SysAdmin, &[("username", "x")]),
        get(format!("/admin/users/{target}"), Who::ListUsers),
        post(format!("/admin/users/{target}/roles"), Who::Grant, &[("roles", "officer")]),
        post(format!("/admin/users/{target}/org"), Who::SysAdmin, &[("org_id", "")]),
        post(format!("/admin/users/{target}/disable"), Who::SysAdmin, &[]),
        post(format!("/admin/users/{target}/enable"), Who::SysAdmin, &[]),
        post(format!("/admin/users/{target}/password"), Who::SysAdmin, &[("password", "short")]),
        post(format!("/admin/users/{target}/totp-reset"), Who::SecAdmin, &[]),
        get("/admin/orgs".into(), Who::ListUsers),
        post("/admin/orgs".into(), Who::SysAdmin, &[("region_code", "bad"), ("name", "x")]),
        get("/admin/open311".into(), Who::SysAdmin),
        post("/admin/open311".into(), Who::SysAdmin, &[("org_id", "none"), ("label", "随手拍")]),
        post(format!("/admin/open311/{file}/revoke"), Who::SysAdmin, &[]),
        get("/admin/security".into(), Who::SecAdmin),
        post("/admin/security".into(), Who::SecAdmin, &[("min_length", "1")]),
        get("/inspections".into(), Who::Handle),
        get("/inspections/new".into(), Who::Supervise),
        post("/inspections".into(), Who::Supervise, &[("title", "")]),
        get(format!("/inspections/{task}"), Who::Handle),
        post(format!("/inspections/{task}/reveal"), Who::Supervise, &[("value_0", "")]),
        post(format!("/inspections/{task}/results"), Who::Handle, &[("uscc", "none"), ("category", "no_problem")]),
        post(format!("/inspections/{task}/publish"), Who::Supervise, &[]),
        get("/knowledge".into(), Who::Handle),
        get("/knowledge/new".into(), Who::Handle),
        post("/knowledge".into(), Who::Handle, &[("question", "")]),
        get(format!("/knowledge/{file}"), Who::Handle),
        post(format!("/knowledge/{file}/act"), Who::Handle, &[("action", "submit")]),
        get("/knowledge/digest?from=2026-11-01&to=2026-11-07".into(), Who::Handle),
        get("/knowledge/synonyms".into(), Who::Supervise),
        post("/knowledge/synonyms".into(), Who::Supervise, &[("lines", "x")]),
        post("/knowledge/vocabulary".into(), Who::Supervise, &[("vocabulary", "x")]),
        get("/knowledge/gaps".into(), Who::Supervise),
        post("/knowledge/gaps/draft".into(), Who::Supervise, &[("question", "")]),
        get("/laws".into(), Who::Handle),
        post("/laws/none/versions".into(), Who::Supervise, &[("version", "x")]),
        post(format!("/cases/{case}/qa"), Who::Handle, &[("entry", "none")]),
        post(format!("/cases/{case}/qa-draft"), Who::Handle, &[]),
        get("/insights".into(), Who::Handle),
        get("/insights/export.csv?part=category".into(), Who::Handle),
        get("/insights/export.xlsx".into(), Who::Handle),
        post(format!("/cases/{case}/classify"), Who::Handle, &[("category", "prepaid")]),
        get("/insights/taxonomy".into(), Who::Handle),
        post("/insights/taxonomy".into(), Who::Supervise, &[("text", "not toml")]),
        post("/insights/publicity".into(), Who::Supervise, &[("minimum", "5")]),
        get("/insights/warnings".into(), Who::Handle),
        post("/insights/warnings/scan".into(), Who::Supervise, &[]),
        get(format!("/insights/warnings/{file}"), Who::Handle),
        post(format!("/insights/warnings/{file}/act"), Who::Supervise, &[("action", "acknowledge")]),
        get("/insights/campaigns".into(), Who::Handle),
        post("/insights/campaigns".into(), Who::Supervise, &[("title", "")]),
        get(format!("/insights/campaigns/{file}"), Who::Handle),
        get("/audit".into(), Who::Auditor),
        post("/audit/verify".into(), Who::Auditor, &[]),
        get("/qualification".into(), Who::Qualify),
        get("/qualification/apply".into(), Who::Handle),
        post("/qualification/apply".into(), Who::Handle, &[("current_post", "")]),
        post("/qualification/ties".into(), Who::Review, &[("candidate", "nobody"), ("kind", "relative")]),
        get("/qualification/framework".into(), Who::Qualify),
        post("/qualification/framework".into(), Who::Supervise, &[("toml", "not toml")]),
        post("/qualification/params".into(), Who::Supervise, &[("test_minutes", "0")]),
        get("/qualification/roster".into(), Who::Qualify),
        post("/qualification/roster/register".into(), Who::Supervise, &[("username", "nobody"), ("issued", "x")]),
        post("/qualification/certificates/KHTYG-320508-2026-99999/suspend".into(), Who::Supervise, &[("reason", "x")]),
        get("/qualification/certificates/KHTYG-320508-2026-99999/review".into(), Who::Qualify),
        post("/qualification/certificates/KHTYG-320508-2026-99999/review".into(), Who::Supervise, &[("year", "2026")]),
        get(format!("/qualification/assessments/{file}"), Who::Qualify),
        get(format!("/qualification/assessments/{file}/test"), Who::Qualify),
        post(format!("/qualification/assessments/{file}/test"), Who::Qualify, &[]),
        post(format!("/qualification/assessments/{file}/panel"), Who::Supervise, &[("source", "")]),
        post(format!("/qualification/assessments/{file}/scores"), Who::Review, &[]),
        post(format!("/qualification/assessments/{file}/evidence"), Who::Supervise, &[]),
        post(format!("/qualification/assessments/{file}/discussion"), Who::Supervise, &[("note", "x")]),
        post(format!("/qualification/assessments/{file}/decide"), Who::Supervise, &[]),
        post(format!("/qualification/assessments/{file}/appeal"), Who::Qualify, &[("reason", "x")]),
    ];

    // Not signed in: every one of them sends the person to sign in, and changes nothing.
    let anon = app.client();
    for (method, path, _, form) in &endpoints {
        if path == "/" {
            // `/` is the public home for someone not signed in (issue 18), with nothing of staff.
            let home = anon.get(app.url(path)).send().await.unwrap();
            assert_eq!(home.status(), StatusCode::OK);
            assert!(!home.text().await.unwrap().contains("工作台"));
            continue;
        }
        let req = if *method == "GET" { anon.get(app.url(path)) } else { anon.post(app.url(path)).form(form) };
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "anonymous {method} {path}");
        assert_eq!(location(&res), Some("/login"), "anonymous {method} {path}");
    }

    let mut refused = 0;
    for (name, role) in ROLES {
        let c = app.client();
        app.login(&c, name, PASSWORD).await;
        let csrf = csrf_of(&app.page(&c, "/").await);
        for (method, path, who, form) in &endpoints {
            let req = if *method == "GET" {
                c.get(app.url(path))
            } else {
                let mut f = vec![("csrf", csrf.as_str())];
                f.extend(form.iter().copied());
                c.post(app.url(path)).form(&f)
            };
            let res = req.send().await.unwrap();
            let status = res.status();
            if allowed(*who, role) {
                assert!(
                    status != StatusCode::FORBIDDEN && status.as_u16() < 500 && location(&res) != Some("/login"),
                    "{name} {method} {path}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{name} {method} {path}");
                refused += 1;
            }
        }
    }
    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 1000, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(denied.len(), refused, "every refusal is recorded");
}

#[tokio::test]
async fn every_api_endpoint_for_every_role() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    for (name, role) in ROLES {
        match role {
            Role::SysAdmin | Role::SecAdmin | Role::AuditAdmin => drop(app.admin(name, role).await),
            Role::Enterprise => drop(app.user(name, &[role]).await),
            _ => drop(app.member(name, &b.gusu, role).await),
        }
    }
    let target = app.member("target.user", &b.gusu, Role::Officer).await;
    let user_url = format!("/api/v1/users/{target}");
    let new_user = json!({"username": "x", "display_name": "x", "password": "short", "roles": []});
    let assessment = "/api/v1/qualification/assessments/00000000-0000-0000-0000-000000000000";
    let certificate = "/api/v1/qualification/certificates/KHTYG-320508-2026-99999";
    let endpoints: Vec<(&str, String, Who, Option<Value>)> = vec![
        ("GET", "/api/v1/me".into(), Who::Anyone, None),
        ("GET", "/api/v1/orgs".into(), Who::Anyone, None),
        ("GET", "/api/v1/users".into(), Who::ListUsers, None),
        ("POST", "/api/v1/users".into(), Who::SysAdmin, Some(new_user)),
        ("GET", user_url.clone(), Who::ListUsers, None),
        ("PATCH", user_url.clone(), Who::SysAdmin, Some(json!({"org_id": ""}))),
        ("PATCH", user_url, Who::Grant, Some(json!({"roles": ["officer"]}))),
        ("GET", "/api/v1/integrity".into(), Who::Handle, None),
        (
            "POST",
            "/api/v1/integrity".into(),
            Who::Handle,
            Some(
                json!({"kind": "gift", "date": "2026-11-10", "enterprise_name": "某公司", "happened": "检查时对方送礼品。", "action": "退回"}),
            ),
        ),
        ("GET", "/api/v1/integrity/bureau".into(), Who::Supervise, None),
        ("GET", "/api/v1/audit".into(), Who::Auditor, None),
        ("POST", "/api/v1/audit/verify".into(), Who::Auditor, None),
        ("GET", "/api/v1/ledger".into(), Who::Portal, None),
        ("POST", "/api/v1/ledger/entries".into(), Who::Portal, Some(json!({}))),
        ("POST", "/api/v1/ledger/entries/none/correction".into(), Who::Portal, Some(json!({}))),
        ("POST", "/api/v1/ledger/parties".into(), Who::Portal, Some(json!({}))),
        ("GET", "/api/v1/ledger/export.csv".into(), Who::Portal, None),
        ("POST", "/api/v1/ledger/recalls/none/confirm".into(), Who::Portal, None),
        ("GET", "/api/v1/bureau/ledgers/bad?reference=x".into(), Who::Handle, None),
        ("POST", "/api/v1/bureau/trace".into(), Who::Handle, Some(json!({"code": ""}))),
        ("POST", "/api/v1/bureau/recalls".into(), Who::Handle, Some(json!({"kind": "x"}))),
        ("GET", "/api/v1/bureau/recalls/none".into(), Who::Handle, None),
        ("GET", "/api/v1/bureau/recalls/none/export.csv".into(), Who::Handle, None),
        ("GET", "/api/v1/qualification/framework".into(), Who::Qualify, None),
        ("PUT", "/api/v1/qualification/framework".into(), Who::Supervise, Some(json!({"toml": "bad"}))),
        ("GET", "/api/v1/qualification/params".into(), Who::Qualify, None),
        (
            "PUT",
            "/api/v1/qualification/params".into(),
            Who::Supervise,
            Some(
                json!({"test_minutes": 0, "panel_size": 3, "appeal_days": 15, "validity_years": 2, "require_certificate": true}),
            ),
        ),
        ("GET", "/api/v1/qualification/assessments".into(), Who::Qualify, None),
        ("POST", "/api/v1/qualification/assessments".into(), Who::Handle, Some(json!({"current_post": ""}))),
        ("GET", assessment.to_string(), Who::Qualify, None),
        ("GET", format!("{assessment}/test"), Who::Qualify, None),
        ("POST", format!("{assessment}/test"), Who::Qualify, Some(json!({"answers": {}}))),
        ("POST", format!("{assessment}/panel"), Who::Supervise, Some(json!({}))),
        ("POST", format!("{assessment}/scores"), Who::Review, Some(json!({"scores": {}}))),
        ("POST", format!("{assessment}/evidence"), Who::Supervise, Some(json!({"evidence": {}}))),
        ("POST", format!("{assessment}/discussion"), Who::Supervise, Some(json!({"criteria": [], "note": ""}))),
        ("POST", format!("{assessment}/decide"), Who::Supervise, None),
        ("POST", format!("{assessment}/appeal"), Who::Qualify, Some(json!({"reason": ""}))),
        ("GET", "/api/v1/qualification/roster".into(), Who::Qualify, None),
        ("POST", format!("{certificate}/suspend"), Who::Supervise, Some(json!({"reason": "x"}))),
        ("GET", format!("{certificate}/review"), Who::Supervise, None),
        (
            "POST",
            format!("{certificate}/review"),
            Who::Supervise,
            Some(
                json!({"year": 2026, "upheld_complaints": 0, "missed_recusals": 0, "training_hours": 0.0, "note": ""}),
            ),
        ),
    ];
    let c = Client::new();
    let send = |method: &str, path: &str, body: &Option<Value>, token: Option<&str>| {
        let mut req = c.request(method.parse().unwrap(), app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send()
    };
    for (method, path, _, body) in &endpoints {
        let res = send(method, path, body, None).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "anonymous {method} {path}");
        assert_eq!(error_code(res).await, "unauthorized");
    }
    let mut refused = 0;
    for (name, role) in ROLES {
        let token = app.token(name).await;
        for (method, path, who, body) in &endpoints {
            let res = send(method, path, body, Some(&token)).await.unwrap();
            let status = res.status();
            if allowed(*who, role) {
                assert!(status != StatusCode::FORBIDDEN && status.as_u16() < 500, "{name} {method} {path}: {status}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{name} {method} {path}");
                assert_eq!(error_code(res).await, "forbidden");
                refused += 1;
            }
        }
    }
    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 1000, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(denied.len(), refused, "every refusal is recorded");
}
