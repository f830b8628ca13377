//! CIBA poll: pending, slow_down, the ID token of a confirmed transfer, the refusals.
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tessera_protocol::Decision;

use crate::{common::*, *};

/// Opens the request pushed for `started` (the bc-authorize answer) on Alice's phone,
/// picks the number the client shows, and answers.
async fn phone_answers(
    h: &Harness,
    phone: &Phone,
    started: &Value,
    decision: Decision,
) -> DeviceRequest {
    let id = started["auth_req_id"].as_str().unwrap();
    let session_id = h.state.store.oidc_request(id).unwrap().unwrap().session_id;
    let number = started["tessera_number"].as_u64().unwrap();
    let open = format!("/v1/device/sessions/{session_id}/open");
    h.call(Method::POST, &open, None, Some(&phone.cookie), None)
        .await;
    let matched = h
        .call(
            Method::POST,
            &format!("/v1/device/sessions/{session_id}/match"),
            None,
            Some(&phone.cookie),
            Some(json!({ "number": number })),
        )
        .await;
    let request = device_request(matched);
    let pin = (decision == Decision::Approve).then_some(PIN);
    let reply = h.respond(phone, &request, decision, pin).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    request
}

#[tokio::test]
async fn ciba_poll_pending_slow_down_then_an_id_token_for_the_confirmed_transfer() {
    let h = harness().await;
    let secret = client(&h);
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let transfer = json!([{
        "type": "tessera_transaction", "amount_minor": 125000, "currency": "EUR",
        "payee_name": "Garage Muller", "payee_iban": "LU28 0019 4006 4475 0000",
        "reference": "Invoice 42"
    }])
    .to_string();
    let start = post_form(
        &h,
        "/oidc/bc-authorize",
        Some(("rp", &secret)),
        &[
            ("scope", "openid"),
            ("login_hint", "alice"),
            ("binding_message", "Transfer 42"),
            ("authorization_details", &transfer),
        ],
    )
    .await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.text);
    let start = start.json();
    assert_eq!(start["interval"], 5);
    assert_eq!(start["binding_message"], "Transfer 42");
    let id = start["auth_req_id"].as_str().unwrap();
    let poll = [
        ("grant_type", "urn:openid:params:grant-type:ciba"),
        ("auth_req_id", id),
    ];

    let first = post_form(&h, "/oidc/token", Some(("rp", &secret)), &poll).await;
    assert_eq!(first.json()["error"], "authorization_pending");
    let second = post_form(&h, "/oidc/token", Some(("rp", &secret)), &poll).await;
    assert_eq!(second.json()["error"], "slow_down");

    let request = phone_answers(&h, &phone, &start, Decision::Approve).await;
    assert!(request.details.is_some(), "the phone shows the transfer");
    assert_eq!(request.binding_message.as_deref(), Some("Transfer 42"));
    // The interval grew with the slow_down: wait it out as a client would, by moving the
    // last poll back rather than sleeping.
    h.state.store.record_oidc_poll(id, 0, 10).unwrap();
    let done = post_form(&h, "/oidc/token", Some(("rp", &secret)), &poll).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let claims = keys::verify_jwt(&h.state.store, done.json()["id_token"].as_str().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["tessera_approval"]["kind"], "confirm");
    assert_eq!(claims["tessera_approval"]["origin"], ORIGIN);
    assert_eq!(
        claims["authorization_details"][0]["payee_name"],
        "Garage Muller"
    );
    assert_eq!(claims["authorization_details"][0]["amount_minor"], 125000);

    let again = post_form(&h, "/oidc/token", Some(("rp", &secret)), &poll).await;
    assert_eq!(again.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn ciba_refusals_use_the_specs_errors() {
    let h = harness().await;
    let secret = client(&h);
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let auth = Some(("rp", secret.as_str()));
    let start = |extra: Vec<(&'static str, &'static str)>| {
        let mut pairs = vec![("scope", "openid"), ("login_hint", "alice")];
        for (name, value) in extra {
            pairs.retain(|(n, _)| *n != name);
            pairs.push((name, value));
        }
        pairs
    };
    let error = |a: Answer| a.json()["error"].as_str().unwrap_or_default().to_string();
    let bc = "/oidc/bc-authorize";
    assert_eq!(
        error(post_form(&h, bc, auth, &start(vec![("login_hint", "nobody")])).await),
        "unknown_user_id"
    );
    assert_eq!(
        error(post_form(&h, bc, auth, &start(vec![("scope", "profile")])).await),
        "invalid_scope"
    );
    assert_eq!(
        error(post_form(&h, bc, auth, &start(vec![("requested_expiry", "9999")])).await),
        "invalid_request"
    );
    assert_eq!(
        error(post_form(&h, bc, auth, &start(vec![("id_token_hint", "x")])).await),
        "invalid_request"
    );
    assert_eq!(
        error(
            post_form(
                &h,
                bc,
                auth,
                &start(vec![("binding_message", "pay \u{202E}evil")])
            )
            .await
        ),
        "invalid_binding_message"
    );
    assert_eq!(
        error(post_form(&h, bc, Some(("rp", "wrong")), &start(vec![])).await),
        "invalid_client"
    );

    // Denied on the phone: access_denied.
    let denied = post_form(&h, bc, auth, &start(vec![])).await.json();
    phone_answers(&h, &phone, &denied, Decision::Deny).await;
    let id = denied["auth_req_id"].as_str().unwrap();
    let poll = [
        ("grant_type", "urn:openid:params:grant-type:ciba"),
        ("auth_req_id", id),
    ];
    assert_eq!(
        error(post_form(&h, "/oidc/token", auth, &poll).await),
        "access_denied"
    );

    // Past its expiry: expired_token. (The session's clock is moved, not waited for.)
    let late = post_form(&h, bc, auth, &start(vec![("requested_expiry", "60")]))
        .await
        .json();
    let id = late["auth_req_id"].as_str().unwrap();
    let request = h.state.store.oidc_request(id).unwrap().unwrap();
    h.sql(&format!(
        "UPDATE sessions SET expires_at = 1 WHERE id = '{}'",
        request.session_id
    ));
    let poll = [
        ("grant_type", "urn:openid:params:grant-type:ciba"),
        ("auth_req_id", id),
    ];
    assert_eq!(
        error(post_form(&h, "/oidc/token", auth, &poll).await),
        "expired_token"
    );
    let unknown = [
        ("grant_type", "urn:openid:params:grant-type:ciba"),
        ("auth_req_id", "nope"),
    ];
    assert_eq!(
        error(post_form(&h, "/oidc/token", auth, &unknown).await),
        "invalid_grant"
    );
}
