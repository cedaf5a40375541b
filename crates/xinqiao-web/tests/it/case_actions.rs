//! The case page's actions (issue 18): each action the state allows is its own small form, no
//! assignee is chosen for the officer, a message confirms what was done, and an action that
//! cannot be undone asks first — on a second page without script — with its field errors beside
//! the fields; an officer of another bureau is refused before any of it.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;

async fn complaint(app: &TestApp) -> String {
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "region_code": "320508", "narrative": "我在健身房办了5000元的预付卡，上周突然关门。",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().to_owned();
    app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id
}

async fn post(app: &TestApp, c: &Client, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, &format!("/cases/{id}")).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(&format!("/cases/{id}/act"))).form(&form).send().await.unwrap()
}

fn status_of(page: &str) -> &str {
    page.split("id=\"case-status\">").nth(1).unwrap().split('<').next().unwrap()
}

#[tokio::test]
async fn each_action_is_its_own_form_and_what_cannot_be_undone_is_confirmed() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let li = app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("officer.wu", &b.wuzhong, Role::Officer).await;
    let id = complaint(&app).await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;

    let page = app.page(&c, &format!("/cases/{id}")).await;
    for action in ["accept", "reject", "transfer"] {
        assert!(page.contains(&format!("id=\"act-{action}\"")), "{action} has its own form");
    }
    assert!(!page.contains("id=\"act-close\"") && !page.contains("<select id=\"action\""), "only what is allowed now");
    let reject = page.split("id=\"act-reject\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(
        reject.contains("不能撤回")
            && reject.contains("name=\"confirmed\" value=\"\"")
            && reject.contains("data-confirm=")
    );

    // Done: back on the case page, which says what was done.
    let res = post(&app, &c, &id, &[("action", "accept"), ("note", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res).unwrap().to_owned();
    assert_eq!(to, format!("/cases/{id}?done=accept"));
    let page = app.page(&c, &to).await;
    assert!(page.contains("id=\"notice\">已完成：受理。"), "a flash after success");
    assert!(!app.page(&c, &format!("/cases/{id}?done=nonsense")).await.contains("id=\"notice\""));

    // No assignee is chosen beforehand; the system's suggestion is a hint.
    let assign = page.split("id=\"act-assign\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(!assign.contains(" selected"), "nothing preselected: {assign}");
    assert!(assign.contains("系统建议："), "{assign}");
    let res = post(&app, &c, &id, &[("action", "assign"), ("assignee", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let assign = html.split("id=\"act-assign\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(assign.contains("aria-invalid=\"true\" aria-describedby=\"assignee-error\""), "{assign}");
    assert!(assign.contains("id=\"assignee-error\""), "the message beside its field");
    assert_eq!(post(&app, &c, &id, &[("action", "assign"), ("assignee", &li)]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &c, &id, &[("action", "start_mediation")]).await.status(), StatusCode::SEE_OTHER);

    // 办结 cannot be undone: a missing result is told beside its field before any confirmation.
    let res = post(&app, &c, &id, &[("action", "close"), ("result", ""), ("confirmed", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("id=\"result-error\""));
    // Then the second page: what was chosen, 确认 or 返回; nothing is done yet.
    let fields =
        [("action", "close"), ("result", "settled"), ("recovered", "1200"), ("note", "已退款"), ("confirmed", "")];
    let res = post(&app, &c, &id, &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let confirm = res.text().await.unwrap();
    assert!(confirm.contains("<h1>确认办结：") && confirm.contains("办结后不能撤回"), "{confirm}");
    assert!(confirm.contains("调解成功") && confirm.contains("1200 元") && confirm.contains("已退款"));
    assert!(
        confirm.contains("name=\"result\" value=\"settled\"") && confirm.contains("name=\"confirmed\" value=\"1\"")
    );
    assert!(confirm.contains(&format!("href=\"/cases/{id}\" id=\"confirm-back\"")));
    assert_eq!(status_of(&app.page(&c, &format!("/cases/{id}")).await), "调解中", "not closed before confirming");
    let mut confirmed = fields.to_vec();
    confirmed.pop();
    confirmed.push(("confirmed", "1"));
    let res = post(&app, &c, &id, &confirmed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&c, location(&res).unwrap()).await;
    assert_eq!(status_of(&page), "办结");
    assert!(page.contains("已完成：办结。"));

    // An officer of another bureau gets neither the page nor a confirmation.
    let wu = app.client();
    app.login(&wu, "officer.wu", PASSWORD).await;
    let csrf = csrf_of(&app.page(&wu, "/").await);
    let res = wu
        .post(app.url(&format!("/cases/{id}/act")))
        .form(&[("csrf", csrf.as_str()), ("action", "follow_up"), ("confirmed", "")])
        .send()
        .await
        .unwrap();
    assert!(matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", res.status());
    assert!(!res.text().await.unwrap().contains("confirm-act"));
}

/// The case page's other forms (contact details, clock) tell their errors beside their fields,
/// not at the top of the page.
#[tokio::test]
async fn the_other_forms_errors_stand_beside_their_fields() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let id = complaint(&app).await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let csrf = csrf_of(&app.page(&c, &format!("/cases/{id}")).await);

    let res = c
        .post(app.url(&format!("/cases/{id}/identity")))
        .form(&[("csrf", csrf.as_str()), ("purpose", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let form =
        html.split("action=\"/cases/").find(|f| f.contains("/identity\"")).unwrap().split("</form>").next().unwrap();
    assert!(form.contains("aria-invalid=\"true\" aria-describedby=\"purpose-error\""), "{form}");
    assert!(form.contains("class=\"field-error\" id=\"purpose-error\""), "{form}");
    assert!(!html.contains("id=\"case-error\""), "not at the top");

    let pause = |reason: &'static str| {
        let (c, url, csrf) = (c.clone(), app.url(&format!("/cases/{id}/pause")), csrf.clone());
        async move { c.post(url).form(&[("csrf", csrf.as_str()), ("reason", reason)]).send().await.unwrap() }
    };
    let res = pause("nonsense").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"clock-error\""));
    assert!(html.contains("id=\"clock-error\">请选择暂停原因") && !html.contains("id=\"case-error\""));
    assert_eq!(pause("testing").await.status(), StatusCode::SEE_OTHER);
    let res = pause("testing").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"clock-error\">期限已在暂停中") && !html.contains("id=\"case-error\""), "{html}");
}
