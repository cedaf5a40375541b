//! Operations endpoints: `/healthz` (the process answers), `/readyz` (the database answers and
//! every migration ran), `/metrics` (Prometheus text), and the request counters behind them.

use crate::AppState;
use axum::Router;
use axum::extract::{Request, State};
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

async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await && state.store.is_migrated().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database not ready").into_response()
    }
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

/// Counts every answer by status class. Paths and bodies are not logged: they may carry names.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let response = next.run(req).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    state.metrics.micros_total.fetch_add(start.elapsed().as_micros() as u64, Ordering::Relaxed);
    response
}
