//! 用起来顺手 (issue 18): the public home, the receipt, the officer's workbench counts, the
//! audit page in words — what a new user meets first.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;

#[tokio::test]
async fn the_public_home_offers_what_citizens_come_for() {
    let app = TestApp::start_on(xinqiao_store::Backend::Sqlite, false).await.unwrap();
    let home = app.page(&app.client(), "/").await;
    for kind in ["complaint", "report", "consultation", "suggestion"] {
        assert!(home.contains(&format!("href=\"/submit?kind={kind}\"")), "{kind}: {home}");
    }
    for (label, href) in [("我要投诉", "/submit"), ("查询进度", "/track"), ("政策问答", "/qa")] {
        assert!(home.contains(label) && home.contains(href), "{label}");
    }
    assert!(home.contains("id=\"home-stats\"") && home.contains("id=\"home-draws\""));
    assert!(home.contains("tel:12315"), "the hotline");
    assert!(home.contains("id=\"privacy-promise\"") && home.contains("绝不告知被投诉企业"));
    assert!(home.contains("id=\"staff-login\"") && home.contains("href=\"/login\""), "a small staff link");
    assert!(home.contains("banner demo"), "the demo says so on public pages too");
    assert!(home.contains("rel=\"icon\""));
    // 投诉统计公示 is in the public menu of every public page.
    let track = app.page(&app.client(), "/track").await;
    assert!(track.contains("<a href=\"/stats\">投诉统计公示</a>") && track.contains("banner demo"));

    // The same home stays reachable for someone signed in; `/` is their workbench.
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    app.login(&c, "officer", PASSWORD).await;
    let workbench = app.page(&c, "/").await;
    assert!(workbench.contains("<h1>工作台</h1>") && !workbench.contains("id=\"privacy-promise\""));
    assert!(app.page(&c, "/public").await.contains("id=\"privacy-promise\""));

    // A production instance shows no demo banner.
    let prod = TestApp::start().await;
    assert!(!prod.page(&prod.client(), "/").await.contains("banner demo"));
}

#[tokio::test]
async fn a_browser_that_signed_out_goes_back_to_sign_in() {
    let app = TestApp::start().await;
    app.user("officer", &[Role::Officer]).await;
    let c = app.client();
    app.login(&c, "officer", PASSWORD).await;
    let csrf = csrf_of(&app.page(&c, "/").await);
    c.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    let res = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&res), Some("/login"), "staff who signed out here land on sign-in");
    assert_eq!(app.client().get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn the_favicon_is_served_and_the_public_404_leads_home() {
    let app = TestApp::start().await;
    for path in ["/favicon.ico", "/favicon.svg"] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        assert!(res.text().await.unwrap().starts_with("<svg"));
    }
    let res = app.client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(html.contains("返回首页") && !html.contains("工作台"), "{html}");
}
