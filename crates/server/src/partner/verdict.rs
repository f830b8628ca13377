//! `tessera verify` and `tessera verify-approval`: a document against its signature file,
//! or an approval against what the partner asked, offline, with the root key the verifier
//! pinned. For partners whose backends are not written in Rust: they shell out to this
//! and read the exit code and the one-line verdict.
use std::path::Path;

use tessera_protocol::{
    Details, DocumentSignature, Expected, Kind, SignedApproval, VerifyError, details_for, hex,
    pinned_roots_from_b64, sha256, verify_approval,
};

use crate::clock::utc;

/// Why a document and its signature file could not be checked, or were refused.
#[derive(Debug, thiserror::Error)]
pub enum VerdictError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the signature file is not a Tessera signature: {0}")]
    NotASignature(String),
    #[error(
        "a root key is not a P-256 public key (uncompressed SEC1, base64url; several separated by commas)"
    )]
    BadRoot,
    #[error("the approval file is not {{\"approval\", \"status\"}}: {0}")]
    NotAnApproval(String),
    #[error("the details file is not valid details for this kind: {0}")]
    BadDetails(String),
    #[error("invalid: {code} ({error})", code = .0.code(), error = .0)]
    Invalid(VerifyError),
}

impl VerdictError {
    /// The exit code: 1 for a signature that was checked and refused, 2 for a check that
    /// could not be made. Scripts must treat anything but 0 as "not valid".
    pub fn exit_code(&self) -> u8 {
        match self {
            VerdictError::Invalid(_) => 1,
            _ => 2,
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, VerdictError> {
    std::fs::read(path).map_err(|e| VerdictError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Checks `document` against `signature_file` under `root` (base64url; during a root
/// rotation, the pinned roots separated by commas); on success, the
/// one-line verdict to print.
pub fn verify_document(
    root: &str,
    document: &Path,
    signature_file: &Path,
) -> Result<String, VerdictError> {
    let root = pinned_roots_from_b64(root).ok_or(VerdictError::BadRoot)?;
    let signature: DocumentSignature = serde_json::from_slice(&read(signature_file)?)
        .map_err(|e| VerdictError::NotASignature(e.to_string()))?;
    let digest = sha256(&read(document)?);
    let verified = signature
        .verify(&digest, &root)
        .map_err(VerdictError::Invalid)?;
    Ok(format!(
        "valid: {:?} (sha256 {}) signed by {} with device {} at {} on {}",
        signature.document.name,
        hex(&digest),
        verified.user_id(),
        verified.device_id(),
        utc(verified.signed_at()),
        signature.origin,
    ))
}

/// What the partner asked: the fields of [`Expected`], owned, as a command line gives them.
pub struct Asked {
    pub session_id: String,
    pub nonce: String,
    pub partner_id: String,
    pub origin: String,
    pub kind: Kind,
    /// A JSON file with the `Details` (`{"transaction": …}` or `{"document": …}`).
    pub details: Option<std::path::PathBuf>,
}

/// Checks the approval in `result_file` (the `SignedApproval` the partner API returned)
/// against what was `asked`, under `root`, at `now`; on success, the verdict to print.
pub fn verify_result(
    root: &str,
    asked: &Asked,
    result_file: &Path,
    now: u64,
) -> Result<String, VerdictError> {
    let root = pinned_roots_from_b64(root).ok_or(VerdictError::BadRoot)?;
    let result: SignedApproval = serde_json::from_slice(&read(result_file)?)
        .map_err(|e| VerdictError::NotAnApproval(e.to_string()))?;
    let details = match &asked.details {
        Some(path) => Some(
            serde_json::from_slice::<Details>(&read(path)?)
                .map_err(|e| VerdictError::BadDetails(e.to_string()))?,
        ),
        None => None,
    };
    // The digest of the details in their one form, as the session was created with them.
    let details = details_for(asked.kind, details)
        .map_err(|problem| VerdictError::BadDetails(problem.to_string()))?;
    let expected = Expected {
        session_id: &asked.session_id,
        nonce: &asked.nonce,
        partner_id: &asked.partner_id,
        origin: &asked.origin,
        kind: asked.kind,
        details_digest: details.as_ref().map(Details::digest),
        user_id: None,
    };
    let verified =
        verify_approval(&result, &expected, &root, now).map_err(VerdictError::Invalid)?;
    // The location is the phone's own say, shown as such ("near"), and only if shared.
    let near = verified
        .location()
        .map(|l| format!(" near {l}"))
        .unwrap_or_default();
    Ok(format!(
        "valid: {} approved with device {} at {}{near} ({:?})",
        verified.user_id(),
        verified.device_id(),
        utc(verified.signed_at()),
        verified.user_verification(),
    ))
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates_match_known_instants() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_564_800), "2026-11-25T00:00:00Z");
        assert_eq!(utc(1_795_651_199), "2026-11-25T23:59:59Z");
    }
}
