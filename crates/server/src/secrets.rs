//! Random identifiers, tokens and the hashing of stored secrets.
use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use tessera_protocol::{b64_encode, sha256};

use crate::error::{AppError, AppResult};

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source failing is unrecoverable for a security server.
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    bytes
}

/// A random, URL-safe identifier with 128 bits of entropy.
pub fn random_id() -> String {
    b64_encode(&random_bytes::<16>())
}

/// A random bearer token with 256 bits of entropy; only its SHA-256 is stored.
pub fn random_token() -> (String, [u8; 32]) {
    let token = b64_encode(&random_bytes::<32>());
    let hash = sha256(token.as_bytes());
    (token, hash)
}

/// Argon2id (RFC 9106 defaults of the argon2 crate) for passwords, PINs and codes:
/// secrets with little entropy that must not fall to an offline search of a stolen
/// database. Slow on purpose: callers run it on the blocking pool.
pub fn hash_secret(secret: &str) -> AppResult<String> {
    let salt = SaltString::encode_b64(&random_bytes::<16>())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Runs Argon2 work off the async threads.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}
