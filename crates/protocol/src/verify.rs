//! The one decision: is this signed approval valid for what this page asked?
use alloc::string::String;

use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::{
    ApprovalClaims, CoarseLocation, Decision, DeviceStatus, Es256, Es256Equation, Kind,
    MAX_TOKEN_BYTES, PinnedRoots, STATUS_MAX_LIFETIME_SECS, StatusClaims, Token, UserVerification,
    VerifyError, b64, cert::verify_chain, json::object_only, jws::Parsed, sha256,
};

/// An approval is refused if signed more than this long before `now`.
pub const APPROVAL_MAX_AGE_SECS: u64 = 600;
/// Tolerated difference between the phone's, the server's and the verifier's clocks.
pub const CLOCK_SKEW_SECS: u64 = 60;

/// What the relay delivers: the phone's approval and the server's status statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct SignedApproval {
    /// The approval JWS signed by the device, carrying its certificate chain.
    pub approval: String,
    /// The status statement JWS signed by the issuing CA.
    pub status: String,
}

object_only!(SignedApproval);

/// What the verifier asked for. It must come from the verifier's own trusted state (the
/// page's configuration, the backend's session record), never from the relay.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The session id the partner created.
    pub session_id: &'a str,
    /// The session's nonce.
    pub nonce: &'a str,
    /// The partner's id.
    pub partner_id: &'a str,
    /// The web origin the approval must be for; in the widget, `window.location.origin`.
    pub origin: &'a str,
    /// The kind of request.
    pub kind: Kind,
    /// SHA-256 of the canonical transaction details: present exactly for confirm and
    /// sign (anything else is [`VerifyError::ExpectedInconsistent`]).
    pub details_digest: Option<[u8; 32]>,
    /// The user the approval must come from, whenever the caller knows it (a payment by a
    /// logged-in user, a request pushed to a named user); `None` only when the approval
    /// is what tells who the user is (a login). Without it, any enrolled user's approval
    /// of this session would do.
    pub user_id: Option<&'a str>,
}

/// Proof that [`verify_approval`] accepted an approval. Its fields are private and only
/// that function builds one, so code that logs a user in or books a payment can demand a
/// `VerifiedApproval` and cannot be handed unchecked claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedApproval {
    user_id: String,
    device_id: String,
    session_id: String,
    user_verification: UserVerification,
    signed_at: u64,
    location: Option<CoarseLocation>,
}

impl VerifiedApproval {
    /// The user who approved (the device certificate's subject).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
    /// The device that signed.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }
    /// The session approved.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }
    /// How the server verified the user.
    pub fn user_verification(&self) -> UserVerification {
        self.user_verification
    }
    /// When the phone signed (Unix seconds).
    pub fn signed_at(&self) -> u64 {
        self.signed_at
    }
    /// Where the phone was, to a tenth of a degree, if its user shares that; the phone's
    /// own say, signed, not a fact the server or anyone checked.
    pub fn location(&self) -> Option<CoarseLocation> {
        self.location
    }
}

/// Verifies `signed` against what the caller `expected`, with certificates chaining to one
/// of the pinned `roots` (one key, or the set pinned while Tessera rotates its root: see
/// [`PinnedRoots`]), at time `now` (Unix seconds). Every check must pass; the first that
/// fails is returned.
pub fn verify_approval<R: PinnedRoots + ?Sized>(
    signed: &SignedApproval,
    expected: &Expected<'_>,
    roots: &R,
    now: u64,
) -> Result<VerifiedApproval, VerifyError> {
    verify_approval_with(&mut Es256, signed, expected, roots.keys(), now)
}

/// [`verify_approval`] with the ECDSA equation of the caller's choice: every other check
/// is the same code. The equation must be a real one: an equation that answers anything
/// but the truth decides nothing here.
pub fn verify_approval_with(
    equation: &mut dyn Es256Equation,
    signed: &SignedApproval,
    expected: &Expected<'_>,
    roots: &[VerifyingKey],
    now: u64,
) -> Result<VerifiedApproval, VerifyError> {
    // The caller's own mistake first: a confirmation without a details digest would
    // accept an approval that signed no details at all.
    if (expected.kind == Kind::Login) != expected.details_digest.is_none() {
        return Err(VerifyError::ExpectedInconsistent);
    }
    // Both sizes before any decoding or signature check.
    for (jws, token) in [
        (&signed.approval, Token::Approval),
        (&signed.status, Token::Status),
    ] {
        if jws.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TokenTooLarge(token));
        }
    }
    let approval = Parsed::parse(&signed.approval, Token::Approval)?;
    let certs = approval
        .header
        .certs
        .as_deref()
        .ok_or(VerifyError::ChainShape)?;
    let chain = verify_chain(certs, roots, now, equation)?;
    let claims = checked_claims(&approval, &chain.device_key, equation)?;
    if claims.dev != chain.device_id {
        return Err(VerifyError::DeviceMismatch);
    }

    let status: StatusClaims =
        Parsed::parse(&signed.status, Token::Status)?.verify(&chain.issuer_key, equation)?;
    let approval_digest = b64::encode(&sha256(signed.approval.as_bytes()));
    if status.apr != approval_digest || status.sid != claims.sid || status.dev != claims.dev {
        return Err(VerifyError::StatusMismatch);
    }
    if status.exp < status.iat {
        return Err(VerifyError::StatusLifetimeInvalid);
    }
    let lifetime = status.exp - status.iat;
    if now > status.exp || lifetime > STATUS_MAX_LIFETIME_SECS || status.iat > now + CLOCK_SKEW_SECS
    {
        return Err(VerifyError::StatusExpired);
    }
    if status.st != DeviceStatus::Active {
        return Err(VerifyError::DeviceNotActive(status.st));
    }

    check_binding(&claims, expected)?;
    if expected
        .user_id
        .is_some_and(|user| user != chain.device.sub)
    {
        return Err(VerifyError::UserMismatch);
    }
    if claims.decision != Decision::Approve {
        return Err(VerifyError::Denied);
    }
    // The phone says how it verified the user, the server what it checked: one answer.
    if claims.uv != Some(status.uv) {
        return Err(VerifyError::StatusMismatch);
    }
    if claims.iat > now + CLOCK_SKEW_SECS || now > claims.iat + APPROVAL_MAX_AGE_SECS {
        return Err(VerifyError::ApprovalStale);
    }
    Ok(VerifiedApproval {
        user_id: chain.device.sub,
        device_id: claims.dev,
        session_id: claims.sid,
        user_verification: status.uv,
        signed_at: claims.iat,
        location: claims.loc,
    })
}

/// The approval's claims once its signature verified under `key`, with what serde cannot
/// check: a location in range, and none on a denial (a refusal shares nothing).
fn checked_claims(
    approval: &Parsed<'_>,
    key: &VerifyingKey,
    equation: &mut dyn Es256Equation,
) -> Result<ApprovalClaims, VerifyError> {
    let claims: ApprovalClaims = approval.verify(key, equation)?;
    match claims.loc {
        Some(loc) if !loc.in_range() => Err(VerifyError::LocationOutOfRange),
        Some(_) if claims.decision == Decision::Deny => {
            Err(VerifyError::ClaimsMalformed(Token::Approval))
        }
        _ => Ok(claims),
    }
}

/// Checks an approval's structure and signature under a key the caller already trusts,
/// and returns its claims. For the server, which holds each device's public key: it uses
/// this to read an answer (a denial carries no status statement). A partner never calls
/// this; it calls [`verify_approval`].
pub fn verify_device_signature(
    approval: &str,
    device_key: &VerifyingKey,
) -> Result<ApprovalClaims, VerifyError> {
    checked_claims(
        &Parsed::parse(approval, Token::Approval)?,
        device_key,
        &mut Es256,
    )
}

/// The approval must answer exactly the request the verifier made.
fn check_binding(claims: &ApprovalClaims, expected: &Expected<'_>) -> Result<(), VerifyError> {
    if claims.sid != expected.session_id {
        return Err(VerifyError::SessionMismatch);
    }
    if claims.nonce != expected.nonce {
        return Err(VerifyError::NonceMismatch);
    }
    if claims.pid != expected.partner_id {
        return Err(VerifyError::PartnerMismatch);
    }
    if claims.origin != expected.origin {
        return Err(VerifyError::OriginMismatch);
    }
    if claims.kind != expected.kind {
        return Err(VerifyError::KindMismatch);
    }
    let signed_digest = claims.dd.as_deref().map(b64::decode);
    let expected_digest = expected.details_digest.map(|d| Some(d.to_vec()));
    if signed_digest != expected_digest {
        return Err(VerifyError::DetailsMismatch);
    }
    Ok(())
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "verify_strict_tests.rs"]
mod strict_tests;
