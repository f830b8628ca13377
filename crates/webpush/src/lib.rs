//! The sending side of Web Push, without OpenSSL and without an HTTP client:
//! * which endpoints a server may call at all ([`EndpointPolicy`]): a subscription's
//!   endpoint comes from the browser, so it is an SSRF vector unless restricted to the
//!   known push services;
//! * the VAPID authorization (RFC 8292), an ES256 JWT signed with `p256` ([`Vapid`]), and
//!   its verification for test push services ([`verify_authorization`]);
//! * the RFC 8030 request with the payload encrypted per RFC 8291 (`aes128gcm`, RFC 8188),
//!   and what the push service's answer means ([`Outcome`]).
//!
//! Sending the request is the caller's job (the server uses hyper), so this crate stays
//! pure and testable.
mod endpoint;
mod message;
mod vapid;

pub use endpoint::{EndpointPolicy, check_endpoint};
pub use message::{Message, Outcome, Urgency, build_request};
pub use vapid::{Vapid, VapidClaims, verify_authorization};
/// For test push services: the RFC 8291 decryption with the subscription's private key.
pub use web_push_native::{Auth, decrypt, p256 as ecdh_p256};

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::{Deserialize, Serialize};

/// Why a subscription, key or request was refused. The messages never contain secrets.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PushError {
    #[error("the push endpoint is not a URL this server may call: {0}")]
    EndpointRefused(&'static str),
    #[error("the subscription's key {0} is malformed")]
    BadKey(&'static str),
    #[error("the subscription is not the JSON of PushSubscription.toJSON()")]
    BadSubscription,
    #[error("the VAPID subject must be a mailto: or https: URL")]
    BadSubject,
    #[error("the VAPID private key is not a P-256 scalar")]
    BadVapidKey,
    #[error("the VAPID authorization is invalid: {0}")]
    BadAuthorization(&'static str),
    #[error("the topic must be 1 to 32 base64url characters")]
    BadTopic,
    #[error("the payload is too large for one push message ({0} bytes)")]
    PayloadTooLarge(usize),
    #[error("encryption failed")]
    Encryption,
}

/// A browser's push subscription as `PushSubscription.toJSON()` gives it (RFC 8291 keys
/// base64url). Constructed only through [`Subscription::parse`], so every stored one has
/// an allowed endpoint and well-formed keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscription {
    pub endpoint: String,
    /// The browser's ECDH public key: 65 bytes, uncompressed P-256 point.
    pub p256dh: String,
    /// The 16-byte authentication secret.
    pub auth: String,
}

#[derive(Deserialize)]
struct SubscriptionJson {
    endpoint: String,
    keys: KeysJson,
}

#[derive(Deserialize)]
struct KeysJson {
    p256dh: String,
    auth: String,
}

impl Subscription {
    /// Parses and checks `PushSubscription.toJSON()` (extra fields such as
    /// `expirationTime` are ignored).
    pub fn parse(json: &serde_json::Value, policy: EndpointPolicy) -> Result<Self, PushError> {
        let raw: SubscriptionJson =
            serde_json::from_value(json.clone()).map_err(|_| PushError::BadSubscription)?;
        Self::new(raw.endpoint, raw.keys.p256dh, raw.keys.auth, policy)
    }

    /// Checks the three parts; see [`Subscription::parse`].
    pub fn new(
        endpoint: String,
        p256dh: String,
        auth: String,
        policy: EndpointPolicy,
    ) -> Result<Self, PushError> {
        check_endpoint(&endpoint, policy)?;
        let sub = Subscription {
            endpoint,
            p256dh,
            auth,
        };
        sub.ua_public()?;
        sub.ua_auth()?;
        Ok(sub)
    }

    pub(crate) fn ua_public(&self) -> Result<web_push_native::p256::PublicKey, PushError> {
        let bytes = decode(&self.p256dh, 65).ok_or(PushError::BadKey("p256dh"))?;
        if bytes[0] != 4 {
            return Err(PushError::BadKey("p256dh"));
        }
        web_push_native::p256::PublicKey::from_sec1_bytes(&bytes)
            .map_err(|_| PushError::BadKey("p256dh"))
    }

    pub(crate) fn ua_auth(&self) -> Result<Auth, PushError> {
        let bytes = decode(&self.auth, 16).ok_or(PushError::BadKey("auth"))?;
        Ok(Auth::clone_from_slice(&bytes))
    }
}

/// Base64url without padding, as Web Push and JWTs use it.
pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes base64url (without padding) of exactly `len` bytes.
fn decode(text: &str, len: usize) -> Option<Vec<u8>> {
    // Bounded before decoding: the text comes from a client.
    if text.len() > len.div_ceil(3) * 4 {
        return None;
    }
    let bytes = Base64UrlUnpadded::decode_vec(text).ok()?;
    (bytes.len() == len).then_some(bytes)
}
