//! Acknowledged means stored, seen from outside: a full disk answers 503 with Retry-After (never
//! 201 for what was not committed), `/readyz` and `/metrics` say what is degraded, and the
//! platform recovers by itself when space returns; PostgreSQL away answers 503 at once.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn complaint(n: usize) -> Value {
    json!({
        "kind": "complaint",
        "enterprise_name": "苏州姑苏示例健身管理有限公司",
        "uscc": "91110000600037341L",
        "industry": "R",
        "region_code": "320508",
        "amount": "5000",
        "event_date": "2026-03-15",
        "consent_publish": false,
        "also_report": false,
        "narrative": format!("第{n}次投诉：健身房办了5000元的卡，现在关门了，老板不接电话，要求退还卡内余额。"),
        "demand": "退还卡内余额",
        "name": "李秀英",
        "mobile": "138 1234 5678",
        "address": "苏州市姑苏区人民路88号",
    })
}

async fn cases_stored(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT tracking_code FROM cases").fetch_all(app.state.store.pool()).await.unwrap();
    rows.into_iter().map(|(c,)| c).collect()
}

fn bare(code: &str) -> String {
    code.chars().filter(|c| *c != '-').collect()
}

#[tokio::test]
async fn a_full_disk_answers_503_and_recovers_by_itself() {
    let app = TestApp::start().await;
    app.bureau().await;
    let c = Client::new();
    let mut acknowledged = Vec::new();
    let ok = c.post(app.url("/api/v1/cases")).json(&complaint(0)).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED, "{:?}", ok.text().await);
    let receipt: Value = ok.json().await.unwrap();
    acknowledged.push(bare(receipt["cases"][0]["tracking_code"].as_str().unwrap()));
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);

    // The disk fills up: each submission is told, in Chinese, to come back later.
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(app.state.store.pool()).await.unwrap();
    app.state.store.limit_sqlite_pages(Some(pages as u64));
    for n in 1..=8 {
        let res = c.post(app.url("/api/v1/cases")).json(&complaint(n)).send().await.unwrap();
        if res.status() == StatusCode::CREATED {
            // What fitted in the last free pages was committed, and only that is acknowledged.
            let receipt: Value = res.json().await.unwrap();
            acknowledged.push(bare(receipt["cases"][0]["tracking_code"].as_str().unwrap()));
            continue;
        }
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(res.headers().contains_key("retry-after"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "disk_full");
        assert!(body["error"]["message"].as_str().unwrap().contains("存储空间已满"), "{body}");
    }
    let ready = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE, "not ready while nothing can be stored");
    assert!(ready.text().await.unwrap().contains("storage: 存储空间已满"));
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_degraded{component=\"storage\"} 1"), "{metrics}");
    let mut stored = cases_stored(&app).await;
    stored.sort();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "exactly the acknowledged cases are stored");

    // Space returns: without a restart, readiness comes back and submissions are stored.
    app.state.store.limit_sqlite_pages(None);
    let ready = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    for n in 10..14 {
        let res = c.post(app.url("/api/v1/cases")).json(&complaint(n)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let receipt: Value = res.json().await.unwrap();
        acknowledged.push(bare(receipt["cases"][0]["tracking_code"].as_str().unwrap()));
    }
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_degraded{component=\"storage\"} 0"), "{metrics}");
    assert!(metrics.contains("xinqiao_degraded_episodes_total{component=\"storage\"} 1"), "{metrics}");
    // Another process sees every acknowledged case.
    let other = xinqiao_store::Store::connect(&app.state.config.effective_database_url()).await.unwrap();
    let rows: Vec<(String,)> = sqlx::query_as("SELECT tracking_code FROM cases").fetch_all(other.pool()).await.unwrap();
    let mut seen: Vec<String> = rows.into_iter().map(|(c,)| c).collect();
    seen.sort();
    acknowledged.sort();
    assert_eq!(seen, acknowledged);
}

/// A TCP relay in front of PostgreSQL that can be cut (every connection dropped, new ones
/// refused) and restored on the same port: a database outage without stopping the shared server.
struct Relay {
    addr: std::net::SocketAddr,
    upstream: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(upstream: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut relay = Self { addr, upstream, task: None };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let upstream = self.upstream.clone();
        self.task = Some(tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                links.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        }));
    }

    /// Drops every connection and refuses new ones.
    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restore(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }
}

#[tokio::test]
async fn postgres_away_answers_503_at_once_and_recovers() {
    let Some(db) = xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Postgres).await else {
        eprintln!("XINQIAO_TEST_PG not set: skipped");
        return;
    };
    // The app reaches the test database through the relay.
    let rest = db.url.split_once("://").unwrap().1;
    let (credentials, hostpath) = rest.split_once('@').unwrap();
    let (host, path) = hostpath.split_once('/').unwrap();
    let mut relay = Relay::start(host.to_owned()).await;
    let url = format!("postgres://{credentials}@{}/{path}", relay.addr);
    let store = xinqiao_store::Store::connect(&url).await.unwrap().with_clock(db.store.clock().clone());
    let data_dir = std::env::temp_dir().join(format!("xinqiao-web-test-{}", xinqiao_store::new_id()));
    let (secrets, _) = xinqiao_web::Secrets::load_or_create(&data_dir, store.now_ms()).unwrap();
    let config = xinqiao_web::Config { data_dir: data_dir.clone(), database_url: url, ..Default::default() };
    let state = xinqiao_web::AppState::new(store, config, secrets);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(xinqiao_web::serve(listener, xinqiao_web::build_app(state), std::future::pending()));
    let c = Client::new();
    let post = |n: usize| c.post(format!("{base}/api/v1/cases")).json(&complaint(n)).send();
    assert_eq!(post(1).await.unwrap().status(), StatusCode::CREATED);

    relay.cut().await;
    for n in 2..4 {
        let res = post(n).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()["retry-after"], "5");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unreachable");
        assert!(body["error"]["message"].as_str().unwrap().contains("数据库暂时无法连接"), "{body}");
    }
    let ready = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);

    relay.restore().await;
    assert_eq!(post(5).await.unwrap().status(), StatusCode::CREATED, "recovered without a restart");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(db.store.pool()).await.unwrap();
    assert_eq!(n, 2, "the two acknowledged cases, nothing of the refused ones");
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test]
async fn a_brief_io_error_in_the_index_degrades_search_and_it_catches_up() {
    let app = TestApp::start().await;
    app.bureau().await;
    let switch = xinqiao_search::FaultSwitch::default();
    let index = std::sync::Arc::new(xinqiao_search::SearchIndex::in_memory_with_faults(&switch).unwrap());
    assert!(app.state.use_search_index(index.clone()));
    let c = Client::new();
    let submit = |n: usize| c.post(app.url("/api/v1/cases")).json(&complaint(n)).send();
    assert_eq!(submit(1).await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(c.get(app.url("/qa?q=退款")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(index.doc_count().cases, 1);

    // The data directory refuses writes for a while: searches still answer, readiness says why.
    switch.fail_writes(true);
    assert_eq!(submit(2).await.unwrap().status(), StatusCode::CREATED);
    for _ in 0..2 {
        let res = c.get(app.url("/qa?q=退款")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "search answers from the last commit");
    }
    let ready = c.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(ready.text().await.unwrap().contains("search: 检索索引暂时无法更新"));
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("xinqiao_degraded{component=\"search\"} 1"), "{metrics}");

    // Writes work again: without a restart the index catches up and readiness returns.
    switch.fail_writes(false);
    for _ in 0..3 {
        assert_eq!(c.get(app.url("/qa?q=退款")).send().await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(index.doc_count().cases, 2, "the case stored meanwhile is indexed");
    assert_eq!(index.last_seq().unwrap(), app.state.store.last_change().await.unwrap());
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    let metrics = c.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains("xinqiao_search_writers_remade_total 0"), "{metrics}");
}

mod keys {
    use xinqiao_domain::cases::intake::IntakeForm;
    use xinqiao_store::audit::Actor;
    use xinqiao_web::{Config, Secrets, prepare};

    fn form() -> IntakeForm {
        IntakeForm {
            kind: "complaint".into(),
            enterprise_name: "姑苏示例餐饮有限公司".into(),
            industry: "H".into(),
            region_code: "320508".into(),
            narrative: "外卖包装上的生产日期标错了，吃完肚子不舒服，店员说不关他们的事，要求退款。".into(),
            demand: "退还餐费".into(),
            name: "王建国".into(),
            mobile: "13912345678".into(),
            address: "苏州市姑苏区示例路1号".into(),
            ..Default::default()
        }
    }

    async fn start(config: &Config) -> Result<xinqiao_web::AppState, String> {
        prepare(config.clone()).await.map_err(|e| e.to_string())
    }

    async fn sealed_values(state: &xinqiao_web::AppState) -> Vec<String> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT narrative_sealed FROM cases UNION ALL SELECT sealed FROM case_identities ORDER BY 1",
        )
        .fetch_all(state.store.pool())
        .await
        .unwrap();
        rows.into_iter().map(|(v,)| v).collect()
    }

    #[tokio::test]
    async fn a_missing_or_foreign_secrets_file_is_refused_once_data_is_sealed() {
        let dir = std::env::temp_dir().join(format!("xinqiao-keys-{}", xinqiao_store::new_id()));
        let config = Config { data_dir: dir.clone(), ..Config::default() };
        // An empty database: keys are made, and their fingerprints recorded.
        let state = start(&config).await.unwrap();
        let recorded = state.store.recorded_keys().await.unwrap();
        assert_eq!(recorded.len(), 2, "{recorded:?}");
        let k1 = recorded.iter().find(|k| k.kind == "data").unwrap().fingerprint.clone();
        assert_eq!(k1, Secrets::fingerprint(&state.secrets.data_keys[0].key));
        assert!(!k1.contains(&state.secrets.data_keys[0].key[..16]), "a fingerprint is not the key");
        let path = Secrets::path_in(&dir);
        let original = std::fs::read(&path).unwrap();
        // Once keys are recorded, a lost file is not silently replaced.
        std::fs::remove_file(&path).unwrap();
        assert!(start(&config).await.is_err());
        std::fs::write(&path, &original).unwrap();
        set_private(&path);

        let state = start(&config).await.unwrap();
        xinqiao_web::cases::intake::submit(&state, &Actor::anonymous("", "127.0.0.1"), &form(), Vec::new())
            .await
            .unwrap();

        // The file is lost: refused, naming what to restore.
        std::fs::remove_file(&path).unwrap();
        let err = start(&config).await.unwrap_err();
        assert!(err.contains("找不到密钥文件") && err.contains("恢复"), "{err}");
        assert!(err.contains(&format!("数据密钥 k1（指纹 {k1}）")), "{err}");
        assert!(!path.exists(), "no key is made for a database holding sealed data");

        // Another installation's file: refused, with both fingerprints.
        Secrets::generate(0).save(&dir).unwrap();
        let err = start(&config).await.unwrap_err();
        assert!(err.contains("与数据库不符") && err.contains(&k1), "{err}");

        // A database from before fingerprints were kept: the foreign file must open its data.
        let state_db = xinqiao_store::Store::connect(&config.effective_database_url()).await.unwrap();
        sqlx::query("DELETE FROM key_ring").execute(state_db.pool()).await.unwrap();
        let err = start(&config).await.unwrap_err();
        assert!(err.contains("解不开") && err.contains("case_narrative"), "{err}");

        // The right file again: it starts, and the sealed identity opens.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, &original).unwrap();
        set_private(&path);
        let state = start(&config).await.unwrap();
        assert_eq!(state.store.recorded_keys().await.unwrap().len(), 2, "recorded again");
        for v in sealed_values(&state).await {
            assert!(v.starts_with("v1.k1."), "{v}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_planned_rotation_seals_new_data_under_the_new_key_and_reseals_the_old() {
        let dir = std::env::temp_dir().join(format!("xinqiao-keys-{}", xinqiao_store::new_id()));
        let config = Config { data_dir: dir.clone(), ..Config::default() };
        let state = start(&config).await.unwrap();
        let anon = Actor::anonymous("", "127.0.0.1");
        xinqiao_web::cases::intake::submit(&state, &anon, &form(), Vec::new()).await.unwrap();
        // A later version's entry in the file survives the rewrite.
        let path = Secrets::path_in(&dir);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, format!("{text}\n[audit]\nchain_key = \"later-version\"\n")).unwrap();
        set_private(&path);

        let mut secrets = Secrets::load(&dir).unwrap().unwrap();
        let k2 = secrets.rotate(state.now_ms());
        assert_eq!(k2, "k2");
        secrets.save(&dir).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().contains("later-version"));
        assert!(!format!("{secrets:?}").contains("later-version"), "Debug hides every entry");

        let state = start(&config).await.unwrap();
        assert_eq!(state.secrets.active_data_key, "k2");
        xinqiao_web::cases::intake::submit(&state, &anon, &form(), Vec::new()).await.unwrap();
        let before = sealed_values(&state).await;
        assert_eq!(before.iter().filter(|v| v.starts_with("v1.k1.")).count(), 2);
        assert_eq!(before.iter().filter(|v| v.starts_with("v1.k2.")).count(), 2);

        let done = xinqiao_web::keyring::reseal(&state, &Actor::console(), |_, _| {}).await.unwrap();
        assert_eq!((done.resealed, done.unreadable), (2, 0));
        assert_eq!(done.retired, ["k1"]);
        assert!(sealed_values(&state).await.iter().all(|v| v.starts_with("v1.k2.")));
        let k1 = state.store.recorded_keys().await.unwrap().into_iter().find(|k| k.id == "k1").unwrap();
        assert!(k1.retired_at.is_some());
        // Once retired, k1 may leave the file; every value still opens.
        let mut secrets = Secrets::load(&dir).unwrap().unwrap();
        secrets.data_keys.retain(|k| k.id != "k1");
        secrets.save(&dir).unwrap();
        let state = start(&config).await.unwrap();
        for place in xinqiao_store::keyring::SealedPlace::ALL {
            for row in state.store.sealed_page(place, "", 100).await.unwrap() {
                if let xinqiao_store::keyring::Sealed::Text(t) = &row.value {
                    let aad = match place {
                        xinqiao_store::keyring::SealedPlace::CaseNarrative => format!("narrative:{}", row.bound_to),
                        _ => format!("identity:{}", row.bound_to),
                    };
                    assert!(state.secrets.open(&aad, t).is_some(), "{place:?}");
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn set_private(path: &std::path::Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}
