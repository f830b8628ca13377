//! The certificate authority: a root key (whose public half partners pin) certifies
//! issuing CAs, which sign device certificates and the short-lived status statements.
//! Keys are created on first start and kept in the database.
//!
//! Issuers rotate without downtime: `tessera rotate-issuer` adds a generation, which
//! certifies every new device from then on. An older generation keeps signing the status
//! of the devices it certified, because a verifier checks a status statement with the
//! issuer key in the device's own chain; so no device and no partner notices a rotation.
//! A generation is used until its certificate expires, and no device certificate outlives
//! its issuer's.
//!
//! The root rotates in two steps, also without downtime (`tessera rotate-root`): first a
//! next root is announced (JWKS `tessera_role: next_root`, `tessera root-key --all`)
//! and certifies nothing, so partners pin it beside the current one; then, once they have,
//! `tessera rotate-root --activate` certifies a new issuer generation with it, and new
//! devices chain to it. Older devices keep chaining to the previous root, which stays
//! listed (`previous_root`) for partners to keep pinned until those devices are gone.
use std::sync::RwLock;

use tessera_protocol::{
    CERTIFICATE_TYPE, CertificateClaims, JwsHeader, STATUS_TYPE, SigningKey, StatusClaims,
    UserVerification, VerifyingKey, b64_encode, sha256, sign, verifying_key_to_b64,
};

use crate::{
    error::{AppError, AppResult},
    secrets::random_bytes,
    store::{DeviceRow, Store},
};

const ROOT_NAME: &str = "Tessera Root CA";
const ISSUER_VALIDITY_SECS: u64 = 10 * 365 * 86_400;
const DEVICE_VALIDITY_SECS: u64 = 2 * 365 * 86_400;
// Every certificate issued here (back-dated a minute for clock skew) is one the verifier
// accepts: it refuses longer lifetimes.
const _: () = assert!(
    DEVICE_VALIDITY_SECS + 60 <= tessera_protocol::DEVICE_CERTIFICATE_MAX_LIFETIME_SECS
        && ISSUER_VALIDITY_SECS + 60 <= tessera_protocol::ISSUER_CERTIFICATE_MAX_LIFETIME_SECS
);
/// Long enough for the widget and then the partner's backend to verify, short enough that
/// a suspended device stops being trusted quickly.
pub const STATUS_LIFETIME_SECS: u64 = 120;

pub struct Ca {
    root_public: VerifyingKey,
    /// Oldest first; the last one certifies new devices.
    issuers: RwLock<Vec<Issuer>>,
}

/// One generation of issuing CA.
#[derive(Clone)]
pub struct Issuer {
    pub generation: u32,
    key: SigningKey,
    certificate: String,
    claims: CertificateClaims,
}

impl Issuer {
    pub fn public_key(&self) -> &VerifyingKey {
        self.key.verifying_key()
    }

    /// When its certificate, and with it every status it signs, stops being valid.
    pub fn expires_at(&self) -> u64 {
        self.claims.exp
    }

    fn name(generation: u32) -> String {
        format!("Tessera Issuing CA {generation}")
    }
}

pub(crate) fn new_key() -> SigningKey {
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

fn stored_root_key(store: &Store) -> AppResult<Option<SigningKey>> {
    store
        .ca_key("root")?
        .map(|(secret, _)| load_key(&secret))
        .transpose()
}

fn load_issuers(store: &Store) -> AppResult<Vec<Issuer>> {
    store
        .issuers()?
        .into_iter()
        .map(|row| {
            let claims = CertificateClaims::read_unverified(&row.certificate)
                .ok_or_else(|| AppError::Internal("corrupt issuer certificate".into()))?;
            Ok(Issuer {
                generation: row.generation,
                key: load_key(&row.secret)?,
                certificate: row.certificate,
                claims,
            })
        })
        .collect()
}

/// Where a root stands in its rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootState {
    /// The newest activated root: it certifies new issuers.
    Active,
    /// An older root: devices certified before the rotation still chain to it.
    Previous,
    /// Announced, not yet used: partners pin it now.
    Next,
}

impl RootState {
    /// The JWKS `tessera_role`.
    pub fn role(self) -> &'static str {
        match self {
            RootState::Active => "root",
            RootState::Previous => "previous_root",
            RootState::Next => "next_root",
        }
    }
}

/// A root generation and where it stands.
pub struct Root {
    pub generation: u32,
    key: SigningKey,
    pub state: RootState,
}

impl Root {
    pub fn public_key(&self) -> &VerifyingKey {
        self.key.verifying_key()
    }
}

/// Every root generation, oldest first: the first (the `root` row of `ca_keys`), then
/// the later ones; the newest activated is the active one.
fn load_roots(store: &Store) -> AppResult<Vec<Root>> {
    let first = stored_root_key(store)?
        .ok_or_else(|| AppError::Internal("this installation has no root key yet".into()))?;
    let later = store.later_roots()?;
    let active = later
        .iter()
        .filter(|row| row.activated_at.is_some())
        .map(|row| row.generation)
        .max()
        .unwrap_or(1);
    let mut roots = vec![(1, first, true)];
    for row in later {
        roots.push((
            row.generation,
            load_key(&row.secret)?,
            row.activated_at.is_some(),
        ));
    }
    Ok(roots
        .into_iter()
        .map(|(generation, key, activated)| Root {
            generation,
            key,
            state: match (activated, generation == active) {
                (false, _) => RootState::Next,
                (true, true) => RootState::Active,
                (true, false) => RootState::Previous,
            },
        })
        .collect())
}

fn active_root(store: &Store) -> AppResult<SigningKey> {
    load_roots(store)?
        .into_iter()
        .find(|root| root.state == RootState::Active)
        .map(|root| root.key)
        .ok_or_else(|| AppError::Internal("no active root".into()))
}

/// Certifies a new issuer under the root and stores it as the next generation.
fn add_issuer(store: &Store, root: &SigningKey, now: u64) -> AppResult<u32> {
    let generation = store.latest_issuer_generation()? + 1;
    let key = new_key();
    let claims = CertificateClaims {
        ser: b64_encode(&random_bytes::<8>()),
        iss: ROOT_NAME.into(),
        sub: Issuer::name(generation),
        dev: None,
        key: verifying_key_to_b64(key.verifying_key()),
        ca: true,
        nbf: now - 60,
        exp: now + ISSUER_VALIDITY_SECS,
    };
    let certificate = sign(root, &JwsHeader::new(CERTIFICATE_TYPE, None), &claims);
    store.insert_issuer(generation, &key.to_bytes(), &certificate, now)?;
    Ok(generation)
}

impl Ca {
    /// The root public key of an existing installation, without creating one.
    pub fn stored_root(store: &Store) -> AppResult<Option<VerifyingKey>> {
        Ok(stored_root_key(store)?.map(|key| *key.verifying_key()))
    }

    pub fn load_or_create(store: &Store, now: u64) -> AppResult<Ca> {
        let root = match stored_root_key(store)? {
            Some(key) => key,
            None => load_key(&store.ca_key_or_insert("root", &new_key().to_bytes())?)?,
        };
        // Another instance starting on the same empty database may add the first issuer
        // between our check and our insert; its issuer serves as well as ours.
        if store.latest_issuer_generation()? == 0
            && let Err(error) = add_issuer(store, &root, now)
            && store.latest_issuer_generation()? == 0
        {
            return Err(error);
        }
        Ok(Ca {
            root_public: *root.verifying_key(),
            issuers: RwLock::new(load_issuers(store)?),
        })
    }

    /// Adds an issuer generation to an installation, running or not; a running server
    /// picks it up at its next activation. Returns the new generation.
    pub fn rotate_issuer(store: &Store, now: u64) -> AppResult<u32> {
        add_issuer(store, &active_root(store)?, now)
    }

    /// Root rotation, step 1: announces a next root, which certifies nothing until
    /// [`Ca::activate_next_root`]. Announcing again returns the one already announced.
    pub fn announce_next_root(store: &Store, now: u64) -> AppResult<(u32, VerifyingKey)> {
        let roots = load_roots(store)?;
        if let Some(next) = roots.iter().find(|r| r.state == RootState::Next) {
            return Ok((next.generation, *next.public_key()));
        }
        let generation = roots.last().map_or(1, |r| r.generation) + 1;
        let key = new_key();
        store.insert_root(generation, &key.to_bytes(), now)?;
        Ok((generation, *key.verifying_key()))
    }

    /// Root rotation, step 2, once partners pinned the announced root: it certifies a new
    /// issuer generation, which certifies every new device from then on (a running
    /// server picks it up at its next activation). Returns `(root, issuer)` generations.
    pub fn activate_next_root(store: &Store, now: u64) -> AppResult<(u32, u32)> {
        let next = load_roots(store)?
            .into_iter()
            .find(|r| r.state == RootState::Next)
            .ok_or_else(|| {
                AppError::Internal("no next root announced; run `tessera rotate-root` first".into())
            })?;
        // The issuer first: should this stop in between, the root is still "next" and
        // activating again adds another issuer, which is harmless.
        let issuer = add_issuer(store, &next.key, now)?;
        store.activate_root(next.generation, now)?;
        Ok((next.generation, issuer))
    }

    /// Every root generation with where it stands, oldest first, as partners should pin
    /// them: all of them.
    pub fn roots(store: &Store) -> AppResult<Vec<Root>> {
        load_roots(store)
    }

    /// The roots this server itself verifies approvals against: every generation, as a
    /// partner pins them.
    pub fn pinned(&self, store: &Store) -> AppResult<Vec<VerifyingKey>> {
        Ok(load_roots(store)?.iter().map(|r| *r.public_key()).collect())
    }

    /// The first root (what partners pinned before any rotation).
    pub fn root(&self) -> &VerifyingKey {
        &self.root_public
    }

    /// Every issuer generation whose certificate is still valid, oldest first, including
    /// one another process just added.
    pub fn issuers(&self, store: &Store, now: u64) -> AppResult<Vec<Issuer>> {
        self.refresh(store)?;
        Ok(self
            .read_issuers()
            .iter()
            .filter(|issuer| issuer.expires_at() >= now)
            .cloned()
            .collect())
    }

    fn read_issuers(&self) -> std::sync::RwLockReadGuard<'_, Vec<Issuer>> {
        // The list is only ever replaced whole, so a poisoned lock still holds a valid one.
        self.issuers.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Reloads the generations if another process added one.
    fn refresh(&self, store: &Store) -> AppResult<()> {
        let latest = store.latest_issuer_generation()?;
        if self.read_issuers().last().map(|i| i.generation) != Some(latest) {
            let fresh = load_issuers(store)?;
            *self.issuers.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        }
        Ok(())
    }

    pub fn root_b64(&self) -> String {
        verifying_key_to_b64(&self.root_public)
    }

    /// The chain `[device certificate, issuer certificate]` for a new device, from the
    /// newest issuer generation.
    pub fn issue_device_certificate(
        &self,
        store: &Store,
        user_id: &str,
        device_id: &str,
        public_key: &str,
        now: u64,
    ) -> AppResult<Vec<String>> {
        self.refresh(store)?;
        let issuers = self.read_issuers();
        let issuer = issuers
            .last()
            .ok_or_else(|| AppError::Internal("no issuing CA".into()))?;
        let claims = CertificateClaims {
            ser: b64_encode(&random_bytes::<8>()),
            iss: issuer.claims.sub.clone(),
            sub: user_id.into(),
            dev: Some(device_id.into()),
            key: public_key.into(),
            ca: false,
            nbf: now - 60,
            exp: (now + DEVICE_VALIDITY_SECS).min(issuer.expires_at()),
        };
        let certificate = sign(
            &issuer.key,
            &JwsHeader::new(CERTIFICATE_TYPE, None),
            &claims,
        );
        Ok(vec![certificate, issuer.certificate.clone()])
    }

    /// Staples the device's status to this approval, signed by the issuer that certified
    /// the device (the key a verifier finds in the device's chain).
    pub fn status_statement(
        &self,
        store: &Store,
        device: &DeviceRow,
        approval: &str,
        session_id: &str,
        uv: UserVerification,
        now: u64,
    ) -> AppResult<String> {
        let claims = StatusClaims {
            sid: session_id.into(),
            dev: device.id.clone(),
            apr: b64_encode(&sha256(approval.as_bytes())),
            st: device.status,
            uv,
            iat: now,
            exp: now + STATUS_LIFETIME_SECS,
        };
        let header = JwsHeader::new(STATUS_TYPE, None);
        let issuer_certificate = device
            .certificates
            .get(1)
            .ok_or_else(|| AppError::Internal("device chain without an issuer".into()))?;
        for attempt in 0..2 {
            if attempt == 1 {
                self.refresh(store)?;
            }
            let issuers = self.read_issuers();
            if let Some(issuer) = issuers
                .iter()
                .find(|i| &i.certificate == issuer_certificate)
            {
                return Ok(sign(&issuer.key, &header, &claims));
            }
        }
        Err(AppError::Internal(
            "the device was certified by an issuer this installation does not have".into(),
        ))
    }
}
