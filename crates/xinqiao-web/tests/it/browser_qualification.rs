//! In headless Chromium: one candidate from application to certificate. The candidate applies
//! with their dossier and takes the timed test; the supervisor draws the panel; three 评审员
//! score blind against the rubric anchors; the supervisor scores the record evidence and
//! decides; the decision report draws its radar chart and the candidate is on the roster, 在岗.

use crate::browser::*;
use crate::helpers::*;
use crate::qualification::best_answers;
use fantoccini::Client;
use serde_json::Value;
use xinqiao_domain::accounts::Role;

async fn set_value(c: &Client, id: &str, value: &str) -> Step {
    let script = "document.getElementById(arguments[0]).value = arguments[1];";
    c.execute(script, vec![Value::from(id), Value::from(value)]).await.map(|_| ()).map_err(e2s)
}

async fn sign_out_and_in(app: &TestApp, c: &Client, username: &str) -> Step {
    navigate(c, "#logout").await?;
    sign_in(app, c, username, PASSWORD).await
}

async fn scenario(app: &TestApp, c: &Client) -> Step {
    // The candidate applies.
    sign_in(app, c, "cand", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/qualification']").await?;
    ensure(text(c, "#my-status").await? == "未持证", "not yet certified")?;
    navigate(c, "#apply").await?;
    fill(c, "#current_post", "消费者权益保护科科员").await?;
    let today = app.state.today();
    let day = |back: i64| xinqiao_domain::calendar::Date(today.0 - back).to_string();
    let work = format!(
        "日常检查|姑苏区市场监督管理局|食品安全检查员|{}|{}\n案件办理|姑苏区市场监督管理局|投诉处理|{}",
        day(5 * 365),
        day(400),
        day(399)
    );
    fill(c, "#work", &work).await?;
    fill(c, "#training", &format!("{}|8|消费者权益保护法实施条例", day(30))).await?;
    set_value(c, "declaration_date", &day(20)).await?;
    click(c, "#declaration_complete").await?;
    set_value(c, "pledge_signed", &day(20)).await?;
    fill(c, "#pledge_version", "2025版").await?;
    navigate(c, "#apply-submit").await?;
    ensure(text(c, "#status").await? == "评估中", "gates passed, the assessment runs")?;
    let assessment = path(c).await?;

    // The timed test: a countdown, answered and handed in.
    navigate(c, "#start-test").await?;
    let countdown = text(c, "#countdown").await?;
    ensure(countdown.contains("剩余时间"), format!("countdown shown: {countdown}"))?;
    let ids = c
        .execute(
            "return Array.from(document.querySelectorAll('fieldset.question')).map(f => ({id: f.id.slice(2)}));",
            vec![],
        )
        .await
        .map_err(e2s)?;
    for (item, keys) in best_answers(&ids) {
        for k in keys {
            click(c, &format!("input[name='q_{item}'][value='{k}']")).await?;
        }
    }
    // 交卷 cannot be undone: the page script asks first, and the answer hands it in at once.
    click(c, "#hand-in").await?;
    c.accept_alert().await.map_err(e2s)?;
    let done = text(c, "#test-done").await?;
    ensure(done.contains("已交卷"), format!("handed in: {done}"))?;

    // The supervisor draws the panel.
    sign_out_and_in(app, c, "boss").await?;
    c.goto(&app.url(&assessment)).await.map_err(e2s)?;
    fill(c, "#source", "2026-11-27 排列五 12345").await?;
    navigate(c, "#draw-panel").await?;
    let panel = text(c, "#panel").await?;
    ensure(panel.matches("未评分").count() == 3, format!("three assessors drawn: {panel}"))?;

    // Each assessor scores against the anchors, seeing only their own scores.
    for reviewer in ["rev.a", "rev.b", "rev.c"] {
        sign_out_and_in(app, c, reviewer).await?;
        c.goto(&app.url(&assessment)).await.map_err(e2s)?;
        c.execute(
            "document.querySelectorAll(\"#score-form input[type=radio][value='4']\").forEach(r => r.click());",
            vec![],
        )
        .await
        .map_err(e2s)?;
        navigate(c, "#submit-scores").await?;
        let criteria = text(c, "#criteria").await?;
        ensure(!criteria.contains("4 4 4") || reviewer == "rev.c", format!("blind before all are in: {criteria}"))?;
    }

    // The supervisor scores the record evidence and decides.
    sign_out_and_in(app, c, "boss").await?;
    c.goto(&app.url(&assessment)).await.map_err(e2s)?;
    for code in ["integrity", "frontline", "enterprise_service", "policy_update", "method_innovation", "review"] {
        fill(c, &format!("#score_{code}"), "4").await?;
    }
    navigate(c, "#save-evidence").await?;
    navigate(c, "#decide").await?;
    ensure(text(c, "#verdict").await? == "合格", "qualified")?;
    let number = text(c, "#certificate").await?;
    ensure(number.starts_with("KHTYG-320508-"), format!("certificate number: {number}"))?;
    chart_drawn(c, "#decision").await?;

    // The roster shows the new officer 在岗, and so does their own page.
    navigate(c, "#main-nav a[href='/qualification']").await?;
    navigate(c, "#roster-link").await?;
    let roster = text(c, "#roster").await?;
    ensure(roster.contains(&number) && roster.contains("在岗"), format!("on the roster: {roster}"))?;
    sign_out_and_in(app, c, "cand").await?;
    c.goto(&app.url("/qualification")).await.map_err(e2s)?;
    ensure(text(c, "#my-status").await? == "在岗", "the candidate is now an officer on duty")
}

#[tokio::test]
async fn a_candidate_from_application_to_certificate() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("boss", &b.gusu, Role::Supervisor).await;
    for (name, org) in [("rev.a", &b.city), ("rev.b", &b.city), ("rev.c", &b.wuzhong)] {
        app.member(name, org, Role::Reviewer).await;
    }
    crate::qualification::candidate(&app, "cand", &b.gusu).await;
    let Some((_driver, c)) = browser().await else { return };
    let result = scenario(&app, &c).await;
    finish("qualification", c, result).await;
    let cand = app.state.store.user_by_name("cand").await.unwrap();
    let today = app.state.today();
    assert!(app.state.store.may_take_cases(&cand.id, today).await.unwrap(), "now offered cases");
}
