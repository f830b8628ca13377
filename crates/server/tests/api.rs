//! The server's HTTP API driven in-process (axum `oneshot`), with a phone simulated by a
//! p256 key: every rule of the relay, activation and PIN check, and the bad inputs.
//! The real companion and widget are driven in a browser by `tests/` at the top level.
mod common;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tessera_protocol::{
    Decision, SigningKey, UserVerification, b64_decode, qr_code, verifying_key_to_b64,
};
use tower::ServiceExt;

#[tokio::test]
async fn login_approved_with_pin_verifies_and_is_delivered_once() {
    let h = harness().await;
    let (phone, session, request) = h.alice_scanned_a_session().await;
    assert_eq!(
        (request.partner_name.as_str(), request.origin.as_str()),
        ("Demo Bank", ORIGIN)
    );

    let wrong = h
        .respond(&phone, &request, Decision::Approve, Some("135790"))
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "wrong_pin");
    assert_eq!(wrong.body["attempts_left"], 4);
    let right = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);

    let verified = h.verified_login(&session).await;
    assert_eq!(verified.user_id(), "alice");

    let again = h.result(&session).await;
    assert_error(&again, StatusCode::GONE, "result_already_delivered");
    let replay = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&replay, StatusCode::CONFLICT, "session_closed");
}

#[tokio::test]
async fn five_wrong_pins_lock_the_device_even_for_the_right_pin() {
    let h = harness().await;
    let (phone, session, request) = h.alice_scanned_a_session().await;
    for left in (1..=4).rev() {
        let reply = h
            .respond(&phone, &request, Decision::Approve, Some("000001"))
            .await;
        assert_eq!(reply.body["attempts_left"], left);
    }
    let fifth = h
        .respond(&phone, &request, Decision::Approve, Some("000001"))
        .await;
    assert_error(&fifth, StatusCode::LOCKED, "device_locked");
    let right = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&right, StatusCode::LOCKED, "device_locked");
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");

    // Only an operator unlocks (`tessera unlock-device`, later the helpdesk console),
    // and then the count starts afresh.
    assert!(h.state.store.unlock_device(&phone.device_id).unwrap());
    assert!(
        !h.state.store.unlock_device(&phone.device_id).unwrap(),
        "not locked any more"
    );
    let after = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
}

#[tokio::test]
async fn a_denial_needs_no_pin_and_carries_no_result() {
    let h = harness().await;
    let (phone, session, request) = h.alice_scanned_a_session().await;
    let reply = h.respond(&phone, &request, Decision::Deny, None).await;
    assert_eq!(reply.body["state"], "denied");
    let result = h.result(&session).await;
    assert_eq!(result.body, json!({"state": "denied"}));
}

#[tokio::test]
async fn an_answer_by_another_key_or_another_users_device_is_refused() {
    let h = harness().await;
    let alice = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let request = device_request(h.scan(&alice, &session).await);

    let forged = Phone {
        key: SigningKey::from_slice(&[9u8; 32]).unwrap(),
        ..alice
    };
    let reply = h
        .respond(&forged, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "signature_invalid");

    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let reply = h
        .respond(&bob, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "session_closed");
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
}

#[tokio::test]
async fn a_location_out_of_range_or_on_a_denial_is_refused_before_relaying() {
    let h = harness().await;
    let (phone, session, request) = h.alice_scanned_a_session().await;
    /// The claims with a raw `loc` last, in their one encoding (a `Value` would sort them).
    #[derive(serde::Serialize)]
    struct WithLoc {
        #[serde(flatten)]
        claims: tessera_protocol::ApprovalClaims,
        loc: Value,
    }
    let answer = |decision: Decision, loc: Value| {
        let claims = request.answer(
            &phone.device_id,
            decision,
            UserVerification::Pin,
            tessera_server::now(),
        );
        phone.sign_claims(&WithLoc { claims, loc })
    };
    for (decision, loc, code) in [
        (
            Decision::Approve,
            json!({"lat": 901, "lon": 61}),
            "location_out_of_range",
        ),
        (
            Decision::Approve,
            json!({"lat": 496, "lon": 1800}),
            "location_out_of_range",
        ),
        (
            Decision::Approve,
            json!({"lat": 49.6, "lon": 6.1}),
            "claims_malformed",
        ),
        (
            Decision::Deny,
            json!({"lat": 496, "lon": 61}),
            "claims_malformed",
        ),
    ] {
        let approval = answer(decision, loc);
        let reply = h
            .send_answer(&phone, &session.session_id, &approval, Some(PIN))
            .await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
    }
    // In range, it goes through and is relayed as signed.
    let approval = answer(Decision::Approve, json!({"lat": 496, "lon": 61}));
    let reply = h
        .send_answer(&phone, &session.session_id, &approval, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let result = h.result(&session).await.body;
    assert_eq!(result["result"]["approval"], approval.as_str());
}

#[tokio::test]
async fn a_tampered_nonce_is_refused_by_the_server_before_relaying() {
    let h = harness().await;
    let (phone, session, mut request) = h.alice_scanned_a_session().await;
    request.nonce = "replayed-nonce".into();
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "nonce_mismatch");
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
}

#[tokio::test]
async fn qr_codes_must_be_genuine_and_current() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let secret = b64_decode(&session.qr_secret).unwrap();
    let scan =
        |t: u64, code: String| json!({"session_id": session.session_id, "t": t, "code": code});
    let wrong = h
        .call(
            Method::POST,
            "/v1/device/scan",
            None,
            Some(&phone.cookie),
            Some(scan(0, qr_code(&[1u8; 32], 0))),
        )
        .await;
    assert_error(&wrong, StatusCode::FORBIDDEN, "qr_invalid");
    let ahead = h
        .call(
            Method::POST,
            "/v1/device/scan",
            None,
            Some(&phone.cookie),
            Some(scan(30, qr_code(&secret, 30))),
        )
        .await;
    assert_error(&ahead, StatusCode::GONE, "qr_stale");
    let anonymous = h
        .call(
            Method::POST,
            "/v1/device/scan",
            None,
            None,
            Some(scan(0, qr_code(&secret, 0))),
        )
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "no_device");
}

#[tokio::test]
async fn push_reaches_only_the_named_user_and_is_rate_limited() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let mut opened = 0;
    for _ in 0..7 {
        let session = h.create_session().await;
        let push = h.push(&session, &session.watch_token, "alice").await;
        assert_eq!(push.status, StatusCode::ACCEPTED);
        let open_uri = format!("/v1/device/sessions/{}/open", session.session_id);
        if h.call(Method::POST, &open_uri, None, Some(&phone.cookie), None)
            .await
            .status
            == StatusCode::OK
        {
            opened += 1;
        }
    }
    assert_eq!(opened, 5, "at most 5 pushes per user in 10 minutes");

    let session = h.create_session().await;
    let unknown = h.push(&session, &session.watch_token, "mallory").await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED, "no user enumeration");
    let bad_token = h.push(&session, "guess", "alice").await;
    assert_eq!(bad_token.body["code"], "invalid_watch_token");
}

#[tokio::test]
async fn sessions_expire() {
    let h = harness_at(temp_db(), 1).await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let request = device_request(h.scan(&phone, &session).await);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(h.result(&session).await.body["state"], "expired");
    let late = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&late, StatusCode::CONFLICT, "session_closed");
}

#[tokio::test]
async fn bad_input_gets_a_clear_error() {
    let h = harness().await;
    let raw = Request::post("/v1/sessions")
        .header(header::AUTHORIZATION, format!("Bearer {}", h.api_key))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"kind\": \"login\", "))
        .unwrap();
    let reply = h.router.clone().oneshot(raw).await.unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    let body: Value =
        serde_json::from_slice(&reply.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["code"], "malformed_request");

    let create = json!({"kind": "login", "origin": ORIGIN});
    let wrong_key = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some("nope"),
            None,
            Some(create.clone()),
        )
        .await;
    assert_error(&wrong_key, StatusCode::UNAUTHORIZED, "invalid_api_key");
    let no_key = h
        .call(Method::POST, "/v1/sessions", None, None, Some(create))
        .await;
    assert_eq!(no_key.body["code"], "missing_api_key");
    let other_origin = json!({"kind": "login", "origin": "https://evil.example"});
    let reply = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some(&h.api_key),
            None,
            Some(other_origin),
        )
        .await;
    assert_eq!(reply.body["code"], "origin_not_registered");
    let unknown = h
        .call(
            Method::GET,
            "/v1/sessions/nope/result",
            Some(&h.api_key),
            None,
            None,
        )
        .await;
    assert_error(&unknown, StatusCode::NOT_FOUND, "not_found");
    let huge = json!({"kind": "login", "origin": "x".repeat(20_000)});
    let reply = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some(&h.api_key),
            None,
            Some(huge),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn activation_refuses_bad_codes_weak_pins_and_foreign_keys() {
    let h = harness().await;
    let key = SigningKey::from_slice(&[5u8; 32]).unwrap();
    let weak = h
        .call(
            Method::POST,
            "/v1/activation",
            None,
            None,
            Some(activation_body(
                &key,
                "alice",
                "Tessera-Demo-1!",
                "AB12C",
                "123456",
            )),
        )
        .await;
    assert_eq!(weak.body["code"], "weak_pin");

    let mut foreign = activation_body(&key, "alice", "Tessera-Demo-1!", "AB12C", PIN);
    foreign["public_key"] = json!(verifying_key_to_b64(
        SigningKey::from_slice(&[6u8; 32]).unwrap().verifying_key()
    ));
    let reply = h
        .call(Method::POST, "/v1/activation", None, None, Some(foreign))
        .await;
    assert_eq!(reply.body["code"], "invalid_proof");

    let wrong_password = h
        .call(
            Method::POST,
            "/v1/activation",
            None,
            None,
            Some(activation_body(&key, "alice", "guess", "AB12C", PIN)),
        )
        .await;
    assert_eq!(
        (
            wrong_password.body["code"].as_str(),
            &wrong_password.body["attempts_left"]
        ),
        (Some("invalid_credentials"), &json!(4))
    );
    for left in (0..=3).rev() {
        let reply = h
            .call(
                Method::POST,
                "/v1/activation",
                None,
                None,
                Some(activation_body(
                    &key,
                    "alice",
                    "Tessera-Demo-1!",
                    "ZZZZZ",
                    PIN,
                )),
            )
            .await;
        assert_eq!(
            (reply.body["code"].as_str(), &reply.body["attempts_left"]),
            (Some("wrong_activation_code"), &json!(left))
        );
    }
    let void = h
        .call(
            Method::POST,
            "/v1/activation",
            None,
            None,
            Some(activation_body(
                &key,
                "alice",
                "Tessera-Demo-1!",
                "AB12C",
                PIN,
            )),
        )
        .await;
    assert_error(&void, StatusCode::FORBIDDEN, "activation_code_void");
}

#[tokio::test]
async fn a_restart_loses_neither_devices_nor_pending_sessions() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let db = h.db.clone();
    drop(h);

    let h = harness_at(db, 180).await;
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(h.result(&session).await.body["state"], "approved");
}

#[tokio::test]
async fn the_outbox_holds_the_user_id_sms_and_the_activation_notice() {
    let h = harness().await;
    h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let outbox = h.call(Method::GET, "/v1/outbox", None, None, None).await;
    let bodies: Vec<&str> = outbox
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert!(
        bodies.iter().any(|b| b.contains("your user ID is alice")),
        "{bodies:?}"
    );
    let messages = outbox.body.as_array().unwrap();
    let notice = messages
        .iter()
        .find(|m| {
            m["channel"] == "sms"
                && m["body"]
                    .as_str()
                    .unwrap()
                    .contains("\"Test phone\", was added to your Tessera")
        })
        .expect("the activation notice by SMS");
    assert_eq!(
        notice["recipient"], "+352 621 000 001",
        "sent to alice's phone"
    );
    assert!(
        !bodies
            .iter()
            .any(|b| b.contains("AB12C") || b.contains("482913")),
        "no secrets in messages"
    );
}

#[tokio::test]
async fn the_jwks_lists_the_root_the_issuer_and_the_id_token_key_as_p256_keys() {
    let h = harness().await;
    let reply = h
        .call(Method::GET, "/.well-known/jwks.json", None, None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let keys = reply.body["keys"].as_array().unwrap();
    let roles: Vec<_> = keys.iter().map(|k| k["tessera_role"].as_str()).collect();
    assert_eq!(roles, [Some("root"), Some("issuer"), Some("id_token")]);
    let root = &keys[0];
    assert_eq!(
        (
            root["kty"].as_str(),
            root["crv"].as_str(),
            root["alg"].as_str(),
            root["tessera_role"].as_str()
        ),
        (Some("EC"), Some("P-256"), Some("ES256"), Some("root"))
    );
    // x and y are the root key the partners pin.
    let mut sec1 = vec![4u8];
    sec1.extend(b64_decode(root["x"].as_str().unwrap()).unwrap());
    sec1.extend(b64_decode(root["y"].as_str().unwrap()).unwrap());
    assert_eq!(
        tessera_protocol::b64_encode(&sec1),
        verifying_key_to_b64(h.state.ca.root())
    );
    assert_ne!(keys[0]["kid"], keys[1]["kid"]);
    assert_ne!(keys[1]["kid"], keys[2]["kid"]);
}

#[tokio::test]
async fn errors_are_rfc_9457_problem_details() {
    let h = harness().await;
    let reply = h
        .call(
            Method::POST,
            "/v1/sessions",
            Some("not-a-key"),
            None,
            Some(json!({"kind": "login", "origin": ORIGIN})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        reply.body["type"],
        "https://tessera.example/problems/invalid_api_key"
    );
    assert_eq!(reply.body["title"], "Unauthorized");
    assert_eq!(reply.body["status"], 401);
    assert_eq!(reply.body["detail"], reply.body["message"]);
    assert_eq!(reply.body["code"], "invalid_api_key");
    let request = Request::builder()
        .method(Method::GET)
        .uri("/v1/sessions/nope/result")
        .header(header::AUTHORIZATION, format!("Bearer {}", h.api_key))
        .body(Body::empty())
        .unwrap();
    let response = h.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );
}

#[tokio::test]
async fn an_idempotency_key_repeats_the_session_never_the_watch_token() {
    let h = harness().await;
    let create = |key: &str, body: Value| {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/v1/sessions")
            .header(header::AUTHORIZATION, format!("Bearer {}", h.api_key))
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap();
        let router = h.router.clone();
        async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let login = json!({"kind": "login", "origin": ORIGIN});
    let (status, first) = create("order-4711", login.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = create("order-4711", login.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again["session_id"], first["session_id"]);
    assert_eq!(again["nonce"], first["nonce"]);
    assert_ne!(
        again["watch_token"], first["watch_token"],
        "rotated, never stored"
    );
    let session: tessera_protocol::api::SessionCreated =
        serde_json::from_value(again.clone()).unwrap();
    let old = first["watch_token"].as_str().unwrap();
    assert_error(
        &h.push(&session, old, "alice").await,
        StatusCode::UNAUTHORIZED,
        "invalid_watch_token",
    );
    assert_eq!(
        h.push(&session, &session.watch_token, "alice").await.status,
        StatusCode::ACCEPTED
    );

    let other = json!({"kind": "login", "origin": ORIGIN, "details": null});
    assert_eq!(
        create("order-4711", other).await.1["session_id"],
        first["session_id"],
        "the same request, spelled differently"
    );
    let (status, reused) = create(
        "order-4711",
        json!({"kind": "sign", "origin": ORIGIN, "details": {"document": {"name": "a.pdf", "sha256": "ab".repeat(32)}}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused["code"], "idempotency_key_reused");
    let (status, bad) = create("with space", login.clone()).await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_idempotency_key"))
    );
    let (_, fresh) = create("order-4712", login).await;
    assert_ne!(fresh["session_id"], first["session_id"]);
}
