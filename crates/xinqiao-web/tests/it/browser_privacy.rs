//! In headless Chromium on a phone-sized window (390 px): the complainant's preview of what the
//! enterprise will see, hiding one more thing without JavaScript, and the final submit; no page
//! of the flow scrolls sideways.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::{Client, Locator};

/// Fails when the page is wider than the window (something would scroll sideways).
async fn fits(c: &Client, what: &str) -> Step {
    let widths =
        c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.map_err(e2s)?;
    let w: Vec<i64> = serde_json::from_value(widths).map_err(e2s)?;
    ensure(w[1] <= 400, format!("the window is phone-sized: {w:?}"))?;
    ensure(w[0] <= w[1], format!("{what}: the page is {} px wide in a {} px window", w[0], w[1]))
}

async fn preview_scenario(c: &Client, app: &TestApp) -> Step {
    c.set_window_size(390, 844).await.map_err(e2s)?;
    c.goto(&app.url("/submit")).await.map_err(e2s)?;
    fits(c, "the form").await?;
    fill(c, "#enterprise_name", "苏州姑苏示例健身管理有限公司").await?;
    choose(c, "#industry", "R").await?;
    choose(c, "#region_code", "320508").await?;
    let narrative = "我在健身房办了5000元的预付卡，教练小马哥天天推销私教课，我的电话13812345678，\
                     订单号2026111699887，现在健身房关门了，余额一直不退。";
    fill(c, "#narrative", narrative).await?;
    fill(c, "#demand", "退还卡内余额").await?;
    fill(c, "#name", "李秀英").await?;
    fill(c, "#mobile", "13812345678").await?;
    fill(c, "#address", "苏州市姑苏区人民路88号").await?;
    navigate(c, "#preview-case").await?;

    // The preview: exactly what the enterprise will see, and what else may be hidden.
    fits(c, "the preview").await?;
    let shown = text(c, "#preview-narrative").await?;
    ensure(shown.contains("138****5678") && !shown.contains("13812345678"), format!("masked: {shown}"))?;
    let offered = text(c, "#hide-choices").await?;
    ensure(offered.contains("2026111699887"), format!("the long number is offered: {offered}"))?;
    let order = "//fieldset[@id='hide-choices']//label[contains(., '2026111699887')]/input";
    c.find(Locator::XPath(order)).await.map_err(e2s)?.click().await.map_err(e2s)?;
    fill(c, "#hide_words", "小马哥").await?;
    navigate(c, "#preview-update").await?;
    fits(c, "the updated preview").await?;
    let shown = text(c, "#preview-narrative").await?;
    ensure(
        !shown.contains("2026111699887") && !shown.contains("小马哥") && shown.contains("[已隐去]"),
        format!("hidden as asked: {shown}"),
    )?;
    let checked = c.find(Locator::XPath(order)).await.map_err(e2s)?;
    ensure(checked.prop("checked").await.map_err(e2s)?.as_deref() == Some("true"), "the choice is kept")?;

    navigate(c, "#submit-case").await?;
    fits(c, "the receipt").await?;
    text(c, "#access-key").await?;
    Ok(())
}

#[tokio::test]
async fn the_complainant_previews_on_a_phone() {
    let app = TestApp::start().await;
    app.bureau().await;
    let Some((_driver, c)) = browser().await else { return };
    let result = preview_scenario(&c, &app).await;
    finish("privacy-preview", c, result).await;
    let case = app.state.store.list_cases(&Default::default()).await.unwrap().remove(0);
    assert!(!case.narrative_masked.contains("小马哥") && !case.narrative_masked.contains("2026111699887"));
    assert!(case.narrative_masked.contains("138****5678"));
}
