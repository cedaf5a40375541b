//! SQLite's writing side: the one connection writers take turns on, the cap on the file's pages
//! the tests and drills fill, and who copies the WAL into the database (the writers, or an
//! import's checkpoints apart from them).

use crate::{ACQUIRE_TIMEOUT, AnyConnection, Backend, Result, Store};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

impl Store {
    /// Makes the SQLite database "full" at `pages` pages (SQLite's `max_page_count`), or lifts the
    /// cap with `None`: how the tests and the reliability drill run out of space deterministically.
    /// It takes effect on each connection as its next writing transaction begins.
    pub fn limit_sqlite_pages(&self, pages: Option<u64>) {
        self.page_limit.store(pages.unwrap_or(u64::MAX).max(1), std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) async fn apply_page_limit(&self, conn: &mut AnyConnection) -> Result<()> {
        let limit = self.page_limit.load(std::sync::atomic::Ordering::SeqCst);
        if limit != 0 && self.backend == Backend::Sqlite {
            // SQLite's own ceiling when lifted.
            let pages = if limit == u64::MAX { 4_294_967_294 } else { limit };
            let sql = format!("PRAGMA max_page_count = {pages}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(conn).await?;
        }
        Ok(())
    }

    /// Whether SQLite's WAL is copied into the database apart from the writers (`true`: each
    /// writing transaction's connection checkpoints never, and [`Store::checkpoint`] does it on
    /// another connection, beside the next write) or by the committing writer itself, SQLite's
    /// default (`false`). An import sets it while it runs, so that its one writer does not copy
    /// pages on its own turn. No effect on PostgreSQL.
    pub fn set_checkpoints_apart(&self, apart: bool) {
        if self.backend == Backend::Sqlite {
            self.checkpoints.store(if apart { 1 } else { 2 }, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Whether checkpoints are apart from the writers just now (see `set_checkpoints_apart`).
    pub fn checkpoints_apart(&self) -> bool {
        self.checkpoints.load(std::sync::atomic::Ordering::SeqCst) == 1
    }

    /// Sets a writing connection's automatic checkpoints as `set_checkpoints_apart` asks (the
    /// setting is per connection, and the writing connection may be a new one).
    pub(crate) async fn apply_checkpoints(&self, conn: &mut AnyConnection) -> Result<()> {
        let sql = match self.checkpoints.load(std::sync::atomic::Ordering::SeqCst) {
            1 => "PRAGMA wal_autocheckpoint = 0",
            2 => "PRAGMA wal_autocheckpoint = 1000",
            _ => return Ok(()),
        };
        sqlx::raw_sql(sql).execute(conn).await?;
        Ok(())
    }

    /// Copies the WAL's committed pages into the database on a connection of its own, without
    /// waiting for the writer (SQLite's PASSIVE checkpoint), or, with `restart`, in the writers'
    /// turn so that the next write starts the WAL from its beginning again (RESTART: bounds the
    /// WAL's size when readers kept it from restarting by itself). Returns the WAL's length in
    /// pages before it. Nothing to do on PostgreSQL (returns 0).
    pub async fn checkpoint(&self, restart: bool) -> Result<i64> {
        if self.backend != Backend::Sqlite {
            return Ok(0);
        }
        let _turn = if restart { Some(self.writer.clone().lock_owned().await) } else { None };
        let sql = if restart { "PRAGMA wal_checkpoint(RESTART)" } else { "PRAGMA wal_checkpoint(PASSIVE)" };
        let row = sqlx::query(sql).fetch_one(&self.pool).await?;
        let log: i64 = sqlx::Row::try_get(&row, 1)?;
        Ok(log)
    }
}

/// SQLite's writing connection: a pool of one, never closed for being idle or old, set up as the
/// reading pool's. One writer at a time is SQLite's rule anyway; writing always on the same
/// connection keeps its page cache. SQLite throws away a connection's whole cache when it begins
/// a transaction and finds the database changed by another connection, so with the writers'
/// turn passing round the reading pool every transaction began cold and read back, one `pread`
/// a page, the index pages the transaction before had just written (issue 22). A connection
/// whose transaction did not end cleanly is still closed (see `Tx`), and the pool opens a new
/// one for the next writer.
pub(crate) async fn writer_pool(backend: Backend, url: &str) -> sqlx::Result<AnyPool> {
    AnyPoolOptions::new()
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(move |conn, _meta| Box::pin(async move { backend.set_up(conn).await }))
        .connect(url)
        .await
}
