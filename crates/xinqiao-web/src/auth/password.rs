//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes), run off the
//! async threads because it is slow on purpose.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A PHC string (`$argon2id$v=19$…`) for `password`.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&xinqiao_store::random_bytes::<16>())
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

/// True when `password` matches the stored PHC string; false for any malformed hash.
pub fn verify_blocking(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// At most this many Argon2 computations run at once (19 MiB each): a flood of logins queues
/// instead of exhausting memory, and parallel guessing gains nothing.
static ARGON2_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

pub async fn hash(password: String) -> Result<String, AppError> {
    let _slot = ARGON2_SLOTS.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Verifies off the async threads. With `None` (an unknown login name) a fixed hash is checked
/// so that unknown names take as long as known ones.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";
    let Ok(_slot) = ARGON2_SLOTS.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let ok = verify_blocking(&password, phc.as_deref().unwrap_or(DUMMY));
        ok && phc.is_some()
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_blocking("Xinqiao-2026").unwrap();
        let b = hash_blocking("Xinqiao-2026").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_blocking("Xinqiao-2026", &a));
        assert!(!verify_blocking("xinqiao-2026", &a));
        assert!(!verify_blocking("Xinqiao-2026", "not a hash"));
    }
}
