//! Behind the signatures: the fuzzer cannot forge ES256, so in `approval` its inputs stop
//! at the first signature. Here the input is the payload of one token, signed with the
//! key that must sign it (a signing oracle, as a compromised or buggy phone or issuer
//! would be), in an otherwise genuine approval: the first byte picks the approval's
//! claims, the status statement's claims or the device certificate's claims. Whatever
//! verifies must be in its one encoding and answer the fixture's request.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use tessera_protocol::{
    APPROVAL_TYPE, ApprovalClaims, CERTIFICATE_TYPE, JwsHeader, STATUS_TYPE, SignedApproval,
    assemble, b64_encode, testkit, verify_approval,
};

/// A JWS over `header` and exactly `payload`, signed by `key`.
fn sign_raw(key: &SigningKey, header: &JwsHeader, payload: &[u8]) -> String {
    let header = serde_json::to_vec(header).expect("a header writes");
    let input = format!("{}.{}", b64_encode(&header), b64_encode(payload));
    let signature: Signature = key.sign(input.as_bytes());
    assemble(&input, &signature.to_bytes()).expect("a P-256 signature")
}

fn fixture() -> &'static testkit::Fixture {
    static FIXTURE: OnceLock<testkit::Fixture> = OnceLock::new();
    FIXTURE.get_or_init(testkit::Fixture::default)
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, payload)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    let expected = testkit::expected();
    let genuine_claims = fixture.claims(&expected);
    let signed = match which % 3 {
        0 => {
            let header = JwsHeader::new(APPROVAL_TYPE, Some(fixture.certificates.clone()));
            let approval = sign_raw(&fixture.device, &header, payload);
            // Staple a status for it, as the server would for claims it could read.
            let claims = serde_json::from_slice::<ApprovalClaims>(payload)
                .unwrap_or_else(|_| genuine_claims.clone());
            let status = fixture.sign_status(&fixture.status_claims(&approval, &claims));
            SignedApproval { approval, status }
        }
        1 => {
            let approval = fixture.sign_approval(&genuine_claims);
            let header = JwsHeader::new(STATUS_TYPE, None);
            let status = sign_raw(&fixture.issuer, &header, payload);
            SignedApproval { approval, status }
        }
        _ => {
            let header = JwsHeader::new(CERTIFICATE_TYPE, None);
            let device_certificate = sign_raw(&fixture.issuer, &header, payload);
            let chain = testkit::Fixture {
                certificates: vec![device_certificate, fixture.certificates[1].clone()],
                root: fixture.root.clone(),
                issuer: fixture.issuer.clone(),
                device: fixture.device.clone(),
            };
            chain.approval(&expected)
        }
    };
    if let Ok(verified) = verify_approval(
        &signed,
        &expected,
        fixture.root.verifying_key(),
        testkit::NOW,
    ) {
        assert_eq!(verified.session_id(), expected.session_id);
        if which % 3 == 0 {
            let claims: ApprovalClaims =
                serde_json::from_slice(payload).expect("verified claims read");
            assert_eq!(
                serde_json::to_vec(&claims).expect("claims write"),
                payload,
                "not canonical"
            );
            assert_eq!(
                (
                    claims.nonce.as_str(),
                    claims.pid.as_str(),
                    claims.origin.as_str(),
                    claims.kind
                ),
                (
                    expected.nonce,
                    expected.partner_id,
                    expected.origin,
                    expected.kind
                )
            );
            assert_eq!(claims.dd, None);
        }
    }
});
