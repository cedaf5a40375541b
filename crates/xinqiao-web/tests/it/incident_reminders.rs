//! 突发事件 reminders on the pinned clock: the supervised timer tells the owner and the bureau's
//! supervisors (not the rest of the team, not the city above, not the neighbour) once per stage
//! when a legal clock is two working days from its last day or past it and when a promise is
//! within a day of falling due or missed; kept promises and done measures drop off the workbench.

use crate::helpers::*;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::incidents::reminders::Stage;
use xinqiao_web::incidents::reminders::TASK;
use xinqiao_web::incidents::service::{self, *};

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

#[tokio::test]
async fn owner_and_supervisor_are_reminded_before_a_clock_or_promise_is_missed() {
    let app = TestApp::start_manual().await;
    let b = app.bureau().await;
    let (st, s) = (&app.state, &app.state.store);
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let mate = app.member("mate.gusu", &b.gusu, Role::Officer).await;
    let boss = app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    let city = app.member("boss.city", &b.city, Role::Supervisor).await;
    let neighbour = app.member("boss.wuzhong", &b.wuzhong, Role::Supervisor).await;
    let input = NewIncidentInput {
        title: "奶茶异物".into(),
        enterprise_name: "示例奶茶店".into(),
        team: vec![mate.clone()],
        ..Default::default()
    };
    let id = service::create(st, &owner, input).await.unwrap();
    // Monday 2026-11-16 10:00: samples to the laboratory within 5 working days (last day Mon 11-23),
    // and “三天内给结果” (due at the end of Thursday 11-19).
    let lab = MeasureInput {
        clock: "sample_to_lab".into(),
        title: "抽样送检".into(),
        started_on: xinqiao_store::testing::TEST_DAY.into(),
    };
    let measure = service::add_measure(st, &owner, &id, lab).await.unwrap();
    let promise = PromiseInput { text: "三天内给结果".into(), unit: "days".into(), amount: 3 };
    let promise = service::add_promise(st, &owner, &id, promise).await.unwrap();
    let of = |who: String| async move {
        let mut r: Vec<(String, Stage)> =
            s.incident_reminders_for(&who, 100).await.unwrap().into_iter().map(|r| (r.subject_text, r.stage)).collect();
        r.sort_by_key(|(text, stage)| (text.clone(), stage.key()));
        r
    };

    app.run_task(TASK).await;
    assert!(of(owner.user.id.clone()).await.is_empty(), "five working days and three days left: no reminder");

    // Thursday 11-19 10:00: two working days left on the lab clock, 14 hours on the promise.
    app.state.clock().advance(3 * 86_400_000);
    app.run_task(TASK).await;
    let soon = vec![("三天内给结果".to_owned(), Stage::DueSoon), ("抽样送检".to_owned(), Stage::DueSoon)];
    assert_eq!(of(owner.user.id.clone()).await, soon);
    assert_eq!(of(boss.clone()).await, soon, "the bureau's supervisor is told too");
    for other in [&mate, &city, &neighbour] {
        assert!(of(other.clone()).await.is_empty(), "only the owner and the supervisor of the bureau");
    }
    // Each stage is told once.
    assert_eq!(xinqiao_web::incidents::reminders::remind(st).await.unwrap(), 0);

    // The workbench and the incident list show them to the owner.
    let web = app.client();
    app.login(&web, "officer.gusu", PASSWORD).await;
    let home = app.page(&web, "/").await;
    assert!(home.contains("work-incident-reminders") && home.contains("突发事件时限提醒"), "on the workbench");
    let list = app.page(&web, "/incidents").await;
    assert!(list.contains("时限提醒") && list.contains("抽样送检") && list.contains("即将到期"), "{list}");

    // The promise is kept: it drops off. Tuesday 11-24: the lab clock ran out yesterday.
    service::keep_promise(st, &owner, &id, &promise).await.unwrap();
    app.state.clock().advance(5 * 86_400_000);
    app.run_task(TASK).await;
    assert_eq!(
        of(owner.user.id.clone()).await,
        vec![("抽样送检".to_owned(), Stage::DueSoon), ("抽样送检".to_owned(), Stage::Missed)]
    );
    let web = app.client();
    app.login(&web, "officer.gusu", PASSWORD).await;
    let list = app.page(&web, "/incidents").await;
    assert!(list.contains("已逾期") && !list.contains("三天内给结果"), "{list}");

    // Done: nothing left to remind of, and nothing new.
    let done = DayInput { on: "2026-11-24".into() };
    service::complete(st, &owner, &id, &measure, done).await.unwrap();
    assert!(of(owner.user.id.clone()).await.is_empty() && of(boss).await.is_empty());
    assert_eq!(xinqiao_web::incidents::reminders::remind(st).await.unwrap(), 0);
}
