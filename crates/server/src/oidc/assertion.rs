//! `private_key_jwt` (OpenID Connect Core §9, RFC 7523): the client signs a short JWT with
//! a key whose public half it registered (a JWKS of P-256 keys), instead of sending a
//! secret. ES256 only; the key comes from the registration, never from the JWT's header;
//! each assertion is accepted once (its `jti` is kept until it expires).
use p256::ecdsa::{Signature, VerifyingKey, signature::Verifier};
use serde::Deserialize;
use tessera_protocol::b64_decode;

use crate::{
    error::{AppError, AppResult},
    store::{OidcClientRow, Store},
};

/// `client_assertion_type` of a JWT assertion (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The longest an assertion may live: Authlib, for one, signs them for an hour.
const MAX_LIFETIME_SECS: u64 = 3600;
const CLOCK_SKEW_SECS: u64 = 60;

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

/// The P-256 keys of a registered JWKS, with their `kid`s; other keys are left out.
fn p256_keys(jwks: &str) -> Vec<(Option<String>, VerifyingKey)> {
    let Ok(set) = serde_json::from_str::<Jwks>(jwks) else {
        return Vec::new();
    };
    set.keys
        .into_iter()
        .filter(|k| k.kty == "EC" && k.crv.as_deref() == Some("P-256"))
        .filter_map(|k| {
            let mut sec1 = vec![4u8];
            for coordinate in [k.x.as_deref()?, k.y.as_deref()?] {
                let bytes = b64_decode(coordinate)?;
                // RFC 7518 §6.2.1.2 wants all 32 bytes, but some libraries (Authlib 1.9)
                // drop leading zeros: the number is the same, so pad it back.
                if bytes.is_empty() || bytes.len() > 32 {
                    return None;
                }
                sec1.extend(std::iter::repeat_n(0, 32 - bytes.len()));
                sec1.extend(bytes);
            }
            Some((k.kid, VerifyingKey::from_sec1_bytes(&sec1).ok()?))
        })
        .collect()
}

/// Whether a JWKS may be registered: it holds at least one P-256 key.
pub fn usable_jwks(jwks: &str) -> bool {
    !p256_keys(jwks).is_empty()
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: Audience,
    exp: u64,
    jti: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn names_any(&self, wanted: &[String]) -> bool {
        match self {
            Audience::One(aud) => wanted.contains(aud),
            Audience::Many(list) => list.iter().any(|aud| wanted.contains(aud)),
        }
    }
}

fn refused() -> AppError {
    AppError::oauth("invalid_client", "client authentication failed")
}

fn part<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    b64_decode(text)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(refused)
}

/// The client whose registered key signed `assertion` for one of `audiences`, at `now`.
pub fn authenticate(
    store: &Store,
    assertion: &str,
    client_id: Option<&str>,
    audiences: &[String],
    now: u64,
) -> AppResult<OidcClientRow> {
    let mut parts = assertion.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refused());
    };
    let head: Header = part(header)?;
    let claims: Claims = part(payload)?;
    if head.alg != "ES256"
        || claims.iss != claims.sub
        || client_id.is_some_and(|id| id != claims.sub)
        || !claims.aud.names_any(audiences)
        || claims.exp + CLOCK_SKEW_SECS <= now
        || claims.exp > now + MAX_LIFETIME_SECS + CLOCK_SKEW_SECS
        || claims.jti.is_empty()
        || claims.jti.len() > 256
    {
        return Err(refused());
    }
    let client = store.oidc_client(&claims.sub)?.ok_or_else(refused)?;
    let keys = client.jwks.as_deref().map(p256_keys).unwrap_or_default();
    let signature = b64_decode(signature)
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or_else(refused)?;
    let input = format!("{header}.{payload}");
    let signed = keys
        .iter()
        .filter(|(kid, _)| head.kid.is_none() || kid == &head.kid)
        .any(|(_, key)| key.verify(input.as_bytes(), &signature).is_ok());
    if !signed {
        return Err(refused());
    }
    // Once only: a replayed assertion is refused like a forged one.
    if !store.use_oidc_assertion(&client.id, &claims.jti, claims.exp + CLOCK_SKEW_SECS, now)? {
        return Err(refused());
    }
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::usable_jwks;

    #[test]
    fn a_jwks_needs_a_p256_key() {
        // As Authlib's JsonWebKey.generate_key("EC", "P-256") writes one.
        let authlib = r#"{"keys": [{"crv": "P-256", "x": "T-Dw6_tzyCAYgesQjdyfrl1qVsz4uXUxx1N9URbv7O4", "y": "fWeREUP9Rd46V5RCWV2-7NNMx62md0pcO75VlbB6lg4", "kty": "EC", "kid": "87KO-1x4yozWwvvKI9RBgce1B08U4buEqX4bfzFbhMs"}]}"#;
        assert!(usable_jwks(authlib));
        // Authlib drops a coordinate's leading zero byte (31 bytes here): still the key.
        let short = r#"{"keys": [{"crv": "P-256", "x": "wzdgPWygxm96gH4AKzs_Q6eIr8VSmAq54tWZFabFSA", "y": "jSr6u6UuLFgq7-U-IRZ_txBd64uLxK9GZMinBN761vs", "kty": "EC"}]}"#;
        assert!(usable_jwks(short));
        assert!(!usable_jwks(
            r#"{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}"#
        ));
        assert!(!usable_jwks("not json"));
    }
}
