//! Authenticate before parsing (issue 14): every route that needs a credential checks it
//! before it reads the body, so a caller without one learns nothing about the body's
//! schema (no 400 or 422 naming a field) and costs no parsing.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;

/// Bodies of the wrong shape: a JSON value no route accepts, and an object with
/// mistyped and unknown members.
fn malformed() -> [serde_json::Value; 2] {
    [
        json!([1, 2, 3]),
        json!({"kind": 7, "origin": [], "surprise": true}),
    ]
}

#[tokio::test]
async fn the_partner_api_key_is_checked_before_the_body() {
    let h = harness().await;
    for body in malformed() {
        let none = h
            .call(Method::POST, "/v1/sessions", None, None, Some(body.clone()))
            .await;
        assert_error(&none, StatusCode::UNAUTHORIZED, "missing_api_key");
        let wrong = h
            .call(Method::POST, "/v1/sessions", Some("nope"), None, Some(body))
            .await;
        assert_error(&wrong, StatusCode::UNAUTHORIZED, "invalid_api_key");
    }
}

#[tokio::test]
async fn the_watch_token_is_checked_before_the_body() {
    let h = harness().await;
    let session = h.create_session().await;
    let uri = format!("/v1/sessions/{}/push", session.session_id);
    for body in malformed() {
        let reply = h
            .call(Method::POST, &uri, Some("not-the-token"), None, Some(body))
            .await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_watch_token");
    }
}

#[tokio::test]
async fn the_device_cookie_is_checked_before_the_body() {
    let h = harness().await;
    for uri in [
        "/v1/device/scan",
        "/v1/device/sessions/s-1/match",
        "/v1/device/sessions/s-1/respond",
        "/v1/device/pin",
        "/v1/device/name",
        "/v1/device/biometrics/challenge",
        "/v1/device/biometrics",
    ] {
        for body in malformed() {
            for cookie in [None, Some("tessera_device=forged")] {
                let reply = h
                    .call(Method::POST, uri, None, cookie, Some(body.clone()))
                    .await;
                assert_error(&reply, StatusCode::UNAUTHORIZED, "no_device");
            }
        }
    }
}
