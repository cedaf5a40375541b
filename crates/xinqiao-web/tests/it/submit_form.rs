//! The public form (issue 18): each kind in its own words and fields, required marks, errors
//! beside their fields with the entered values kept, and the enterprise found among those the
//! bureau knows — by the page's script through a small look-up, and without script through the
//! server — its industry then taken from the directory.

use crate::helpers::*;
use reqwest::StatusCode;
use xinqiao_store::audit::Actor;
use xinqiao_store::inspections::TargetRow;

const GYM: &str = "91110000600037341L";

async fn known_gym(app: &TestApp) {
    let gym = TargetRow {
        uscc: GYM.into(),
        name: "苏州姑苏示例健身管理有限公司".into(),
        industry: "R".into(),
        region_code: "320508".into(),
        risk_class: "B".into(),
        status: "active".into(),
    };
    app.state.store.import_targets(&Actor::console(), &[gym]).await.unwrap();
}

/// The text of the element with `id` up to its closing `</{tag}>`.
fn element<'a>(html: &'a str, id: &str, tag: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = html[at..].find(&format!("</{tag}>")).map_or(html.len(), |e| at + e);
    &html[start..end]
}

/// The label of the input with `id`.
fn label<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<label for=\"{id}\">")).unwrap_or_else(|| panic!("no label for #{id}"));
    let end = html[start..].find("</label>").unwrap();
    &html[start..start + end]
}

#[tokio::test]
async fn each_kind_asks_in_its_own_words() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = app.client();
    let complaint = app.page(&c, "/submit?kind=complaint").await;
    assert!(complaint.contains("<h1 id=\"submit-title\">我要投诉</h1>") && complaint.contains("被投诉的企业"));
    assert!(complaint.contains("id=\"demand\"") && complaint.contains("例如退款、赔偿、更换"));
    for field in ["enterprise_name", "narrative", "demand", "name", "mobile", "address"] {
        let label = label(&complaint, field);
        assert!(label.contains("class=\"req\">必填"), "{field} is marked required: {label}");
    }
    let industry = element(&complaint, "industry", "select");
    assert!(!industry.contains("aria-required"), "the industry is optional");
    assert!(complaint.contains("所属行业（选填）"));
    assert!(complaint.contains("<a href=\"/submit?kind=complaint\" aria-current=\"page\">投诉</a>"));

    let consultation = app.page(&c, "/submit?kind=consultation").await;
    assert!(consultation.contains("我要咨询") && consultation.contains("您想咨询的问题"));
    for absent in ["被投诉", "如退款", "id=\"demand\"", "id=\"amount\"", "id=\"also_report\""] {
        assert!(!consultation.contains(absent), "a consultation does not ask {absent}");
    }
    assert!(!label(&consultation, "name").contains("必填"), "contact is optional");

    let suggestion = app.page(&c, "/submit?kind=suggestion").await;
    assert!(suggestion.contains("您的建议") && !suggestion.contains("id=\"enterprise_name\""));
    let report = app.page(&c, "/submit?kind=report").await;
    assert!(report.contains("被举报的企业") && report.contains("可以匿名") && !report.contains("id=\"demand\""));
    let enterprise = app.page(&c, "/submit?kind=enterprise_request").await;
    assert!(enterprise.contains("您的企业") && enterprise.contains("希望得到的帮助"));
}

#[tokio::test]
async fn errors_stand_beside_their_fields_and_the_values_stay() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = app.client();
    let csrf = csrf_of(&app.page(&c, "/submit").await);
    let res = c
        .post(app.url("/submit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "complaint"),
            ("enterprise_name", "某某健身房"),
            ("region_code", "320508"),
            ("narrative", "太差"),
            ("demand", "退钱"),
            ("name", "李秀英"),
            ("mobile", "12345"),
            ("address", "人民路88号"),
            ("consent_publish", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let narrative = element(&html, "narrative", "textarea");
    assert!(narrative.contains("aria-invalid=\"true\""), "{narrative}");
    assert!(narrative.contains("aria-describedby=\"narrative-hint narrative-error\""), "{narrative}");
    assert!(narrative.ends_with(">太差"), "the text typed is kept: {narrative}");
    let error = element(&html, "narrative-error", "p");
    assert!(error.contains("至少10个字"), "{error}");
    assert!(html.find("id=\"narrative-error\"") > html.find("id=\"narrative\""), "the message follows its field");
    let mobile = element(&html, "mobile", "div");
    assert!(mobile.contains("value=\"12345\"") && mobile.contains("aria-describedby=\"mobile-error\""), "{mobile}");
    assert!(html.contains("value=\"某某健身房\"") && html.contains("value=\"人民路88号\""));
    assert!(element(&html, "consent_publish", "label").contains("checked>"), "the box stays ticked");
    let summary = element(&html, "submit-errors", "div");
    assert!(summary.contains("有 2 处需要修改") && summary.contains("<a href=\"#mobile\">"), "{summary}");
    assert!(!html.contains("industry-error"), "no industry asked of a citizen");
    let industry = element(&html, "industry", "select");
    assert!(!industry.contains("aria-invalid"));
}

#[tokio::test]
async fn the_enterprise_is_found_with_and_without_script_and_brings_its_industry() {
    let app = TestApp::start().await;
    app.bureau().await;
    known_gym(&app).await;
    let c = app.client();

    // The page script's look-up.
    let found: serde_json::Value =
        c.get(app.url("/submit/enterprises?q=示例健身")).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["enterprises"][0]["uscc"], GYM);
    assert_eq!(found["enterprises"][0]["industry"], "R");
    assert_eq!(found["enterprises"][0]["industry_label"], "文化、体育和娱乐业");
    let by_code: serde_json::Value =
        c.get(app.url("/submit/enterprises?q=9111000060")).send().await.unwrap().json().await.unwrap();
    assert_eq!(by_code["enterprises"].as_array().unwrap().len(), 1);
    let short: serde_json::Value =
        c.get(app.url("/submit/enterprises?q=健")).send().await.unwrap().json().await.unwrap();
    assert!(short["enterprises"].as_array().unwrap().is_empty(), "one character finds nothing");

    // Without script: 查找企业, then 选择, with what was typed kept.
    let csrf = csrf_of(&app.page(&c, "/submit").await);
    let base =
        [("csrf", csrf.as_str()), ("kind", "complaint"), ("narrative", "健身房关门了，预付卡里还有3000元没有退。")];
    let mut find = base.to_vec();
    find.extend([("enterprise_name", "示例健身"), ("step", "find")]);
    let html = c.post(app.url("/submit")).form(&find).send().await.unwrap().text().await.unwrap();
    let matches = element(&html, "enterprise-matches", "ul");
    assert!(matches.contains(&format!("name=\"pick\" value=\"{GYM}\"")), "{matches}");
    assert!(
        html.contains("找到 1 家已登记的企业") && html.contains(">健身房关门了，预付卡里还有3000元没有退。</textarea>")
    );
    let mut pick = base.to_vec();
    pick.extend([("enterprise_name", "示例健身"), ("pick", GYM)]);
    let html = c.post(app.url("/submit")).form(&pick).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已选择：苏州姑苏示例健身管理有限公司"), "the notice");
    assert!(html.contains("value=\"苏州姑苏示例健身管理有限公司\"") && html.contains(&format!("value=\"{GYM}\"")));
    assert!(element(&html, "industry", "select").contains("<option value=\"R\" selected>"));
    let mut nothing = base.to_vec();
    nothing.extend([("enterprise_name", "没有这家店"), ("step", "find")]);
    let html = c.post(app.url("/submit")).form(&nothing).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("没有找到已登记的企业"));

    // Submitted with the code and no industry: the case takes the directory's.
    let res = c
        .post(app.url("/submit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "report"),
            ("enterprise_name", "苏州姑苏示例健身管理有限公司"),
            ("uscc", GYM),
            ("region_code", "320508"),
            ("narrative", "健身房的消防通道被器材堵死了，存在安全隐患。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let receipt = res.text().await.unwrap();
    let code = receipt.split("class=\"tracking-code\">").nth(1).unwrap().split('<').next().unwrap().replace(' ', "");
    let code = xinqiao_domain::cases::TrackingCode::parse(&code).unwrap();
    let case = app.state.store.case_by_tracking_code(code.as_str()).await.unwrap();
    assert_eq!(case.industry.as_deref(), Some("R"));
    // An enterprise the bureau does not know, without an industry: accepted, the officer sets it.
    let res = c
        .post(app.url("/submit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "report"),
            ("enterprise_name", "路口的小吃摊"),
            ("region_code", "320508"),
            ("narrative", "路口的小吃摊用地沟油炸油条，味道很冲。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
