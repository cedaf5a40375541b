//! Roles, permissions and the security policy of accounts (等级保护 2.0 level 3 baselines).
//!
//! The three administrator roles are separated: 系统管理员 runs users and settings, 安全管理员
//! sets security policy and grants roles, 审计管理员 only reads the audit trail. No account
//! changes its own roles, and no account holds two administrator roles or mixes one with
//! business work.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every role an account can hold. The public needs no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 企业用户: bound to one 统一社会信用代码.
    Enterprise,
    /// 客户体验官.
    Officer,
    /// 主管.
    Supervisor,
    /// 评审员 (qualification assessments).
    Reviewer,
    /// 系统管理员.
    SysAdmin,
    /// 安全管理员.
    SecAdmin,
    /// 审计管理员.
    AuditAdmin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Enterprise,
        Role::Officer,
        Role::Supervisor,
        Role::Reviewer,
        Role::SysAdmin,
        Role::SecAdmin,
        Role::AuditAdmin,
    ];

    /// The stable code used in the database, the API and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            Role::Enterprise => "enterprise",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Reviewer => "reviewer",
            Role::SysAdmin => "sysadmin",
            Role::SecAdmin => "secadmin",
            Role::AuditAdmin => "auditadmin",
        }
    }

    /// The role's name as people in a bureau say it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Enterprise => "企业用户",
            Role::Officer => "客户体验官",
            Role::Supervisor => "主管",
            Role::Reviewer => "评审员",
            Role::SysAdmin => "系统管理员",
            Role::SecAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
        }
    }

    pub fn parse(code: &str) -> Result<Self, FieldError> {
        let code = code.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code || r.label() == code)
            .ok_or_else(|| FieldError::new("roles", "unknown_role", format!("未知角色：{code}")))
    }

    pub fn is_admin(self) -> bool {
        matches!(self, Role::SysAdmin | Role::SecAdmin | Role::AuditAdmin)
    }

    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Enterprise => &[EnterprisePortal],
            Role::Officer => &[HandleCases],
            Role::Supervisor => &[HandleCases, SuperviseCases],
            Role::Reviewer => &[ReviewQualifications],
            Role::SysAdmin => &[ListUsers, ManageUsers, ManageSettings],
            Role::SecAdmin => &[ListUsers, GrantRoles, ManageSecurityPolicy],
            Role::AuditAdmin => &[ReadAudit],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a role allows. Handlers ask for a permission, never for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See and answer the complaints about one's own enterprise (masked, never the complainant).
    EnterprisePortal,
    HandleCases,
    SuperviseCases,
    ReviewQualifications,
    ListUsers,
    /// Create and disable accounts, assign organisations and business roles.
    ManageUsers,
    ManageSettings,
    /// Grant and revoke any role, administrator roles included.
    GrantRoles,
    ManageSecurityPolicy,
    ReadAudit,
}

/// True when any of `roles` carries `perm`.
pub fn allows(roles: &[Role], perm: Permission) -> bool {
    roles.iter().any(|r| r.permissions().contains(&perm))
}

/// True when any of `roles` must present a second factor at login.
pub fn needs_second_factor(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.is_admin())
}

/// Checks that a set of roles may be held together by one account.
pub fn check_role_set(roles: &[Role], has_uscc: bool) -> Result<(), FieldError> {
    let admins = roles.iter().filter(|r| r.is_admin()).count();
    if admins > 1 {
        return Err(FieldError::new(
            "roles",
            "admin_roles_combined",
            "系统管理员、安全管理员、审计管理员须由不同账户担任（三员分立）",
        ));
    }
    if admins == 1 && roles.len() > 1 {
        return Err(FieldError::new("roles", "admin_with_business_role", "管理员账户不能同时担任业务角色"));
    }
    if roles.contains(&Role::Enterprise) {
        if roles.len() > 1 {
            return Err(FieldError::new("roles", "enterprise_with_staff_role", "企业用户不能同时担任监管部门的角色"));
        }
        if !has_uscc {
            return Err(FieldError::new("uscc", "uscc_required", "企业用户须绑定一个统一社会信用代码"));
        }
    }
    Ok(())
}

/// Why a role change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GrantRefusal {
    #[error("不能修改自己的角色")]
    OwnRoles,
    #[error("只有安全管理员可以授予或撤销管理员角色")]
    AdminRoleNeedsSecAdmin,
    #[error("没有分配角色的权限")]
    NoPermission,
    #[error("管理员账户的密码重置与启停只能在服务器控制台（xinqiao user …）办理")]
    AdminAccount,
}

/// Decides whether `actor` (holding `actor_roles`) may change `target`'s roles from `before` to
/// `after`. Only the difference matters: roles that stay are not re-checked.
pub fn check_grant(
    actor_id: &str,
    actor_roles: &[Role],
    target_id: &str,
    before: &[Role],
    after: &[Role],
) -> Result<(), GrantRefusal> {
    if actor_id == target_id {
        return Err(GrantRefusal::OwnRoles);
    }
    let changed = before.iter().filter(|r| !after.contains(r)).chain(after.iter().filter(|r| !before.contains(r)));
    let mut touches_admin = false;
    let mut touches_any = false;
    for r in changed {
        touches_any = true;
        touches_admin |= r.is_admin();
    }
    if !touches_any || allows(actor_roles, Permission::GrantRoles) {
        return Ok(());
    }
    if touches_admin {
        return Err(GrantRefusal::AdminRoleNeedsSecAdmin);
    }
    if allows(actor_roles, Permission::ManageUsers) { Ok(()) } else { Err(GrantRefusal::NoPermission) }
}

/// The account-security policy. 安全管理员 may tighten it within the bounds of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityPolicy {
    pub min_password_len: u32,
    pub min_char_classes: u32,
    pub max_failed_logins: u32,
    pub lock_minutes: u32,
    pub idle_timeout_minutes: u32,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Self {
            min_password_len: 10,
            min_char_classes: 3,
            max_failed_logins: 5,
            lock_minutes: 15,
            idle_timeout_minutes: 30,
        }
    }
}

impl SecurityPolicy {
    /// Rejects values weaker than the level-3 baseline or beyond usefulness.
    pub fn validate(&self) -> Result<(), FieldError> {
        let check = |ok: bool, field, msg: &str| {
            if ok { Ok(()) } else { Err(FieldError::new(field, "out_of_range", msg)) }
        };
        check((10..=64).contains(&self.min_password_len), "min_password_len", "密码最短长度应在10至64之间")?;
        check((3..=4).contains(&self.min_char_classes), "min_char_classes", "字符类别数应为3或4")?;
        check((3..=10).contains(&self.max_failed_logins), "max_failed_logins", "连续失败次数上限应在3至10之间")?;
        check((5..=1440).contains(&self.lock_minutes), "lock_minutes", "锁定时长应在5至1440分钟之间")?;
        check((5..=30).contains(&self.idle_timeout_minutes), "idle_timeout_minutes", "空闲超时应在5至30分钟之间")
    }

    /// Checks a new password against the policy; the message says what is missing.
    pub fn check_password(&self, password: &str, username: &str) -> Result<(), FieldError> {
        let len = password.chars().count();
        if len < self.min_password_len as usize {
            return Err(FieldError::new(
                "password",
                "too_short",
                format!("密码至少需要{}个字符", self.min_password_len),
            ));
        }
        if len > 128 {
            return Err(FieldError::new("password", "too_long", "密码不能超过128个字符"));
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if classes < self.min_char_classes as usize {
            return Err(FieldError::new(
                "password",
                "too_few_classes",
                format!("密码须包含小写字母、大写字母、数字、符号中的至少{}类", self.min_char_classes),
            ));
        }
        if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
            return Err(FieldError::new("password", "contains_username", "密码不能包含用户名"));
        }
        Ok(())
    }

    pub fn idle_timeout_ms(&self) -> i64 {
        i64::from(self.idle_timeout_minutes) * 60_000
    }

    pub fn lock_ms(&self) -> i64 {
        i64::from(self.lock_minutes) * 60_000
    }

    /// How long one name from one client must wait before its next sign-in attempt after
    /// `failures` wrong ones in a row: nothing below `max_failed_logins`, then 30 seconds,
    /// doubling with each further failure up to `lock_minutes`. Throttling (name, client) pairs,
    /// rather than locking the account, means nobody can lock someone else out.
    pub fn throttle_ms(&self, failures: u32) -> Option<i64> {
        let over = failures.checked_sub(self.max_failed_logins)?;
        let delay = 30_000i64.saturating_mul(1i64 << over.min(20));
        Some(delay.min(self.lock_ms()))
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::*;

    #[test]
    fn throttling_grows_and_stops_at_the_lock_time() {
        let p = SecurityPolicy::default();
        assert_eq!(p.throttle_ms(4), None);
        assert_eq!(p.throttle_ms(5), Some(30_000));
        assert_eq!(p.throttle_ms(6), Some(60_000));
        assert_eq!(p.throttle_ms(8), Some(240_000));
        assert_eq!(p.throttle_ms(9), Some(480_000));
        assert_eq!(p.throttle_ms(10), Some(p.lock_ms()), "capped at 15 minutes");
        assert_eq!(p.throttle_ms(u32::MAX), Some(p.lock_ms()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()).unwrap(), r);
            assert_eq!(Role::parse(r.label()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn admin_duties_are_separated() {
        assert!(allows(&[Role::SysAdmin], Permission::ManageUsers));
        assert!(!allows(&[Role::SysAdmin], Permission::ReadAudit));
        assert!(!allows(&[Role::SysAdmin], Permission::GrantRoles));
        assert!(!allows(&[Role::SecAdmin], Permission::ReadAudit));
        assert!(!allows(&[Role::SecAdmin], Permission::ManageUsers));
        assert!(!allows(&[Role::AuditAdmin], Permission::ListUsers));
        assert_eq!(
            check_role_set(&[Role::SysAdmin, Role::AuditAdmin], false).unwrap_err().code,
            "admin_roles_combined"
        );
        assert_eq!(
            check_role_set(&[Role::SysAdmin, Role::Officer], false).unwrap_err().code,
            "admin_with_business_role"
        );
        assert_eq!(check_role_set(&[Role::Enterprise], false).unwrap_err().code, "uscc_required");
        assert!(check_role_set(&[Role::Officer, Role::Reviewer], false).is_ok());
    }

    #[test]
    fn grant_rules() {
        let sys = [Role::SysAdmin];
        let sec = [Role::SecAdmin];
        assert_eq!(check_grant("a", &sys, "a", &[], &[Role::Officer]), Err(GrantRefusal::OwnRoles));
        assert_eq!(check_grant("a", &sec, "a", &[Role::SecAdmin], &[]), Err(GrantRefusal::OwnRoles));
        assert!(check_grant("a", &sys, "b", &[], &[Role::Officer]).is_ok());
        assert_eq!(check_grant("a", &sys, "b", &[], &[Role::AuditAdmin]), Err(GrantRefusal::AdminRoleNeedsSecAdmin));
        assert!(check_grant("a", &sec, "b", &[], &[Role::AuditAdmin]).is_ok());
        assert_eq!(check_grant("a", &[Role::AuditAdmin], "b", &[], &[Role::Officer]), Err(GrantRefusal::NoPermission));
        // Unchanged roles need no permission at all.
        assert!(check_grant("a", &[], "b", &[Role::Officer], &[Role::Officer]).is_ok());
    }

    #[test]
    fn password_policy() {
        let p = SecurityPolicy::default();
        assert_eq!(p.check_password("Short1!", "x").unwrap_err().code, "too_short");
        assert_eq!(p.check_password("alllowercase", "x").unwrap_err().code, "too_few_classes");
        assert_eq!(p.check_password("Wangwu2026x", "wangwu").unwrap_err().code, "contains_username");
        assert!(p.check_password("Xinqiao-2026", "officer").is_ok());
        assert!(p.check_password("心桥心桥abcD1234", "officer").is_ok());
    }

    #[test]
    fn policy_bounds() {
        assert!(SecurityPolicy::default().validate().is_ok());
        let weak = SecurityPolicy { min_password_len: 6, ..Default::default() };
        assert_eq!(weak.validate().unwrap_err().field, "min_password_len");
    }
}
