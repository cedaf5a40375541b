//! PostgreSQL on several hosts in one URL, as libpq writes it
//! (`postgres://u:p@a:5432,b:5433/db?target_session_attrs=read-write`): the store connects to the
//! first host, in the URL's order, that takes the kind of session asked for, and a watcher moves
//! the pool to another host when that one stops answering or becomes a standby — so after a
//! standby is promoted the application goes on without a restart.
//!
//! sqlx's PostgreSQL driver takes one host; this module splits the URL into one single-host URL
//! per host, checks a candidate with `pg_is_in_recovery()` and `transaction_read_only` (what libpq
//! checks for `read-write`), and points the pool's connect options at the chosen one. Every new
//! pool connection is checked the same way as it is made, so none lands on a standby; idle
//! connections to a host that died fail their ping and are dropped by the pool, and a connection
//! whose commit failed is closed (see `Tx::commit`).

use crate::{Result, StoreError};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, AnyPool, Connection};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the watcher asks the current host whether it is still the one to use.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long one host may take to accept a connection and answer the check.
const HOST_TIMEOUT: Duration = Duration::from_secs(2);
/// Between two rounds over all hosts while none takes the session (a promotion under way).
const RETRY_EVERY: Duration = Duration::from_millis(250);

/// libpq's `target_session_attrs`, the values this store honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAttrs {
    /// Any host that accepts the connection.
    Any,
    /// A host that takes writes: not in recovery, not read-only by default (`read-write`, or
    /// `primary`, which for this store means the same).
    ReadWrite,
}

/// The hosts of a PostgreSQL URL, each as a URL of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// One `postgres://user:pw@host:port/db?…` per host, in the given order, without
    /// `target_session_attrs` (which the driver does not know).
    pub urls: Vec<String>,
    /// `host:port` of each, for the log (no user, no password).
    pub labels: Vec<String>,
    pub attrs: SessionAttrs,
}

/// Splits a PostgreSQL URL with several hosts or a `target_session_attrs`; `None` for a plain
/// single-host URL (connected to as it is).
pub fn parse(url: &str) -> Result<Option<Hosts>> {
    let bad = |why: &str| StoreError::Unreachable(format!("数据库地址有误：{why}"));
    let Some((scheme, rest)) = url.split_once("://") else { return Ok(None) };
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = before_query.find('/').map_or((before_query, ""), |i| before_query.split_at(i));
    let (userinfo, host_list) =
        authority.rfind('@').map_or(("", authority), |i| (&authority[..=i], &authority[i + 1..]));
    let mut attrs = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("target_session_attrs", value)) => attrs = Some(value),
            _ => kept.push(pair),
        }
    }
    let hosts: Vec<&str> = host_list.split(',').collect();
    if hosts.len() == 1 && attrs.is_none() {
        return Ok(None);
    }
    let attrs = match attrs.unwrap_or("any") {
        "any" => SessionAttrs::Any,
        "read-write" | "primary" => SessionAttrs::ReadWrite,
        other => {
            return Err(bad(&format!("target_session_attrs 只支持 any、read-write、primary，不支持「{other}」")));
        }
    };
    if hosts.iter().any(|h| h.is_empty()) {
        return Err(bad("主机列表中有空项（应为 主机:端口,主机:端口）"));
    }
    let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
    Ok(Some(Hosts {
        urls: hosts.iter().map(|h| format!("{scheme}://{userinfo}{h}{path}{query}")).collect(),
        labels: hosts.iter().map(|h| (*h).to_owned()).collect(),
        attrs,
    }))
}

/// The hosts and which of them the pool connects to now.
#[derive(Debug)]
pub(crate) struct Failover {
    hosts: Hosts,
    current: Mutex<usize>,
    /// Wakes the watcher at once (a failed begin, a standby refused as a pool connection).
    wake: tokio::sync::Notify,
    /// The watcher's own connection to the current host (none while it looks for one).
    monitor: tokio::sync::Mutex<Option<AnyConnection>>,
}

impl Failover {
    pub(crate) fn new(hosts: Hosts) -> Arc<Self> {
        Arc::new(Self {
            hosts,
            current: Mutex::new(0),
            wake: tokio::sync::Notify::new(),
            monitor: tokio::sync::Mutex::new(None),
        })
    }

    /// Asks the watcher to check the current host now.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// The URL of the host chosen now.
    pub(crate) fn current_url(&self) -> &str {
        &self.hosts.urls[*self.current.lock().expect("not poisoned")]
    }

    /// Whether the server on `conn` takes the kind of session asked for.
    pub(crate) async fn suits(attrs: SessionAttrs, conn: &mut AnyConnection) -> sqlx::Result<bool> {
        if attrs == SessionAttrs::Any {
            return sqlx::query("SELECT 1").execute(conn).await.map(|_| true);
        }
        let read_only: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' \
             THEN 1 ELSE 0 END::bigint",
        )
        .fetch_one(conn)
        .await?;
        Ok(read_only == 0)
    }

    pub(crate) fn attrs(&self) -> SessionAttrs {
        self.hosts.attrs
    }

    /// The first host, in the URL's order, that takes the session: its index and an open
    /// connection to it; or why none did.
    pub(crate) async fn find(&self) -> std::result::Result<(usize, AnyConnection), String> {
        let mut why = Vec::new();
        for (i, url) in self.hosts.urls.iter().enumerate() {
            let label = &self.hosts.labels[i];
            let tried = tokio::time::timeout(HOST_TIMEOUT, async {
                let mut conn = AnyConnection::connect(url).await?;
                let suits = Self::suits(self.hosts.attrs, &mut conn).await?;
                Ok::<_, sqlx::Error>((conn, suits))
            })
            .await;
            match tried {
                Ok(Ok((conn, true))) => return Ok((i, conn)),
                Ok(Ok((conn, false))) => {
                    let _ = conn.close().await;
                    why.push(format!("{label}：只读（备库）"));
                }
                Ok(Err(e)) => why.push(format!("{label}：{e}")),
                Err(_) => why.push(format!("{label}：超时")),
            }
        }
        Err(why.join("；"))
    }

    /// Makes `index` the current host and points the pool's new connections at it.
    fn choose(&self, index: usize, pool: &AnyPool) -> sqlx::Result<()> {
        let mut current = self.current.lock().expect("not poisoned");
        if *current != index {
            pool.set_connect_options(AnyConnectOptions::from_str(&self.hosts.urls[index])?);
            tracing::warn!(host = %self.hosts.labels[index], "PostgreSQL: the pool now connects to another host");
            *current = index;
        }
        Ok(())
    }

    /// The host found at start-up becomes the current one, with the connection that checked it
    /// as the watcher's own.
    pub(crate) async fn start_on(&self, index: usize, monitor: AnyConnection) {
        *self.current.lock().expect("not poisoned") = index;
        *self.monitor.lock().await = Some(monitor);
    }

    /// The watcher, run by whoever supervises the application's background work (the web's task
    /// supervisor under `serve`): every `CHECK_EVERY` (or at once when woken) it checks the
    /// current host on a connection of its own; when that fails it goes through the hosts until
    /// one takes the session and moves the pool there. It returns when the pool is closed; the
    /// caller stops it by dropping the future (it holds nothing that a drop leaves half-done).
    pub(crate) async fn follow(&self, pool: &AnyPool) {
        let attrs = self.hosts.attrs;
        let mut monitor = self.monitor.lock().await;
        loop {
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(CHECK_EVERY) => {}
            }
            if pool.is_closed() {
                return;
            }
            if let Some(conn) = monitor.as_mut()
                && matches!(tokio::time::timeout(HOST_TIMEOUT, Self::suits(attrs, conn)).await, Ok(Ok(true)))
            {
                continue;
            }
            if let Some(conn) = monitor.take() {
                let _ = tokio::time::timeout(HOST_TIMEOUT, conn.close()).await;
            }
            tracing::warn!("PostgreSQL: the current host does not take the session; looking for another");
            while monitor.is_none() && !pool.is_closed() {
                match self.find().await {
                    Ok((index, conn)) => match self.choose(index, pool) {
                        Ok(()) => *monitor = Some(conn),
                        Err(e) => tracing::error!(error = %e, "PostgreSQL: the host's URL was not accepted"),
                    },
                    Err(why) => {
                        tracing::debug!(%why, "PostgreSQL: no host takes the session yet");
                        tokio::time::sleep(RETRY_EVERY).await;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_hosts_become_one_url_each() {
        let h = parse(
            "postgres://xq:p%40ss@10.0.0.1:5432,10.0.0.2:5433/xinqiao?target_session_attrs=read-write&sslmode=disable",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            h.urls,
            [
                "postgres://xq:p%40ss@10.0.0.1:5432/xinqiao?sslmode=disable",
                "postgres://xq:p%40ss@10.0.0.2:5433/xinqiao?sslmode=disable"
            ]
        );
        assert_eq!(h.labels, ["10.0.0.1:5432", "10.0.0.2:5433"]);
        assert_eq!(h.attrs, SessionAttrs::ReadWrite);
        let any = parse("postgresql://a,b:6000/db").unwrap().unwrap();
        assert_eq!(any.urls, ["postgresql://a/db", "postgresql://b:6000/db"]);
        assert_eq!(any.attrs, SessionAttrs::Any);
        let primary = parse("postgres://u@a/db?target_session_attrs=primary").unwrap().unwrap();
        assert_eq!((primary.urls.len(), primary.attrs), (1, SessionAttrs::ReadWrite));
    }

    #[test]
    fn a_plain_url_is_left_alone_and_bad_ones_are_refused() {
        assert_eq!(parse("postgres://u:p@h:5432/db?sslmode=disable").unwrap(), None);
        assert_eq!(parse("sqlite:///tmp/x.db?mode=rwc").unwrap(), None);
        let e = parse("postgres://a,b/db?target_session_attrs=standby").unwrap_err().to_string();
        assert!(e.contains("standby") && e.contains("read-write"), "{e}");
        assert!(parse("postgres://a,,b/db").is_err());
    }
}
