//! The JSON bodies exchanged over HTTP. One definition, used by the server, the widget,
//! the companion and partner backends, so the programs cannot drift apart.
//! `docs/API.md` lists the routes that carry them.
use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{
    ApprovalClaims, Decision, Details, DeviceStatus, Kind, SignedApproval, UserVerification,
    b64_encode,
};

/// Partner → server: open a session.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// Login, confirm or sign.
    pub kind: Kind,
    /// The web origin of the page that will show the widget; must be one of the
    /// partner's registered origins.
    pub origin: String,
    /// What the user approves: a transaction for `confirm`, a document for `sign`,
    /// nothing for `login` ([`crate::details_for`] checks the pairing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// Server → partner: the new session and the secrets its page needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionCreated {
    /// Session id.
    pub session_id: String,
    /// The nonce the approval must answer.
    pub nonce: String,
    /// The partner's id, as the approval will name it.
    pub partner_id: String,
    /// Secret for the animated QR (base64url); goes only to the widget.
    pub qr_secret: String,
    /// Capability to watch the session and send a push; goes only to the widget.
    pub watch_token: String,
    /// Expiry (Unix seconds).
    pub expires_at: u64,
}

/// Partner backend → its own page: everything the widget needs to run a session.
/// The root key is the partner's pinned copy, never one fetched through the relay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    /// Base URL of the Tessera server (relay), e.g. `https://tessera.example`.
    pub server: String,
    /// The session as created.
    pub session: SessionCreated,
    /// The kind of request.
    pub kind: Kind,
    /// The pinned root public key (uncompressed SEC1, base64url).
    pub root_key: String,
    /// More pinned roots, while Tessera rotates its root: the next root it announced
    /// (pinned before anything chains to it) or the one before. An approval chaining to
    /// `root_key` or to any of these verifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub root_keys: Vec<String>,
    /// The details the partner asked to approve, exactly as it sent them; the widget
    /// shows them and demands an approval of their digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

impl WidgetConfig {
    /// `root_key` and `root_keys` as keys; `None` if any is not a P-256 key.
    pub fn pinned_roots(&self) -> Option<Vec<p256::ecdsa::VerifyingKey>> {
        core::iter::once(&self.root_key)
            .chain(&self.root_keys)
            .map(|key| crate::verifying_key_from_b64(key))
            .collect()
    }
}

/// Where a session stands, as the widget and the partner see it (like BankID's hint
/// codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Waiting for the QR to be scanned or the push to be opened.
    Pending,
    /// A push was sent to the user's devices.
    PushSent,
    /// The phone opened a pushed request; the user picks the number the widget shows.
    Opened,
    /// The phone shows the request's details; the user checks them and enters the PIN.
    AwaitingPin,
    /// The user approved and the server stapled its status statement.
    Approved,
    /// The user denied.
    Denied,
    /// The session expired.
    Expired,
    /// The session was cancelled.
    Cancelled,
}

impl SessionState {
    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::PushSent => "push_sent",
            Self::Opened => "opened",
            Self::AwaitingPin => "awaiting_pin",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether nothing can happen to the session any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Approved | Self::Denied | Self::Expired | Self::Cancelled
        )
    }
}

/// Server → widget (server-sent event data), and the partner's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionEvent {
    /// The state now.
    pub state: SessionState,
    /// The signed approval, once approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<SignedApproval>,
    /// Why the session was cancelled, once cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
}

/// Why a session was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The person cancelled on the partner's page.
    Page,
    /// The phone picked the wrong number: the push may not be the user's own doing.
    WrongNumber,
    /// The user said "This wasn't me" on the phone; a fraud report was recorded.
    FraudReported,
    /// A newer request to the same user replaced this one: a user has at most one
    /// request waiting (BankID's `alreadyInProgress`).
    Superseded,
}

impl CancelReason {
    /// The snake_case name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::WrongNumber => "wrong_number",
            Self::FraudReported => "fraud_reported",
            Self::Superseded => "superseded",
        }
    }
}

/// Widget → server: push the request to this user's devices.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The user id the person typed.
    pub user_id: String,
}

/// Server → widget: the push was accepted (whether or not the user exists, so the answer
/// does not tell). The widget shows `number`; the phone must pick it among three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushAccepted {
    /// Two digits, 10 to 99.
    pub number: u8,
}

/// Companion → server: the number the user picked on a pushed request.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// The picked number.
    pub number: u8,
}

/// Server → partner (`GET /v1/fraud-reports`): a user said "This wasn't me".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FraudReport {
    /// The session the user refused.
    pub session_id: String,
    /// The user the request was pushed to.
    pub user_id: String,
    /// The device that reported.
    pub device_id: String,
    /// The kind of session.
    pub kind: Kind,
    /// The origin the session was for.
    pub origin: String,
    /// When (Unix seconds).
    pub reported_at: u64,
}

/// Companion → server: activate this browser as a device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationRequest {
    /// User id.
    pub user_id: String,
    /// The user's password.
    pub password: String,
    /// What proves, besides the password, that the user may add a device.
    pub credential: Credential,
    /// The new 6-digit PIN.
    pub pin: String,
    /// A name for this device.
    pub device_name: String,
    /// The device's new public key (uncompressed SEC1, base64url).
    pub public_key: String,
    /// Proof of possession: the device key's signature (raw r||s, base64url) over
    /// [`activation_message`].
    pub proof: String,
    /// With [`MAX_DEVICES`] devices already, the one this device replaces (it is marked
    /// `replaced` in the same transaction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_device_id: Option<String>,
    /// Flow A, a new user: the terms, the security questions and the new password, set
    /// in the same transaction as the device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<NewUserSetup>,
}

/// What a new user sets up while activating their first device (flow A, steps 5, 9-10
/// and 12).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserSetup {
    /// The user accepted the terms and conditions (must be `true`).
    pub terms_accepted: bool,
    /// Three answers to three different questions of [`crate::SECURITY_QUESTIONS`].
    pub security_answers: Vec<SecurityAnswer>,
    /// The new password ([`crate::password_problem`] says what is accepted).
    pub new_password: String,
}

/// One security question (its index) and the user's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityAnswer {
    /// Index into [`crate::SECURITY_QUESTIONS`].
    pub question: u8,
    /// The answer as typed (compared in [`crate::normalize_answer`] form).
    pub answer: String,
}

/// Server → companion (`POST /v1/activation/scan`, flow C): a challenge for the user's
/// Scan, shown as a QR "mosaic"; the Scan reads it and shows the 6-digit response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanChallenge {
    /// The challenge, to be answered once.
    pub challenge_id: String,
    /// The OCRA question (8 digits) the mosaic encodes.
    pub challenge: String,
    /// Until when it can be answered (Unix seconds).
    pub expires_at: u64,
}

/// Companion → server (`POST /v1/activation/scan`): the user who holds a Scan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanStart {
    /// User id.
    pub user_id: String,
}

/// Companion → server (`POST /v1/activation/scan/confirm`, flow C step 8): the response to
/// the second mosaic, which the server derived from this device's key, so the user's Scan
/// vouches for exactly this key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfirm {
    /// The second challenge.
    pub challenge_id: String,
    /// The Scan's response.
    pub response: String,
}

/// Companion → server (`POST /v1/device/pin`): change the PIN; the old one is checked by
/// the server and wrong ones count towards the lock.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinChange {
    /// The current PIN.
    pub old_pin: String,
    /// The new PIN ([`crate::pin::pin_problem`] says what is accepted).
    pub new_pin: String,
}

/// Companion → server (`POST /v1/device/name`): rename this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceRename {
    /// The new name.
    pub name: String,
}

/// How a new device proves, besides the password, that the user may add it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    /// The code chosen when ordering Tessera (flow A, a new user).
    ActivationCode(String),
    /// The helpdesk's 8-digit single-use code (flow D, "I no longer have my device").
    SecurityCode(String),
    /// The restore secret from a backup file (flow E). Not enough alone: the activation
    /// then waits for the link sent by SMS to the user's phone number.
    Backup(String),
    /// The 6-digit code of the user's hardware Token (flow B; HOTP, RFC 4226). The
    /// activation then waits for the link sent by SMS.
    Token(String),
    /// The response of the user's Scan to the first mosaic (flow C; OCRA, RFC 6287). No
    /// password in this flow: the server answers with a second challenge.
    Scan {
        /// The first challenge.
        challenge_id: String,
        /// The Scan's response.
        response: String,
    },
}

/// At most this many devices per user; a new one beyond replaces one.
pub const MAX_DEVICES: usize = 2;

/// A device as its owner and the helpdesk see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// Device id.
    pub id: String,
    /// The name its owner gave it.
    pub name: String,
    /// Active, suspended, locked, revoked or replaced.
    pub status: DeviceStatus,
    /// Activated at (Unix seconds).
    pub created_at: u64,
    /// Last approval (Unix seconds), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<u64>,
}

/// Server → companion, `409` to an activation: the user has [`MAX_DEVICES`] devices
/// already; the user picks one of `devices` to replace and sends the request again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceLimit {
    /// Always `device_limit`.
    pub code: String,
    /// A sentence for developers.
    pub message: String,
    /// The devices that count towards the limit.
    pub devices: Vec<DeviceSummary>,
}

/// The bytes a new device signs to prove it holds the key it asks a certificate for.
pub fn activation_message(user_id: &str, public_key: &str) -> Vec<u8> {
    let mut message = Vec::from(&b"tessera-activation\n"[..]);
    message.extend_from_slice(user_id.as_bytes());
    message.push(b'\n');
    message.extend_from_slice(public_key.as_bytes());
    message
}

/// Server → companion: the new device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Activated {
    /// Device id.
    pub device_id: String,
    /// The chain `[device certificate, issuer certificate]`.
    pub certificates: Vec<String>,
}

/// Server → companion, `202` to an activation that must be confirmed through the link
/// sent by SMS (a restore from backup): the device exists once the link is opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationPending {
    /// The pending activation.
    pub activation_id: String,
    /// Where the SMS went, partly hidden (`+352 ••• ••• 001`).
    pub phone_hint: String,
    /// Until when the link works (Unix seconds; 360 minutes after the request).
    pub expires_at: u64,
}

/// Companion → server (`POST /v1/activation/confirm`): the link from the SMS was opened.
/// The link is `<tessera>/companion/#/confirm/<activation_id>/<token>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationConfirm {
    /// The pending activation.
    pub activation_id: String,
    /// The secret from the link.
    pub token: String,
}

/// Server → companion (`POST /v1/device/backup`): what a backup file must hold so the
/// user can restore Tessera on a new device. The companion adds its own settings and
/// encrypts the whole under the user's password; the server keeps only a hash of the
/// secret, and a new backup voids the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupIssued {
    /// The user.
    pub user_id: String,
    /// Proves, at restore, that the file is the user's latest backup (base64url).
    pub restore_secret: String,
    /// When (Unix seconds).
    pub created_at: u64,
}

/// Companion → server: the QR the phone scanned.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// Session id from the QR.
    pub session_id: String,
    /// Seconds since the widget started showing the QR.
    pub t: u64,
    /// The animated code for `t`.
    pub code: String,
}

/// Server → companion: a request for the user to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRequest {
    /// Session id.
    pub session_id: String,
    /// Nonce to sign.
    pub nonce: String,
    /// Partner id.
    pub partner_id: String,
    /// The partner's name, shown to the user.
    pub partner_name: String,
    /// The origin of the page that asks, shown to the user.
    pub origin: String,
    /// Login, confirm or sign.
    pub kind: Kind,
    /// The transaction or document to approve; what the phone shows is what it signs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// For a pushed request not yet matched: three numbers, one of them the widget's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_choices: Option<Vec<u8>>,
    /// The binding message of an OpenID CIBA request (CIBA Core §7.1): what the partner
    /// shows its user too, checked for display safety when it came. Not signed: it only
    /// helps the user tie the two screens together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding_message: Option<String>,
    /// Expiry (Unix seconds).
    pub expires_at: u64,
}

impl DeviceRequest {
    /// The claims a device signs to answer this request at `now` (Unix seconds): an
    /// approval carries how the user was verified, a denial does not. No location: the
    /// phone adds one with [`ApprovalClaims::with_location`] if its user shares it.
    pub fn answer(
        &self,
        device_id: &str,
        decision: Decision,
        verification: UserVerification,
        now: u64,
    ) -> ApprovalClaims {
        ApprovalClaims {
            sid: self.session_id.clone(),
            nonce: self.nonce.clone(),
            pid: self.partner_id.clone(),
            origin: self.origin.clone(),
            kind: self.kind,
            // The digest of the details this request carries, computed here: the phone
            // signs what it shows, never a digest it was handed.
            dd: self.details.as_ref().map(|d| b64_encode(&d.digest())),
            decision,
            dev: device_id.into(),
            iat: now,
            uv: (decision == Decision::Approve).then_some(verification),
            loc: None,
        }
    }
}

/// Companion → server: the user's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RespondRequest {
    /// The approval JWS (approve or deny).
    pub approval: String,
    /// The PIN, to approve with the PIN.
    #[serde(default)]
    pub pin: Option<String>,
    /// The platform authenticator's assertion over SHA-256 of `approval`, to approve with
    /// biometrics instead of the PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometric: Option<BiometricAssertion>,
}

/// Companion → server: turn biometrics on, confirmed with the PIN.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiometricsStart {
    /// The device's PIN (checked by the server, counts towards the lock).
    pub pin: String,
}

/// Server → companion: what `navigator.credentials.create` needs (base64url bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiometricsChallenge {
    /// Random, single use, valid for a few minutes, for this device only.
    pub challenge: String,
    /// The relying party id: the companion's host.
    pub rp_id: String,
    /// The WebAuthn user handle: opaque, derived from the device id.
    pub user_handle: String,
    /// A name the platform may show (the user id).
    pub user_name: String,
}

/// Companion → server: the new platform credential (base64url bytes).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiometricRegistration {
    /// The credential's raw id.
    pub credential_id: String,
    /// `response.clientDataJSON`.
    pub client_data_json: String,
    /// `response.attestationObject`.
    pub attestation_object: String,
}

/// Companion → server: a platform authenticator's assertion (base64url bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiometricAssertion {
    /// The credential's raw id.
    pub credential_id: String,
    /// `response.clientDataJSON`.
    pub client_data_json: String,
    /// `response.authenticatorData`.
    pub authenticator_data: String,
    /// `response.signature` (DER).
    pub signature: String,
}

/// Every error the server answers with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code, e.g. `wrong_pin`.
    pub code: String,
    /// A sentence for developers.
    pub message: String,
    /// Attempts left, where a counter applies (PIN, activation code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::SessionState;
    use crate::Kind;

    /// The names the database stores are exactly the names serde puts on the wire.
    #[test]
    fn names_are_the_wire_names() {
        use SessionState::*;
        for state in [
            Pending,
            PushSent,
            Opened,
            AwaitingPin,
            Approved,
            Denied,
            Expired,
            Cancelled,
        ] {
            let wire = serde_json::to_string(&state).unwrap_or_default();
            assert_eq!(wire, alloc::format!("\"{}\"", state.as_str()));
        }
        for reason in [
            super::CancelReason::Page,
            super::CancelReason::WrongNumber,
            super::CancelReason::FraudReported,
            super::CancelReason::Superseded,
        ] {
            let wire = serde_json::to_string(&reason).unwrap_or_default();
            assert_eq!(wire, alloc::format!("\"{}\"", reason.as_str()));
        }
        for kind in [Kind::Login, Kind::Confirm, Kind::Sign] {
            let wire = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(wire, alloc::format!("\"{}\"", kind.as_str()));
        }
    }
}
