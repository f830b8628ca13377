//! The offline one-time code (issue 17; the seed's Scan and LuxTrust Mobile work without
//! a network): a phone with no connection reads the widget's offline QR, shows what it
//! asks, and computes an 8-digit OCRA code (RFC 6287, suite [`OFFLINE_OCRA_SUITE`]) from
//! a question that hashes the session, its nonce, partner, origin, kind and the digest of
//! the details. A changed amount or payee changes the question, so the code (PSD2 dynamic
//! linking); the nonce is the session's own, and the server takes a code once.
//!
//! The OCRA key is never stored: the phone keeps a non-extractable HMAC key and derives
//! the OCRA key from it and the PIN ([`offline_key_message`]); the server holds only the
//! derived key, given at provisioning with the PIN checked. A wrong PIN therefore gives a
//! wrong code, which only the server can tell, and counts against the device's offline
//! budget there.
use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{
    Details, Expected, Kind, MAX_TOKEN_BYTES, Token, VerifyError, VerifyingKey, b64, hex, sha256,
    verify_es256,
};

/// The OCRASuite: HMAC-SHA-256, 8 digits, a 64-hex-digit question (a SHA-256), no
/// counter, no time (the session's nonce makes every question new).
pub const OFFLINE_OCRA_SUITE: &str = "OCRA-1:HOTP-SHA256-8:QH64";

/// Digits of an offline code.
pub const OFFLINE_CODE_DIGITS: usize = 8;

/// What the offline question hashes: everything the phone shows and an approval would
/// sign. Fields are length-prefixed so no two different sessions encode alike.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct OfflineSession<'a> {
    pub session_id: &'a str,
    pub nonce: &'a str,
    pub partner_id: &'a str,
    pub origin: &'a str,
    pub kind: Kind,
    pub details: Option<&'a Details>,
}

impl OfflineSession<'_> {
    /// The OCRA question: 64 upper-case hex digits of SHA-256 over the fields.
    pub fn question(&self) -> String {
        let mut input = Vec::from(&b"tessera-offline/1"[..]);
        let digest = self.details.map(Details::digest);
        let fields: [&[u8]; 6] = [
            self.session_id.as_bytes(),
            self.nonce.as_bytes(),
            self.partner_id.as_bytes(),
            self.origin.as_bytes(),
            self.kind.as_str().as_bytes(),
            digest.as_ref().map_or(&b""[..], |d| &d[..]),
        ];
        for field in fields {
            // Every field is bounded far below 4 GiB by the server's validation.
            input.extend_from_slice(&(field.len() as u32).to_be_bytes());
            input.extend_from_slice(field);
        }
        hex(&sha256(&input)).to_ascii_uppercase()
    }
}

/// The message the phone's HMAC key signs to derive the OCRA key for `pin`.
pub fn offline_key_message(pin: &str) -> Vec<u8> {
    let mut message = Vec::from(&b"tessera-offline-key/1\0"[..]);
    message.extend_from_slice(pin.as_bytes());
    message
}

/// A typed offline code with spaces dropped; `None` unless [`OFFLINE_CODE_DIGITS`]
/// digits.
pub fn normalize_offline_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == OFFLINE_CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// What the widget's offline QR carries to a phone with no network: everything the phone
/// shows and hashes into the question. Nothing in it is secret; a forged one makes the
/// phone compute a code for what it shows, which the server's question refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineChallenge {
    /// The session id.
    pub session_id: String,
    /// The session's nonce.
    pub nonce: String,
    /// The partner.
    pub partner_id: String,
    /// The page's origin.
    pub origin: String,
    /// What is asked.
    pub kind: Kind,
    /// The details, for a confirmation or a signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

impl OfflineChallenge {
    /// The question for this challenge (see [`OfflineSession::question`]).
    pub fn question(&self) -> String {
        OfflineSession {
            session_id: &self.session_id,
            nonce: &self.nonce,
            partner_id: &self.partner_id,
            origin: &self.origin,
            kind: self.kind,
            details: self.details.as_ref(),
        }
        .question()
    }

    /// The companion link the offline QR shows: `{server}/companion/#/offline/{b64url JSON}`.
    pub fn link(&self, server: &str) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        alloc::format!(
            "{}/companion/#/offline/{}",
            server.trim_end_matches('/'),
            crate::b64_encode(&json)
        )
    }

    /// The challenge in a location hash `#/offline/{b64url JSON}`, its details checked
    /// and normalised as the server does (so the phone hashes what the server hashes);
    /// `None` if it is not one, or its details are unsafe or wrong for its kind.
    pub fn from_hash(hash: &str) -> Option<OfflineChallenge> {
        let encoded = hash.strip_prefix("#/offline/")?;
        let json = crate::b64_decode(encoded)?;
        let challenge: OfflineChallenge = serde_json::from_slice(&json).ok()?;
        let details = crate::details_for(challenge.kind, challenge.details).ok()?;
        Some(OfflineChallenge {
            details,
            ..challenge
        })
    }
}

/// Companion → server (`POST /v1/device/offline-key`): the device's OCRA key, derived
/// from its HMAC key and the PIN, with the PIN for the server to check.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineKeyRequest {
    /// The OCRA key, 32 bytes (base64url).
    pub key: String,
    /// The PIN it was derived with.
    pub pin: String,
}

/// Widget → server (`POST /v1/sessions/{id}/offline`): the user and the code the phone
/// showed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineAnswer {
    /// The user id the person typed.
    pub user_id: String,
    /// The 8 digits the phone showed.
    pub code: String,
}

/// Server → widget: the session is answered; `result` is a JWT signed with a key of the
/// server's JWKS ([`OfflineResultClaims`]), for the partner's backend to verify.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineAccepted {
    /// The signed result (compact JWS, ES256, `kid` of the JWKS).
    pub result: String,
}

/// The `token_use` of an offline result, so it is never taken for an ID token.
pub const OFFLINE_RESULT_USE: &str = "tessera_offline_result";

/// The `typ` of an offline result's header: a JWT (RFC 7519).
pub const OFFLINE_RESULT_TYPE: &str = "JWT";

/// How long an offline result may claim to live (the server gives 5 minutes).
pub const OFFLINE_RESULT_MAX_LIFETIME_SECS: u64 = 600;

/// How far a result's `iat` may lie ahead of the partner's clock.
const CLOCK_SKEW_SECS: u64 = 60;

/// One key of the server's JWKS (`/.well-known/jwks.json`), as a partner reads it.
#[derive(Deserialize)]
struct PublishedKey {
    kty: String,
    crv: String,
    x: String,
    y: String,
    #[serde(default)]
    tessera_role: String,
}

#[derive(Deserialize)]
struct PublishedKeys {
    keys: Vec<PublishedKey>,
}

/// The keys that sign offline results (and ID tokens), from the text of the server's
/// JWKS: those of role `id_token`, never a root or an issuer. Keys that are not valid
/// P-256 points are left out; a JWKS that is not one gives none.
pub fn offline_result_keys(jwks: &[u8]) -> Vec<VerifyingKey> {
    let Ok(published) = serde_json::from_slice::<PublishedKeys>(jwks) else {
        return Vec::new();
    };
    published
        .keys
        .iter()
        .filter(|k| k.tessera_role == "id_token" && k.kty == "EC" && k.crv == "P-256")
        .filter_map(|k| {
            let (x, y) = (b64::decode(&k.x)?, b64::decode(&k.y)?);
            if x.len() != 32 || y.len() != 32 {
                return None;
            }
            let mut point = Vec::with_capacity(65);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            VerifyingKey::from_sec1_bytes(&point).ok()
        })
        .collect()
}

/// The header of an offline result: exactly these members.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultHeader {
    alg: String,
    typ: String,
    // Which key: every published key is tried, so the kid only has to be there.
    #[allow(dead_code)]
    kid: String,
}

/// What a partner's backend checks before it takes an offline result (the widget hands
/// it over as `data-offline-result`): the signature under one of `keys` (the server's
/// [`offline_result_keys`]), and that it answers exactly the session the partner
/// started — the same [`Expected`] as for a phone's approval — and is still fresh.
/// The partner must still use the session up once, as for an approval.
pub fn verify_offline_result(
    jwt: &str,
    keys: &[VerifyingKey],
    expected: &Expected<'_>,
    now: u64,
) -> Result<OfflineResultClaims, VerifyError> {
    const TOKEN: Token = Token::OfflineResult;
    if jwt.len() > MAX_TOKEN_BYTES {
        return Err(VerifyError::TokenTooLarge(TOKEN));
    }
    if (expected.kind == Kind::Login) != expected.details_digest.is_none() {
        return Err(VerifyError::ExpectedInconsistent);
    }
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::JwsMalformed(TOKEN));
    };
    let header: ResultHeader = b64::decode(header)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(VerifyError::JwsMalformed(TOKEN))?;
    if header.alg != "ES256" {
        return Err(VerifyError::AlgorithmNotAllowed(TOKEN));
    }
    if header.typ != OFFLINE_RESULT_TYPE {
        return Err(VerifyError::WrongTokenType(TOKEN));
    }
    let signature = b64::decode(signature).ok_or(VerifyError::SignatureMalformed(TOKEN))?;
    // Three parts, so there is a last dot: what it ends is the signing input.
    let input = jwt.rsplit_once('.').map_or(jwt, |(input, _)| input);
    let mut verdict = Err(VerifyError::SignatureInvalid(TOKEN));
    for key in keys {
        verdict = verify_es256(key, input.as_bytes(), &signature, TOKEN);
        if !matches!(verdict, Err(VerifyError::SignatureInvalid(_))) {
            break;
        }
    }
    verdict?;
    let claims: OfflineResultClaims = b64::decode(payload)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(VerifyError::ClaimsMalformed(TOKEN))?;
    if claims.token_use != OFFLINE_RESULT_USE {
        return Err(VerifyError::WrongTokenType(TOKEN));
    }
    let mismatch = [
        (
            claims.sid == expected.session_id,
            VerifyError::SessionMismatch,
        ),
        (claims.nonce == expected.nonce, VerifyError::NonceMismatch),
        (
            claims.aud == expected.partner_id,
            VerifyError::PartnerMismatch,
        ),
        (
            claims.origin == expected.origin,
            VerifyError::OriginMismatch,
        ),
        (claims.kind == expected.kind, VerifyError::KindMismatch),
        (
            claims.dd == expected.details_digest.map(|d| b64::encode(&d)),
            VerifyError::DetailsMismatch,
        ),
        (
            expected.user_id.is_none_or(|user| claims.sub == user),
            VerifyError::UserMismatch,
        ),
    ];
    if let Some((_, refusal)) = mismatch.into_iter().find(|(held, _)| !held) {
        return Err(refusal);
    }
    let fresh = claims.iat <= now.saturating_add(CLOCK_SKEW_SECS)
        && now < claims.exp
        && claims.exp.saturating_sub(claims.iat) <= OFFLINE_RESULT_MAX_LIFETIME_SECS;
    if !fresh {
        return Err(VerifyError::ApprovalStale);
    }
    Ok(claims)
}

/// The claims of the server's signed offline result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineResultClaims {
    /// The server's public URL.
    pub iss: String,
    /// The partner the session is for.
    pub aud: String,
    /// Always [`OFFLINE_RESULT_USE`].
    pub token_use: String,
    /// The session id.
    pub sid: String,
    /// The session's nonce.
    pub nonce: String,
    /// The page's origin.
    pub origin: String,
    /// What was approved.
    pub kind: Kind,
    /// SHA-256 of the canonical details (base64url), for a confirmation or signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dd: Option<String>,
    /// The user.
    pub sub: String,
    /// The device whose code matched.
    pub dev: String,
    /// How: an OCRA code from a key derived with the PIN (`["otp", "pin"]`, RFC 8176).
    pub amr: Vec<String>,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Expires at (Unix seconds).
    pub exp: u64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{SigningKey, Transaction};

    fn transfer(amount_minor: u64, payee: &str) -> Details {
        Details::Transaction(Transaction {
            amount_minor,
            currency: "EUR".into(),
            payee_name: payee.into(),
            payee_iban: "LU280019400644750000".into(),
            reference: "Invoice 42".into(),
            payer_iban: None,
        })
    }

    fn session<'a>(details: Option<&'a Details>) -> OfflineSession<'a> {
        OfflineSession {
            session_id: "s1",
            nonce: "n1",
            partner_id: "demo-bank",
            origin: "https://bank.example",
            kind: if details.is_some() {
                Kind::Confirm
            } else {
                Kind::Login
            },
            details,
        }
    }

    #[test]
    fn the_question_is_64_hex_digits_and_binds_every_field() {
        let paid = transfer(12_500, "Alice Martin");
        let base = session(Some(&paid)).question();
        assert_eq!(base.len(), 64);
        assert!(
            base.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        );
        // Dynamic linking: another amount or payee, another question.
        let more = transfer(12_501, "Alice Martin");
        let other = transfer(12_500, "Alice Martln");
        assert_ne!(session(Some(&more)).question(), base);
        assert_ne!(session(Some(&other)).question(), base);
        let changed = |f: fn(&mut OfflineSession<'_>)| {
            let mut s = session(Some(&paid));
            f(&mut s);
            s.question()
        };
        assert_ne!(changed(|s| s.nonce = "n2"), base);
        assert_ne!(changed(|s| s.session_id = "s2"), base);
        assert_ne!(changed(|s| s.origin = "https://bank.example.evil"), base);
        assert_ne!(changed(|s| s.partner_id = "other"), base);
        assert_ne!(changed(|s| s.kind = Kind::Sign), base);
        assert_ne!(session(None).question(), base);
        // Length prefixes: moving a character from one field to the next changes it.
        assert_ne!(
            changed(|s| {
                s.session_id = "s1n";
                s.nonce = "1";
            }),
            base
        );
    }

    #[test]
    fn the_offline_link_carries_the_challenge_and_nothing_unsafe() {
        let paid = transfer(12_500, "Alice Martin");
        let challenge = OfflineChallenge {
            session_id: "s1".into(),
            nonce: "n1".into(),
            partner_id: "demo-bank".into(),
            origin: "https://bank.example".into(),
            kind: Kind::Confirm,
            details: Some(paid.clone()),
        };
        let link = challenge.link("https://tessera.example/");
        let hash = link
            .strip_prefix("https://tessera.example/companion/")
            .unwrap();
        let read = OfflineChallenge::from_hash(hash).unwrap();
        assert_eq!(read, challenge);
        assert_eq!(read.question(), session(Some(&paid)).question());
        // A payee that disguises itself is refused before any phone shows it.
        let disguised = OfflineChallenge {
            details: Some(transfer(12_500, "Alice\u{202E}Martin")),
            ..challenge.clone()
        };
        let hash = disguised.link("https://t.example");
        let hash = hash.strip_prefix("https://t.example/companion/").unwrap();
        assert_eq!(OfflineChallenge::from_hash(hash), None);
        let login_with_details = OfflineChallenge {
            kind: Kind::Login,
            ..challenge
        };
        let hash = login_with_details.link("https://t.example");
        let hash = hash.strip_prefix("https://t.example/companion/").unwrap();
        assert_eq!(OfflineChallenge::from_hash(hash), None);
        assert_eq!(OfflineChallenge::from_hash("#/scan/a/0/b"), None);
        assert_eq!(OfflineChallenge::from_hash("#/offline/!!"), None);
    }

    #[test]
    fn offline_codes_are_eight_digits() {
        assert_eq!(
            normalize_offline_code(" 1234 5678 ").as_deref(),
            Some("12345678")
        );
        assert_eq!(normalize_offline_code("1234567"), None);
        assert_eq!(normalize_offline_code("123456789"), None);
        assert_eq!(normalize_offline_code("1234567a"), None);
        assert_eq!(normalize_offline_code("１２３４５６７８"), None);
    }

    #[test]
    fn the_key_message_names_its_purpose_and_the_pin() {
        assert_eq!(
            offline_key_message("482913"),
            b"tessera-offline-key/1\x00482913"
        );
    }

    /// The server's signing, as `oidc::keys::sign_jwt` does it.
    fn sign_result(key: &SigningKey, header: &str, claims: &serde_json::Value) -> String {
        use p256::ecdsa::{Signature, signature::Signer};
        let input = alloc::format!(
            "{}.{}",
            b64::encode(header.as_bytes()),
            b64::encode(&serde_json::to_vec(claims).unwrap())
        );
        let signature: Signature = key.sign(input.as_bytes());
        alloc::format!(
            "{input}.{}",
            b64::encode(&signature.normalize_s().to_bytes())
        )
    }

    const HEADER: &str = r#"{"alg":"ES256","kid":"k1","typ":"JWT"}"#;
    const NOW: u64 = 1_800_000_000;

    fn good_claims() -> serde_json::Value {
        serde_json::json!({
            "iss": "https://id.example", "aud": "demo-bank",
            "token_use": OFFLINE_RESULT_USE, "sid": "s1", "nonce": "n1",
            "origin": "https://bank.example", "kind": "login", "sub": "alice",
            "dev": "d1", "amr": ["otp", "pin"], "iat": NOW - 10, "exp": NOW + 290,
        })
    }

    fn login<'a>() -> Expected<'a> {
        Expected {
            session_id: "s1",
            nonce: "n1",
            partner_id: "demo-bank",
            origin: "https://bank.example",
            kind: Kind::Login,
            details_digest: None,
            user_id: None,
        }
    }

    fn server_key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap()
    }

    fn check(jwt: &str, expected: &Expected<'_>) -> Result<OfflineResultClaims, VerifyError> {
        let keys = [
            *SigningKey::from_slice(&[9u8; 32]).unwrap().verifying_key(),
            *server_key().verifying_key(),
        ];
        verify_offline_result(jwt, &keys, expected, NOW)
    }

    fn with(change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut claims = good_claims();
        change(&mut claims);
        sign_result(&server_key(), HEADER, &claims)
    }

    #[test]
    fn a_result_of_a_published_key_for_this_session_is_taken() {
        let claims = check(&with(|_| {}), &login()).unwrap();
        assert_eq!((claims.sub.as_str(), claims.dev.as_str()), ("alice", "d1"));
        let alice = Expected {
            user_id: Some("alice"),
            ..login()
        };
        assert!(check(&with(|_| {}), &alice).is_ok());
    }

    #[test]
    fn a_result_for_anything_else_than_this_session_is_refused() {
        use VerifyError::*;
        let cases: [(&str, serde_json::Value, VerifyError); 6] = [
            ("sid", "s2".into(), SessionMismatch),
            ("nonce", "n2".into(), NonceMismatch),
            ("aud", "other-bank".into(), PartnerMismatch),
            ("origin", "https://bank.example.evil".into(), OriginMismatch),
            ("kind", "confirm".into(), KindMismatch),
            (
                "token_use",
                "id_token".into(),
                WrongTokenType(Token::OfflineResult),
            ),
        ];
        for (field, value, refusal) in cases {
            assert_eq!(
                check(&with(|c| c[field] = value), &login()),
                Err(refusal),
                "{field}"
            );
        }
        let bob = Expected {
            user_id: Some("bob"),
            ..login()
        };
        assert_eq!(check(&with(|_| {}), &bob), Err(UserMismatch));
        // A transfer: the digest of the details the bank asked for, and no other.
        let paid = transfer(12_500, "Alice Martin").digest();
        let confirm = Expected {
            kind: Kind::Confirm,
            details_digest: Some(paid),
            ..login()
        };
        let confirmed = |digest: &[u8]| {
            with(|c| {
                c["kind"] = "confirm".into();
                c["dd"] = b64::encode(digest).into();
            })
        };
        assert!(check(&confirmed(&paid), &confirm).is_ok());
        let more = transfer(12_501, "Alice Martin").digest();
        assert_eq!(check(&confirmed(&more), &confirm), Err(DetailsMismatch));
        let no_digest = with(|c| c["kind"] = "confirm".into());
        assert_eq!(check(&no_digest, &confirm), Err(DetailsMismatch));
        let inconsistent = Expected {
            details_digest: None,
            ..confirm
        };
        assert_eq!(
            check(&confirmed(&paid), &inconsistent),
            Err(ExpectedInconsistent)
        );
    }

    #[test]
    fn a_stale_or_long_lived_result_is_refused() {
        let stale = Err(VerifyError::ApprovalStale);
        assert_eq!(check(&with(|c| c["exp"] = NOW.into()), &login()), stale);
        assert_eq!(
            check(&with(|c| c["iat"] = (NOW + 61).into()), &login()),
            stale
        );
        let long = with(|c| {
            c["iat"] = (NOW - 10).into();
            c["exp"] = (NOW - 10 + OFFLINE_RESULT_MAX_LIFETIME_SECS + 1).into();
        });
        assert_eq!(check(&long, &login()), stale);
    }

    #[test]
    fn a_forged_or_malformed_result_is_refused() {
        use VerifyError::*;
        const T: Token = Token::OfflineResult;
        let good = with(|_| {});
        // Signed by a key the JWKS does not publish.
        let stranger = SigningKey::from_slice(&[5u8; 32]).unwrap();
        assert_eq!(
            check(&sign_result(&stranger, HEADER, &good_claims()), &login()),
            Err(SignatureInvalid(T))
        );
        // The claims changed after signing.
        let (input, signature) = good.rsplit_once('.').unwrap();
        let (header, _) = input.split_once('.').unwrap();
        let mut claims = good_claims();
        claims["sub"] = "mallory".into();
        let swapped = alloc::format!(
            "{header}.{}.{signature}",
            b64::encode(&serde_json::to_vec(&claims).unwrap())
        );
        assert_eq!(check(&swapped, &login()), Err(SignatureInvalid(T)));
        // High S: the same signature's other form.
        let raw = b64::decode(signature).unwrap();
        let low = p256::ecdsa::Signature::from_slice(&raw).unwrap();
        let (r, s) = low.split_scalars();
        let high = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
        let high = alloc::format!("{input}.{}", b64::encode(&high.to_bytes()));
        assert_eq!(check(&high, &login()), Err(SignatureHighS(T)));
        assert_eq!(
            check(
                &alloc::format!("{input}.{}", b64::encode(&[0u8; 64])),
                &login()
            ),
            Err(SignatureOutOfRange(T))
        );
        assert_eq!(
            check(&alloc::format!("{input}.AAAA"), &login()),
            Err(SignatureMalformed(T))
        );
        // Headers: no other algorithm, type or member.
        let header_cases = [
            (
                r#"{"alg":"none","kid":"k1","typ":"JWT"}"#,
                AlgorithmNotAllowed(T),
            ),
            (
                r#"{"alg":"ES256","kid":"k1","typ":"tessera-approval+jwt"}"#,
                WrongTokenType(T),
            ),
            (
                r#"{"alg":"ES256","jwk":{},"kid":"k1","typ":"JWT"}"#,
                JwsMalformed(T),
            ),
            (r#"{"alg":"ES256","typ":"JWT"}"#, JwsMalformed(T)),
            ("[]", JwsMalformed(T)),
        ];
        for (header, refusal) in header_cases {
            let jwt = sign_result(&server_key(), header, &good_claims());
            assert_eq!(check(&jwt, &login()), Err(refusal), "{header}");
        }
        // Claims: exactly the offline result's.
        let extra = with(|c| c["admin"] = true.into());
        assert_eq!(check(&extra, &login()), Err(ClaimsMalformed(T)));
        let missing = with(|c| {
            c.as_object_mut().unwrap().remove("sid");
        });
        assert_eq!(check(&missing, &login()), Err(ClaimsMalformed(T)));
        // Shapes.
        for jwt in ["", "a.b", "a.b.c.d", &alloc::format!("{good}.")] {
            assert_eq!(check(jwt, &login()), Err(JwsMalformed(T)), "{jwt}");
        }
        let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(check(&huge, &login()), Err(TokenTooLarge(T)));
        // No key, no result.
        assert_eq!(
            verify_offline_result(&good, &[], &login(), NOW),
            Err(SignatureInvalid(T))
        );
    }

    #[test]
    fn only_the_jwks_id_token_keys_sign_offline_results() {
        let point = server_key().verifying_key().to_sec1_point(false);
        let (x, y) = (
            b64::encode(&point.as_bytes()[1..33]),
            b64::encode(&point.as_bytes()[33..]),
        );
        let jwk = |role: &str, x: &str| {
            serde_json::json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": "k",
                "use": "sig", "alg": "ES256", "tessera_role": role})
        };
        let jwks = serde_json::json!({"keys": [
            jwk("root", &x), jwk("issuer", &x), jwk("id_token", &x),
            // Not on the curve: left out.
            jwk("id_token", &b64::encode(&[1u8; 32])),
        ]});
        let keys = offline_result_keys(&serde_json::to_vec(&jwks).unwrap());
        assert_eq!(keys, [*server_key().verifying_key()]);
        assert!(offline_result_keys(b"{}").is_empty());
        assert!(offline_result_keys(b"not json").is_empty());
    }
}
