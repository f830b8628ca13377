//! Biometrics in-process: the PIN turns them on, a software platform authenticator
//! registers, and its assertion approves exactly the approval whose SHA-256 it signed.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tessera_protocol::{
    Decision, UserVerification,
    api::{BiometricsChallenge, DeviceRequest, SessionCreated},
    b64_decode, b64_encode, sha256,
};
use tessera_server::biometrics::webauthn::soft::SoftAuthenticator;

/// The harness's public URL, as the companion's browser would report it.
const ORIGIN_OF_COMPANION: &str = "http://127.0.0.1:1";
const RP_ID: &str = "127.0.0.1";

impl Harness {
    async fn device_call(&self, phone: &Phone, path: &str, body: Option<Value>) -> Reply {
        self.call(Method::POST, path, None, Some(&phone.cookie), body)
            .await
    }

    async fn biometrics_challenge(&self, phone: &Phone, pin: &str) -> Reply {
        self.device_call(
            phone,
            "/v1/device/biometrics/challenge",
            Some(json!({ "pin": pin })),
        )
        .await
    }

    /// PIN, challenge, registration: biometrics on.
    async fn enable(&self, phone: &Phone, authenticator: &SoftAuthenticator) {
        let reply = self.biometrics_challenge(phone, PIN).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let challenge: BiometricsChallenge = serde_json::from_value(reply.body).unwrap();
        assert_eq!(challenge.rp_id, RP_ID);
        let reply = self.register(phone, authenticator, &challenge).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    }

    async fn register(
        &self,
        phone: &Phone,
        authenticator: &SoftAuthenticator,
        challenge: &BiometricsChallenge,
    ) -> Reply {
        let bytes = b64_decode(&challenge.challenge).unwrap();
        let answer = authenticator.register(&bytes, ORIGIN_OF_COMPANION, RP_ID);
        let body = json!({
            "credential_id": b64_encode(&authenticator.credential_id),
            "client_data_json": b64_encode(&answer.client_data_json),
            "attestation_object": b64_encode(&answer.data),
        });
        self.device_call(phone, "/v1/device/biometrics", Some(body))
            .await
    }

    /// Sends `approval` confirmed by `authenticator`'s assertion over SHA-256 of `signed`
    /// (the approval itself, unless the test wants another).
    async fn respond_biometric(
        &self,
        phone: &Phone,
        request: &DeviceRequest,
        (approval, signed): (&str, &str),
        authenticator: &mut SoftAuthenticator,
    ) -> Reply {
        let assertion =
            authenticator.assert(&sha256(signed.as_bytes()), ORIGIN_OF_COMPANION, RP_ID);
        let body = json!({
            "approval": approval,
            "biometric": {
                "credential_id": b64_encode(&authenticator.credential_id),
                "client_data_json": b64_encode(&assertion.client_data_json),
                "authenticator_data": b64_encode(&assertion.data),
                "signature": b64_encode(&assertion.signature),
            },
        });
        let path = format!("/v1/device/sessions/{}/respond", request.session_id);
        self.device_call(phone, &path, Some(body)).await
    }

    /// Signs a biometric approval of `request` and confirms it with `authenticator`.
    async fn approve_biometric(
        &self,
        phone: &Phone,
        request: &DeviceRequest,
        authenticator: &mut SoftAuthenticator,
    ) -> Reply {
        let approval = phone.sign_with(request, Decision::Approve, UserVerification::Biometric);
        self.respond_biometric(phone, request, (&approval, &approval), authenticator)
            .await
    }

    /// Whether the server holds a credential for `phone`.
    fn has_biometrics(&self, phone: &Phone) -> bool {
        let stored = self.state.store.biometric_credential(&phone.device_id);
        stored.unwrap().is_some()
    }

    async fn next_request(&self, phone: &Phone) -> (SessionCreated, DeviceRequest) {
        let session = self.create_session().await;
        let request = device_request(self.scan(phone, &session).await);
        (session, request)
    }
}

#[tokio::test]
async fn enable_then_approve_with_biometrics_and_the_status_says_so() {
    let h = harness().await;
    let (phone, session, request) = h.alice_scanned_a_session().await;
    let mut authenticator = SoftAuthenticator::new(9);

    // The PIN confirms turning biometrics on; a wrong one counts.
    let wrong = h.biometrics_challenge(&phone, "111111").await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "wrong_pin");
    assert_eq!(wrong.body["attempts_left"], 4);
    // A registration without a challenge, and the same challenge answered twice.
    let none = BiometricsChallenge {
        challenge: b64_encode(&[7; 32]),
        rp_id: RP_ID.into(),
        user_handle: String::new(),
        user_name: String::new(),
    };
    let reply = h.register(&phone, &authenticator, &none).await;
    assert_error(&reply, StatusCode::CONFLICT, "biometrics_challenge_expired");
    h.enable(&phone, &authenticator).await;
    assert!(h.has_biometrics(&phone));

    // An assertion made for another approval does not confirm this one, and counts.
    let approval = phone.sign_with(&request, Decision::Approve, UserVerification::Biometric);
    let other = phone.sign_with(&request, Decision::Deny, UserVerification::Biometric);
    let pair = (approval.as_str(), other.as_str());
    let reply = h
        .respond_biometric(&phone, &request, pair, &mut authenticator)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "webauthn_challenge");
    assert_eq!(reply.body["attempts_left"], 4);

    // An approval claiming the PIN cannot be confirmed by biometrics, nor both at once.
    let pin_claim = phone.sign(&request, Decision::Approve);
    let pair = (pin_claim.as_str(), pin_claim.as_str());
    let reply = h
        .respond_biometric(&phone, &request, pair, &mut authenticator)
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "verification_mismatch");
    let path = format!("/v1/device/sessions/{}/respond", request.session_id);
    let both = json!({"approval": approval, "pin": PIN, "biometric": {
        "credential_id": "", "client_data_json": "", "authenticator_data": "", "signature": ""}});
    assert_error(
        &h.device_call(&phone, &path, Some(both)).await,
        StatusCode::BAD_REQUEST,
        "one_verification",
    );

    let reply = h
        .approve_biometric(&phone, &request, &mut authenticator)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let verified = h.verified_login(&session).await;
    assert_eq!(verified.user_verification(), UserVerification::Biometric);

    // A replayed assertion (same counter) on a new request is refused as a clone.
    let (_, request) = h.next_request(&phone).await;
    let approval = phone.sign_with(&request, Decision::Approve, UserVerification::Biometric);
    let mut clone = SoftAuthenticator::new(9);
    clone.sign_count = authenticator.sign_count - 1;
    let reply = h
        .respond_biometric(&phone, &request, (&approval, &approval), &mut clone)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "webauthn_counter");

    // Turned off: the server forgets the credential, and the PIN still works.
    let reply = h
        .device_call(&phone, "/v1/device/biometrics/disable", None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert!(!h.has_biometrics(&phone));
    let reply = h
        .approve_biometric(&phone, &request, &mut authenticator)
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "biometrics_not_enabled");
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn failed_assertions_lock_the_device_like_wrong_pins() {
    let h = harness().await;
    let (phone, _, request) = h.alice_scanned_a_session().await;
    let mut authenticator = SoftAuthenticator::new(9);
    h.enable(&phone, &authenticator).await;

    // The platform says the user was not verified (UV flag off): refused, counted.
    authenticator.user_verified = false;
    for left in [4, 3, 2, 1] {
        let reply = h
            .approve_biometric(&phone, &request, &mut authenticator)
            .await;
        assert_error(
            &reply,
            StatusCode::UNAUTHORIZED,
            "webauthn_user_not_verified",
        );
        assert_eq!(reply.body["attempts_left"], left);
    }
    // One wrong PIN more: the budget is shared.
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some("111111"))
        .await;
    assert_error(&reply, StatusCode::LOCKED, "device_locked");

    // A locked device cannot use its biometrics, verified or not, nor re-enable them.
    authenticator.user_verified = true;
    let reply = h
        .approve_biometric(&phone, &request, &mut authenticator)
        .await;
    assert_error(&reply, StatusCode::LOCKED, "device_locked");
    assert_error(
        &h.biometrics_challenge(&phone, PIN).await,
        StatusCode::LOCKED,
        "device_locked",
    );
}

#[tokio::test]
async fn a_registration_from_another_origin_or_unverified_user_is_refused() {
    let h = harness().await;
    let (phone, _, _) = h.alice_scanned_a_session().await;
    let challenge = |reply: Reply| -> BiometricsChallenge {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_value(reply.body).unwrap()
    };

    let mut unverified = SoftAuthenticator::new(9);
    unverified.user_verified = false;
    let issued = challenge(h.biometrics_challenge(&phone, PIN).await);
    let reply = h.register(&phone, &unverified, &issued).await;
    assert_error(
        &reply,
        StatusCode::UNAUTHORIZED,
        "webauthn_user_not_verified",
    );
    // The challenge was used up by that attempt.
    let reply = h
        .register(&phone, &SoftAuthenticator::new(9), &issued)
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "biometrics_challenge_expired");

    let issued = challenge(h.biometrics_challenge(&phone, PIN).await);
    let bytes = b64_decode(&issued.challenge).unwrap();
    let phishing = SoftAuthenticator::new(9).register(&bytes, "http://127.0.0.1:2", RP_ID);
    let body = json!({
        "credential_id": b64_encode(&SoftAuthenticator::new(9).credential_id),
        "client_data_json": b64_encode(&phishing.client_data_json),
        "attestation_object": b64_encode(&phishing.data),
    });
    let reply = h
        .device_call(&phone, "/v1/device/biometrics", Some(body))
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "webauthn_origin");
    assert!(!h.has_biometrics(&phone));
}
