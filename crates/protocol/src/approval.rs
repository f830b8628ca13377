//! What the phone signs.
use alloc::string::String;

use serde::{Deserialize, Serialize};

/// The JWS `typ` of an approval.
pub const APPROVAL_TYPE: &str = "tessera-approval+jwt";

/// What a session asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Log in to the partner's site.
    Login,
    /// Confirm a transaction.
    Confirm,
    /// Sign a document.
    Sign,
}

impl Kind {
    /// The lowercase name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Login => "login",
            Kind::Confirm => "confirm",
            Kind::Sign => "sign",
        }
    }
}

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The user approved.
    Approve,
    /// The user refused.
    Deny,
}

/// How the user proved presence on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserVerification {
    /// The 6-digit PIN, checked by the server.
    Pin,
    /// A platform authenticator (WebAuthn user verification).
    Biometric,
}

/// The claims of an approval, in this field order when signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalClaims {
    /// Session id.
    pub sid: String,
    /// The session's nonce.
    pub nonce: String,
    /// Partner id.
    pub pid: String,
    /// The partner's web origin, as the phone showed it.
    pub origin: String,
    /// Login, confirm or sign.
    pub kind: Kind,
    /// SHA-256 of the canonical transaction details (base64url), for confirm and sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dd: Option<String>,
    /// Approve or deny.
    pub decision: Decision,
    /// Device id.
    pub dev: String,
    /// Signed at (Unix seconds, the phone's clock).
    pub iat: u64,
    /// How the user was verified; absent on a denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uv: Option<UserVerification>,
}
