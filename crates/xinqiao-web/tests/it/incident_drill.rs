//! 泄密演练 over HTTP: a supervisor exercises the leak of an inspection plan; the report lists
//! everyone who opened the incident before the plan was carried out (someone off the team flagged,
//! a later opener not listed), the drill's time against the bureau's target and the clocks as they
//! stand (a missed promise); the findings close it once. Officers are refused, other bureaus
//! find nothing, and each reading of the report is audited.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_domain::accounts::Role;
use xinqiao_web::incidents::service::{self, NewIncidentInput, Officer, PromiseInput};

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

async fn signed_in(app: &TestApp, name: &str) -> reqwest::Client {
    let c = app.client();
    app.login(&c, name, PASSWORD).await;
    c
}

#[tokio::test]
async fn a_leak_drill_lists_who_opened_the_plan_before_it_was_carried_out() {
    let app = TestApp::start_at("2026-11-16").await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner_id = app.member("officer.gusu", &b.gusu, Role::Officer).await;
    let member_id = app.member("member.gusu", &b.gusu, Role::Officer).await;
    app.member("clerk.gusu", &b.gusu, Role::Officer).await;
    app.member("late.gusu", &b.gusu, Role::Officer).await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    let owner = officer(&app, &owner_id).await;
    let input = NewIncidentInput {
        title: "网红餐厅舆情".into(),
        enterprise_name: "示例餐厅".into(),
        team: vec![member_id],
        ..Default::default()
    };
    let id = service::create(st, &owner, input).await.unwrap();
    let promise = PromiseInput { text: "一小时内回应".into(), unit: "hours".into(), amount: 1 };
    service::add_promise(st, &owner, &id, promise).await.unwrap();
    let path = format!("/incidents/{id}");

    // 10:00: the owner and, twice, a clerk off the team open the incident with its plan.
    let own = signed_in(&app, "officer.gusu").await;
    app.page(&own, &path).await;
    let clerk = signed_in(&app, "clerk.gusu").await;
    app.page(&clerk, &path).await;
    app.state.clock().advance(10 * 60_000);
    app.page(&clerk, &path).await;
    let boss = signed_in(&app, "boss.gusu").await;
    let page = app.page(&boss, &path).await;
    assert!(page.contains("id=\"new-drill\""), "a supervisor is offered the drill");
    assert!(!app.page(&own, &path).await.contains("id=\"new-drill\""), "an officer is not");
    let csrf = csrf_of(&page);

    // An officer may not start one; a bad time is refused; the supervisor starts it.
    let drill_form = |at: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("plan", "周五突击检查方案".to_owned()),
            ("carried_out_at", at.to_owned()),
            ("scenario", "假设检查方案在实施前被透露给企业".to_owned()),
            ("target_hours", "2".to_owned()),
        ]
    };
    let res = own.post(app.url(&format!("{path}/drills"))).form(&drill_form("2026-11-16T12:00")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = boss.post(app.url(&format!("{path}/drills"))).form(&drill_form("明天上午")).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("时间应为 YYYY-MM-DDTHH:MM 格式"));
    let res = boss.post(app.url(&format!("{path}/drills"))).form(&drill_form("2026-11-16T12:00")).send().await.unwrap();
    let report_path = location(&res).expect("redirected to the report").to_owned();

    // 13:00, after the plan was carried out: a late opener is not among those who knew it.
    app.state.clock().advance(3 * 3_600_000);
    let late = signed_in(&app, "late.gusu").await;
    app.page(&late, &path).await;
    // Three hours on the sessions have lapsed: everyone signs in again.
    let (boss, own) = (signed_in(&app, "boss.gusu").await, signed_in(&app, "officer.gusu").await);
    let csrf = csrf_of(&app.page(&boss, "/incidents").await);

    let report = app.page(&boss, &report_path).await;
    let openers = report.split("id=\"openers\"").nth(1).unwrap().split("</table>").next().unwrap();
    for (name, on_team) in [("clerk.gusu", "否"), ("officer.gusu", "是"), ("boss.gusu", "否")] {
        let row = openers
            .split("<tr")
            .find(|r| r.contains(&format!("<td>{name}</td>")))
            .unwrap_or_else(|| panic!("{name} listed"));
        assert!(row.contains(on_team), "{name}: {row}");
    }
    assert!(!openers.contains("late.gusu"), "opened after the plan was carried out");
    let clerk_row = openers.split("<tr").find(|r| r.contains("clerk.gusu")).unwrap();
    assert!(clerk_row.contains("<td>2</td>"), "the clerk opened it twice: {clerk_row}");
    assert!(report.contains("<strong id=\"outside-team\">2</strong>"), "clerk and supervisor are off the team");
    assert!(report.contains("本局目标：2 小时内，进行中，已超出"), "{report}");
    let clocks = report.split("id=\"drill-clocks\"").nth(1).unwrap();
    assert!(clocks.contains("class=\"overdue\"") && clocks.contains("一小时内回应"), "the missed promise");

    // Officers and other bureaus do not read it.
    assert_eq!(own.get(app.url(&report_path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let wz = signed_in(&app, "boss.wuzhong").await;
    assert_eq!(wz.get(app.url(&report_path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // The findings close it once; the time is judged against the target.
    let close = |text: &'static str| {
        boss.post(app.url(&format!("{report_path}/findings")))
            .form(&[("csrf", csrf.as_str()), ("findings", text)])
            .send()
    };
    assert_eq!(
        close("事件组外两人在实施前打开过方案，已约谈并收紧权限。").await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let report = app.page(&boss, &report_path).await;
    assert!(report.contains("已约谈并收紧权限") && report.contains("本局目标：2 小时内，未达成"));
    let again = close("再次提交").await.unwrap();
    assert!(again.text().await.unwrap().contains("该演练已结束"));

    let reads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'incident.drill_view'")
        .fetch_one(st.store.pool())
        .await
        .unwrap();
    assert_eq!(reads, 3, "every reading by the supervisor is audited (refusals read nothing)");
}
