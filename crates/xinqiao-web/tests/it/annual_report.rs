//! 年报 help: the public field-by-field guide with a Q&A link per field and its unverified source;
//! the reminder task (driven by hand on the pinned clock) reminds only the enterprises that have
//! not filed, from 30 days before 30 June, once per stage; an enterprise states it filed once; the
//! campaign shows each bureau's pass rate within the viewer's tree only; refusals both ways.

use crate::helpers::*;
use crate::ledger::{enterprise, uscc};
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

async fn post(app: &TestApp, c: &Client, page: &str, path: &str) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page).await);
    c.post(app.url(path)).form(&[("csrf", csrf.as_str())]).send().await.unwrap()
}

#[tokio::test]
async fn reminders_before_30_june_reach_those_who_have_not_filed_and_the_campaign_counts_per_bureau() {
    let app = TestApp::start_manual_at("2027-05-20").await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    let (a, bb, c3) = (uscc(1), uscc(2), uscc(3));
    enterprise(&app, "shop1", &a, Some(&b.gusu)).await;
    enterprise(&app, "shop2", &bb, Some(&b.gusu)).await;
    enterprise(&app, "shop3", &c3, Some(&b.wuzhong)).await;

    // The public guide: every field with its mistakes and a link to its Q&A; the source unverified.
    let guide = app.client().get(app.url("/annual-report")).send().await.unwrap().text().await.unwrap();
    assert!(guide.contains("从业人数") && guide.contains("把“元”当成“万元”"), "{guide}");
    assert_eq!(guide.matches("class=\"qa-link\"").count(), 9, "one link per field");
    assert!(guide.contains("/qa?q=") && guide.contains("未核实"));

    // 41 days before the deadline: no reminder yet. shop1 files.
    app.run_task("annual-report-reminders").await;
    let s1 = app.client();
    app.login(&s1, "shop1", PASSWORD).await;
    let own = app.page(&s1, "/enterprise/annual-report").await;
    assert!(own.contains("2027-06-30（还有 41 天）") && !own.contains("提醒："), "{own}");
    let filed = post(&app, &s1, "/enterprise/annual-report", "/enterprise/annual-report/filed").await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let again = post(&app, &s1, "/enterprise/annual-report", "/enterprise/annual-report/filed").await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "once");
    assert!(again.text().await.unwrap().contains("2026年度年报已登记为已报送"));
    assert!(app.page(&s1, "/enterprise/annual-report").await.contains("id=\"annual-filed\""));

    // 31 May, 30 days before: the two that have not filed are reminded, once.
    app.state.clock().advance(11 * 86_400_000);
    app.run_task("annual-report-reminders").await;
    app.run_task("annual-report-reminders").await;
    let reminded = |u: String| {
        let app = &app;
        async move { app.state.store.annual_reminders_of(2026, &u).await.unwrap().len() }
    };
    assert_eq!((reminded(a.clone()).await, reminded(bb.clone()).await, reminded(c3.clone()).await), (0, 1, 1));
    let audit = app
        .state
        .store
        .audit_entries(&Filter { action: Some("annual_report.remind".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "one run gave them; the second found nothing new");
    assert!(!audit[0].record.detail.to_string().contains(&bb), "the audit counts, it does not list enterprises");
    let s2 = app.client();
    app.login(&s2, "shop2", PASSWORD).await;
    let own = app.page(&s2, "/enterprise/annual-report").await;
    assert!(own.contains("提醒：2027-05-31：距 2027-06-30 年报截止还有不到 30 天"), "{own}");

    // The campaign: 姑苏 2 should, 1 reported; 吴中 apart; each officer sees their own tree.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let camp = app.page(&li, "/annual-report/campaign").await;
    assert!(camp.contains("<td>姑苏区市场监督管理局</td><td>2</td><td>1</td><td>1</td><td>50.0%</td>"), "{camp}");
    assert!(!camp.contains("吴中区"), "another bureau's enterprises are not shown");
    let wu = app.client();
    app.login(&wu, "officer.wu", PASSWORD).await;
    let camp = app.page(&wu, "/annual-report/campaign").await;
    assert!(camp.contains("<td>吴中区市场监督管理局</td><td>1</td><td>0</td><td>1</td><td>0.0%</td>"), "{camp}");
    assert!(!camp.contains("姑苏区"));

    // Refusals: an enterprise has no campaign, an officer no enterprise page.
    let refused = s2.get(app.url("/annual-report/campaign")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(li.get(app.url("/enterprise/annual-report")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert!(denied.iter().any(|e| e.record.target == "annual_report"), "refusals audited");
}
