//! The writing transaction: begun and ended with plain SQL on a connection of its own, which goes
//! back to the pool only when the transaction ended cleanly.

use crate::{AnyConnection, Result};

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
    pub(crate) conn: Option<sqlx::pool::PoolConnection<sqlx::Any>>,
    /// The application clock's reading when the transaction began: its rows' time.
    pub(crate) now_ms: i64,
    /// The audit chain's key, for the entries this transaction appends.
    pub(crate) chain_key: Option<std::sync::Arc<xinqiao_domain::audit::ChainKey>>,
    pub(crate) guard: Option<tokio::sync::OwnedMutexGuard<()>>,
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
    /// The audit chain's key, if the application has one.
    pub fn chain_key(&self) -> Option<&xinqiao_domain::audit::ChainKey> {
        self.chain_key.as_deref()
    }

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
