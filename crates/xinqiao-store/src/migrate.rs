//! Embedded, per-backend migrations. The folders `migrations/sqlite` and `migrations/postgres`
//! hold files with identical names; an applied migration is never edited (its checksum is kept
//! and compared at every start).

use crate::{Backend, Result, Store, StoreError, sha256_hex};
use sqlx::Executor;

/// One migration: its file name (`NNNN_name`) and SQL per backend.
pub struct Migration {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($name:literal) => {
        Migration {
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in order. A new file in the folders must be listed here (a test checks).
pub const MIGRATIONS: &[Migration] = &[
    migration!("0001_foundation"),
    migration!("0002_cases"),
    migration!("0003_case_rating"),
    migration!("0004_ties"),
    migration!("0005_work_logs"),
    migration!("0006_case_pauses"),
    migration!("0007_settlement_attachments"),
    migration!("0008_inspections"),
    migration!("0009_knowledge"),
    migration!("0010_insights"),
    migration!("0011_qualification"),
    migration!("0012_calendar_notices"),
    migration!("0013_qa_gaps"),
    migration!("0014_durability"),
    migration!("0015_key_ring"),
    migration!("0016_import_progress"),
    migration!("0020_scope_and_acceptance"),
    migration!("0021_certificate_reinstatement"),
    migration!("0022_tie_overrides"),
    migration!("0023_password_reset_notice"),
    migration!("0024_login_throttle"),
    migration!("0025_audit_checkpoints"),
    migration!("0026_qa_votes"),
    migration!("0030_privacy_review"),
    migration!("0040_ledger"),
    migration!("0041_ledger_trace_index"),
    migration!("0042_ledger_case_batches"),
    migration!("0043_ledger_warning_batches"),
    migration!("0044_audit_actor_index_dropped"),
    migration!("0050_open311"),
    migration!("0051_integrity"),
    migration!("0052_deferred"),
    migration!("0053_deferred_reminders"),
    migration!("0054_annual_reports"),
    migration!("0055_confidential_exchange"),
    migration!("0056_confidential_pdf_pages"),
    migration!("0070_incidents"),
    migration!("0071_incident_statements"),
    migration!("0072_incident_reminders"),
    migration!("0073_incident_reviews"),
    migration!("0074_incident_evidence"),
    migration!("0075_incident_leak_drills"),
    migration!("0076_incident_retest_labs"),
    migration!("0080_demand_sealed"),
    migration!("0081_ledger_production_chain"),
    migration!("0082_ledger_retention_purge"),
    migration!("0083_ledger_unlinked_uses"),
    migration!("0084_ledger_batch_covering"),
    migration!("0085_ledger_lot_keepers"),
    migration!("0086_ledger_lot_bureaus"),
    migration!("0087_ledger_uses_into_covering"),
    migration!("0090_closure_reviews"),
];

impl Migration {
    pub fn version(&self) -> i64 {
        self.name[..4].parse().expect("migration names start with four digits")
    }

    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

const PG_LOCK_KEY: i64 = 0x0078_696E_7169_616F; // "xinqiao"

impl Store {
    /// Applies the pending migrations; returns how many ran. Several nodes starting at once on
    /// PostgreSQL take turns through an advisory lock.
    pub async fn migrate(&self) -> Result<usize> {
        let mut conn = self.pool.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL,
                checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
        }
        let result = self.apply_pending(&mut conn).await;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
        }
        result
    }

    async fn apply_pending(&self, conn: &mut sqlx::AnyConnection) -> Result<usize> {
        let applied: Vec<(i64, String, String)> = crate::rows::all(
            sqlx::query("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
                .fetch_all(&mut *conn)
                .await?,
            ["version", "name", "checksum"],
        )?;
        let mut ran = 0;
        for m in MIGRATIONS {
            let sql = m.sql(self.backend);
            let checksum = sha256_hex(sql.as_bytes());
            if let Some((_, name, sum)) = applied.iter().find(|(v, ..)| *v == m.version()) {
                if *sum != checksum || name != m.name {
                    return Err(StoreError::Migration(format!(
                        "已应用的迁移 {} 被修改过（校验和不符），请勿修改已发布的迁移文件",
                        m.name
                    )));
                }
                continue;
            }
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::Migration(format!("{}: {e}", m.name)))?;
            sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(m.version())
                .bind(m.name)
                .bind(&checksum)
                .bind(self.now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(migration = m.name, backend = self.backend.name(), "migration applied");
            ran += 1;
        }
        if let Some((v, name, _)) = applied.iter().find(|(v, ..)| !MIGRATIONS.iter().any(|m| m.version() == *v)) {
            return Err(StoreError::Migration(format!(
                "数据库包含本程序不认识的迁移 {v} ({name})：请使用更新版本的 xinqiao"
            )));
        }
        Ok(ran)
    }

    /// True when every embedded migration has been applied (what `/readyz` asks).
    pub async fn is_migrated(&self) -> bool {
        let count: Result<(i64,), _> =
            sqlx::query_as("SELECT COUNT(*) FROM schema_migrations").fetch_one(&self.pool).await;
        matches!(count, Ok((n,)) if n as usize == MIGRATIONS.len())
    }
}
