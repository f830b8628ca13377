//! Web Push between the server and the companion (issue 16): what the companion sends to
//! register this device for notifications while it is closed, and the message the
//! server's push carries to the companion's service worker (`crates/companion/sw.js`).
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::Kind;

/// `GET /v1/device/push`: the server's VAPID public key (the browser's
/// `applicationServerKey`, an uncompressed P-256 point, base64url) and whether this
/// device has a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSettings {
    /// The VAPID public key.
    pub vapid_key: String,
    /// Whether the server holds a subscription for this device.
    pub subscribed: bool,
}

/// The keys of a subscription, as `PushSubscription.toJSON()` names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    /// The browser's ECDH public key (65 bytes, base64url).
    pub p256dh: String,
    /// The 16-byte authentication secret (base64url).
    pub auth: String,
}

/// `POST /v1/device/push`: `PushSubscription.toJSON()` (other fields ignored) and the
/// language the notifications are written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscribe {
    /// The push service's URL for this browser.
    pub endpoint: String,
    /// The encryption keys.
    pub keys: PushKeys,
    /// `en`, `fr`, `de` or `nl`.
    pub lang: String,
}

/// What a push carries, encrypted for the device: the session, whose it is and what it
/// asks, so the notification can say "Demo Bank asks you to log in"; never the details
/// (amount, payee, document), which the companion fetches when the user opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    /// Version of this message; 1.
    pub v: u8,
    /// The session to open.
    pub session: String,
    /// The partner's display name.
    pub partner: String,
    /// What the partner asks.
    pub kind: Kind,
    /// The language of the notification (`en`, `fr`, `de`, `nl`).
    pub lang: String,
}

/// What the push to a user's other devices carries when a device was added to the account
/// (issue 17): the texts, already in the device's language, and the link that suspends
/// the new device. `notice` is always `"device_added"`, so the service worker tells it
/// from a [`PushMessage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceAddedPush {
    /// Version of this message; 1.
    pub v: u8,
    /// `"device_added"`.
    pub notice: String,
    /// The notification's title.
    pub title: String,
    /// Its body: the device's name and when it was added.
    pub body: String,
    /// The server's page that suspends the new device (same origin as the companion).
    pub link: String,
    /// The language of the texts (`en`, `fr`, `de`, `nl`).
    pub lang: String,
}
