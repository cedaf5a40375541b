//! Xinqiao's persistence. One `Store` over an `AnyPool` serves both the embedded SQLite file and
//! PostgreSQL with the same SQL text (the common subset: `$n` placeholders, `RETURNING`,
//! `ON CONFLICT`, BIGINT epoch milliseconds, UUIDv7 text ids). Where the dialects must differ,
//! the difference sits in one function on `Backend`.
//!
//! Each feature has a module of its own (`users`, `audit` …). Every function that changes state
//! writes its audit entry in the same transaction.

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cases;
pub mod certificates;
pub mod clock;
mod error;
pub mod insights;
pub mod inspections;
pub mod keyring;
pub mod knowledge;
pub mod migrate;
pub mod orgs;
pub mod outbox;
pub mod qualification;
pub mod rollups;
pub mod sessions;
pub mod settings;
pub mod testing;
pub mod ties;
pub mod tokens;
pub mod users;
pub mod warnings;
pub mod worklog;

pub use error::{Outage, StoreError};
pub use sqlx::AnyConnection;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How long a request waits for a connection before it is told the database is unavailable.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a database could not be opened, said plainly first (the driver's words follow).
fn open_error(e: sqlx::Error) -> StoreError {
    let why = match Outage::of(&e) {
        Some(Outage::ReadOnly) => "数据库文件或数据目录是只读的（请检查磁盘是否以只读方式挂载，以及目录权限）",
        Some(Outage::DiskFull) => "磁盘已满（请释放空间后再启动）",
        Some(Outage::Io) => "无法读写数据库文件（请检查数据目录是否存在、权限与磁盘）",
        Some(Outage::Busy) => "数据库被另一个程序锁定（请稍后再试）",
        Some(Outage::Unreachable) | None => "",
    };
    if why.is_empty() {
        StoreError::Unreachable(e.to_string())
    } else {
        StoreError::Unreachable(format!("{why}：{e}"))
    }
}

/// Which database engine the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::BadUrl)
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// What every new connection runs first.
    async fn set_up(self, conn: &mut AnyConnection) -> sqlx::Result<()> {
        if self == Backend::Sqlite {
            conn.execute(
                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                 PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
            )
            .await?;
        }
        Ok(())
    }

    /// How a writing transaction begins. SQLite takes the write lock at once (waiting its busy
    /// timeout for another process's writer) rather than failing a read-to-write upgrade midway.
    fn begin_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Case-insensitive substring match: the one filter operator that differs by dialect.
    fn ilike(self) -> &'static str {
        match self {
            Backend::Sqlite => "LIKE",
            Backend::Postgres => "ILIKE",
        }
    }
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Serialises writing transactions on SQLite (see `begin`).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The application's clock: every stored time is read from it.
    clock: clock::Clock,
    /// A cap on the SQLite file's pages, applied as each transaction begins (see
    /// `limit_sqlite_pages`): 0 = never set, `u64::MAX` = lifted.
    page_limit: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// A writing transaction (with, on SQLite, this process's turn to write). Dereferences to the
/// connection; `commit` or `rollback` ends it, dropping it rolls back.
///
/// The transaction is begun and ended with plain `BEGIN`/`COMMIT`/`ROLLBACK` on a connection of
/// its own, and a connection whose transaction did not end cleanly is closed, never returned to
/// the pool: a failed COMMIT (a full disk), or a transaction SQLite rolled back by itself after a
/// failed statement, would otherwise leave the driver believing it is still inside a
/// transaction, and the next "transaction" on that connection would be a savepoint that never
/// commits — acknowledged, then lost, holding the write lock until a restart.
pub struct Tx {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
    /// The application clock's reading when the transaction began: its rows' time.
    now_ms: i64,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("a transaction holds its connection until it ends")
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("a transaction holds its connection until it ends")
    }
}

impl Tx {
    /// The time of this transaction (epoch milliseconds, from the application's clock).
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Commits. On any error the connection is closed (the database rolls back what it still
    /// holds) and the error returned: the caller must not acknowledge anything.
    pub async fn commit(mut self) -> Result<()> {
        let mut conn = self.conn.take().expect("a transaction holds its connection until it ends");
        match sqlx::raw_sql("COMMIT").execute(&mut *conn).await {
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "commit failed; the connection is closed");
                conn.close_on_drop();
                Err(e.into())
            }
        }
    }

    /// Rolls back. If even that fails the connection is closed, which rolls back as surely.
    pub async fn rollback(mut self) -> Result<()> {
        let conn = self.conn.take().expect("a transaction holds its connection until it ends");
        end_in_rollback(conn).await;
        Ok(())
    }
}

/// Rolls back on `conn`, returning it to the pool only when that worked.
async fn end_in_rollback(mut conn: sqlx::pool::PoolConnection<sqlx::Any>) {
    if let Err(e) = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
        // SQLite may already have rolled back by itself (a full disk, an I/O error): either way
        // this connection's state is not known to be clean, so it is not reused.
        tracing::debug!(error = %e, "rollback failed; the connection is closed");
        conn.close_on_drop();
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        // Dropped without commit (an early return): roll back before the connection (and, on
        // SQLite, the turn to write) goes to anyone else.
        let guard = self.guard.take();
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    end_in_rollback(conn).await;
                    drop(guard);
                });
            }
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl Store {
    /// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite connections get
    /// WAL, foreign keys and a busy timeout; a database that cannot be reached is one readable
    /// error, not a panic.
    pub async fn connect(url: &str) -> Result<Self> {
        let connections = match Backend::from_url(url)? {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        Self::connect_with(url, connections).await
    }

    /// `connect` with at most `connections` connections in the pool.
    pub async fn connect_with(url: &str, connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyPoolOptions::new()
            // Within a second or two a request learns that the database is away (and answers
            // 503), rather than waiting out a long timeout.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .max_connections(connections.max(1))
            .after_connect(move |conn, _meta| Box::pin(async move { backend.set_up(conn).await }));
        // One direct connection first, set up as the pool's will be: a refused or misnamed
        // database, a read-only directory or a full disk answers at once with its reason, where
        // the pool would retry until its timeout and say only that.
        let mut probe = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await.map_err(open_error)?;
        let set_up = backend.set_up(&mut probe).await;
        let _ = sqlx::Connection::close(probe).await;
        set_up.map_err(open_error)?;
        let pool = options.connect(url).await.map_err(open_error)?;
        Ok(Self {
            pool,
            backend,
            writer: Default::default(),
            clock: clock::Clock::system(),
            page_limit: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a writing transaction. On SQLite, writers take turns in-process first: SQLite
    /// allows one writer, and waiting here is fair and cheap where waiting on its lock means
    /// sleeping in the busy handler (or failing a read-to-write upgrade outright).
    pub async fn begin(&self) -> Result<Tx> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let mut conn = self.pool.acquire().await?;
        let begun = match self.apply_page_limit(&mut conn).await {
            Ok(()) => sqlx::raw_sql(self.backend.begin_sql()).execute(&mut *conn).await.map_err(StoreError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = begun {
            conn.close_on_drop();
            return Err(e);
        }
        Ok(Tx { conn: Some(conn), now_ms: self.now_ms(), guard })
    }

    /// Makes the SQLite database "full" at `pages` pages (SQLite's `max_page_count`), or lifts the
    /// cap with `None`: how the tests and the reliability drill run out of space deterministically.
    /// It takes effect on each connection as its next writing transaction begins.
    pub fn limit_sqlite_pages(&self, pages: Option<u64>) {
        self.page_limit.store(pages.unwrap_or(u64::MAX).max(1), std::sync::atomic::Ordering::SeqCst);
    }

    async fn apply_page_limit(&self, conn: &mut AnyConnection) -> Result<()> {
        let limit = self.page_limit.load(std::sync::atomic::Ordering::SeqCst);
        if limit != 0 && self.backend == Backend::Sqlite {
            // SQLite's own ceiling when lifted.
            let pages = if limit == u64::MAX { 4_294_967_294 } else { limit };
            let sql = format!("PRAGMA max_page_count = {pages}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(conn).await?;
        }
        Ok(())
    }

    /// This store reading time from `clock` (tests pin it; `serve` uses the system clock).
    pub fn with_clock(mut self, clock: clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> &clock::Clock {
        &self.clock
    }

    /// Milliseconds since the Unix epoch by the application's clock: the one time representation
    /// in storage.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Writes and removes a scratch row of 64 KB in one committed transaction: whether the
    /// database takes writes (again) after a full disk, a read-only directory or an outage.
    pub async fn probe_write(&self) -> Result<()> {
        let filler: String = random_bytes::<32_768>().iter().map(|b| format!("{b:02x}")).collect();
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO write_probes (id, filler) VALUES ($1, $2)")
            .bind(&id)
            .bind(&filler)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM write_probes WHERE id = $1").bind(&id).execute(&mut *tx).await?;
        tx.commit().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `n` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf
}

/// Lower-case hex SHA-256, used for tokens that are stored only as hashes.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` placeholders: multi-row inserts, one statement
/// for a whole batch.
pub(crate) fn values_clause(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| format!("${}", r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}
