//! One pending request per user (issue 17): a newer request to a user cancels the one
//! still waiting, as BankID's `alreadyInProgress` and Freja's one pending authentication;
//! the old widget hears `cancelled` with the reason `superseded`, the phone lists only
//! the newest. A scan follows the same rule once it names the user.
mod common;

use axum::http::StatusCode;
use common::*;
use tessera_protocol::{Decision, api::SessionCreated};

/// The session's state and cancel reason, as the partner's backend reads them.
async fn state_of(h: &Harness, session: &SessionCreated) -> (String, Option<String>) {
    let reply = h.result(session).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    (
        reply.body["state"].as_str().unwrap().to_owned(),
        reply.body["reason"].as_str().map(str::to_owned),
    )
}

fn superseded() -> (String, Option<String>) {
    ("cancelled".into(), Some("superseded".into()))
}

/// The session ids the phone of `user` lists as waiting.
fn waiting_on_the_phone(h: &Harness, user: &str) -> Vec<String> {
    h.state
        .store
        .pushed_sessions(user, tessera_server::now())
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[tokio::test]
async fn a_newer_push_cancels_the_waiting_one_and_the_phone_lists_only_the_newest() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let older = h.create_session().await;
    let newer = h.create_session().await;
    let reply = h.push(&older, &older.watch_token, "alice").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(
        waiting_on_the_phone(&h, "alice"),
        std::slice::from_ref(&older.session_id)
    );

    h.push(&newer, &newer.watch_token, "alice").await;
    assert_eq!(state_of(&h, &older).await, superseded());
    assert_eq!(state_of(&h, &newer).await.0, "push_sent");
    assert_eq!(
        waiting_on_the_phone(&h, "alice"),
        std::slice::from_ref(&newer.session_id)
    );

    // The old request cannot be opened or approved any more; the new one can.
    let uri = format!("/v1/device/sessions/{}/open", older.session_id);
    let reply = h
        .call(
            axum::http::Method::POST,
            &uri,
            None,
            Some(&phone.cookie),
            None,
        )
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "session_closed");
    let request = device_request(h.scan(&phone, &newer).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(h.verified_login(&newer).await.user_id(), "alice");
}

#[tokio::test]
async fn a_scan_supersedes_the_users_other_requests_once_it_names_the_user() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let pushed = h.create_session().await;
    h.push(&pushed, &pushed.watch_token, "alice").await;
    // Another page's QR, not yet scanned, names no one: it is not touched by the push.
    let unscanned = h.create_session().await;
    assert_eq!(state_of(&h, &unscanned).await.0, "pending");

    let scanned = h.create_session().await;
    let request = device_request(h.scan(&phone, &scanned).await);
    assert_eq!(state_of(&h, &pushed).await, superseded());
    assert_eq!(state_of(&h, &unscanned).await.0, "pending");
    assert!(waiting_on_the_phone(&h, "alice").is_empty());

    // Scanning the same QR again does not cancel it.
    let again = device_request(h.scan(&phone, &scanned).await);
    assert_eq!(again.session_id, request.session_id);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn another_users_request_and_a_finished_one_are_left_alone() {
    let h = harness().await;
    let (phone, approved, request) = h.alice_scanned_a_session().await;
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Bob's request is bob's: alice's new one does not cancel it.
    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let bobs = h.create_session().await;
    device_request(h.scan(&bob, &bobs).await);

    let newer = h.create_session().await;
    h.push(&newer, &newer.watch_token, "alice").await;
    assert_eq!(state_of(&h, &bobs).await.0, "awaiting_pin");
    assert_eq!(state_of(&h, &approved).await.0, "approved");
    assert_eq!(state_of(&h, &newer).await.0, "push_sent");
}

#[tokio::test]
async fn a_push_the_server_refuses_supersedes_nothing() {
    let h = harness().await;
    h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let waiting = h.create_session().await;
    h.push(&waiting, &waiting.watch_token, "alice").await;
    // A session already closed cannot be pushed, so it cannot cancel the waiting one.
    let closed = h.create_session().await;
    let uri = format!("/v1/sessions/{}/cancel", closed.session_id);
    h.call(
        axum::http::Method::POST,
        &uri,
        Some(&closed.watch_token),
        None,
        None,
    )
    .await;
    h.push(&closed, &closed.watch_token, "alice").await;
    assert_eq!(state_of(&h, &waiting).await.0, "push_sent");
    // Nor can a push to a user who is not alice cancel alice's.
    let other = h.create_session().await;
    h.push(&other, &other.watch_token, "nobody").await;
    assert_eq!(state_of(&h, &waiting).await.0, "push_sent");
}
