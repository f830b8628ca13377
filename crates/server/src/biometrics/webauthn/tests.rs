//! Registrations and assertions built here as an authenticator builds them, signed with a
//! real P-256 key, then broken one field at a time.
use p256::ecdsa::{SigningKey, signature::Signer};

use super::{
    soft::{auth_head, client_data, cose, der, enc},
    *,
};

const CHALLENGE: &[u8] = b"0123456789abcdef0123456789abcdef";
const CRED_ID: &[u8] = b"credential-0001";

fn rp() -> RelyingParty {
    RelyingParty::from_public_url("http://localhost:8080").expect("a URL")
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).expect("a valid scalar")
}

/// An authenticator's registration: everything the browser would send, as parts.
struct Reg {
    client_data: Vec<u8>,
    auth_data: Vec<u8>,
    fmt: Cbor,
    att_stmt: Cbor,
}

impl Reg {
    fn new(key: &SigningKey) -> Reg {
        Reg::with_key(enc(&Cbor::Map(cose(key))))
    }

    fn with_key(cose_key: Vec<u8>) -> Reg {
        let mut auth_data = auth_head("localhost", FLAG_UP | FLAG_UV | FLAG_AT, 0);
        auth_data.extend([0u8; 16]);
        auth_data.extend((CRED_ID.len() as u16).to_be_bytes());
        auth_data.extend(CRED_ID);
        auth_data.extend(cose_key);
        Reg {
            client_data: client_data("webauthn.create", CHALLENGE, "http://localhost:8080"),
            auth_data,
            fmt: text("none"),
            att_stmt: Cbor::Map(vec![]),
        }
    }

    fn object(&self) -> Vec<u8> {
        enc(&Cbor::Map(vec![
            (text("fmt"), self.fmt.clone()),
            (text("attStmt"), self.att_stmt.clone()),
            (text("authData"), Cbor::Bytes(self.auth_data.clone())),
        ]))
    }

    fn verify(&self) -> Result<Credential, WebAuthnError> {
        self.verify_object(&self.object())
    }

    fn verify_object(&self, object: &[u8]) -> Result<Credential, WebAuthnError> {
        let registration = Registration {
            credential_id: CRED_ID,
            client_data_json: &self.client_data,
            attestation_object: object,
        };
        verify_registration(&registration, CHALLENGE, &rp())
    }
}

/// An authenticator's assertion over `challenge`, signed by `signer`.
struct Get {
    client_data: Vec<u8>,
    auth_data: Vec<u8>,
    signature: Vec<u8>,
}

impl Get {
    fn new(signer: &SigningKey, flags: u8, count: u32) -> Get {
        Get::signed(
            signer,
            client_data("webauthn.get", CHALLENGE, "http://localhost:8080"),
            auth_head("localhost", flags, count),
        )
    }

    fn signed(signer: &SigningKey, client_data: Vec<u8>, auth_data: Vec<u8>) -> Get {
        let mut message = auth_data.clone();
        message.extend(sha256(&client_data));
        let signature: Signature = signer.sign(&message);
        Get {
            client_data,
            auth_data,
            signature: der(&signature),
        }
    }

    fn verify(&self, credential: &Credential) -> Result<u32, WebAuthnError> {
        let assertion = Assertion {
            credential_id: CRED_ID,
            client_data_json: &self.client_data,
            authenticator_data: &self.auth_data,
            signature: &self.signature,
        };
        verify_assertion(&assertion, credential, CHALLENGE, &rp())
    }
}

fn registered(count: u32) -> Credential {
    Credential {
        sign_count: count,
        ..Reg::new(&key(7)).verify().expect("valid registration")
    }
}

fn text(s: &str) -> Cbor {
    Cbor::Text(s.into())
}

const UP_UV: u8 = FLAG_UP | FLAG_UV;

#[test]
fn the_relying_party_is_the_companions_host() {
    assert_eq!(
        RelyingParty::from_public_url("https://id.tessera.example/"),
        Some(RelyingParty {
            origin: "https://id.tessera.example".into(),
            id: "id.tessera.example".into()
        })
    );
    assert_eq!(rp().id, "localhost");
    assert_eq!(rp().origin, "http://localhost:8080");
    assert_eq!(RelyingParty::from_public_url("localhost"), None);
}

#[test]
fn a_valid_registration_gives_the_key_and_the_id() {
    let signer = key(7);
    let credential = Reg::new(&signer).verify().expect("valid");
    assert_eq!(credential.id, CRED_ID);
    assert_eq!(
        credential.public_key,
        signer.verifying_key().to_sec1_point(false).as_bytes()
    );
    assert_eq!(credential.sign_count, 0);
}

#[test]
fn a_registration_is_refused_for_each_wrong_part() {
    let signer = key(7);
    let broken: Vec<(Reg, WebAuthnError)> = vec![
        (
            Reg {
                client_data: client_data("webauthn.get", CHALLENGE, "http://localhost:8080"),
                ..Reg::new(&signer)
            },
            WebAuthnError::WrongType,
        ),
        (
            Reg {
                client_data: client_data("webauthn.create", b"other", "http://localhost:8080"),
                ..Reg::new(&signer)
            },
            WebAuthnError::WrongChallenge,
        ),
        (
            Reg {
                client_data: client_data("webauthn.create", CHALLENGE, "http://evil.example"),
                ..Reg::new(&signer)
            },
            WebAuthnError::WrongOrigin,
        ),
        (
            Reg {
                client_data: br#"{"type":"webauthn.create""#.to_vec(),
                ..Reg::new(&signer)
            },
            WebAuthnError::ClientData,
        ),
        (
            Reg {
                fmt: text("packed"),
                ..Reg::new(&signer)
            },
            WebAuthnError::Attestation,
        ),
        (
            Reg {
                att_stmt: Cbor::Map(vec![(text("alg"), Cbor::Int(-7))]),
                ..Reg::new(&signer)
            },
            WebAuthnError::Attestation,
        ),
    ];
    for (reg, expected) in broken {
        assert_eq!(reg.verify(), Err(expected));
    }

    // The authenticator data, byte by byte.
    let mut reg = Reg::new(&signer);
    reg.auth_data[0] ^= 1;
    assert_eq!(reg.verify(), Err(WebAuthnError::WrongRpId));
    for (flag, expected) in [
        (FLAG_UP, WebAuthnError::UserNotPresent),
        (FLAG_UV, WebAuthnError::UserNotVerified),
        (FLAG_AT, WebAuthnError::AuthData),
    ] {
        let mut reg = Reg::new(&signer);
        reg.auth_data[32] &= !flag;
        assert_eq!(reg.verify(), Err(expected), "flag {flag:#x}");
    }
    for len in [
        0,
        20,
        AUTH_DATA_HEAD,
        AUTH_DATA_HEAD + 17,
        AUTH_DATA_HEAD + 30,
    ] {
        let mut reg = Reg::new(&signer);
        reg.auth_data.truncate(len);
        assert!(reg.verify().is_err(), "truncated to {len}");
    }
    let mut reg = Reg::new(&signer);
    reg.auth_data.push(0);
    assert_eq!(reg.verify(), Err(WebAuthnError::AuthData), "trailing byte");
    let mut reg = Reg::new(&signer);
    reg.auth_data[AUTH_DATA_HEAD + 18] ^= 1;
    assert_eq!(reg.verify(), Err(WebAuthnError::WrongCredential));
}

#[test]
fn only_an_es256_p256_key_is_registered() {
    let signer = key(7);
    let with = |label: i128, value: Cbor| {
        let mut map = cose(&signer);
        map.iter_mut()
            .find(|(k, _)| *k == Cbor::Int(label))
            .expect("label")
            .1 = value;
        Reg::with_key(enc(&Cbor::Map(map))).verify()
    };
    let refused = Err(WebAuthnError::UnsupportedKey);
    assert_eq!(with(3, Cbor::Int(-8)), refused, "EdDSA");
    assert_eq!(with(3, Cbor::Int(-257)), refused, "RS256");
    assert_eq!(with(1, Cbor::Int(1)), refused, "OKP");
    assert_eq!(with(-1, Cbor::Int(2)), refused, "P-384");
    assert_eq!(with(-2, Cbor::Bytes(vec![1; 31])), refused, "short x");
    assert_eq!(
        with(-3, Cbor::Bytes(vec![1; 32])),
        refused,
        "not on the curve"
    );
    let mut extra = cose(&signer);
    extra.push((Cbor::Int(-4), Cbor::Bytes(vec![1; 32])));
    assert_eq!(Reg::with_key(enc(&Cbor::Map(extra))).verify(), refused);
    let mut missing = cose(&signer);
    missing.pop();
    assert_eq!(Reg::with_key(enc(&Cbor::Map(missing))).verify(), refused);
}

#[test]
fn malformed_cbor_is_refused() {
    let reg = Reg::new(&key(7));
    let object = reg.object();
    for (what, bytes) in [
        ("empty", vec![]),
        ("truncated", object[..object.len() - 1].to_vec()),
        ("trailing", [object.clone(), vec![0]].concat()),
        (
            "indefinite map",
            [vec![0xbf], object[1..].to_vec()].concat(),
        ),
        ("tag", [vec![0xd8, 0x18], object.clone()].concat()),
        ("float", vec![0xfb, 0, 0, 0, 0, 0, 0, 0, 0]),
        (
            "huge length",
            vec![0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ),
        ("reserved", vec![0x1c]),
        ("deep", [vec![0x81; 20], vec![0x00]].concat()),
        ("bad utf-8", vec![0x62, 0xc3, 0x28]),
        ("duplicate key", vec![0xa2, 0x01, 0x01, 0x01, 0x02]),
        ("not a map", enc(&Cbor::Array(vec![]))),
    ] {
        assert_eq!(
            reg.verify_object(&bytes),
            Err(WebAuthnError::Cbor),
            "{what}"
        );
    }
    // A malformed COSE key inside well-formed authenticator data.
    assert_eq!(
        Reg::with_key(vec![0xa5, 0x01]).verify(),
        Err(WebAuthnError::Cbor)
    );
}

#[test]
fn a_valid_assertion_gives_the_new_counter() {
    let credential = registered(0);
    assert_eq!(Get::new(&key(7), UP_UV, 0).verify(&credential), Ok(0));
    assert_eq!(Get::new(&key(7), UP_UV, 5).verify(&credential), Ok(5));
    assert_eq!(Get::new(&key(7), UP_UV, 6).verify(&registered(5)), Ok(6));
}

#[test]
fn an_assertion_is_refused_for_each_wrong_part() {
    let credential = registered(0);
    let signer = key(7);
    let good_auth = auth_head("localhost", UP_UV, 1);
    let origin = "http://localhost:8080";
    let cases = [
        (
            client_data("webauthn.create", CHALLENGE, origin),
            good_auth.clone(),
            WebAuthnError::WrongType,
        ),
        (
            client_data("webauthn.get", b"another approval", origin),
            good_auth.clone(),
            WebAuthnError::WrongChallenge,
        ),
        (
            client_data("webauthn.get", CHALLENGE, "http://localhost:8081"),
            good_auth.clone(),
            WebAuthnError::WrongOrigin,
        ),
        (
            cross_origin(client_data("webauthn.get", CHALLENGE, origin)),
            good_auth.clone(),
            WebAuthnError::WrongOrigin,
        ),
        (
            client_data("webauthn.get", CHALLENGE, origin),
            auth_head("evil.example", UP_UV, 1),
            WebAuthnError::WrongRpId,
        ),
        (
            client_data("webauthn.get", CHALLENGE, origin),
            auth_head("localhost", FLAG_UV, 1),
            WebAuthnError::UserNotPresent,
        ),
        (
            client_data("webauthn.get", CHALLENGE, origin),
            auth_head("localhost", FLAG_UP, 1),
            WebAuthnError::UserNotVerified,
        ),
        (
            client_data("webauthn.get", CHALLENGE, origin),
            good_auth[..36].to_vec(),
            WebAuthnError::AuthData,
        ),
        (
            client_data("webauthn.get", CHALLENGE, origin),
            [good_auth.clone(), vec![0]].concat(),
            WebAuthnError::AuthData,
        ),
    ];
    for (client_data, auth_data, expected) in cases {
        let get = Get::signed(&signer, client_data, auth_data);
        assert_eq!(get.verify(&credential), Err(expected));
    }

    // Signed by another key.
    assert_eq!(
        Get::new(&key(8), UP_UV, 1).verify(&credential),
        Err(WebAuthnError::SignatureInvalid)
    );
    // Signed well, then the data changed.
    let mut get = Get::new(&signer, UP_UV, 1);
    get.auth_data[36] = 2;
    assert_eq!(
        get.verify(&credential),
        Err(WebAuthnError::SignatureInvalid)
    );
    // Another credential id.
    let other = Credential {
        id: b"another".to_vec(),
        ..credential.clone()
    };
    assert_eq!(
        Get::new(&signer, UP_UV, 1).verify(&other),
        Err(WebAuthnError::WrongCredential)
    );
}

/// The same client data, from an iframe on another site.
fn cross_origin(client_data: Vec<u8>) -> Vec<u8> {
    String::from_utf8(client_data)
        .expect("utf-8")
        .replace(r#""crossOrigin":false"#, r#""crossOrigin":true"#)
        .into_bytes()
}

#[test]
fn the_counter_must_grow_unless_the_authenticator_keeps_none() {
    let signer = key(7);
    for (stored, sent) in [(5, 5), (5, 4), (5, 0), (u32::MAX, 0)] {
        assert_eq!(
            Get::new(&signer, UP_UV, sent).verify(&registered(stored)),
            Err(WebAuthnError::CounterNotIncreased),
            "{stored} then {sent}"
        );
    }
}

#[test]
fn signatures_must_be_strict_der() {
    let credential = registered(0);
    let good = Get::new(&key(7), UP_UV, 1);
    let sig = good.signature.clone();
    let mut long_form = vec![0x30, 0x81, sig[1]];
    long_form.extend(&sig[2..]);
    let mut padded = sig.clone();
    // r with an unneeded leading zero: its length and the sequence's grow by one.
    let r_len = usize::from(sig[3]);
    padded.splice(4..4, [0]);
    padded[3] = (r_len + 1) as u8;
    padded[1] += 1;
    let negative = {
        let mut s = sig.clone();
        if s[4] == 0 {
            s.remove(4);
            s[3] -= 1;
            s[1] -= 1;
        }
        s[4] |= 0x80;
        s
    };
    for (what, bytes) in [
        ("empty", vec![]),
        ("raw r||s", raw(&sig)),
        ("truncated", sig[..sig.len() - 1].to_vec()),
        ("trailing", [sig.clone(), vec![0]].concat()),
        ("long-form length", long_form),
        ("unneeded leading zero", padded),
        ("negative r", negative),
        (
            "zero r",
            vec![0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01],
        ),
        ("not a sequence", [vec![0x31], sig[1..].to_vec()].concat()),
    ] {
        let get = Get {
            signature: bytes,
            ..Get::new(&key(7), UP_UV, 1)
        };
        assert_eq!(
            get.verify(&credential),
            Err(WebAuthnError::SignatureMalformed),
            "{what}"
        );
    }
}

/// The raw `r||s` form of a DER signature, which an authenticator never sends.
fn raw(der: &[u8]) -> Vec<u8> {
    der_signature(der).expect("valid DER").to_bytes().to_vec()
}

#[test]
fn a_high_s_signature_from_an_authenticator_is_the_same_signature() {
    // Authenticators sign with plain ECDSA; the high-S twin of a valid signature verifies
    // once normalised, and a high-S forgery is still a forgery.
    let credential = registered(0);
    let signer = key(7);
    let get = Get::new(&signer, UP_UV, 1);
    let low = der_signature(&get.signature).expect("valid");
    let high = Signature::from_scalars(low.r(), -*low.s()).expect("valid");
    assert_ne!(high.normalize_s(), high, "the twin is high-S");
    let twin = Get {
        signature: der(&high),
        ..Get::new(&signer, UP_UV, 1)
    };
    assert_eq!(twin.verify(&credential), Ok(1));
    let other = der_signature(&Get::new(&key(8), UP_UV, 1).signature).expect("valid");
    let forged = Get {
        signature: der(&Signature::from_scalars(other.r(), -*other.s()).expect("valid")),
        ..Get::new(&signer, UP_UV, 1)
    };
    assert_eq!(
        forged.verify(&credential),
        Err(WebAuthnError::SignatureInvalid)
    );
}

#[test]
fn extensions_are_allowed_only_as_one_trailing_map() {
    let credential = registered(0);
    let signer = key(7);
    let client = || client_data("webauthn.get", CHALLENGE, "http://localhost:8080");
    let with_ext = |ext: &[u8], flags: u8| {
        let auth = [auth_head("localhost", flags, 1), ext.to_vec()].concat();
        Get::signed(&signer, client(), auth).verify(&credential)
    };
    let map = enc(&Cbor::Map(vec![(text("credProps"), Cbor::Bool(true))]));
    assert_eq!(with_ext(&map, UP_UV | FLAG_ED), Ok(1));
    assert_eq!(with_ext(&map, UP_UV), Err(WebAuthnError::AuthData));
    assert_eq!(with_ext(&[], UP_UV | FLAG_ED), Err(WebAuthnError::AuthData));
    assert_eq!(
        with_ext(&enc(&Cbor::Int(1)), UP_UV | FLAG_ED),
        Err(WebAuthnError::AuthData)
    );
}
