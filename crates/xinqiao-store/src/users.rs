//! Accounts: creation, roles, organisation, disabling and passwords (login bookkeeping and the
//! TOTP second factor are in `credentials`). Every change writes its audit entry in the same
//! transaction.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, flag, new_id};
use serde_json::json;
use sqlx::{AnyConnection, AssertSqlSafe};
use xinqiao_domain::accounts::{GrantRefusal, Role, check_grant, check_role_set};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::ids::{Uscc, Username};

pub use crate::credentials::Credentials;

/// An account as staff see it. No secret is in here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub uscc: Option<String>,
    pub disabled: bool,
    pub locked_until: Option<i64>,
    pub totp_enabled: bool,
    pub must_change_password: bool,
    pub roles: Vec<Role>,
    pub created_at: i64,
    /// The last reset by someone else (an administrator): who (display name) and when.
    pub password_reset: Option<(String, i64)>,
}

/// A new account, already validated and with its password hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub password_hash: String,
    pub org_id: Option<String>,
    pub uscc: Option<Uscc>,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

type UserRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
    Option<String>,
    Option<i64>,
);

const USER_COLUMNS: &str = "u.id AS id, u.username AS username, u.display_name AS display_name, u.org_id AS org_id, \
    o.name AS org_name, u.uscc AS uscc, u.disabled AS disabled, u.locked_until AS locked_until, \
    CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS totp, u.must_change_password AS must_change_password, \
    u.created_at AS created_at, u.password_reset_by AS password_reset_by, u.password_reset_at AS password_reset_at";
const USER_NAMES: [&str; 13] = [
    "id",
    "username",
    "display_name",
    "org_id",
    "org_name",
    "uscc",
    "disabled",
    "locked_until",
    "totp",
    "must_change_password",
    "created_at",
    "password_reset_by",
    "password_reset_at",
];

fn user_from(row: UserRow, roles: Vec<Role>) -> User {
    let (
        id,
        username,
        display_name,
        org_id,
        org_name,
        uscc,
        disabled,
        locked_until,
        totp,
        must_change,
        created_at,
        reset_by,
        reset_at,
    ) = row;
    User {
        id,
        username,
        display_name,
        org_id,
        org_name,
        uscc,
        disabled: disabled != 0,
        locked_until,
        totp_enabled: totp != 0,
        must_change_password: must_change != 0,
        roles,
        created_at,
        password_reset: reset_by.zip(reset_at),
    }
}

/// A stored role; one the domain does not know is an error, not a role dropped.
fn role(code: &str) -> Result<Role> {
    Role::parse(code).map_err(|_| crate::rows::bad("user_roles.role", code))
}

async fn roles_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Role>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1").bind(user_id).fetch_all(&mut *conn).await?;
    let mut roles: Vec<Role> = rows.iter().map(|(r,)| role(r)).collect::<Result<_>>()?;
    roles.sort();
    Ok(roles)
}

async fn load_user(conn: &mut AnyConnection, id: &str) -> Result<User> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let row: UserRow = crate::rows::row(row, USER_NAMES)?;
    let roles = roles_of(conn, id).await?;
    Ok(user_from(row, roles))
}

async fn write_roles(conn: &mut AnyConnection, user_id: &str, roles: &[Role]) -> Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for r in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(r.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The console (command line, no account id) is trusted: whoever runs it owns the server.
fn may_grant(actor: &Actor, target_id: &str, before: &[Role], after: &[Role]) -> Result<(), GrantRefusal> {
    if actor.id.is_empty() {
        return Ok(());
    }
    check_grant(&actor.id, &actor.roles, target_id, before, after)
}

/// Ends every session and revokes every API token of an account.
async fn end_access(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Password resets and disabling of administrator accounts are the console's alone: otherwise
/// one administrator could take over another's account and, with it, the other's duties.
async fn may_manage(conn: &mut AnyConnection, actor: &Actor, user_id: &str) -> Result<(), StoreError> {
    if actor.id.is_empty() || actor.id == user_id {
        return Ok(());
    }
    if roles_of(conn, user_id).await?.iter().any(|r| r.is_admin()) {
        return Err(StoreError::Refused(GrantRefusal::AdminAccount));
    }
    Ok(())
}

fn codes(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.code()).collect()
}

impl Store {
    /// Creates an account. The actor must be allowed to grant the roles asked for.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        let mut roles = new.roles.clone();
        roles.sort();
        roles.dedup();
        let id = new_id();
        if let Err(refusal) = may_grant(actor, &id, &[], &roles) {
            return Err(self.refused(actor, "users", refusal).await);
        }
        check_role_set(&roles, new.uscc.is_some())?;
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash, org_id, uscc, \
             must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&id)
        .bind(new.username.as_str())
        .bind(new.display_name.trim())
        .bind(&new.password_hash)
        .bind(&new.org_id)
        .bind(new.uscc.as_ref().map(|u| u.as_str().to_owned()))
        .bind(flag(new.must_change_password))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        write_roles(&mut tx, &id, &roles).await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("user.create", format!("user:{id}"), Outcome::Success)
                .detail(json!({"username": new.username.as_str(), "roles": codes(&roles), "org_id": new.org_id})),
        )
        .await?;
        let user = load_user(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn user(&self, id: &str) -> Result<User> {
        let mut conn = self.pool.acquire().await?;
        load_user(&mut conn, id).await
    }

    pub async fn user_by_name(&self, username: &str) -> Result<User> {
        let (id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = $1")
            .bind(username.trim().to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.user(&id).await
    }

    /// Records a refused role change and returns the refusal as the error to answer with.
    async fn refused(&self, actor: &Actor, target: &str, refusal: GrantRefusal) -> StoreError {
        let event =
            Event::new("access.denied", target, Outcome::Denied).detail(json!({"reason": format!("{refusal:?}")}));
        match self.audit(actor, event).await {
            Ok(_) => StoreError::Refused(refusal),
            Err(e) => e,
        }
    }

    /// Every account, by login name.
    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN orgs o ON o.id = u.org_id ORDER BY u.username"
        )))
        .fetch_all(&self.pool)
        .await?;
        let rows: Vec<UserRow> = crate::rows::all(rows, USER_NAMES)?;
        let role_rows: Vec<(String, String)> = crate::rows::all(
            sqlx::query("SELECT user_id, role FROM user_roles").fetch_all(&self.pool).await?,
            ["user_id", "role"],
        )?;
        rows.into_iter()
            .map(|row| {
                let mut roles: Vec<Role> =
                    role_rows.iter().filter(|(uid, _)| *uid == row.0).map(|(_, r)| role(r)).collect::<Result<_>>()?;
                roles.sort();
                Ok(user_from(row, roles))
            })
            .collect()
    }

    /// How many accounts exist (zero means a fresh installation).
    pub async fn user_count(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?;
        Ok(n)
    }

    /// Replaces an account's roles, under the separation-of-duties rules.
    pub async fn set_roles(&self, actor: &Actor, user_id: &str, roles: &[Role]) -> Result<User> {
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        let mut tx = self.begin().await?;
        // Write first: on SQLite this takes the write lock before anything is read, so a
        // concurrent writer makes this wait (busy timeout) instead of failing the upgrade.
        sqlx::query("UPDATE users SET updated_at = $1 WHERE id = $2")
            .bind(self.now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let before = load_user(&mut tx, user_id).await?;
        if let Err(refusal) = may_grant(actor, user_id, &before.roles, &roles) {
            tx.rollback().await?;
            return Err(self.refused(actor, &format!("user:{user_id}"), refusal).await);
        }
        check_role_set(&roles, before.uscc.is_some())?;
        write_roles(&mut tx, user_id, &roles).await?;
        if roles.iter().any(|r| r.is_admin() && !before.roles.contains(r)) {
            // An administrator role takes effect only through a fresh login with its second factor.
            end_access(&mut tx, user_id).await?;
        }
        audit::append(
            &mut tx,
            actor,
            Event::new("user.roles", format!("user:{user_id}"), Outcome::Success)
                .detail(json!({"before": codes(&before.roles), "after": codes(&roles)})),
        )
        .await?;
        let user = load_user(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Moves an account to another organisation (or none).
    pub async fn set_org(&self, actor: &Actor, user_id: &str, org_id: Option<&str>) -> Result<User> {
        let mut tx = self.begin().await?;
        // Another administrator's organisation is not changed by an administrator.
        if let Err(e) = may_manage(&mut tx, actor, user_id).await {
            tx.rollback().await?;
            return Err(match e {
                StoreError::Refused(r) => self.refused(actor, &format!("user:{user_id}"), r).await,
                other => other,
            });
        }
        let done = sqlx::query("UPDATE users SET org_id = $1, updated_at = $2 WHERE id = $3")
            .bind(org_id)
            .bind(self.now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &mut tx,
            actor,
            Event::new("user.org", format!("user:{user_id}"), Outcome::Success).detail(json!({"org_id": org_id})),
        )
        .await?;
        let user = load_user(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Disables or re-enables an account; disabling ends its sessions and revokes its tokens.
    pub async fn set_disabled(&self, actor: &Actor, user_id: &str, disabled: bool) -> Result<User> {
        if actor.id == user_id && disabled {
            return Err(StoreError::Invalid(xinqiao_domain::FieldError::new(
                "disabled",
                "own_account",
                "不能停用自己的账户",
            )));
        }
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET disabled = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(flag(disabled))
        .bind(self.now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if let Err(e) = may_manage(&mut tx, actor, user_id).await {
            tx.rollback().await?;
            return Err(match e {
                StoreError::Refused(r) => self.refused(actor, &format!("user:{user_id}"), r).await,
                other => other,
            });
        }
        if disabled {
            end_access(&mut tx, user_id).await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        audit::append(&mut tx, actor, Event::new(action, format!("user:{user_id}"), Outcome::Success)).await?;
        let user = load_user(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Sets a new password hash. `must_change` asks the person to choose their own at next login
    /// (used when an administrator resets it). Other sessions of the account end.
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: &str,
        password_hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        // A reset by someone else is recorded for the account holder to see at sign-in.
        let by_other = !actor.id.is_empty() && actor.id != user_id;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, \
             locked_until = NULL, updated_at = $3, \
             password_reset_by = CASE WHEN $5 = 1 THEN $6 ELSE password_reset_by END, \
             password_reset_at = CASE WHEN $5 = 1 THEN $3 ELSE password_reset_at END WHERE id = $4",
        )
        .bind(password_hash)
        .bind(flag(must_change))
        .bind(now)
        .bind(user_id)
        .bind(flag(by_other))
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if let Err(e) = may_manage(&mut tx, actor, user_id).await {
            tx.rollback().await?;
            return Err(match e {
                StoreError::Refused(r) => self.refused(actor, &format!("user:{user_id}"), r).await,
                other => other,
            });
        }
        // Tokens made with the old password end with it.
        sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        audit::append(&mut tx, actor, Event::new("user.password", format!("user:{user_id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(())
    }
}
