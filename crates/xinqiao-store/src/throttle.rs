//! Sign-in throttling and security notices. Wrong passwords slow down one (name, client) pair
//! with growing delays rather than locking the account, so nobody can lock someone else out; when
//! an existing account reaches the policy's threshold, its holder and the security administrators
//! are told. The typed name is never stored: the caller passes an HMAC of it as the key.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, new_id};
use serde_json::json;
use xinqiao_domain::accounts::SecurityPolicy;
use xinqiao_domain::audit::Outcome;

/// The recipient of notices meant for every security administrator.
pub const SECADMINS: &str = "role:secadmin";

/// A security notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: String,
    pub text: String,
    pub at_ms: i64,
}

/// A failed sign-in, as the caller knows it.
#[derive(Debug, Clone)]
pub struct Failure<'a> {
    /// The account (id and user name), when the name exists.
    pub user_id: Option<&'a str>,
    pub username: Option<&'a str>,
    /// `bad_password` or `unknown_user`.
    pub reason: &'static str,
    /// HMAC of the typed name and the client address.
    pub key: &'a str,
    /// The client address, for the notices.
    pub client: &'a str,
}

impl Store {
    /// When the next attempt for `key` is allowed, if that is still in the future.
    pub async fn login_throttled(&self, key: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT next_allowed_at FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        let now = self.now_ms();
        Ok(row.map(|(t,)| t).filter(|t| *t > now))
    }

    /// Records a failed sign-in (audited), throttles its (name, client) pair by `policy`, and tells
    /// the holder and the security administrators when an account reaches the threshold. Returns
    /// when the next attempt is allowed, if it is throttled now.
    pub async fn login_failed(&self, actor: &Actor, f: &Failure<'_>, policy: &SecurityPolicy) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let (failures,): (i64,) = sqlx::query_as(
            "INSERT INTO login_throttle (key, failures, next_allowed_at, updated_at) VALUES ($1, 1, 0, $2) \
             ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = excluded.updated_at \
             RETURNING failures",
        )
        .bind(f.key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let failures = u32::try_from(failures).unwrap_or(u32::MAX);
        let until = policy.throttle_ms(failures).map(|d| now + d);
        if let Some(t) = until {
            sqlx::query("UPDATE login_throttle SET next_allowed_at = $1 WHERE key = $2")
                .bind(t)
                .bind(f.key)
                .execute(&mut *tx)
                .await?;
        }
        let target = f.user_id.map_or_else(|| "user:unknown".to_owned(), |id| format!("user:{id}"));
        audit::append(
            &mut tx,
            actor,
            Event::new("auth.login", target.clone(), Outcome::Failure)
                .detail(json!({"reason": f.reason, "failures_from_client": failures})),
        )
        .await?;
        if let (Some(id), true) = (f.user_id, failures == policy.max_failed_logins) {
            audit::append(&mut tx, actor, Event::new("auth.throttle", target, Outcome::Success)).await?;
            let text = format!(
                "您的账户从 {} 连续 {failures} 次登录失败，该来源的登录已被暂时放慢。如果不是您本人，请修改密码并告知安全管理员。",
                f.client
            );
            let name = f.username.unwrap_or(id);
            let admin_text = format!("账户 {name} 从 {} 连续 {failures} 次登录失败，已对该来源限速。", f.client);
            for (recipient, text) in [(id, text), (SECADMINS, admin_text)] {
                sqlx::query("INSERT INTO security_notices (id, recipient, text, at_ms) VALUES ($1, $2, $3, $4)")
                    .bind(new_id())
                    .bind(recipient)
                    .bind(text)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(until)
    }

    /// A successful sign-in clears its (name, client) pair.
    pub async fn login_succeeded(&self, key: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(&mut *tx).await?;
        tx.commit().await
    }

    /// Unread notices for `recipient` (a user id or [`SECADMINS`]), newest first.
    pub async fn notices(&self, recipient: &str, limit: i64) -> Result<Vec<Notice>> {
        let rows: Vec<(String, String, i64)> = crate::rows::all(
            sqlx::query(
                "SELECT id, text, at_ms FROM security_notices WHERE recipient = $1 AND read_at IS NULL \
             ORDER BY at_ms DESC, id DESC LIMIT $2",
            )
            .bind(recipient)
            .bind(limit.clamp(1, 200))
            .fetch_all(&self.pool)
            .await?,
            ["id", "text", "at_ms"],
        )?;
        Ok(rows.into_iter().map(|(id, text, at_ms)| Notice { id, text, at_ms }).collect())
    }

    /// Marks an unread notice of `recipient` read; false when there is none such (another's,
    /// or one already read).
    pub async fn dismiss_notice(&self, recipient: &str, id: &str) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE security_notices SET read_at = $1 WHERE id = $2 AND recipient = $3 AND read_at IS NULL",
        )
        .bind(self.now_ms())
        .bind(id)
        .bind(recipient)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
