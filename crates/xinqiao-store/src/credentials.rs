//! Login bookkeeping: the secrets a login attempt is decided on, failed logins and the lock they
//! lead to, and the TOTP second factor (its secret, and each step used once). Every change that
//! matters writes its audit entry in the same transaction.

use crate::audit::{self, Actor, Event};
use crate::users::User;
use crate::{Result, Store};
use serde_json::json;
use xinqiao_domain::accounts::SecurityPolicy;
use xinqiao_domain::audit::Outcome;

/// What login needs to decide, secrets included. Never logged, never rendered.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i64,
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("user", &self.user.username).finish_non_exhaustive()
    }
}

impl Store {
    /// The account and secrets for a login attempt, by login name.
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let row: Option<(String, String, i64, Option<String>)> = crate::rows::one(
            sqlx::query("SELECT id, password_hash, failed_logins, totp_secret FROM users WHERE username = $1")
                .bind(username.trim().to_ascii_lowercase())
                .fetch_optional(&self.pool)
                .await?,
            ["id", "password_hash", "failed_logins", "totp_secret"],
        )?;
        let Some((id, password_hash, failed_logins, totp_secret)) = row else {
            return Ok(None);
        };
        Ok(Some(Credentials { user: self.user(&id).await?, password_hash, failed_logins, totp_secret }))
    }

    /// Counts a failed login, locking the account once the policy's limit is reached, and records
    /// it. Returns the lock's end when the account is (now) locked.
    pub async fn note_login_failure(
        &self,
        actor: &Actor,
        user_id: Option<&str>,
        reason: &'static str,
        policy: &SecurityPolicy,
    ) -> Result<Option<i64>> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let mut locked = None;
        if let Some(id) = user_id {
            let (count, until): (i64, Option<i64>) = crate::rows::row(
                sqlx::query(
                    "UPDATE users SET failed_logins = failed_logins + 1, \
                 locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END \
                 WHERE id = $3 RETURNING failed_logins, locked_until",
                )
                .bind(i64::from(policy.max_failed_logins))
                .bind(now + policy.lock_ms())
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
                ["failed_logins", "locked_until"],
            )?;
            locked = until.filter(|u| *u > now);
            let newly_locked = until == Some(now + policy.lock_ms());
            if newly_locked {
                // Every session of the account ends, half-done logins included.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            let target = format!("user:{id}");
            audit::append(
                &mut tx,
                actor,
                Event::new("auth.login", target.clone(), Outcome::Failure)
                    .detail(json!({"reason": reason, "failed_logins": count})),
            )
            .await?;
            if newly_locked {
                audit::append(&mut tx, actor, Event::new("auth.lock", target, Outcome::Success)).await?;
            }
        } else {
            audit::append(
                &mut tx,
                actor,
                Event::new("auth.login", "user:unknown", Outcome::Failure).detail(json!({"reason": reason})),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(locked)
    }

    /// Stores (or, with `None`, removes) the TOTP secret of an account.
    pub async fn set_totp_secret(&self, actor: &Actor, user_id: &str, secret: Option<&str>) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2 WHERE id = $3")
            .bind(secret)
            .bind(self.now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let action = if secret.is_some() { "user.totp_enrol" } else { "user.totp_reset" };
        audit::append(&mut tx, actor, Event::new(action, format!("user:{user_id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a TOTP step was used; false when it (or a later one) already was, which
    /// refuses a replayed code even across two nodes.
    pub async fn consume_totp_step(&self, user_id: &str, step: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }
}
