//! Every reason an approval is refused, each its own variant so each is testable and
//! the partner can tell them apart. `code()` is stable and greppable; `Display` is for
//! developers. The widget maps codes to texts for people.
use core::fmt;

use crate::status::DeviceStatus;

/// Which of the signed tokens in an approval a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// The approval the device signed.
    Approval,
    /// The device certificate (first in the chain).
    DeviceCertificate,
    /// The issuing CA certificate (second in the chain).
    IssuerCertificate,
    /// The server's status statement.
    Status,
    /// The server's signed answer to an offline code ([`crate::offline`]).
    OfflineResult,
}

impl Token {
    fn name(self) -> &'static str {
        match self {
            Token::Approval => "approval",
            Token::DeviceCertificate => "device certificate",
            Token::IssuerCertificate => "issuer certificate",
            Token::Status => "status statement",
            Token::OfflineResult => "offline result",
        }
    }
}

/// Why [`crate::verify_approval`] refused an approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Longer than [`crate::MAX_TOKEN_BYTES`]: refused before anything is decoded.
    TokenTooLarge(Token),
    /// Not a compact JWS: three base64url parts whose header is a JSON object.
    JwsMalformed(Token),
    /// The header has a parameter besides `alg`, `typ` and `certs` (`jwk`, `jku`, `crit`,
    /// …): keys and instructions are never taken from a header.
    HeaderParameterNotAllowed(Token),
    /// The header names no algorithm, or another than ES256.
    AlgorithmNotAllowed(Token),
    /// The header's `typ` is missing or not the one this token must have (a certificate
    /// presented as an approval, say).
    WrongTokenType(Token),
    /// A status statement or a certificate carries `certs`; only approvals do.
    CertificatesNotAllowed(Token),
    /// The header is not in the one encoding this crate writes (member order, spacing,
    /// escapes, duplicates).
    HeaderNotCanonical(Token),
    /// The signature is not 64 bytes of raw `r||s`.
    SignatureMalformed(Token),
    /// `r` or `s` is zero or not below the group order.
    SignatureOutOfRange(Token),
    /// `s` is in the upper half of the group order; only low-S signatures are accepted.
    SignatureHighS(Token),
    /// The signature does not verify under the key that must have made it.
    SignatureInvalid(Token),
    /// The payload is not the claims this token must carry (bad JSON, missing or unknown
    /// fields).
    ClaimsMalformed(Token),
    /// The claims are not in the one encoding this crate writes (a member as an array,
    /// `null` for an absent member, member order, spacing, escapes).
    ClaimsNotCanonical(Token),
    /// A public key in a certificate is not a valid P-256 point.
    PublicKeyInvalid(Token),
    /// The approval does not carry exactly `[device certificate, issuer certificate]`.
    ChainShape,
    /// The issuer certificate is not signed by the pinned root.
    UntrustedRoot,
    /// A certificate is used in the wrong role: a CA as a device or a device as a CA.
    CertificateRole(Token),
    /// A certificate's validity ended before now.
    CertificateExpired(Token),
    /// A certificate's validity starts after now.
    CertificateNotYetValid(Token),
    /// A certificate claims a longer validity than its role allows
    /// ([`crate::DEVICE_CERTIFICATE_MAX_LIFETIME_SECS`],
    /// [`crate::ISSUER_CERTIFICATE_MAX_LIFETIME_SECS`]).
    CertificateLifetimeTooLong(Token),
    /// The approval names another device than its certificate.
    DeviceMismatch,
    /// What the caller expects is inconsistent: a login with a details digest, or a
    /// confirmation or signature without one. Refused before the approval is read.
    ExpectedInconsistent,
    /// The approval comes from another user than the one the caller expects.
    UserMismatch,
    /// The approval is for another session than the one the page started.
    SessionMismatch,
    /// The approval answers another nonce than the session's.
    NonceMismatch,
    /// The approval was made for another partner.
    PartnerMismatch,
    /// The approval was made for another web origin than this page's.
    OriginMismatch,
    /// The approval is for another kind of request (login, confirm, sign).
    KindMismatch,
    /// The signed transaction details differ from the ones the page asked for.
    DetailsMismatch,
    /// The document is not the one the signature is for (its SHA-256 differs).
    DocumentMismatch,
    /// The user denied the request on the phone.
    Denied,
    /// The approval was signed too long ago, or too far in the future.
    ApprovalStale,
    /// The status statement has expired, or claims a longer life than allowed.
    StatusExpired,
    /// The status statement expires before it was issued.
    StatusLifetimeInvalid,
    /// The status statement is about another approval, session or device.
    StatusMismatch,
    /// The server says the device is not active (suspended, revoked, locked, replaced).
    DeviceNotActive(DeviceStatus),
    /// The approval's coarse location is not a place on Earth in its one form.
    LocationOutOfRange,
}

impl VerifyError {
    /// A stable, greppable code for logs, APIs and translations.
    pub fn code(&self) -> &'static str {
        use VerifyError::*;
        match self {
            TokenTooLarge(_) => "token_too_large",
            JwsMalformed(_) => "jws_malformed",
            HeaderParameterNotAllowed(_) => "header_parameter_not_allowed",
            AlgorithmNotAllowed(_) => "algorithm_not_allowed",
            WrongTokenType(_) => "wrong_token_type",
            CertificatesNotAllowed(_) => "certificates_not_allowed",
            HeaderNotCanonical(_) => "header_not_canonical",
            SignatureMalformed(_) => "signature_malformed",
            SignatureOutOfRange(_) => "signature_out_of_range",
            SignatureHighS(_) => "signature_high_s",
            SignatureInvalid(_) => "signature_invalid",
            ClaimsMalformed(_) => "claims_malformed",
            ClaimsNotCanonical(_) => "claims_not_canonical",
            PublicKeyInvalid(_) => "public_key_invalid",
            ChainShape => "chain_shape",
            UntrustedRoot => "untrusted_root",
            CertificateRole(_) => "certificate_role",
            CertificateExpired(_) => "certificate_expired",
            CertificateNotYetValid(_) => "certificate_not_yet_valid",
            CertificateLifetimeTooLong(_) => "certificate_lifetime_too_long",
            DeviceMismatch => "device_mismatch",
            ExpectedInconsistent => "expected_inconsistent",
            UserMismatch => "user_mismatch",
            SessionMismatch => "session_mismatch",
            NonceMismatch => "nonce_mismatch",
            PartnerMismatch => "partner_mismatch",
            OriginMismatch => "origin_mismatch",
            KindMismatch => "kind_mismatch",
            DetailsMismatch => "details_mismatch",
            DocumentMismatch => "document_mismatch",
            Denied => "denied",
            ApprovalStale => "approval_stale",
            StatusExpired => "status_expired",
            StatusLifetimeInvalid => "status_lifetime_invalid",
            StatusMismatch => "status_mismatch",
            DeviceNotActive(_) => "device_not_active",
            LocationOutOfRange => "location_out_of_range",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyError::*;
        match self {
            TokenTooLarge(t) => write!(f, "the {} is longer than any valid one", t.name()),
            JwsMalformed(t) => write!(f, "the {} is not a well-formed compact JWS", t.name()),
            HeaderParameterNotAllowed(t) => {
                write!(f, "the {} header has a parameter that is not allowed", t.name())
            }
            AlgorithmNotAllowed(t) => write!(f, "the {} header does not name ES256", t.name()),
            WrongTokenType(t) => write!(f, "the {} has the wrong token type", t.name()),
            CertificatesNotAllowed(t) => {
                write!(f, "the {} header carries certificates", t.name())
            }
            HeaderNotCanonical(t) => {
                write!(f, "the {} header is not in its one encoding", t.name())
            }
            SignatureMalformed(t) => {
                write!(f, "the {} signature is not 64 bytes of r||s", t.name())
            }
            SignatureOutOfRange(t) => {
                write!(f, "the {} signature has r or s outside 1..n-1", t.name())
            }
            SignatureHighS(t) => write!(f, "the {} signature is not in low-S form", t.name()),
            SignatureInvalid(t) => write!(f, "the {} signature does not verify", t.name()),
            ClaimsMalformed(t) => write!(f, "the {} claims are malformed", t.name()),
            ClaimsNotCanonical(t) => {
                write!(f, "the {} claims are not in their one encoding", t.name())
            }
            PublicKeyInvalid(t) => {
                write!(f, "the {} holds a key that is not a P-256 point", t.name())
            }
            ChainShape => f.write_str("the certificate chain is not [device, issuer]"),
            UntrustedRoot => f.write_str("the issuer certificate is not signed by the pinned root"),
            CertificateRole(t) => write!(f, "the {} is used in the wrong role", t.name()),
            CertificateExpired(t) => write!(f, "the {} has expired", t.name()),
            CertificateNotYetValid(t) => write!(f, "the {} is not valid yet", t.name()),
            CertificateLifetimeTooLong(t) => {
                write!(f, "the {} is valid for longer than allowed", t.name())
            }
            DeviceMismatch => f.write_str("the approval names another device than its certificate"),
            ExpectedInconsistent => f.write_str(
                "the expected request is inconsistent: confirm and sign need a details digest, login has none",
            ),
            UserMismatch => f.write_str("the approval comes from another user"),
            SessionMismatch => f.write_str("the approval is for another session"),
            NonceMismatch => f.write_str("the approval answers another nonce"),
            PartnerMismatch => f.write_str("the approval is for another partner"),
            OriginMismatch => f.write_str("the approval is for another web origin"),
            KindMismatch => f.write_str("the approval is for another kind of request"),
            DetailsMismatch => f.write_str("the signed details differ from the requested ones"),
            DocumentMismatch => f.write_str("the document is not the one that was signed"),
            Denied => f.write_str("the user denied the request"),
            ApprovalStale => f.write_str("the approval was not signed within the allowed window"),
            StatusExpired => f.write_str("the status statement has expired"),
            StatusLifetimeInvalid => f.write_str("the status statement expires before it was issued"),
            StatusMismatch => {
                f.write_str("the status statement is about another approval or device, or verified the user otherwise")
            }
            DeviceNotActive(s) => write!(f, "the device is {}", s.as_str()),
            LocationOutOfRange => f.write_str("the approval's location is out of range"),
        }
    }
}

impl core::error::Error for VerifyError {}
