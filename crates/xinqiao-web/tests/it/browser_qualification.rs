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

pub(crate) async fn set_value(c: &Client, id: &str, value: &str) -> Step {
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
    // Two posts: the form offers two work rows; a third would come from 添加一行.
    choose(c, "#work-0-kind", "routine_inspection").await?;
    fill(c, "#work-0-unit", "姑苏区市场监督管理局").await?;
    fill(c, "#work-0-post", "食品安全检查员").await?;
    set_value(c, "work-0-start", &day(5 * 365)).await?;
    set_value(c, "work-0-end", &day(400)).await?;
    choose(c, "#work-1-kind", "case_handling").await?;
    fill(c, "#work-1-unit", "姑苏区市场监督管理局").await?;
    fill(c, "#work-1-post", "投诉处理").await?;
    set_value(c, "work-1-start", &day(399)).await?;
    set_value(c, "training-0-date", &day(30)).await?;
    fill(c, "#training-0-hours", "8").await?;
    fill(c, "#training-0-topic", "消费者权益保护法实施条例").await?;
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

/// `(scrollWidth, innerWidth)` of the page shown.
async fn widths(c: &Client) -> Result<(i64, i64), String> {
    let v =
        c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.map_err(e2s)?;
    let w = |i: usize| v.get(i).and_then(Value::as_i64).ok_or_else(|| format!("no width in {v}"));
    Ok((w(0)?, w(1)?))
}

async fn fits(c: &Client, what: &str) -> Step {
    let (scroll, inner) = widths(c).await?;
    ensure(scroll <= inner, format!("{what}: the page is {scroll} px wide in a {inner} px window"))
}

/// The dossier's rows at one width: 添加一行 adds a row (focused, the rows typed so far kept), a
/// wrong field of that row is told beside it, and nothing is wider than the window.
async fn rows_scenario(app: &TestApp, c: &Client, width: u32) -> Step {
    c.set_window_size(width, 900).await.map_err(e2s)?;
    c.goto(&app.url("/qualification/apply")).await.map_err(e2s)?;
    fits(c, "the application form").await?;
    fill(c, "#current_post", "科员").await?;
    choose(c, "#work-0-kind", "routine_inspection").await?;
    fill(c, "#work-0-unit", "姑苏区市场监督管理局").await?;
    ensure(c.find(fantoccini::Locator::Css("#work-2-kind")).await.is_err(), "two rows to begin with")?;
    navigate(c, "#add-work").await?;
    let focused = c.execute("return document.activeElement.id;", vec![]).await.map_err(e2s)?;
    ensure(focused.as_str() == Some("work-2-kind"), format!("the new row is focused: {focused}"))?;
    let unit = c.find(fantoccini::Locator::Css("#work-0-unit")).await.map_err(e2s)?.prop("value").await.map_err(e2s)?;
    ensure(unit.as_deref() == Some("姑苏区市场监督管理局"), "the first row is kept")?;
    fits(c, "the form with a third row").await?;
    // At 1366 px a row's fields stand side by side; on a phone they are stacked.
    let side_by_side = c
        .execute(
            "const a = document.getElementById('work-2-unit').getBoundingClientRect();\
             const b = document.getElementById('work-2-post').getBoundingClientRect();\
             return Math.abs(a.top - b.top) < 2;",
            vec![],
        )
        .await
        .map_err(e2s)?
        .as_bool()
        .unwrap_or(false);
    ensure(side_by_side == (width > 800), format!("at {width} px side by side: {side_by_side}"))?;
    choose(c, "#work-2-kind", "case_handling").await?;
    fill(c, "#work-2-unit", "姑苏区市场监督管理局").await?;
    navigate(c, "#apply-submit").await?;
    ensure(text(c, "#apply-error").await?.contains("需要修改"), "the summary of mistakes")?;
    ensure(text(c, "#work-2-post-error").await?.contains("请填写岗位"), "told beside the third row's post")?;
    let described = c
        .find(fantoccini::Locator::Css("#work-2-post"))
        .await
        .map_err(e2s)?
        .attr("aria-describedby")
        .await
        .map_err(e2s)?;
    ensure(described.as_deref() == Some("work-2-post-error"), "the field points at its message")?;
    fits(c, "the form with its errors").await
}

#[tokio::test]
async fn the_dossier_rows_grow_and_tell_mistakes_in_place() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    crate::qualification::candidate(&app, "cand", &b.gusu).await;
    let Some((_driver, c)) = browser().await else { return };
    let mut result = sign_in(&app, &c, "cand", PASSWORD).await;
    for width in [1366, 390] {
        if result.is_ok() {
            result = rows_scenario(&app, &c, width).await;
        }
    }
    finish("qualification-rows", c, result).await;
}
