//! Operations endpoints: `/healthz` (the process answers), `/readyz` (the database answers,
//! every migration ran, no component is degraded — see `health` — and no background task waits
//! to be restarted — see `tasks`; `/readyz?verbose` lists every task), `/metrics` (Prometheus
//! text), and the request counters behind them.

use crate::AppState;
use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Request counters by status class, and the time spent answering.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    by_class: [AtomicU64; 5],
    micros_total: AtomicU64,
    pub login_failures: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            started: Instant::now(),
            by_class: Default::default(),
            micros_total: AtomicU64::new(0),
            login_failures: AtomicU64::new(0),
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// `?verbose`: every background task's line follows the answer.
#[derive(Debug, serde::Deserialize)]
struct ReadyQuery {
    verbose: Option<String>,
}

/// 200 `ready`, or 503 with one line per problem (`component: reason`, then every background
/// task). While storage is marked degraded each call probes the database with a scratch write,
/// so the mark clears by itself once space (or the server) is back.
async fn readyz(State(state): State<AppState>, Query(q): Query<ReadyQuery>) -> Response {
    use crate::health::Component;
    if !(state.store.ping().await && state.store.is_migrated().await) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database: 数据库无法连接或尚未完成迁移").into_response();
    }
    if state.health.trouble(Component::Storage).is_some() {
        match state.store.probe_write().await {
            Ok(()) => state.health.recovered(Component::Storage),
            Err(e) => {
                let reason = e.outage().map_or("写入检查失败", |o| o.condition());
                state.health.degraded(Component::Storage, state.now_ms(), reason);
            }
        }
    }
    let troubles = state.health.troubles();
    let tasks = state.tasks.report();
    let restarting = tasks.iter().any(|t| t.state == crate::tasks::TaskState::Restarting);
    if troubles.is_empty() && !restarting && q.verbose.is_none() {
        return "ready".into_response();
    }
    let ready = troubles.is_empty() && !restarting;
    let mut body = String::new();
    if ready {
        body.push_str("ready\n");
    }
    for (c, t) in troubles {
        let since = xinqiao_domain::time::format_cst(t.since_ms);
        let _ = writeln!(body, "{}: {}（{}，自 {since} 起）", c.code(), t.reason, c.label());
    }
    for t in &tasks {
        let _ = writeln!(body, "{}", t.line());
    }
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let mut out = String::new();
    let _ = writeln!(out, "# HELP xinqiao_http_requests_total HTTP requests answered, by status class.");
    let _ = writeln!(out, "# TYPE xinqiao_http_requests_total counter");
    for (i, c) in m.by_class.iter().enumerate() {
        let _ = writeln!(out, "xinqiao_http_requests_total{{class=\"{}xx\"}} {}", i + 1, c.load(Ordering::Relaxed));
    }
    let _ = writeln!(out, "# HELP xinqiao_http_request_seconds_total Time spent answering requests.");
    let _ = writeln!(out, "# TYPE xinqiao_http_request_seconds_total counter");
    let _ =
        writeln!(out, "xinqiao_http_request_seconds_total {:.6}", m.micros_total.load(Ordering::Relaxed) as f64 / 1e6);
    let _ = writeln!(out, "# HELP xinqiao_login_failures_total Failed login attempts (password or second factor).");
    let _ = writeln!(out, "# TYPE xinqiao_login_failures_total counter");
    let _ = writeln!(out, "xinqiao_login_failures_total {}", m.login_failures.load(Ordering::Relaxed));
    let _ = writeln!(out, "# HELP xinqiao_degraded Whether a component is degraded now (1) or working (0).");
    let _ = writeln!(out, "# TYPE xinqiao_degraded gauge");
    for c in crate::health::Component::ALL {
        let _ = writeln!(
            out,
            "xinqiao_degraded{{component=\"{}\"}} {}",
            c.code(),
            u8::from(state.health.trouble(c).is_some())
        );
    }
    let _ = writeln!(out, "# HELP xinqiao_degraded_episodes_total Times a component went from working to degraded.");
    let _ = writeln!(out, "# TYPE xinqiao_degraded_episodes_total counter");
    for c in crate::health::Component::ALL {
        let _ =
            writeln!(out, "xinqiao_degraded_episodes_total{{component=\"{}\"}} {}", c.code(), state.health.episodes(c));
    }
    let tasks = state.tasks.report();
    let _ = writeln!(
        out,
        "# HELP xinqiao_task_up Whether a background task is running or runs when driven (1) or not (0)."
    );
    let _ = writeln!(out, "# TYPE xinqiao_task_up gauge");
    for t in &tasks {
        let up = matches!(t.state, crate::tasks::TaskState::Running | crate::tasks::TaskState::Manual);
        let _ = writeln!(out, "xinqiao_task_up{{task=\"{}\",state=\"{}\"}} {}", t.name, t.state.code(), u8::from(up));
    }
    let _ =
        writeln!(out, "# HELP xinqiao_task_restarts_total Times a background task was started again after a panic.");
    let _ = writeln!(out, "# TYPE xinqiao_task_restarts_total counter");
    for t in &tasks {
        let _ = writeln!(out, "xinqiao_task_restarts_total{{task=\"{}\"}} {}", t.name, t.restarts);
    }
    let _ = writeln!(out, "# HELP xinqiao_task_runs_total Steps a background task finished.");
    let _ = writeln!(out, "# TYPE xinqiao_task_runs_total counter");
    for t in &tasks {
        let _ = writeln!(out, "xinqiao_task_runs_total{{task=\"{}\"}} {}", t.name, t.runs);
    }
    let _ = writeln!(out, "# HELP xinqiao_task_failures_total Steps of a background task that failed or panicked.");
    let _ = writeln!(out, "# TYPE xinqiao_task_failures_total counter");
    for t in &tasks {
        let _ = writeln!(out, "xinqiao_task_failures_total{{task=\"{}\"}} {}", t.name, t.failures);
    }
    if let Some(index) = state.search.get() {
        let _ = writeln!(out, "# HELP xinqiao_search_writers_remade_total Index writers made anew after an I/O error.");
        let _ = writeln!(out, "# TYPE xinqiao_search_writers_remade_total counter");
        let _ = writeln!(out, "xinqiao_search_writers_remade_total {}", index.writers_remade());
    }
    let _ = writeln!(out, "# HELP xinqiao_uptime_seconds Seconds since the server started.");
    let _ = writeln!(out, "# TYPE xinqiao_uptime_seconds gauge");
    let _ = writeln!(out, "xinqiao_uptime_seconds {}", m.started.elapsed().as_secs());
    let calendar = state.calendar();
    let horizon = crate::calendar::horizon(&calendar, state.today());
    let _ = writeln!(out, "# HELP xinqiao_calendar_verified_until_year The last year with a verified holiday notice.");
    let _ = writeln!(out, "# TYPE xinqiao_calendar_verified_until_year gauge");
    let _ = writeln!(out, "xinqiao_calendar_verified_until_year {}", horizon.last_verified_year.unwrap_or(0));
    let _ = writeln!(
        out,
        "# HELP xinqiao_calendar_horizon_days Days until the last verified holiday notice ends (negative once past)."
    );
    let _ = writeln!(out, "# TYPE xinqiao_calendar_horizon_days gauge");
    let _ = writeln!(out, "xinqiao_calendar_horizon_days {}", horizon.days_left.unwrap_or(0));
    let _ = writeln!(out, "# HELP xinqiao_build_info Version of the running binary.");
    let _ = writeln!(out, "# TYPE xinqiao_build_info gauge");
    let _ = writeln!(
        out,
        "xinqiao_build_info{{version=\"{}\",backend=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        state.store.backend().name()
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

/// Counts every answer by status class, and marks storage degraded when an answer says the
/// database could not take a write. Paths and bodies are not logged: they may carry names.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let response = next.run(req).await;
    if let Some(outage) = response.extensions().get::<xinqiao_store::Outage>() {
        state.health.degraded(crate::health::Component::Storage, state.now_ms(), outage.condition());
    }
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    state.metrics.micros_total.fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
    response
}
