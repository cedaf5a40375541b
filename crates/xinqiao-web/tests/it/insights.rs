//! 洞察与预警 over HTTP: intake suggests a category that an officer confirms or corrects; the
//! dashboard counts what was received under its filters and downloads as CSV and XLSX; a
//! prepaid-card spike is flagged while a steady busy enterprise is not, and supervisors move the
//! warning on; a campaign is measured before and after; the public statistics name enterprises,
//! never complainants.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::CaseKind;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::cases::NewCaseRow;

async fn post(app: &TestApp, c: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

fn today() -> i64 {
    test_today().0
}

/// A case stored directly (as an import would), received on `day`.
pub(crate) fn case_row(n: usize, enterprise: &str, day: i64, category: &str, text: &str, consent: bool) -> NewCaseRow {
    NewCaseRow {
        kind: CaseKind::Complaint,
        tracking_code: format!("I{n:07}"),
        access_key_hash: "hash".into(),
        region_code: "320508".into(),
        industry: Some('R'),
        enterprise_name: enterprise.into(),
        enterprise_uscc: None,
        narrative_masked: text.into(),
        narrative_sealed: "v1.k1.sealed".into(),
        demand_masked: "退款".into(),
        amount_cents: None,
        event_day: None,
        consent_publish: consent,
        received_day: day,
        rule_set: None,
        settle_until: None,
        category: Some(category.into()),
        subject: None,
        attachments: Vec::new(),
        privacy: None,
        demand_privacy: None,
        identity: None,
    }
}

fn submission(enterprise: &str, narrative: &str) -> Value {
    json!({
        "kind": "complaint", "enterprise_name": enterprise, "industry": "R", "region_code": "320508",
        "narrative": narrative, "demand": "退款", "name": "李秀英", "mobile": "13812345678",
        "address": "苏州市姑苏区人民路88号"
    })
}

pub(crate) fn table<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}: {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</table>").unwrap()]
}

#[tokio::test]
async fn intake_suggests_officers_confirm_and_the_dashboard_counts_and_exports() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let c = Client::new();
    let mut codes = Vec::new();
    for (enterprise, text) in [
        ("苏州姑苏示例健身管理有限公司", "健身房突然闭店，会员卡里还有3000元，老板电话13912345678关机，要求退卡退款。"),
        ("苏州姑苏示例健身管理有限公司", "办的储值卡还没用完，门店就关门跑路了，充值的钱退不回来。"),
        ("苏州示例电器商店", "买的电饭煲用了三天就坏了，质量有问题，商家不给维修也不退换。"),
    ] {
        let res = c.post(app.url("/api/v1/cases")).json(&submission(enterprise, text)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let receipt: Value = res.json().await.unwrap();
        let code: String =
            receipt["cases"][0]["tracking_code"].as_str().unwrap().chars().filter(|c| *c != '-').collect();
        codes.push(app.state.store.case_by_tracking_code(&code).await.unwrap().id);
    }
    let first = app.state.store.case(&codes[0]).await.unwrap();
    assert_eq!(first.category.as_deref(), Some("prepaid"), "the gym's card is suggested as 预付式消费");
    assert!(!first.category_confirmed);
    assert_eq!(app.state.store.case(&codes[2]).await.unwrap().category.as_deref(), Some("quality"));

    // The officer sees the suggestion and corrects the second case.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let page = app.page(&li, &format!("/cases/{}", codes[0])).await;
    assert!(page.contains("系统建议") && page.contains("预付式消费"), "{page}");
    let url = format!("/cases/{}", codes[1]);
    let res = post(&app, &li, &url, &format!("{url}/classify"), &[("category", "contract"), ("subject", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let second = app.state.store.case(&codes[1]).await.unwrap();
    assert!(second.category_confirmed && second.category.as_deref() == Some("contract"));
    let res = post(&app, &li, &url, &format!("{url}/classify"), &[("category", "no_such_thing")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The dashboard counts the three under the default twelve months, and narrows by category.
    let page = app.page(&li, "/insights").await;
    let summary = table(&page, "data-summary");
    assert!(summary.contains("<td>3</td>"), "{summary}");
    let categories = table(&page, "data-category");
    for label in ["预付式消费", "合同", "质量"] {
        assert!(categories.contains(label), "{label}: {categories}");
    }
    assert!(categories.contains("100.0%"), "the Pareto line ends at 100%");
    assert!(table(&page, "data-enterprise").contains("苏州示例电器商店"));
    assert!(!page.contains("李秀英") && !page.contains("13912345678"), "no personal data on the dashboard");
    let narrowed = app.page(&li, "/insights?category=prepaid").await;
    assert!(table(&narrowed, "data-summary").contains("<td>1</td>"));
    let res = li.get(app.url("/insights?from=2026-13-01")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("日期应写成"));

    // Every table as CSV (with a BOM for spreadsheet programs), the whole view as XLSX.
    let csv = li.get(app.url("/insights/export.csv?part=category")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("问题类别,诉求量,累计占比") && text.contains("合同,1,"), "{text}");
    let xlsx = li.get(app.url("/insights/export.xlsx?category=")).send().await.unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip container");
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    assert_eq!(book.sheet_names().len(), 6, "a sheet per table");
    let sheet = book.worksheet_range("问题类别与累计占比（帕累托）").expect("the category sheet");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[1], vec!["问题类别", "诉求量", "累计占比"]);
    assert!(rows.iter().any(|r| r[0] == "合同" && r[1] == "1"), "{rows:?}");
    assert!(page.contains("id=\"model-accuracy\""), "the suggestion accuracy is reported");
    // The enterprise portal and the public have no dashboard.
    let res = app.client().get(app.url("/insights")).send().await.unwrap();
    assert_eq!(location(&res), Some("/login"), "visitors are sent to sign in");
}

#[tokio::test]
async fn a_prepaid_spike_is_flagged_a_steady_enterprise_is_not_and_supervisors_close_it() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let li_id = app.state.store.user_by_name("officer.li").await.unwrap().id;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let t = today();
    let mut rows = Vec::new();
    // A busy shop: four complaints a day for months, and the same this week.
    for d in 0..97 {
        for k in 0..4 {
            rows.push(case_row(rows.len(), "苏州示例大型超市", t - d, "quality", "商品质量问题", false));
            let _ = k;
        }
    }
    // A gym: nothing before, six prepaid-card complaints in three days.
    for d in 0..6 {
        rows.push(case_row(rows.len(), "苏州姑苏示例健身管理有限公司", t - d / 2, "prepaid", "会员卡退不了", false));
    }
    for chunk in rows.chunks(200) {
        app.state.store.intake(&Actor::console(), chunk).await.unwrap();
    }

    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let res = post(&app, &wang, "/insights/warnings", "/insights/warnings/scan", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("新增预警"));
    let warnings = app.state.store.warnings(&[], None, 50).await.unwrap();
    let gym = warnings.iter().find(|w| w.w.rule == "prepaid_spike").expect("the gym is flagged");
    assert!(gym.w.label.contains("健身"), "{}", gym.w.label);
    assert_eq!(gym.w.case_ids.len(), 6, "the cases behind it");
    assert!(
        warnings.iter().all(|w| !w.w.label.contains("超市")),
        "a steady busy enterprise is not flagged: {:?}",
        warnings.iter().map(|w| &w.w.label).collect::<Vec<_>>()
    );
    // Scanning again raises nothing new.
    post(&app, &wang, "/insights/warnings", "/insights/warnings/scan", &[]).await;
    assert_eq!(app.state.store.warnings(&[], None, 50).await.unwrap().len(), warnings.len());

    // Officers read; supervisors acknowledge, assign and close (with a note), each audited.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    let url = format!("/insights/warnings/{}", gym.id);
    let page = app.page(&li, &url).await;
    assert!(page.contains("warning-cases") && !page.contains("warning-form"), "officers read only");
    let res = post(&app, &li, &url, &format!("{url}/act"), &[("action", "acknowledge")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "acknowledge")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "assign"), ("assignee", &li_id)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The officer's workbench counts it, its link lists it, and the page says it in plain words.
    let home = app.page(&li, "/").await;
    assert!(home.contains("id=\"work-warnings\" class=\"work-item\"><strong class=\"count\">1</strong>"), "{home}");
    let mine = app.page(&li, "/insights/warnings?mine=1").await;
    assert!(mine.contains(&format!("/insights/warnings/{}", gym.id)) && mine.contains("平时每周约"), "{mine}");
    assert_eq!(mine.matches("<tr><td>").count(), 1, "only the one assigned to me");
    let page = app.page(&li, &url).await;
    assert!(page.contains("最近一周 6 件") && page.contains("统计检验：泊松检验"), "{page}");
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "close"), ("note", "")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "closing needs a note");
    let note = "已约谈经营者，13800001111 承诺退款";
    let res = post(&app, &wang, &url, &format!("{url}/act"), &[("action", "close"), ("note", note)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let closed = app.state.store.warning(&gym.id).await.unwrap();
    assert_eq!((closed.status.as_str(), closed.assigned_to.as_deref()), ("closed", Some(li_id.as_str())));
    assert!(!closed.note.contains("13800001111"), "the note is masked: {}", closed.note);
    for action in ["warning.acknowledge", "warning.assign", "warning.close"] {
        let f = Filter { action: Some(action.into()), limit: 10, ..Default::default() };
        assert_eq!(app.state.store.audit_entries(&f).await.unwrap().len(), 1, "{action}");
    }
}

#[tokio::test]
async fn campaigns_are_measured_before_and_after() {
    let app = TestApp::start().await;
    campaigns_are_measured_before_and_after_on(&app).await;
}

/// The flow of `campaigns_are_measured_before_and_after`, on an app whose clock may start on any day.
pub async fn campaigns_are_measured_before_and_after_on(app: &TestApp) {
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let start = app.today().0 - 30;
    let mut rows = Vec::new();
    // Before the guide: 6 of 10 cases are about 年报; after: 1 of 10.
    for i in 0..10 {
        let c = if i < 6 { "annual_report" } else { "quality" };
        rows.push(case_row(rows.len(), &format!("企业{i}"), start - 1 - i as i64, c, "年报怎么填", false));
        let c = if i < 1 { "annual_report" } else { "quality" };
        rows.push(case_row(rows.len(), &format!("企业{i}"), start + i as i64, c, "年报怎么填", false));
    }
    app.state.store.intake(&Actor::console(), &rows).await.unwrap();
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let start_text = Date(start).to_string();
    let fields = [
        ("title", "年报填报三分钟指南"),
        ("kind", "guide"),
        ("start", start_text.as_str()),
        ("window_days", "30"),
        ("measure", "category_share:annual_report"),
        ("bureau", ""),
    ];
    let res = post(app, &wang, "/insights/campaigns", "/insights/campaigns", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&wang, location(&res).unwrap()).await;
    assert!(page.contains("60.0%（6 / 10）") && page.contains("10.0%（1 / 10）"), "{page}");
    assert!(page.contains("-50.0 个百分点") && page.contains("区间不含零"), "{page}");
    let mut bad = fields;
    bad[3] = ("window_days", "3");
    let res = post(app, &wang, "/insights/campaigns", "/insights/campaigns", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The API records and measures through the same service: the same figures, the same refusal.
    let token = app.token("supervisor.wang").await;
    let api = Client::new();
    let body = serde_json::json!({"title": "年报填报三分钟指南（接口）", "kind": "guide", "start": start_text,
        "window_days": 30, "measure": "category_share:annual_report"});
    let res = api.post(app.url("/api/v1/campaigns")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let effect: serde_json::Value = api
        .get(app.url(&format!("/api/v1/campaigns/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((effect["before"]["hits"].as_u64(), effect["before"]["n"].as_u64()), (Some(6), Some(10)), "{effect}");
    assert_eq!((effect["after"]["hits"].as_u64(), effect["after"]["n"].as_u64()), (Some(1), Some(10)), "{effect}");
    assert!((effect["change"]["difference"].as_f64().unwrap() + 0.5).abs() < 1e-9, "{effect}");
    assert_eq!(effect["change"]["significant"], true);
    assert_eq!(effect["campaign"]["kind_label"], "发布指南");
    let mut bad = body.clone();
    bad["window_days"] = 3.into();
    let res = api.post(app.url("/api/v1/campaigns")).bearer_auth(&token).json(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let said = res.json::<serde_json::Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    assert!(said.contains("比较时长应为7至365天"), "{said}");
    let listed: serde_json::Value =
        api.get(app.url("/api/v1/campaigns")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}

#[tokio::test]
async fn public_statistics_name_enterprises_never_complainants() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let t = today();
    let mut rows = Vec::new();
    for i in 0..6 {
        let consent = i == 0;
        let text = if consent {
            "健身房闭店，会员卡余额[手机号]无人处理"
        } else {
            "不同意公开的投诉内容"
        };
        rows.push(case_row(rows.len(), "苏州姑苏示例健身管理有限公司", t - i, "prepaid", text, consent));
    }
    for i in 0..2 {
        rows.push(case_row(rows.len(), "苏州示例小店", t - i, "quality", "小店的投诉", true));
    }
    for i in 0..6 {
        rows.push(case_row(rows.len(), "=HYPERLINK(\"http://evil.example\")", t - i, "quality", "x", false));
    }
    let ids = app.state.store.intake(&Actor::console(), &rows).await.unwrap();
    // Nothing is published before the bureau has taken the complaints up.
    let public = Client::new();
    let page = public.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"no-enterprises\""), "unaccepted complaints count nowhere: {page}");
    for id in &ids {
        let t = xinqiao_store::cases::Transition {
            case_id: id,
            from: xinqiao_domain::cases::Status::AwaitingAcceptance,
            action: &xinqiao_domain::cases::Action::Accept,
            note: String::new(),
            public: true,
            assign: None,
            org: None,
            finish: None,
        };
        app.state.store.transition(&Actor::console(), t).await.unwrap();
        // Narratives are published only once an officer confirmed their masking.
        app.confirm_masking(id).await;
    }
    xinqiao_web::insights::forget_publications(&app.state).await;
    let page = public.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("全平台汇总"));
    let listed = table(&page, "public-enterprises");
    assert!(listed.contains("苏州姑苏示例健身管理有限公司") && listed.contains("<td>6</td>"), "{listed}");
    assert!(!listed.contains("苏州示例小店"), "below the minimum of 5");
    assert!(page.contains("会员卡余额") && !page.contains("不同意公开"), "only consented narratives");
    assert!(table(&page, "hot-categories").contains("预付式消费"));
    let json: Value = public.get(app.url("/stats/enterprises.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(json["enterprises"][0]["complaints"], 6);
    assert_eq!(json["minimum"], 5);
    let csv = public.get(app.url("/stats/enterprises.csv")).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("bureau,uscc,name,period_from") && csv.contains("苏州姑苏示例健身管理有限公司"));
    assert!(csv.contains("'=HYPERLINK"), "a formula is neutralised: {csv}");
    assert!(!csv.lines().any(|l| l.split(',').any(|cell| cell.starts_with('='))), "{csv}");
    // Per bureau: 姑苏 publishes it, 吴中 (beside it) does not; an unknown bureau is not found.
    let gusu = public.get(app.url("/stats?bureau=320508")).send().await.unwrap().text().await.unwrap();
    assert!(table(&gusu, "public-enterprises").contains("苏州姑苏示例健身管理有限公司"));
    assert!(gusu.contains("姑苏区市场监督管理局") && gusu.contains("含下级机构"));
    let wuzhong = public.get(app.url("/stats?bureau=320506")).send().await.unwrap().text().await.unwrap();
    assert!(wuzhong.contains("id=\"no-enterprises\""));
    let json: Value =
        public.get(app.url("/stats/enterprises.json?bureau=320506")).send().await.unwrap().json().await.unwrap();
    assert!(json["enterprises"].as_array().unwrap().is_empty());
    let unknown = public.get(app.url("/stats?bureau=999999")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = public.get(app.url("/stats?bureau=abc")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A supervisor lowers the threshold; the small shop appears.
    let wang = app.client();
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    let res = post(&app, &wang, "/insights", "/insights/publicity", &[("minimum", "2")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = public.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    assert!(table(&page, "public-enterprises").contains("苏州示例小店"));
    let res = post(&app, &wang, "/insights", "/insights/publicity", &[("minimum", "0")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

fn bulk_row(
    line: usize,
    kind: &str,
    narrative: &str,
    received: i64,
    closed: bool,
) -> xinqiao_web::cases::bulk::BulkRow {
    use xinqiao_domain::cases::intake::IntakeForm;
    xinqiao_web::cases::bulk::BulkRow {
        line,
        form: IntakeForm {
            kind: kind.into(),
            enterprise_name: "苏州示例电器商店".into(),
            uscc: String::new(),
            industry: "F".into(),
            region_code: "320508".into(),
            narrative: narrative.into(),
            amount: String::new(),
            demand: "退货退款".into(),
            event_date: String::new(),
            name: "王小明".into(),
            mobile: "13912345678".into(),
            id_number: String::new(),
            address: "苏州市姑苏区人民路1号".into(),
            consent_publish: false,
            also_report: false,
        },
        received: Date(received),
        category: Some("quality".into()),
        subject: None,
        outcome: closed.then_some(xinqiao_web::cases::bulk::BulkOutcome {
            closed_on: Date(received + 5),
            on_time: true,
            mediation: Some(true),
            rating: Some(5),
            recovered_cents: Some(12_000),
        }),
    }
}

#[tokio::test]
async fn a_bulk_import_goes_through_the_whole_pipeline() {
    use xinqiao_web::cases::bulk::{check, follow, load};
    let app = TestApp::start().await;
    app.bureau().await;
    let t = today();
    let text = "买的电饭煲三天就坏了，我的电话13912345678，商家不给退。";
    let mut rows = vec![bulk_row(2, "complaint", text, t - 20, true), bulk_row(3, "complaint", text, t - 10, false)];
    // A bad row is reported with its line, and nothing is written.
    let mut bad = bulk_row(4, "complaint", "太短", t - 5, false);
    bad.form.address.clear();
    rows.push(bad);
    let problems = check(&rows);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 4);
    assert!(problems[0].message.contains("联系地址"), "{}", problems[0].message);
    rows.pop();
    let file = xinqiao_web::cases::bulk::SourceFile { sha256: "f".repeat(64), rows: 2 };
    let following = follow(&app.state).await.unwrap();
    assert_eq!(load(&app.state, &Actor::console(), &file, rows).await.unwrap(), 2);
    following.signal()();
    assert!(following.finish().await.unwrap().index.is_ok());

    let facts = app.state.store.all_case_facts().await.unwrap();
    assert_eq!(facts.len(), 2);
    assert_eq!(facts.iter().filter(|f| f.closed && f.mediation == Some(true)).count(), 1);
    assert!(facts.iter().all(|f| f.received_day < t), "each case keeps its day of receipt");
    let ids = app.state.store.cases_behind(None, None, None, t - 30, t, 10).await.unwrap();
    for id in &ids {
        let case = app.state.store.case(id).await.unwrap();
        assert!(!case.narrative_masked.contains("13912345678"), "masked: {}", case.narrative_masked);
        assert_eq!(case.category.as_deref(), Some("quality"));
    }
    // Indexed for staff search, counted in the roll-ups and on the dashboard.
    let (rollups, _) = app.state.store.rollups_since(0).await.unwrap();
    assert_eq!(rollups.iter().map(|(_, m)| m.received).sum::<i64>(), 2);
    assert_eq!(rollups.iter().map(|(_, m)| m.recovered_cents).sum::<i64>(), 12_000);
    let index = app.state.search_index().await.unwrap();
    assert_eq!(index.last_seq().unwrap(), app.state.store.last_change().await.unwrap());
    let f = Filter { action: Some("case.outcome".into()), limit: 10, ..Default::default() };
    assert_eq!(app.state.store.audit_entries(&f).await.unwrap().len(), 1, "the outcome is audited");
}

/// Warnings have one service under both doors: another bureau's supervisor does not find the
/// warning (404) at either door, an officer may not act on it (403), a close without a note is
/// refused with the same words (the page shows them on the warning, the API as a field error),
/// and what a supervisor does over the API is what the page then shows.
#[tokio::test]
async fn warnings_refuse_the_same_through_the_page_and_the_api() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    app.member("supervisor.zhang", &b.wuzhong, Role::Supervisor).await;
    let w = xinqiao_store::warnings::NewWarning {
        rule: "prepaid_spike".into(),
        subject: "苏州姑苏示例健身管理有限公司@320508".into(),
        bureau: "320508".into(),
        label: "苏州姑苏示例健身管理有限公司（姑苏区） · 预付式消费".into(),
        window_end: today(),
        observed: 6,
        expected: "0.50".into(),
        p_value: "1.42e-5".into(),
        case_ids: Vec::new(),
    };
    let id = app.state.store.raise_warning(&w).await.unwrap().expect("raised");
    let api = Client::new();
    let tokens =
        [app.token("officer.li").await, app.token("supervisor.wang").await, app.token("supervisor.zhang").await];
    let [li_t, wang_t, zhang_t] = &tokens;
    let (li, wang, zhang) = (app.client(), app.client(), app.client());
    app.login(&li, "officer.li", PASSWORD).await;
    app.login(&wang, "supervisor.wang", PASSWORD).await;
    app.login(&zhang, "supervisor.zhang", PASSWORD).await;
    let page = format!("/insights/warnings/{id}");
    let act_api = |token: &str, body: Value| {
        api.post(app.url(&format!("/api/v1/warnings/{id}/actions"))).bearer_auth(token.to_owned()).json(&body).send()
    };
    let act_page = |c: &Client, fields: Vec<(&'static str, String)>| {
        let (c, page) = (c.clone(), page.clone());
        let app = &app;
        async move {
            let csrf = csrf_of(&app.page(&c, "/insights/warnings").await);
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            c.post(app.url(&format!("{page}/act"))).form(&form).send().await.unwrap()
        }
    };

    // Another bureau: not found at either door, to read or to act.
    assert_eq!(zhang.get(app.url(&page)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = api.get(app.url(&format!("/api/v1/warnings/{id}"))).bearer_auth(zhang_t).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let listed: Value =
        api.get(app.url("/api/v1/warnings")).bearer_auth(zhang_t).send().await.unwrap().json().await.unwrap();
    assert!(listed.as_array().unwrap().is_empty(), "{listed}");
    let res = act_page(&zhang, vec![("action", "acknowledge".into())]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(act_api(zhang_t, json!({"action": "acknowledge"})).await.unwrap().status(), StatusCode::NOT_FOUND);

    // An officer of the bureau reads it but may not act on it.
    let res = api.get(app.url(&format!("/api/v1/warnings/{id}"))).bearer_auth(li_t).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let seen: Value = res.json().await.unwrap();
    assert_eq!(
        (seen["status"].as_str(), seen["plain"].as_str()),
        (Some("open"), Some("平时每周约 0.5 件，最近一周 6 件"))
    );
    let res = act_page(&li, vec![("action", "acknowledge".into())]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(act_api(li_t, json!({"action": "acknowledge"})).await.unwrap().status(), StatusCode::FORBIDDEN);

    // A close without a note: the same words at both doors; nothing changes.
    let res = act_api(wang_t, json!({"action": "close", "note": " "})).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "note");
    let said = body["error"]["message"].as_str().unwrap().to_owned();
    let res = act_page(&wang, vec![("action", "close".into()), ("note", String::new())]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "the page shows it on the warning, as before");
    assert!(res.text().await.unwrap().contains(&said), "the page says what the API says: {said}");
    // An assignee outside the bureau tree is refused alike.
    let zhang_id = app.state.store.user_by_name("supervisor.zhang").await.unwrap().id;
    let res = act_api(wang_t, json!({"action": "assign", "assignee": zhang_id})).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.state.store.warning(&id).await.unwrap().status, "open", "nothing changed");

    // The supervisor acts over the API; the page shows it, and an action the status no longer
    // allows is refused at both doors.
    let res = act_api(wang_t, json!({"action": "acknowledge"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "acknowledged");
    assert!(app.page(&li, &page).await.contains("已知悉"));
    let res = act_api(wang_t, json!({"action": "acknowledge"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let said = res.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    let res = act_page(&wang, vec![("action", "acknowledge".into())]).await;
    assert!(res.text().await.unwrap().contains(&said), "{said}");
    let li_id = app.state.store.user_by_name("officer.li").await.unwrap().id;
    let res = act_api(wang_t, json!({"action": "assign", "assignee": li_id})).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mine: Value =
        api.get(app.url("/api/v1/warnings?mine=true")).bearer_auth(li_t).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1, "assigned to me: {mine}");
}
