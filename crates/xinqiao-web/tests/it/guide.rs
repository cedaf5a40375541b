//! 办事指引: public, no sign-in; a sentence or the questions give the personal checklist (a
//! licence for home-made drinks, a filing for pre-packaged food only), with core and deferrable
//! materials, the one-time notice, the flow chart, the unverified notice; large type; print styles.

use crate::helpers::*;
use reqwest::{Client, StatusCode};

async fn guide(app: &TestApp, query: &str) -> (StatusCode, String) {
    let res = Client::new().get(app.url(&format!("/guide{query}"))).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_sentence_gives_a_checklist_and_a_flow_chart_without_signing_in() {
    let app = TestApp::start().await;
    let (status, empty) = guide(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("id=\"guide-form\"") && !empty.contains("id=\"checklist\""));

    let (status, html) = guide(&app, "?text=我要开一家小餐馆，只卖自制饮品").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"procedure-establish\"") && html.contains("id=\"procedure-food_license\""));
    assert!(!html.contains("id=\"procedure-food_filing\""), "home-made drinks need a licence, not a filing");
    assert!(html.contains("经营者本人身份证件") && !html.contains("公司章程"), "an individual business");
    assert!(html.contains("必备") && html.contains("可容缺后补"));
    assert!(html.contains("一次性告知") && html.contains("3个工作日内"));
    assert!(html.contains("不反光"));
    assert!(html.contains("id=\"guide-unverified\""), "unverified rules are said to be so");
    assert!(html.contains("id=\"flow-chart\"") && html.contains("class=\"flow\""));
    assert!(html.contains("value=\"prepared\" checked"), "the answers read from the sentence are shown to confirm");
    assert!(!html.contains("class=\"guide large\""));

    let (_, html) = guide(&app, "?matter=open&form=company&food=prepackaged&large=1").await;
    assert!(html.contains("id=\"procedure-food_filing\"") && !html.contains("id=\"procedure-food_license\""));
    assert!(html.contains("公司章程"));
    assert!(html.contains("class=\"guide large\""));

    let (_, html) = guide(&app, "?matter=annual_report&form=individual").await;
    assert!(html.contains("id=\"annual-window\"") && html.contains("结束"), "the test day is in November");

    let (status, html) = guide(&app, "?matter=sell_house").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请选择要办的事"));

    let css = Client::new().get(app.url("/static/app.css")).send().await.unwrap().text().await.unwrap();
    let print = &css[css.find("@media print").expect("print styles")..];
    assert!(print.contains("header.top") && print.contains(".no-print") && print.contains("display: none"));
}
