//! Builders for valid and deliberately broken approvals, for tests in this crate, in the
//! widget (wasm, headless Chromium) and in the server. Keys are fixed scalars so failures
//! reproduce; never use them outside tests.
use alloc::{string::String, vec, vec::Vec};

use p256::ecdsa::SigningKey;

use crate::{
    APPROVAL_TYPE, ApprovalClaims, CERTIFICATE_TYPE, CertificateClaims, Decision, DeviceStatus,
    Expected, JwsHeader, Kind, STATUS_TYPE, SignedApproval, StatusClaims, UserVerification, b64,
    sha256, sign, verifying_key_to_b64,
};

/// A fixed point in time the fixtures are valid at (2026-11-25T00:00:00Z).
pub const NOW: u64 = 1_795_564_800;

/// What the fixtures' approvals answer.
pub fn expected() -> Expected<'static> {
    Expected {
        session_id: "s-0001",
        nonce: "n-0001",
        partner_id: "demo-bank",
        origin: "https://bank.example",
        kind: Kind::Login,
        details_digest: None,
        user_id: None,
    }
}

/// A test key from a fixed scalar.
pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).expect("a small repeated byte is a valid scalar")
}

/// A certificate for `subject_key`, signed by `issuer_key`.
pub fn certificate(issuer_key: &SigningKey, claims: &CertificateClaims) -> String {
    sign(issuer_key, &JwsHeader::new(CERTIFICATE_TYPE, None), claims)
}

/// Certificate claims valid around [`NOW`].
pub fn certificate_claims(subject_key: &SigningKey, device: Option<&str>) -> CertificateClaims {
    CertificateClaims {
        ser: "01".into(),
        iss: if device.is_some() {
            "Test Issuing CA".into()
        } else {
            "Test Root".into()
        },
        sub: if device.is_some() {
            "alice".into()
        } else {
            "Test Issuing CA".into()
        },
        dev: device.map(String::from),
        key: verifying_key_to_b64(subject_key.verifying_key()),
        ca: device.is_none(),
        nbf: NOW - 3600,
        exp: NOW + 3600,
    }
}

/// A root, an issuing CA and a device with its certificate chain.
pub struct Fixture {
    /// The root key the verifier pins.
    pub root: SigningKey,
    /// The issuing CA's key (signs device certificates and status statements).
    pub issuer: SigningKey,
    /// The device's key.
    pub device: SigningKey,
    /// `[device certificate, issuer certificate]`.
    pub certificates: Vec<String>,
}

impl Default for Fixture {
    fn default() -> Self {
        let (root, issuer, device) = (key(1), key(2), key(3));
        let certificates = vec![
            certificate(&issuer, &certificate_claims(&device, Some("d-0001"))),
            certificate(&root, &certificate_claims(&issuer, None)),
        ];
        Fixture {
            root,
            issuer,
            device,
            certificates,
        }
    }
}

impl Fixture {
    /// Approval claims that answer `expected` at [`NOW`].
    pub fn claims(&self, expected: &Expected<'_>) -> ApprovalClaims {
        ApprovalClaims {
            sid: expected.session_id.into(),
            nonce: expected.nonce.into(),
            pid: expected.partner_id.into(),
            origin: expected.origin.into(),
            kind: expected.kind,
            dd: expected.details_digest.map(|d| b64::encode(&d)),
            decision: Decision::Approve,
            dev: "d-0001".into(),
            iat: NOW,
            uv: Some(UserVerification::Pin),
            loc: None,
        }
    }

    /// Signs `claims` with the device key, carrying this fixture's chain.
    pub fn sign_approval(&self, claims: &ApprovalClaims) -> String {
        let header = JwsHeader::new(APPROVAL_TYPE, Some(self.certificates.clone()));
        sign(&self.device, &header, claims)
    }

    /// Status claims for `approval`, issued at [`NOW`] for a minute.
    pub fn status_claims(&self, approval: &str, claims: &ApprovalClaims) -> StatusClaims {
        StatusClaims {
            sid: claims.sid.clone(),
            dev: claims.dev.clone(),
            apr: b64::encode(&sha256(approval.as_bytes())),
            st: DeviceStatus::Active,
            uv: UserVerification::Pin,
            iat: NOW,
            exp: NOW + 60,
        }
    }

    /// Signs status claims with the issuing CA.
    pub fn sign_status(&self, status: &StatusClaims) -> String {
        sign(&self.issuer, &JwsHeader::new(STATUS_TYPE, None), status)
    }

    /// Approval and status for `claims`, both valid.
    pub fn signed(&self, claims: &ApprovalClaims) -> SignedApproval {
        let approval = self.sign_approval(claims);
        let status = self.sign_status(&self.status_claims(&approval, claims));
        SignedApproval { approval, status }
    }

    /// A valid approval of `expected`.
    pub fn approval(&self, expected: &Expected<'_>) -> SignedApproval {
        self.signed(&self.claims(expected))
    }
}
