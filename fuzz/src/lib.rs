//! What the fuzz targets share: the fixed inputs they verify against, and the framing
//! that packs several byte strings into one fuzz input.
//!
//! Framing: each part is a big-endian `u16` length and that many bytes; a short or
//! missing part is empty. libFuzzer mutates lengths and contents alike, and the seed
//! writer (`examples/seeds.rs`) frames valid inputs the same way.
use tessera_server::biometrics::webauthn::{Credential, RelyingParty, soft::SoftAuthenticator};

/// `N` parts of `data`.
pub fn parts<const N: usize>(mut data: &[u8]) -> [&[u8]; N] {
    let mut out = [&[][..]; N];
    for part in &mut out {
        let Some((len, rest)) = data.split_first_chunk::<2>() else {
            break;
        };
        let len = usize::from(u16::from_be_bytes(*len)).min(rest.len());
        *part = &rest[..len];
        data = &rest[len..];
    }
    out
}

/// The inverse of [`parts`].
pub fn frame(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        let len = u16::try_from(part.len()).expect("a seed part fits in 64 KiB");
        out.extend(len.to_be_bytes());
        out.extend(*part);
    }
    out
}

/// The approvals the fixture's device signed for the `approval` target's seeds: without
/// a login, the plain one; with a coarse location, the other. Nothing else can verify.
pub fn genuine_approvals() -> [tessera_protocol::SignedApproval; 2] {
    use tessera_protocol::{CoarseLocation, testkit};
    let fixture = testkit::Fixture::default();
    let expected = testkit::expected();
    let located = fixture
        .claims(&expected)
        .with_location(CoarseLocation::new(496, 61));
    [fixture.approval(&expected), fixture.signed(&located)]
}

/// The challenge every WebAuthn input answers.
pub const WEBAUTHN_CHALLENGE: [u8; 32] = [7; 32];

/// The companion's relying party in the demo.
pub fn relying_party() -> RelyingParty {
    RelyingParty::from_public_url("http://localhost:8080").expect("a valid URL")
}

/// The software authenticator whose credential the assertions are checked against.
pub fn authenticator() -> SoftAuthenticator {
    SoftAuthenticator::new(5)
}

/// That authenticator's registered credential, as the server stores it.
pub fn credential() -> Credential {
    let rp = relying_party();
    let answer = authenticator().register(&WEBAUTHN_CHALLENGE, &rp.origin, &rp.id);
    let registration = tessera_server::biometrics::webauthn::Registration {
        credential_id: &authenticator().credential_id,
        client_data_json: &answer.client_data_json,
        attestation_object: &answer.data,
    };
    tessera_server::biometrics::webauthn::verify_registration(
        &registration,
        &WEBAUTHN_CHALLENGE,
        &rp,
    )
    .expect("the soft authenticator registers")
}

/// The password the backup target decrypts with (the seed is encrypted under it).
pub const BACKUP_PASSWORD: &str = "correct horse battery staple";

/// The document the signature-file target's signatures are checked against.
pub const SIGNED_DOCUMENT: &[u8] = b"%PDF-1.7 fuzzed form";

/// The OCRA key of the Scan in the demo (RFC 6287's 32-byte test key).
pub const OCRA_KEY: &[u8] = b"12345678901234567890123456789012";
