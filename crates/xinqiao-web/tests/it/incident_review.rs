//! 复盘: the review page of an incident shows its timeline, each clock and promise with how it
//! ended, and what the public was told when; the lessons are saved masked into the writer's work
//! log and counted in the annual review's evidence; outside the bureau tree it is not found.

use crate::helpers::*;
use xinqiao_domain::accounts::Role;
use xinqiao_web::incidents::service::{self, *};

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

#[tokio::test]
async fn the_review_tells_what_was_promised_and_done_and_feeds_the_work_log() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let owner_id = app.member("officer.gusu", &b.gusu, Role::Officer).await;
    let owner = officer(&app, &owner_id).await;
    let boss = officer(&app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    let input =
        NewIncidentInput {
            title: "奶茶异物".into(), enterprise_name: "示例奶茶店".into(), ..Default::default()
        };
    let id = service::create(st, &owner, input).await.unwrap();
    let seal =
        MeasureInput {
            clock: "sealing".into(), title: "封存同批次产品".into(), started_on: "2026-11-16".into()
        };
    let m = service::add_measure(st, &owner, &id, seal).await.unwrap();
    let promise = PromiseInput { text: "三天内给结果".into(), unit: "hours".into(), amount: 2 };
    let p = service::add_promise(st, &owner, &id, promise).await.unwrap();
    let draft = StatementInput { facts: "经查，异物为员工掉落的塑料片。".into(), ..Default::default() };
    let s = service::draft_statement(st, &owner, &id, draft).await.unwrap();
    service::publish(st, &boss, &id, &s).await.unwrap();
    // Three hours later: the two-hour promise is kept late; the sealing ends on time.
    app.state.clock().advance(3 * 3_600_000);
    service::keep_promise(st, &owner, &id, &p).await.unwrap();
    service::complete(st, &owner, &id, &m, DayInput { on: "2026-11-16".into() }).await.unwrap();

    let web = app.client();
    app.login(&web, "officer.gusu", PASSWORD).await;
    let page = app.page(&web, &format!("/incidents/{id}/review")).await;
    for expected in ["时间线", "登记事件", "措施开始：封存同批次产品", "对公众承诺：三天内给结果", "发布情况通报"]
    {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    assert!(page.contains("已于 2026-11-16 按时完成"), "the clock met: {page}");
    assert!(page.contains("已兑现，但晚了 1 小时"), "the promise kept late: {page}");
    assert!(page.contains("员工掉落的塑料片"), "what the public was told");

    // The lessons: masked, in the writer's work log and the year's evidence.
    let csrf = csrf_of(&page);
    let short = web
        .post(app.url(&format!("/incidents/{id}/review")))
        .form(&[("csrf", csrf.as_str()), ("lessons", "太短")])
        .send()
        .await
        .unwrap();
    assert!(short.text().await.unwrap().contains("经验教训应为10至3000字"));
    let lessons = "承诺时限要留余量；联系店员王建国（电话13812345678）核实时应先登记。";
    let res = web
        .post(app.url(&format!("/incidents/{id}/review")))
        .form(&[("csrf", csrf.as_str()), ("lessons", lessons)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "back to the review");
    let page = app.page(&web, &format!("/incidents/{id}/review")).await;
    assert!(page.contains("承诺时限要留余量") && !page.contains("13812345678"), "saved masked: {page}");
    let logs = st.store.work_logs(&owner_id, 10).await.unwrap();
    assert_eq!(logs.len(), 1);
    assert!(logs[0].solved.contains("突发事件复盘：奶茶异物") && logs[0].learned.contains("承诺时限要留余量"));
    assert!(logs[0].party_said.contains("对外发布通报 1 次") && logs[0].party_said.contains("超期或逾期 1 项"));
    assert!(!logs[0].learned.contains("13812345678"));
    let (start, end) = (test_today().start_ms() - 86_400_000, test_today().start_ms() + 86_400_000 * 2);
    let evidence = st.store.officer_evidence(&owner_id, start, end).await.unwrap();
    assert_eq!(evidence.incident_reviews, 1);

    // Outside the tree: not found, for the page and the form.
    let neighbour = app.client();
    app.login(&neighbour, "officer.wuzhong", PASSWORD).await;
    let res = neighbour.get(app.url(&format!("/incidents/{id}/review"))).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let other = app.page(&neighbour, "/incidents").await;
    let res = neighbour
        .post(app.url(&format!("/incidents/{id}/review")))
        .form(&[("csrf", csrf_of(&other).as_str()), ("lessons", "不该写入别人辖区的复盘内容")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(st.store.incident_review(&id).await.unwrap().unwrap().written_by, owner_id);
}
