//! Password hashing with argon2id (memory-hard). Hashing runs on the blocking pool so a login
//! never stalls the async workers.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::error::{ApiError, ApiResult};

pub async fn hash(password: &str) -> ApiResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing failed: {e}")))
    })
    .await
    .map_err(ApiError::internal)?
}

/// True when `password` matches the stored PHC string.
pub async fn verify(password: &str, stored: &str) -> bool {
    let password = password.to_owned();
    let stored = stored.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Verifies against a real hash of nothing, so an unknown email costs as much time as a
/// wrong password and the two cannot be told apart by timing.
pub async fn burn_time(password: &str) {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    if let Ok(dummy) = DUMMY
        .get_or_try_init(|| hash("switchboard-dummy-password"))
        .await
    {
        let _ = verify(password, dummy).await;
    }
}
