//! "I can't scan" (issue 17): the short code typed into the companion instead of scanning
//! and the widget's "more time", driven in-process like `api.rs`: the code opens exactly
//! the session it names, once, and guessing is stopped per device and for everyone.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tessera_protocol::{Decision, api::SessionCreated};

impl Harness {
    async fn short_code(&self, session: &SessionCreated) -> Reply {
        let uri = format!("/v1/sessions/{}/code", session.session_id);
        self.call(Method::POST, &uri, Some(&session.watch_token), None, None)
            .await
    }

    async fn extend(&self, session: &SessionCreated) -> Reply {
        let uri = format!("/v1/sessions/{}/extend", session.session_id);
        self.call(Method::POST, &uri, Some(&session.watch_token), None, None)
            .await
    }

    async fn type_code(&self, phone: &Phone, code: &str) -> Reply {
        let body = json!({ "code": code });
        self.call(
            Method::POST,
            "/v1/device/code",
            None,
            Some(&phone.cookie),
            Some(body),
        )
        .await
    }
}

fn code_of(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["code"].as_str().unwrap().to_owned()
}

/// The code as a person might type it: lower case, with a dash in the middle.
fn typed(code: &str) -> String {
    format!("{}-{}", &code[..4], &code[4..]).to_lowercase()
}

#[tokio::test]
async fn a_short_code_opens_the_session_like_a_scan_and_works_once() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let issued = h.short_code(&session).await;
    let code = code_of(&issued);
    assert_eq!(code.len(), 8);
    assert!(
        code.bytes()
            .all(|b| b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b))
    );
    assert_eq!(issued.body["expires_at"], session.expires_at);

    let request = device_request(h.type_code(&phone, &typed(&code)).await);
    // The phone sees who asks exactly as after a scan, and signs it.
    assert_eq!(request.session_id, session.session_id);
    assert_eq!(request.nonce, session.nonce);
    assert_eq!(
        (request.partner_name.as_str(), request.origin.as_str()),
        ("Demo Bank", ORIGIN)
    );
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
    let again = h.type_code(&phone, &code).await;
    assert_error(&again, StatusCode::NOT_FOUND, "code_unknown");

    let approved = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(h.verified_login(&session).await.user_id(), "alice");
}

#[tokio::test]
async fn a_new_code_replaces_the_last_and_a_session_gets_at_most_five() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let first = code_of(&h.short_code(&session).await);
    let mut last = String::new();
    for _ in 0..4 {
        last = code_of(&h.short_code(&session).await);
    }
    let sixth = h.short_code(&session).await;
    assert_error(&sixth, StatusCode::CONFLICT, "too_many_codes");
    let stranger = h
        .call(
            Method::POST,
            &format!("/v1/sessions/{}/code", session.session_id),
            Some("not-the-watch-token"),
            None,
            None,
        )
        .await;
    assert_error(&stranger, StatusCode::UNAUTHORIZED, "invalid_watch_token");

    let replaced = h.type_code(&phone, &first).await;
    assert_error(&replaced, StatusCode::NOT_FOUND, "code_unknown");
    let request = device_request(h.type_code(&phone, &last).await);
    assert_eq!(request.session_id, session.session_id);
}

#[tokio::test]
async fn no_code_for_a_session_a_phone_has_or_that_ended() {
    let h = harness().await;
    let (_, scanned, _) = h.alice_scanned_a_session().await;
    let taken = h.short_code(&scanned).await;
    assert_error(&taken, StatusCode::CONFLICT, "session_not_waiting");

    let short = harness_at(temp_db(), 1).await;
    let phone = short.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = short.create_session().await;
    let code = code_of(&short.short_code(&session).await);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let expired = short.type_code(&phone, &code).await;
    assert_error(&expired, StatusCode::NOT_FOUND, "code_unknown");
    let late = short.short_code(&session).await;
    assert_error(&late, StatusCode::CONFLICT, "session_not_waiting");
}

#[tokio::test]
async fn malformed_codes_are_refused_and_not_counted() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    for typo in ["", "ABCD", "ABCD-EFG0", "ABCDEFGHJK", "ABCD EFGI"] {
        let reply = h.type_code(&phone, typo).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, "code_malformed");
    }
    let session = h.create_session().await;
    let code = code_of(&h.short_code(&session).await);
    let request = device_request(h.type_code(&phone, &code).await);
    assert_eq!(request.session_id, session.session_id);
}

/// A code that differs from `code` in its last character, so it names no session.
fn wrong(code: &str) -> String {
    let last = if code.ends_with('2') { '3' } else { '2' };
    format!("{}{last}", &code[..7])
}

#[tokio::test]
async fn five_wrong_codes_stop_a_device_even_for_the_right_code() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let code = code_of(&h.short_code(&session).await);
    for _ in 0..5 {
        let guess = h.type_code(&phone, &wrong(&code)).await;
        assert_error(&guess, StatusCode::NOT_FOUND, "code_unknown");
    }
    let right = h.type_code(&phone, &code).await;
    assert_error(
        &right,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_wrong_codes",
    );
    // The refusal spent nothing: the code still names its session for another device
    // (none of alice's here; the global test covers other devices).
    assert_eq!(h.result(&session).await.body["state"], "pending");
}

#[tokio::test]
async fn sixty_wrong_codes_from_anywhere_stop_every_device() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.create_session().await;
    let code = code_of(&h.short_code(&session).await);
    let now = tessera_server::now();
    // Sixty devices of a guessing botnet, one wrong code each.
    for device in 0..60 {
        h.state
            .store
            .record_wrong_code(&format!("botnet-{device}"), now, now - 60)
            .unwrap();
    }
    let right = h.type_code(&phone, &code).await;
    assert_error(
        &right,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_wrong_codes",
    );
    let never_opened = h.result(&session).await;
    assert_eq!(never_opened.body["state"], "pending");
}

#[tokio::test]
async fn more_time_moves_the_expiry_a_bounded_number_of_times() {
    let h = harness_at(temp_db(), 60).await;
    let session = h.create_session().await;
    let mut expiries = vec![session.expires_at];
    for left in (0..10).rev() {
        let reply = h.extend(&session).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["extensions_left"], left);
        expiries.push(reply.body["expires_at"].as_u64().unwrap());
    }
    assert!(
        expiries.windows(2).all(|w| w[1] == w[0] + 60),
        "each extension adds a lifetime: {expiries:?}"
    );
    let eleventh = h.extend(&session).await;
    assert_error(&eleventh, StatusCode::CONFLICT, "no_more_time");
    assert_eq!(h.result(&session).await.body["state"], "pending");
}

#[tokio::test]
async fn more_time_never_goes_past_thirty_minutes_nor_revives_a_session() {
    let h = harness_at(temp_db(), 1000).await;
    let session = h.create_session().await;
    let capped = h.extend(&session).await;
    assert_eq!(capped.status, StatusCode::OK, "{}", capped.body);
    let created = session.expires_at - 1000;
    assert_eq!(capped.body["expires_at"], Value::from(created + 30 * 60));
    let beyond = h.extend(&session).await;
    assert_error(&beyond, StatusCode::CONFLICT, "no_more_time");

    let cancelled = h.create_session().await;
    let uri = format!("/v1/sessions/{}/cancel", cancelled.session_id);
    let cancel = h
        .call(Method::POST, &uri, Some(&cancelled.watch_token), None, None)
        .await;
    assert_eq!(cancel.status, StatusCode::NO_CONTENT);
    let revived = h.extend(&cancelled).await;
    assert_error(&revived, StatusCode::CONFLICT, "session_not_waiting");
    let stranger = h
        .call(
            Method::POST,
            &format!("/v1/sessions/{}/extend", session.session_id),
            Some("guess"),
            None,
            None,
        )
        .await;
    assert_error(&stranger, StatusCode::UNAUTHORIZED, "invalid_watch_token");
}
