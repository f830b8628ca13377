//! The server's status statement: a short-lived, signed "this device is active and its
//! user was verified, for this approval", stapled to the approval like an OCSP response.
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::{UserVerification, json::object_only};

/// The JWS `typ` of a status statement.
pub const STATUS_TYPE: &str = "tessera-status+jwt";

/// A status statement claiming a longer life than this is refused.
pub const STATUS_MAX_LIFETIME_SECS: u64 = 300;

/// A device's state on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceStatus {
    /// May approve.
    Active,
    /// Temporarily disabled by the user or the helpdesk.
    Suspended,
    /// Permanently disabled.
    Revoked,
    /// Locked after too many wrong PINs.
    Locked,
    /// Replaced by another device of the same user.
    Replaced,
}

impl DeviceStatus {
    /// Whether a device in this state counts towards the user's device limit: a
    /// suspended or locked device is still the user's; a revoked or replaced one is gone.
    pub fn counts_towards_limit(self) -> bool {
        matches!(self, Self::Active | Self::Suspended | Self::Locked)
    }

    /// The lowercase name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Active => "active",
            DeviceStatus::Suspended => "suspended",
            DeviceStatus::Revoked => "revoked",
            DeviceStatus::Locked => "locked",
            DeviceStatus::Replaced => "replaced",
        }
    }
}

/// The claims of a status statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct StatusClaims {
    /// Session id.
    pub sid: String,
    /// Device id.
    pub dev: String,
    /// SHA-256 of the whole approval JWS (base64url): binds this statement to it.
    pub apr: String,
    /// The device's status when the server signed.
    pub st: DeviceStatus,
    /// How the server verified the user.
    pub uv: UserVerification,
    /// Issued at (Unix seconds, the server's clock).
    pub iat: u64,
    /// Expires at (Unix seconds).
    pub exp: u64,
}

object_only!(StatusClaims);
