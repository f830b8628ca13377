//! What the flows share: their constants, the session an OpenID request opens (the same
//! sessions the partner API opens, owned by the client's partner), the check of its
//! approval before any token is issued, and PKCE.
use tessera_protocol::{
    Details, Kind, SignedApproval, VerifiedApproval, VerifyError, api::SessionCreated, b64_encode,
    sha256, verify_approval,
};

use crate::{
    clock::now,
    error::{AppError, AppResult},
    secrets::{random_bytes, random_id, random_token},
    state::AppState,
    store::{Inserted, NewSession, SessionRow},
};

/// The grant type of CIBA's token requests.
pub const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";
/// `acr` of an approval whose user entered the PIN, and of one verified biometrically.
pub const ACR_PIN: &str = "urn:tessera:acr:device-pin";
pub const ACR_BIOMETRIC: &str = "urn:tessera:acr:device-biometric";

/// The `authorization_details` type of a payment to confirm.
pub const TRANSACTION_TYPE: &str = "tessera_transaction";
/// A session for an OpenID request, owned by the client's partner, bound to `origin`.
/// Returns what the widget needs to show it (for the code flow).
pub(crate) fn open_session(
    app: &AppState,
    partner_id: &str,
    kind: Kind,
    origin: &str,
    details: Option<&Details>,
    ttl_secs: u64,
) -> AppResult<SessionCreated> {
    let (id, nonce, qr_secret) = (random_id(), random_id(), random_bytes::<32>());
    let (watch_token, watch_hash) = random_token();
    let created_at = now();
    let expires_at = created_at + ttl_secs;
    let new = NewSession {
        id: &id,
        partner_id,
        kind,
        origin,
        nonce: &nonce,
        qr_secret: &qr_secret,
        watch_hash: &watch_hash,
        created_at,
        expires_at,
        details,
    };
    match app.store.insert_session(&new, None, 0)? {
        Inserted::New => Ok(SessionCreated {
            session_id: id,
            nonce,
            partner_id: partner_id.into(),
            qr_secret: b64_encode(&qr_secret),
            watch_token,
            expires_at,
        }),
        _ => Err(AppError::Internal(
            "a session without an idempotency key was not new".into(),
        )),
    }
}

/// Verifies the session's approval as a relying party would, with `now`: signature,
/// chain to our root, status, session, nonce, partner, origin, kind and details.
pub(crate) fn verify_session(
    app: &AppState,
    session: &SessionRow,
    user_id: Option<&str>,
    now: u64,
) -> AppResult<VerifiedApproval> {
    let (Some(approval), Some(status)) = (&session.approval, &session.status) else {
        return Err(AppError::Internal(
            "an approved session without its approval".into(),
        ));
    };
    let signed = SignedApproval {
        approval: approval.clone(),
        status: status.clone(),
    };
    let roots = app.ca.pinned(&app.store)?;
    verify_approval(&signed, &session.expected(user_id), &roots, now).map_err(|e| match e {
        // The status statement lives two minutes: a grant redeemed later has expired.
        VerifyError::StatusExpired => AppError::oauth(
            "expired_token",
            "the approval's status statement expired; start again",
        ),
        e => AppError::oauth(
            "invalid_grant",
            format!("the approval does not verify: {e}"),
        ),
    })
}

/// `BASE64URL(SHA-256(verifier))` (RFC 7636 §4.2) equals `challenge`, and the verifier
/// has the form RFC 7636 §4.1 demands.
pub(crate) fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        && b64_encode(&sha256(verifier.as_bytes())) == challenge
}
