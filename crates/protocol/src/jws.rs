//! Compact JWS (RFC 7515) restricted to ES256 with raw `r||s` signatures (RFC 7518 §3.4).
use alloc::{format, string::String, vec::Vec};

use p256::ecdsa::{Signature, SigningKey, VerifyingKey, signature::Signer};
use serde::{
    Deserialize, Serialize,
    de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor},
};

use crate::{
    APPROVAL_TYPE, CERTIFICATE_TYPE, STATUS_TYPE, Token, VerifyError, b64,
    json::{NotCanonical, canonical},
};

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

/// The longest compact JWS accepted, checked before anything is decoded. An approval
/// carrying its two certificates is about 2 KB; a quarter of the bound is headroom for
/// longer names. Anything longer is refused in microseconds, whoever calls the crate.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

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
    /// Parses `jws` as the `token` it must be: its `typ` follows from the token, and only
    /// an approval carries certificates.
    pub fn parse(jws: &'a str, token: Token) -> Result<Self, VerifyError> {
        if jws.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TokenTooLarge(token));
        }
        let mut parts = jws.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::JwsMalformed(token));
        };
        let header_json = b64::decode(h).ok_or(VerifyError::JwsMalformed(token))?;
        let header = parse_header(&header_json, token)?;
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
    pub fn claims_unverified<T: DeserializeOwned + Serialize>(&self) -> Option<T> {
        canonical(&self.payload).ok()
    }

    /// Verifies the signature with `key`, then decodes the claims, in their one encoding.
    pub fn verify<T: DeserializeOwned + Serialize>(
        &self,
        key: &VerifyingKey,
        equation: &mut dyn Es256Equation,
    ) -> Result<T, VerifyError> {
        let signature = b64::decode(self.signature).ok_or(VerifyError::JwsMalformed(self.token))?;
        verify_es256_with(
            equation,
            key,
            self.signing_input.as_bytes(),
            &signature,
            self.token,
        )?;
        canonical(&self.payload).map_err(|e| match e {
            NotCanonical::Malformed => VerifyError::ClaimsMalformed(self.token),
            NotCanonical::Encoding => VerifyError::ClaimsNotCanonical(self.token),
        })
    }
}

/// The header of a `token`, each defect named: not a JSON object (`jws_malformed`), a
/// member other than `alg`, `typ` and `certs` (a `jwk` or `crit`, say), an algorithm
/// other than ES256, another or no `typ`, certificates on anything but an approval, and
/// finally any encoding but the one [`JwsHeader`] is written in.
fn parse_header(json: &[u8], token: Token) -> Result<JwsHeader, VerifyError> {
    let Ok(members) = serde_json::from_slice::<HeaderMembers>(json) else {
        return Err(VerifyError::JwsMalformed(token));
    };
    if members.unknown {
        return Err(VerifyError::HeaderParameterNotAllowed(token));
    }
    if members.alg.as_ref().and_then(Member::as_str) != Some(ES256) {
        return Err(VerifyError::AlgorithmNotAllowed(token));
    }
    let typ = token_type(token);
    if members.typ.as_ref().and_then(Member::as_str) != Some(typ) {
        return Err(VerifyError::WrongTokenType(token));
    }
    let certs = match members.certs {
        None => None,
        Some(_) if token != Token::Approval => {
            return Err(VerifyError::CertificatesNotAllowed(token));
        }
        Some(Member::Strings(items)) => Some(items),
        Some(_) => return Err(VerifyError::JwsMalformed(token)),
    };
    let header = JwsHeader::new(typ, certs);
    match serde_json::to_vec(&header) {
        Ok(written) if written == json => Ok(header),
        _ => Err(VerifyError::HeaderNotCanonical(token)),
    }
}

/// A header's members as [`parse_header`] judges them, read in one pass without building
/// a `serde_json::Value` (its map machinery cost the widget 4.6 KB of wasm, 1.8 KB
/// brotli). Like `Value`, a repeated member keeps its last value; the canonical check
/// refuses such a header anyway.
#[derive(Default)]
struct HeaderMembers {
    alg: Option<Member>,
    typ: Option<Member>,
    certs: Option<Member>,
    /// Some member other than `alg`, `typ` and `certs` was present.
    unknown: bool,
}

/// A member's JSON value, reduced to what a header may hold: a string, an array of
/// strings (`certs`), or anything else (still read to its end, so it must be valid JSON).
enum Member {
    Str(String),
    Strings(Vec<String>),
    Other,
}

impl Member {
    fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for HeaderMembers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = HeaderMembers;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderMembers, A::Error> {
                let mut members = HeaderMembers::default();
                while let Some(name) = map.next_key::<String>()? {
                    let slot = match name.as_str() {
                        "alg" => &mut members.alg,
                        "typ" => &mut members.typ,
                        "certs" => &mut members.certs,
                        _ => {
                            members.unknown = true;
                            // Read as a Member, not skipped as IgnoredAny: serde_json skips
                            // without its nesting limit, which a Value read enforced.
                            map.next_value::<Member>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(members)
            }
        }
        deserializer.deserialize_map(Members)
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyValue;
        impl<'de> Visitor<'de> for AnyValue {
            type Value = Member;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Member, E> {
                Ok(Member::Str(text.into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Member, A::Error> {
                let mut strings = Some(Vec::new());
                while let Some(item) = items.next_element::<Member>()? {
                    match (item, &mut strings) {
                        (Member::Str(text), Some(list)) => list.push(text),
                        _ => strings = None,
                    }
                }
                Ok(strings.map_or(Member::Other, Member::Strings))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
                while map.next_entry::<IgnoredAny, Member>()?.is_some() {}
                Ok(Member::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_unit<E>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
        }
        deserializer.deserialize_any(AnyValue)
    }
}

/// The `typ` a token must carry: a token of one type is never accepted as another.
fn token_type(token: Token) -> &'static str {
    match token {
        Token::Approval => APPROVAL_TYPE,
        Token::DeviceCertificate | Token::IssuerCertificate => CERTIFICATE_TYPE,
        Token::Status => STATUS_TYPE,
        Token::OfflineResult => crate::offline::OFFLINE_RESULT_TYPE,
    }
}

/// The ECDSA P-256 / SHA-256 equation alone, on a signature already parsed, in range
/// and in low-S form (the policy is [`verify_es256`]'s, before any equation runs).
///
/// Every verification in this crate has a `_with` form taking one, for a verifier whose
/// equation lives elsewhere: the widget asks the browser's WebCrypto, which is native
/// code and twenty times faster than p256 compiled to wasm, and which answers
/// asynchronously (see `tessera_widget::verify`). [`Es256`] is the crate's own.
pub trait Es256Equation {
    /// Whether `signature` is `key`'s over `message` (hashed here with SHA-256).
    fn holds(&mut self, key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool;
}

/// The crate's own equation: ring natively, where speed matters (assembly, five times
/// faster than p256's portable arithmetic); p256 in wasm, where there is no ring.
#[derive(Debug, Clone, Copy, Default)]
pub struct Es256;

impl Es256Equation for Es256 {
    fn holds(&mut self, key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
        verify_es256_backend(key, message, signature)
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
    verify_es256_with(&mut Es256, key, message, signature, token)
}

/// [`verify_es256`] with the equation of the caller's choice.
pub fn verify_es256_with(
    equation: &mut dyn Es256Equation,
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
    if equation.holds(key, message, &signature) {
        Ok(())
    } else {
        Err(VerifyError::SignatureInvalid(token))
    }
}

/// The ECDSA equation itself: p256 in wasm, where size matters; ring natively, where speed
/// does.
#[cfg(target_arch = "wasm32")]
fn verify_es256_backend(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    p256::ecdsa::signature::Verifier::verify(key, message, signature).is_ok()
}

#[cfg(not(target_arch = "wasm32"))]
fn verify_es256_backend(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
    let point = key.to_sec1_point(false);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point.as_bytes())
        .verify(message, &signature.to_bytes())
        .is_ok()
}

/// The portable p256 verification, natively too: for tests that hold both backends to
/// the same answers.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn verify_es256_portable(key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
    p256::ecdsa::signature::Verifier::verify(key, message, signature).is_ok()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// ring and p256 give the same answer on every Wycheproof P-256 vector whose signature
    /// parses (high S included: the policy check comes before either backend).
    #[test]
    fn both_backends_agree_on_every_wycheproof_vector() {
        use wycheproof::ecdsa::{TestName, TestSet};
        let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
        let mut compared = 0;
        for group in &set.test_groups {
            let key = VerifyingKey::from_sec1_bytes(&group.key.key).unwrap();
            for test in &group.tests {
                let Ok(signature) = Signature::from_slice(&test.sig) else {
                    continue;
                };
                assert_eq!(
                    verify_es256_backend(&key, &test.msg, &signature),
                    verify_es256_portable(&key, &test.msg, &signature),
                    "tc {}",
                    test.tc_id
                );
                compared += 1;
            }
        }
        assert!(compared > 150, "{compared}");
    }

    /// The key parser agrees with p256's own SEC1 parser on every uncompressed point it
    /// is given: each Wycheproof key, with each coordinate off by one, or reduced to p's
    /// bytes, and the identity and compressed forms are refused outright.
    #[test]
    fn keys_parse_exactly_as_sec1_uncompressed_points() {
        use wycheproof::ecdsa::{TestName, TestSet};
        let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
        const P: [u8; 32] = [
            0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let mut points = 0;
        for group in &set.test_groups {
            let point: Vec<u8> = group.key.key.to_vec();
            let mut variants = alloc::vec![point.clone()];
            for i in [1, 32, 33, 64] {
                let mut changed = point.clone();
                changed[i] ^= 1;
                variants.push(changed);
            }
            let mut x_is_p = point.clone();
            x_is_p[1..33].copy_from_slice(&P);
            variants.push(x_is_p);
            for bytes in variants {
                let ours = verifying_key_from_b64(&b64::encode(&bytes));
                assert_eq!(
                    ours,
                    VerifyingKey::from_sec1_bytes(&bytes).ok(),
                    "{bytes:?}"
                );
                points += usize::from(ours.is_some());
            }
            let compressed = VerifyingKey::from_sec1_bytes(&point)
                .unwrap()
                .to_sec1_point(true);
            assert_eq!(
                verifying_key_from_b64(&b64::encode(compressed.as_bytes())),
                None
            );
        }
        assert_eq!(verifying_key_from_b64(&b64::encode(&[0])), None);
        assert_eq!(verifying_key_from_b64(&b64::encode(&[4; 64])), None);
        assert!(points >= set.test_groups.len(), "{points}");
    }
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
    use p256::elliptic_curve::point::AffineCoordinates;
    let bytes = b64::decode(text)?;
    let (4, coordinates) = bytes.split_first()? else {
        return None;
    };
    let (x, y) = coordinates.split_at_checked(32)?;
    let (Ok(x), Ok(y)) = (x.try_into(), y.try_into()) else {
        return None;
    };
    // What `from_sec1_bytes` does for this form (coordinates below p, on the curve),
    // without linking its decompression of the compressed forms: 6.5 KB of wasm.
    let point = Option::from(p256::AffinePoint::from_coordinates(&x, &y))?;
    VerifyingKey::from_affine(point).ok()
}

/// Encodes a public key as an uncompressed SEC1 point in base64url.
pub fn verifying_key_to_b64(key: &VerifyingKey) -> String {
    b64::encode(key.to_sec1_point(false).as_bytes())
}
