//! 双随机、一公开 over HTTP: a supervisor commits a task from the directories, reveals the
//! sources and draws; a drawn inspector records a result; results are published; the public
//! recomputes the draw and finds the result.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::cases::independence::{Tie, TieKind};
use xinqiao_store::audit::Actor;
use xinqiao_store::inspections::{InspectorRow, TargetRow};

async fn form_post(app: &TestApp, c: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_of(&app.page(c, page).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

/// Targets 1–40 in 姑苏 (catering), half of risk class B, half D; four inspectors, the first two
/// linked to the officers' accounts.
pub async fn directories(app: &TestApp, officer: &str, other: &str) {
    let a = Actor::console();
    let targets: Vec<TargetRow> = (1..=40)
        .map(|i| TargetRow {
            uscc: xinqiao_domain::ids::Uscc::with_check_char(&format!("91320508MA1X{i:05}")).unwrap().to_string(),
            name: format!("姑苏示例餐馆{i:02}"),
            industry: "H".into(),
            region_code: "320508".into(),
            risk_class: if i % 2 == 0 { "B".into() } else { "D".into() },
            status: "active".into(),
        })
        .collect();
    app.state.store.import_targets(&a, &targets).await.unwrap();
    let inspectors: Vec<InspectorRow> = (1..=4)
        .map(|i| InspectorRow {
            cert_no: format!("JZ3205{i:04}"),
            name: format!("检查员{i}"),
            unit: "姑苏区市场监督管理局".into(),
            fields: "餐饮".into(),
            status: "active".into(),
            user_id: match i {
                1 => Some(officer.to_owned()),
                2 => Some(other.to_owned()),
                _ => None,
            },
        })
        .collect();
    app.state.store.import_inspectors(&a, &inspectors).await.unwrap();
}

/// The draw form tells each mistake beside the field it concerns (linked by aria-describedby)
/// and keeps what was entered; a task whose scope holds no enterprise is told beside the scope.
#[tokio::test]
async fn the_draw_form_tells_mistakes_beside_their_fields_and_keeps_the_values() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    directories(&app, &officer, &other).await;
    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let mut fields = vec![
        ("title", ""),
        ("items", "食品经营许可\n从业人员健康证明"),
        ("industry", "H"),
        ("region", "320508"),
        ("ratio_a", "0"),
        ("ratio_b", "一百"),
        ("ratio_c", "0"),
        ("ratio_d", "300"),
        ("inspectors_per_target", "1"),
        ("max_targets_per_inspector", "10"),
        ("source_name_0", "福彩双色球第2026140期开奖号码"),
        ("source_description_0", ""),
        ("source_kind_0", "text"),
        ("source_time_0", "2026-11-18 21"),
        ("confirmed", ""),
    ];
    let res = form_post(&app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    beside(&html, "title", "请填写任务名称");
    beside(&html, "ratio_b", "B类抽取比例应为 0 至 1000 之间的整数");
    beside(&html, "inspectors_per_target", "每户至少派2名检查人员");
    beside(&html, "source_description_0", "请写明公布的时间");
    beside(&html, "source_time_0", "公布时间应为");
    assert!(!html.contains(r#"id="ratio_d-error""#) && !html.contains(r#"id="source_name_0-error""#));
    assert!(html.contains("有 5 处需要修改") && html.contains(r##"href="#ratio_b""##), "the summary links each field");
    // What was entered stays: text, numbers, ticks and choices.
    assert!(html.contains("食品经营许可\n从业人员健康证明</textarea>"), "the items are kept");
    assert!(
        html.contains(r#"value="一百""#)
            && html.contains(r#"name="ratio_d" type="number" min="0" max="1000" value="300""#)
    );
    assert!(html.contains(r#"value="H" checked"#) && html.contains(r#"value="320508" checked"#), "the ticks are kept");
    assert!(html.contains(r#"<option value="text" selected>"#), "the source's kind is kept");
    assert!(html.contains(r#"value="福彩双色球第2026140期开奖号码""#));

    // Right in itself, but nothing to draw from in 吴中 (no catering there): told beside the scope.
    fields = fields
        .into_iter()
        .map(|(k, v)| match k {
            "title" => (k, "餐饮双随机抽查"),
            "region" => (k, "320506"),
            "ratio_b" => (k, "100"),
            "inspectors_per_target" => (k, "2"),
            "source_description_0" => (k, "中国福利彩票发行管理中心公布的全部号码"),
            "source_time_0" => (k, ""),
            _ => (k, v),
        })
        .collect();
    let res = form_post(&app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let scope =
        html.find(r#"<fieldset id="scope" aria-describedby="scope-error">"#).expect("the scope points at its message");
    let error = html.find(r#"<p class="field-error" id="scope-error">"#).expect("a message for the scope");
    assert!(
        scope < error && html[error..].split("</p>").next().unwrap().contains("没有在册的检查对象"),
        "beside the scope"
    );
    assert!(app.state.store.draw_tasks().await.unwrap().is_empty(), "nothing committed");
}

#[tokio::test]
async fn a_task_from_commitment_to_published_results() {
    let app = TestApp::start().await;
    a_task_from_commitment_to_published_results_on(&app).await;
}

/// The flow of `a_task_from_commitment_to_published_results`, on an app whose clock may start on any day.
pub async fn a_task_from_commitment_to_published_results_on(app: &TestApp) {
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    directories(app, &officer, &other).await;
    // officer.li declared a tie to restaurant 01: never sent there.
    let tied = xinqiao_domain::ids::Uscc::with_check_char("91320508MA1X00001").unwrap().to_string();
    let tie = Tie {
        kind: TieKind::FellowTownsman,
        enterprise_uscc: Some(tied.clone()),
        enterprise_name: None,
        person_index: None,
    };
    app.state.store.declare_tie(&Actor::console(), &officer, &tie, "老乡").await.unwrap();

    let boss = app.client();
    app.login(&boss, "supervisor.wang", PASSWORD).await;
    let fields = [
        ("title", "2026年第四季度餐饮食品安全双随机抽查"),
        ("items", "食品经营许可\n从业人员健康证明"),
        ("industry", "H"),
        ("region", "320508"),
        ("ratio_a", "0"),
        ("ratio_b", "100"),
        ("ratio_c", "0"),
        ("ratio_d", "300"),
        ("inspectors_per_target", "1"),
        ("max_targets_per_inspector", "10"),
        ("source_name_0", "福彩双色球第2026140期开奖号码"),
        ("source_description_0", "2026-12-03 21:15 由中国福利彩票发行管理中心公布，红球与蓝球全部号码"),
        ("source_kind_0", "numbers"),
    ];
    let res = form_post(app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "one inspector per target is refused");
    let mut fields = fields.to_vec();
    fields[8] = ("inspectors_per_target", "2");
    let res = form_post(app, &boss, "/inspections/new", "/inspections", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let staff_url = location(&res).unwrap().to_owned();
    let id = staff_url.rsplit('/').next().unwrap().to_owned();
    let page = app.page(&boss, &staff_url).await;
    assert!(page.contains("检查对象 40 户") && page.contains("排除 1 项"), "the tie is a published exclusion");

    // Public before the draw: the commitment, nothing drawn; TASK.json carries the same commitment.
    let public = Client::new();
    let html = public.get(app.url(&format!("/draws/{id}"))).send().await.unwrap().text().await.unwrap();
    let task: Value =
        public.get(app.url(&format!("/draws/{id}/task.json"))).send().await.unwrap().json().await.unwrap();
    let commitment = task["commitment"].as_str().unwrap().to_owned();
    assert!(html.contains(&commitment) && html.contains("待公布"));
    assert!(task["outcome"].is_null());

    // Reveal: the draw runs once.
    let res =
        form_post(app, &boss, &staff_url, &format!("/inspections/{id}/reveal"), &[("value_0", "3 9 14 22 27 31 8")])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = form_post(app, &boss, &staff_url, &format!("/inspections/{id}/reveal"), &[("value_0", "1 2 3")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a task is drawn once");
    let doc: Value = public.get(app.url(&format!("/api/v1/draws/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["commitment"], commitment.as_str(), "the commitment did not move");
    let drawn = doc["outcome"]["targets"].as_array().unwrap();
    assert_eq!(drawn.len(), 2 + 6, "⌈20×10%⌉ of B and ⌈20×30%⌉ of D");
    for t in drawn {
        let team: Vec<&str> = t["inspectors"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(team.len(), 2);
        assert!(!(t["uscc"] == tied.as_str() && team.contains(&"JZ32050001")), "recusal honoured");
    }

    // officer.li records a result for a target on their team; officer.zhao may not touch one
    // that is not theirs.
    let li = app.client();
    app.login(&li, "officer.li", PASSWORD).await;
    // The drawn officer's workbench: one draw waits for their results, linked to the task.
    let home = app.page(&li, "/").await;
    let waiting = format!(
        "<a href=\"/inspections/{id}\" id=\"work-draws\" class=\"work-item\"><strong class=\"count\">1</strong>"
    );
    assert!(home.contains(&waiting), "{home}");
    let mine = drawn.iter().find(|t| t["inspectors"].as_array().unwrap().iter().any(|c| c == "JZ32050001")).unwrap();
    let not_zhaos =
        drawn.iter().find(|t| !t["inspectors"].as_array().unwrap().iter().any(|c| c == "JZ32050002")).unwrap();
    let uscc = mine["uscc"].as_str().unwrap();
    let res = form_post(
        app,
        &li,
        &staff_url,
        &format!("/inspections/{id}/results"),
        &[("uscc", uscc), ("category", "corrected_on_order"), ("note", "健康证过期，已责令改正")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let zhao = app.client();
    app.login(&zhao, "officer.zhao", PASSWORD).await;
    let res = form_post(
        app,
        &zhao,
        &staff_url,
        &format!("/inspections/{id}/results"),
        &[("uscc", not_zhaos["uscc"].as_str().unwrap()), ("category", "no_problem")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Not public until published; then searchable, also as open data.
    let search = |q: String| public.get(app.url(&format!("/api/v1/inspection-results?q={q}"))).send();
    assert!(search(uscc.to_owned()).await.unwrap().json::<Value>().await.unwrap().as_array().unwrap().is_empty());
    let res = form_post(app, &boss, &staff_url, &format!("/inspections/{id}/publish"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let found: Value = search(uscc.to_owned()).await.unwrap().json().await.unwrap();
    assert_eq!(found[0]["category_label"], "发现问题已责令改正");
    let page = public.get(app.url(&format!("/draws/results?q={uscc}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("健康证过期"));

    // Anyone can have it recomputed; a tampered document is caught.
    let res = public.post(app.url(&format!("/draws/{id}/verify"))).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"verdict\"") && html.contains("banner notice"), "the stored draw recomputes");
    let json = public.get(app.url(&format!("/draws/{id}/task.json"))).send().await.unwrap().text().await.unwrap();
    assert!(xinqiao_domain::draws::verify_file(&json).unwrap().is_match());
    for doc in [json.replace("3 9 14 22 27 31 8", "3 9 14 22 27 31 9"), swap_first_team(&json)] {
        let res = public.post(app.url("/draws/verify")).form(&[("document", doc.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// The published document with the first drawn target's team reversed.
fn swap_first_team(json: &str) -> String {
    let mut v: Value = serde_json::from_str(json).unwrap();
    let team = v["outcome"]["targets"][0]["inspectors"].as_array_mut().unwrap();
    team.reverse();
    serde_json::to_string(&v).unwrap()
}

/// A committed (not yet drawn) task over three targets, stored directly; returns its id.
pub async fn committed_task(app: &TestApp) -> String {
    use xinqiao_domain::draws::*;
    let uscc = |i: u32| xinqiao_domain::ids::Uscc::with_check_char(&format!("91320508MA1Y{i:05}")).unwrap().to_string();
    let mut task = DrawTask {
        id: xinqiao_store::new_id(),
        title: "测试任务".into(),
        scope: "全部".into(),
        items: vec!["食品经营许可".into()],
        parameters: Parameters {
            sampling: [(RiskClass::B, Sampling::Count(1))].into_iter().collect(),
            inspectors_per_target: 2,
            max_targets_per_inspector: 5,
        },
        targets: (1..=3).map(|i| Target { uscc: uscc(i), name: format!("餐馆{i}"), risk: RiskClass::B }).collect(),
        inspectors: (1..=2)
            .map(|i| Inspector { cert_no: format!("JZ{i}"), name: format!("检查员{i}"), unit: "姑苏".into() })
            .collect(),
        exclusions: Vec::new(),
        sources: vec![RandomSource {
            name: "彩票".into(),
            description: "将来某日的开奖号码".into(),
            kind: SourceKind::Numbers,
            value: None,
            available_at: None,
        }],
    };
    task.canonicalize();
    task.validate().unwrap();
    let doc = PublishedDraw::new(task, None);
    app.state
        .store
        .commit_draw_task(&Actor::console(), &doc.task.id, "测试任务", &doc.to_json(), &doc.commitment)
        .await
        .unwrap();
    doc.task.id
}
