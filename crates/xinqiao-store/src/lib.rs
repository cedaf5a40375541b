//! Xinqiao's persistence. One `Store` over an `AnyPool` serves both the embedded SQLite file and
//! PostgreSQL with the same SQL text (the common subset: `$n` placeholders, `RETURNING`,
//! `ON CONFLICT`, BIGINT epoch milliseconds, UUIDv7 text ids). Where the dialects must differ,
//! the difference sits in one function on `Backend`.
//!
//! Each feature has a module of its own (`users`, `audit` …). Every function that changes state
//! writes its audit entry in the same transaction.

pub mod annual_reports;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cases;
pub mod certificates;
pub mod clock;
pub mod confidential;
pub mod conflict;
pub mod credentials;
pub mod deferred;
pub mod enterprises;
mod error;
pub mod failover;
mod filter;
pub mod incidents;
pub mod insights;
pub mod inspections;
pub mod integrity;
pub mod keyring;
pub mod knowledge;
pub mod ledger;
pub mod migrate;
pub mod open311;
pub mod orgs;
pub mod outbox;
pub mod qa_gaps;
pub mod qualification;
pub mod rollups;
mod rows;
pub mod sessions;
pub mod settings;
pub mod testing;
pub mod throttle;
pub mod ties;
pub mod tokens;
mod tx;
pub mod users;
pub mod warnings;
pub mod worklog;
mod writing;

pub use conflict::Conflict;
pub use error::{Outage, StoreError};
pub use sqlx::AnyConnection;
pub use tx::Tx;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How long a request waits for a connection before it is told the database is unavailable.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a database could not be opened, said plainly first (the driver's words follow). For a
/// SQLite file whose directory cannot be written (read-only, no permission, full) that is said
/// rather than the driver's "unable to open database file".
fn open_error(url: &str, e: sqlx::Error) -> StoreError {
    let why = match (Outage::of(&e), sqlite_dir_problem(url)) {
        (Some(Outage::ReadOnly), _) => "数据库文件或数据目录是只读的（请检查磁盘是否以只读方式挂载，以及目录权限）",
        (Some(Outage::Io) | None, Some(Outage::ReadOnly)) => {
            "数据目录不可写（只读，或本程序的账户没有写权限）：SQLite 需要在其中写入数据库与日志文件"
        }
        (Some(Outage::DiskFull), _) | (_, Some(Outage::DiskFull)) => "磁盘已满（请释放空间后再启动）",
        (Some(Outage::Io), _) => "无法读写数据库文件（请检查数据目录是否存在、权限与磁盘）",
        (Some(Outage::Busy), _) => "数据库被另一个程序锁定（请稍后再试）",
        _ => "",
    };
    if why.is_empty() {
        StoreError::Unreachable(e.to_string())
    } else {
        StoreError::Unreachable(format!("{why}：{e}"))
    }
}

/// Whether a SQLite file's directory refuses a new file, and why.
fn sqlite_dir_problem(url: &str) -> Option<Outage> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = std::path::Path::new(path.split('?').next()?);
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let probe = dir.join(format!(".xinqiao-write-test-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) => match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => Some(Outage::ReadOnly),
            std::io::ErrorKind::StorageFull => Some(Outage::DiskFull),
            std::io::ErrorKind::NotFound => None,
            _ => Some(Outage::Io),
        },
    }
}

/// Which database engine the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine behind an open connection.
    pub(crate) fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name() == "SQLite" { Self::Sqlite } else { Self::Postgres }
    }

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

    /// What every new connection runs first. `secure_delete` zeroes what is deleted or
    /// overwritten in the file, so a value replaced by its sealed form leaves no copy behind.
    async fn set_up(self, conn: &mut AnyConnection) -> sqlx::Result<()> {
        if self == Backend::Sqlite {
            conn.execute(
                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                 PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;",
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
    /// Where writing transactions run: on SQLite a pool of its own with one connection, kept
    /// open (see `writer_pool`); on PostgreSQL the same pool as the reads.
    writers: AnyPool,
    backend: Backend,
    /// Serialises writing transactions on SQLite (see `begin`).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The application's clock: every stored time is read from it.
    clock: clock::Clock,
    /// The audit chain's key (from secrets.toml), when the application has one.
    chain_key: Option<std::sync::Arc<xinqiao_domain::audit::ChainKey>>,
    /// A cap on the SQLite file's pages, applied as each transaction begins (see
    /// `limit_sqlite_pages`): 0 = never set, `u64::MAX` = lifted.
    page_limit: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Who copies SQLite's WAL into the database (see `set_checkpoints_apart`): 0 = never set
    /// (SQLite's automatic checkpoints, nothing applied), 1 = apart from the writers, 2 = set
    /// back to automatic.
    checkpoints: std::sync::Arc<std::sync::atomic::AtomicU8>,
    /// PostgreSQL on several hosts: which one the pool uses, and its watcher.
    failover: Option<std::sync::Arc<failover::Failover>>,
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

    /// `connect` with at most `connections` connections in the pool. A PostgreSQL URL with
    /// several hosts or a `target_session_attrs` (libpq's form) connects to the first host that
    /// takes the session and follows a promotion without a restart (see `failover`).
    pub async fn connect_with(url: &str, connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let failover = match backend {
            Backend::Postgres => failover::parse(url)?.map(failover::Failover::new),
            Backend::Sqlite => None,
        };
        let checked = failover.as_ref().map(|f| (f.attrs(), std::sync::Arc::downgrade(f)));
        let writers = (backend == Backend::Sqlite).then(|| writing::writer_pool(backend, url));
        let options = AnyPoolOptions::new()
            // Within a second or two a request learns that the database is away (and answers
            // 503), rather than waiting out a long timeout.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .max_connections(connections.max(1))
            .after_connect(move |conn, _meta| {
                let checked = checked.clone();
                Box::pin(async move {
                    backend.set_up(conn).await?;
                    // On several hosts, no pool connection lands on one that does not take the
                    // session (a standby): refused here, the pool tries again, and the watcher
                    // is told to look for the new primary.
                    if let Some((attrs, failover)) = checked
                        && !failover::Failover::suits(attrs, conn).await?
                    {
                        if let Some(f) = failover.upgrade() {
                            f.wake();
                        }
                        return Err(sqlx::Error::Configuration("the server does not take this session".into()));
                    }
                    Ok(())
                })
            });
        let pool = match &failover {
            Some(f) => {
                let (index, monitor) = f
                    .find()
                    .await
                    .map_err(|why| StoreError::Unreachable(format!("没有一台数据库服务器接受所要求的会话（{why}）")))?;
                f.start_on(index, monitor).await;
                options.connect(f.current_url()).await.map_err(|e| open_error(url, e))?
            }
            None => {
                // One direct connection first, set up as the pool's will be: a refused or
                // misnamed database, a read-only directory or a full disk answers at once with
                // its reason, where the pool would retry until its timeout and say only that.
                let mut probe =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(url).await.map_err(|e| open_error(url, e))?;
                let set_up = backend.set_up(&mut probe).await;
                let _ = sqlx::Connection::close(probe).await;
                set_up.map_err(|e| open_error(url, e))?;
                options.connect(url).await.map_err(|e| open_error(url, e))?
            }
        };
        let writers = match writers {
            Some(writers) => writers.await.map_err(|e| open_error(url, e))?,
            None => pool.clone(),
        };
        Ok(Self {
            pool,
            writers,
            backend,
            writer: Default::default(),
            clock: clock::Clock::system(),
            page_limit: Default::default(),
            checkpoints: Default::default(),
            chain_key: None,
            failover,
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
        let mut conn = self.writers.acquire().await.inspect_err(|_| self.database_trouble())?;
        let begun = match self.apply_page_limit(&mut conn).await.and(self.apply_checkpoints(&mut conn).await) {
            Ok(()) => sqlx::raw_sql(self.backend.begin_sql()).execute(&mut *conn).await.map_err(StoreError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = begun {
            conn.close_on_drop();
            self.database_trouble();
            return Err(e);
        }
        Ok(Tx { conn: Some(conn), now_ms: self.now_ms(), chain_key: self.chain_key.clone(), guard })
    }

    /// Whether this store is on several PostgreSQL hosts (or asks for a kind of session), so that
    /// a watcher must follow the primary: see `follow_primary`.
    pub fn follows_hosts(&self) -> bool {
        self.failover.is_some()
    }

    /// Follows the primary among several PostgreSQL hosts until the pool is closed (see
    /// `failover`); returns at once on one host or SQLite. Run it under a supervisor — the
    /// store starts no task of its own.
    pub async fn follow_primary(&self) {
        if let Some(f) = &self.failover {
            f.follow(&self.pool).await;
        }
    }

    /// A transaction could not begin: on several PostgreSQL hosts the watcher checks at once
    /// whether the primary moved.
    fn database_trouble(&self) {
        if let Some(f) = &self.failover {
            f.wake();
        }
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

    /// After personal data was replaced in place (a re-seal of clear values): on SQLite, copies
    /// the write-ahead log into the database file and empties the log, where the old page images
    /// would otherwise stay until overwritten. PostgreSQL's old row versions go with its vacuum.
    pub async fn scrub_replaced(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let _guard = self.writer.lock().await;
            sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
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
        self.writers.close().await;
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

/// `rows` rows of `cols` placeholders for a multi-row insert on `conn`'s database: `($1, $2),
/// ($3, $4)` on PostgreSQL, `(?, ?), (?, ?)` on SQLite. Binding a numbered parameter makes sqlx
/// ask SQLite for its name, a linear scan of the statement's named parameters, so a statement of
/// P numbered parameters cost O(P²) to bind; anonymous `?` parameters have no name and bind in
/// order at constant cost, so a statement may carry hundreds of rows (issue 22). Only for
/// statements whose every parameter is in this clause, bound in order.
pub(crate) fn values_clause(conn: &AnyConnection, rows: usize, cols: usize) -> String {
    let sqlite = Backend::of(conn) == Backend::Sqlite;
    let mut out = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 1..=cols {
            if c > 1 {
                out.push_str(", ");
            }
            if sqlite {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(r * cols + c).to_string());
            }
        }
        out.push(')');
    }
    out
}

/// `n` placeholders for an `IN (…)` list: anonymous `?` on SQLite (as in `values_clause`: binding
/// a named parameter scans the statement's names, O(n²) for a long list), `$1…$n` on PostgreSQL.
pub(crate) fn in_list(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => vec!["?"; n].join(", "),
        Backend::Postgres => (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
    }
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}
