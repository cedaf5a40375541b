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
}
