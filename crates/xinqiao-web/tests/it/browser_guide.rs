//! In headless Chromium with print media emulated (DevTools `Emulation.setEmulatedMedia` through
//! chromedriver): the guide's checklist and flow chart print without the site's header, the
//! question form or the print button, and the large-type option stays large on paper.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

/// A Chromium DevTools command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

async fn style(c: &Client, css: &str, property: &str) -> Result<String, String> {
    let script =
        "var e = document.querySelector(arguments[0]); return e ? getComputedStyle(e)[arguments[1]] : 'missing';";
    let v = c.execute(script, vec![Value::from(css), Value::from(property)]).await.map_err(e2s)?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn printed(app: &TestApp, c: &Client) -> Step {
    let url = app.url("/guide?text=我要开一家小餐馆，只卖自制饮品&large=1");
    c.goto(&url).await.map_err(e2s)?;
    ensure(style(c, "header.top", "display").await? != "none", "the header shows on screen")?;
    c.issue_cmd(Cdp(json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}}))).await.map_err(e2s)?;
    for hidden in ["header.top", "#guide-form", "#print-controls"] {
        let shown = style(c, hidden, "display").await?;
        ensure(shown == "none", format!("{hidden} is printed ({shown})"))?;
    }
    ensure(style(c, "#flow-chart", "display").await? != "none", "the flow chart prints")?;
    ensure(style(c, "#checklist", "display").await? != "none", "the checklist prints")?;
    let size = style(c, "#guide", "font-size").await?;
    let px: f64 = size.trim_end_matches("px").parse().map_err(e2s)?;
    ensure(px > 20.0, format!("large type on paper: {size}"))?;
    ensure(style(c, "#flow-chart", "break-before").await? == "page", "the chart starts its own page")
}

#[tokio::test]
async fn the_guide_prints_its_checklist_and_flow_chart() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start().await;
    let result = printed(&app, &c).await;
    finish("guide_print", c, result).await;
}
