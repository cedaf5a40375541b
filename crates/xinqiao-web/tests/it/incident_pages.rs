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
