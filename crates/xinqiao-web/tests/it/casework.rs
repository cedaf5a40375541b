//! Officers at work: the queue, accepting, assigning, mediating and closing a complaint, and
//! the contact details that appear only after a stated purpose. Per role, who sees what.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::{Actor, Filter};

async fn submit(app: &TestApp, region: &str) -> (String, String) {
    let body = json!({
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": region,
        "narrative": "我在健身房办了5000元的预付卡，上周突然关门，我的电话13812345678。", "amount": "5000",
        "demand": "退还余额", "name": "李秀英", "mobile": "13812345678", "address": "苏州市姑苏区人民路88号"
    });
    let r: Value = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap().json().await.unwrap();
    let code = r["cases"][0]["tracking_code"].as_str().unwrap().to_owned();
    let id = app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id;
    (id, r["access_key"].as_str().unwrap().to_owned())
}

/// The public progress of case `id`, as its submitter reads it with the access key.
async fn progress(app: &TestApp, id: &str, key: &str) -> Value {
    let code = app.state.store.case(id).await.unwrap().tracking_code;
    let res =
        Client::new().get(app.url(&format!("/api/v1/cases/{code}"))).header("x-access-key", key).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn act(app: &TestApp, c: &Client, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = app.page(c, &format!("/cases/{id}")).await;
    let csrf = csrf_of(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(&format!("/cases/{id}/act"))).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn an_officer_takes_a_complaint_from_intake_to_follow_up() {
    let app = TestApp::start().await;
    an_officer_takes_a_complaint_from_intake_to_follow_up_on(&app).await;
}

/// The flow of `an_officer_takes_a_complaint_from_intake_to_follow_up`, on an app whose clock may start on any day.
pub async fn an_officer_takes_a_complaint_from_intake_to_follow_up_on(app: &TestApp) {
    let b = app.bureau().await;
    let officer_id = app.member("officer.li", &b.gusu, Role::Officer).await;
    let (id, key) = submit(app, "320508").await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let queue = app.page(&c, "/cases").await;
    assert!(queue.contains("苏州姑苏示例健身管理有限公司") && queue.contains("待受理") && queue.contains("未核实"));
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(
        !page.contains("13812345678") && !page.contains("李秀英"),
        "nothing identifying before a purpose is stated"
    );
    assert!(page.contains("138****5678"));

    // An illegal step is refused with what is allowed.
    let res = act(app, &c, &id, &[("action", "close"), ("result", "settled")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("可进行的操作：受理、不予受理、移送"));

    for (fields, want) in [
        (vec![("action", "accept")], "已受理"),
        (vec![("action", "assign"), ("assignee", officer_id.as_str())], "已分派"),
        (vec![("action", "start_mediation")], "调解中"),
        (vec![("action", "close"), ("result", "settled"), ("note", "商家同意退还余额，联系人13900001111")], "办结"),
        (vec![("action", "follow_up")], "已回访"),
    ] {
        let res = act(app, &c, &id, &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{fields:?}");
        let page = app.page(&c, &format!("/cases/{id}")).await;
        assert!(page.contains(&format!("id=\"case-status\">{want}<")), "{want}");
    }
    let history = app.state.store.case_events(&id, false).await.unwrap();
    assert!(history.iter().all(|e| !e.note.contains("13900001111")), "notes are masked too");

    // The complainant sees the public steps, not the internal assignment.
    let progress = progress(app, &id, &key).await;
    let labels: Vec<&str> =
        progress["events"].as_array().unwrap().iter().filter_map(|e| e["status_label"].as_str()).collect();
    assert_eq!(labels, ["待受理", "已受理", "调解中", "办结", "已回访"]);
}

#[tokio::test]
async fn contact_details_need_a_purpose_and_leave_a_trace() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let (id, _) = submit(&app, "320508").await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    let csrf = csrf_of(&page);
    let bare = c
        .post(app.url(&format!("/cases/{id}/identity")))
        .form(&[("csrf", csrf.as_str()), ("purpose", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let shown = c
        .post(app.url(&format!("/cases/{id}/identity")))
        .form(&[("csrf", csrf.as_str()), ("purpose", "电话联系投诉人安排调解")])
        .send()
        .await
        .unwrap();
    let html = shown.text().await.unwrap();
    assert!(html.contains("13812345678") && html.contains("李秀英") && html.contains("已记入审计日志"));
    let reads = app
        .state
        .store
        .audit_entries(&Filter { action: Some("case.identity.read".into()), limit: 5, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].record.purpose, "电话联系投诉人安排调解");
}

#[tokio::test]
async fn who_sees_which_cases() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await;
    app.member("supervisor.city", &b.city, Role::Supervisor).await;
    app.admin("sys", Role::SysAdmin).await;
    let (id, _) = submit(&app, "320508").await;
    let path = format!("/cases/{id}");
    for (name, want) in [
        ("officer.gusu", StatusCode::OK),
        ("supervisor.city", StatusCode::OK),
        ("officer.wuzhong", StatusCode::NOT_FOUND),
        ("sys", StatusCode::FORBIDDEN),
    ] {
        let c = app.client();
        app.login(&c, name, PASSWORD).await;
        assert_eq!(c.get(app.url(&path)).send().await.unwrap().status(), want, "{name}");
    }
    let anonymous = app.client().get(app.url(&path)).send().await.unwrap();
    assert_eq!(location(&anonymous), Some("/login"));
}

#[tokio::test]
async fn the_enterprise_sees_its_complaints_masked_and_answers() {
    let app = TestApp::start().await;
    app.bureau().await;
    app.user("gym", &[Role::Enterprise]).await; // bound to 91110000600037341L by the helper
    let (id, key) = submit(&app, "320508").await;
    // A report about the same enterprise, and a complaint about another one.
    let report = json!({"kind": "report", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508", "narrative": "这家健身房无证经营，举报人是我，电话13700001111。"});
    Client::new().post(app.url("/api/v1/cases")).json(&report).send().await.unwrap();
    app.confirm_masking(&id).await;
    let c = app.client();
    app.login(&c, "gym", PASSWORD).await;
    let list = app.page(&c, "/enterprise").await;
    assert!(list.contains(&format!("/enterprise/cases/{id}")));
    assert!(!list.contains("无证经营"), "reports are not shown to the enterprise at all");
    assert!(list.contains("<dt>投诉总数</dt><dd>1</dd>"));
    let page = app.page(&c, &format!("/enterprise/cases/{id}")).await;
    for secret in ["13812345678", "李秀英", "人民路88号", "13700001111"] {
        assert!(!page.contains(secret), "{secret} shown to the enterprise");
    }
    assert!(page.contains("138****5678"));
    let csrf = csrf_of(&page);
    let res = c
        .post(app.url(&format!("/enterprise/cases/{id}/reply")))
        .form(&[("csrf", csrf.as_str()), ("reply", "已联系顾客，同意退还余额，本周内办理。")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The complainant reads the reply on the tracking page.
    let progress = progress(&app, &id, &key).await;
    assert!(
        progress["events"].as_array().unwrap().iter().any(|e| e["note"].as_str().unwrap().contains("同意退还余额"))
    );
    // The portal is the enterprise's alone: staff pages stay closed, other enterprises see nothing.
    assert_eq!(c.get(app.url(&format!("/cases/{id}"))).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let hash = xinqiao_web::auth::password::hash(PASSWORD.into()).await.unwrap();
    app.state
        .store
        .create_user(
            &Actor::console(),
            xinqiao_store::users::NewUser {
                username: xinqiao_domain::ids::Username::parse("other.shop").unwrap(),
                display_name: "别家店".into(),
                password_hash: hash,
                org_id: None,
                uscc: Some(xinqiao_domain::ids::Uscc::with_check_char("91320508MA1XQ0002").unwrap()),
                roles: vec![Role::Enterprise],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    let other = app.client();
    app.login(&other, "other.shop", PASSWORD).await;
    assert_eq!(
        other.get(app.url(&format!("/enterprise/cases/{id}"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn officers_with_a_tie_step_aside() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let wang = app.member("officer.wang", &b.gusu, Role::Officer).await;
    let zhao = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    let sun = app.member("officer.sun", &b.gusu, Role::Officer).await;
    // 王 declares he is a fellow townsman of the gym's owner (the seed's 老乡 story).
    let w = app.client();
    app.login(&w, "officer.wang", PASSWORD).await;
    let page = app.page(&w, "/ties").await;
    let res = w
        .post(app.url("/ties"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("kind", "fellow_townsman"),
            ("enterprise_name", "苏州姑苏示例健身管理有限公司"),
            ("note", "老板是同村的"),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("已申报"));
    let bad = w
        .post(app.url("/ties"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("kind", "friendship")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "a tie names its party");

    let (id, _) = submit(&app, "320508").await;
    let z = app.client();
    app.login(&z, "officer.zhao", PASSWORD).await;
    act(&app, &z, &id, &[("action", "accept")]).await;
    let detail = app.page(&z, &format!("/cases/{id}")).await;
    assert!(detail.contains("须回避：申报了与当事方的关系（老乡）"));
    let refused = act(&app, &z, &id, &[("action", "assign"), ("assignee", wang.as_str())]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("须回避"));
    act(&app, &z, &id, &[("action", "assign"), ("assignee", zhao.as_str())]).await;
    assert_eq!(app.state.store.case(&id).await.unwrap().assigned_to.as_deref(), Some(zhao.as_str()));

    // 赵 steps aside; the case goes to 孙, the only one left free of ties.
    let detail = app.page(&z, &format!("/cases/{id}")).await;
    let res = z
        .post(app.url(&format!("/cases/{id}/recuse")))
        .form(&[("csrf", csrf_of(&detail).as_str()), ("reason", "投诉人是我表姐")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.store.case(&id).await.unwrap().assigned_to.as_deref(), Some(sun.as_str()));
    let actions: Vec<String> = app
        .state
        .store
        .audit_entries(&Filter { limit: 100, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect();
    assert!(actions.contains(&"officer.tie".to_owned()) && actions.contains(&"case.recuse".to_owned()));
}

#[tokio::test]
async fn the_work_log_and_case_notes_are_masked() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let (id, _) = submit(&app, "320508").await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, "/worklog").await;
    let csrf = csrf_of(&page);
    let yesterday = xinqiao_domain::calendar::Date(app.today().0 - 1).to_string();
    let res = c
        .post(app.url("/worklog"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("day", yesterday.as_str()),
            ("solved", "帮五金店的刘德明老板填了年报，他的电话13900001111"),
            ("party_said", "市场监管局的小伙子比我儿子还贴心"),
            ("learned", "把流程图打印出来贴在店里最管用"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), Some("/worklog"));
    let log = app.page(&c, "/worklog").await;
    assert!(log.contains(&yesterday) && log.contains("比我儿子还贴心") && log.contains("139****1111"));
    assert!(!log.contains("13900001111"));
    let future = c
        .post(app.url("/worklog"))
        .form(&[("csrf", csrf.as_str()), ("day", "2099-01-01"), ("solved", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let detail = app.page(&c, &format!("/cases/{id}")).await;
    c.post(app.url(&format!("/cases/{id}/note")))
        .form(&[("csrf", csrf_of(&detail).as_str()), ("text", "已联系商家，老板手机15900001111同意周五前退款")])
        .send()
        .await
        .unwrap();
    let detail = app.page(&c, &format!("/cases/{id}")).await;
    assert!(detail.contains("同意周五前退款") && !detail.contains("15900001111"));
}

#[tokio::test]
async fn due_and_overdue_views() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let me = app.member("officer.li", &b.gusu, Role::Officer).await;
    let (old, _) = submit(&app, "320508").await;
    let (fresh, _) = submit(&app, "320508").await;
    sqlx::query("UPDATE cases SET received_day = received_day - 40 WHERE id = $1")
        .bind(&old)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let overdue = app.page(&c, "/cases?view=overdue").await;
    assert!(overdue.contains(&format!("/cases/{old}")) && !overdue.contains(&format!("/cases/{fresh}")));
    assert!(overdue.contains("已超期"));
    let none = app.page(&c, "/cases?view=mine").await;
    assert!(
        !none.contains(&format!("/cases/{old}")) && !none.contains(&format!("/cases/{fresh}")),
        "nothing assigned yet"
    );
    act(&app, &c, &fresh, &[("action", "accept")]).await;
    act(&app, &c, &fresh, &[("action", "assign"), ("assignee", me.as_str())]).await;
    let mine = app.page(&c, "/cases?view=mine").await;
    assert!(mine.contains(&format!("/cases/{fresh}")) && !mine.contains(&format!("/cases/{old}")));
}

#[tokio::test]
async fn testing_pauses_the_mediation_clock() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let me = app.member("officer.li", &b.gusu, Role::Officer).await;
    let (id, key) = submit(&app, "320508").await;
    let c = app.client();
    app.login(&c, "officer.li", PASSWORD).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(page.contains("受理决定期限"));
    act(&app, &c, &id, &[("action", "accept")]).await;
    act(&app, &c, &id, &[("action", "assign"), ("assignee", me.as_str())]).await;
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(page.contains("调解期限") && page.contains("未核实"), "Order 121's mediation limit is unverified");
    let csrf = csrf_of(&page);
    let res = c
        .post(app.url(&format!("/cases/{id}/pause")))
        .form(&[("csrf", csrf.as_str()), ("reason", "testing")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(page.contains("暂停计时") && page.contains("id=\"resume-clock\""));
    let twice = c
        .post(app.url(&format!("/cases/{id}/pause")))
        .form(&[("csrf", csrf.as_str()), ("reason", "testing")])
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    c.post(app.url(&format!("/cases/{id}/resume"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    let page = app.page(&c, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"pause-clock\""));
    // The complainant is told the clock stood still.
    let progress = progress(&app, &id, &key).await;
    let notes: Vec<&str> = progress["events"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
    assert!(notes.contains(&"因检测鉴定暂停计算期限。") && notes.contains(&"恢复计算期限。"));
}

#[tokio::test]
async fn case_pages_per_role() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("reviewer.chen", &b.gusu, Role::Reviewer).await;
    app.user("gym", &[Role::Enterprise]).await;
    for (name, role) in [("sys", Role::SysAdmin), ("sec", Role::SecAdmin), ("aud", Role::AuditAdmin)] {
        app.admin(name, role).await;
    }
    let (id, _) = submit(&app, "320508").await;
    let staff_pages = ["/cases".to_owned(), format!("/cases/{id}"), "/ties".into(), "/worklog".into()];
    let mut refused = 0;
    for (name, staff_ok, portal_ok) in [
        ("officer.li", true, false),
        ("supervisor.wang", true, false),
        ("reviewer.chen", false, false),
        ("gym", false, true),
        ("sys", false, false),
        ("sec", false, false),
        ("aud", false, false),
    ] {
        let c = app.client();
        app.login(&c, name, PASSWORD).await;
        for path in &staff_pages {
            let status = c.get(app.url(path)).send().await.unwrap().status();
            let want = if staff_ok { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(status, want, "{name} GET {path}");
        }
        let portal = c.get(app.url("/enterprise")).send().await.unwrap().status();
        assert_eq!(portal, if portal_ok { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{name} GET /enterprise");
        // State-changing posts are refused the same way (the CSRF token is the caller's own).
        let home = app.page(&c, "/").await;
        let csrf = csrf_of(&home);
        let post = c
            .post(app.url(&format!("/cases/{id}/note")))
            .form(&[("csrf", csrf.as_str()), ("text", "电话联系了商家")])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(post, if staff_ok { StatusCode::SEE_OTHER } else { StatusCode::FORBIDDEN }, "{name} POST note");
        refused += if staff_ok { 0 } else { staff_pages.len() + 1 } + usize::from(!portal_ok);
    }
    let denied = app
        .state
        .store
        .audit_entries(&Filter { action: Some("access.denied".into()), limit: 500, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(denied.len(), refused, "every refusal is recorded");
}
