//! Who the client is and how often it may post without an account. The client is the peer
//! address, or — for requests from a configured reverse proxy — the last address in
//! `X-Forwarded-For`. Submissions (complaints, reports …) and the other public posts (tracking,
//! rating, votes, verification, sign-in) each have a per-client budget that refills steadily; a
//! client over it gets 429 with `Retry-After` and a Chinese message. Budgets live in this node's
//! memory (time from the monotonic clock, not the calendar).

use crate::AppState;
use crate::error::{ApiError, AppError, PageError};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The client's address, as decided once per request.
#[derive(Debug, Clone)]
pub struct Client(pub String);

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Intake,
    Public,
}

/// What a request costs, by method and path; staff pages and reads cost nothing.
fn class_of(method: &Method, path: &str) -> Option<Class> {
    if method != Method::POST {
        return None;
    }
    match path {
        "/submit" | "/api/v1/cases" => Some(Class::Intake),
        p if p.starts_with("/open311/") && p.contains("/requests") => Some(Class::Intake),
        p if p.starts_with("/track")
            || p.starts_with("/api/v1/cases/")
            || p.starts_with("/login")
            || p.starts_with("/api/v1/auth/")
            || (p.starts_with("/qa/") && p.ends_with("/vote"))
            || p.starts_with("/api/v1/qa/")
            || p.starts_with("/draws/") =>
        {
            Some(Class::Public)
        }
        _ => None,
    }
}

/// Whether requests of `method` to `path` (a concrete path or a route template) are charged to a
/// client's budget, and so may be answered 429.
pub fn is_limited(method: &Method, path: &str) -> bool {
    class_of(method, path).is_some()
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Every client's budgets.
#[derive(Debug, Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<(Class, IpAddr), Bucket>>,
}

/// Budgets kept before idle ones are dropped.
const KEEP: usize = 50_000;

impl Limiter {
    /// Takes one request from `client`'s budget of `per` requests each `period`; `Err` with
    /// the seconds until the next one is allowed when it is spent.
    fn take(&self, class: Class, client: IpAddr, per: u32, period: Duration, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(per);
        let rate = capacity / period.as_secs_f64();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > KEEP {
            buckets.retain(|_, b| now.duration_since(b.at) < period);
        }
        let b = buckets.entry((class, client)).or_insert(Bucket { tokens: capacity, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// The client of a request: the peer, or the last forwarded address when the peer is a trusted
/// proxy.
fn client_of(state: &AppState, req: &Request) -> String {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ci| ci.0.ip());
    let forwarded = || {
        let header = req.headers().get("x-forwarded-for")?.to_str().ok()?;
        header.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
    };
    match peer {
        Some(p) if state.config.trusted_proxies.contains(&p) => forwarded().unwrap_or(p).to_string(),
        Some(p) => p.to_string(),
        None => "unknown".into(),
    }
}

/// Decides the client and charges its budget.
pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let client = client_of(&state, &req);
    req.extensions_mut().insert(Client(client.clone()));
    if let (Some(class), Ok(ip)) = (class_of(req.method(), req.uri().path()), client.parse::<IpAddr>()) {
        let (per, period, what) = match class {
            Class::Intake => (state.config.intake_per_hour, Duration::from_secs(3600), "提交诉求"),
            Class::Public => (state.config.public_posts_per_minute, Duration::from_secs(60), "操作"),
        };
        if per > 0
            && let Err(wait) = state.limiter.take(class, ip, per, period, Instant::now())
        {
            let e = AppError::TooManyRequests {
                message: format!("{what}过于频繁，请 {wait} 秒后再试。如需紧急求助，请拨打 12315。"),
                retry_after: wait,
            };
            return if req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/open311/") {
                ApiError(e).into_response()
            } else {
                PageError::App(e).into_response()
            };
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_spent_then_refills_steadily_per_client() {
        let l = Limiter::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        let minute = Duration::from_secs(60);
        for _ in 0..3 {
            assert!(l.take(Class::Public, a, 3, minute, t0).is_ok());
        }
        assert_eq!(l.take(Class::Public, a, 3, minute, t0), Err(20), "one more every 20 s");
        assert!(l.take(Class::Public, b, 3, minute, t0).is_ok(), "another client has its own");
        assert!(l.take(Class::Intake, a, 3, minute, t0).is_ok(), "and another class its own");
        assert!(l.take(Class::Public, a, 3, minute, t0 + Duration::from_secs(21)).is_ok());
        assert!(l.take(Class::Public, a, 3, minute, t0 + Duration::from_secs(21)).is_err());
    }

    #[test]
    fn only_posts_without_an_account_cost() {
        assert_eq!(class_of(&Method::POST, "/submit"), Some(Class::Intake));
        assert_eq!(class_of(&Method::POST, "/api/v1/cases"), Some(Class::Intake));
        assert_eq!(class_of(&Method::POST, "/api/v1/cases/3205-1/rating"), Some(Class::Public));
        assert_eq!(class_of(&Method::POST, "/qa/abc/vote"), Some(Class::Public));
        assert_eq!(class_of(&Method::POST, "/login"), Some(Class::Public));
        assert_eq!(class_of(&Method::GET, "/submit"), None);
        assert_eq!(class_of(&Method::POST, "/cases/abc/act"), None, "staff work is not limited");
    }
}
