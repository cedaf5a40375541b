//! Fresh databases for tests: every test gets its own, on SQLite always and on PostgreSQL when
//! `XINQIAO_TEST_PG` names a server (a new database is created there and dropped afterwards).

use crate::{Backend, Result, Store};
use sqlx::AssertSqlSafe;
use std::path::PathBuf;

/// The environment variable naming a PostgreSQL server for tests.
pub const PG_ENV: &str = "XINQIAO_TEST_PG";

/// The day a test's clock starts on unless the test chooses another: a Monday inside the shipped
/// holiday notices, so that no test depends on where the real today falls.
pub const TEST_DAY: &str = "2026-11-16";

/// A clock starting at 10:00 on `TEST_DAY`.
pub fn test_clock() -> crate::clock::Clock {
    crate::clock::Clock::starting_on(xinqiao_domain::calendar::Date::parse(TEST_DAY).expect("a date"))
}

/// A migrated store on a database of its own, removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh database on `backend`, or `None` for PostgreSQL when no server is configured.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await.expect("fresh SQLite database")),
            Backend::Postgres => {
                let admin_url = std::env::var(PG_ENV).ok().filter(|s| !s.is_empty());
                // In CI a missing server is a failure, not a skip.
                assert!(admin_url.is_some() || std::env::var_os("CI").is_none(), "CI must set {PG_ENV}");
                let admin_url = admin_url?;
                Some(Self::postgres(admin_url).await.expect("fresh PostgreSQL database"))
            }
        }
    }

    async fn sqlite() -> Result<Self> {
        let path = std::env::temp_dir().join(format!("xinqiao-test-{}.db", crate::new_id()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let store = Store::connect(&url).await?.with_clock(test_clock());
        store.migrate().await?;
        Ok(Self { store, url, cleanup: Cleanup::File(path) })
    }

    async fn postgres(admin_url: String) -> Result<Self> {
        let name = format!("xqt_{}", crate::new_id().replace('-', ""));
        let admin = Store::connect(&admin_url).await?;
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(admin.pool()).await?;
        admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let store = Store::connect(&url).await?.with_clock(test_clock());
        store.migrate().await?;
        Ok(Self { store, url, cleanup: Cleanup::PgDatabase { admin_url, name } })
    }
}

/// `postgres://u:p@h:5432/old?x=y` with the database name replaced.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if !query.is_empty() {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                // Drop runs outside any async context we may block: use a thread with its own runtime.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    rt.block_on(async {
                        let admin = Store::connect(&admin_url).await.ok()?;
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        sqlx::raw_sql(AssertSqlSafe(sql)).execute(admin.pool()).await.ok()?;
                        admin.close().await;
                        Some(())
                    })
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name() {
        assert_eq!(super::replace_db_name("postgres://u:p@h:5432/xinqiao_test", "x1"), "postgres://u:p@h:5432/x1");
        assert_eq!(super::replace_db_name("postgres://h/db?sslmode=disable", "x2"), "postgres://h/x2?sslmode=disable");
        assert_eq!(super::replace_db_name("postgres://h", "x3"), "postgres://h/x3");
    }
}
