//! 任职资格's forms: a dossier's bad rows are told beside their fields, and answers handed in
//! after the test's time are refused.

use crate::helpers::*;
use crate::qualification::{Api, candidate, dossier};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn bad_dossier_rows_are_told_beside_their_fields_and_late_answers_are_refused() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    candidate(&app, "cand", &b.gusu).await;
    let c = app.client();
    app.login(&c, "cand", PASSWORD).await;

    // The framework page says the shipped framework is an unverified example.
    let page = app.page(&c, "/qualification/framework").await;
    assert!(page.contains("2026.1") && page.contains("尚未经本局审定"), "unverified framework shown as such");

    // The dossier is typed in rows: a row missing its post and start is told beside those
    // fields of that row (linked by aria-describedby), the values are kept, nothing is stored.
    let csrf = csrf_of(&app.page(&c, "/qualification/apply").await);
    let post = |pairs: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(pairs);
        let c = c.clone();
        let url = app.url("/qualification/apply");
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    beside(&html, "work-0-post", "请填写岗位");
    assert!(html.contains(r#"value="姑苏区局""#), "the unit is kept");
    assert!(html.contains(r#"<option value="routine_inspection" selected>"#), "the type is kept");
    // A type that is not one of the five, and a second row ending before it starts, are each
    // told beside their own field; the first row being fine does not hide the second's fault.
    let today = app.today();
    let day = |back: i64| xinqiao_domain::calendar::Date(today.0 - back).to_string();
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "巡逻".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "队员".into()),
        ("work_start", "2020-01-01".into()),
        ("work_end", "".into()),
        ("work_kind", "case_handling".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "投诉处理".into()),
        ("work_start", day(10)),
        ("work_end", day(20)),
        ("training_date", day(5)),
        ("training_hours", "八".into()),
        ("training_topic", "条例".into()),
        ("gifts_date", day(5)),
        ("gifts_offered_by", "某超市".into()),
        ("gifts_description", "月饼".into()),
        ("gifts_refused", "".into()),
        ("gifts_declared", "yes".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    beside(&html, "work-0-kind", "工作类型“巡逻”");
    beside(&html, "work-1-end", "结束日期早于开始日期");
    beside(&html, "training-0-hours", "学时应为数字");
    beside(&html, "gifts-0-refused", "请选择是否拒收");
    assert!(!html.contains(r#"id="work-0-unit-error""#), "a right field has no message");
    assert!(html.contains("有 4 处需要修改"), "the summary counts every mistake");
    assert!(app.state.store.assessments(None, None).await.unwrap().is_empty());

    // 添加一行 (without any script) shows the form again with one more row in that list, the
    // rows typed so far kept and the new row's first field focused; nothing is sent.
    let res = post(vec![
        ("current_post", "科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区局".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
        ("add", "work".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"id="work-1-kind" name="work_kind" autofocus"#), "a second, focused row");
    assert!(!html.contains(r#"id="work-2-kind""#), "exactly one row added");
    assert!(html.contains(r#"value="姑苏区局""#) && !html.contains("field-error"), "kept, not checked");
    assert!(app.state.store.assessments(None, None).await.unwrap().is_empty());

    // The rows, filled right, make the same dossier the API takes (blank rows left out).
    let res = post(vec![
        ("current_post", "消费者权益保护科科员".into()),
        ("work_kind", "routine_inspection".into()),
        ("work_unit", "姑苏区市场监督管理局".into()),
        ("work_post", "食品安全检查员".into()),
        ("work_start", day(5 * 365)),
        ("work_end", day(400)),
        ("work_kind", "".into()),
        ("work_unit", "".into()),
        ("work_post", "".into()),
        ("work_start", "".into()),
        ("work_end", "".into()),
        ("work_kind", "案件办理".into()),
        ("work_unit", "姑苏区市场监督管理局".into()),
        ("work_post", "投诉处理".into()),
        ("work_start", day(399)),
        ("work_end", "".into()),
        ("training_date", day(30)),
        ("training_hours", "8".into()),
        ("training_topic", "消费者权益保护法实施条例".into()),
        ("declaration_date", day(20)),
        ("declaration_complete", "1".into()),
        ("ties_tie", "表弟在某超市任店长".into()),
        ("pledge_signed", day(20)),
        ("pledge_version", "2025版".into()),
        ("gifts_date", day(100)),
        ("gifts_offered_by", "某超市".into()),
        ("gifts_description", "月饼两盒".into()),
        ("gifts_refused", "yes".into()),
        ("gifts_declared", "yes".into()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let row = app.state.store.assessments(None, None).await.unwrap().pop().unwrap();
    assert_eq!(row.status, "in_progress", "every gate passed");
    let d = xinqiao_web::qualification::service::open_dossier(&app.state, &row).unwrap();
    assert_eq!(d.work.len(), 2, "the blank row is left out");
    assert_eq!((d.work[1].kind.as_str(), d.work[1].end.is_none()), ("案件办理", true));
    assert_eq!((d.training[0].hours, d.gifts[0].refused, d.gifts[0].declared), (8.0, true, true));
    assert_eq!(d.declaration.as_ref().unwrap().ties, vec!["表弟在某超市任店长".to_owned()]);

    // Answers after the deadline (and its one-minute grace) are refused.
    candidate(&app, "cand2", &b.gusu).await;
    let api = Api::new(&app);
    let token = app.token("cand2").await;
    let (_, a) = api.call(&token, "POST", "/api/v1/qualification/assessments", Some(dossier(app.today(), 5))).await;
    let id = a["id"].as_str().unwrap();
    let (s, _) = api.call(&token, "GET", &format!("/api/v1/qualification/assessments/{id}/test"), None).await;
    assert_eq!(s, StatusCode::OK);
    sqlx::query("UPDATE qual_assessments SET test_due_at = $1 WHERE id = $2")
        .bind(app.state.now_ms() - 61_000)
        .bind(id)
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let (s, e) = api
        .call(&token, "POST", &format!("/api/v1/qualification/assessments/{id}/test"), Some(json!({"answers": {}})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("时间已到") || e.to_string().contains("time_up"), "{e}");
    let row = app.state.store.assessment(id).await.unwrap().unwrap();
    assert!(row.answers.is_none(), "nothing stored");
}
