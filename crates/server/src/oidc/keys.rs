//! The ID-token signing keys: P-256 (ES256), apart from the CA's keys so that rotating
//! them touches neither devices nor the root partners pin. Generations live in `ca_keys`;
//! the newest signs, and the one before stays in the JWKS so that tokens signed just
//! before a rotation still verify. `tessera rotate-oidc-key` adds a generation while the
//! server runs: every signature reads the newest one from the store.
use p256::ecdsa::{Signature, signature::Signer};
use serde::Serialize;
use tessera_protocol::{SigningKey, VerifyingKey, b64_decode, b64_encode, sha256};

use crate::{
    ca::new_key,
    error::{AppError, AppResult},
    store::Store,
};

/// How many generations the JWKS lists, newest first.
const PUBLISHED_GENERATIONS: usize = 2;

/// A key's `kid`: the start of the SHA-256 of its uncompressed SEC1 form, so it names the
/// key itself and changes with it.
pub fn kid(key: &VerifyingKey) -> String {
    let bytes = key.to_sec1_point(false);
    b64_encode(&sha256(bytes.as_bytes())[..12])
}

fn load(secret: &[u8]) -> AppResult<SigningKey> {
    SigningKey::from_slice(secret)
        .map_err(|_| AppError::Internal("corrupt ID-token key in the database".into()))
}

/// The generations, oldest first; generation 1 is created when first needed.
fn generations(store: &Store) -> AppResult<Vec<(u32, Vec<u8>)>> {
    let keys = store.id_token_keys()?;
    if !keys.is_empty() {
        return Ok(keys);
    }
    // Instances starting together on an empty database may all get here: the first
    // insert wins, and every one of them reads and uses the key that won.
    store.first_id_token_key_or_insert(&new_key().to_bytes())?;
    store.id_token_keys()
}

/// Adds a generation, which signs every ID token from now on. Returns it.
pub fn rotate(store: &Store) -> AppResult<u32> {
    let generation = generations(store)?
        .last()
        .map_or(1, |(generation, _)| generation + 1);
    store.insert_id_token_key(generation, &new_key().to_bytes())?;
    Ok(generation)
}

/// The public keys to publish, newest first.
pub fn published(store: &Store) -> AppResult<Vec<VerifyingKey>> {
    generations(store)?
        .iter()
        .rev()
        .take(PUBLISHED_GENERATIONS)
        .map(|(_, secret)| load(secret).map(|key| *key.verifying_key()))
        .collect()
}

/// Signs `claims` as a JWT (RFC 7519) with the newest key: ES256, its `kid` in the header.
pub fn sign_jwt<C: Serialize>(store: &Store, claims: &C) -> AppResult<String> {
    let keys = generations(store)?;
    let (_, secret) = keys
        .last()
        .ok_or_else(|| AppError::Internal("no ID-token key".into()))?;
    let key = load(secret)?;
    let header = serde_json::json!({
        "alg": "ES256",
        "typ": "JWT",
        "kid": kid(key.verifying_key()),
    });
    let encode = |bytes: serde_json::Result<Vec<u8>>| {
        bytes
            .map(|b| b64_encode(&b))
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    let input = format!(
        "{}.{}",
        encode(serde_json::to_vec(&header))?,
        encode(serde_json::to_vec(claims))?
    );
    let signature: Signature = key.sign(input.as_bytes());
    let signature = signature.normalize_s();
    Ok(format!("{input}.{}", b64_encode(&signature.to_bytes())))
}

/// The claims of a JWT signed here, if its signature verifies under a published key;
/// for tests and the CLI.
pub fn verify_jwt(store: &Store, jwt: &str) -> AppResult<Option<serde_json::Value>> {
    use p256::ecdsa::signature::Verifier;
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    let Some(signature) = b64_decode(signature).and_then(|s| Signature::from_slice(&s).ok()) else {
        return Ok(None);
    };
    let input = format!("{header}.{payload}");
    for key in published(store)? {
        if key.verify(input.as_bytes(), &signature).is_ok() {
            return Ok(b64_decode(payload).and_then(|p| serde_json::from_slice(&p).ok()));
        }
    }
    Ok(None)
}
