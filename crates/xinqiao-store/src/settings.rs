//! Settings kept in the database (so every node sees the same), such as the security policy.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use xinqiao_domain::audit::Outcome;

pub const SECURITY_POLICY: &str = "security_policy";

impl Store {
    /// A setting's value, if it was ever set.
    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        row.map(|(v,)| serde_json::from_str(&v).map_err(|e| StoreError::Migration(format!("setting {key}: {e}"))))
            .transpose()
    }

    /// Sets a value, recording the change with its new value (settings hold no personal data).
    pub async fn put_setting<T: Serialize>(&self, actor: &Actor, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_value(value).map_err(|e| StoreError::Migration(e.to_string()))?;
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(json.to_string())
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("settings.update", format!("setting:{key}"), Outcome::Success).detail(json),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
