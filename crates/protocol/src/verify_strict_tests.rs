//! Issue 14: one encoding per token, bounded inputs, precise codes, and the checks no
//! caller has to remember. Every token here is signed with the right key, as an attacker
//! holding it (or a sloppy implementation) would: only the encoding or a bound is wrong,
//! and each of them verified before this change.
#![allow(clippy::unwrap_used)]
use alloc::{format, string::String, vec};

use super::tests::{approval_header, restapled, sign_raw, verify, with_chain, with_status};
use super::*;
use crate::{
    APPROVAL_TYPE, CERTIFICATE_TYPE, DEVICE_CERTIFICATE_MAX_LIFETIME_SECS, DocumentSignature,
    ISSUER_CERTIFICATE_MAX_LIFETIME_SECS, JwsHeader, STATUS_TYPE, b64_encode, sign,
    testkit::{Fixture, NOW, certificate, certificate_claims, expected},
};

/// The fixture's approval claims, as this crate writes them.
fn claims_json() -> String {
    serde_json::to_string(&Fixture::default().claims(&expected())).unwrap()
}

/// `certs` as JSON, the fixture's chain.
fn chain_json() -> String {
    serde_json::to_string(&Fixture::default().certificates).unwrap()
}

/// An approval signed by the device over `header` and `claims`, with a matching status.
fn approval_raw(header: &str, claims: &str) -> Result<VerifiedApproval, VerifyError> {
    verify(&restapled(sign_raw(
        &Fixture::default().device,
        header,
        claims,
    )))
}

#[test]
fn the_raw_signer_reproduces_a_valid_approval() {
    let header = format!(
        r#"{{"alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{}}}"#,
        chain_json()
    );
    assert_eq!(header, approval_header());
    assert!(approval_raw(&header, &claims_json()).is_ok());
}

#[test]
fn a_header_that_is_not_an_object_is_jws_malformed() {
    let nested = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let array = format!(r#"["ES256","{APPROVAL_TYPE}",{}]"#, chain_json());
    let deep = format!(r#"{{"alg":"ES256","typ":"{APPROVAL_TYPE}","x":{nested}}}"#);
    for header in ["null", r#""ES256""#, "7", "", &nested, &array, &deep] {
        assert_eq!(
            approval_raw(header, &claims_json()),
            Err(VerifyError::JwsMalformed(Token::Approval)),
            "{header}"
        );
    }
    // The header is read without serde_json::Value: a chain must still be strings only,
    // and a member's value must still be whole JSON.
    for certs in [
        r#"[1,2]"#,
        r#"["a",1]"#,
        r#"[["a"]]"#,
        r#""a""#,
        "{}",
        "null",
        "[1,",
    ] {
        let header = format!(r#"{{"alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{certs}}}"#);
        assert_eq!(
            approval_raw(&header, &claims_json()),
            Err(VerifyError::JwsMalformed(Token::Approval)),
            "{header}"
        );
    }
}

#[test]
fn a_header_parameter_besides_alg_typ_certs_is_named() {
    let chain = chain_json();
    for extra in [
        r#""jwk":{}"#,
        r#""kid":"d-0001""#,
        r#""crit":["exp"]"#,
        r#""x5c":[]"#,
    ] {
        let header =
            format!(r#"{{"alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{chain},{extra}}}"#);
        assert_eq!(
            approval_raw(&header, &claims_json()),
            Err(VerifyError::HeaderParameterNotAllowed(Token::Approval)),
            "{extra}"
        );
    }
}

#[test]
fn a_missing_typ_is_the_wrong_token_type() {
    let header = format!(r#"{{"alg":"ES256","certs":{}}}"#, chain_json());
    assert_eq!(
        approval_raw(&header, &claims_json()),
        Err(VerifyError::WrongTokenType(Token::Approval))
    );
}

#[test]
fn a_header_in_another_encoding_is_not_canonical() {
    let chain = chain_json();
    for header in [
        format!(r#"{{"typ":"{APPROVAL_TYPE}","alg":"ES256","certs":{chain}}}"#),
        format!(r#"{{ "alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{chain}}}"#),
        format!(r#"{{"alg":"\u0045S256","typ":"{APPROVAL_TYPE}","certs":{chain}}}"#),
        format!(r#"{{"alg":"none","alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{chain}}}"#),
    ] {
        assert_eq!(
            approval_raw(&header, &claims_json()),
            Err(VerifyError::HeaderNotCanonical(Token::Approval)),
            "{header}"
        );
    }
}

#[test]
fn approval_claims_must_be_an_object_in_their_one_encoding() {
    let fixture = Fixture::default();
    let c = fixture.claims(&expected());
    let array = format!(
        r#"["{}","{}","{}","{}","login","approve","{}",{},"pin"]"#,
        c.sid, c.nonce, c.pid, c.origin, c.dev, c.iat
    );
    assert_eq!(
        approval_raw(&approval_header(), &array),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
    let good = claims_json();
    let loc_array = good.replace(r#""uv":"pin""#, r#""uv":"pin","loc":[496,61]"#);
    assert_eq!(
        approval_raw(&approval_header(), &loc_array),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
    let null_digest = good.replace(r#""kind":"login","#, r#""kind":"login","dd":null,"#);
    let spaced = good.replace(',', ", ");
    // serde_json's `Value` keeps members sorted by name: another order, same claims.
    let sorted = serde_json::to_string(&serde_json::to_value(&c).unwrap()).unwrap();
    let escaped = good
        .replace("alice", "\\u0061lice")
        .replace("login", "l\\u006fgin");
    let unknown = good.replacen(r#""sid""#, r#""zzz""#, 1);
    for claims in [null_digest, spaced, sorted, escaped, format!("{good}\n")] {
        assert_eq!(
            approval_raw(&approval_header(), &claims),
            Err(VerifyError::ClaimsNotCanonical(Token::Approval)),
            "{claims}"
        );
    }
    // An unknown member is still malformed, not merely another encoding.
    assert_eq!(
        approval_raw(&approval_header(), &unknown),
        Err(VerifyError::ClaimsMalformed(Token::Approval))
    );
}

#[test]
fn status_and_certificate_claims_must_be_objects() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let approval = fixture.sign_approval(&claims);
    let s = fixture.status_claims(&approval, &claims);
    let array = format!(
        r#"["{}","{}","{}","active","pin",{},{}]"#,
        s.sid, s.dev, s.apr, s.iat, s.exp
    );
    let status_header = format!(r#"{{"alg":"ES256","typ":"{STATUS_TYPE}"}}"#);
    let status = sign_raw(&fixture.issuer, &status_header, &array);
    assert_eq!(
        verify(&SignedApproval { approval, status }),
        Err(VerifyError::ClaimsMalformed(Token::Status))
    );

    let d = certificate_claims(&fixture.device, Some("d-0001"));
    let array = format!(
        r#"["{}","{}","{}","d-0001","{}",false,{},{}]"#,
        d.ser, d.iss, d.sub, d.key, d.nbf, d.exp
    );
    let cert_header = format!(r#"{{"alg":"ES256","typ":"{CERTIFICATE_TYPE}"}}"#);
    let device_cert = sign_raw(&fixture.issuer, &cert_header, &array);
    assert_eq!(
        verify(&with_chain(vec![
            device_cert,
            fixture.certificates[1].clone()
        ])),
        Err(VerifyError::ClaimsMalformed(Token::DeviceCertificate))
    );
}

#[test]
fn the_relay_body_and_the_signature_file_are_objects_only() {
    let good = Fixture::default().approval(&expected());
    let object = serde_json::to_string(&good).unwrap();
    assert_eq!(
        serde_json::from_str::<SignedApproval>(&object).unwrap(),
        good
    );
    let array = serde_json::to_string(&[&good.approval, &good.status]).unwrap();
    assert!(serde_json::from_str::<SignedApproval>(&array).is_err());
    let file = format!(
        r#"["tessera-signature/1","demo-bank","https://bank.example","s-0001","n-0001",["a.pdf","00"],{array}]"#
    );
    assert!(serde_json::from_str::<DocumentSignature>(&file).is_err());
}

#[test]
fn oversized_tokens_are_refused_before_decoding() {
    let good = Fixture::default().approval(&expected());
    // 10 MB of header with 2.6 million empty certificates, as the review tried.
    let certs = format!("[{}\"\"]", "\"\",".repeat(2_600_000));
    let header = format!(r#"{{"alg":"ES256","typ":"{APPROVAL_TYPE}","certs":{certs}}}"#);
    let huge = format!("{}.e30.AA", b64_encode(header.as_bytes()));
    assert_eq!(
        verify(&SignedApproval {
            approval: huge.clone(),
            ..good.clone()
        }),
        Err(VerifyError::TokenTooLarge(Token::Approval))
    );
    assert_eq!(
        verify(&SignedApproval {
            status: huge,
            ..good.clone()
        }),
        Err(VerifyError::TokenTooLarge(Token::Status))
    );
    let just_over = "A".repeat(MAX_TOKEN_BYTES + 1);
    assert_eq!(
        verify_device_signature(&just_over, Fixture::default().device.verifying_key()),
        Err(VerifyError::TokenTooLarge(Token::Approval))
    );
    // The bound leaves room: the fixture's approval is a fraction of it.
    assert!(good.approval.len() * 3 < MAX_TOKEN_BYTES);
}

#[test]
fn certificates_on_a_status_or_a_certificate_are_refused() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&expected());
    let approval = fixture.sign_approval(&claims);
    let status_claims = fixture.status_claims(&approval, &claims);
    let header = JwsHeader::new(STATUS_TYPE, Some(fixture.certificates.clone()));
    let status = sign(&fixture.issuer, &header, &status_claims);
    assert_eq!(
        verify(&SignedApproval { approval, status }),
        Err(VerifyError::CertificatesNotAllowed(Token::Status))
    );

    let header = JwsHeader::new(CERTIFICATE_TYPE, Some(vec![]));
    let issuer_cert = sign(
        &fixture.root,
        &header,
        &certificate_claims(&fixture.issuer, None),
    );
    assert_eq!(
        verify(&with_chain(vec![
            fixture.certificates[0].clone(),
            issuer_cert
        ])),
        Err(VerifyError::CertificatesNotAllowed(
            Token::IssuerCertificate
        ))
    );
}

#[test]
fn kind_and_details_are_checked_together() {
    let fixture = Fixture::default();
    let root = fixture.root.verifying_key();
    // A confirmation without a digest would accept an approval that signed no details.
    let mut claims = fixture.claims(&expected());
    claims.kind = Kind::Confirm;
    let signed = fixture.signed(&claims);
    let careless = Expected {
        kind: Kind::Confirm,
        ..expected()
    };
    assert_eq!(
        verify_approval(&signed, &careless, root, NOW),
        Err(VerifyError::ExpectedInconsistent)
    );
    let sign_without = Expected {
        kind: Kind::Sign,
        ..expected()
    };
    assert_eq!(
        verify_approval(&signed, &sign_without, root, NOW),
        Err(VerifyError::ExpectedInconsistent)
    );
    let login_with = Expected {
        details_digest: Some([1u8; 32]),
        ..expected()
    };
    let login = fixture.approval(&expected());
    assert_eq!(
        verify_approval(&login, &login_with, root, NOW),
        Err(VerifyError::ExpectedInconsistent)
    );
}

#[test]
fn the_user_is_checked_when_the_caller_knows_it() {
    let fixture = Fixture::default();
    let root = fixture.root.verifying_key();
    let signed = fixture.approval(&expected());
    let bob = Expected {
        user_id: Some("bob"),
        ..expected()
    };
    assert_eq!(
        verify_approval(&signed, &bob, root, NOW),
        Err(VerifyError::UserMismatch)
    );
    let alice = Expected {
        user_id: Some("alice"),
        ..expected()
    };
    assert_eq!(
        verify_approval(&signed, &alice, root, NOW)
            .unwrap()
            .user_id(),
        "alice"
    );
}

#[test]
fn a_status_that_expires_before_it_was_issued_is_refused() {
    assert_eq!(
        with_status(|s| {
            s.iat = NOW + 30;
            s.exp = NOW + 10;
        }),
        Err(VerifyError::StatusLifetimeInvalid)
    );
}

#[test]
fn certificates_have_a_maximum_lifetime() {
    let fixture = Fixture::default();
    let mut device = certificate_claims(&fixture.device, Some("d-0001"));
    device.exp = device.nbf + DEVICE_CERTIFICATE_MAX_LIFETIME_SECS + 1;
    let chain = vec![
        certificate(&fixture.issuer, &device),
        fixture.certificates[1].clone(),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateLifetimeTooLong(
            Token::DeviceCertificate
        ))
    );
    device.exp = device.nbf + DEVICE_CERTIFICATE_MAX_LIFETIME_SECS;
    let chain = vec![
        certificate(&fixture.issuer, &device),
        fixture.certificates[1].clone(),
    ];
    assert!(verify(&with_chain(chain)).is_ok());

    let mut issuer = certificate_claims(&fixture.issuer, None);
    issuer.exp = issuer.nbf + ISSUER_CERTIFICATE_MAX_LIFETIME_SECS + 1;
    let chain = vec![
        fixture.certificates[0].clone(),
        certificate(&fixture.root, &issuer),
    ];
    assert_eq!(
        verify(&with_chain(chain)),
        Err(VerifyError::CertificateLifetimeTooLong(
            Token::IssuerCertificate
        ))
    );
}
