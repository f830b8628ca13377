//! One test per refusal: each builds exactly that bad input and expects exactly that error.
#![allow(clippy::unwrap_used)]
use alloc::{format, string::String, vec, vec::Vec};

use super::*;
use crate::{
    APPROVAL_TYPE, JwsHeader, STATUS_TYPE, b64_decode, b64_encode, sign,
    testkit::{Fixture, NOW, certificate, certificate_claims, expected, key},
};

pub(super) fn verify(signed: &SignedApproval) -> Result<VerifiedApproval, VerifyError> {
    let fixture = Fixture::default();
    verify_approval(signed, &expected(), fixture.root.verifying_key(), NOW)
}

/// Signs `claims` (with a matching, valid status) and verifies against `expected()`.
pub(super) fn verify_claims(claims: &ApprovalClaims) -> Result<VerifiedApproval, VerifyError> {
    verify(&Fixture::default().signed(claims))
}

pub(super) fn replace_part(jws: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = jws.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

/// An approval whose status statement is re-signed for it, so only the approval is bad.
pub(super) fn restapled(approval: String) -> SignedApproval {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let status = fixture.sign_status(&fixture.status_claims(&approval, &claims));
    SignedApproval { approval, status }
}

pub(super) fn with_chain(certificates: Vec<String>) -> SignedApproval {
    let fixture = Fixture {
        certificates,
        ..Fixture::default()
    };
    fixture.approval(&expected())
}

const ORDER_N: &str = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_valid_approval_verifies() {
    let verified = verify(&Fixture::default().approval(&expected())).unwrap();
    assert_eq!(verified.user_id(), "alice");
    assert_eq!(verified.device_id(), "d-0001");
    assert_eq!(verified.session_id(), "s-0001");
    assert_eq!(verified.user_verification(), UserVerification::Pin);
    assert_eq!(verified.signed_at(), NOW);
    assert_eq!(verified.location(), None);
}

#[test]
fn jws_malformed() {
    let good = Fixture::default().approval(&expected());
    for bad in [
        "",
        "a.b",
        "a.b.c.d",
        "!!.e30.AA",
        &format!("{}.", good.approval),
    ] {
        let signed = SignedApproval {
            approval: bad.into(),
            ..good.clone()
        };
        assert_eq!(
            verify(&signed),
            Err(VerifyError::JwsMalformed(Token::Approval)),
            "{bad}"
        );
    }
}

#[test]
fn algorithm_not_allowed() {
    let good = Fixture::default().approval(&expected());
    for header in [
        r#"{"alg":"none","typ":"tessera-approval+jwt"}"#,
        r#"{"alg":"HS256","typ":"tessera-approval+jwt"}"#,
        r#"{"typ":"tessera-approval+jwt"}"#,
        r#"{"alg":null,"typ":"tessera-approval+jwt"}"#,
    ] {
        let approval = replace_part(&good.approval, 0, &b64_encode(header.as_bytes()));
        assert_eq!(
            verify(&restapled(approval)),
            Err(VerifyError::AlgorithmNotAllowed(Token::Approval))
        );
    }
}

#[test]
fn wrong_token_type_a_certificate_presented_as_approval() {
    let fixture = Fixture::default();
    let approval = fixture.certificates[0].clone();
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::WrongTokenType(Token::Approval))
    );
}

#[test]
fn signature_malformed() {
    let good = Fixture::default().approval(&expected());
    let approval = replace_part(&good.approval, 2, &b64_encode(&[7u8; 63]));
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::SignatureMalformed(Token::Approval))
    );
}

#[test]
fn signature_out_of_range() {
    let good = Fixture::default().approval(&expected());
    for (r, s) in [
        (hex(ORDER_N), vec![1u8; 32]),
        (vec![0u8; 32], vec![1u8; 32]),
        (vec![1u8; 32], hex(ORDER_N)),
    ] {
        let approval = replace_part(&good.approval, 2, &b64_encode(&[r, s].concat()));
        assert_eq!(
            verify(&restapled(approval)),
            Err(VerifyError::SignatureOutOfRange(Token::Approval))
        );
    }
}

#[test]
fn signature_high_s() {
    let good = Fixture::default().approval(&expected());
    let raw = crate::b64_decode(good.approval.rsplit('.').next().unwrap()).unwrap();
    let signature = p256::ecdsa::Signature::from_slice(&raw).unwrap();
    let high = p256::ecdsa::Signature::from_scalars(
        signature.r().to_bytes(),
        (-*signature.s()).to_bytes(),
    )
    .unwrap();
    let approval = replace_part(&good.approval, 2, &b64_encode(&high.to_bytes()));
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::SignatureHighS(Token::Approval))
    );
}

#[test]
fn signature_invalid_when_a_claim_is_tampered() {
    let fixture = Fixture::default();
    let good = fixture.approval(&expected());
    let mut claims = fixture.claims(&expected());
    claims.origin = "https://evil.example".into();
    let payload = b64_encode(&serde_json::to_vec(&claims).unwrap());
    let approval = replace_part(&good.approval, 1, &payload);
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::SignatureInvalid(Token::Approval))
    );
}

#[test]
fn signature_invalid_when_signed_by_another_key() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let header = JwsHeader::new(APPROVAL_TYPE, Some(fixture.certificates.clone()));
    let approval = sign(&key(9), &header, &claims);
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::SignatureInvalid(Token::Approval))
    );
}

#[test]
fn claims_malformed() {
    let fixture = Fixture::default();
    let header = JwsHeader::new(APPROVAL_TYPE, Some(fixture.certificates.clone()));
    let mut claims = serde_json::to_value(fixture.claims(&expected())).unwrap();
    claims["amount"] = serde_json::Value::from(1_000_000);
    let approval = sign(&fixture.device, &header, &claims);
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
}

#[test]
fn public_key_invalid_point_not_on_curve() {
    let fixture = Fixture::default();
    let mut claims = certificate_claims(&fixture.device, Some("d-0001"));
    let mut point = vec![4u8];
    point.extend([0x11u8; 64]); // x = y = 0x1111…: not on P-256
    claims.key = b64_encode(&point);
    let device_cert = certificate(&fixture.issuer, &claims);
    let chain = vec![device_cert, fixture.certificates[1].clone()];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::PublicKeyInvalid(Token::DeviceCertificate))
    );
}

#[test]
fn chain_shape() {
    let fixture = Fixture::default();
    assert_eq!(
        verify(&with_chain(vec![fixture.certificates[0].clone()])),
        Err(VerifyError::ChainShape)
    );
    let three = vec![
        fixture.certificates[0].clone(),
        fixture.certificates[1].clone(),
        fixture.certificates[1].clone(),
    ];
    assert_eq!(verify(&with_chain(three)), Err(VerifyError::ChainShape));
    let claims = fixture.claims(&expected());
    let approval = sign(
        &fixture.device,
        &JwsHeader::new(APPROVAL_TYPE, None),
        &claims,
    );
    assert_eq!(verify(&restapled(approval)), Err(VerifyError::ChainShape));
}

#[test]
fn untrusted_root() {
    let fixture = Fixture::default();
    let signed = fixture.approval(&expected());
    let wrong_root = key(8);
    assert_eq!(
        verify_approval(&signed, &expected(), wrong_root.verifying_key(), NOW),
        Err(VerifyError::UntrustedRoot)
    );
}

#[test]
fn certificate_role() {
    let fixture = Fixture::default();
    let mut device = certificate_claims(&fixture.device, Some("d-0001"));
    device.ca = true;
    let chain = vec![
        certificate(&fixture.issuer, &device),
        fixture.certificates[1].clone(),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateRole(Token::DeviceCertificate))
    );

    let mut issuer = certificate_claims(&fixture.issuer, None);
    issuer.ca = false;
    let chain = vec![
        fixture.certificates[0].clone(),
        certificate(&fixture.root, &issuer),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateRole(Token::IssuerCertificate))
    );
}

#[test]
fn certificate_expired_and_not_yet_valid() {
    let fixture = Fixture::default();
    let mut device = certificate_claims(&fixture.device, Some("d-0001"));
    device.exp = NOW - 1;
    let chain = vec![
        certificate(&fixture.issuer, &device),
        fixture.certificates[1].clone(),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateExpired(Token::DeviceCertificate))
    );

    let mut issuer = certificate_claims(&fixture.issuer, None);
    issuer.nbf = NOW + 1;
    let chain = vec![
        fixture.certificates[0].clone(),
        certificate(&fixture.root, &issuer),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateNotYetValid(
            Token::IssuerCertificate
        ))
    );
}

#[test]
fn device_mismatch() {
    let mut claims = Fixture::default().claims(&expected());
    claims.dev = "d-9999".into();
    assert_eq!(verify_claims(&claims), Err(VerifyError::DeviceMismatch));
}

#[test]
fn each_binding_mismatch() {
    let fixture = Fixture::default();
    type Tamper = fn(&mut ApprovalClaims);
    let cases: [(Tamper, VerifyError); 7] = [
        (|c| c.sid = "s-other".into(), VerifyError::SessionMismatch),
        (
            |c| c.nonce = "n-replayed".into(),
            VerifyError::NonceMismatch,
        ),
        (
            |c| c.pid = "other-bank".into(),
            VerifyError::PartnerMismatch,
        ),
        (
            |c| c.origin = "https://bank.example.evil.test".into(),
            VerifyError::OriginMismatch,
        ),
        (|c| c.kind = Kind::Sign, VerifyError::KindMismatch),
        (
            |c| c.dd = Some(b64_encode(&[1u8; 32])),
            VerifyError::DetailsMismatch,
        ),
        (|c| c.decision = Decision::Deny, VerifyError::Denied),
    ];
    for (tamper, error) in cases {
        let mut claims = fixture.claims(&expected());
        tamper(&mut claims);
        assert_eq!(verify_claims(&claims), Err(error));
    }
}

#[test]
fn details_digest_expected_but_missing() {
    let fixture = Fixture::default();
    let mut wanted = expected();
    wanted.kind = Kind::Confirm;
    wanted.details_digest = Some([2u8; 32]);
    let mut claims = fixture.claims(&wanted);
    claims.dd = None;
    let signed = fixture.signed(&claims);
    assert_eq!(
        verify_approval(&signed, &wanted, fixture.root.verifying_key(), NOW),
        Err(VerifyError::DetailsMismatch)
    );
}

#[test]
fn approval_stale_or_from_the_future() {
    let fixture = Fixture::default();
    for iat in [NOW - APPROVAL_MAX_AGE_SECS - 1, NOW + CLOCK_SKEW_SECS + 1] {
        let mut claims = fixture.claims(&expected());
        claims.iat = iat;
        assert_eq!(verify_claims(&claims), Err(VerifyError::ApprovalStale));
    }
}

pub(super) fn with_status(
    edit: impl Fn(&mut StatusClaims),
) -> Result<VerifiedApproval, VerifyError> {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let approval = fixture.sign_approval(&claims);
    let mut status = fixture.status_claims(&approval, &claims);
    edit(&mut status);
    verify(&SignedApproval {
        status: fixture.sign_status(&status),
        approval,
    })
}

#[test]
fn status_expired_or_too_long_lived() {
    assert_eq!(
        with_status(|s| {
            s.iat = NOW - 120;
            s.exp = NOW - 1
        }),
        Err(VerifyError::StatusExpired)
    );
    assert_eq!(
        with_status(|s| s.exp = s.iat + STATUS_MAX_LIFETIME_SECS + 1),
        Err(VerifyError::StatusExpired)
    );
    assert_eq!(
        with_status(|s| {
            s.iat = NOW + 3600;
            s.exp = NOW + 3660
        }),
        Err(VerifyError::StatusExpired)
    );
}

#[test]
fn status_mismatch() {
    assert_eq!(
        with_status(|s| s.apr = b64_encode(&[0u8; 32])),
        Err(VerifyError::StatusMismatch)
    );
    assert_eq!(
        with_status(|s| s.sid = "s-other".into()),
        Err(VerifyError::StatusMismatch)
    );
    assert_eq!(
        with_status(|s| s.dev = "d-other".into()),
        Err(VerifyError::StatusMismatch)
    );
    // The phone signed a PIN approval; a status claiming biometrics is about another one.
    assert_eq!(
        with_status(|s| s.uv = crate::UserVerification::Biometric),
        Err(VerifyError::StatusMismatch)
    );
}

#[test]
fn device_not_active() {
    for st in [
        DeviceStatus::Suspended,
        DeviceStatus::Revoked,
        DeviceStatus::Locked,
        DeviceStatus::Replaced,
    ] {
        assert_eq!(
            with_status(|s| s.st = st),
            Err(VerifyError::DeviceNotActive(st))
        );
    }
}

#[test]
fn status_signed_by_the_device_instead_of_the_ca() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let approval = fixture.sign_approval(&claims);
    let status = sign(
        &fixture.device,
        &JwsHeader::new(STATUS_TYPE, None),
        &fixture.status_claims(&approval, &claims),
    );
    assert_eq!(
        verify(&SignedApproval { approval, status }),
        Err(VerifyError::SignatureInvalid(Token::Status))
    );
}

#[test]
fn status_presented_as_certificate_is_refused() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let approval = fixture.sign_approval(&claims);
    let status = fixture.sign_status(&fixture.status_claims(&approval, &claims));
    let chain = vec![status, fixture.certificates[1].clone()];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::WrongTokenType(Token::DeviceCertificate))
    );
}

#[test]
fn certificate_signed_with_a_status_type_is_refused() {
    let fixture = Fixture::default();
    let claims = certificate_claims(&fixture.device, Some("d-0001"));
    let cert = sign(&fixture.issuer, &JwsHeader::new(STATUS_TYPE, None), &claims);
    let chain = vec![cert, fixture.certificates[1].clone()];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::WrongTokenType(Token::DeviceCertificate))
    );
}

#[test]
fn every_code_is_distinct() {
    use VerifyError::*;
    let t = Token::Approval;
    let all = [
        TokenTooLarge(t),
        JwsMalformed(t),
        HeaderParameterNotAllowed(t),
        AlgorithmNotAllowed(t),
        WrongTokenType(t),
        CertificatesNotAllowed(t),
        HeaderNotCanonical(t),
        ClaimsNotCanonical(t),
        CertificateLifetimeTooLong(t),
        ExpectedInconsistent,
        UserMismatch,
        StatusLifetimeInvalid,
        SignatureMalformed(t),
        SignatureOutOfRange(t),
        SignatureHighS(t),
        SignatureInvalid(t),
        ClaimsMalformed(t),
        PublicKeyInvalid(t),
        ChainShape,
        UntrustedRoot,
        CertificateRole(t),
        CertificateExpired(t),
        CertificateNotYetValid(t),
        DeviceMismatch,
        SessionMismatch,
        NonceMismatch,
        PartnerMismatch,
        OriginMismatch,
        KindMismatch,
        DetailsMismatch,
        DocumentMismatch,
        Denied,
        ApprovalStale,
        StatusExpired,
        StatusMismatch,
        DeviceNotActive(DeviceStatus::Revoked),
        LocationOutOfRange,
    ];
    let mut codes: Vec<&str> = all.iter().map(VerifyError::code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
}

/// Every single-character change anywhere in the approval or the status statement is
/// refused (none is accepted, none panics): the signatures cover every byte that matters
/// and the parser never trusts what it has not verified.
#[test]
fn every_single_character_change_is_refused() {
    let good = Fixture::default().approval(&expected());
    let mutate = |text: &str, index: usize| {
        let mut bytes = text.as_bytes().to_vec();
        bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    for index in 0..good.approval.len() {
        let signed = SignedApproval {
            approval: mutate(&good.approval, index),
            ..good.clone()
        };
        assert!(
            verify(&signed).is_err(),
            "approval changed at {index} was accepted"
        );
    }
    for index in 0..good.status.len() {
        let signed = SignedApproval {
            status: mutate(&good.status, index),
            ..good.clone()
        };
        assert!(
            verify(&signed).is_err(),
            "status changed at {index} was accepted"
        );
    }
}

/// The claims of a valid approval carrying `{"lat": lat, "lon": lon}`, signed as is (the
/// constructor that would refuse them is bypassed on purpose).
fn approval_at(lat: i64, lon: i64) -> SignedApproval {
    let fixture = Fixture::default();
    let claims = with_raw_location(&fixture.claims(&expected()), lat, lon);
    restapled(sign_raw(&fixture.device, &approval_header(), &claims))
}

/// `claims` with `"loc":{"lat":lat,"lon":lon}` appended, in the one encoding.
fn with_raw_location(claims: &ApprovalClaims, lat: i64, lon: i64) -> String {
    let json = serde_json::to_string(claims).unwrap();
    format!(
        r#"{},"loc":{{"lat":{lat},"lon":{lon}}}}}"#,
        &json[..json.len() - 1]
    )
}

/// A JWS over exactly these header and payload bytes, validly signed by `key`.
pub(super) fn sign_raw(key: &p256::ecdsa::SigningKey, header: &str, payload: &str) -> String {
    use p256::ecdsa::{Signature, signature::Signer};
    let input = format!(
        "{}.{}",
        b64_encode(header.as_bytes()),
        b64_encode(payload.as_bytes())
    );
    let signature: Signature = key.sign(input.as_bytes());
    crate::assemble(&input, &signature.to_bytes()).unwrap()
}

/// The fixture's approval header, as this crate writes it.
pub(super) fn approval_header() -> String {
    let certs = Fixture::default().certificates;
    serde_json::to_string(&JwsHeader::new(APPROVAL_TYPE, Some(certs))).unwrap()
}

#[test]
fn a_location_round_trips_and_the_partner_reads_it() {
    let fixture = Fixture::default();
    let location = CoarseLocation::from_degrees(49.61, 6.13);
    let claims = fixture.claims(&expected()).with_location(location);
    let signed = fixture.signed(&claims);
    let payload = b64_decode(signed.approval.split('.').nth(1).unwrap()).unwrap();
    let json = core::str::from_utf8(&payload).unwrap();
    assert!(
        json.ends_with(r#""uv":"pin","loc":{"lat":496,"lon":61}}"#),
        "{json}"
    );
    let verified = verify(&signed).unwrap();
    assert_eq!(verified.location(), CoarseLocation::new(496, 61));
    assert_eq!(
        format!("{}", verified.location().unwrap()),
        "49.6° N, 6.1° E"
    );
    // Signed as integers, so the same claims always encode the same way.
    assert_eq!(verify(&approval_at(496, 61)).unwrap().location(), location);
}

#[test]
fn absent_when_not_shared_and_never_on_a_denial() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let payload = serde_json::to_string(&claims.clone().with_location(None)).unwrap();
    assert!(!payload.contains("loc"), "{payload}");
    let deny = ApprovalClaims {
        decision: Decision::Deny,
        uv: None,
        ..claims
    }
    .with_location(CoarseLocation::new(496, 61));
    assert_eq!(deny.loc, None);

    // A denial that carries one anyway is refused, by the partner and by the server.
    let deny = with_raw_location(&deny, 496, 61);
    let approval = sign_raw(&fixture.device, &approval_header(), &deny);
    assert_eq!(
        verify_device_signature(&approval, fixture.device.verifying_key()),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
    assert_eq!(
        verify(&restapled(approval)),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
}

#[test]
fn rounding_to_tenths_on_the_phone() {
    let at =
        |lat, lon| CoarseLocation::from_degrees(lat, lon).map(|l| (l.lat_tenths(), l.lon_tenths()));
    assert_eq!(at(49.61, 6.13), Some((496, 61)));
    assert_eq!(at(49.65001, 6.04999), Some((497, 60)));
    assert_eq!(at(2.25, -2.25), Some((23, -23)), "halves away from zero");
    assert_eq!(at(-33.8688, 151.2093), Some((-339, 1512)));
    assert_eq!(at(-0.04, 0.04), Some((0, 0)));
    assert_eq!(at(90.0, -180.0), Some((900, -1800)));
    assert_eq!(
        at(-90.0, 179.99),
        Some((-900, -1800)),
        "180° E is written 180° W"
    );
    for (lat, lon) in [
        (90.01, 0.0),
        (-90.5, 0.0),
        (0.0, 180.01),
        (0.0, -181.0),
        (f64::NAN, 0.0),
        (0.0, f64::INFINITY),
        (f64::NEG_INFINITY, 0.0),
    ] {
        assert_eq!(at(lat, lon), None, "{lat} {lon}");
    }
    assert_eq!(
        format!("{}", CoarseLocation::new(-339, -1800).unwrap()),
        "33.9° S, 180.0° W"
    );
    assert_eq!(
        format!("{}", CoarseLocation::new(-5, 3).unwrap()),
        "0.5° S, 0.3° E"
    );
}

#[test]
fn location_out_of_range_is_refused() {
    for (lat, lon) in [
        (901, 0),
        (-901, 0),
        (0, 1800),
        (0, -1801),
        (i16::MAX as i64, 0),
    ] {
        assert_eq!(CoarseLocation::new(lat as i16, lon as i16), None);
        assert_eq!(
            verify(&approval_at(lat, lon)).map(|v| v.location()),
            Err(VerifyError::LocationOutOfRange),
            "{lat} {lon}"
        );
    }
    // The edges are places.
    for (lat, lon) in [(900, 1799), (-900, -1800)] {
        assert!(verify(&approval_at(lat, lon)).is_ok(), "{lat} {lon}");
    }
    // Not an integer, not a tenth, or too big for one: not the claims an approval carries.
    let fixture = Fixture::default();
    let header = JwsHeader::new(APPROVAL_TYPE, Some(fixture.certificates.clone()));
    for loc in [
        serde_json::json!({ "lat": 49.61, "lon": 6.13 }),
        serde_json::json!({ "lat": 70000, "lon": 0 }),
        serde_json::json!({ "lat": 496 }),
        serde_json::json!({ "lat": 496, "lon": 61, "acc": 5 }),
        serde_json::json!("49.6,6.1"),
    ] {
        let mut claims = serde_json::to_value(fixture.claims(&expected())).unwrap();
        claims["loc"] = loc.clone();
        let approval = sign(&fixture.device, &header, &claims);
        assert_eq!(
            verify(&restapled(approval)),
            Err(VerifyError::ClaimsMalformed(Token::Approval)),
            "{loc}"
        );
    }
}

#[test]
fn a_tampered_location_breaks_the_signature() {
    let fixture = Fixture::default();
    let claims = fixture
        .claims(&expected())
        .with_location(CoarseLocation::new(496, 61));
    let good = fixture.signed(&claims);
    for moved in [
        claims.clone().with_location(CoarseLocation::new(488, 23)),
        claims.clone().with_location(None),
    ] {
        let payload = b64_encode(&serde_json::to_vec(&moved).unwrap());
        let approval = replace_part(&good.approval, 1, &payload);
        assert_eq!(
            verify(&restapled(approval)),
            Err(VerifyError::SignatureInvalid(Token::Approval))
        );
    }
}

/// An equation that answers as the crate's own, except that it refuses one key, and
/// remembers which keys it was asked about.
struct RefusingKey {
    refused: Option<crate::VerifyingKey>,
    asked: Vec<crate::VerifyingKey>,
}

impl crate::Es256Equation for RefusingKey {
    fn holds(
        &mut self,
        key: &crate::VerifyingKey,
        message: &[u8],
        signature: &crate::Signature,
    ) -> bool {
        self.asked.push(*key);
        Some(key) != self.refused.as_ref() && crate::Es256.holds(key, message, signature)
    }
}

/// `verify_approval_with` asks the caller's equation for every one of the four signatures,
/// each under the key the chain gives it, and obeys its answer: the widget's WebCrypto
/// equation decides as much as the crate's own.
#[test]
fn the_callers_equation_decides_each_of_the_four_signatures() {
    let fixture = Fixture::default();
    let signed = fixture.approval(&expected());
    let root = *fixture.root.verifying_key();
    let issuer = *fixture.issuer.verifying_key();
    let device = *fixture.device.verifying_key();
    let run = |refused: Option<crate::VerifyingKey>| {
        let mut equation = RefusingKey {
            refused,
            asked: Vec::new(),
        };
        let verdict = verify_approval_with(&mut equation, &signed, &expected(), &[root], NOW);
        (verdict.map(|v| String::from(v.user_id())), equation.asked)
    };
    let (verdict, asked) = run(None);
    assert_eq!(verdict, Ok("alice".into()));
    // The issuer under the root, the device under the issuer, the approval under the
    // device, the status under the issuer.
    assert_eq!(asked, vec![root, issuer, device, issuer]);
    assert_eq!(run(Some(root)).0, Err(VerifyError::UntrustedRoot));
    assert_eq!(
        run(Some(issuer)).0,
        Err(VerifyError::SignatureInvalid(Token::DeviceCertificate))
    );
    assert_eq!(
        run(Some(device)).0,
        Err(VerifyError::SignatureInvalid(Token::Approval))
    );
}
