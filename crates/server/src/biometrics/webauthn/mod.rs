//! WebAuthn (Level 2) for the companion's biometrics: the registration of a platform
//! credential and the verification of its assertions, reduced to what we ask for: ES256
//! only, `attestation: "none"`, user verification required. Pure functions; the routes
//! that issue challenges and store credentials are in `biometrics/mod.rs`.
pub mod cbor;
mod error;
pub mod soft;

use p256::ecdsa::{Signature, VerifyingKey, signature::Verifier};
use serde::Deserialize;
use tessera_protocol::{b64_decode, sha256};

use cbor::Cbor;

pub use error::WebAuthnError;

pub use crate::store::Credential;

/// Authenticator data flags (WebAuthn §6.1).
const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_AT: u8 = 0x40;
const FLAG_ED: u8 = 0x80;
/// rpIdHash, flags, signCount.
const AUTH_DATA_HEAD: usize = 32 + 1 + 4;
/// The longest credential id WebAuthn allows.
const MAX_CREDENTIAL_ID: usize = 1023;

/// Who we are to the authenticator: the companion's origin and its host as the RP id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    pub origin: String,
    pub id: String,
}

impl RelyingParty {
    /// The relying party of a companion served at `public_url` (`scheme://host[:port]`).
    pub fn from_public_url(public_url: &str) -> Option<RelyingParty> {
        let origin = public_url.trim_end_matches('/');
        let (_, authority) = origin.split_once("://")?;
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split_once(']')?.0,
            None => authority.split(':').next()?,
        };
        (!host.is_empty()).then(|| RelyingParty {
            origin: origin.to_string(),
            id: host.to_ascii_lowercase(),
        })
    }
}

/// What the browser hands back from `navigator.credentials.create` (raw bytes).
pub struct Registration<'a> {
    pub credential_id: &'a [u8],
    pub client_data_json: &'a [u8],
    pub attestation_object: &'a [u8],
}

/// What the browser hands back from `navigator.credentials.get` (raw bytes).
pub struct Assertion<'a> {
    pub credential_id: &'a [u8],
    pub client_data_json: &'a [u8],
    pub authenticator_data: &'a [u8],
    pub signature: &'a [u8],
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default, rename = "crossOrigin")]
    cross_origin: bool,
}

/// Checks the client data of a `ceremony` (`webauthn.create` or `webauthn.get`). Other
/// members may appear (browsers add some on purpose) and are ignored, as the spec says.
fn check_client_data(
    json: &[u8],
    ceremony: &str,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<(), WebAuthnError> {
    let data: ClientData = serde_json::from_slice(json).map_err(|_| WebAuthnError::ClientData)?;
    if data.kind != ceremony {
        return Err(WebAuthnError::WrongType);
    }
    if b64_decode(&data.challenge).as_deref() != Some(challenge) {
        return Err(WebAuthnError::WrongChallenge);
    }
    // An iframe on another site must not be able to act for the companion.
    if data.origin != rp.origin || data.cross_origin {
        return Err(WebAuthnError::WrongOrigin);
    }
    Ok(())
}

/// The authenticator data's fixed head, checked: RP id, user present and verified.
struct AuthData<'a> {
    flags: u8,
    sign_count: u32,
    rest: &'a [u8],
}

fn parse_auth_data<'a>(data: &'a [u8], rp: &RelyingParty) -> Result<AuthData<'a>, WebAuthnError> {
    if data.len() < AUTH_DATA_HEAD {
        return Err(WebAuthnError::AuthData);
    }
    if data[..32] != sha256(rp.id.as_bytes()) {
        return Err(WebAuthnError::WrongRpId);
    }
    let flags = data[32];
    if flags & FLAG_UP == 0 {
        return Err(WebAuthnError::UserNotPresent);
    }
    if flags & FLAG_UV == 0 {
        return Err(WebAuthnError::UserNotVerified);
    }
    let sign_count = u32::from_be_bytes([data[33], data[34], data[35], data[36]]);
    Ok(AuthData {
        flags,
        sign_count,
        rest: &data[AUTH_DATA_HEAD..],
    })
}

/// Extensions, if flagged, must be one CBOR map and the last thing in the data.
fn check_extensions(flags: u8, rest: &[u8]) -> Result<(), WebAuthnError> {
    match (flags & FLAG_ED != 0, rest.is_empty()) {
        (false, true) => Ok(()),
        (true, false) => match cbor::decode(rest) {
            Ok(Cbor::Map(_)) => Ok(()),
            _ => Err(WebAuthnError::AuthData),
        },
        _ => Err(WebAuthnError::AuthData),
    }
}

/// The COSE key (RFC 9053) as an uncompressed point: EC2 (kty 2), ES256 (alg -7), P-256
/// (crv 1), nothing else and no other parameter.
fn cose_p256(key: &Cbor) -> Result<Vec<u8>, WebAuthnError> {
    let int = |label: i128| key.get(&Cbor::Int(label));
    let mut labels: Vec<i128> = key
        .keys()
        .into_iter()
        .map(|k| match k {
            Cbor::Int(n) => Ok(*n),
            _ => Err(WebAuthnError::UnsupportedKey),
        })
        .collect::<Result<_, _>>()?;
    labels.sort_unstable();
    let fixed = [(1, 2), (3, -7), (-1, 1)];
    if labels != [-3, -2, -1, 1, 3]
        || fixed
            .iter()
            .any(|&(label, value)| int(label) != Some(&Cbor::Int(value)))
    {
        return Err(WebAuthnError::UnsupportedKey);
    }
    let mut point = vec![4u8];
    for label in [-2, -3] {
        match int(label) {
            Some(Cbor::Bytes(c)) if c.len() == 32 => point.extend_from_slice(c),
            _ => return Err(WebAuthnError::UnsupportedKey),
        }
    }
    VerifyingKey::from_sec1_bytes(&point).map_err(|_| WebAuthnError::UnsupportedKey)?;
    Ok(point)
}

/// Verifies a registration answering `challenge` and returns the credential to store.
pub fn verify_registration(
    registration: &Registration<'_>,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<Credential, WebAuthnError> {
    check_client_data(
        registration.client_data_json,
        "webauthn.create",
        challenge,
        rp,
    )?;
    let object = cbor::decode(registration.attestation_object)?;
    let text = |s: &str| Cbor::Text(s.into());
    let mut keys: Vec<&Cbor> = object.keys();
    keys.sort_by_key(|k| format!("{k:?}"));
    if keys != [&text("attStmt"), &text("authData"), &text("fmt")] {
        return Err(WebAuthnError::Cbor);
    }
    // We asked for no attestation: a statement we would not check is refused, not ignored.
    if object.get(&text("fmt")) != Some(&text("none"))
        || object.get(&text("attStmt")) != Some(&Cbor::Map(Vec::new()))
    {
        return Err(WebAuthnError::Attestation);
    }
    let Some(Cbor::Bytes(auth_data)) = object.get(&text("authData")) else {
        return Err(WebAuthnError::Cbor);
    };
    let head = parse_auth_data(auth_data, rp)?;
    if head.flags & FLAG_AT == 0 || head.rest.len() < 18 {
        return Err(WebAuthnError::AuthData);
    }
    // AAGUID (16 bytes, all zero under "none"), then the credential id's length and id.
    let id_len = usize::from(u16::from_be_bytes([head.rest[16], head.rest[17]]));
    let id = head
        .rest
        .get(18..18 + id_len)
        .ok_or(WebAuthnError::AuthData)?;
    if id.is_empty() || id_len > MAX_CREDENTIAL_ID || id != registration.credential_id {
        return Err(WebAuthnError::WrongCredential);
    }
    let after_id = &head.rest[18 + id_len..];
    let (key, used) = cbor::decode_prefix(after_id)?;
    let public_key = cose_p256(&key)?;
    check_extensions(head.flags, &after_id[used..])?;
    Ok(Credential {
        id: id.to_vec(),
        public_key,
        sign_count: head.sign_count,
    })
}

/// Verifies an assertion answering `challenge` with `credential`; the new signature
/// counter to store.
pub fn verify_assertion(
    assertion: &Assertion<'_>,
    credential: &Credential,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<u32, WebAuthnError> {
    if assertion.credential_id != credential.id.as_slice() {
        return Err(WebAuthnError::WrongCredential);
    }
    check_client_data(assertion.client_data_json, "webauthn.get", challenge, rp)?;
    let head = parse_auth_data(assertion.authenticator_data, rp)?;
    if head.flags & FLAG_AT != 0 {
        return Err(WebAuthnError::AuthData);
    }
    check_extensions(head.flags, head.rest)?;
    let signature = der_signature(assertion.signature)?;
    let key = VerifyingKey::from_sec1_bytes(&credential.public_key)
        .map_err(|_| WebAuthnError::UnsupportedKey)?;
    let mut signed = assertion.authenticator_data.to_vec();
    signed.extend_from_slice(&sha256(assertion.client_data_json));
    key.verify(&signed, &signature)
        .map_err(|_| WebAuthnError::SignatureInvalid)?;
    // A counter of zero on both sides means the authenticator keeps none (allowed);
    // otherwise it must grow, or two copies of the key exist.
    if (head.sign_count != 0 || credential.sign_count != 0)
        && head.sign_count <= credential.sign_count
    {
        return Err(WebAuthnError::CounterNotIncreased);
    }
    Ok(head.sign_count)
}

/// A strict DER `SEQUENCE { INTEGER r, INTEGER s }` (minimal lengths and integers), as
/// authenticators send it. It is normalised to low S before verifying: authenticators
/// sign with plain ECDSA and half their signatures are high-S, and the assertion is
/// checked once and never stored or relayed, so its malleability gives nobody anything.
fn der_signature(der: &[u8]) -> Result<Signature, WebAuthnError> {
    let bad = WebAuthnError::SignatureMalformed;
    let body = match der {
        [0x30, len, body @ ..] if usize::from(*len) == body.len() && *len < 0x80 => body,
        _ => return Err(bad),
    };
    let mut rest = body;
    let mut scalars = [[0u8; 32]; 2];
    for scalar in &mut scalars {
        let (len, tail) = match rest {
            [0x02, len, tail @ ..] if *len < 0x80 => (usize::from(*len), tail),
            _ => return Err(bad),
        };
        let value = tail.get(..len).ok_or(bad)?;
        rest = &tail[len..];
        let digits = match value {
            // Negative, or a leading zero that was not needed.
            [] => return Err(bad),
            [first, ..] if first & 0x80 != 0 => return Err(bad),
            [0, next, ..] if next & 0x80 == 0 => return Err(bad),
            [0, digits @ ..] => digits,
            digits => digits,
        };
        if digits.len() > 32 {
            return Err(bad);
        }
        scalar[32 - digits.len()..].copy_from_slice(digits);
    }
    if !rest.is_empty() {
        return Err(bad);
    }
    let [r, s] = scalars;
    let signature = Signature::from_scalars(r, s).map_err(|_| bad)?;
    Ok(signature.normalize_s())
}

#[cfg(test)]
mod tests;
