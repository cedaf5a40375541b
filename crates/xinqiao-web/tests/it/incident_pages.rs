//! The staff pages of 突发事件 over HTTP: an officer opens an incident, adds a sealing measure and
//! drafts a statement; the page names what stops publication; a supervisor publishes it and the
//! public page shows it without sign-in; a neighbouring bureau's officer gets 404.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;

#[tokio::test]
async fn from_the_staff_pages_to_the_public_statement() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let officer = app.client();
    app.login(&officer, "officer.gusu", PASSWORD).await;
    let list = app.page(&officer, "/incidents").await;
    assert!(list.contains("突发事件") && list.contains("尚无事件"));
    let csrf = csrf_of(&list);
    let res = officer
        .post(app.url("/incidents"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "奶茶异物"),
            ("enterprise_name", "示例奶茶店"),
            ("enterprise_uscc", ""),
        ])
        .send()
        .await
        .unwrap();
    let path = location(&res).expect("redirected to the incident").to_owned();
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let c = officer.clone();
        let url = app.url(&path);
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(
        format!("{path}/measures"),
        vec![
            ("csrf", csrf.clone()),
            ("title", "封存同批次产品".into()),
            ("clock", "sealing".into()),
            ("started_on", "2026-11-06".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    post(format!("{path}/secrets"), vec![("csrf", csrf.clone()), ("term", "糖浆配比".into())]).await;
    post(
        format!("{path}/statements"),
        vec![("csrf", csrf.clone()), ("facts", "糖浆配比无异常，异物为塑料片。".into()), ("measures", "".into())],
    )
    .await;
    let page = app.page(&officer, &path).await;
    assert!(page.contains("2026-12-06") && page.contains("剩余 20 天"), "the sealing clock is shown");
    assert!(page.contains("未经官方原文核实"));
    assert!(page.contains("含有企业申报的商业秘密：“糖浆配比”"), "the refusal is named before publication");
    assert!(!page.contains("class=\"publish\""), "the drafter is offered no publish button");
    post(
        format!("{path}/statements"),
        vec![("csrf", csrf.clone()), ("facts", "经查，异物为员工掉落的塑料片。".into())],
    )
    .await;

    let boss = app.client();
    app.login(&boss, "boss.gusu", PASSWORD).await;
    let page = app.page(&boss, &path).await;
    let actions: Vec<String> = page
        .split("action=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|a| a.ends_with("/publish"))
        .map(str::to_owned)
        .collect();
    assert_eq!(actions.len(), 2, "the second person is offered both drafts");
    let holds_secret = |action: &str| {
        let sid = action.trim_end_matches("/publish").rsplit('/').next().unwrap();
        let at = page.find(&format!("id=\"st-{sid}\"")).unwrap();
        page[at..].split("</li>").next().unwrap().contains("糖浆配比无异常")
    };
    let (leaky, clean) =
        if holds_secret(&actions[0]) { (&actions[0], &actions[1]) } else { (&actions[1], &actions[0]) };
    assert!(!holds_secret(clean));
    // The draft with the declared secret is refused, and the page says why.
    let res = boss.post(app.url(leaky)).form(&[("csrf", csrf_of(&page))]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("含有企业申报的商业秘密：“糖浆配比”"));
    let res = boss.post(app.url(clean)).form(&[("csrf", csrf_of(&page))]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = path.trim_start_matches("/incidents/");
    let public = app.page(&app.client(), &format!("/statements/{id}")).await;
    assert!(public.contains("经查，异物为员工掉落的塑料片。"));
    assert!(!public.contains("糖浆配比"));

    let neighbour = app.client();
    app.login(&neighbour, "officer.wuzhong", PASSWORD).await;
    assert_eq!(neighbour.get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert!(!app.page(&neighbour, "/incidents").await.contains("奶茶异物"));
}

/// The `action` of the first form whose action ends with `tail`.
fn action_ending(page: &str, tail: &str) -> String {
    page.split("action=\"").skip(1).filter_map(|s| s.split('"').next()).find(|a| a.ends_with(tail)).unwrap().to_owned()
}

#[tokio::test]
async fn the_incident_forms_link_list_extend_and_close_within_the_tree() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let code_in = |region: &'static str| {
        let app = &app;
        async move {
            let body = serde_json::json!({"kind": "complaint", "enterprise_name": "示例奶茶店", "industry": "H",
                "region_code": region, "narrative": "奶茶里喝出一块塑料片，店员不理睬。", "demand": "道歉并退款",
                "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"});
            let res = reqwest::Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
            let v: serde_json::Value = res.json().await.unwrap();
            v["cases"][0]["tracking_code"].as_str().unwrap().to_owned()
        }
    };
    let (ours, theirs) = (code_in("320508").await, code_in("320506").await);
    let officer = app.client();
    app.login(&officer, "officer.gusu", PASSWORD).await;
    let csrf = csrf_of(&app.page(&officer, "/incidents").await);
    let res = officer
        .post(app.url("/incidents"))
        .form(&[("csrf", csrf.as_str()), ("title", "奶茶异物"), ("enterprise_name", "示例奶茶店")])
        .send()
        .await
        .unwrap();
    let path = location(&res).unwrap().to_owned();
    let officer = (officer, csrf.clone());
    let send = |c: &(reqwest::Client, String), to: String, form: Vec<(&'static str, &str)>| {
        let (c, url, csrf) = (c.0.clone(), app.url(&to), c.1.clone());
        let form: Vec<(&str, String)> =
            std::iter::once(("csrf", csrf)).chain(form.into_iter().map(|(k, v)| (k, v.to_owned()))).collect();
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let ok = StatusCode::SEE_OTHER;
    let refused = |res: reqwest::Response, says: &'static str| async move {
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains(says), "{says}: {page}");
    };

    // Links, media and products.
    let link = send(&officer, format!("{path}/links"), vec![("kind", "case"), ("target", &ours)]).await;
    assert_eq!(link.status(), ok);
    let link = send(&officer, format!("{path}/links"), vec![("kind", "case"), ("target", &theirs)]).await;
    refused(link, "该记录不存在或不在您的辖区内").await;
    let media =
        vec![("url", "https://weibo.com/1"), ("excerpt", "网友13812345678爆料"), ("seen_at", "2026-11-15T20:30")];
    assert_eq!(send(&officer, format!("{path}/media"), media).await.status(), ok);
    let product = vec![("gtin", "06901234567892"), ("batch", "B7")];
    assert_eq!(send(&officer, format!("{path}/products"), product).await.status(), ok);
    let bad = vec![("gtin", "06901234567893"), ("batch", "B7")];
    assert_eq!(send(&officer, format!("{path}/products"), bad).await.status(), StatusCode::OK);
    let page = app.page(&officer.0, &path).await;
    assert!(page.contains("id=\"links\"") && page.contains("GTIN 06901234567892 · 批号 B7"), "{page}");
    assert!(page.contains("https://weibo.com/1") && !page.contains("13812345678"), "the excerpt is masked");

    // A measure: extended by the supervisor only, testing only when notified, then done.
    let seal = vec![("title", "封存同批次产品"), ("clock", "sealing"), ("started_on", "2026-11-06")];
    assert_eq!(send(&officer, format!("{path}/measures"), seal).await.status(), ok);
    let page = app.page(&officer.0, &path).await;
    let extend = action_ending(&page, "/extension");
    refused(send(&officer, extend.clone(), vec![("on", "2026-11-16")]).await, "须经主管批准").await;
    let boss = app.client();
    app.login(&boss, "boss.gusu", PASSWORD).await;
    let boss_csrf = csrf_of(&app.page(&boss, "/incidents").await);
    let boss = (boss, boss_csrf);
    assert_eq!(send(&boss, extend, vec![("on", "2026-11-16")]).await.status(), ok);
    let testing = action_ending(&page, "/testing");
    let unnotified = vec![("from", "2026-11-08"), ("until", "2026-11-10"), ("notified_on", "")];
    refused(send(&officer, testing.clone(), unnotified).await, "书面告知").await;
    let notified = vec![("from", "2026-11-08"), ("until", "2026-11-10"), ("notified_on", "2026-11-07")];
    assert_eq!(send(&officer, testing, notified).await.status(), ok);
    let page = app.page(&officer.0, &path).await;
    assert!(page.contains("（已延长）") && !page.contains("/extension\""), "extended once, no second offer");
    let complete = action_ending(&page, "/completion");
    assert_eq!(send(&officer, complete, vec![("on", "2026-11-16")]).await.status(), ok);
    // A promise kept.
    let promise = vec![("text", "三天内给结果"), ("amount", "3"), ("unit", "days")];
    assert_eq!(send(&officer, format!("{path}/promises"), promise).await.status(), ok);
    let page = app.page(&officer.0, &path).await;
    assert!(page.contains("已于 2026-11-16 按时完成"), "{page}");
    assert_eq!(send(&officer, action_ending(&page, "/kept"), vec![]).await.status(), ok);
    assert!(app.page(&officer.0, &path).await.contains("已兑现"));

    // Outside the tree every form is not found; an unknown form too.
    let neighbour = app.client();
    app.login(&neighbour, "officer.wuzhong", PASSWORD).await;
    let neighbour_csrf = csrf_of(&app.page(&neighbour, "/incidents").await);
    let neighbour = (neighbour, neighbour_csrf);
    let link = send(&neighbour, format!("{path}/links"), vec![("kind", "case"), ("target", &ours)]).await;
    assert_eq!(link.status(), StatusCode::NOT_FOUND);
    let res =
        send(&neighbour, format!("{path}/promises"), vec![("text", "x"), ("amount", "1"), ("unit", "days")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(send(&officer, format!("{path}/nonsense"), vec![]).await.status(), StatusCode::NOT_FOUND);
}
