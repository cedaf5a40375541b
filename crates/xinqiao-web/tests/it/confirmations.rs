//! One-click irreversible actions ask first (issue 18): 不接受和解 on the tracking page and
//! 公示并固定 of a draw task. With script, the button's dialog sets the form's `confirmed` to 1;
//! without it, the empty `confirmed` brings a second page that carries the form and does nothing
//! yet. A request without the field (older clients, the API) acts as before.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Actor;

const GYM: &str = "91110000600037341L";

#[tokio::test]
async fn declining_a_settlement_is_confirmed_first() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.state.store.join_odr(&Actor::console(), GYM, "健身房").await.unwrap();
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": GYM,
        "region_code": "320508", "narrative": "我在健身房办了5000元的预付卡，上周突然关门。",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().replace('-', "");
    let key = r["access_key"].as_str().unwrap().to_owned();
    let id = app.state.store.case_by_tracking_code(&code).await.unwrap().id;
    app.state.store.propose_settlement(&Actor::console(), &id, "退一半").await.unwrap();
    let status = || async { app.state.store.case(&id).await.unwrap().status };

    let c = Client::new();
    let page = c.post(app.url("/track")).form(&[("code", code.as_str()), ("key", key.as_str())]).send().await.unwrap();
    let page = page.text().await.unwrap();
    let decline = page.split("id=\"settlement-decline-form\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(
        decline.contains("name=\"confirmed\" value=\"\"") && decline.contains("data-confirm=\"不接受和解后不能撤回"),
        "{decline}"
    );

    // Without script: the empty `confirmed` brings the second page; nothing is answered yet.
    let fields = [("code", code.as_str()), ("key", key.as_str()), ("answer", "decline"), ("confirmed", "")];
    let res = c.post(app.url("/track/settlement")).form(&fields).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let confirm = res.text().await.unwrap();
    assert!(confirm.contains("<h1>确认不接受和解方案</h1>") && confirm.contains("退一半"), "{confirm}");
    assert!(confirm.contains("name=\"confirmed\" value=\"1\"") && confirm.contains("id=\"confirm-back\""));
    assert_eq!(status().await, xinqiao_domain::cases::Status::Settling, "not declined before confirming");

    // Confirmed (the second page, or the dialog): declined, the complaint comes to the bureau.
    let fields = [("code", code.as_str()), ("key", key.as_str()), ("answer", "decline"), ("confirmed", "1")];
    let res = c.post(app.url("/track/settlement")).form(&fields).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("市场监督管理部门将继续处理"));
    assert_eq!(status().await, xinqiao_domain::cases::Status::AwaitingAcceptance);

    // Nothing to decline any more: the second page is not offered.
    let fields = [("code", code.as_str()), ("key", key.as_str()), ("answer", "decline"), ("confirmed", "")];
    let html = c.post(app.url("/track/settlement")).form(&fields).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("确认不接受") && html.contains("当前没有待答复的和解方案"), "{html}");
}

#[tokio::test]
async fn committing_a_draw_task_is_confirmed_first() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    crate::inspections::directories(&app, &officer, &other).await;
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let new = app.page(&boss, "/inspections/new").await;
    let form = new.split("id=\"task-form\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(form.contains("name=\"confirmed\" value=\"\"") && form.contains("data-confirms=\"confirmed\""), "{form}");

    let csrf = csrf_of(&new);
    let fields = |confirmed: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "2026年第四季度餐饮食品安全双随机抽查".to_owned()),
            ("items", "食品经营许可".to_owned()),
            ("industry", "H".to_owned()),
            ("region", "320508".to_owned()),
            ("ratio_a", "0".to_owned()),
            ("ratio_b", "100".to_owned()),
            ("ratio_c", "0".to_owned()),
            ("ratio_d", "300".to_owned()),
            ("inspectors_per_target", "2".to_owned()),
            ("max_targets_per_inspector", "10".to_owned()),
            ("source_name_0", "福彩双色球第2026140期开奖号码".to_owned()),
            ("source_description_0", "2026-12-03 21:15 由中国福利彩票发行管理中心公布，全部号码".to_owned()),
            ("source_kind_0", "numbers".to_owned()),
            ("confirmed", confirmed.to_owned()),
        ]
    };
    // A form with an error is refused beside nothing else: no second page for an invalid task.
    let mut bad = fields("");
    bad[9].1 = "1".into();
    let res = boss.post(app.url("/inspections")).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Without script: the second page says what will be frozen; nothing is committed yet.
    let res = boss.post(app.url("/inspections")).form(&fields("")).send().await.unwrap();
    let status = res.status();
    let confirm = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{confirm}");
    assert!(confirm.contains("确认公示并固定：2026年第四季度") && confirm.contains("不能修改或撤回"), "{confirm}");
    assert!(confirm.contains("name=\"ratio_d\" value=\"300\"") && confirm.contains("name=\"confirmed\" value=\"1\""));
    assert!(confirm.contains("href=\"/inspections/new\" id=\"confirm-back\""));
    assert!(app.state.store.draw_tasks().await.unwrap().is_empty(), "nothing committed before confirming");
    // Confirmed: committed.
    let res = boss.post(app.url("/inspections")).form(&fields("1")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.store.draw_tasks().await.unwrap().len(), 1);
}
