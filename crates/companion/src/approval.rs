//! What the device signs: the approval claims for a request and the activation proof.
use p256::ecdsa::Signature;
use tessera_protocol::{
    APPROVAL_TYPE, ApprovalClaims, CoarseLocation, Decision, JwsHeader, UserVerification,
    api::DeviceRequest, signing_input,
};

use crate::state::Device;

/// The claims answering `request` (the protocol's [`DeviceRequest::answer`]): an
/// approval verified with `uv`, with the coarse `location` if the user shares it, or a
/// denial without user verification or location.
pub fn approval_claims(
    request: &DeviceRequest,
    device_id: &str,
    decision: Decision,
    uv: UserVerification,
    location: Option<CoarseLocation>,
    now: u64,
) -> ApprovalClaims {
    request
        .answer(device_id, decision, uv, now)
        .with_location(location)
}

/// The JWS signing input of the approval, carrying the device's certificate chain.
pub fn approval_signing_input(
    request: &DeviceRequest,
    device: &Device,
    decision: Decision,
    uv: UserVerification,
    location: Option<CoarseLocation>,
    now: u64,
) -> String {
    let header = JwsHeader::new(APPROVAL_TYPE, Some(device.certificates.clone()));
    signing_input(
        &header,
        &approval_claims(request, &device.device_id, decision, uv, location, now),
    )
}

/// A raw `r||s` signature in its low-S form (WebCrypto may return either); `None` if it
/// is not a P-256 signature.
pub fn low_s(raw: &[u8]) -> Option<[u8; 64]> {
    let signature = Signature::from_slice(raw).ok()?.normalize_s();
    Some(signature.to_bytes().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_protocol::{
        Kind, SignedApproval, assemble,
        testkit::{Fixture, NOW, expected},
        verify_approval,
    };

    fn request() -> DeviceRequest {
        let e = expected();
        DeviceRequest {
            session_id: e.session_id.into(),
            nonce: e.nonce.into(),
            partner_id: e.partner_id.into(),
            partner_name: "Demo Bank".into(),
            origin: e.origin.into(),
            kind: Kind::Login,
            details: None,
            number_choices: None,
            binding_message: None,
            expires_at: NOW + 60,
        }
    }

    #[test]
    fn deny_carries_no_user_verification_and_no_location() {
        use UserVerification::{Biometric, Pin};
        let here = CoarseLocation::from_degrees(49.61, 6.13);
        for uv in [Pin, Biometric] {
            let claims = approval_claims(&request(), "d-0001", Decision::Deny, uv, here, NOW);
            assert_eq!(
                (claims.decision, claims.uv, claims.loc),
                (Decision::Deny, None, None)
            );
            let claims = approval_claims(&request(), "d-0001", Decision::Approve, uv, None, NOW);
            assert_eq!((claims.uv, claims.loc), (Some(uv), None));
        }
        let claims = approval_claims(&request(), "d-0001", Decision::Approve, Pin, here, NOW);
        assert_eq!(claims.loc, CoarseLocation::new(496, 61));
    }

    #[test]
    fn a_companion_approval_passes_the_widget_verification() {
        use p256::ecdsa::signature::Signer;
        let fixture = Fixture::default();
        let device = Device {
            device_id: "d-0001".into(),
            user_id: "alice".into(),
            name: "Phone".into(),
            certificates: fixture.certificates.clone(),
        };
        let here = CoarseLocation::from_degrees(49.61, 6.13);
        let pin = UserVerification::Pin;
        let input = approval_signing_input(&request(), &device, Decision::Approve, pin, here, NOW);
        let signature: Signature = fixture.device.sign(input.as_bytes());
        let approval = assemble(&input, &signature.to_bytes()).expect("64 bytes");
        let claims = approval_claims(&request(), "d-0001", Decision::Approve, pin, here, NOW);
        assert_eq!(
            approval.split('.').nth(1),
            fixture.sign_approval(&claims).split('.').nth(1)
        );
        let status = fixture.sign_status(&fixture.status_claims(&approval, &claims));
        let signed = SignedApproval { approval, status };
        let root = *fixture.root.verifying_key();
        let verified = verify_approval(&signed, &expected(), &root, NOW).expect("valid approval");
        assert_eq!(verified.location(), here);
    }

    #[test]
    fn low_s_normalises_and_refuses_garbage() {
        use p256::ecdsa::signature::Signer;
        let signature: Signature = Fixture::default().device.sign(b"m");
        let low = signature.normalize_s().to_bytes();
        // Negating s gives the other valid encoding of the same signature.
        let high = Signature::from_scalars(signature.r(), -*signature.s())
            .expect("valid")
            .to_bytes();
        assert_eq!(low_s(&high).map(|b| b.to_vec()), Some(low.to_vec()));
        assert_eq!(low_s(&low).map(|b| b.to_vec()), Some(low.to_vec()));
        assert_eq!(low_s(&[0; 64]), None);
        assert_eq!(low_s(&[1; 63]), None);
    }
}
