//! 突发事件 in headless Chromium at 1366 px and at 390 px: a member of the public submits the
//! first complaint, an officer opens an incident, links the complaint by its 受理编号 and drafts a
//! statement, a supervisor publishes it, and the public page shows it; no page scrolls sideways.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::Client;
use xinqiao_domain::accounts::Role;

async fn fits(c: &Client, what: &str) -> Step {
    let widths =
        c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.map_err(e2s)?;
    let w: Vec<i64> = serde_json::from_value(widths).map_err(e2s)?;
    ensure(w[0] <= w[1], format!("{what}: the page is {} px wide in a {} px window", w[0], w[1]))
}

async fn from_complaint_to_statement(c: &Client, app: &TestApp, width: u32, title: &str) -> Step {
    c.set_window_size(width, 900).await.map_err(e2s)?;
    // The first complaint, from the public form.
    c.goto(&app.url("/submit?kind=complaint")).await.map_err(e2s)?;
    fill(c, "#enterprise_name", "示例奶茶店").await?;
    choose(c, "#industry", "H").await?;
    choose(c, "#region_code", "320508").await?;
    fill(c, "#narrative", "今天买的奶茶里喝出一块塑料片，店员说不可能，拒绝处理。").await?;
    fill(c, "#demand", "道歉并退款").await?;
    fill(c, "#name", "李秀英").await?;
    fill(c, "#mobile", "13812345678").await?;
    fill(c, "#address", "苏州市姑苏区人民路88号").await?;
    navigate(c, "#preview-case").await?;
    navigate(c, "#submit-case").await?;
    let code = text(c, "#code-1").await?;
    ensure(!code.is_empty(), "the receipt shows the 受理编号")?;

    // The officer opens the incident, links the complaint and drafts the statement.
    sign_in(app, c, "officer.gusu", PASSWORD).await?;
    c.goto(&app.url("/incidents")).await.map_err(e2s)?;
    fits(c, "the incident list").await?;
    fill(c, "#new-incident input[name=title]", title).await?;
    fill(c, "#new-incident input[name=enterprise_name]", "示例奶茶店").await?;
    navigate(c, "#new-incident button[type=submit]").await?;
    let incident = path(c).await?;
    fill(c, "#new-link input[name=target]", &code).await?;
    navigate(c, "#new-link button[type=submit]").await?;
    let links = text(c, "#links").await?;
    ensure(links.contains("诉求"), format!("the complaint is linked: {links}"))?;
    fill(c, "#new-statement textarea[name=facts]", "经查，异物为员工操作时掉落的塑料片，已封存同批次原料。").await?;
    navigate(c, "#new-statement button[type=submit]").await?;
    fits(c, "the incident page").await?;

    // A second person publishes it.
    c.delete_all_cookies().await.map_err(e2s)?;
    sign_in(app, c, "boss.gusu", PASSWORD).await?;
    c.goto(&app.url(&incident)).await.map_err(e2s)?;
    navigate(c, "#statements .publish").await?;
    c.goto(&app.url(&incident.replace("/incidents/", "/statements/"))).await.map_err(e2s)?;
    fits(c, "the public page").await?;
    let public = text(c, "main").await?;
    ensure(public.contains("员工操作时掉落的塑料片"), format!("published: {public}"))?;
    c.delete_all_cookies().await.map_err(e2s)?;
    Ok(())
}

#[tokio::test]
async fn from_the_first_complaint_to_the_published_statement_on_desk_and_phone() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.gusu", &b.gusu, Role::Officer).await;
    app.member("boss.gusu", &b.gusu, Role::Supervisor).await;
    let Some((_driver, c)) = browser().await else { return };
    let mut result = from_complaint_to_statement(&c, &app, 1366, "奶茶异物（电脑）").await;
    if result.is_ok() {
        result = from_complaint_to_statement(&c, &app, 390, "奶茶异物（手机）").await;
    }
    finish("incidents-complaint-to-statement", c, result).await;
    let incidents = app.state.store.incidents_in(None, 10).await.unwrap();
    assert_eq!(incidents.len(), 2);
    for i in incidents {
        let full = app.state.store.incident(&i.id).await.unwrap();
        assert_eq!(full.links.len(), 1, "each incident holds its complaint");
    }
}
