//! Shared fixtures for the store tests.

use xinqiao_domain::accounts::Role;
use xinqiao_domain::ids::Username;
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::users::{NewUser, User};

/// Declares one test per backend: `NAME::sqlite` and `NAME::postgres` (the latter passes
/// trivially, with a note, when no PostgreSQL server is configured).
#[macro_export]
macro_rules! backend_test {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: xinqiao_store::testing::TestDb) {
                $body
            }

            #[tokio::test]
            async fn sqlite() {
                let db = xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Sqlite).await.unwrap();
                run(db).await;
            }

            #[tokio::test]
            async fn postgres() {
                match xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Postgres).await {
                    Some(db) => run(db).await,
                    None => eprintln!("XINQIAO_TEST_PG not set: PostgreSQL variant skipped"),
                }
            }
        }
    };
}

pub fn admin_actor(user: &User) -> Actor {
    Actor {
        id: user.id.clone(),
        name: user.username.clone(),
        roles: user.roles.clone(),
        client_addr: "127.0.0.1".into(),
    }
}

/// Creates an account from the console with the given roles.
pub async fn user_with(store: &Store, name: &str, roles: &[Role]) -> User {
    store
        .create_user(
            &Actor::console(),
            NewUser {
                username: Username::parse(name).unwrap(),
                display_name: format!("测试{name}"),
                password_hash: "$argon2id$placeholder".into(),
                org_id: None,
                uscc: None,
                roles: roles.to_vec(),
                must_change_password: false,
            },
        )
        .await
        .unwrap()
}
