//! In a real headless Chromium, driven through WebDriver: an administrator signs in (with the
//! second factor), creates a 客户体验官 account and signs out; the new officer signs in, sets
//! their own password and sees the officer's navigation. A failure saves a screenshot under
//! `target/test-artifacts/`.

use crate::helpers::*;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use xinqiao_domain::accounts::Role;

/// A chromedriver child process on a free port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn chromedriver_path() -> Option<String> {
    std::env::var("XINQIAO_CHROMEDRIVER").ok().or_else(|| {
        ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .iter()
            .find(|p| std::path::Path::new(p).exists())
            .map(|p| p.to_string())
    })
}

impl Driver {
    async fn start() -> Option<Driver> {
        let path = chromedriver_path()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let profile = std::env::temp_dir().join(format!("xinqiao-chromium-{}", xinqiao_store::new_id()));
        let driver = Driver { child, port, profile };
        // chromedriver is another process: poll its status endpoint, bounded to ten seconds.
        for _ in 0..100 {
            if reqwest::get(format!("http://127.0.0.1:{port}/status")).await.is_ok_and(|r| r.status().is_success()) {
                return Some(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer on port {port} within 10 s");
    }

    async fn browser(&self) -> Client {
        self.browser_with("1280,900", &[]).await
    }

    /// A session with a window of `size` ("w,h") and extra Chromium switches.
    async fn browser_with(&self, size: &str, extra: &[String]) -> Client {
        let chromium = std::env::var("XINQIAO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut caps = serde_json::Map::new();
        let args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--window-size={size}"), format!("--user-data-dir={}", self.profile.display())])
        .chain(extra.iter().cloned())
        .collect();
        caps.insert("goog:chromeOptions".into(), serde_json::json!({"binary": chromium, "args": args}));
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
    }
}

pub(crate) type Step = Result<(), String>;

pub(crate) fn ensure(ok: bool, what: impl Into<String>) -> Step {
    if ok { Ok(()) } else { Err(what.into()) }
}

pub(crate) fn e2s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub(crate) async fn fill(c: &Client, css: &str, text: &str) -> Step {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .map_err(e2s)?
        .send_keys(text)
        .await
        .map_err(e2s)
}

/// Clicks an element, waiting (up to 10 s) for it to appear: a click that submits a form
/// returns before the next page has loaded.
pub(crate) async fn click(c: &Client, css: &str) -> Step {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .map_err(e2s)?
        .click()
        .await
        .map_err(e2s)
}

/// Clicks something that loads a new page, and waits until the old page is gone (its root
/// element goes stale), so the next step cannot act on the page being left.
pub(crate) async fn navigate(c: &Client, css: &str) -> Step {
    let old = c.find(Locator::Css("html")).await.map_err(e2s)?;
    click(c, css).await?;
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err(format!("clicking {css} did not load a new page within 5 s"))
}

pub(crate) async fn text(c: &Client, css: &str) -> Result<String, String> {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .map_err(e2s)?
        .text()
        .await
        .map_err(e2s)
}

pub(crate) async fn choose(c: &Client, css: &str, value: &str) -> Step {
    c.find(Locator::Css(css)).await.map_err(e2s)?.select_by_value(value).await.map_err(e2s)
}

async fn page_source(c: &Client) -> Result<String, String> {
    c.source().await.map_err(e2s)
}

pub(crate) async fn path(c: &Client) -> Result<String, String> {
    Ok(c.current_url().await.map_err(e2s)?.path().to_owned())
}

pub(crate) async fn sign_in(app: &TestApp, c: &Client, username: &str, password: &str) -> Step {
    c.goto(&app.url("/login")).await.map_err(e2s)?;
    fill(c, "#username", username).await?;
    fill(c, "#password", password).await?;
    navigate(c, "#login-submit").await
}

async fn scenario(app: &TestApp, c: &Client) -> Step {
    // The 系统管理员 signs in with password and TOTP code.
    sign_in(app, c, "sysadmin", PASSWORD).await?;
    text(c, "#code").await?;
    fill(c, "#code", &app.next_code("sysadmin")).await?;
    navigate(c, "#totp-submit").await?;
    let nav = text(c, "#main-nav").await?;
    ensure(nav.contains("用户管理") && !nav.contains("审计日志"), format!("system administrator's navigation: {nav}"))?;

    // … creates an officer account …
    navigate(c, "#main-nav a[href='/admin/users']").await?;
    navigate(c, "#new-user").await?;
    fill(c, "#username", "officer.wu").await?;
    fill(c, "#display_name", "吴体验").await?;
    click(c, "#role-officer").await?;
    fill(c, "#password", "Initial-Pass-2026").await?;
    navigate(c, "#create-user").await?;
    let notice = text(c, "#notice").await?;
    ensure(notice.contains("用户已创建"), format!("creation notice: {notice}"))?;
    ensure(text(c, "#user-roles").await? == "客户体验官", "the new account holds the officer role")?;

    // … and signs out.
    navigate(c, "#logout").await?;
    text(c, "#login-submit").await?;
    ensure(path(c).await? == "/login", "signed out to the login page")?;

    // The officer signs in with the initial password and must choose their own first.
    sign_in(app, c, "officer.wu", "Initial-Pass-2026").await?;
    text(c, "#must-change").await?;
    fill(c, "#current", "Initial-Pass-2026").await?;
    fill(c, "#new", "Wu-Own-Pass-2026").await?;
    fill(c, "#confirm", "Wu-Own-Pass-2026").await?;
    navigate(c, "#password-submit").await?;
    text(c, "#notice").await?;

    // The officer's navigation: the workbench and account, no administration, no audit.
    navigate(c, "#main-nav a[href='/']").await?;
    let nav = text(c, "#main-nav").await?;
    ensure(nav.contains("工作台") && nav.contains("账户安全"), format!("officer navigation: {nav}"))?;
    ensure(
        !nav.contains("用户管理") && !nav.contains("审计日志") && !nav.contains("安全策略"),
        format!("officer sees no admin items: {nav}"),
    )?;
    ensure(text(c, "#who-roles").await? == "客户体验官", "role shown in the header")?;
    let duties = text(c, "#duties").await?;
    ensure(duties.contains("受理"), format!("officer duties: {duties}"))
}

/// A browser for one test, or `None` (skipped with a note) where chromedriver is not installed.
pub(crate) async fn browser() -> Option<(Driver, Client)> {
    let Some(driver) = Driver::start().await else {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium-driver");
        eprintln!("chromedriver not found (install chromium-driver or set XINQIAO_CHROMEDRIVER): browser test skipped");
        return None;
    };
    let client = driver.browser().await;
    Some((driver, client))
}

/// The same with a window of `size` and extra Chromium switches (a phone, a fake camera).
pub(crate) async fn browser_with(size: &str, extra: &[String]) -> Option<(Driver, Client)> {
    let Some(driver) = Driver::start().await else {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium-driver");
        eprintln!("chromedriver not found (install chromium-driver or set XINQIAO_CHROMEDRIVER): browser test skipped");
        return None;
    };
    let client = driver.browser_with(size, extra).await;
    Some((driver, client))
}

/// Closes the browser; on a failed scenario saves a screenshot named after it and fails.
pub(crate) async fn finish(name: &str, c: Client, result: Step) {
    if let Err(why) = &result {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("browser-{name}.png"));
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&file, png);
        }
        let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let _ = c.close().await;
        panic!("browser scenario {name} failed at {url}: {why} (screenshot: {})", file.display());
    }
    c.close().await.unwrap();
}

#[tokio::test]
async fn admin_creates_an_officer_who_signs_in() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start().await;
    app.admin("sysadmin", Role::SysAdmin).await;
    let result = scenario(&app, &c).await;
    finish("admin-creates-officer", c, result).await;
    let officer = app.state.store.user_by_name("officer.wu").await.unwrap();
    assert!(!officer.must_change_password, "the officer chose a password");
}

/// The public submits a complaint; an officer accepts and mediates it; the enterprise answers in
/// its portal without ever seeing the complainant's name or phone; the officer closes it; the
/// complainant reads the progress and rates it.
async fn complaint_scenario(app: &TestApp, c: &Client) -> Step {
    // The public, without an account.
    c.goto(&app.url("/submit?kind=complaint")).await.map_err(e2s)?;
    fill(c, "#enterprise_name", "苏州姑苏示例健身管理有限公司").await?;
    fill(c, "#uscc", "91110000600037341L").await?;
    choose(c, "#industry", "R").await?;
    choose(c, "#region_code", "320508").await?;
    fill(c, "#narrative", "我在健身房办了5000元的预付卡，上周突然关门，老板电话15900001111打不通。").await?;
    fill(c, "#amount", "5000").await?;
    fill(c, "#demand", "退还卡内余额").await?;
    fill(c, "#name", "李秀英").await?;
    fill(c, "#mobile", "13812345678").await?;
    fill(c, "#address", "苏州市姑苏区人民路88号").await?;
    // The preview shows what the enterprise will see; the files are added there.
    navigate(c, "#preview-case").await?;
    ensure(text(c, "#preview-narrative").await?.contains("159****1111"), "the preview shows the masked text")?;
    // A photo of the receipt, taken with the phone's location on.
    let dir = std::env::temp_dir().join(format!("xinqiao-upload-{}", xinqiao_store::new_id()));
    std::fs::create_dir_all(&dir).map_err(e2s)?;
    let photo = dir.join("收据.jpg");
    std::fs::write(&photo, crate::settlement::jpeg_with_gps()).map_err(e2s)?;
    fill(c, "#attachments", photo.to_str().ok_or("temp path")?).await?;
    navigate(c, "#submit-case").await?;
    let _ = std::fs::remove_dir_all(&dir);
    let code = text(c, ".tracking-code").await?;
    let key = text(c, "#access-key").await?;

    // The officer accepts, takes it on and starts mediation.
    sign_in(app, c, "officer.li", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/cases']").await?;
    navigate(c, "#cases tbody a").await?;
    ensure(text(c, "#case-code").await? == code, "the officer opened the submitted case")?;
    ensure(text(c, "#case-files").await?.contains("收据.jpg"), "the photo came with it")?;
    for (action, extra) in [("accept", None), ("assign", Some("#assignee")), ("start_mediation", None)] {
        if let Some(sel) = extra {
            let el = c.find(Locator::Css(sel)).await.map_err(e2s)?;
            let options = el.find_all(Locator::Css("option")).await.map_err(e2s)?;
            let officer =
                options.last().ok_or("no officer to assign")?.attr("value").await.map_err(e2s)?.unwrap_or_default();
            choose(c, sel, &officer).await?;
        }
        navigate(c, &format!("#act-{action}-submit")).await?;
        ensure(text(c, "#notice").await?.starts_with("已完成"), "the page says it is done")?;
    }
    ensure(text(c, "#case-status").await? == "调解中", "mediation started")?;
    // The officer confirms the masking: only now does the enterprise see the complaint.
    navigate(c, "#privacy-confirm").await?;
    ensure(text(c, "#privacy-status").await?.contains("已于"), "the masking is confirmed")?;
    navigate(c, "#logout").await?;

    // The enterprise answers in its portal and never sees who complained.
    sign_in(app, c, "gym", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/enterprise']").await?;
    navigate(c, "#enterprise-cases tbody a").await?;
    let seen = page_source(c).await?;
    ensure(!seen.contains("李秀英") && !seen.contains("13812345678"), "the enterprise sees neither name nor phone")?;
    fill(c, "#reply", "已联系顾客，同意退还余额，本周内办理。").await?;
    navigate(c, "#enterprise-reply").await?;
    ensure(text(c, "#case-history").await?.contains("同意退还余额"), "the reply is on the record")?;
    navigate(c, "#logout").await?;

    // The officer closes it as settled.
    sign_in(app, c, "officer.li", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/cases']").await?;
    navigate(c, "#cases tbody a").await?;
    choose(c, "#result", "settled").await?;
    // 办结 cannot be undone: the script asks first, and the answer closes it at once.
    click(c, "#act-close-submit").await?;
    c.accept_alert().await.map_err(e2s)?;
    c.wait().at_most(std::time::Duration::from_secs(10)).for_element(Locator::Css("#notice")).await.map_err(e2s)?;
    ensure(text(c, "#case-status").await? == "办结", "closed")?;
    navigate(c, "#logout").await?;

    // The complainant follows it and rates it.
    c.goto(&app.url("/track")).await.map_err(e2s)?;
    fill(c, "#code", &code).await?;
    fill(c, "#key", &key).await?;
    navigate(c, "#track-submit").await?;
    ensure(text(c, "#case-status").await? == "办结", "the complainant sees it closed")?;
    ensure(text(c, "#case-progress").await?.contains("同意退还余额"), "and the enterprise's answer")?;
    click(c, "#rating-5").await?;
    fill(c, "#comment", "办得很快，谢谢").await?;
    navigate(c, "#rate-submit").await?;
    ensure(text(c, "#notice").await?.contains("感谢您的评价"), "rated")
}

#[tokio::test]
async fn a_complaint_from_the_public_to_the_rating() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let s = &app.state.store;
    app.user("gym", &[Role::Enterprise]).await;
    let Some((_driver, c)) = browser().await else { return };
    let result = complaint_scenario(&app, &c).await;
    finish("complaint-to-rating", c, result).await;
    let case =
        s.list_cases(&xinqiao_store::cases::CaseFilter { limit: 5, ..Default::default() }).await.unwrap().remove(0);
    assert_eq!(case.rating, Some(5));
    let files = s.attachments(&case.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].media, "jpeg");
}

/// 双随机: a supervisor creates and commits a task, reveals the lottery numbers and draws; the
/// drawn officer records a result; the supervisor publishes; the public sees the task, has it
/// recomputed and finds the result.
async fn draw_scenario(app: &TestApp, c: &Client) -> Step {
    sign_in(app, c, "supervisor.wang", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/inspections']").await?;
    ensure(text(c, "#directory-targets").await?.contains("40"), "the directory is loaded")?;
    navigate(c, "#new-task").await?;
    fill(c, "#title", "餐饮食品安全双随机抽查").await?;
    fill(c, "#items", "食品经营许可").await?;
    for (field, value) in [("#ratio_a", "0"), ("#ratio_b", "50"), ("#ratio_c", "0"), ("#ratio_d", "100")] {
        let el = c.find(Locator::Css(field)).await.map_err(e2s)?;
        el.clear().await.map_err(e2s)?;
        el.send_keys(value).await.map_err(e2s)?;
    }
    fill(c, "#source_name_0", "福彩双色球第2026140期开奖号码").await?;
    fill(c, "#source_description_0", "2026-12-03 21:15 公布").await?;
    // 公示并固定 cannot be undone: the script asks first.
    click(c, "#commit-task").await?;
    c.accept_alert().await.map_err(e2s)?;
    ensure(text(c, "#task-status").await?.contains("待抽取"), "committed")?;
    let commitment = text(c, "#commitment").await?;
    fill(c, "#value_0", "3 9 14 22 27 31 8").await?;
    navigate(c, "#run-draw").await?;
    ensure(text(c, "#task-status").await? == "已抽取", "drawn")?;
    let task_path = path(c).await?;
    navigate(c, "#logout").await?;

    // The drawn officer records a result on a target of their own team.
    sign_in(app, c, "officer.li", PASSWORD).await?;
    c.goto(&app.url(&task_path)).await.map_err(e2s)?;
    navigate(c, ".record-result").await?;
    ensure(text(c, "#drawn").await?.contains("未发现问题"), "the result is recorded")?;
    navigate(c, "#logout").await?;
    sign_in(app, c, "supervisor.wang", PASSWORD).await?;
    c.goto(&app.url(&task_path)).await.map_err(e2s)?;
    navigate(c, "#publish-results").await?;
    navigate(c, "#logout").await?;

    // The public page: the same commitment, the draw recomputed on request, the result.
    c.goto(&app.url("/draws")).await.map_err(e2s)?;
    navigate(c, "#public-tasks tbody a").await?;
    ensure(text(c, "#commitment").await? == commitment, "the public sees the commitment made before the draw")?;
    navigate(c, "#verify-draw").await?;
    let verdict = text(c, "#verdict").await?;
    ensure(verdict.contains("一致"), format!("recomputed: {verdict}"))?;
    ensure(text(c, "#public-results").await?.contains("未发现问题"), "the published result")
}

#[tokio::test]
async fn a_random_inspection_from_task_to_public_page() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    let officer = app.member("officer.li", &b.gusu, Role::Officer).await;
    let other = app.member("officer.zhao", &b.gusu, Role::Officer).await;
    crate::inspections::directories(&app, &officer, &other).await;
    // Only the two officers are on duty, so officer.li is on every team.
    sqlx::query("UPDATE inspectors SET status = 'inactive' WHERE user_id IS NULL")
        .execute(app.state.store.pool())
        .await
        .unwrap();
    let Some((_driver, c)) = browser().await else { return };
    let result = draw_scenario(&app, &c).await;
    finish("random-inspection", c, result).await;
    let results = app.state.store.search_results("", 10).await.unwrap();
    assert_eq!(results.len(), 1);
}

/// 政策问答: an officer drafts an answer in plain words, a supervisor publishes it, the public
/// finds it by asking in everyday words.
async fn knowledge_scenario(app: &TestApp, c: &Client) -> Step {
    sign_in(app, c, "officer.li", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/knowledge']").await?;
    navigate(c, "#new-entry").await?;
    fill(c, "#question", "小区门口开奶茶店，要办哪些证？").await?;
    fill(
        c,
        "#answer",
        "一般要先办营业执照，再办食品经营许可证。请带上身份证和店铺租赁合同，到政务服务中心或在网上一次提交。",
    )
    .await?;
    fill(c, "#explanation", "奶茶店制售饮品，属于食品经营。").await?;
    // 企业 is the audience the form starts with.
    navigate(c, "#save-entry").await?;
    ensure(text(c, "#entry-status").await? == "草稿", "saved as a draft")?;
    navigate(c, "#qa-submit").await?;
    ensure(text(c, "#entry-status").await? == "待审", "submitted")?;
    let entry_path = path(c).await?;
    navigate(c, "#logout").await?;

    sign_in(app, c, "supervisor.wang", PASSWORD).await?;
    c.goto(&app.url(&entry_path)).await.map_err(e2s)?;
    navigate(c, "#qa-approve").await?;
    ensure(text(c, "#entry-status").await? == "已发布", "published by a second person")?;
    navigate(c, "#logout").await?;

    c.goto(&app.url("/qa")).await.map_err(e2s)?;
    fill(c, "#q", "开奶茶店要办什么证").await?;
    navigate(c, "#qa-search").await?;
    navigate(c, "#public-hits a").await?;
    ensure(text(c, "#entry-question").await?.contains("奶茶店"), "the public found the answer")?;
    navigate(c, "#vote-yes").await
}

#[tokio::test]
async fn an_answer_from_draft_to_the_public() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    app.member("supervisor.wang", &b.gusu, Role::Supervisor).await;
    xinqiao_web::knowledge::seed_registry(&app.state).await.unwrap();
    let Some((_driver, c)) = browser().await else { return };
    let result = knowledge_scenario(&app, &c).await;
    finish("knowledge", c, result).await;
    let published = app.state.store.entries(&[xinqiao_domain::knowledge::QaStatus::Published], None, 10).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].helpful, 1);
}

/// Waits (up to 10 s) until the charts script has drawn an SVG chart in `css`.
pub(crate) async fn chart_drawn(c: &Client, css: &str) -> Step {
    let script = format!("return !!document.querySelector(\"{css} .chart-canvas svg\");");
    for _ in 0..200 {
        if c.execute(&script, vec![]).await.map_err(e2s)?.as_bool() == Some(true) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("no chart was drawn in {css}"))
}

async fn dashboard_scenario(app: &TestApp, c: &Client) -> Step {
    sign_in(app, c, "officer.li", PASSWORD).await?;
    navigate(c, "#main-nav a[href='/insights']").await?;
    chart_drawn(c, "#table-category").await?;
    chart_drawn(c, "#table-volume").await?;
    let compact = |s: String| s.split_whitespace().collect::<String>();
    let summary = compact(text(c, "#data-summary").await?);
    ensure(summary.contains("收到诉求3"), format!("three cases counted: {summary}"))?;
    // Narrow to one category with the filter form; the tables and charts follow.
    choose(c, "#category", "prepaid").await?;
    navigate(c, "#apply-filters").await?;
    let summary = compact(text(c, "#data-summary").await?);
    ensure(summary.contains("收到诉求2"), format!("two prepaid cases: {summary}"))?;
    chart_drawn(c, "#table-enterprise").await?;
    let top = text(c, "#data-enterprise").await?;
    ensure(top.contains("健身") && !top.contains("电器"), format!("only the gym: {top}"))?;
    let link = c.find(Locator::Css("#csv-category")).await.map_err(e2s)?.attr("href").await.map_err(e2s)?;
    ensure(link.is_some_and(|l| l.contains("category=prepaid")), "downloads keep the filter")
}

#[tokio::test]
async fn the_dashboard_draws_charts_and_follows_its_filters() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    app.member("officer.li", &b.gusu, Role::Officer).await;
    let public = reqwest::Client::new();
    for (enterprise, text) in [
        ("苏州姑苏示例健身管理有限公司", "健身房突然闭店，会员卡里还有3000元没退。"),
        ("苏州姑苏示例健身管理有限公司", "储值卡还没用完门店就关门跑路了，充值的钱退不回来。"),
        ("苏州示例电器商店", "买的电饭煲用了三天就坏了，质量有问题。"),
    ] {
        let body = serde_json::json!({
            "kind": "complaint", "enterprise_name": enterprise, "industry": "R", "region_code": "320508",
            "narrative": text, "demand": "退款", "name": "李秀英", "mobile": "13812345678",
            "address": "苏州市姑苏区人民路88号"
        });
        let res = public.post(app.url("/api/v1/cases")).json(&body).send().await.unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    }
    let Some((_driver, c)) = browser().await else { return };
    let result = dashboard_scenario(&app, &c).await;
    finish("dashboard", c, result).await;
}
