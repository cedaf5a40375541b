//! 时限不断档: the deadline-bearing flows hold whatever today is (the last week of the last
//! verified notice, two years past it), dates past the notices say they are provisional, and a
//! new year's notice loaded by the system administrator moves open deadlines on every node.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::{Basis, Calendar, Date, Statutory};
use xinqiao_store::audit::Filter;

/// A day in the last week of the last year the shipped notices cover.
fn last_week() -> String {
    format!("{}-12-28", Calendar::builtin().last_verified_year().unwrap())
}

/// A day two years past the shipped notices.
fn two_years_on() -> String {
    format!("{}-12-27", Calendar::builtin().last_verified_year().unwrap() + 2)
}

mod flows_at_the_edge {
    use super::*;

    #[tokio::test]
    async fn inspection_results_in_the_last_week() {
        let app = TestApp::start_at(&last_week()).await;
        crate::inspections::a_task_from_commitment_to_published_results_on(&app).await;
    }

    #[tokio::test]
    async fn inspection_results_two_years_on() {
        let app = TestApp::start_at(&two_years_on()).await;
        crate::inspections::a_task_from_commitment_to_published_results_on(&app).await;
    }

    #[tokio::test]
    async fn complaint_intake_to_follow_up_in_the_last_week() {
        let app = TestApp::start_at(&last_week()).await;
        crate::casework::an_officer_takes_a_complaint_from_intake_to_follow_up_on(&app).await;
    }

    #[tokio::test]
    async fn complaint_intake_to_follow_up_two_years_on() {
        let app = TestApp::start_at(&two_years_on()).await;
        crate::casework::an_officer_takes_a_complaint_from_intake_to_follow_up_on(&app).await;
    }

    #[tokio::test]
    async fn odr_window_in_the_last_week() {
        let app = TestApp::start_at(&last_week()).await;
        crate::settlement::an_odr_enterprise_settles_first_and_the_complainant_accepts_on(&app).await;
    }

    #[tokio::test]
    async fn odr_window_two_years_on() {
        let app = TestApp::start_at(&two_years_on()).await;
        crate::settlement::an_odr_enterprise_settles_first_and_the_complainant_accepts_on(&app).await;
    }

    #[tokio::test]
    async fn qualification_and_its_appeal_window_in_the_last_week() {
        let app = TestApp::start_at(&last_week()).await;
        crate::qualification::a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them_on(&app)
            .await;
    }

    #[tokio::test]
    async fn qualification_and_its_appeal_window_two_years_on() {
        let app = TestApp::start_at(&two_years_on()).await;
        crate::qualification::a_candidate_goes_from_application_to_a_certificate_that_routes_cases_to_them_on(&app)
            .await;
    }

    async fn demo(day: &str) {
        let app = TestApp::start_at(day).await;
        crate::pages::demo_seed_has_every_role_on(&app).await;
        let history = xinqiao_web::insights::demo::seed_history(&app.state, 200).await.unwrap();
        assert!(history > 0);
        xinqiao_web::insights::scan(&app.state, app.today()).await.unwrap();
    }

    #[tokio::test]
    async fn the_demo_in_the_last_week() {
        demo(&last_week()).await;
    }

    #[tokio::test]
    async fn the_demo_two_years_on() {
        demo(&two_years_on()).await;
    }

    #[tokio::test]
    async fn campaign_windows_in_the_last_week() {
        let app = TestApp::start_at(&last_week()).await;
        crate::insights::campaigns_are_measured_before_and_after_on(&app).await;
    }

    #[tokio::test]
    async fn campaign_windows_two_years_on() {
        let app = TestApp::start_at(&two_years_on()).await;
        crate::insights::campaigns_are_measured_before_and_after_on(&app).await;
    }
}

async fn submit(app: &TestApp, kind: &str) -> Value {
    let body = json!({
        "kind": kind, "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508",
        "narrative": "健身房突然关门，预付卡里还有三千元。", "demand": "退还余额", "name": "李秀英", "mobile": "13812345678",
        "address": "苏州市姑苏区人民路88号"
    });
    let res = Client::new().post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

async fn progress(app: &TestApp, receipt: &Value) -> Value {
    let code = receipt["cases"][0]["tracking_code"].as_str().unwrap();
    let key = receipt["access_key"].as_str().unwrap();
    let res =
        Client::new().get(app.url(&format!("/api/v1/cases/{code}"))).header("x-access-key", key).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn deadlines_past_the_notices_are_provisional_and_say_so_everywhere() {
    let app = TestApp::start_at(&last_week()).await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let next = Calendar::builtin().last_verified_year().unwrap() + 1;
    let note = format!("暂按法定节假日计算，{next}年调休安排尚未公布");

    let complaint = submit(&app, "complaint").await;
    assert_eq!(complaint["decision_due_provisional"], true, "{complaint}");
    assert_eq!(complaint["calendar_note"], note.as_str());
    assert!(complaint["decision_due"].as_str().unwrap().starts_with(&next.to_string()));
    let report = submit(&app, "report").await;
    assert_eq!(report["decision_due_provisional"], true, "{report}");

    // The tracking answer and page repeat it.
    let p = progress(&app, &complaint).await;
    assert_eq!(p["deadline"]["provisional"], true, "{p}");
    assert_eq!(p["deadline"]["date"], complaint["decision_due"]);
    let code = complaint["cases"][0]["tracking_code"].as_str().unwrap();
    let public = app.client();
    let page = public
        .post(app.url("/track"))
        .form(&[("code", code), ("key", complaint["access_key"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"deadline-provisional\"") && page.contains(&note), "{page}");

    // The staff queue marks it, the case page says why.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let queue = app.page(&li, "/cases").await;
    assert!(queue.contains("暂定") && queue.contains(&note), "{queue}");
    let id = app.state.store.case_by_tracking_code(&code.replace('-', "")).await.unwrap().id;
    let page = app.page(&li, &format!("/cases/{id}")).await;
    assert!(page.contains("id=\"deadline-provisional\"") && page.contains(&note));
    // The export carries it too.
    let csv = li.get(app.url("/cases/export.csv")).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("日历依据"), "{csv}");
    let line = csv.lines().find(|l| l.contains(&code.to_string())).unwrap();
    assert!(line.contains(&note) && line.contains("受理决定"), "{line}");
}

#[tokio::test]
async fn a_deadline_inside_the_notices_is_not_provisional() {
    let year = Calendar::builtin().last_verified_year().unwrap();
    let app = TestApp::start_at(&format!("{year}-12-01")).await;
    let r = submit(&app, "complaint").await;
    assert_eq!(r["decision_due_provisional"], false, "{r}");
    assert!(r["calendar_note"].is_null());
}

/// A notice for `year`: every statutory holiday off, plus `extra` days off.
fn notice(year: i64, extra: &[&str]) -> String {
    let mut off: Vec<String> = Statutory::builtin().days(year).into_iter().map(|d| d.date.to_string()).collect();
    off.extend(extra.iter().map(|s| s.to_string()));
    let list = off.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
    format!(
        "[{year}]\nsource = \"国务院办公厅关于{year}年部分节假日安排的通知（测试用）\"\nverified = true\noff = [{list}]\nwork = []\n"
    )
}

async fn load_page(app: &TestApp, c: &Client, text: &str) -> reqwest::Response {
    let page = app.page(c, "/admin/calendar").await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf_of(&page)).text("notice", text.to_owned());
    c.post(app.url("/admin/calendar")).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn a_loaded_notice_moves_open_deadlines_on_every_node() {
    let year = Calendar::builtin().last_verified_year().unwrap();
    let next = year + 1;
    // Received Monday 12-28: 12-29, 30, 31, then 01-04 … 01-07 on the statutory base of next year.
    let app = TestApp::start_at(&format!("{year}-12-28")).await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.admin("admin", Role::SysAdmin).await;
    let node_b = app.another_node().await;
    xinqiao_web::calendar::start_follower(node_b.state.clone(), Duration::from_millis(50));
    let receipt = submit(&app, "complaint").await;
    let before = receipt["decision_due"].as_str().unwrap().to_owned();
    assert_eq!(receipt["decision_due_provisional"], true);

    let admin = app.client();
    app.login(&admin, "admin", PASSWORD).await;
    let home = app.page(&admin, "/").await;
    assert!(home.contains("id=\"calendar-reminder\"") && home.contains(&format!("只到 {year} 年")), "{home}");
    let metrics = Client::new().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(&format!("xinqiao_calendar_verified_until_year {year}")));

    // A notice that does not fit its year is refused with its problems, and nothing is stored.
    let bad = notice(next, &[]).replace("off = [\"", &format!("off = [\"{year}-12-31\", \""));
    let bad = bad.replace("work = []", &format!("work = [\"{next}-01-04\"]"));
    let res = load_page(&app, &admin, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("{year}-12-31 不在 {next} 年内")) && page.contains("不必列为调休上班日"), "{page}");
    assert!(app.state.store.calendar_notice_history().await.unwrap().is_empty());
    // An officer or supervisor may not load one.
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let res = load_page(&app, &wang, &notice(next, &[])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The notice (with 01-04 off as well) is loaded: the deadline moves by one working day.
    let res = load_page(&app, &admin, &notice(next, &[&format!("{next}-01-04")])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("已导入 {next} 年（第 1 版）")) && page.contains("1 件诉求"), "{page}");
    assert_eq!(app.state.calendar().basis(next), Basis::Notice);
    let p = progress(&app, &receipt).await;
    let after = p["deadline"]["date"].as_str().unwrap().to_owned();
    assert_eq!(Date::parse(&after).unwrap().0, Date::parse(&before).unwrap().0 + 1, "{before} → {after}");
    assert_eq!(p["deadline"]["provisional"], false);
    let moved = format!("受理决定期限由 {before} 调整为 {after}");
    assert!(p["events"].as_array().unwrap().iter().any(|e| e["note"].as_str().unwrap().contains(&moved)), "{p}");
    let f = Filter { action: Some("calendar.load".into()), limit: 10, ..Default::default() };
    assert_eq!(app.state.store.audit_entries(&f).await.unwrap().len(), 1);
    let home = app.page(&admin, "/").await;
    assert!(!home.contains("id=\"calendar-reminder\""), "the horizon moved on a year");

    // The other node picks it up without a restart.
    let mut waited = 0;
    while node_b.state.calendar().basis(next) != Basis::Notice {
        assert!(waited < 200, "node B never read the notice");
        tokio::time::sleep(Duration::from_millis(25)).await;
        waited += 1;
    }
    let p = progress(&node_b, &receipt).await;
    assert_eq!(p["deadline"]["date"], after.as_str());

    // A second version of the year replaces the first; the history keeps both.
    let res = load_page(&app, &admin, &notice(next, &[])).await;
    assert!(res.text().await.unwrap().contains(&format!("已导入 {next} 年（第 2 版）")));
    assert_eq!(progress(&app, &receipt).await["deadline"]["date"], before.as_str());
    assert_eq!(app.state.store.calendar_notice_history().await.unwrap().len(), 2);
    let restarted = app.restart().await;
    xinqiao_web::calendar::refresh(&restarted.state).await.unwrap();
    assert_eq!(restarted.state.calendar().basis(next), Basis::Notice, "kept across a restart");
}

#[tokio::test]
async fn the_calendar_api_says_what_each_year_rests_on() {
    let year = Calendar::builtin().last_verified_year().unwrap();
    let app = TestApp::start_at(&format!("{year}-11-10")).await;
    let v: Value = Client::new().get(app.url("/api/v1/calendar")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["last_verified_year"], year);
    assert_eq!(v["days_left"], 51);
    assert!(v["reminder"].as_str().unwrap().contains(&format!("{} 年安排", year + 1)));
    let next = v["years"].as_array().unwrap().iter().find(|y| y["year"] == year + 1).unwrap();
    assert_eq!(next["basis"], "statutory");
    assert!(next["statutory"].as_array().unwrap().iter().any(|d| d[1] == "春节"));
    let early = TestApp::start_at(&format!("{year}-10-01")).await;
    let v: Value = Client::new().get(early.url("/api/v1/calendar")).send().await.unwrap().json().await.unwrap();
    assert!(v["reminder"].is_null(), "91 days before the end: no reminder yet");

    // Loading over the API takes the system administrator's token.
    app.admin("admin", Role::SysAdmin).await;
    let token = app.token("admin").await;
    let res = Client::new()
        .post(app.url("/api/v1/calendar/notices"))
        .bearer_auth(&token)
        .json(&json!({"toml": notice(year + 1, &[])}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = Client::new()
        .post(app.url("/api/v1/calendar/notices"))
        .bearer_auth(&token)
        .json(&json!({"toml": "[2031]\nsource = \"x\"\noff = []\nwork = []\n"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("是法定节假日"));
}
