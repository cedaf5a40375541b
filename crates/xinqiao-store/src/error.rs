//! The store's error type: what callers can act on (not found, conflict, unreachable), with the
//! database's own error kept for the log.

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
    #[error("记录已存在：{0}")]
    Conflict(String),
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Refused(#[from] xinqiao_domain::accounts::GrantRefusal),
    #[error("数据库迁移失败：{0}")]
    Migration(String),
    #[error("数据库错误：{0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // PostgreSQL names the constraint; SQLite says `UNIQUE constraint failed: table.column`.
                StoreError::Conflict(db.constraint().map_or_else(|| db.message().to_owned(), str::to_owned))
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Invalid(FieldError::new("reference", "missing_reference", "引用的记录（如所属机构）不存在"))
            }
            _ => StoreError::Database(e),
        }
    }
}
