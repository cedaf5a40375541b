//! Online backup: a consistent copy of the SQLite database taken while the server runs.

use crate::{Backend, Result, Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the SQLite database to `to` (`VACUUM INTO`, which reads one
    /// snapshot and leaves writers unblocked under WAL). PostgreSQL installations use pg_dump.
    pub async fn backup_to(&self, to: &Path) -> Result<u64> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Invalid(xinqiao_domain::FieldError::new(
                "to",
                "postgres_backup",
                "PostgreSQL 数据库请使用 pg_dump 备份，例如：pg_dump --format=custom --file=xinqiao.dump \"$DATABASE_URL\"",
            )));
        }
        if to.exists() {
            return Err(StoreError::Invalid(xinqiao_domain::FieldError::new(
                "to",
                "exists",
                format!("目标文件已存在：{}（不会覆盖）", to.display()),
            )));
        }
        let target = to.to_str().ok_or(StoreError::Invalid(xinqiao_domain::FieldError::new(
            "to",
            "bad_path",
            "备份路径须为有效的 UTF-8 文本",
        )))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
    }
}
