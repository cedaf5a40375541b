//! PostgreSQL on several hosts in one URL: the store starts on the first host that takes writes,
//! and when that host goes away (a primary lost, a standby promoted in its place) a commit in
//! flight fails and is not acknowledged, its connection is discarded, and the same store goes on
//! writing through the other host without a restart. The "hosts" are two TCP forwarders in front
//! of the test server, so that one can be cut off and the other brought up.

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use xinqiao_store::testing::TestDb;
use xinqiao_store::{Backend, Store};

/// A TCP forwarder to `target` on its own port; `cut` closes its listener and every connection.
struct Forwarder {
    port: u16,
    stop: watch::Sender<bool>,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Forwarder {
    async fn start(port: u16, target: String) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stop, mut stopped) = watch::channel(false);
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            loop {
                let mut client = tokio::select! {
                    got = listener.accept() => match got { Ok((c, _)) => c, Err(_) => break },
                    _ = stopped.changed() => break,
                };
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let (target, mut stopped) = (target.clone(), stopped.clone());
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else { return };
                    tokio::select! {
                        _ = copy_bidirectional(&mut client, &mut server) => {}
                        _ = stopped.changed() => {}
                    }
                });
            }
        });
        Self { port, stop, accepted }
    }

    fn cut(&self) {
        let _ = self.stop.send(true);
    }

    fn accepted(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// `postgres://u:p@host:port/db?q` → (`host:port`, `u:p@`, `/db`).
fn split(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").unwrap().1;
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let (userinfo, host) = authority.rsplit_once('@').map_or(("", authority), |(u, h)| (u, h));
    let host = if host.contains(':') { host.to_owned() } else { format!("{host}:5432") };
    let userinfo = if userinfo.is_empty() { String::new() } else { format!("{userinfo}@") };
    (host, userinfo, path.to_owned())
}

async fn count(store: &Store, id: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM write_probes WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn after_the_primary_moves_the_store_writes_to_the_new_one_without_a_restart() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        eprintln!("XINQIAO_TEST_PG not set: skipped");
        return;
    };
    let (target, userinfo, path) = split(&db.url);
    let a = Forwarder::start(0, target.clone()).await;
    // Host B's port is reserved, then refused until B "is promoted".
    let b_port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let url =
        format!("postgres://{userinfo}127.0.0.1:{},127.0.0.1:{b_port}{path}?target_session_attrs=read-write", a.port);
    let store = Store::connect_with(&url, 4).await.expect("connects through host A (B refuses)");
    assert!(store.follows_hosts());
    // The store starts no task of its own: the application's supervisor runs the watcher.
    let watcher = tokio::spawn({
        let store = store.clone();
        async move { store.follow_primary().await }
    });
    store.probe_write().await.expect("writes through host A");

    // A transaction in flight when the primary is lost: its commit must fail, not be acknowledged.
    let mut tx = store.begin().await.unwrap();
    sqlx::query("INSERT INTO write_probes (id, filler) VALUES ('in-flight', 'x')").execute(&mut *tx).await.unwrap();
    a.cut();
    let b = Forwarder::start(b_port, target).await;
    assert!(tx.commit().await.is_err(), "a commit on the lost host is reported as failed");

    // The same store writes again through B, within a few seconds, without a restart.
    let started = std::time::Instant::now();
    let mut written = Err(String::new());
    while started.elapsed() < std::time::Duration::from_secs(15) {
        written = store.probe_write().await.map_err(|e| e.to_string());
        if written.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    written.expect("writes again after the move");
    assert!(b.accepted() > 0, "the pool connects through host B now");
    let mut tx = store.begin().await.unwrap();
    sqlx::query("INSERT INTO write_probes (id, filler) VALUES ('after-move', 'x')").execute(&mut *tx).await.unwrap();
    tx.commit().await.expect("commits on the new host");
    assert_eq!(count(&store, "after-move").await, 1);
    assert_eq!(count(&store, "in-flight").await, 0, "what failed to commit is not there");
    store.close().await;
    tokio::time::timeout(std::time::Duration::from_secs(5), watcher)
        .await
        .expect("the watcher ends once the pool is closed")
        .unwrap();
    b.cut();
}

#[tokio::test]
async fn a_url_with_no_host_taking_writes_is_refused_with_each_hosts_reason() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        eprintln!("XINQIAO_TEST_PG not set: skipped");
        return;
    };
    let (_, userinfo, path) = split(&db.url);
    let dead = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let url = format!("postgres://{userinfo}127.0.0.1:{dead}{path}?target_session_attrs=read-write");
    let e = Store::connect(&url).await.unwrap_err().to_string();
    assert!(e.contains(&format!("127.0.0.1:{dead}")), "{e}");
    assert!(!e.contains(userinfo.trim_end_matches('@')) || userinfo.is_empty(), "no password in the message: {e}");
}
