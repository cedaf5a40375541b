//! Browser sessions. The cookie carries a random token; the database keeps only its SHA-256, the
//! session's stage (password done, second factor pending, …), its CSRF token and when it was
//! last used, so an idle session expires on every node alike.

use crate::audit::{self, Actor, Event};
use crate::users::User;
use crate::{Result, Store, StoreError, random_bytes, sha256_hex};
use sqlx::AnyConnection;
use xinqiao_domain::audit::Outcome;

/// Where a login stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; a TOTP code is still owed.
    SecondFactor,
    /// Password accepted; an administrator must first enrol a TOTP authenticator.
    Enrol,
    /// Logged in fully.
    Full,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::SecondFactor => "totp",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Stage::SecondFactor, Stage::Enrol, Stage::Full].into_iter().find(|s| s.code() == code)
    }
}

/// A live session with its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub stage: Stage,
    pub csrf_token: String,
    pub user: User,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup {
    Live(Box<Session>),
    /// It existed but sat idle too long (now removed).
    Expired,
    Missing,
}

/// How a completed login is held.
#[derive(Debug, Clone, Copy)]
pub enum Completion<'a> {
    /// A new session (password alone sufficed).
    NewSession,
    /// The pending session with this token hash (after the second factor).
    Pending(&'a str),
    /// No session: an API token is being issued.
    NoSession,
}

async fn insert_session(conn: &mut AnyConnection, now: i64, user_id: &str, stage: Stage) -> Result<String> {
    let token = xinqiao_domain::crypto::hex(&random_bytes::<32>());
    let csrf = xinqiao_domain::crypto::hex(&random_bytes::<32>());
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, stage, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(sha256_hex(token.as_bytes()))
    .bind(user_id)
    .bind(stage.code())
    .bind(&csrf)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Touching `last_seen_at` at most once a minute keeps reads from turning into writes.
const TOUCH_EVERY_MS: i64 = 60_000;

impl Store {
    /// Starts a session part-way through login (a second factor still owed); returns the token
    /// for the cookie (never stored as such).
    pub async fn start_session(&self, user_id: &str, stage: Stage) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        insert_session(&mut conn, self.now_ms(), user_id, stage).await
    }

    /// Completes a login in one transaction: clears the failure count (refusing, with `Locked`,
    /// when a parallel attempt locked the account meanwhile), brings the session to `Full` (a new
    /// one, the pending one, or none for an API token), and records the login. Returns the new
    /// session's token when one was created.
    pub async fn finish_login(
        &self,
        actor: &Actor,
        user_id: &str,
        session: Completion<'_>,
        factors: &str,
    ) -> Result<Option<String>> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let cleared = sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL \
             WHERE id = $1 AND disabled = 0 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if cleared.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::Locked);
        }
        let token = match session {
            Completion::NewSession => Some(insert_session(&mut tx, now, user_id, Stage::Full).await?),
            Completion::Pending(token_hash) => {
                sqlx::query("UPDATE sessions SET stage = $1, csrf_token = $2, last_seen_at = $3 WHERE token_hash = $4")
                    .bind(Stage::Full.code())
                    .bind(xinqiao_domain::crypto::hex(&random_bytes::<32>()))
                    .bind(now)
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?;
                None
            }
            Completion::NoSession => None,
        };
        let event = Event::new("auth.login", format!("user:{user_id}"), Outcome::Success)
            .detail(serde_json::json!({"factors": factors}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Finds the session of a cookie token, ending it when idle for longer than `idle_ms` or when
    /// its account was disabled.
    pub async fn session(&self, token: &str, idle_ms: i64) -> Result<Lookup> {
        let hash = sha256_hex(token.as_bytes());
        let row: Option<(String, String, String, i64)> = crate::rows::one(
            sqlx::query("SELECT user_id, stage, csrf_token, last_seen_at FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?,
            ["user_id", "stage", "csrf_token", "last_seen_at"],
        )?;
        let Some((user_id, stage, csrf_token, last_seen)) = row else {
            return Ok(Lookup::Missing);
        };
        let now = self.now_ms();
        if now - last_seen > idle_ms {
            self.end_session(&hash).await?;
            return Ok(Lookup::Expired);
        }
        let user = self.user(&user_id).await?;
        let Some(stage) = Stage::parse(&stage).filter(|_| !user.disabled) else {
            self.end_session(&hash).await?;
            return Ok(Lookup::Missing);
        };
        if now - last_seen > TOUCH_EVERY_MS {
            let mut tx = self.begin().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Lookup::Live(Box::new(Session { token_hash: hash, stage, csrf_token, user })))
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        tx.commit().await
    }
}
