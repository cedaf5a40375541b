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
pub mod knowledge;
pub mod migrate;
pub mod orgs;
pub mod outbox;
pub mod qa_gaps;
pub mod qualification;
pub mod sessions;
pub mod settings;
pub mod testing;
pub mod throttle;
pub mod ties;
pub mod tokens;
pub mod users;
pub mod warnings;
pub mod worklog;

pub use error::StoreError;
pub use sqlx::AnyConnection;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

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
    /// The audit chain's key (from secrets.toml), when the application has one.
    chain_key: Option<std::sync::Arc<xinqiao_domain::audit::ChainKey>>,
}

/// A writing transaction (with, on SQLite, this process's turn to write). Dereferences to the
/// connection; `commit` or `rollback` ends it, dropping it rolls back.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    /// The application clock's reading when the transaction began: its rows' time.
    now_ms: i64,
    /// The audit chain's key, for the entries this transaction appends.
    chain_key: Option<std::sync::Arc<xinqiao_domain::audit::ChainKey>>,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl std::ops::Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

impl Tx {
    /// The audit chain's key, if the application has one.
    pub fn chain_key(&self) -> Option<&xinqiao_domain::audit::ChainKey> {
        self.chain_key.as_deref()
    }

    /// The time of this transaction (epoch milliseconds, from the application's clock).
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }
}

impl Store {
    /// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite connections get
    /// WAL, foreign keys and a busy timeout; a database that cannot be reached is one readable
    /// error, not a panic.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        // One direct connection first: a refused or misnamed database answers at once with the
        // driver's own reason, where the pool would wait out its timeout and say only that.
        let probe = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
            .await
            .map_err(|e| StoreError::Unreachable(e.to_string()))?;
        let _ = sqlx::Connection::close(probe).await;
        let pool = options.connect(url).await.map_err(|e| StoreError::Unreachable(e.to_string()))?;
        Ok(Self { pool, backend, writer: Default::default(), clock: clock::Clock::system(), chain_key: None })
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
        Ok(Tx { tx: self.pool.begin().await?, now_ms: self.now_ms(), chain_key: self.chain_key.clone(), _guard: guard })
    }

    /// This store reading time from `clock` (tests pin it; `serve` uses the system clock).
    pub fn with_clock(mut self, clock: clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// This store sealing audit entries with `key` from its first keyed entry on.
    pub fn with_chain_key(mut self, key: xinqiao_domain::audit::ChainKey) -> Self {
        self.chain_key = Some(std::sync::Arc::new(key));
        self
    }

    pub fn chain_key(&self) -> Option<&xinqiao_domain::audit::ChainKey> {
        self.chain_key.as_deref()
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
