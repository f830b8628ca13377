//! VAPID (RFC 8292): the server proves to the push service that it holds the key the
//! subscription was made for, with `Authorization: vapid t=<ES256 JWT>, k=<public key>`.
use base64ct::{Base64UrlUnpadded, Encoding};
use p256::ecdsa::{
    Signature, SigningKey, VerifyingKey,
    signature::{Signer, Verifier},
};
use serde::{Deserialize, Serialize};

use crate::{PushError, b64};

/// How long a JWT is valid. RFC 8292 allows at most 24 hours; push services reject a
/// claim too far ahead, so half of that leaves room for clock skew.
const VALIDITY_SECS: u64 = 12 * 3600;
/// The longest header [`verify_authorization`] parses.
const MAX_HEADER_BYTES: usize = 2048;

/// The application server's key pair and contact.
pub struct Vapid {
    key: SigningKey,
    subject: String,
}

/// The claims of a VAPID JWT (RFC 8292 §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VapidClaims {
    pub aud: String,
    pub exp: u64,
    pub sub: String,
}

impl Vapid {
    /// `secret` is the 32-byte P-256 scalar; `subject` a `mailto:` or `https:` contact
    /// for the push service's operator (Apple refuses placeholders such as localhost).
    pub fn new(secret: &[u8], subject: &str) -> Result<Self, PushError> {
        if !(subject.starts_with("mailto:") || subject.starts_with("https://")) {
            return Err(PushError::BadSubject);
        }
        // Exactly 32 bytes: from_slice would also take shorter strings, left-padded.
        if secret.len() != 32 {
            return Err(PushError::BadVapidKey);
        }
        let key = SigningKey::from_slice(secret).map_err(|_| PushError::BadVapidKey)?;
        Ok(Vapid {
            key,
            subject: subject.into(),
        })
    }

    /// A fresh random secret for [`Vapid::new`].
    pub fn generate_secret() -> [u8; 32] {
        loop {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).expect("the operating system's random source is available");
            // A random 32-byte string is a valid scalar except with negligible probability.
            if SigningKey::from_slice(&bytes).is_ok() {
                return bytes;
            }
        }
    }

    /// The public key as the browser's `applicationServerKey` wants it: the uncompressed
    /// point (65 bytes), base64url.
    pub fn public_key(&self) -> String {
        b64(self.key.verifying_key().to_sec1_point(false).as_bytes())
    }

    /// The `Authorization` header value for a request to a push service at `audience`
    /// (its origin), valid from `now` (seconds since the epoch).
    pub fn authorization(&self, audience: &str, now: u64) -> String {
        let claims = VapidClaims {
            aud: audience.into(),
            exp: now + VALIDITY_SECS,
            sub: self.subject.clone(),
        };
        let header = b64(br#"{"typ":"JWT","alg":"ES256"}"#);
        let payload = b64(&serde_json::to_vec(&claims).expect("claims serialize"));
        let input = format!("{header}.{payload}");
        let signature: Signature = self.key.sign(input.as_bytes());
        format!(
            "vapid t={input}.{}, k={}",
            b64(&signature.to_bytes()),
            self.public_key()
        )
    }
}

/// Verifies a VAPID `Authorization` header as a push service would: the key `k`, the
/// ES256 signature, `aud` equal to `audience`, `exp` after `now` and at most 24 hours
/// ahead, and a `mailto:`/`https:` subject. Returns the claims and the key `k`.
pub fn verify_authorization(
    header: &str,
    audience: &str,
    now: u64,
) -> Result<(VapidClaims, String), PushError> {
    let bad = PushError::BadAuthorization;
    if header.len() > MAX_HEADER_BYTES {
        return Err(bad("too long"));
    }
    let rest = header.strip_prefix("vapid ").ok_or(bad("scheme"))?;
    let (mut token, mut key) = (None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => token = Some(value),
            Some(("k", value)) => key = Some(value),
            _ => return Err(bad("parameter")),
        }
    }
    let (token, key) = (token.ok_or(bad("no t"))?, key.ok_or(bad("no k"))?);
    let key_bytes = Base64UrlUnpadded::decode_vec(key).map_err(|_| bad("k"))?;
    let verifying = VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| bad("k"))?;

    let (input, signature) = token.rsplit_once('.').ok_or(bad("jwt"))?;
    let (header_b64, claims_b64) = input.split_once('.').ok_or(bad("jwt"))?;
    let signature = Base64UrlUnpadded::decode_vec(signature).map_err(|_| bad("signature"))?;
    let signature = Signature::from_slice(&signature).map_err(|_| bad("signature"))?;
    verifying
        .verify(input.as_bytes(), &signature)
        .map_err(|_| bad("signature"))?;

    let jose: serde_json::Value =
        serde_json::from_slice(&Base64UrlUnpadded::decode_vec(header_b64).map_err(|_| bad("jwt"))?)
            .map_err(|_| bad("jwt"))?;
    if jose["alg"] != "ES256" {
        return Err(bad("alg"));
    }
    let claims: VapidClaims =
        serde_json::from_slice(&Base64UrlUnpadded::decode_vec(claims_b64).map_err(|_| bad("jwt"))?)
            .map_err(|_| bad("claims"))?;
    if claims.aud != audience {
        return Err(bad("aud"));
    }
    if claims.exp <= now || claims.exp > now + 24 * 3600 {
        return Err(bad("exp"));
    }
    if !(claims.sub.starts_with("mailto:") || claims.sub.starts_with("https://")) {
        return Err(bad("sub"));
    }
    Ok((claims, key.into()))
}
