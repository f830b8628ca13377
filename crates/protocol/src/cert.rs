//! Device and issuer certificates.
//!
//! A certificate is a compact JWS (ES256) over [`CertificateClaims`], signed by its
//! issuer. We chose this over X.509 on purpose: the widget verifies chains in every bank
//! page, and a JSON/JWS certificate reuses the one parser and the one signature check the
//! approval needs anyway, instead of adding an ASN.1 DER parser (size, attack surface) to
//! the wasm. The chain is fixed: root (pinned, never sent) → issuer (CA) → device.
use alloc::string::String;

use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};

use crate::{
    Es256Equation, Token, VerifyError, json::object_only, jws::Parsed, verifying_key_from_b64,
};

/// The JWS `typ` of a certificate.
pub const CERTIFICATE_TYPE: &str = "tessera-cert+jwt";

/// The longest validity (`exp - nbf`) a device certificate may claim: two years and a day
/// (the server issues two years, back-dated a minute for clock skew).
pub const DEVICE_CERTIFICATE_MAX_LIFETIME_SECS: u64 = 731 * 86_400;
/// The longest validity an issuing CA's certificate may claim: ten years and three days
/// (ten years of 365 days, with room for leap days and the skew minute).
pub const ISSUER_CERTIFICATE_MAX_LIFETIME_SECS: u64 = 3653 * 86_400;

/// What a certificate binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct CertificateClaims {
    /// Serial number, unique per issuer (hex).
    pub ser: String,
    /// The issuer's subject name.
    pub iss: String,
    /// The subject: the user id for a device, the CA's name for a CA.
    pub sub: String,
    /// The device id; present exactly on device certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<String>,
    /// The subject's public key, uncompressed SEC1 P-256 point in base64url.
    pub key: String,
    /// Whether the subject may sign certificates and status statements.
    pub ca: bool,
    /// Not valid before (Unix seconds).
    pub nbf: u64,
    /// Not valid after (Unix seconds).
    pub exp: u64,
}

object_only!(CertificateClaims);

impl CertificateClaims {
    /// Reads the claims of a certificate **without verifying it**: for showing a device
    /// its own certificate, never for a trust decision.
    pub fn read_unverified(jws: &str) -> Option<Self> {
        let parsed = Parsed::parse(jws, Token::DeviceCertificate).ok()?;
        parsed.claims_unverified()
    }
}

/// A chain that verified up to the pinned root.
pub(crate) struct VerifiedChain {
    pub device: CertificateClaims,
    pub device_id: String,
    pub device_key: VerifyingKey,
    pub issuer_key: VerifyingKey,
}

pub(crate) fn verify_chain(
    certs: &[String],
    roots: &[VerifyingKey],
    now: u64,
    equation: &mut dyn Es256Equation,
) -> Result<VerifiedChain, VerifyError> {
    let [device_jws, issuer_jws] = certs else {
        return Err(VerifyError::ChainShape);
    };
    let issuer_token = Token::IssuerCertificate;
    let parsed = Parsed::parse(issuer_jws, issuer_token)?;
    // The issuer must be signed by one of the pinned roots (two while the root rotates).
    // Only a signature that fails under every one is an untrusted root; any other error
    // does not depend on the key and is returned as it is.
    let mut issuer: Option<CertificateClaims> = None;
    for root in roots {
        match parsed.verify(root, equation) {
            Ok(claims) => {
                issuer = Some(claims);
                break;
            }
            Err(VerifyError::SignatureInvalid(_)) => {}
            Err(other) => return Err(other),
        }
    }
    let issuer = issuer.ok_or(VerifyError::UntrustedRoot)?;
    if !issuer.ca || issuer.dev.is_some() {
        return Err(VerifyError::CertificateRole(issuer_token));
    }
    check_validity(
        &issuer,
        now,
        issuer_token,
        ISSUER_CERTIFICATE_MAX_LIFETIME_SECS,
    )?;
    let issuer_key =
        verifying_key_from_b64(&issuer.key).ok_or(VerifyError::PublicKeyInvalid(issuer_token))?;

    let device_token = Token::DeviceCertificate;
    let device: CertificateClaims =
        Parsed::parse(device_jws, device_token)?.verify(&issuer_key, equation)?;
    let Some(device_id) = device.dev.clone().filter(|_| !device.ca) else {
        return Err(VerifyError::CertificateRole(device_token));
    };
    check_validity(
        &device,
        now,
        device_token,
        DEVICE_CERTIFICATE_MAX_LIFETIME_SECS,
    )?;
    let device_key =
        verifying_key_from_b64(&device.key).ok_or(VerifyError::PublicKeyInvalid(device_token))?;
    Ok(VerifiedChain {
        device,
        device_id,
        device_key,
        issuer_key,
    })
}

fn check_validity(
    cert: &CertificateClaims,
    now: u64,
    token: Token,
    max_lifetime: u64,
) -> Result<(), VerifyError> {
    // A certificate valid for decades would outlive every revocation and key rotation.
    if cert.exp.saturating_sub(cert.nbf) > max_lifetime {
        return Err(VerifyError::CertificateLifetimeTooLong(token));
    }
    if now < cert.nbf {
        return Err(VerifyError::CertificateNotYetValid(token));
    }
    if now > cert.exp {
        return Err(VerifyError::CertificateExpired(token));
    }
    Ok(())
}
