use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::totp;
use xinqiao_store::audit::Filter;

#[tokio::test]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    let app = TestApp::start().await;
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    let res = app.login(&c, "officer", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), Some("/"));
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("xq_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let home = app.page(&c, "/").await;
    assert!(home.contains("测试officer") && home.contains("客户体验官"));

    let csrf = csrf_of(&home);
    let no_csrf = c.post(app.url("/logout")).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN, "logout needs the session's CSRF token");
    let out = c.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(location(&out), Some("/login"));
    let after = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&after), Some("/login"), "the session is gone");
    let actions: Vec<String> = app
        .state
        .store
        .audit_entries(&Filter { action: Some("auth.".into()), limit: 10, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect();
    assert_eq!(actions, ["auth.logout", "auth.login"]);
}

#[tokio::test]
async fn login_form_errors_are_chinese_and_csrf_protected() {
    let app = TestApp::start().await;
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    let res = c.post(app.url("/login")).form(&[("username", "officer"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no CSRF token, no login");
    assert!(res.text().await.unwrap().contains("CSRF"));
    let res = app.login(&c, "officer", "Wrong-Password-1").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body = res.text().await.unwrap();
    assert!(body.contains("用户名或密码错误") && body.contains("value=\"officer\""), "name kept, error shown");
    let res = app.login(&c, "officer", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn navigation_fits_the_role() {
    let app = TestApp::start_on(xinqiao_store::Backend::Sqlite, false).await.unwrap();
    for (name, role) in
        [("officer", Role::Officer), ("sys", Role::SysAdmin), ("sec", Role::SecAdmin), ("aud", Role::AuditAdmin)]
    {
        app.user(name, &[role]).await;
    }
    let nav_of = |html: &str| {
        let start = html.find("id=\"main-nav\"").expect("nav");
        html[start..start + html[start..].find("</nav>").unwrap()].to_owned()
    };
    let expect = [
        ("officer", vec!["工作台", "账户安全"], vec!["用户管理", "机构", "安全策略", "审计日志"]),
        ("sys", vec!["用户管理"], vec!["安全策略", "审计日志"]),
        ("sec", vec!["用户管理", "安全策略"], vec!["审计日志"]),
        ("aud", vec!["审计日志"], vec!["用户管理", "安全策略"]),
    ];
    for (name, has, lacks) in expect {
        let c = app.client();
        app.login(&c, name, PASSWORD).await;
        let html = app.page(&c, "/").await;
        let nav = nav_of(&html);
        for item in has {
            assert!(nav.contains(item), "{name} sees {item}");
        }
        for item in lacks {
            assert!(!nav.contains(item), "{name} does not see {item}");
        }
        assert!(html.contains("演示模式"), "with the second factor off, the page says so");
    }
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = TestApp::start().await;
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    app.login(&c, "officer", PASSWORD).await;
    sqlx::query("UPDATE sessions SET last_seen_at = 0").execute(app.state.store.pool()).await.unwrap();
    let res = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&res), Some("/login?expired=1"));
    let login = app.page(&c, "/login?expired=1").await;
    assert!(login.contains("登录已超时"));
}

#[tokio::test]
async fn administrators_enrol_a_second_factor() {
    let app = TestApp::start().await;
    let sec = app.user("sec", &[Role::SecAdmin]).await;
    let c = app.client();
    let res = app.login(&c, "sec", PASSWORD).await;
    assert_eq!(location(&res), Some("/login/enrol"));
    assert_eq!(
        location(&c.get(app.url("/admin/security")).send().await.unwrap()),
        Some("/login/enrol"),
        "nothing before enrolment"
    );
    let page = app.page(&c, "/login/enrol").await;
    let start = page.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    let secret_text = &page[start..start + page[start..].find('<').unwrap()];
    let key = totp::decode_secret(secret_text).expect("a base32 secret");
    let bad = c
        .post(app.url("/login/enrol"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("code", "000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let code = app.code(&key, 0);
    let ok = c
        .post(app.url("/login/enrol"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&ok), Some("/"));
    assert!(app.state.store.user(&sec.id).await.unwrap().totp_enabled);
    assert!(app.page(&c, "/admin/security").await.contains("安全策略"));
}

#[tokio::test]
async fn wrong_totp_codes_count_toward_the_lock() {
    let app = TestApp::start().await;
    app.admin("aud", Role::AuditAdmin).await;
    let c = app.client();
    let page = app.page(&c, "/login").await;
    c.post(app.url("/login"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("username", "aud"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let totp_page = app.page(&c, "/login/totp").await;
    for i in 0..5 {
        let res = c
            .post(app.url("/login/totp"))
            .form(&[("csrf", csrf_of(&totp_page).as_str()), ("code", "123450")])
            .send()
            .await
            .unwrap();
        let want = if i < 4 { StatusCode::UNAUTHORIZED } else { StatusCode::LOCKED };
        assert_eq!(res.status(), want, "attempt {i}");
    }
    assert!(app.state.store.user_by_name("aud").await.unwrap().locked_until.is_some());
    assert_eq!(
        location(&c.get(app.url("/audit")).send().await.unwrap()),
        Some("/login"),
        "the half-done session ended"
    );
}

#[tokio::test]
async fn administrator_creates_a_user_who_must_change_the_password() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let c = app.client();
    app.login(&c, "sys", PASSWORD).await;
    let form = app.page(&c, "/admin/users/new").await;
    let csrf = csrf_of(&form);
    let bad = c
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "张三"),
            ("display_name", ""),
            ("password", "short"),
            ("roles", "officer"),
            ("uscc", "123"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for msg in ["用户名只能包含", "姓名应为1至32个字符", "密码至少需要10个字符", "统一社会信用代码应为18位"]
    {
        assert!(html.contains(msg), "{msg}");
    }
    assert!(html.contains("value=\"张三\""), "what was typed is kept");
    assert_eq!(app.state.store.user_count().await.unwrap(), 1, "nothing written");

    let created = c
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "officer.qian"),
            ("display_name", "钱体验"),
            ("password", "Qian-Initial-2026"),
            ("roles", "officer"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let detail = app.page(&c, location(&created).unwrap()).await;
    assert!(detail.contains("用户已创建") && detail.contains("客户体验官"));

    let officer = app.client();
    let res = app.login(&officer, "officer.qian", "Qian-Initial-2026").await;
    assert_eq!(location(&res), Some("/"));
    let home = officer.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&home), Some("/account/password"), "must choose a password first");
    let page = app.page(&officer, "/account/password").await;
    let csrf = csrf_of(&page);
    let weak = officer
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "Qian-Initial-2026"),
            ("new", "officer.qian-2026X"),
            ("confirm", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = weak.text().await.unwrap();
    assert!(html.contains("密码不能包含用户名") && html.contains("两次输入的新密码不一致"));
    let ok = officer
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "Qian-Initial-2026"),
            ("new", "Qian-Own-2026"),
            ("confirm", "Qian-Own-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&ok), Some("/account?changed=1"));
    assert_eq!(officer.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.login(&app.client(), "officer.qian", "Qian-Initial-2026").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn disabling_an_account_ends_its_session() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    let officer = app.user("officer", &[Role::Officer]).await;
    let (admin, victim) = (app.client(), app.client());
    app.login(&admin, "sys", PASSWORD).await;
    app.login(&victim, "officer", PASSWORD).await;
    let page = app.page(&admin, &format!("/admin/users/{}", officer.id)).await;
    let res = admin
        .post(app.url(&format!("/admin/users/{}/disable", officer.id)))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("已停用"));
    assert_eq!(location(&victim.get(app.url("/")).send().await.unwrap()), Some("/login"));
    let again = app.login(&app.client(), "officer", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert!(again.text().await.unwrap().contains("已停用"));
}

#[tokio::test]
async fn audit_page_filters_and_verifies() {
    let app = TestApp::start().await;
    app.admin("aud", Role::AuditAdmin).await;
    app.user("officer", &[Role::Officer]).await;
    app.login(&app.client(), "officer", "Wrong-Password-9").await;
    let c = app.client();
    app.login(&c, "aud", PASSWORD).await;
    let failures = app.page(&c, "/audit?outcome=failure").await;
    assert!(failures.contains("outcome-failure") && !failures.contains("outcome-success"), "only failures listed");
    let creations = app.page(&c, "/audit?action=user.&actor=console").await;
    assert!(creations.contains("创建用户") && !creations.contains(">登录<"));
    let bad_date = app.page(&c, "/audit?from=2026-13-01").await;
    assert!(bad_date.contains("开始日期应为"));
    let verified =
        c.post(app.url("/audit/verify")).form(&[("csrf", csrf_of(&failures).as_str())]).send().await.unwrap();
    let html = verified.text().await.unwrap();
    assert!(html.contains("审计链完整"), "{html}");
    let reads = app
        .state
        .store
        .audit_entries(&Filter { action: Some("audit.".into()), limit: 20, ..Default::default() })
        .await
        .unwrap();
    assert!(reads.iter().any(|e| e.record.action == "audit.verify"));
    assert!(reads.iter().filter(|e| e.record.action == "audit.read").count() >= 3, "reading the trail is recorded");
}

#[tokio::test]
async fn oversized_forms_are_refused_in_chinese() {
    let app = TestApp::start().await;
    let c = app.client();
    let big = "x".repeat(100 * 1024);
    let res = c.post(app.url("/login")).form(&[("username", big.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("提交的内容过大"));
}

#[tokio::test]
async fn security_policy_tightens_passwords() {
    let app = TestApp::start().await;
    app.admin("sec", Role::SecAdmin).await;
    let c = app.client();
    app.login(&c, "sec", PASSWORD).await;
    let page = app.page(&c, "/admin/security").await;
    let csrf = csrf_of(&page);
    let fields = |len: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("min_password_len", len.into()),
            ("min_char_classes", "3".into()),
            ("max_failed_logins", "5".into()),
            ("lock_minutes", "15".into()),
            ("idle_timeout_minutes", "30".into()),
        ]
    };
    let weak = c.post(app.url("/admin/security")).form(&fields("6")).send().await.unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = c.post(app.url("/admin/security")).form(&fields("14")).send().await.unwrap();
    assert!(ok.text().await.unwrap().contains("安全策略已保存"));
    let policy = xinqiao_web::auth::policy(&app.state).await;
    assert_eq!(policy.min_password_len, 14);
}

#[tokio::test]
async fn demo_seed_has_every_role() {
    let app = TestApp::start().await;
    demo_seed_has_every_role_on(&app).await;
}

/// The flow of `demo_seed_has_every_role`, on an app whose clock may start on any day.
pub async fn demo_seed_has_every_role_on(app: &TestApp) {
    let logins = xinqiao_web::demo::seed(&app.state.store).await.unwrap();
    let mut roles: Vec<Role> = logins.iter().map(|l| l.role).collect();
    roles.sort();
    roles.dedup();
    assert_eq!(roles, Role::ALL.to_vec());
    let reviewers = logins.iter().filter(|l| l.role == Role::Reviewer).count();
    assert_eq!(reviewers, 3, "enough 评审员 for an interview panel");
    let today = app.state.today();
    for l in logins.iter().filter(|l| matches!(l.role, Role::Officer | Role::Supervisor)) {
        let u = app.state.store.user_by_name(&l.username).await.unwrap();
        // 钱候选 is still applying for the qualification; everyone else holds a certificate.
        let certified = l.username != "candidate";
        assert_eq!(app.state.store.may_take_cases(&u.id, today).await.unwrap(), certified, "{}", l.username);
    }
    let orgs = app.state.store.list_orgs().await.unwrap();
    assert_eq!(orgs.len(), 4);
    assert_eq!(orgs.iter().filter(|o| o.parent_id.is_some()).count(), 3, "three district bureaus under the city");
    let officer = logins.iter().find(|l| l.role == Role::Officer).unwrap();
    let c = app.client();
    assert_eq!(location(&app.login(&c, &officer.username, &officer.password).await), Some("/"));
    assert_eq!(xinqiao_web::demo::seed_cases(&app.state).await.unwrap(), 7);
    let queue = app.page(&c, "/cases").await;
    assert!(queue.contains("调解中") && queue.contains("某某生鲜超市"), "the demo officer has work to show");
    assert!(queue.contains("先行和解中"), "a complaint waits with an ODR enterprise");
    assert_eq!(xinqiao_web::demo::seed_directories(&app.state).await.unwrap(), (36, 12));
    assert_eq!(app.state.store.targets_in_scope(&[], &["320500".into()]).await.unwrap().len(), 36);
    let admin = logins.iter().find(|l| l.role == Role::SysAdmin).unwrap();
    let res = app.login(&app.client(), &admin.username, &admin.password).await;
    assert_eq!(location(&res), Some("/login/enrol"), "outside demo mode the administrator must enrol");
}

#[tokio::test]
async fn a_borrowed_session_cannot_guess_the_current_password() {
    let app = TestApp::start().await;
    let officer = app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    app.login(&c, "officer", PASSWORD).await;
    let page = app.page(&c, "/account/password").await;
    let csrf = csrf_of(&page);
    for _ in 0..4 {
        let res = c
            .post(app.url("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", "Guess-Number-1"),
                ("new", "Brand-New-2026"),
                ("confirm", "Brand-New-2026"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = c
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "Guess-Number-1"),
            ("new", "Brand-New-2026"),
            ("confirm", "Brand-New-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), Some("/login"), "the fifth wrong guess locks the account and ends the session");
    assert!(app.state.store.user(&officer.id).await.unwrap().locked_until.is_some());
}

#[tokio::test]
async fn system_administrator_builds_the_bureau_tree() {
    let app = TestApp::start().await;
    app.admin("sys", Role::SysAdmin).await;
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    app.login(&c, "sys", PASSWORD).await;
    let page = app.page(&c, "/admin/orgs").await;
    let csrf = csrf_of(&page);
    let add = |code: &'static str, name: &'static str, parent: String| {
        let csrf = csrf.clone();
        let c = c.clone();
        let url = app.url("/admin/orgs");
        async move {
            c.post(url)
                .form(&[("csrf", csrf.as_str()), ("region_code", code), ("name", name), ("parent_id", parent.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(location(&add("320500", "苏州市市场监督管理局", String::new()).await), Some("/admin/orgs"));
    let city = app.state.store.list_orgs().await.unwrap()[0].id.clone();
    let bad = add("99x", "坏代码", String::new()).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("行政区划代码应为6位数字"));
    let outside = add("110101", "东城区", city.clone()).await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(location(&add("320508", "姑苏区市场监督管理局", city).await), Some("/admin/orgs"));
    let dup = add("320508", "重复", String::new()).await;
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.text().await.unwrap().contains("该行政区划已有机构"));
    let list = app.page(&c, "/admin/orgs").await;
    assert!(list.contains("姑苏区市场监督管理局") && list.contains("苏州市市场监督管理局"));

    let officer = app.client();
    app.login(&officer, "officer", PASSWORD).await;
    assert_eq!(officer.get(app.url("/admin/orgs")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}
