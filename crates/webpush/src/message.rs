//! The RFC 8030 request to a push service, and what its answer means.
use http::{Request, StatusCode, header};

use crate::{EndpointPolicy, PushError, Subscription, Vapid, check_endpoint, endpoint::origin};

/// The largest plaintext sent. Every push service must accept 4096 bytes of encrypted
/// payload (RFC 8030 §7.2); aes128gcm adds an 86-byte header, a 16-byte tag and a padding
/// delimiter. Tessera's messages name a session and a partner, far below this.
pub const MAX_PLAINTEXT_BYTES: usize = 4096 - 86 - 16 - 1;

/// RFC 8030 §5.3: how eagerly the push service should wake the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    VeryLow,
    Low,
    Normal,
    High,
}

impl Urgency {
    fn as_str(self) -> &'static str {
        match self {
            Urgency::VeryLow => "very-low",
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
        }
    }
}

/// One push message before encryption.
#[derive(Debug, Clone)]
pub struct Message {
    pub payload: Vec<u8>,
    /// Seconds the push service keeps it while the device is unreachable.
    pub ttl: u32,
    pub urgency: Urgency,
    /// RFC 8030 §5.4: a newer message with the same topic replaces an undelivered one.
    pub topic: Option<String>,
}

/// Builds the encrypted, VAPID-signed `POST` for `sub`. The endpoint is checked against
/// `policy` again here, so a request is never built for an endpoint the policy refuses.
pub fn build_request(
    sub: &Subscription,
    vapid: &Vapid,
    message: &Message,
    policy: EndpointPolicy,
    now: u64,
) -> Result<Request<Vec<u8>>, PushError> {
    let uri = check_endpoint(&sub.endpoint, policy)?;
    if message.payload.len() > MAX_PLAINTEXT_BYTES {
        return Err(PushError::PayloadTooLarge(message.payload.len()));
    }
    if let Some(topic) = &message.topic {
        let valid = !topic.is_empty()
            && topic.len() <= 32
            && topic
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(PushError::BadTopic);
        }
    }
    let body =
        web_push_native::encrypt(message.payload.clone(), &sub.ua_public()?, &sub.ua_auth()?)
            .map_err(|_| PushError::Encryption)?;
    let mut request = Request::post(uri.clone())
        .header("ttl", message.ttl)
        .header("urgency", message.urgency.as_str())
        .header(header::CONTENT_ENCODING, "aes128gcm")
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::CONTENT_LENGTH, body.len())
        .header(
            header::AUTHORIZATION,
            vapid.authorization(&origin(&uri), now),
        );
    if let Some(topic) = &message.topic {
        request = request.header("topic", topic);
    }
    request
        .body(body)
        .map_err(|_| PushError::EndpointRefused("not a URL"))
}

/// What a push service's status code means for the subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 201 (or another 2xx): accepted for delivery.
    Delivered,
    /// 404 or 410: the subscription expired or was revoked; delete it.
    Gone,
    /// 429 or 5xx: try again later (not before `Retry-After` if given).
    Retry,
    /// Anything else (400, 403 bad VAPID, 413 too large): a fault on this side; keep the
    /// subscription, log it.
    Refused,
}

impl Outcome {
    pub fn of(status: StatusCode) -> Outcome {
        match status.as_u16() {
            200..=299 => Outcome::Delivered,
            404 | 410 => Outcome::Gone,
            429 | 500..=599 => Outcome::Retry,
            _ => Outcome::Refused,
        }
    }
}
