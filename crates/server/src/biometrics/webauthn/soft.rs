//! A software authenticator for tests: it registers and asserts as a platform
//! authenticator does (ES256, attestation "none", user verified), so the server's tests
//! drive the real verification with real signatures.
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use tessera_protocol::{b64_encode, sha256};

use super::{FLAG_AT, FLAG_UP, FLAG_UV, cbor::Cbor};

/// A platform credential held in memory.
pub struct SoftAuthenticator {
    pub key: SigningKey,
    pub credential_id: Vec<u8>,
    pub sign_count: u32,
    /// Whether the "biometric" check passes (the UV flag).
    pub user_verified: bool,
}

/// What a registration or an assertion sends, as raw bytes.
pub struct Answer {
    pub client_data_json: Vec<u8>,
    /// The attestation object (registration) or the authenticator data (assertion).
    pub data: Vec<u8>,
    /// Empty for a registration.
    pub signature: Vec<u8>,
}

impl SoftAuthenticator {
    pub fn new(seed: u8) -> SoftAuthenticator {
        SoftAuthenticator {
            key: SigningKey::from_slice(&[seed; 32])
                .expect("a small repeated byte is a valid scalar"),
            credential_id: format!("soft-credential-{seed}").into_bytes(),
            sign_count: 0,
            user_verified: true,
        }
    }

    fn flags(&self) -> u8 {
        FLAG_UP | if self.user_verified { FLAG_UV } else { 0 }
    }

    /// `navigator.credentials.create` answering `challenge` on `origin` for `rp_id`.
    pub fn register(&self, challenge: &[u8], origin: &str, rp_id: &str) -> Answer {
        let mut auth_data = auth_head(rp_id, self.flags() | FLAG_AT, self.sign_count);
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(enc(&Cbor::Map(cose(&self.key))));
        let object = enc(&Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(vec![])),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        Answer {
            client_data_json: client_data("webauthn.create", challenge, origin),
            data: object,
            signature: Vec::new(),
        }
    }

    /// `navigator.credentials.get` answering `challenge`; the counter moves on.
    pub fn assert(&mut self, challenge: &[u8], origin: &str, rp_id: &str) -> Answer {
        self.sign_count += 1;
        let client_data_json = client_data("webauthn.get", challenge, origin);
        let data = auth_head(rp_id, self.flags(), self.sign_count);
        let mut message = data.clone();
        message.extend(sha256(&client_data_json));
        let signature: Signature = self.key.sign(&message);
        Answer {
            client_data_json,
            data,
            signature: der(&signature),
        }
    }
}

/// Minimal CBOR encoding of the items the tests need.
pub fn enc(item: &Cbor) -> Vec<u8> {
    fn head(out: &mut Vec<u8>, major: u8, n: u64) {
        match n {
            0..=23 => out.push(major << 5 | n as u8),
            24..=0xff => out.extend([major << 5 | 24, n as u8]),
            0x100..=0xffff => {
                out.push(major << 5 | 25);
                out.extend((n as u16).to_be_bytes());
            }
            _ => {
                out.push(major << 5 | 26);
                out.extend((n as u32).to_be_bytes());
            }
        }
    }
    let mut out = Vec::new();
    match item {
        Cbor::Int(n) if *n >= 0 => head(&mut out, 0, *n as u64),
        Cbor::Int(n) => head(&mut out, 1, (-1 - *n) as u64),
        Cbor::Bytes(b) => {
            head(&mut out, 2, b.len() as u64);
            out.extend(b);
        }
        Cbor::Text(t) => {
            head(&mut out, 3, t.len() as u64);
            out.extend(t.as_bytes());
        }
        Cbor::Array(items) => {
            head(&mut out, 4, items.len() as u64);
            items.iter().for_each(|i| out.extend(enc(i)));
        }
        Cbor::Map(entries) => {
            head(&mut out, 5, entries.len() as u64);
            for (k, v) in entries {
                out.extend(enc(k));
                out.extend(enc(v));
            }
        }
        Cbor::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Cbor::Null => out.push(0xf6),
    }
    out
}

pub fn cose(key: &SigningKey) -> Vec<(Cbor, Cbor)> {
    let point = key.verifying_key().to_sec1_point(false);
    let xy = &point.as_bytes()[1..];
    vec![
        (Cbor::Int(1), Cbor::Int(2)),
        (Cbor::Int(3), Cbor::Int(-7)),
        (Cbor::Int(-1), Cbor::Int(1)),
        (Cbor::Int(-2), Cbor::Bytes(xy[..32].to_vec())),
        (Cbor::Int(-3), Cbor::Bytes(xy[32..].to_vec())),
    ]
}

pub fn client_data(kind: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"{kind}","challenge":"{}","origin":"{origin}","crossOrigin":false}}"#,
        b64_encode(challenge)
    )
    .into_bytes()
}

pub fn auth_head(rp_id: &str, flags: u8, count: u32) -> Vec<u8> {
    let mut data = sha256(rp_id.as_bytes()).to_vec();
    data.push(flags);
    data.extend(count.to_be_bytes());
    data
}

/// A DER encoding of `signature`, with minimal positive integers.
pub fn der(signature: &Signature) -> Vec<u8> {
    let int = |bytes: &[u8]| {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(31);
        let mut digits = bytes[start..].to_vec();
        if digits[0] & 0x80 != 0 {
            digits.insert(0, 0);
        }
        let mut out = vec![0x02, digits.len() as u8];
        out.extend(digits);
        out
    };
    let bytes = signature.to_bytes();
    let mut body = int(&bytes[..32]);
    body.extend(int(&bytes[32..]));
    let mut out = vec![0x30, body.len() as u8];
    out.extend(body);
    out
}
