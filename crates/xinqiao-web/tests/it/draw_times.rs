//! 双随机 (issue 18): a draw's sources carry the time their values are published; entering the
//! values before that time is refused (the draw does not run), and the public page shows both
//! the announced time and when the values were entered.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;

async fn form_post(app: &TestApp, c: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn values_announced_for_later_cannot_be_entered_before_then() {
    // The clock starts at 10:00 on 2026-11-16; the lottery is drawn two days later at 21:15.
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    crate::inspections::directories(&app, &officer, &other).await;
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let mut fields = vec![
        ("title", "餐饮双随机抽查"),
        ("items", "食品经营许可"),
        ("industry", "H"),
        ("region", "320508"),
        ("ratio_a", "0"),
        ("ratio_b", "100"),
        ("ratio_c", "0"),
        ("ratio_d", "300"),
        ("inspectors_per_target", "2"),
        ("max_targets_per_inspector", "10"),
        ("source_name_0", "福彩双色球第2026135期开奖号码"),
        ("source_description_0", "中国福利彩票发行管理中心公布的全部号码"),
        ("source_kind_0", "numbers"),
        ("source_time_0", "2026-11-18 21"),
    ];
    let res = form_post(&app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a time that is no time is refused");
    fields.pop();
    fields.push(("source_time_0", "2026-11-18T21:15"));
    let res = form_post(&app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let staff_url = location(&res).unwrap().to_owned();
    let id = staff_url.rsplit('/').next().unwrap().to_owned();
    let public = Client::new();
    let html = public.get(app.url(&format!("/draws/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("公布时间 2026-11-18 21:15:00") && !html.contains("id=\"entered\""),
        "announced, not entered"
    );

    // Two days early: refused, nothing drawn.
    let reveal = format!("/inspections/{id}/reveal");
    let res = form_post(&app, &boss, &staff_url, &reveal, &[("value_0", "3 9 14 22 27 31 8")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("将于 2026-11-18 21:15 公布，公布之后才能录入并抽取"));
    let doc: serde_json::Value =
        public.get(app.url(&format!("/api/v1/draws/{id}"))).send().await.unwrap().json().await.unwrap();
    assert!(doc["outcome"].is_null(), "the draw did not run");
    assert!(doc["task"]["sources"][0]["value"].is_null());

    // One minute after the announced time (day 2 at 21:16): the draw runs, and says when.
    app.state.clock().advance((2 * 24 * 60 + 11 * 60 + 16) * 60_000);
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let res = form_post(&app, &boss, &staff_url, &reveal, &[("value_0", "3 9 14 22 27 31 8")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = public.get(app.url(&format!("/draws/{id}"))).send().await.unwrap().text().await.unwrap();
    let entered = html.split("<dd id=\"entered\">").nth(1).map(|s| s.split('<').next().unwrap_or_default());
    assert!(entered.is_some_and(|t| t.starts_with("2026-11-18 21:16")), "the entry time is public: {entered:?}");
}

#[tokio::test]
async fn supervisors_upload_the_directory_all_or_nothing() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let page = app.page(&boss, "/inspections/directory").await;
    assert!(page.contains("现有检查对象 0 户"));
    assert!(app.page(&boss, "/inspections").await.contains("href=\"/inspections/directory\""));
    let csrf = csrf_of(&page);
    let good = xinqiao_domain::ids::Uscc::with_check_char("91320508MA1X00001").unwrap().to_string();
    let also = xinqiao_domain::ids::Uscc::with_check_char("91320508MA1X00002").unwrap().to_string();
    let send = |csv: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(csv).file_name("名录.csv").mime_str("text/csv").unwrap());
        boss.post(app.url("/inspections/directory")).multipart(form).send()
    };
    let header = "\u{feff}统一社会信用代码,企业名称,行业门类,行政区划代码,信用风险分类\n";
    let bad = format!("{header}{good},姑苏餐馆,H,320508,B\n{also},姑苏超市,F,320508,E\n");
    let res = send(bad.into_bytes()).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("第3行：信用风险分类“E”应为A、B、C或D") && html.contains("没有导入任何内容"), "{html}");
    assert_eq!(app.state.store.directory_counts().await.unwrap().0, 0, "nothing written");
    let res =
        send(format!("{header}{good},姑苏餐馆,H,320508,B\n{also},姑苏超市,F,320508,D\n").into_bytes()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("已导入检查对象 2 户") && html.contains("现有检查对象 2 户"));
    // A GBK file (ANSI Excel): said so, not misread.
    let not_utf8 = send(vec![0xc9, 0xe7, 0xbb, 0xe1, b'\n']).await.unwrap(); // 社会
    assert_eq!(not_utf8.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = not_utf8.text().await.unwrap();
    assert!(body.contains("另存为 CSV UTF-8"), "{body}");

    // An officer may not.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let res = li.get(app.url("/inspections/directory")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
