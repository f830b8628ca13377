//! The certificate authority: a root key (whose public half partners pin) certifies an
//! issuing CA, which signs device certificates and the short-lived status statements.
//! Keys are created on first start and kept in the database.
use tessera_protocol::{
    CERTIFICATE_TYPE, CertificateClaims, DeviceStatus, JwsHeader, STATUS_TYPE, SigningKey,
    StatusClaims, UserVerification, VerifyingKey, b64_encode, sha256, sign, verifying_key_to_b64,
};

use crate::{
    error::{AppError, AppResult},
    secrets::random_bytes,
    store::Store,
};

const ROOT_NAME: &str = "Tessera Root CA";
const ISSUER_NAME: &str = "Tessera Issuing CA 1";
const ISSUER_VALIDITY_SECS: u64 = 10 * 365 * 86_400;
const DEVICE_VALIDITY_SECS: u64 = 2 * 365 * 86_400;
/// Long enough for the widget and then the partner's backend to verify, short enough that
/// a suspended device stops being trusted quickly.
pub const STATUS_LIFETIME_SECS: u64 = 120;

pub struct Ca {
    root_public: VerifyingKey,
    issuer: SigningKey,
    issuer_certificate: String,
}

fn new_key() -> SigningKey {
    loop {
        // A random 32-byte string is a valid scalar except with negligible probability.
        if let Ok(key) = SigningKey::from_slice(&random_bytes::<32>()) {
            return key;
        }
    }
}

fn load_key(secret: &[u8]) -> AppResult<SigningKey> {
    SigningKey::from_slice(secret)
        .map_err(|_| AppError::Internal("corrupt CA key in the database".into()))
}

impl Ca {
    /// The root public key of an existing installation, without creating one.
    pub fn stored_root(store: &Store) -> AppResult<Option<VerifyingKey>> {
        store
            .ca_key("root")?
            .map(|(secret, _)| load_key(&secret).map(|key| *key.verifying_key()))
            .transpose()
    }

    pub fn load_or_create(store: &Store, now: u64) -> AppResult<Ca> {
        let root = match store.ca_key("root")? {
            Some((secret, _)) => load_key(&secret)?,
            None => {
                let key = new_key();
                store.insert_ca_key("root", &key.to_bytes(), None)?;
                key
            }
        };
        let (issuer, issuer_certificate) = match store.ca_key("issuer")? {
            Some((secret, Some(certificate))) => (load_key(&secret)?, certificate),
            _ => {
                let key = new_key();
                let claims = CertificateClaims {
                    ser: b64_encode(&random_bytes::<8>()),
                    iss: ROOT_NAME.into(),
                    sub: ISSUER_NAME.into(),
                    dev: None,
                    key: verifying_key_to_b64(key.verifying_key()),
                    ca: true,
                    nbf: now - 60,
                    exp: now + ISSUER_VALIDITY_SECS,
                };
                let certificate = sign(&root, &JwsHeader::new(CERTIFICATE_TYPE, None), &claims);
                store.insert_ca_key("issuer", &key.to_bytes(), Some(&certificate))?;
                (key, certificate)
            }
        };
        Ok(Ca {
            root_public: *root.verifying_key(),
            issuer,
            issuer_certificate,
        })
    }

    pub fn root(&self) -> &VerifyingKey {
        &self.root_public
    }

    /// The issuing CA's public key: it signs device certificates and status statements.
    pub fn issuer(&self) -> &VerifyingKey {
        self.issuer.verifying_key()
    }

    pub fn root_b64(&self) -> String {
        verifying_key_to_b64(&self.root_public)
    }

    /// The chain `[device certificate, issuer certificate]` for a new device.
    pub fn issue_device_certificate(
        &self,
        user_id: &str,
        device_id: &str,
        public_key: &str,
        now: u64,
    ) -> Vec<String> {
        let claims = CertificateClaims {
            ser: b64_encode(&random_bytes::<8>()),
            iss: ISSUER_NAME.into(),
            sub: user_id.into(),
            dev: Some(device_id.into()),
            key: public_key.into(),
            ca: false,
            nbf: now - 60,
            exp: now + DEVICE_VALIDITY_SECS,
        };
        let certificate = sign(
            &self.issuer,
            &JwsHeader::new(CERTIFICATE_TYPE, None),
            &claims,
        );
        vec![certificate, self.issuer_certificate.clone()]
    }

    /// Staples the device's status to this approval.
    pub fn status_statement(
        &self,
        approval: &str,
        session_id: &str,
        device_id: &str,
        status: DeviceStatus,
        now: u64,
    ) -> String {
        let claims = StatusClaims {
            sid: session_id.into(),
            dev: device_id.into(),
            apr: b64_encode(&sha256(approval.as_bytes())),
            st: status,
            uv: UserVerification::Pin,
            iat: now,
            exp: now + STATUS_LIFETIME_SECS,
        };
        sign(&self.issuer, &JwsHeader::new(STATUS_TYPE, None), &claims)
    }
}
