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
    let app = TestApp::start_manual().await;
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
    let app = TestApp::start_manual().await;
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

/// After `xinqiao rollups rebuild`, every node's copy of the roll-ups starts over: a node that had
/// read damaged rows (marked with positions beyond the rebuild's) shows the rebuilt counts.
#[tokio::test]
async fn every_node_reloads_its_roll_ups_after_a_rebuild() {
    use xinqiao_domain::accounts::Role;
    let a = TestApp::start().await;
    let bureau = a.bureau().await;
    a.member("officer.li", &bureau.gusu, Role::Officer).await;
    let b = a.another_node().await;
    let c = Client::new();
    for n in 0..3 {
        assert_eq!(c.post(a.url("/api/v1/cases")).json(&complaint(n)).send().await.unwrap().status(), 201);
    }
    let summary = |page: String| {
        let start = page.find("id=\"data-summary\"").expect("the summary table");
        page[start..start + page[start..].find("</table>").unwrap()].to_owned()
    };
    let (la, lb) = (a.client(), b.client());
    a.login(&la, "officer.li", PASSWORD).await;
    b.login(&lb, "officer.li", PASSWORD).await;
    assert!(summary(a.page(&la, "/insights").await).contains("<td>3</td>"));
    // The roll-ups are damaged, and both nodes read the damage.
    sqlx::query("UPDATE insight_rollups SET received = received + 100, seq = seq + 1000")
        .execute(a.state.store.pool())
        .await
        .unwrap();
    assert!(summary(a.page(&la, "/insights").await).contains("<td>103</td>"));
    assert!(summary(b.page(&lb, "/insights").await).contains("<td>103</td>"));

    a.state.store.rebuild_rollups(&xinqiao_store::audit::Actor::console()).await.unwrap();
    assert!(summary(a.page(&la, "/insights").await).contains("<td>3</td>"));
    assert!(summary(b.page(&lb, "/insights").await).contains("<td>3</td>"));
}
