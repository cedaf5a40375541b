//! 容缺受理 over the pages: refused without core materials or promise, or for bad credit; the
//! deadline counted on the working-day calendar; supplied in time saves working days, ended only
//! after the deadline, a closed matter not changed again; the policy is a supervisor's; another
//! bureau neither sees nor changes it; every change audited. The reminder task (driven by hand on
//! the pinned clock) warns the applicant and the officer once, two working days before.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Filter;

async fn post(app: &TestApp, c: &Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = app.page(c, "/deferred").await;
    let csrf = csrf_of(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(path)).form(&form).send().await.unwrap()
}

const APPLY: [(&str, &str); 5] = [
    ("enterprise_name", "苏州某某奶茶店"),
    ("matter", "食品经营许可"),
    ("missing", "从业人员健康证明\n食品安全规章制度"),
    ("core_complete", "1"),
    ("promise_signed", "1"),
];

#[tokio::test]
async fn an_application_with_materials_to_follow_is_tracked_to_its_end() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;

    let refused = post(&app, &c, "/deferred", &APPLY[..4]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("申请人须先签署书面承诺"));
    let mut bad_credit = APPLY.to_vec();
    bad_credit.push(("bad_credit", "1"));
    assert!(post(&app, &c, "/deferred", &bad_credit).await.text().await.unwrap().contains("失信记录"));
    let core = [APPLY[0], APPLY[1], APPLY[2], APPLY[4]];
    assert!(post(&app, &c, "/deferred", &core).await.text().await.unwrap().contains("核心材料不齐全"));

    // Accepted Monday 2026-11-16: ten working days end Monday 2026-11-30.
    assert_eq!(post(&app, &c, "/deferred", &APPLY).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &c, "/deferred", &APPLY).await.status(), StatusCode::SEE_OTHER);
    let list = app.state.store.deferred_in(std::slice::from_ref(&b.gusu)).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].deadline.to_string(), "2026-11-30");
    assert_eq!(list[0].missing, ["从业人员健康证明", "食品安全规章制度"]);
    let (first, second) = (list[0].id.clone(), list[1].id.clone());

    let early = post(&app, &c, &format!("/deferred/{first}/ended"), &[]).await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "not before the deadline");
    // Four days on (Friday 20 November) the materials arrive.
    app.state.clock().advance(4 * 86_400_000);
    app.login(&c, "officer.li", PASSWORD).await; // the session timed out meanwhile
    assert_eq!(post(&app, &c, &format!("/deferred/{first}/supplied"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &c, &format!("/deferred/{first}/supplied"), &[]).await.status(), StatusCode::CONFLICT);
    // The other is never supplied: after the deadline it ends.
    app.state.clock().advance(11 * 86_400_000);
    app.login(&c, "officer.li", PASSWORD).await;
    let late = post(&app, &c, &format!("/deferred/{second}/supplied"), &[]).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(post(&app, &c, &format!("/deferred/{second}/ended"), &[]).await.status(), StatusCode::SEE_OTHER);
    let page = app.page(&c, "/deferred").await;
    assert!(page.contains("已补齐 1 件，逾期终止 1 件"), "{page}");
    assert!(page.contains("<strong id=\"days-saved\">4</strong>"), "16 → 20 November: four working days");
    assert!(!page.contains("id=\"policy-form\""), "an officer does not set the policy");
    let audit = app
        .state
        .store
        .audit_entries(&Filter { action: Some("deferred.".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 4);

    // Another bureau: sees none, cannot change one.
    let w = app.client();
    app.login(&w, "boss.wuzhong", PASSWORD).await;
    assert!(app.page(&w, "/deferred").await.contains("还没有"));
    let other = post(&app, &w, &format!("/deferred/{first}/ended"), &[]).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);

    // The supervisor's policy: refusing 容缺 altogether.
    assert_eq!(
        post(&app, &w, "/deferred/policy", &[("days_to_supply", "0")]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(post(&app, &w, "/deferred/policy", &[("days_to_supply", "5")]).await.status(), StatusCode::SEE_OTHER);
    let stopped = post(&app, &c, "/deferred", &APPLY).await;
    assert!(stopped.text().await.unwrap().contains("本局目前未开展容缺受理"));
}

#[tokio::test]
async fn the_reminder_task_warns_the_applicant_and_the_officer_before_the_deadline_once() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    app.user("gym", &[Role::Enterprise]).await; // bound to 91110000600037341L
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let mut with_uscc = APPLY.to_vec();
    with_uscc.push(("enterprise_uscc", "91110000600037341X"));
    let bad = post(&app, &c, "/deferred", &with_uscc).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("统一社会信用代码有误"));
    with_uscc.last_mut().unwrap().1 = "91110000600037341L";
    assert_eq!(post(&app, &c, "/deferred", &with_uscc).await.status(), StatusCode::SEE_OTHER);
    let mut other = APPLY.to_vec();
    other[1].1 = "变更登记";
    assert_eq!(post(&app, &c, "/deferred", &other).await.status(), StatusCode::SEE_OTHER);
    let reminded = || async {
        let all = app.state.store.deferred_in(std::slice::from_ref(&b.gusu)).await.unwrap();
        all.iter().filter(|d| d.reminded_on.is_some()).count()
    };

    // Accepted Monday 16 November, due Monday 30 November; two working days before: from
    // Thursday 26 November. On Wednesday 25th nothing yet.
    app.run_task("deferred-reminders").await;
    app.state.clock().advance(9 * 86_400_000);
    app.run_task("deferred-reminders").await;
    assert_eq!(reminded().await, 0);
    app.state.clock().advance(86_400_000);
    app.run_task("deferred-reminders").await;
    app.run_task("deferred-reminders").await;
    assert_eq!(reminded().await, 2);
    let audit = app
        .state
        .store
        .audit_entries(&Filter { action: Some("deferred.remind".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "each reminded once");

    // The officer: on /deferred and on the workbench.
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, "/deferred").await;
    assert!(page.contains("id=\"deferred-due\"") && page.contains("2026-11-26 已提醒"), "{page}");
    let home = app.page(&c, "/").await;
    let work = home.split("id=\"work-deferred\"").nth(1).expect("the workbench item");
    assert!(work.contains("<strong class=\"count\">2</strong>"), "{work}");
    // Another bureau's officer: nothing.
    let w = app.client();
    app.login(&w, "officer.wu", PASSWORD).await;
    assert!(!app.page(&w, "/deferred").await.contains("deferred-due"));
    let home = app.page(&w, "/").await;
    let work = home.split("id=\"work-deferred\"").nth(1).unwrap();
    assert!(work.contains("<strong class=\"count\">0</strong>"));
    assert_eq!(w.get(app.url("/enterprise/deferred")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // The applicant: its own matter with the reminder, not the one filed without its code.
    let e = app.client();
    app.login(&e, "gym", PASSWORD).await;
    let own = app.page(&e, "/enterprise/deferred").await;
    assert!(
        own.contains(
            "提醒：「食品经营许可」容缺受理的后补材料（从业人员健康证明、食品安全规章制度）须在 2026-11-30 前补齐"
        ),
        "{own}"
    );
    assert!(!own.contains("变更登记"));
    assert_eq!(e.get(app.url("/deferred")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // Supplied: the reminder goes from both views.
    let id = app.state.store.deferred_of_enterprise("91110000600037341L").await.unwrap()[0].id.clone();
    assert_eq!(post(&app, &c, &format!("/deferred/{id}/supplied"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(!app.page(&e, "/enterprise/deferred").await.contains("提醒："));
    let home = app.page(&c, "/").await;
    assert!(home.split("id=\"work-deferred\"").nth(1).unwrap().contains("<strong class=\"count\">1</strong>"));
}
