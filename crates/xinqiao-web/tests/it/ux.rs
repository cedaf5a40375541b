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
    let missing = app.client().get(app.url("/no/such/page")).send().await.unwrap().text().await.unwrap();
    assert!(missing.contains("banner demo") && missing.contains("返回首页"), "the 404 too");

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

/// Submits an anonymous report through the public form; returns its tracking code and key.
pub async fn report_through_the_form(app: &TestApp, c: &reqwest::Client) -> (String, String, String) {
    let csrf = csrf_of(&app.page(c, "/submit").await);
    let ok = c
        .post(app.url("/submit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "report"),
            ("enterprise_name", "某某超市"),
            ("industry", "F"),
            ("region_code", "320508"),
            ("narrative", "这家超市把过期的牛奶改了生产日期重新上架销售。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let receipt = ok.text().await.unwrap();
    let code = receipt.split("class=\"tracking-code\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let key = receipt.split("id=\"access-key\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    (code, key, receipt)
}

#[tokio::test]
async fn the_receipt_can_be_copied_printed_and_downloaded() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = app.client();
    let (code, key, receipt) = report_through_the_form(&app, &c).await;
    // Copy and print are buttons that the script shows; without it they stay hidden.
    assert!(receipt.contains("data-copy=\"code-1\" hidden") && receipt.contains("data-copy=\"access-key\" hidden"));
    assert!(receipt.contains("data-print hidden"));
    assert!(receipt.contains("id=\"next-steps\"") && receipt.contains("我们正在核查您举报的线索"), "what happens next");
    assert!(!receipt.contains("<script>") && !receipt.contains("onclick"), "no inline script");
    assert!(receipt.contains("action=\"/track/receipt\""));

    let printable =
        c.post(app.url("/track/receipt")).form(&[("code", code.as_str()), ("key", key.as_str())]).send().await.unwrap();
    assert_eq!(printable.status(), StatusCode::OK);
    assert_eq!(printable.headers()["cache-control"], "no-store");
    assert!(printable.headers().get("content-disposition").is_none());
    let html = printable.text().await.unwrap();
    for part in [
        code.as_str(),
        key.as_str(),
        "id=\"receipt-deadline\"",
        "核查决定期限",
        "接下来会怎样",
        "aria-current=\"step\"",
    ] {
        assert!(html.contains(part), "{part}: {html}");
    }
    let file = c
        .post(app.url("/track/receipt"))
        .form(&[("code", code.as_str()), ("key", key.as_str()), ("download", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(file.headers()["content-disposition"], "attachment; filename=\"xinqiao-receipt.html\"");
    assert!(file.text().await.unwrap().contains(&key));
    let wrong =
        c.post(app.url("/track/receipt")).form(&[("code", code.as_str()), ("key", "nope")]).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    assert!(!wrong.text().await.unwrap().contains("某某超市"));

    // The tracking page repeats the deadline and says what each step means.
    let track = c.post(app.url("/track")).form(&[("code", code.as_str()), ("key", key.as_str())]).send().await.unwrap();
    let html = track.text().await.unwrap();
    assert!(html.contains("id=\"deadline-line\"") && html.contains("核查决定的最后期限是"), "{html}");
    assert!(html.contains("id=\"case-steps\"") && html.contains("（现在在这一步）") && html.contains("已立案调查"));
}

/// Accepted complaints for the public statistics: 苏州甲 with 36 this year (two consented) and
/// 32 the year before, 苏州乙 with 8 and 3.
pub(crate) async fn seed_statistics(app: &TestApp) {
    use crate::insights::case_row;
    use xinqiao_store::audit::Actor;
    let t = test_today().0;
    let mut rows = Vec::new();
    // 苏州甲: 36 this year (two consented), 32 the year before — both ≥ 30: a change is shown.
    for i in 0..36 {
        rows.push(case_row(rows.len(), "苏州甲健身管理有限公司", t - i, "prepaid", "会员卡余额无人处理", i < 2));
    }
    for i in 0..32 {
        rows.push(case_row(rows.len(), "苏州甲健身管理有限公司", t - 400 - i, "prepaid", "x", false));
    }
    // 苏州乙: 8 this year, 3 the year before: "+166.7%" would mislead; no change is shown.
    for i in 0..8 {
        rows.push(case_row(rows.len(), "苏州乙小店", t - i, "quality", "y", false));
    }
    for i in 0..3 {
        rows.push(case_row(rows.len(), "苏州乙小店", t - 400 - i, "quality", "y", false));
    }
    let ids = app.state.store.intake(&Actor::console(), &rows).await.unwrap();
    for id in &ids {
        let t = xinqiao_store::cases::Transition {
            case_id: id,
            from: xinqiao_domain::cases::Status::AwaitingAcceptance,
            action: &xinqiao_domain::cases::Action::Accept,
            note: String::new(),
            public: true,
            assign: None,
            org: None,
            finish: None,
        };
        app.state.store.transition(&Actor::console(), t).await.unwrap();
        // Narratives are published only once an officer confirmed their masking.
        app.confirm_masking(id).await;
    }
    xinqiao_web::insights::forget_publications(&app.state).await;
}

#[tokio::test]
async fn public_statistics_show_a_change_only_on_enough_cases_and_one_summary_toggle() {
    use crate::insights::table;
    let app = TestApp::start().await;
    app.bureau().await;
    seed_statistics(&app).await;
    xinqiao_web::insights::forget_publications(&app.state).await;
    let page = app.page(&app.client(), "/stats").await;
    let listed = table(&page, "public-enterprises");
    let row = |name: &str| listed.split("<tr>").find(|r| r.contains(name)).unwrap().to_owned();
    assert!(row("苏州甲").contains("<td>+12.5%</td>"), "{}", row("苏州甲"));
    assert!(row("苏州乙").contains("<td>—</td>") && !row("苏州乙").contains('%'), "{}", row("苏州乙"));
    assert_eq!(row("苏州甲").matches("<details").count(), 1, "one toggle for both summaries");
    assert!(row("苏州甲").contains("投诉摘要（2条）"));
    assert!(
        page.contains("id=\"yoy-rule\"")
            && page.contains(&format!("不少于 {} 件", xinqiao_domain::insights::YOY_MINIMUM))
    );
    let json: serde_json::Value =
        app.client().get(app.url("/stats/enterprises.json")).send().await.unwrap().json().await.unwrap();
    let by = |name: &str| json["enterprises"].as_array().unwrap().iter().find(|e| e["name"] == name).unwrap().clone();
    assert_eq!(by("苏州乙小店")["growth"], serde_json::Value::Null);
    assert_eq!(by("苏州甲健身管理有限公司")["growth"], 0.125);
}

#[tokio::test]
async fn the_qa_page_lists_entries_by_topic_before_any_search() {
    use xinqiao_store::audit::Actor;
    let app = TestApp::start().await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let empty = app.page(&app.client(), "/qa").await;
    assert!(!empty.contains("id=\"qa-topics\""), "nothing published, nothing listed");
    let mut published = 0;
    for e in app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1000).await.unwrap() {
        app.state
            .store
            .set_entry_status(
                &Actor::console(),
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await
            .unwrap();
        published += 1;
    }
    let page = app.page(&app.client(), "/qa").await;
    assert!(page.contains("id=\"qa-topics\"") && page.contains("按主题浏览"));
    assert!(page.contains("<h3>预付卡</h3>") && page.contains("<h3>年报</h3>"), "{page}");
    assert_eq!(page.matches("<li><a href=\"/qa/").count(), published, "every published entry, once");
    let searched = app.page(&app.client(), "/qa?q=%E9%A2%84%E4%BB%98%E5%8D%A1").await;
    assert!(!searched.contains("id=\"qa-topics\""), "a search shows its hits instead");
}

pub(crate) async fn complaint_in(app: &TestApp, region: &str) -> String {
    let body = serde_json::json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": region,
        "narrative": "我在健身房办了5000元的预付卡，上周突然关门了，一直没有人处理。", "amount": "5000",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: serde_json::Value =
        reqwest::Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().to_owned();
    app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id
}

pub(crate) async fn shift_received(app: &TestApp, id: &str, days: i64) {
    sqlx::query("UPDATE cases SET received_day = received_day - $1 WHERE id = $2")
        .bind(days)
        .bind(id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
}

/// The workbench's counts: (id, count, link).
fn work_items(home: &str) -> Vec<(String, usize, String)> {
    home.split("class=\"work-item")
        .skip(1)
        .map(|item| {
            let before = home[..home.find(item).unwrap()].rsplit("<a href=\"").next().unwrap();
            let href = before.split('"').next().unwrap().replace("&amp;", "&");
            let id = before.split("id=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
            let count =
                item.split("<strong class=\"count\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
            (id, count, href)
        })
        .collect()
}

fn queue_total(page: &str) -> usize {
    page.split("id=\"case-total\">共 <strong>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_workbench_counts_agree_with_the_queue_and_stay_in_scope() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    let overdue = complaint_in(&app, "320508").await;
    shift_received(&app, &overdue, 40).await;
    let soon = complaint_in(&app, "320508").await;
    shift_received(&app, &soon, 7).await;
    for _ in 0..2 {
        complaint_in(&app, "320508").await;
    }
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let home = app.page(&c, "/").await;
    let items = work_items(&home);
    let ids: Vec<&str> = items.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "work-awaiting",
            "work-soon",
            "work-overdue",
            "work-follow-up",
            "work-deferred",
            "work-warnings",
            "work-incident-reminders",
            "work-draws"
        ]
    );
    let count = |id: &str| items.iter().find(|i| i.0 == id).unwrap().1;
    assert_eq!(count("work-awaiting"), 4);
    assert_eq!(count("work-overdue"), 1);
    assert_eq!(count("work-soon"), 1, "received 7 days ago: due within two working days");
    for (id, n, href) in &items {
        if href.starts_with("/cases") {
            let queue = app.page(&c, href).await;
            assert_eq!(queue_total(&queue), *n, "{id}: {href}");
        }
    }
    let overdue_queue = app.page(&c, "/cases?due=overdue").await;
    assert!(overdue_queue.contains(&format!("/cases/{overdue}")) && !overdue_queue.contains(&format!("/cases/{soon}")));
    // Another district's officer counts none of them (scoped as the queue is).
    let w = app.client();
    app.login(&w, "officer.wu", PASSWORD).await;
    let theirs = work_items(&app.page(&w, "/").await);
    assert!(theirs.iter().all(|(_, n, _)| *n == 0), "{theirs:?}");
    assert_eq!(queue_total(&app.page(&w, "/cases").await), 0);
}

#[tokio::test]
async fn the_queue_pages_filters_sorts_and_explains_missing_deadlines() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let mut ids = Vec::new();
    for _ in 0..(xinqiao_web::cases::QUEUE_PAGE_SIZE + 3) {
        ids.push(complaint_in(&app, "320508").await);
    }
    shift_received(&app, &ids[5], 40).await;
    sqlx::query("UPDATE cases SET status = 'followed_up' WHERE id = $1")
        .bind(&ids[6])
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let first = app.page(&c, "/cases").await;
    assert_eq!(queue_total(&first), ids.len());
    assert_eq!(first.matches("<tr><td><a href=\"/cases/").count() + first.matches("<tr class=\"due-").count(), 50);
    assert!(first.contains("id=\"page-next\"") && !first.contains("id=\"page-prev\""));
    let second = app.page(&c, "/cases?page=2").await;
    assert!(second.contains("第 51–53 件") && second.contains("id=\"page-prev\""));
    // Sorted by due date, the overdue case comes first.
    let by_due = app.page(&c, "/cases?sort=due").await;
    let first_link = by_due.split("<tbody>").nth(1).unwrap().split("href=\"/cases/").nth(1).unwrap();
    assert!(first_link.starts_with(&ids[5]), "{first_link}");
    // Every case shows a deadline or says why it has none.
    let done = app.page(&c, "/cases?status=followed_up").await;
    assert_eq!(queue_total(&done), 1);
    assert!(done.contains("无期限：已办结，无待办期限"));
    // Filters: kind, enterprise by name or USCC, assigned to me.
    assert_eq!(queue_total(&app.page(&c, "/cases?kind=report").await), 0);
    assert_eq!(queue_total(&app.page(&c, "/cases?enterprise=%E5%81%A5%E8%BA%AB").await), ids.len());
    assert_eq!(queue_total(&app.page(&c, "/cases?enterprise=91110000600037341L").await), ids.len());
    assert_eq!(queue_total(&app.page(&c, "/cases?enterprise=nothing-like-it").await), 0);
    assert_eq!(queue_total(&app.page(&c, "/cases?mine=1").await), 0);
    // The export carries the same filter.
    let csv = c.get(app.url("/cases/export.csv?status=followed_up")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[tokio::test]
async fn the_audit_trail_speaks_chinese_filters_by_category_and_exports_safely() {
    use xinqiao_store::audit::Filter;
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.admin("aud", Role::AuditAdmin).await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let case = complaint_in(&app, "320508").await;
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    let detail = app.page(&officer, &format!("/cases/{case}")).await;
    let res = officer
        .post(app.url(&format!("/cases/{case}/act")))
        .form(&[("csrf", csrf_of(&detail).as_str()), ("action", "accept")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection() || res.status().is_success(), "{}", res.status());
    // A look at the contact details whose stated purpose is a spreadsheet formula.
    let detail = app.page(&officer, &format!("/cases/{case}")).await;
    officer
        .post(app.url(&format!("/cases/{case}/identity")))
        .form(&[
            ("csrf", csrf_of(&detail).as_str()),
            ("purpose", "=HYPERLINK(\"http://evil.example\") 联系投诉人核实情况"),
        ])
        .send()
        .await
        .unwrap();

    let c = app.client();
    app.login(&c, "aud", PASSWORD).await;
    let all = app.page(&c, "/audit").await;
    assert!(all.contains(">受理诉求<") && all.contains(">登录<"), "actions by name");
    let code = app.state.store.case(&case).await.unwrap().tracking_code;
    let shown = xinqiao_domain::cases::TrackingCode::parse(&code).unwrap().to_string();
    assert!(all.contains(&format!("诉求 {shown}")), "a case by its tracking code");
    assert!(all.contains("<dl class=\"fields\">") && !all.contains("{&quot;"), "details as fields, not JSON");
    for (category, label) in [
        ("cases", "诉求"),
        ("contact", "查看联系方式"),
        ("draws", "抽查"),
        ("warnings", "预警"),
        ("qualification", "任职资格"),
        ("accounts", "账户"),
    ] {
        assert!(all.contains(&format!("<option value=\"@{category}\">{label}</option>")), "{category}");
    }
    let cases = app.page(&c, "/audit?action=%40cases").await;
    assert!(cases.contains(">受理诉求<") && !cases.contains(">登录<"), "only 诉求");
    let accounts = app.page(&c, "/audit?action=%40accounts").await;
    assert!(accounts.contains(">登录<") && !accounts.contains(">受理诉求<"), "only 账户");
    let unknown = app.page(&c, "/audit?action=%40nothing").await;
    assert!(unknown.contains("没有这个操作类别"));

    let contact = app.page(&c, "/audit?action=%40contact").await;
    assert!(contact.contains(">查看投诉人联系方式<") && !contact.contains(">受理诉求<"), "{contact}");
    let csv = c.get(app.url("/audit/export.csv?action=%40contact")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["content-disposition"], "attachment; filename=\"xinqiao-audit.csv\"");
    let text = csv.text().await.unwrap();
    assert!(text.contains("'=HYPERLINK"), "a formula is neutralised: {text}");
    assert!(!text.lines().any(|l| l.split(',').any(|cell| cell.starts_with('='))));
    assert!(!text.contains("受理诉求"), "the export keeps the filter");
    let exports = app
        .state
        .store
        .audit_entries(&Filter { action: Some("audit.export".into()), limit: 5, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(exports.len(), 1, "the export is recorded");
    // Only the audit administrator reads or exports the trail.
    let refused = officer.get(app.url("/audit/export.csv")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_insights_settings_card_is_in_the_body_once() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let c = app.client();
    app.login(&c, "supervisor.wang", PASSWORD).await;
    let page = app.page(&c, "/insights").await;
    let head = page.split("</head>").next().unwrap();
    assert!(!head.contains("<section") && !head.contains("<form"), "{head}");
    for id in ["publicity", "publicity-form", "minimum", "save-publicity"] {
        assert_eq!(page.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
}

#[tokio::test]
async fn the_enterprise_is_spoken_to_as_an_enterprise() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let gym = xinqiao_store::inspections::TargetRow {
        uscc: "91110000600037341L".into(),
        name: "苏州姑苏示例健身管理有限公司".into(),
        industry: "R".into(),
        region_code: "320508".into(),
        risk_class: "B".into(),
        status: "active".into(),
    };
    app.state.store.import_targets(&xinqiao_store::audit::Actor::console(), &[gym]).await.unwrap();
    app.user("gym", &[Role::Enterprise]).await; // bound to 91110000600037341L by the helper
    let c = app.client();
    app.login(&c, "gym", PASSWORD).await;
    let home = app.page(&c, "/").await;
    assert!(home.contains("<h1>本企业首页</h1>") && !home.contains("我的岗位") && !home.contains("所属机构"));
    assert!(home.contains("id=\"home-org\">苏州姑苏示例健身管理有限公司（91110000600037341L）"), "its own name");
    assert!(home.contains("href=\"/qa?audience=enterprise\" id=\"home-qa\""), "the Q&A for businesses");
    assert!(home.contains("href=\"/enterprise\""));
    let list = app.page(&c, "/enterprise").await;
    assert!(list.contains("<th scope=\"col\">答复期限</th>") && list.contains("id=\"enterprise-qa\""));
    // An officer's home is unchanged.
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let officer = app.client();
    app.login(&officer, "officer.li", PASSWORD).await;
    let home = app.page(&officer, "/").await;
    assert!(home.contains("<h1>工作台</h1>") && home.contains("我的岗位") && !home.contains("enterprise-home"));
}
