//! The offline one-time code (issue 17): provisioning with the PIN, the code checked once
//! against the session's question (dynamic linking for a transfer), guessing bounded per
//! session and per device, and the signed result the partner's backend verifies.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tessera_oath::{OcraInput, OcraSuite};
use tessera_protocol::{
    Details, Kind,
    api::SessionCreated,
    b64_encode, details_for,
    offline::{OFFLINE_OCRA_SUITE, OFFLINE_RESULT_USE, OfflineResultClaims, OfflineSession},
};

/// The OCRA key a phone would derive from its HMAC key and the PIN (any 32 bytes: the
/// server never sees how).
const KEY: [u8; 32] = [7; 32];

fn transfer(amount_minor: u64) -> Value {
    json!({"transaction": {
        "amount_minor": amount_minor, "currency": "EUR", "payee_name": "Zoë Müller",
        "payee_iban": "LU28 0019 4006 4475 0000", "reference": "Invoice 2026-042"
    }})
}

/// The details as the server keeps them (validated and normalised).
fn normalised(details: &Value) -> Details {
    details_for(
        Kind::Confirm,
        Some(serde_json::from_value(details.clone()).unwrap()),
    )
    .unwrap()
    .unwrap()
}

/// The code a phone holding `key` shows for `session` and `details`.
fn code(key: &[u8], session: &SessionCreated, kind: Kind, details: Option<&Details>) -> String {
    let question = OfflineSession {
        session_id: &session.session_id,
        nonce: &session.nonce,
        partner_id: &session.partner_id,
        origin: ORIGIN,
        kind,
        details,
    }
    .question();
    OcraSuite::parse(OFFLINE_OCRA_SUITE)
        .unwrap()
        .compute(key, &OcraInput::new(&question))
        .unwrap()
}

impl Harness {
    async fn provision(&self, phone: &Phone, key: &[u8], pin: &str) -> Reply {
        let body = json!({"key": b64_encode(key), "pin": pin});
        self.call(
            Method::POST,
            "/v1/device/offline-key",
            None,
            Some(&phone.cookie),
            Some(body),
        )
        .await
    }

    async fn offline(&self, session: &SessionCreated, user: &str, code: &str) -> Reply {
        let uri = format!("/v1/sessions/{}/offline", session.session_id);
        let body = json!({"user_id": user, "code": code});
        self.call(
            Method::POST,
            &uri,
            Some(&session.watch_token),
            None,
            Some(body),
        )
        .await
    }

    async fn confirm_session(&self, details: &Value) -> SessionCreated {
        let body = json!({"kind": "confirm", "origin": ORIGIN, "details": details});
        let reply = self
            .call(
                Method::POST,
                "/v1/sessions",
                Some(&self.api_key),
                None,
                Some(body),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        serde_json::from_value(reply.body).unwrap()
    }

    /// The claims of a signed result, verified against the server's published keys.
    fn verified_result(&self, reply: &Reply) -> OfflineResultClaims {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let jwt = reply.body["result"].as_str().unwrap();
        let claims = tessera_server::oidc::keys::verify_jwt(&self.state.store, jwt)
            .unwrap()
            .expect("signed with a key of the JWKS");
        serde_json::from_value(claims).unwrap()
    }
}

#[tokio::test]
async fn an_offline_code_answers_its_session_once_with_a_signed_result() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let wrong_pin = h.provision(&phone, &KEY, "135790").await;
    assert_error(&wrong_pin, StatusCode::UNAUTHORIZED, "wrong_pin");
    let short = h.provision(&phone, &KEY[..16], PIN).await;
    assert_error(&short, StatusCode::BAD_REQUEST, "offline_key_invalid");
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );

    let session = h.create_session().await;
    let typed = code(&KEY, &session, Kind::Login, None);
    assert_eq!(typed.len(), 8);
    let spaced = format!("{} {}", &typed[..4], &typed[4..]);
    let answered = h.offline(&session, " alice ", &spaced).await;
    let claims = h.verified_result(&answered);
    assert_eq!(
        (
            claims.sid.as_str(),
            claims.nonce.as_str(),
            claims.sub.as_str()
        ),
        (session.session_id.as_str(), session.nonce.as_str(), "alice")
    );
    assert_eq!(claims.aud, session.partner_id);
    assert_eq!(claims.origin, ORIGIN);
    assert_eq!(claims.token_use, OFFLINE_RESULT_USE);
    assert_eq!(claims.kind, Kind::Login);
    assert!(claims.exp > claims.iat && claims.exp - claims.iat <= 300);
    assert_eq!(h.result(&session).await.body["state"], "approved");

    let replay = h.offline(&session, "alice", &typed).await;
    assert_error(&replay, StatusCode::CONFLICT, "session_not_waiting");
    // Another session has another nonce: the same code means nothing there.
    let next = h.create_session().await;
    let reused = h.offline(&next, "alice", &typed).await;
    assert_error(&reused, StatusCode::UNAUTHORIZED, "offline_code_wrong");
}

#[tokio::test]
async fn a_changed_amount_gives_another_code() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    let asked = transfer(25_000);
    let session = h.confirm_session(&asked).await;
    // A phone shown 250.01 instead of 250.00 (a forged offline QR) computes a code for
    // that: the server's question is for what the partner asked.
    let forged = normalised(&transfer(25_001));
    let wrong = code(&KEY, &session, Kind::Confirm, Some(&forged));
    let refused = h.offline(&session, "alice", &wrong).await;
    assert_error(&refused, StatusCode::UNAUTHORIZED, "offline_code_wrong");
    assert_eq!(refused.body["attempts_left"], 2);

    let real = normalised(&asked);
    let right = code(&KEY, &session, Kind::Confirm, Some(&real));
    assert_ne!(right, wrong);
    let claims = h.verified_result(&h.offline(&session, "alice", &right).await);
    assert_eq!(claims.dd, Some(b64_encode(&real.digest())));
}

#[tokio::test]
async fn three_wrong_codes_end_a_sessions_offline_answers() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    let session = h.create_session().await;
    let right = code(&KEY, &session, Kind::Login, None);
    let wrong = if right == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for left in [2, 1] {
        let reply = h.offline(&session, "alice", wrong).await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "offline_code_wrong");
        assert_eq!(reply.body["attempts_left"], left);
    }
    let third = h.offline(&session, "alice", wrong).await;
    assert_error(
        &third,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_wrong_codes",
    );
    let too_late = h.offline(&session, "alice", &right).await;
    assert_error(
        &too_late,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_wrong_codes",
    );
    for malformed in ["1234567", "123456789", "1234567a", ""] {
        let reply = h.offline(&session, "alice", malformed).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "offline_code_malformed");
    }
}

#[tokio::test]
async fn five_wrong_codes_stop_a_devices_offline_codes_until_the_next_right_one() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    // Two sessions with two wrong codes each, one with one: five against the device.
    for wrong_codes in [2, 2, 1] {
        let session = h.create_session().await;
        for _ in 0..wrong_codes {
            let right = code(&KEY, &session, Kind::Login, None);
            let wrong = if right == "00000000" {
                "11111111"
            } else {
                "00000000"
            };
            let reply = h.offline(&session, "alice", wrong).await;
            assert_error(&reply, StatusCode::UNAUTHORIZED, "offline_code_wrong");
        }
    }
    let session = h.create_session().await;
    let right = code(&KEY, &session, Kind::Login, None);
    let stopped = h.offline(&session, "alice", &right).await;
    assert_error(&stopped, StatusCode::UNAUTHORIZED, "offline_code_wrong");
    // Providing the key again, with the PIN, starts the device afresh.
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    let session = h.create_session().await;
    let right = code(&KEY, &session, Kind::Login, None);
    h.verified_result(&h.offline(&session, "alice", &right).await);
}

#[tokio::test]
async fn no_offline_answer_without_a_key_for_another_user_or_after_a_pin_change() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let without = code(&KEY, &session, Kind::Login, None);
    let refused = h.offline(&session, "alice", &without).await;
    assert_error(&refused, StatusCode::UNAUTHORIZED, "offline_code_wrong");

    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    let session = h.create_session().await;
    let right = code(&KEY, &session, Kind::Login, None);
    // The same answer as for a wrong code: no telling which users exist.
    let stranger = h.offline(&session, "mallory", &right).await;
    assert_error(&stranger, StatusCode::UNAUTHORIZED, "offline_code_wrong");

    let change = json!({"old_pin": PIN, "new_pin": "615243"});
    let changed = h
        .call(
            Method::POST,
            "/v1/device/pin",
            None,
            Some(&phone.cookie),
            Some(change),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
    let stale = h.offline(&session, "alice", &right).await;
    assert_error(&stale, StatusCode::UNAUTHORIZED, "offline_code_wrong");
}

#[tokio::test]
async fn a_session_a_phone_has_online_takes_no_offline_code() {
    let h = harness().await;
    let (phone, session, _) = h.alice_scanned_a_session().await;
    assert_eq!(
        h.provision(&phone, &KEY, PIN).await.status,
        StatusCode::NO_CONTENT
    );
    let right = code(&KEY, &session, Kind::Login, None);
    let reply = h.offline(&session, "alice", &right).await;
    assert_error(&reply, StatusCode::CONFLICT, "session_not_waiting");
    let bad_token = h
        .call(
            Method::POST,
            &format!("/v1/sessions/{}/offline", session.session_id),
            Some("guess"),
            None,
            Some(json!({"user_id": "alice", "code": right})),
        )
        .await;
    assert_error(&bad_token, StatusCode::UNAUTHORIZED, "invalid_watch_token");
}
