//! # tessera-protocol
//!
//! It must never do I/O, read a clock or draw randomness, and never decide validity
//! anywhere but here: every program calls the same [`verify_approval`].
//!
//! The contract between Tessera's four programs: the partner-site widget, the phone
//! companion, the server and the partner's backend. It holds the wire types and the one
//! function that decides whether a phone's signed approval is valid,
//! [`verify_approval`]. Everything here is pure: no I/O, no clock, no randomness. The
//! caller passes `now`, so the same code runs in wasm, natively and in tests.
//!
//! ## What is refused (non-features)
//! - Any algorithm but ES256 (ECDSA P-256 with SHA-256, raw `r||s` signatures). No
//!   `alg: none`, no HMAC, no key taken from a JWS header: keys come only from
//!   certificates that chain to the root the caller pins.
//! - High-S signatures. ECDSA signatures are malleable; we accept only the low-S form, so
//!   an approval has exactly one valid encoding. The companion normalises before sending.
//! - Unknown header parameters or claims (`deny_unknown_fields`): nothing is ignored.
//! - Any encoding of a header or claims but the exact bytes this crate writes (JSON
//!   objects only, compact, members in order): a token has one valid encoding.
//! - Tokens longer than [`MAX_TOKEN_BYTES`], before anything is decoded.
//! - Certificate chains of any shape but `[device, issuer]`, with the issuer signed by the
//!   pinned root.
//! - Approvals without a fresh status statement from the server (device active, user
//!   verified, for this very approval).
// `no_std` everywhere it runs; the `openapi` feature (the std server's API description)
// needs std for the schema derives.
#![cfg_attr(not(feature = "openapi"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used, clippy::panic)]

extern crate alloc;

pub mod access;
pub mod api;
mod approval;
mod b64;
mod cert;
mod details;
mod error;
mod iban;
mod json;
mod jws;
pub mod offline;
mod password;
pub mod pin;
pub mod push;
mod qr;
mod roots;
mod security;
mod signature;
mod status;
#[cfg(any(test, feature = "testkit"))]
#[allow(missing_docs, clippy::expect_used)]
pub mod testkit;
mod text;
mod verify;

pub use approval::{
    APPROVAL_TYPE, ApprovalClaims, CoarseLocation, Decision, Kind, UserVerification,
};
pub use b64::{decode as b64_decode, encode as b64_encode};
pub use cert::{
    CERTIFICATE_TYPE, CertificateClaims, DEVICE_CERTIFICATE_MAX_LIFETIME_SECS,
    ISSUER_CERTIFICATE_MAX_LIFETIME_SECS,
};
pub use details::{Details, DetailsProblem, Document, MAX_TEXT_CHARS, Transaction, details_for};
pub use error::{Token, VerifyError};
pub use iban::{IbanProblem, group_iban, normalize_iban};
pub use jws::{
    Es256, Es256Equation, JwsHeader, MAX_TOKEN_BYTES, assemble, sign, signing_input, verify_es256,
    verify_es256_with, verifying_key_from_b64, verifying_key_to_b64,
};
pub use password::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, PasswordProblem, password_problem};
pub use qr::{QR_MAX_AGE_SECS, qr_code, qr_code_matches};
pub use roots::{PinnedRoots, pinned_roots_from_b64};
pub use security::{SECURITY_ANSWERS, SECURITY_QUESTIONS, fold_answer, normalize_answer};
pub use signature::{DocumentSignature, SIGNATURE_FORMAT, hex};
pub use status::{DeviceStatus, STATUS_MAX_LIFETIME_SECS, STATUS_TYPE, StatusClaims};
pub use text::{TextProblem, text_problem};
pub use verify::{
    APPROVAL_MAX_AGE_SECS, CLOCK_SKEW_SECS, Expected, SignedApproval, VerifiedApproval,
    verify_approval, verify_approval_with, verify_device_signature,
};

/// Re-exported so callers name the same key types this crate verifies with.
pub use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}
