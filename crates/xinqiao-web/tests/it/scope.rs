//! Every staff view is scoped to the viewer's bureau tree: the insights dashboard and its
//! exports, warnings and campaigns show a bureau its own and those below it — never a neighbour's
//! or another province's — and what lies outside answers 404.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::cases::CaseKind;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::NewCaseRow;
use xinqiao_store::warnings::NewWarning;

#[path = "scope_qualification.rs"]
mod qualification;

fn case(n: usize, region: &str, enterprise: &str) -> NewCaseRow {
    NewCaseRow {
        kind: CaseKind::Complaint,
        tracking_code: format!("S{n:07}"),
        access_key_hash: "hash".into(),
        region_code: region.into(),
        industry: Some('R'),
        enterprise_name: enterprise.into(),
        enterprise_uscc: None,
        narrative_masked: "预付卡退不了".into(),
        narrative_sealed: "v1.k1.sealed".into(),
        demand_masked: "退款".into(),
        amount_cents: None,
        event_day: None,
        consent_publish: false,
        received_day: test_today().0 - 1,
        rule_set: None,
        settle_until: None,
        category: Some("prepaid".into()),
        subject: None,
        attachments: Vec::new(),
        privacy: None,
        demand_privacy: None,
        identity: None,
    }
}

/// 苏州 (city) with 姑苏 and 吴中, and 北京 with 朝阳 as another province; cases in 姑苏 (3), 吴中
/// (2) and 朝阳 (4); one officer or supervisor per bureau.
async fn two_provinces(app: &TestApp) {
    let b = app.bureau().await;
    let s = &app.state.store;
    let console = Actor::console();
    let region = |c: &str| xinqiao_domain::ids::RegionCode::parse(c).unwrap();
    let beijing = s.create_org(&console, &region("110000"), "北京市市场监督管理局", None).await.unwrap();
    let chaoyang = s.create_org(&console, &region("110105"), "朝阳区市场监督管理局", Some(&beijing.id)).await.unwrap();
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    app.member("boss.city", &b.city, Role::Supervisor).await;
    app.member("boss.beijing", &beijing.id, Role::Supervisor).await;
    app.member("officer.chaoyang", &chaoyang.id, Role::Officer).await;
    let mut rows = Vec::new();
    for (region, n, enterprise) in
        [("320508", 3, "姑苏示例健身"), ("320506", 2, "吴中示例超市"), ("110105", 4, "朝阳示例影院")]
    {
        for _ in 0..n {
            rows.push(case(rows.len(), region, enterprise));
        }
    }
    s.intake(&console, &rows).await.unwrap();
}

async fn summary(app: &TestApp, c: &Client) -> String {
    let csv = c.get(app.url("/insights/export.csv?part=summary")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    csv.text().await.unwrap()
}

async fn signed_in(app: &TestApp, who: &str) -> Client {
    let c = app.client();
    app.login(&c, who, PASSWORD).await;
    c
}

#[tokio::test]
async fn the_dashboard_and_its_exports_count_only_the_viewers_tree() {
    let app = TestApp::start().await;
    two_provinces(&app).await;
    for (who, want, never) in [
        ("officer.gusu", 3, ["吴中示例超市", "朝阳示例影院"]),
        ("boss.wuzhong", 2, ["姑苏示例健身", "朝阳示例影院"]),
        ("boss.city", 5, ["朝阳示例影院", "朝阳示例影院"]),
        ("boss.beijing", 4, ["姑苏示例健身", "吴中示例超市"]),
    ] {
        let c = signed_in(&app, who).await;
        let s = summary(&app, &c).await;
        assert!(s.contains(&format!("收到诉求,{want}")), "{who}: {s}");
        let page = app.page(&c, "/insights").await;
        let csv = c.get(app.url("/insights/export.csv?part=enterprise")).send().await.unwrap().text().await.unwrap();
        for name in never {
            assert!(!page.contains(name) && !csv.contains(name), "{who} must not see {name}");
        }
    }
    // Asking for another province's region selects nothing rather than widening the view.
    let c = signed_in(&app, "officer.gusu").await;
    let s =
        c.get(app.url("/insights/export.csv?part=summary&bureau=110000")).send().await.unwrap().text().await.unwrap();
    assert!(s.contains("收到诉求,0"), "{s}");
    let page = app.page(&c, "/insights").await;
    assert!(!page.contains("value=\"110105\"") && !page.contains("value=\"320506\""), "no other bureau offered");
}

fn warning(region: &str, key: &str) -> NewWarning {
    NewWarning {
        rule: "prepaid_spike".into(),
        subject: format!("{key}@{region}"),
        bureau: region.into(),
        label: format!("{key} · 预付式消费"),
        window_end: test_today().0,
        observed: 6,
        expected: "0.50".into(),
        p_value: "1.4e-5".into(),
        case_ids: Vec::new(),
    }
}

#[tokio::test]
async fn warnings_and_campaigns_stay_in_their_bureau() {
    let app = TestApp::start().await;
    two_provinces(&app).await;
    let s = &app.state.store;
    let gusu = s.raise_warning(&warning("320508", "姑苏示例健身")).await.unwrap().unwrap();
    let chaoyang = s.raise_warning(&warning("110105", "朝阳示例影院")).await.unwrap().unwrap();

    let officer = signed_in(&app, "officer.gusu").await;
    let list = app.page(&officer, "/insights/warnings").await;
    assert!(list.contains("姑苏示例健身") && !list.contains("朝阳示例影院"), "{list}");
    let res = officer.get(app.url(&format!("/insights/warnings/{chaoyang}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        officer.get(app.url(&format!("/insights/warnings/{gusu}"))).send().await.unwrap().status(),
        StatusCode::OK
    );
    let city = signed_in(&app, "boss.city").await;
    assert!(app.page(&city, "/insights/warnings").await.contains("姑苏示例健身"), "the city sees its districts");
    // A supervisor cannot move another province's warning on.
    let page = app.page(&city, &format!("/insights/warnings/{gusu}")).await;
    let res = city
        .post(app.url(&format!("/insights/warnings/{chaoyang}/act")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("action", "acknowledge")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.warning(&chaoyang).await.unwrap().status, "open");

    // 吴中 measures a campaign in 吴中; 姑苏 neither sees it nor may start one there.
    let wuzhong = signed_in(&app, "boss.wuzhong").await;
    let page = app.page(&wuzhong, "/insights/campaigns").await;
    let fields = |bureau: &'static str| {
        vec![
            ("title", "预付卡专项整治"),
            ("kind", "inspection_wave"),
            ("start", "2026-11-01"),
            ("window_days", "14"),
            ("measure", "on_time"),
            ("bureau", bureau),
        ]
    };
    let mut form = vec![("csrf", csrf_of(&page))];
    form.extend(fields("").into_iter().map(|(k, v)| (k, v.to_owned())));
    let res = wuzhong.post(app.url("/insights/campaigns")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let url = location(&res).unwrap().to_owned();
    assert!(app.page(&wuzhong, &url).await.contains("吴中区市场监督管理局"), "left empty: the creator's bureau");
    let boss = signed_in(&app, "boss.gusu").await;
    assert!(!app.page(&boss, "/insights/campaigns").await.contains("预付卡专项整治"));
    assert_eq!(boss.get(app.url(&url)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let page = app.page(&boss, "/insights/campaigns").await;
    let mut form = vec![("csrf", csrf_of(&page))];
    form.extend(fields("320506").into_iter().map(|(k, v)| (k, v.to_owned())));
    let res = boss.post(app.url("/insights/campaigns")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("只能为本机构或下级机构"));
    assert!(app.page(&city, "/insights/campaigns").await.contains("预付卡专项整治"), "the city sees below it");

    // The API answers alike: not listed, not found, and not started in another tree.
    let id = url.rsplit('/').next().unwrap().to_owned();
    let token = app.token("boss.gusu").await;
    let api = Client::new();
    let list: serde_json::Value =
        api.get(app.url("/api/v1/campaigns")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().iter().all(|c| c["id"] != id.as_str()), "{list}");
    let res = api.get(app.url(&format!("/api/v1/campaigns/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body = serde_json::json!({"title": "预付卡专项整治", "kind": "inspection_wave", "start": "2026-11-01",
        "window_days": 14, "measure": "on_time", "bureau": "320506"});
    let res = api.post(app.url("/api/v1/campaigns")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let city_token = app.token("boss.city").await;
    let res = api.get(app.url(&format!("/api/v1/campaigns/{id}"))).bearer_auth(&city_token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the city reads below it");
}

/// A supervisor's scan covers every bureau, but tells them only of the warnings of their tree.
#[tokio::test]
async fn a_scan_reports_only_the_warnings_of_the_scanners_tree() {
    let app = TestApp::start().await;
    two_provinces(&app).await;
    let wuzhong = signed_in(&app, "boss.wuzhong").await;
    let page = app.page(&wuzhong, "/insights/warnings").await;
    let res = wuzhong
        .post(app.url("/insights/warnings/scan"))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let said = res.text().await.unwrap();
    let raised = app.state.store.warnings(&[], None, 50).await.unwrap();
    let theirs = raised.iter().filter(|w| w.w.bureau == "320506").count();
    assert!(
        raised.len() > theirs,
        "the scan raised warnings elsewhere: {:?}",
        raised.iter().map(|w| &w.w.bureau).collect::<Vec<_>>()
    );
    assert!(said.contains(&format!("新增预警 {theirs} 条")), "{theirs} of {}: {said}", raised.len());
}

/// Posts a roster action through the page, as a supervisor would.
#[tokio::test]
async fn a_declared_tie_closes_identity_files_and_actions_until_a_supervisor_allows_it() {
    use reqwest::multipart::{Form, Part};
    use xinqiao_domain::cases::independence::{Tie, TieKind};
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let li = app.member("officer.li", &b.gusu, Role::Officer).await;
    let boss_id = app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    let tie = |uscc: &str| Tie {
        kind: TieKind::FellowTownsman,
        enterprise_uscc: Some(uscc.into()),
        enterprise_name: None,
        person_index: None,
    };
    app.state.store.declare_tie(&Actor::console(), &li, &tie("91110000600037341L"), "老乡").await.unwrap();
    app.state.store.declare_tie(&Actor::console(), &boss_id, &tie("91110000600037341L"), "同学").await.unwrap();
    app.member("boss2.gusu", &b.gusu, Role::Supervisor).await;
    // A complaint about the enterprise, with a photo.
    let public = app.client();
    let form_page = app.page(&public, "/submit").await;
    let form = Form::new()
        .text("csrf", csrf_of(&form_page))
        .text("kind", "complaint")
        .text("enterprise_name", "苏州姑苏示例健身管理有限公司")
        .text("uscc", "91110000600037341L")
        .text("industry", "R")
        .text("region_code", "320508")
        .text("narrative", "健身房关门跑路，预付卡余额退不了，附上收据照片。")
        .text("demand", "退还余额")
        .text("name", "李秀英")
        .text("mobile", "13812345678")
        .text("address", "苏州市姑苏区人民路88号")
        .part("attachments", Part::bytes(crate::settlement::jpeg_with_gps()).file_name("收据.jpg"));
    let res = public.post(app.url("/submit")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    let file = app.state.store.attachments(&case.id).await.unwrap().remove(0).id;

    let c = signed_in(&app, "officer.li").await;
    let page = app.page(&c, &format!("/cases/{}", case.id)).await;
    assert!(page.contains("id=\"tie-bar\"") && !page.contains("id=\"reveal-contact\""), "{page}");
    assert!(!page.contains(&format!("/files/{file}")) && !page.contains("id=\"case-act\""));
    let csrf = csrf_of(&page);
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let c = c.clone();
        let csrf = csrf.clone();
        let url = app.url(&path);
        async move {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    let id = case.id.clone();
    let identity = post(format!("/cases/{id}/identity"), vec![("purpose", "电话联系投诉人".into())]).await;
    assert_eq!(identity.status(), StatusCode::FORBIDDEN);
    assert!(identity.text().await.unwrap().contains("老乡"));
    assert_eq!(
        post(format!("/cases/{id}/act"), vec![("action", "accept".into())]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(format!("/cases/{id}/note"), vec![("text", "想问问情况".into())]).await.status(),
        StatusCode::FORBIDDEN
    );
    let download = c.get(app.url(&format!("/cases/{id}/files/{file}"))).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::FORBIDDEN);
    let denied = xinqiao_store::audit::Filter { action: Some("access.denied".into()), limit: 20, ..Default::default() };
    assert!(app.state.store.audit_entries(&denied).await.unwrap().len() >= 4, "every refusal is audited");
    assert!(app.state.store.case_events(&id, false).await.unwrap().iter().all(|e| !e.note.contains("想问问")));

    // A tied supervisor may neither act nor let anyone in; another supervisor lets officer.li in.
    let tied_boss = signed_in(&app, "boss.gusu").await;
    let page = app.page(&tied_boss, &format!("/cases/{id}")).await;
    let res = tied_boss
        .post(app.url(&format!("/cases/{id}/tie-override")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("user_id", li.as_str()), ("reason", "本局仅此一人懂健身行业")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let boss2 = signed_in(&app, "boss2.gusu").await;
    let page = app.page(&boss2, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"tie-overrides\"") && page.contains("测试officer.li"), "{page}");
    let res = boss2
        .post(app.url(&format!("/cases/{id}/tie-override")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("user_id", li.as_str()), ("reason", "短")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    let res = boss2
        .post(app.url(&format!("/cases/{id}/tie-override")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("user_id", li.as_str()), ("reason", "本局仅此一人懂健身行业")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let granted =
        xinqiao_store::audit::Filter { action: Some("case.tie_override".into()), limit: 5, ..Default::default() };
    assert_eq!(app.state.store.audit_entries(&granted).await.unwrap().len(), 1);
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(!page.contains("id=\"tie-bar\"") && page.contains("id=\"reveal-contact\""));
    let identity = post(format!("/cases/{id}/identity"), vec![("purpose", "电话联系投诉人".into())]).await;
    assert_eq!(identity.status(), StatusCode::OK);
    assert!(identity.text().await.unwrap().contains("13812345678"));
}

#[tokio::test]
async fn an_administrators_reset_is_told_at_sign_in_and_administrators_orgs_stay_put() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let boss = app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.admin("admin", Role::SysAdmin).await;
    let auditor = app.admin("auditor", Role::AuditAdmin).await;
    app.state.store.set_org(&Actor::console(), &auditor.id, Some(&b.city)).await.unwrap();
    let admin = app.client();
    app.login(&admin, "admin", PASSWORD).await;

    // The temporary password forces a change, and the page names who reset it and when.
    let page = app.page(&admin, &format!("/admin/users/{boss}")).await;
    let res = admin
        .post(app.url(&format!("/admin/users/{boss}/password")))
        .form(&[("csrf", csrf_of(&page).as_str()), ("password", "Temp-Passw0rd-2026")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let c = app.client();
    let res = app.login(&c, "boss.gusu", "Temp-Passw0rd-2026").await;
    assert_eq!(location(&res), Some("/"));
    let home = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&home), Some("/account/password"), "nothing else until the password is changed");
    let page = app.page(&c, "/account/password").await;
    assert!(page.contains("由 admin 重置") && page.contains("立即联系安全管理员"), "{page}");
    let today = app.today().to_string();
    assert!(page.contains(&today), "when: {page}");

    // Another administrator's organisation is not the sysadmin's to change (page and API).
    let page = app.page(&admin, &format!("/admin/users/{}", auditor.id)).await;
    let res = admin
        .post(app.url(&format!("/admin/users/{}/org", auditor.id)))
        .form(&[("csrf", csrf_of(&page).as_str()), ("org_id", b.gusu.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let token = app.token("admin").await;
    let res = Client::new()
        .patch(app.url(&format!("/api/v1/users/{}", auditor.id)))
        .bearer_auth(&token)
        .json(&serde_json::json!({"org_id": b.gusu}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(app.state.store.user(&auditor.id).await.unwrap().org_id.as_deref(), Some(b.city.as_str()));
}

#[tokio::test]
async fn public_posts_have_a_per_client_budget() {
    let app = TestApp::start_configured(|c| {
        c.intake_per_hour = 2;
        c.public_posts_per_minute = 3;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    app.bureau().await;
    let body = serde_json::json!({
        "kind": "suggestion", "enterprise_name": "", "region_code": "320508",
        "narrative": "建议在服务大厅增加老年人专用窗口。"
    });
    let submit = |from: &'static str| {
        Client::new().post(app.url("/api/v1/cases")).header("x-forwarded-for", from).json(&body).send()
    };
    assert_eq!(submit("203.0.113.7").await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(submit("203.0.113.7").await.unwrap().status(), StatusCode::CREATED);
    let res = submit("203.0.113.7").await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(body["error"]["message"].as_str().unwrap().contains("提交诉求过于频繁"));
    assert_eq!(submit("198.51.100.9").await.unwrap().status(), StatusCode::CREATED, "another client's own budget");
    let all = xinqiao_store::cases::CaseFilter { limit: 100, ..Default::default() };
    let stored = app.state.store.list_cases(&all).await.unwrap().len();
    assert_eq!(stored, 3, "nothing written for the refused one");
    // The public form answers a page; tracking has its own budget.
    let track = || {
        Client::new()
            .post(app.url("/track"))
            .header("x-forwarded-for", "203.0.113.7")
            .form(&[("code", "x"), ("key", "y")])
            .send()
    };
    for _ in 0..3 {
        assert_eq!(track().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    let page = track().await.unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().await.unwrap().contains("操作过于频繁"));
}

#[tokio::test]
async fn the_auditor_downloads_a_signed_checkpoint_others_may_not() {
    let app = TestApp::start().await;
    app.admin("auditor", Role::AuditAdmin).await;
    app.admin("admin", Role::SysAdmin).await;
    let auditor = app.client();
    app.login(&auditor, "auditor", PASSWORD).await;
    let page = app.page(&auditor, "/audit").await;
    assert!(page.contains("id=\"download-checkpoint\""));
    let res = auditor
        .post(app.url("/audit/checkpoint.json"))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("xinqiao-audit-checkpoint-"));
    let c: xinqiao_domain::audit::Checkpoint = res.json().await.unwrap();
    assert!(app.state.store.verify_checkpoint(&c).await.unwrap().holds());
    let admin = app.client();
    app.login(&admin, "admin", PASSWORD).await;
    let home = app.page(&admin, "/").await;
    let res =
        admin.post(app.url("/audit/checkpoint.json")).form(&[("csrf", csrf_of(&home).as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "三员分立: only the audit administrator");
}
