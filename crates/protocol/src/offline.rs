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

use crate::{Details, Kind, hex, sha256};

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
    use crate::Transaction;

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
}
