//! The store's error type: what callers can act on (not found, conflict, unreachable, the
//! database unable to take a write for now), with the database's own error kept for the log.

use xinqiao_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库地址应以 sqlite: 或 postgres:// 开头")]
    BadUrl,
    #[error("无法连接数据库：{0}")]
    Unreachable(String),
    #[error("记录不存在")]
    NotFound,
    #[error("账户已锁定，请稍后再试")]
    Locked,
    /// The change found the data in another state than it expected (typed per feature).
    #[error("冲突：{0}")]
    Conflict(crate::Conflict),
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// A stored value the domain does not know (a status, a kind, a role): the row is refused
    /// rather than read as some default.
    #[error("数据库中的值无法识别（{column}：{value}）")]
    BadValue { column: &'static str, value: String },
    #[error(transparent)]
    Refused(#[from] xinqiao_domain::accounts::GrantRefusal),
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    /// The database cannot answer or take a write for now; nothing was stored, and the same
    /// request may succeed later (the web answers 503 with Retry-After).
    #[error("{}", .0.message())]
    Unavailable(Outage),
    #[error("数据库错误：{0}")]
    Database(sqlx::Error),
}

/// Why the database is unavailable for now. Each passes by itself (space freed, the server back,
/// the other writer done); none means anything was half-stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// No space left: the disk, or (SQLite) the file's page limit; PostgreSQL's disk.
    DiskFull,
    /// The data directory or the database is read-only.
    ReadOnly,
    /// Another writer (SQLite: another process) held the database longer than we wait.
    Busy,
    /// The database does not answer: PostgreSQL stopped or unreachable, or no connection free.
    Unreachable,
    /// The operating system reported a read or write error.
    Io,
}

impl Outage {
    /// What people are told, in one sentence.
    pub fn message(self) -> &'static str {
        match self {
            Outage::DiskFull => {
                "存储空间已满，本次提交未能保存。请稍后再试；如持续出现，请联系系统管理员释放磁盘空间。"
            }
            Outage::ReadOnly => {
                "数据目录当前为只读，本次提交未能保存。请稍后再试；如持续出现，请联系系统管理员检查磁盘与权限。"
            }
            Outage::Busy => "数据库正忙（另一个程序正在写入），本次操作未能完成，请稍后再试。",
            Outage::Unreachable => "数据库暂时无法连接，本次操作未能完成，请稍后再试。",
            Outage::Io => "存储读写出错，本次提交未能保存，请稍后再试；如持续出现，请联系系统管理员检查磁盘。",
        }
    }

    /// The condition itself, in a few words (for `/readyz` and the log).
    pub fn condition(self) -> &'static str {
        match self {
            Outage::DiskFull => "存储空间已满，写入失败",
            Outage::ReadOnly => "数据目录只读，写入失败",
            Outage::Busy => "数据库正忙，写入等待超时",
            Outage::Unreachable => "数据库无法连接",
            Outage::Io => "存储读写出错",
        }
    }

    /// A stable code for APIs and metrics.
    pub fn code(self) -> &'static str {
        match self {
            Outage::DiskFull => "disk_full",
            Outage::ReadOnly => "read_only",
            Outage::Busy => "busy",
            Outage::Unreachable => "unreachable",
            Outage::Io => "io_error",
        }
    }

    /// The outage a database error stands for, if it is one.
    pub fn of(e: &sqlx::Error) -> Option<Outage> {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => Some(Outage::Unreachable),
            sqlx::Error::WorkerCrashed => Some(Outage::Io),
            sqlx::Error::Database(db) => {
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLite's extended result code, in decimal.
                    let code: i32 = db.code().and_then(|c| c.parse().ok()).unwrap_or(0);
                    return sqlite_outage(code & 0xff);
                }
                if let Some(e) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    return postgres_outage(e.code());
                }
                None
            }
            _ => None,
        }
    }
}

/// SQLite's primary result codes (<https://sqlite.org/rescode.html>).
fn sqlite_outage(primary: i32) -> Option<Outage> {
    match primary {
        5 | 6 => Some(Outage::Busy),  // SQLITE_BUSY, SQLITE_LOCKED
        8 => Some(Outage::ReadOnly),  // SQLITE_READONLY
        10 | 14 => Some(Outage::Io),  // SQLITE_IOERR, SQLITE_CANTOPEN
        13 => Some(Outage::DiskFull), // SQLITE_FULL
        _ => None,
    }
}

/// PostgreSQL's SQLSTATE classes (Appendix A of its manual).
fn postgres_outage(sqlstate: &str) -> Option<Outage> {
    match sqlstate {
        "53100" => Some(Outage::DiskFull),
        "25006" => Some(Outage::ReadOnly),
        "58030" => Some(Outage::Io),
        "57P01" | "57P02" | "57P03" => Some(Outage::Unreachable),
        s if s.starts_with("08") => Some(Outage::Unreachable),
        s if s.starts_with("53") => Some(Outage::Busy),
        _ => None,
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(outage) = Outage::of(&e) {
            return StoreError::Unavailable(outage);
        }
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // PostgreSQL names the constraint; SQLite says `UNIQUE constraint failed: table.column`.
                StoreError::Conflict(crate::Conflict::of_constraint(db.constraint().unwrap_or(db.message())))
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Invalid(FieldError::new("reference", "missing_reference", "引用的记录（如所属机构）不存在"))
            }
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// The outage behind this error, if it is one.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            StoreError::Unavailable(o) => Some(*o),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_are_recognised_by_their_codes() {
        assert_eq!(sqlite_outage(13), Some(Outage::DiskFull));
        assert_eq!(sqlite_outage(8), Some(Outage::ReadOnly));
        assert_eq!(sqlite_outage(5), Some(Outage::Busy));
        assert_eq!(sqlite_outage(19), None, "a constraint is not an outage");
        assert_eq!(postgres_outage("53100"), Some(Outage::DiskFull));
        assert_eq!(postgres_outage("08006"), Some(Outage::Unreachable));
        assert_eq!(postgres_outage("57P01"), Some(Outage::Unreachable));
        assert_eq!(postgres_outage("23505"), None);
        assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Unavailable(Outage::Unreachable)));
        for o in [Outage::DiskFull, Outage::ReadOnly, Outage::Busy, Outage::Unreachable, Outage::Io] {
            assert!(!o.message().is_ascii(), "people are told in Chinese");
        }
    }
}
