//! Compact JWS (RFC 7515) restricted to ES256 with raw `r||s` signatures (RFC 7518 §3.4).
use alloc::{format, string::String, vec::Vec};

use p256::ecdsa::{Signature, SigningKey, VerifyingKey, signature::Signer, signature::Verifier};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::{Token, VerifyError, b64};

const ES256: &str = "ES256";

/// The protected header of every Tessera JWS. Unknown parameters (`jwk`, `jku`, `crit`,
/// …) are refused rather than ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwsHeader {
    /// Always `ES256`.
    pub alg: String,
    /// What the token is; a token of one type is never accepted as another.
    pub typ: String,
    /// The certificate chain `[device, issuer]`, only on approvals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certs: Option<Vec<String>>,
}

impl JwsHeader {
    /// An ES256 header of type `typ`, optionally carrying a certificate chain.
    pub fn new(typ: &str, certs: Option<Vec<String>>) -> Self {
        JwsHeader {
            alg: ES256.into(),
            typ: typ.into(),
            certs,
        }
    }
}

/// A compact JWS whose structure, header and signature encoding have been checked, but
/// whose signature has not been verified yet.
pub(crate) struct Parsed<'a> {
    pub header: JwsHeader,
    signing_input: &'a str,
    payload: Vec<u8>,
    signature: &'a str,
    token: Token,
}

impl<'a> Parsed<'a> {
    pub fn parse(jws: &'a str, token: Token, typ: &str) -> Result<Self, VerifyError> {
        let mut parts = jws.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::JwsMalformed(token));
        };
        let header_json = b64::decode(h).ok_or(VerifyError::JwsMalformed(token))?;
        let header: JwsHeader = serde_json::from_slice(&header_json).map_err(|e| {
            if e.is_data() {
                VerifyError::AlgorithmNotAllowed(token)
            } else {
                VerifyError::JwsMalformed(token)
            }
        })?;
        if header.alg != ES256 {
            return Err(VerifyError::AlgorithmNotAllowed(token));
        }
        if header.typ != typ {
            return Err(VerifyError::WrongTokenType(token));
        }
        let payload = b64::decode(p).ok_or(VerifyError::JwsMalformed(token))?;
        let signing_input = &jws[..h.len() + 1 + p.len()];
        Ok(Parsed {
            header,
            signing_input,
            payload,
            signature: s,
            token,
        })
    }

    /// Decodes the claims without looking at the signature: display only.
    pub fn claims_unverified<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.payload).ok()
    }

    /// Verifies the signature with `key`, then decodes the claims.
    pub fn verify<T: DeserializeOwned>(&self, key: &VerifyingKey) -> Result<T, VerifyError> {
        let signature = b64::decode(self.signature).ok_or(VerifyError::JwsMalformed(self.token))?;
        verify_es256(key, self.signing_input.as_bytes(), &signature, self.token)?;
        serde_json::from_slice(&self.payload).map_err(|_| VerifyError::ClaimsMalformed(self.token))
    }
}

/// Verifies a raw `r||s` ES256 signature over `message`, refusing malformed, out-of-range
/// and high-S signatures with their own errors.
pub fn verify_es256(
    key: &VerifyingKey,
    message: &[u8],
    signature: &[u8],
    token: Token,
) -> Result<(), VerifyError> {
    if signature.len() != 64 {
        return Err(VerifyError::SignatureMalformed(token));
    }
    let signature =
        Signature::from_slice(signature).map_err(|_| VerifyError::SignatureOutOfRange(token))?;
    if signature.normalize_s() != signature {
        return Err(VerifyError::SignatureHighS(token));
    }
    key.verify(message, &signature)
        .map_err(|_| VerifyError::SignatureInvalid(token))
}

/// The JWS signing input `BASE64URL(header).BASE64URL(claims)`, for a signer that holds
/// its key elsewhere (the companion's WebCrypto key).
pub fn signing_input<C: Serialize>(header: &JwsHeader, claims: &C) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no
    // custom serialisers.
    let header = serde_json::to_vec(header).unwrap_or_default();
    let claims = serde_json::to_vec(claims).unwrap_or_default();
    format!("{}.{}", b64::encode(&header), b64::encode(&claims))
}

/// Appends a raw `r||s` signature to a signing input, normalised to low S (WebCrypto
/// returns either form).
pub fn assemble(signing_input: &str, raw_signature: &[u8]) -> Result<String, VerifyError> {
    let signature = Signature::from_slice(raw_signature)
        .map_err(|_| VerifyError::SignatureMalformed(Token::Approval))?
        .normalize_s();
    Ok(format!(
        "{signing_input}.{}",
        b64::encode(&signature.to_bytes())
    ))
}

/// Signs `claims` under `header` with a key held in memory (the server's CA keys).
pub fn sign<C: Serialize>(key: &SigningKey, header: &JwsHeader, claims: &C) -> String {
    let input = signing_input(header, claims);
    let signature: Signature = key.sign(input.as_bytes());
    let signature = signature.normalize_s();
    format!("{input}.{}", b64::encode(&signature.to_bytes()))
}

/// Parses an uncompressed SEC1 P-256 point (65 bytes, `04||x||y`) in base64url; `None`
/// for anything else, including points not on the curve and the identity.
pub fn verifying_key_from_b64(text: &str) -> Option<VerifyingKey> {
    let bytes = b64::decode(text)?;
    if bytes.len() != 65 || bytes[0] != 4 {
        return None;
    }
    VerifyingKey::from_sec1_bytes(&bytes).ok()
}

/// Encodes a public key as an uncompressed SEC1 point in base64url.
pub fn verifying_key_to_b64(key: &VerifyingKey) -> String {
    b64::encode(key.to_sec1_point(false).as_bytes())
}
