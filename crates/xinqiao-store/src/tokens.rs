//! API bearer tokens: shown once at creation, stored only as SHA-256 hashes.

use crate::audit::{self, Actor, Event};
use crate::users::User;
use crate::{Result, Store, StoreError, new_id, random_bytes, sha256_hex};
use serde_json::json;
use xinqiao_domain::audit::Outcome;

/// The prefix makes leaked tokens easy to recognise in code and logs scanners.
pub const TOKEN_PREFIX: &str = "xq_";

/// A token as listed (never its value).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

impl Store {
    /// Issues a token for `user_id`; the returned text is the only copy of its value.
    pub async fn create_token(&self, actor: &Actor, user_id: &str, name: &str) -> Result<(TokenInfo, String)> {
        let value =
            format!("{TOKEN_PREFIX}{}", random_bytes::<32>().iter().map(|b| format!("{b:02x}")).collect::<String>());
        let id = new_id();
        let now = self.now_ms();
        let name = name.trim().chars().take(64).collect::<String>();
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(user_id)
            .bind(&name)
            .bind(sha256_hex(value.as_bytes()))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("token.create", format!("token:{id}"), Outcome::Success).detail(json!({"user_id": user_id})),
        )
        .await?;
        tx.commit().await?;
        let info = TokenInfo { id, name, created_at: now, last_used_at: None, revoked: false };
        Ok((info, value))
    }

    /// The enabled account a bearer token belongs to, if the token is live.
    pub async fn token_user(&self, value: &str) -> Result<Option<User>> {
        let row: Option<(String, String)> = crate::rows::one(
            sqlx::query(
                "SELECT t.id, t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked = 0 AND u.disabled = 0",
            )
            .bind(sha256_hex(value.trim().as_bytes()))
            .fetch_optional(&self.pool)
            .await?,
            ["id", "user_id"],
        )?;
        let Some((token_id, user_id)) = row else {
            return Ok(None);
        };
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(self.now_ms())
            .bind(&token_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(self.user(&user_id).await?))
    }

    pub async fn list_tokens(&self, user_id: &str) -> Result<Vec<TokenInfo>> {
        let rows: Vec<(String, String, i64, Option<i64>, i64)> = crate::rows::all(sqlx::query(
            "SELECT id, name, created_at, last_used_at, revoked FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?, ["id", "name", "created_at", "last_used_at", "revoked"])?;
        Ok(rows
            .into_iter()
            .map(|(id, name, created_at, last_used_at, revoked)| TokenInfo {
                id,
                name,
                created_at,
                last_used_at,
                revoked: revoked != 0,
            })
            .collect())
    }

    /// Revokes one of `user_id`'s tokens.
    pub async fn revoke_token(&self, actor: &Actor, user_id: &str, token_id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND user_id = $2")
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(&mut tx, actor, Event::new("token.revoke", format!("token:{token_id}"), Outcome::Success))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
