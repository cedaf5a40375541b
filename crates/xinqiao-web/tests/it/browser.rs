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
struct Driver {
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
        let chromium = std::env::var("XINQIAO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                         "--window-size=1280,900", format!("--user-data-dir={}", self.profile.display())]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
    }
}

type Step = Result<(), String>;

fn ensure(ok: bool, what: impl Into<String>) -> Step {
    if ok { Ok(()) } else { Err(what.into()) }
}

fn e2s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn fill(c: &Client, css: &str, text: &str) -> Step {
    c.find(Locator::Css(css)).await.map_err(e2s)?.send_keys(text).await.map_err(e2s)
}

async fn click(c: &Client, css: &str) -> Step {
    c.find(Locator::Css(css)).await.map_err(e2s)?.click().await.map_err(e2s)
}

async fn text(c: &Client, css: &str) -> Result<String, String> {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .map_err(e2s)?
        .text()
        .await
        .map_err(e2s)
}

async fn path(c: &Client) -> Result<String, String> {
    Ok(c.current_url().await.map_err(e2s)?.path().to_owned())
}

async fn sign_in(app: &TestApp, c: &Client, username: &str, password: &str) -> Step {
    c.goto(&app.url("/login")).await.map_err(e2s)?;
    fill(c, "#username", username).await?;
    fill(c, "#password", password).await?;
    click(c, "#login-submit").await
}

async fn scenario(app: &TestApp, c: &Client) -> Step {
    // The 系统管理员 signs in with password and TOTP code.
    sign_in(app, c, "sysadmin", PASSWORD).await?;
    text(c, "#code").await?;
    fill(c, "#code", &app.next_code("sysadmin")).await?;
    click(c, "#totp-submit").await?;
    let nav = text(c, "#main-nav").await?;
    ensure(nav.contains("用户管理") && !nav.contains("审计日志"), format!("system administrator's navigation: {nav}"))?;

    // … creates an officer account …
    click(c, "#main-nav a[href='/admin/users']").await?;
    click(c, "#new-user").await?;
    fill(c, "#username", "officer.wu").await?;
    fill(c, "#display_name", "吴体验").await?;
    click(c, "#role-officer").await?;
    fill(c, "#password", "Initial-Pass-2026").await?;
    click(c, "#create-user").await?;
    let notice = text(c, "#notice").await?;
    ensure(notice.contains("用户已创建"), format!("creation notice: {notice}"))?;
    ensure(text(c, "#user-roles").await? == "客户体验官", "the new account holds the officer role")?;

    // … and signs out.
    click(c, "#logout").await?;
    text(c, "#login-submit").await?;
    ensure(path(c).await? == "/login", "signed out to the login page")?;

    // The officer signs in with the initial password and must choose their own first.
    sign_in(app, c, "officer.wu", "Initial-Pass-2026").await?;
    text(c, "#must-change").await?;
    fill(c, "#current", "Initial-Pass-2026").await?;
    fill(c, "#new", "Wu-Own-Pass-2026").await?;
    fill(c, "#confirm", "Wu-Own-Pass-2026").await?;
    click(c, "#password-submit").await?;
    text(c, "#notice").await?;

    // The officer's navigation: the workbench and account, no administration, no audit.
    click(c, "#main-nav a[href='/']").await?;
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

#[tokio::test]
async fn admin_creates_an_officer_who_signs_in() {
    let Some(driver) = Driver::start().await else {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium-driver");
        eprintln!("chromedriver not found (install chromium-driver or set XINQIAO_CHROMEDRIVER): browser test skipped");
        return;
    };
    let app = TestApp::start().await;
    app.admin("sysadmin", Role::SysAdmin).await;
    let c = driver.browser().await;
    let result = scenario(&app, &c).await;
    if let Err(why) = &result {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("browser-admin-creates-officer.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&file, png);
        }
        let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
        let _ = c.close().await;
        panic!("browser scenario failed at {url}: {why} (screenshot: {})", file.display());
    }
    c.close().await.unwrap();
    let officer = app.state.store.user_by_name("officer.wu").await.unwrap();
    assert!(!officer.must_change_password, "the officer chose a password");
}
