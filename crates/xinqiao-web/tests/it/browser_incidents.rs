//! 突发事件 in headless Chromium at 1366 px and at 390 px: a member of the public submits the
//! first complaint, an officer opens an incident, links the complaint by its 受理编号, drafts a
//! statement and draws the re-test laboratory at random, a supervisor publishes the statement,
//! and the public page shows it; no page scrolls sideways.
//! An officer drags a redaction box over evidence with the mouse and the public copy loses those pixels.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, Locator};
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

    // The party asks for a re-test: the laboratory is drawn at random, never the first one.
    fill(c, "#new-measure input[name=title]", "当事人申请复检").await?;
    choose(c, "#new-measure select[name=clock]", "retest_request").await?;
    let day = serde_json::Value::String(app.today().to_string());
    c.execute("document.querySelector('#new-measure input[name=started_on]').value = arguments[0];", vec![day])
        .await
        .map_err(e2s)?;
    navigate(c, "#new-measure button[type=submit]").await?;
    click(c, ".retest-draw summary").await?;
    fill(c, ".draw-retest-lab input[name=original_lab]", "初检所").await?;
    fill(c, ".draw-retest-lab textarea[name=candidates]", "初检所\n甲检测中心\n乙检验所").await?;
    click(c, ".draw-retest-lab button[type=submit]").await?;
    c.accept_alert().await.map_err(e2s)?;
    let picked = text(c, ".retest-picked").await?;
    ensure(["甲检测中心", "乙检验所"].contains(&picked.as_str()), format!("drawn: {picked}"))?;
    click(c, ".retest-lab summary").await?;
    fits(c, "the incident page with the drawn laboratory").await?;

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
        assert_eq!(full.retest_labs.len(), 1, "and its drawn re-test laboratory");
    }
}

/// The officer drags a box over the evidence picture in the browser (the script writes it into
/// the form), publishes, and the public copy has those pixels filled; the rest are untouched.
async fn drag_a_box(c: &Client, app: &TestApp, page: &str, drawn: &mut Vec<u32>) -> Step {
    sign_in(app, c, "officer.gusu", PASSWORD).await?;
    c.goto(&app.url(page)).await.map_err(e2s)?;
    let img = c.wait().for_element(Locator::Css("#redact-frame.drawing #evidence-image")).await.map_err(e2s)?;
    // From 60 px left of and 40 px above the centre of the 200×150 picture to 20 px right and 10 px below.
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: img.clone(), duration: None, x: -60.0, y: -40.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveToElement { element: img, duration: None, x: 20.0, y: 10.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    c.perform_actions(drag).await.map_err(e2s)?;
    let boxes = c.execute("return document.getElementById('boxes').value;", vec![]).await.map_err(e2s)?;
    let boxes = boxes.as_str().unwrap_or_default().to_owned();
    // The picture's centre is at (100, 75); the drag's corners land within a pixel of (40, 35) and (120, 85).
    *drawn = boxes.trim().split(',').filter_map(|n| n.parse().ok()).collect();
    let near = |got: u32, want: u32| got.abs_diff(want) <= 1;
    ensure(
        drawn.len() == 4 && near(drawn[0], 40) && near(drawn[1], 35) && near(drawn[2], 80) && near(drawn[3], 50),
        format!("the drag wrote its box: {boxes:?}"),
    )?;
    ensure(c.find_all(Locator::Css(".redact-box")).await.map_err(e2s)?.len() == 1, "the box is outlined")?;
    navigate(c, "#redact-submit").await?;
    Ok(())
}

#[tokio::test]
async fn an_officer_drags_a_box_over_the_evidence_and_its_pixels_are_gone_from_the_public_copy() {
    use xinqiao_domain::incidents::redaction::{FILL, decode};
    use xinqiao_web::incidents::service::{self, NewIncidentInput, Officer, StatementInput};
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let st = &app.state;
    let as_officer = |id: String| async move {
        let user = st.store.user(&id).await.unwrap();
        Officer::of(st, &user, "127.0.0.1").await.unwrap()
    };
    let owner = as_officer(app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let boss = as_officer(app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    let input =
        NewIncidentInput {
            title: "网红餐厅检查".into(), enterprise_name: "示例餐厅".into(), ..Default::default()
        };
    let id = service::create(st, &owner, input).await.unwrap();
    let facts = StatementInput { facts: "经查，异物为员工掉落的塑料片。".into(), ..Default::default() };
    let sid = service::draft_statement(st, &owner, &id, facts).await.unwrap();
    service::publish(st, &boss, &id, &sid).await.unwrap();
    let white = image::RgbImage::from_pixel(200, 150, image::Rgb([255, 255, 255]));
    let mut png = std::io::Cursor::new(Vec::new());
    white.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let http = app.client();
    app.login(&http, "officer.gusu", PASSWORD).await;
    let csrf = csrf_of(&app.page(&http, &format!("/incidents/{id}")).await);
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("caption", "检查现场截图")
        .part("file", reqwest::multipart::Part::bytes(png.into_inner()).file_name("现场.png"));
    let res = http.post(app.url(&format!("/incidents/{id}/evidence"))).multipart(form).send().await.unwrap();
    let page = location(&res).expect("redirected to the redaction page").to_owned();
    let e = page.rsplit('/').next().unwrap().to_owned();
    let Some((_driver, c)) = browser().await else { return };
    c.set_window_size(1366, 900).await.unwrap();
    let mut drawn = Vec::new();
    let result = drag_a_box(&c, &app, &page, &mut drawn).await;
    finish("incidents-evidence-drag", c, result).await;

    let public = app.client().get(app.url(&format!("/statements/{id}/evidence/{e}"))).send().await.unwrap();
    assert_eq!(public.status(), reqwest::StatusCode::OK);
    let shown = decode(&public.bytes().await.unwrap()).unwrap().pixels;
    let (x, y, w, h) = (drawn[0], drawn[1], drawn[2], drawn[3]);
    assert_eq!(shown.get_pixel(x, y).0, FILL, "the box's corner is filled");
    assert_eq!(shown.get_pixel(x + w - 1, y + h - 1).0, FILL, "the box's far corner is filled");
    assert_eq!(shown.get_pixel(x - 1, y).0, [255, 255, 255], "left of the box is untouched");
    assert_eq!(shown.get_pixel(x + w, y + h - 1).0, [255, 255, 255], "right of the box is untouched");
    let filled = shown.pixels().filter(|p| p.0 == FILL).count();
    assert_eq!(filled as u32, w * h, "exactly the dragged box");
}
