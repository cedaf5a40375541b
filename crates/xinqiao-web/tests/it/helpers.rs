//! `TestApp`: the real application on a fresh database and an ephemeral port, with typed helpers
//! for the flows the tests repeat.

use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;
use tokio::sync::oneshot;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::Username;
use xinqiao_domain::totp;
use xinqiao_store::Backend;
use xinqiao_store::audit::Actor;
use xinqiao_store::testing::TestDb;
use xinqiao_store::users::{NewUser, User};
use xinqiao_web::tasks::Mode;
use xinqiao_web::{AppState, Application, Config, Secrets};

pub const PASSWORD: &str = "Xinqiao-2026!";
/// The TOTP secret given to administrators created by `admin`.
pub const TOTP_SECRET: &[u8] = b"xinqiao-test-totp-secret";

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    /// Whether the background tasks run by themselves (the default) or only when driven.
    pub mode: Mode,
    /// Kept alive (and dropped, removing the database) with the app.
    db: Option<TestDb>,
    shutdown: Option<oneshot::Sender<()>>,
    /// TOTP steps already used per account: each code is accepted once, so the next login of the
    /// same account uses the next step (the server accepts one step of drift either way).
    totp_uses: std::sync::Mutex<std::collections::HashMap<String, i64>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    pub data_dir: std::path::PathBuf,
}

impl TestApp {
    /// The app on SQLite with the production setting: administrators need TOTP.
    pub async fn start() -> Self {
        Self::start_on(Backend::Sqlite, true).await.expect("SQLite is always available")
    }

    pub async fn start_on(backend: Backend, require_admin_totp: bool) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        Some(Self::launch(db, data_dir, require_admin_totp).await)
    }

    /// The app on SQLite with its clock starting at 10:00 on `day` (`YYYY-MM-DD`) instead of
    /// the usual test day: for flows that must hold wherever today falls.
    pub async fn start_at(day: &str) -> Self {
        Self::start_on_at(Backend::Sqlite, day).await.expect("SQLite is always available")
    }

    pub async fn start_on_at(backend: Backend, day: &str) -> Option<Self> {
        let mut db = TestDb::new(backend).await?;
        let day = xinqiao_domain::calendar::Date::parse(day).expect("a YYYY-MM-DD day");
        db.store = db.store.clone().with_clock(xinqiao_store::clock::Clock::starting_on(day));
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        Some(Self::launch(db, data_dir, true).await)
    }

    /// A second node of the same deployment: its own process state and data directory (with the
    /// same secrets file), on the same database and clock.
    pub async fn another_node(&self) -> TestApp {
        let db = self.db.as_ref().expect("a running app has its database");
        let store =
            xinqiao_store::Store::connect(&db.url).await.expect("connect").with_clock(self.state.clock().clone());
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        std::fs::create_dir_all(&data_dir).unwrap();
        let secrets = Secrets::path_in(&self.data_dir);
        std::fs::copy(&secrets, Secrets::path_in(&data_dir)).unwrap();
        let (secrets, _) = Secrets::load_or_create(&data_dir, store.now_ms()).expect("secrets");
        let config = Config {
            data_dir: data_dir.clone(),
            database_url: db.url.clone(),
            require_admin_totp: self.state.config.require_admin_totp,
            max_body_bytes: 64 * 1024,
            ..Config::default()
        };
        let state = AppState::new(store, config, secrets);
        let (addr, tx, server) = run(state.clone(), self.mode).await;
        Self {
            addr,
            state,
            mode: self.mode,
            db: None,
            shutdown: Some(tx),
            totp_uses: Default::default(),
            server: Some(server),
            data_dir,
        }
    }

    /// Today by the app's clock.
    pub fn today(&self) -> xinqiao_domain::calendar::Date {
        self.state.today()
    }

    /// The TOTP code `offset` steps from now by the app's clock.
    pub fn code(&self, secret: &[u8], offset: i64) -> String {
        let now = self.state.now_ms() / 1000 + offset * 30;
        totp::code_at(secret, now as u64)
    }

    /// Stops the server and starts a new one on the same database and data directory, as a
    /// restarted process would: nothing held in memory survives.
    pub async fn restart(mut self) -> Self {
        let require_admin_totp = self.state.config.require_admin_totp;
        let mode = self.mode;
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
        let db = self.db.take().expect("a running app has its database");
        let data_dir = std::mem::take(&mut self.data_dir);
        drop(self);
        Self::launch_with(db, data_dir, require_admin_totp, mode, |_| {}).await
    }

    /// The app on SQLite with its configuration adjusted by `tune` (limits, proxies …).
    pub async fn start_configured(tune: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new(Backend::Sqlite).await.expect("SQLite is always available");
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        Self::launch_with(db, data_dir, true, Mode::Run, tune).await
    }

    /// The app on SQLite whose periodic background tasks run only when a test drives one
    /// (`state.tasks.run_once`): for flows that must not race a follower.
    pub async fn start_manual() -> Self {
        let db = TestDb::new(Backend::Sqlite).await.expect("SQLite is always available");
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        Self::launch_with(db, data_dir, true, Mode::Manual, |_| {}).await
    }

    /// `start_manual` with the clock pinned to `day` (`YYYY-MM-DD`).
    pub async fn start_manual_at(day: &str) -> Self {
        let mut db = TestDb::new(Backend::Sqlite).await.expect("SQLite is always available");
        let day = xinqiao_domain::calendar::Date::parse(day).expect("a YYYY-MM-DD day");
        db.store = db.store.clone().with_clock(xinqiao_store::clock::Clock::starting_on(day));
        let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
        Self::launch_with(db, data_dir, true, Mode::Manual, |_| {}).await
    }

    /// Drives the background task `name` once, now.
    pub async fn run_task(&self, name: &str) {
        self.state.tasks.run_once(&self.state, name).await.unwrap_or_else(|e| panic!("task {name}: {}", e.0));
    }

    async fn launch(db: TestDb, data_dir: std::path::PathBuf, require_admin_totp: bool) -> Self {
        Self::launch_with(db, data_dir, require_admin_totp, Mode::Run, |_| {}).await
    }

    async fn launch_with(
        db: TestDb,
        data_dir: std::path::PathBuf,
        require_admin_totp: bool,
        mode: Mode,
        tune: impl FnOnce(&mut Config),
    ) -> Self {
        let (mut secrets, _) = Secrets::load_or_create(&data_dir, db.store.now_ms()).expect("secrets");
        let next = db.store.audit_head_seq().await.expect("audit head") + 1;
        secrets.ensure_audit_key(&data_dir, next).expect("audit key");
        let mut config = Config {
            data_dir: data_dir.clone(),
            database_url: db.url.clone(),
            require_admin_totp,
            max_body_bytes: 64 * 1024,
            ..Config::default()
        };
        tune(&mut config);
        let state = AppState::new(db.store.clone(), config, secrets);
        let (addr, tx, server) = run(state.clone(), mode).await;
        Self {
            addr,
            state,
            mode,
            db: Some(db),
            shutdown: Some(tx),
            totp_uses: Default::default(),
            server: Some(server),
            data_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
    }

    /// An account with `roles`, password `PASSWORD`, no forced change.
    pub async fn user(&self, username: &str, roles: &[Role]) -> User {
        let hash = xinqiao_web::auth::password::hash(PASSWORD.into()).await.expect("hash");
        let uscc =
            roles.contains(&Role::Enterprise).then(|| xinqiao_domain::ids::Uscc::parse("91110000600037341L").unwrap());
        self.state
            .store
            .create_user(
                &Actor::console(),
                NewUser {
                    username: Username::parse(username).unwrap(),
                    display_name: format!("测试{username}"),
                    password_hash: hash,
                    org_id: None,
                    uscc,
                    roles: roles.to_vec(),
                    must_change_password: false,
                },
            )
            .await
            .expect("create user")
    }

    /// An administrator with a TOTP authenticator already bound.
    pub async fn admin(&self, username: &str, role: Role) -> User {
        let u = self.user(username, &[role]).await;
        let sealed = xinqiao_web::auth::check::seal_totp_secret(&self.state, &u.id, TOTP_SECRET);
        self.state.store.set_totp_secret(&Actor::console(), &u.id, Some(&sealed)).await.unwrap();
        u
    }

    /// Signs in through the login form (and the TOTP form when asked); returns the last answer.
    pub async fn login(&self, client: &Client, username: &str, password: &str) -> Response {
        let page = client.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let res = client
            .post(self.url("/login"))
            .form(&[("csrf", csrf.as_str()), ("username", username), ("password", password)])
            .send()
            .await
            .unwrap();
        if location(&res) == Some("/login/totp") {
            let page = client.get(self.url("/login/totp")).send().await.unwrap().text().await.unwrap();
            let code = self.next_code(username);
            return client
                .post(self.url("/login/totp"))
                .form(&[("csrf", csrf_of(&page).as_str()), ("code", code.as_str())])
                .send()
                .await
                .unwrap();
        }
        res
    }

    /// The HTML of `path` for `client`, asserting a 200.
    pub async fn page(&self, client: &Client, path: &str) -> String {
        let res = client.get(self.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.text().await.unwrap()
    }

    /// A bearer token through the API (with a TOTP code when the account has one).
    pub async fn token(&self, username: &str) -> String {
        let res = Client::new()
            .post(self.url("/api/v1/auth/token"))
            .json(
                &serde_json::json!({"username": username, "password": PASSWORD, "totp_code": self.next_code(username)}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "token for {username}");
        res.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// A TOTP code for `username` that has not been used yet in this test.
    pub fn next_code(&self, username: &str) -> String {
        let mut uses = self.totp_uses.lock().unwrap();
        let n = uses.entry(username.to_owned()).or_insert(0);
        assert!(*n < 2, "a test can sign an administrator in at most twice within one TOTP window");
        let code = self.code(TOTP_SECRET, *n);
        *n += 1;
        code
    }

    /// The demo's bureau tree: 苏州 city with 姑苏 and 吴中 districts. Returns the orgs' ids by
    /// region code.
    pub async fn bureau(&self) -> Bureau {
        let console = Actor::console();
        let s = &self.state.store;
        let region = |c: &str| xinqiao_domain::ids::RegionCode::parse(c).unwrap();
        let city = s.create_org(&console, &region("320500"), "苏州市市场监督管理局", None).await.unwrap();
        let gusu = s.create_org(&console, &region("320508"), "姑苏区市场监督管理局", Some(&city.id)).await.unwrap();
        let wuzhong = s.create_org(&console, &region("320506"), "吴中区市场监督管理局", Some(&city.id)).await.unwrap();
        Bureau { city: city.id, gusu: gusu.id, wuzhong: wuzhong.id }
    }

    /// An account with `role` working in `org`; officers and supervisors hold a valid
    /// certificate (only certified people are offered cases).
    pub async fn member(&self, name: &str, org: &str, role: Role) -> String {
        let u = self.user(name, &[role]).await;
        let s = &self.state.store;
        s.set_org(&Actor::console(), &u.id, Some(org)).await.unwrap();
        if matches!(role, Role::Officer | Role::Supervisor) {
            let region = s.org(org).await.unwrap().region_code;
            let today = self.state.today();
            let (year, _, _) = xinqiao_domain::time::civil_from_days(today.0);
            let prefix = format!("KHTYG-{region}-{year}-");
            s.register_certificate(&Actor::console(), &prefix, &u.id, today.0, today.0 + 700).await.unwrap();
        }
        u.id
    }

    /// The SQLite database file and its write-ahead log (none on PostgreSQL).
    pub fn sqlite_files(&self) -> Vec<std::path::PathBuf> {
        let url = &self.db.as_ref().expect("a running app has its database").url;
        let Some(path) = url.strip_prefix("sqlite://") else { return Vec::new() };
        let path = path.split('?').next().unwrap_or_default();
        [String::new(), "-wal".into()].iter().map(|s| std::path::PathBuf::from(format!("{path}{s}"))).collect()
    }

    /// An officer's confirmation of a complaint's masking (the enterprise sees it only after).
    pub async fn confirm_masking(&self, case_id: &str) {
        self.state.store.confirm_masking(&Actor::console(), case_id).await.unwrap();
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if !self.data_dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}

/// Builds the application as `serve` does and serves it on an ephemeral port until the sender
/// is used (or dropped).
async fn run(
    state: AppState,
    mode: Mode,
) -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = Application::build(state, listener, mode).await.expect("the application builds");
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    (addr, tx, server)
}

/// Org ids of the test bureau tree.
pub struct Bureau {
    pub city: String,
    pub gusu: String,
    pub wuzhong: String,
}

/// The day every test's clock starts on unless it chooses another (`TestApp::start_at`).
pub fn test_today() -> xinqiao_domain::calendar::Date {
    xinqiao_domain::calendar::Date::parse(xinqiao_store::testing::TEST_DAY).expect("a date")
}

/// The value of the first `name="csrf"` field in a page.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("page has a CSRF field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_owned()
}

pub fn location(res: &Response) -> Option<&str> {
    res.headers().get("location").and_then(|v| v.to_str().ok())
}

/// The error code of an API answer.
pub async fn error_code(res: Response) -> String {
    let body: serde_json::Value = res.json().await.expect("JSON error body");
    body["error"]["code"].as_str().expect("error.code").to_owned()
}

/// The message `text` stands right after the field `id` (before the next field), and the field
/// points at it.
pub fn beside(html: &str, id: &str, text: &str) {
    let field = html.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no field {id}"));
    let error = html
        .find(&format!(r#"<p class="field-error" id="{id}-error">"#))
        .unwrap_or_else(|| panic!("no message for {id}"));
    let next = html[field + 1..].find("<div class=\"field\">").map_or(html.len(), |n| field + 1 + n);
    assert!(field < error && error < next, "the message for {id} stands beside it");
    assert!(html[error..next].contains(text), "{id}: {}", &html[error..next]);
    let tag_end = field + html[field..].find('>').unwrap();
    assert!(
        html[..tag_end]
            .rfind('<')
            .is_some_and(|open| html[open..tag_end].contains(&format!(r#"aria-describedby="{id}-error""#))),
        "{id} points at its message"
    );
}
