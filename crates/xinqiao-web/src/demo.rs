//! The demo organisation: a city bureau with three district bureaus (GB/T 2260 codes) and one
//! account of every role, with generated passwords that are printed once.

use crate::auth::password;
use crate::error::AppError;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::{RegionCode, Uscc, Username};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::NewUser;

/// One demo account's login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: Role,
    pub username: String,
    pub password: String,
    pub org: String,
}

const CITY: (&str, &str) = ("320500", "苏州市市场监督管理局");
const DISTRICTS: [(&str, &str); 3] =
    [("320508", "姑苏区市场监督管理局"), ("320506", "吴中区市场监督管理局"), ("320507", "相城区市场监督管理局")];

/// A password that meets the default policy: 16 characters from four classes.
pub fn generate_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const SYMBOL: &[u8] = b"-_.!@#";
    let bytes = xinqiao_store::random_bytes::<16>();
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let set = [LOWER, UPPER, DIGIT, SYMBOL][if i < 4 { i } else { usize::from(*b) % 3 }];
            set[usize::from(*b) % set.len()] as char
        })
        .collect()
}

/// Creates the demo organisation and accounts in an empty database.
pub async fn seed(store: &Store) -> Result<Vec<DemoLogin>, AppError> {
    let console = Actor::console();
    let city = store.create_org(&console, &RegionCode::parse(CITY.0)?, CITY.1, None).await?;
    let mut districts = Vec::new();
    for (code, name) in DISTRICTS {
        districts.push(store.create_org(&console, &RegionCode::parse(code)?, name, Some(&city.id)).await?);
    }
    let people = [
        (Role::SysAdmin, "sysadmin", "周系统", &city),
        (Role::SecAdmin, "secadmin", "吴安全", &city),
        (Role::AuditAdmin, "auditor", "郑审计", &city),
        (Role::Supervisor, "supervisor", "王主管", &districts[0]),
        (Role::Officer, "officer", "李体验", &districts[0]),
        (Role::Reviewer, "reviewer", "陈评审", &city),
        (Role::Enterprise, "enterprise", "姑苏示例餐饮有限公司", &districts[0]),
    ];
    let mut logins = Vec::new();
    for (role, username, name, org) in people {
        let pw = generate_password();
        let uscc =
            (role == Role::Enterprise).then(|| Uscc::with_check_char("91320508MA1XQ0001").expect("valid symbols"));
        let new = NewUser {
            username: Username::parse(username)?,
            display_name: name.to_owned(),
            password_hash: password::hash(pw.clone()).await?,
            org_id: Some(org.id.clone()),
            uscc,
            roles: vec![role],
            must_change_password: false,
        };
        store.create_user(&console, new).await?;
        logins.push(DemoLogin { role, username: username.to_owned(), password: pw, org: org.name.clone() });
    }
    Ok(logins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xinqiao_domain::accounts::SecurityPolicy;

    #[test]
    fn generated_passwords_meet_the_policy() {
        for _ in 0..200 {
            let p = generate_password();
            assert_eq!(p.chars().count(), 16);
            SecurityPolicy::default().check_password(&p, "sysadmin").unwrap();
        }
    }
}
