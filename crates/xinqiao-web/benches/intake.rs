//! `cargo bench -p xinqiao-web --bench intake`: HTTP intake through the whole pipeline
//! (validation, PII masking, sealing, blind indexes, audit, one commit) on SQLite, with
//! concurrent clients on loopback. Prints cases/s, p50/p99 latency, and checks that every
//! acknowledged case is stored. Environment: XQ_BENCH_SECONDS (default 10), XQ_BENCH_CLIENTS (32).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use xinqiao_web::{AppState, Application, Config, Secrets};

const NARRATIVES: &[&str] = &[
    "我于3月15日在人民路88号的健身房办了一张5000元的预付卡，上周健身房突然关门，老板电话15900001111一直关机。",
    "外卖里吃出了头发，商家态度很差，客服热线400-123-4567一直打不通，要求退款并赔偿。",
    "超市把过期的牛奶改了生产日期重新上架，我买到了，小票还在，我叫王建国，电话13912345678。",
    "直播间宣传全网最低价，结果比别家贵了两百元，商家拒绝退差价。",
];

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds: u64 = std::env::var("XQ_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let clients: usize = std::env::var("XQ_BENCH_CLIENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(32);
    let dir = std::env::temp_dir().join(format!("xinqiao-bench-{}", xinqiao_store::new_id()));
    let config = Config { data_dir: dir.clone(), ..Config::default() };
    let state = xinqiao_web::prepare(config).await.expect("prepare");
    state.detector().await; // loaded before the clock starts, as on a running server
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Application::build(state.clone(), listener, xinqiao_web::tasks::Mode::Run).await.expect("build");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stop_rx.await;
    }));

    let url = format!("http://{addr}/api/v1/cases");
    let running = Arc::new(AtomicBool::new(true));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let (url, running) = (url.clone(), running.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            let mut n = i;
            while running.load(Ordering::Relaxed) {
                let body = serde_json::json!({
                    "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
                    "industry": "R", "region_code": "320508", "narrative": NARRATIVES[n % NARRATIVES.len()],
                    "amount": "5000", "demand": "退还余额", "name": "李秀英", "mobile": format!("138{:08}", n % 100_000_000),
                    "address": "苏州市姑苏区人民路88号"
                });
                let t = Instant::now();
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status().as_u16() == 201 => latencies.push(t.elapsed()),
                    _ => failures += 1,
                }
                n += clients;
            }
            (latencies, failures)
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    running.store(false, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await.unwrap();
        latencies.extend(l);
        failures += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    let pct =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(state.store.pool()).await.expect("count");
    println!(
        "intake over HTTP (SQLite, {clients} clients, {elapsed:.1} s): {} acknowledged = {:.0} cases/s; p50 {:.1} ms, p99 {:.1} ms; {failures} failed; {stored} stored",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
    );
    assert_eq!(stored as usize, latencies.len(), "every acknowledged case is stored");
    let _ = stop_tx.send(());
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(dir);
    let _: Option<(AppState, Secrets)> = None;
}
