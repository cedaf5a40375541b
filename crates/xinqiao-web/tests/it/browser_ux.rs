//! In headless Chromium, 用起来顺手 (issue 18): every public page fits a 390 px phone screen
//! (nothing wider than the window), the receipt's copy buttons appear where they work, and the
//! officer's workbench counts agree with the queue each one opens.

use crate::browser::*;
use crate::helpers::*;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xinqiao_domain::accounts::Role;
use xinqiao_store::audit::Actor;

/// `(scrollWidth, innerWidth)` of the page shown.
async fn widths(c: &Client) -> Result<(i64, i64), String> {
    let v =
        c.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.map_err(e2s)?;
    let w = |i: usize| v.get(i).and_then(Value::as_i64).ok_or_else(|| format!("no width in {v}"));
    Ok((w(0)?, w(1)?))
}

/// The page shown fits its window: no horizontal scrolling of the whole page.
async fn fits(c: &Client, what: &str) -> Step {
    let (scroll, inner) = widths(c).await?;
    ensure(scroll <= inner, format!("{what}: the page is {scroll} px wide in a {inner} px window"))
}

async fn visit(c: &Client, app: &TestApp, path: &str) -> Step {
    c.goto(&app.url(path)).await.map_err(e2s)?;
    c.find(Locator::Css("main")).await.map_err(e2s)?;
    fits(c, path).await
}

async fn phone_scenario(app: &TestApp, c: &Client, entry: &str, task: &str) -> Step {
    c.set_window_size(390, 844).await.map_err(e2s)?;
    let (_, inner) = widths(c).await?;
    ensure(inner <= 400, format!("a phone-sized window, not {inner} px"))?;
    for path in [
        "/",
        "/public",
        "/submit",
        "/submit?kind=consultation",
        "/track",
        "/qa",
        "/qa?q=%E9%A2%84%E4%BB%98%E5%8D%A1%E9%80%80%E6%AC%BE",
        &format!("/qa/{entry}"),
        "/stats",
        "/draws",
        "/draws/results",
        "/draws/verify",
        &format!("/draws/{task}"),
        "/login",
        "/no/such/page",
    ] {
        visit(c, app, path).await?;
    }
    // A report through the form, its receipt, the printable receipt and the tracking page.
    c.goto(&app.url("/submit?kind=report")).await.map_err(e2s)?;
    fill(c, "#enterprise_name", "苏州姑苏示例餐饮管理有限公司").await?;
    let industry = c.find(Locator::Css("#industry")).await.map_err(e2s)?;
    industry.select_by_value("H").await.map_err(e2s)?;
    let region = c.find(Locator::Css("#region_code")).await.map_err(e2s)?;
    region.select_by_value("320508").await.map_err(e2s)?;
    fill(c, "#narrative", "这家饭店后厨老鼠乱窜，餐具不消毒，顾客吃完拉肚子。").await?;
    navigate(c, "#preview-case").await?;
    fits(c, "the preview of what the enterprise will see").await?;
    navigate(c, "#submit-case").await?;
    let key = text(c, "#access-key").await?;
    let code = text(c, ".tracking-code").await?;
    fits(c, "the receipt").await?;
    let copy = c.find(Locator::Css("button[data-copy='access-key']")).await.map_err(e2s)?;
    ensure(copy.is_displayed().await.map_err(e2s)?, "the copy button is shown where copying works")?;
    navigate(c, "#receipt-open-1").await?;
    ensure(text(c, "#receipt-key").await? == key, "the printable receipt carries the key")?;
    fits(c, "the printable receipt").await?;
    navigate(c, "#receipt a[href='/track']").await?;
    fill(c, "#code", &code).await?;
    fill(c, "#key", &key).await?;
    navigate(c, "#track-submit").await?;
    ensure(text(c, "#case-steps").await?.contains("现在在这一步"), "the steps in plain words")?;
    fits(c, "the tracking page with its case").await
}

#[tokio::test]
async fn every_public_page_fits_a_phone() {
    let app = TestApp::start_on(xinqiao_store::Backend::Sqlite, false).await.unwrap();
    app.bureau().await;
    crate::ux::seed_statistics(&app).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let mut entry = String::new();
    for e in app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Review], None, 1000).await.unwrap() {
        app.state
            .store
            .set_entry_status(
                &Actor::console(),
                &e.id,
                xinqiao_domain::knowledge::QaStatus::Review,
                xinqiao_domain::knowledge::QaStatus::Published,
                "qa.publish",
            )
            .await
            .unwrap();
        entry = e.id;
    }
    let task = crate::inspections::committed_task(&app).await;
    let Some((_driver, c)) = browser().await else { return };
    let result = phone_scenario(&app, &c, &entry, &task).await;
    finish("public-pages-at-390", c, result).await;
}

async fn workbench_scenario(app: &TestApp, c: &Client) -> Step {
    sign_in(app, c, "officer.li", PASSWORD).await?;
    for id in ["work-awaiting", "work-soon", "work-overdue", "work-follow-up"] {
        c.goto(&app.url("/")).await.map_err(e2s)?;
        let count = text(c, &format!("#{id} .count")).await?;
        navigate(c, &format!("#{id}")).await?;
        let total = text(c, "#case-total strong").await?;
        ensure(total == count, format!("{id}: the workbench says {count}, its queue lists {total}"))?;
        let rows = c.find_all(Locator::Css("#cases tbody tr")).await.map_err(e2s)?.len();
        ensure(rows.to_string() == total, format!("{id}: {rows} rows shown for {total}"))?;
    }
    c.goto(&app.url("/")).await.map_err(e2s)?;
    ensure(text(c, "#work-overdue .count").await? == "1", "one overdue case")?;
    ensure(text(c, "#work-awaiting .count").await? == "3", "three waiting to be accepted")
}

#[tokio::test]
async fn the_officers_home_counts_agree_with_the_queue() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let overdue = crate::ux::complaint_in(&app, "320508").await;
    crate::ux::shift_received(&app, &overdue, 40).await;
    let soon = crate::ux::complaint_in(&app, "320508").await;
    crate::ux::shift_received(&app, &soon, 7).await;
    crate::ux::complaint_in(&app, "320508").await;
    let Some((_driver, c)) = browser().await else { return };
    let result = workbench_scenario(&app, &c).await;
    finish("workbench-counts", c, result).await;
}

async fn audit_scenario(app: &TestApp, c: &Client) -> Step {
    c.set_window_size(1366, 900).await.map_err(e2s)?;
    sign_in(app, c, "aud", PASSWORD).await?;
    c.goto(&app.url("/audit")).await.map_err(e2s)?;
    c.find(Locator::Css("#audit td.roles")).await.map_err(e2s)?;
    // Each role cell is at most two lines high (it was one character per line).
    let lines = c
        .execute(
            "return Array.from(document.querySelectorAll('#audit td.roles span')).filter(function (s) {
               return s.textContent.trim() !== ''; }).map(function (s) { return s.getClientRects().length; });",
            vec![],
        )
        .await
        .map_err(e2s)?;
    let lines: Vec<f64> = lines.as_array().ok_or("no cells")?.iter().filter_map(Value::as_f64).collect();
    ensure(!lines.is_empty(), "role cells are shown")?;
    let most = lines.iter().copied().fold(0.0, f64::max);
    ensure(most <= 2.0, format!("a role cell takes {most} lines at 1366 px"))?;
    fits(c, "the audit page at 1366 px").await
}

#[tokio::test]
async fn the_audit_role_column_keeps_words_whole_at_1366() {
    let app = TestApp::start_on(xinqiao_store::Backend::Sqlite, false).await.unwrap();
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.user("boss", &[Role::Officer, Role::Supervisor]).await;
    app.user("aud", &[Role::AuditAdmin]).await;
    app.login(&app.client(), "officer.li", PASSWORD).await;
    app.login(&app.client(), "boss", PASSWORD).await;
    crate::ux::complaint_in(&app, "320508").await;
    let Some((_driver, c)) = browser().await else { return };
    let result = audit_scenario(&app, &c).await;
    finish("audit-at-1366", c, result).await;
}

/// The value of the form control `css`.
async fn value(c: &Client, css: &str) -> Result<String, String> {
    let v = c.find(Locator::Css(css)).await.map_err(e2s)?.prop("value").await.map_err(e2s)?;
    Ok(v.unwrap_or_default())
}

/// The public form at one width: a complaint's labels stand above their fields, the known
/// enterprise is offered while its name is typed and fills in code and industry, Enter in a
/// field asks for the preview (not the search), a mistake is told beside its field with the
/// values kept, and nothing is wider than the window.
async fn submit_form_scenario(app: &TestApp, c: &Client, width: u32) -> Step {
    c.set_window_size(width, 900).await.map_err(e2s)?;
    c.goto(&app.url("/submit?kind=complaint")).await.map_err(e2s)?;
    fits(c, "the complaint form").await?;
    let above: bool = c
        .execute(
            "const l = document.querySelector('label[for=narrative]').getBoundingClientRect();\
             const f = document.getElementById('narrative').getBoundingClientRect();\
             return l.bottom <= f.top && Math.abs(l.left - f.left) < 2 && f.width > 0.8 * document.querySelector('#submit-form').getBoundingClientRect().width;",
            vec![],
        )
        .await
        .map_err(e2s)?
        .as_bool()
        .unwrap_or(false);
    ensure(above, format!("at {width} px the label stands above a full-width field"))?;
    fill(c, "#enterprise_name", "示例健身").await?;
    click(c, "#enterprise-matches button[data-uscc]").await?;
    ensure(value(c, "#uscc").await? == "91110000600037341L", "the code is filled in")?;
    ensure(value(c, "#enterprise_name").await? == "苏州姑苏示例健身管理有限公司", "the full name")?;
    ensure(value(c, "#industry").await? == "R", "the industry from the directory")?;
    ensure(text(c, "#enterprise-status").await?.contains("已选择"), "the choice is said")?;
    fill(c, "#narrative", "太短了").await?;
    fill(c, "#demand", "退款").await?;
    // Enter in a field: the preview is asked for, and the mistakes are told beside their fields.
    fill(c, "#demand", "\u{E007}").await?;
    c.wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::Css("#submit-errors"))
        .await
        .map_err(e2s)?;
    ensure(text(c, "#narrative-error").await?.contains("至少10个字"), "beside the narrative")?;
    let invalid = c.find(Locator::Css("#narrative")).await.map_err(e2s)?.attr("aria-invalid").await.map_err(e2s)?;
    ensure(invalid.as_deref() == Some("true"), "the field is marked invalid")?;
    ensure(value(c, "#uscc").await? == "91110000600037341L", "the values are kept")?;
    ensure(value(c, "#narrative").await? == "太短了", "the narrative is kept")?;
    fits(c, "the form with its errors").await?;
    // Without the search's help a consultation has no enterprise question of its own words.
    navigate(c, "#kind-tabs a[href='/submit?kind=consultation']").await?;
    ensure(text(c, "#submit-title").await? == "我要咨询", "the consultation form")?;
    ensure(c.find(Locator::Css("#demand")).await.is_err(), "no 诉求 asked of a question")?;
    fits(c, "the consultation form").await
}

#[tokio::test]
async fn the_public_form_finds_the_enterprise_and_tells_mistakes_in_place() {
    let app = TestApp::start().await;
    app.bureau().await;
    let gym = xinqiao_store::inspections::TargetRow {
        uscc: "91110000600037341L".into(),
        name: "苏州姑苏示例健身管理有限公司".into(),
        industry: "R".into(),
        region_code: "320508".into(),
        risk_class: "B".into(),
        status: "active".into(),
    };
    app.state.store.import_targets(&Actor::console(), &[gym]).await.unwrap();
    let Some((_driver, c)) = browser().await else { return };
    let mut result = Ok(());
    for width in [1366, 390] {
        result = submit_form_scenario(&app, &c, width).await;
        if result.is_err() {
            break;
        }
    }
    finish("public-form", c, result).await;
}

/// The draw form at one width: a mistake is told beside its field (which points at it), what
/// was typed stays, and nothing is wider than the window.
async fn draw_form_scenario(app: &TestApp, c: &Client, width: u32) -> Step {
    c.set_window_size(width, 900).await.map_err(e2s)?;
    c.goto(&app.url("/inspections/new")).await.map_err(e2s)?;
    fits(c, "the draw form").await?;
    fill(c, "#title", "餐饮双随机抽查").await?;
    fill(c, "#items", "食品经营许可").await?;
    let per = c.find(Locator::Css("#inspectors_per_target")).await.map_err(e2s)?;
    per.clear().await.map_err(e2s)?;
    per.send_keys("1").await.map_err(e2s)?;
    fill(c, "#source_name_0", "福彩双色球第2026140期开奖号码").await?;
    click(c, "#commit-task").await?;
    c.accept_alert().await.map_err(e2s)?;
    text(c, "#task-error").await?;
    ensure(text(c, "#inspectors_per_target-error").await?.contains("至少派2名"), "beside the team size")?;
    ensure(text(c, "#source_description_0-error").await?.contains("请写明"), "beside the source's description")?;
    let described = c
        .find(Locator::Css("#inspectors_per_target"))
        .await
        .map_err(e2s)?
        .attr("aria-describedby")
        .await
        .map_err(e2s)?;
    ensure(described.as_deref() == Some("inspectors_per_target-error"), "the field points at its message")?;
    ensure(value(c, "#title").await? == "餐饮双随机抽查", "the title is kept")?;
    ensure(value(c, "#inspectors_per_target").await? == "1", "the number is kept")?;
    fits(c, "the draw form with its errors").await
}

#[tokio::test]
async fn the_draw_form_tells_mistakes_beside_their_fields() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    crate::inspections::directories(&app, &officer, &other).await;
    let Some((_driver, c)) = browser().await else { return };
    let mut result = sign_in(&app, &c, "supervisor.wang", PASSWORD).await;
    for width in [1366, 390] {
        if result.is_ok() {
            result = draw_form_scenario(&app, &c, width).await;
        }
    }
    finish("draw-form", c, result).await;
}
