//! Accounts' one service, under the admin pages (`/admin/users`) and `/api/v1/users`: typed input
//! (serde forms on both doors), the caller's duties checked here (系统管理员 manages accounts,
//! 安全管理员 grants roles), every field validated before the first change, then the store.

use crate::AppState;
use crate::auth::{password, policy};
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::{Permission, Role};
use xinqiao_domain::ids::{Uscc, Username};
use xinqiao_store::users::{NewUser, User};

/// A new account, as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    pub display_name: String,
    /// Initial password; the person must change it at first login.
    pub password: String,
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub uscc: Option<String>,
    /// Role codes: enterprise, officer, supervisor, reviewer, sysadmin, secadmin, auditadmin.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A change of an account: each part given is checked against the caller's duties.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// The complete new set of role codes.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// An organisation id; the empty string removes the account from its organisation.
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

fn parse_roles(codes: &[String]) -> Result<Vec<Role>, FieldError> {
    codes.iter().map(|c| Role::parse(c)).collect()
}

fn target(id: &str) -> String {
    format!("user:{id}")
}

/// Every account (系统管理员, 安全管理员).
pub async fn list(state: &AppState, caller: &Caller<'_>) -> Result<Vec<User>, AppError> {
    caller.require(state, Permission::ListUsers, "users").await?;
    Ok(state.store.list_users().await?)
}

/// One account.
pub async fn get(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<User, AppError> {
    caller.require(state, Permission::ListUsers, &target(id)).await?;
    Ok(state.store.user(id).await?)
}

/// Creates an account (系统管理员; administrator roles only by 安全管理员, which the store
/// refuses): every field is checked first and all errors are returned together.
pub async fn create(state: &AppState, caller: &Caller<'_>, input: CreateUser) -> Result<User, AppError> {
    caller.require(state, Permission::ManageUsers, "users").await?;
    let mut errors = Vec::new();
    let username = Username::parse(&input.username).map_err(|e| errors.push(e)).ok();
    let display_name = input.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 32 {
        errors.push(FieldError::new("display_name", "bad_length", "姓名应为1至32个字符"));
    }
    let uscc = match input.uscc.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Uscc::parse(text).map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    let roles = parse_roles(&input.roles).map_err(|e| errors.push(e)).unwrap_or_default();
    if let Err(e) = policy(state).await.check_password(&input.password, input.username.trim()) {
        errors.push(e);
    }
    let Some(username) = username.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let password_hash = password::hash(input.password).await?;
    let org_id = input.org_id.filter(|s| !s.is_empty());
    let new = NewUser { username, display_name, password_hash, org_id, uscc, roles, must_change_password: true };
    Ok(state.store.create_user(&caller.actor(), new).await?)
}

/// Changes an account's roles, organisation or status. Roles need 系统管理员 or 安全管理员
/// (the store refuses administrator roles to the former); organisation and status need
/// 系统管理员. Nothing is changed when any part is refused or invalid.
pub async fn update(state: &AppState, caller: &Caller<'_>, id: &str, change: UpdateUser) -> Result<User, AppError> {
    let target = target(id);
    caller.require(state, Permission::ListUsers, &target).await?;
    if change.org_id.is_some() || change.disabled.is_some() {
        caller.require(state, Permission::ManageUsers, &target).await?;
    }
    let roles = change.roles.as_deref().map(parse_roles).transpose().map_err(|e| AppError::Validation(vec![e]))?;
    if roles.is_some() && !caller.can(Permission::ManageUsers) {
        caller.require(state, Permission::GrantRoles, &target).await?;
    }
    // Everything that can be checked is checked before the first change.
    state.store.user(id).await?;
    let org = change.org_id.as_deref().map(|o| Some(o).filter(|s| !s.is_empty()));
    if let Some(Some(org_id)) = org {
        state.store.org(org_id).await.map_err(|_| AppError::field("org_id", "unknown_org", "所属机构不存在"))?;
    }
    let actor = caller.actor();
    if let Some(roles) = roles {
        state.store.set_roles(&actor, id, &roles).await?;
    }
    if let Some(org) = org {
        state.store.set_org(&actor, id, org).await?;
    }
    if let Some(disabled) = change.disabled {
        state.store.set_disabled(&actor, id, disabled).await?;
    }
    Ok(state.store.user(id).await?)
}

/// Sets a temporary password on someone else's account (系统管理员); its holder must change
/// it at the next login.
pub async fn reset_password(state: &AppState, caller: &Caller<'_>, id: &str, new: &str) -> Result<(), AppError> {
    caller.require(state, Permission::ManageUsers, &target(id)).await?;
    if id == caller.user().id {
        return Err(AppError::field("password", "own_account", "请在“账户安全”中修改自己的密码"));
    }
    let account = state.store.user(id).await?;
    policy(state).await.check_password(new, &account.username).map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash(new.to_owned()).await?;
    state.store.set_password(&caller.actor(), id, &hash, true, None).await?;
    Ok(())
}

/// Clears an account's second factor (安全管理员); it binds a new one at the next login.
pub async fn reset_totp(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<(), AppError> {
    caller.require(state, Permission::ManageSecurityPolicy, &target(id)).await?;
    // An unknown account is not found, never a reset audited as done.
    state.store.user(id).await?;
    state.store.set_totp_secret(&caller.actor(), id, None).await?;
    Ok(())
}

/// A new bureau in the hierarchy, as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrg {
    /// GB/T 2260 six-digit code; a child's lies inside its parent's.
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub name: String,
    /// The parent bureau's id (none or blank: a root).
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// Adds a bureau (系统管理员). A taken region code is told under its field.
pub async fn create_org(
    state: &AppState,
    caller: &Caller<'_>,
    input: CreateOrg,
) -> Result<xinqiao_store::orgs::Org, AppError> {
    caller.require(state, Permission::ManageSettings, "orgs").await?;
    let region = xinqiao_domain::ids::RegionCode::parse(&input.region_code)?;
    let parent = input.parent_id.as_deref().filter(|p| !p.is_empty());
    match state.store.create_org(&caller.actor(), &region, &input.name, parent).await {
        Ok(org) => Ok(org),
        Err(xinqiao_store::StoreError::Conflict(c)) => {
            let message = crate::error::conflict_message(&c);
            Err(AppError::Validation(vec![FieldError::new("region_code", "taken", message)]))
        }
        Err(e) => Err(e.into()),
    }
}

/// The account-security policy (安全管理员).
pub async fn security_policy(
    state: &AppState,
    caller: &Caller<'_>,
) -> Result<xinqiao_domain::accounts::SecurityPolicy, AppError> {
    caller.require(state, Permission::ManageSecurityPolicy, "setting:security_policy").await?;
    Ok(policy(state).await)
}

/// Replaces the account-security policy within the bounds the domain allows (安全管理员); it
/// takes effect at once.
pub async fn set_security_policy(
    state: &AppState,
    caller: &Caller<'_>,
    proposed: xinqiao_domain::accounts::SecurityPolicy,
) -> Result<(), AppError> {
    caller.require(state, Permission::ManageSecurityPolicy, "setting:security_policy").await?;
    proposed.validate().map_err(|e| AppError::Validation(vec![e]))?;
    state.store.put_setting(&caller.actor(), xinqiao_store::settings::SECURITY_POLICY, &proposed).await?;
    Ok(())
}
