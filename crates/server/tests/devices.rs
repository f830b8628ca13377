//! The device lifecycle in-process: a lost phone replaced with the helpdesk's security
//! code, at most two devices (a third replaces one, atomically), and the user stopping
//! their own devices — each stopped device refused at once.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

fn security(code: &str) -> Value {
    json!({ "security_code": code })
}

impl Harness {
    async fn my_devices(&self, phone: &Phone) -> Reply {
        self.call(
            Method::GET,
            "/v1/device/devices",
            None,
            Some(&phone.cookie),
            None,
        )
        .await
    }

    async fn device_action(&self, phone: &Phone, target: &str, action: &str) -> Reply {
        let uri = format!("/v1/device/devices/{target}/{action}");
        self.call(Method::POST, &uri, None, Some(&phone.cookie), None)
            .await
    }

    /// Whether the phone can still open a request at all.
    async fn can_act(&self, phone: &Phone) -> bool {
        let session = self.create_session().await;
        self.scan(phone, &session).await.status == StatusCode::OK
    }
}

fn statuses(reply: &Reply) -> Vec<(String, String)> {
    reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().into(),
                d["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_lost_phone_is_replaced_with_the_helpdesk_s_single_use_code() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;

    // Without a code from the helpdesk there is nothing to try.
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", security("12345678"), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "security_code_void");
    // Without the password, not even that much is told.
    let (reply, _) = h
        .try_activate("alice", "guess", security("12345678"), None)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");

    let code = security_code_for_alice(&h).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for left in (1..=4).rev() {
        let (reply, _) = h
            .try_activate("alice", "Tessera-Demo-1!", security(wrong), None)
            .await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "wrong_security_code");
        assert_eq!(reply.body["attempts_left"], left);
    }
    let (reply, _) = h
        .try_activate("alice", "not the password", security(&code), None)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");
    // Five failures void the code: even the right one is refused now.
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", security(&code), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "security_code_void");

    let code = security_code_for_alice(&h).await;
    let (reply, second) = h
        .try_activate("alice", "Tessera-Demo-1!", security(&code), None)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let second = second.unwrap();
    assert!(h.can_act(&second).await && h.can_act(&first).await);
    // Single use.
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", security(&code), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "security_code_void");

    let log = h.state.store.audit_entries(Some("alice"), 50).unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "device_activated" && e.detail == "helpdesk security code")
    );
}

#[tokio::test]
async fn a_third_device_replaces_one_of_two_and_the_replaced_one_is_refused() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let (_, second) = activate_with_security_code(&h).await;
    let second = second.unwrap();

    let code = security_code_for_alice(&h).await;
    let (reply, none) = h
        .try_activate("alice", "Tessera-Demo-1!", security(&code), None)
        .await;
    assert!(none.is_none());
    assert_error(&reply, StatusCode::CONFLICT, "device_limit");
    let offered: Vec<&str> = reply.body["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        offered,
        [first.device_id.as_str(), second.device_id.as_str()]
    );

    let (reply, _) = h
        .try_activate(
            "alice",
            "Tessera-Demo-1!",
            security(&code),
            Some("not-a-device"),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_replacement");
    // Bob's device cannot be "replaced" by Alice either.
    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let (reply, _) = h
        .try_activate(
            "alice",
            "Tessera-Demo-1!",
            security(&code),
            Some(&bob.device_id),
        )
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "invalid_replacement");
    assert!(h.can_act(&bob).await);

    let (reply, third) = h
        .try_activate(
            "alice",
            "Tessera-Demo-1!",
            security(&code),
            Some(&first.device_id),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let third = third.unwrap();
    assert!(
        !h.can_act(&first).await,
        "the replaced phone can no longer approve"
    );
    assert!(h.can_act(&second).await && h.can_act(&third).await);
    let list = h.my_devices(&third).await;
    assert_eq!(
        statuses(&list),
        [
            (first.device_id.clone(), "replaced".into()),
            (second.device_id.clone(), "active".into()),
            (third.device_id.clone(), "active".into()),
        ]
    );
    assert_error(
        &h.my_devices(&first).await,
        StatusCode::FORBIDDEN,
        "device_not_active",
    );
}

#[tokio::test]
async fn the_user_suspends_or_removes_a_device_and_it_stops_at_once() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let (_, second) = activate_with_security_code(&h).await;
    let second = second.unwrap();

    let reply = h.device_action(&second, &first.device_id, "suspend").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!h.can_act(&first).await, "a suspended phone cannot approve");
    // Only the helpdesk resumes; a second suspension changes nothing.
    assert_eq!(
        h.device_action(&second, &first.device_id, "resume")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_error(
        &h.device_action(&second, &first.device_id, "suspend").await,
        StatusCode::CONFLICT,
        "device_unchanged",
    );

    let reply = h.device_action(&second, &first.device_id, "remove").await;
    assert_eq!(
        statuses(&reply)[0],
        (first.device_id.clone(), "revoked".into())
    );
    // Bob cannot touch Alice's devices, and a stranger's cookie nothing at all.
    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    assert_error(
        &h.device_action(&bob, &second.device_id, "remove").await,
        StatusCode::CONFLICT,
        "device_unchanged",
    );
    assert!(h.can_act(&second).await);
    let stranger = h
        .call(
            Method::GET,
            "/v1/device/devices",
            None,
            Some("tessera_device=forged"),
            None,
        )
        .await;
    assert_error(&stranger, StatusCode::UNAUTHORIZED, "no_device");

    // A device may remove itself (a phone about to be sold).
    let reply = h.device_action(&second, &second.device_id, "remove").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!h.can_act(&second).await);
    let log = h.state.store.audit_entries(Some("alice"), 50).unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "device_revoked" && e.detail == "by the user")
            .count(),
        2
    );
}

fn backup(secret: &str) -> Value {
    json!({ "backup": secret })
}

#[tokio::test]
async fn a_backup_restores_on_a_new_phone_only_with_the_password_and_the_sms_link() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    // Before any backup: only the password tells that there is none.
    let (reply, _) = h.try_activate("alice", "guess", backup("none"), None).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup("none"), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "backup_void");
    let older = h.make_backup(&first).await;
    let latest = h.make_backup(&first).await;

    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&older), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "backup_void");
    let (reply, _) = h
        .try_activate("alice", "wrong password", backup(&latest), None)
        .await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");

    let (reply, none) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&latest), None)
        .await;
    assert!(none.is_none(), "no device before the link is opened");
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    assert_eq!(reply.body["phone_hint"], "+352 ••• ••• 001");
    let (id, token) = h.sms_link();
    assert_eq!(reply.body["activation_id"], id.as_str());

    let confirm = |token: String| {
        let body = json!({ "activation_id": id, "token": token });
        h.call(
            Method::POST,
            "/v1/activation/confirm",
            None,
            None,
            Some(body),
        )
    };
    assert_error(
        &confirm("forged".into()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let reply = confirm(token.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let cookie = reply.cookie.clone().expect("the new device's cookie");
    let list = h
        .call(Method::GET, "/v1/device/devices", None, Some(&cookie), None)
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    assert!(h.can_act(&first).await);
    // The link and the backup are used up.
    assert_error(&confirm(token).await, StatusCode::NOT_FOUND, "not_found");
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&latest), None)
        .await;
    assert_error(&reply, StatusCode::FORBIDDEN, "backup_void");
}

#[tokio::test]
async fn restore_links_expire_and_failed_restores_are_limited() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let secret = h.make_backup(&first).await;
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&secret), None)
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let (id, token) = h.sms_link();
    // Six hours later (the clock is the database's: move the deadline instead).
    // The id is the server's, letters, digits, '-' and '_'.
    h.sql(&format!(
        "UPDATE pending_activations SET expires_at = 1 WHERE id = '{id}'"
    ));
    let body = json!({ "activation_id": id, "token": token });
    let reply = h
        .call(
            Method::POST,
            "/v1/activation/confirm",
            None,
            None,
            Some(body),
        )
        .await;
    assert_error(&reply, StatusCode::GONE, "activation_link_expired");

    for _ in 0..5 {
        let (reply, _) = h
            .try_activate("alice", "guess", backup(&secret), None)
            .await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&secret), None)
        .await;
    assert_error(&reply, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
}

#[tokio::test]
async fn the_helpdesk_resends_a_lost_activation_sms_to_a_corrected_number() {
    let h = harness().await;
    let first = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let secret = h.make_backup(&first).await;
    let (reply, _) = h
        .try_activate("alice", "Tessera-Demo-1!", backup(&secret), None)
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let (id, lost_token) = h.sms_link();

    let cookie = agent(&h).await;
    let resend = format!("/helpdesk/users/alice/pending/{id}/resend");
    let new_number = [("phone", "+352 691 123 456")];
    assert_eq!(act(&h, &cookie, &resend, &new_number).await, "verify_first");
    let right = [
        ("answer0", "Esch-sur-Alzette"),
        ("answer1", "Rex"),
        ("answer2", "Rue de la Gare"),
    ];
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &right).await,
        "verified"
    );
    assert_eq!(
        act(&h, &cookie, &resend, &[("phone", "not a number")]).await,
        "bad_phone"
    );
    assert_eq!(act(&h, &cookie, &resend, &new_number).await, "link_sent");

    let messages = h.state.store.messages().unwrap();
    assert_eq!(
        messages[0].recipient, "+352 691 123 456",
        "the newest SMS goes to the new number"
    );
    let (same_id, token) = h.sms_link();
    assert_eq!(same_id, id);
    let confirm = |token: String| {
        let body = json!({ "activation_id": id, "token": token });
        h.call(
            Method::POST,
            "/v1/activation/confirm",
            None,
            None,
            Some(body),
        )
    };
    assert_error(
        &confirm(lost_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(confirm(token).await.status, StatusCode::CREATED);
    let log = h.state.store.audit_entries(Some("alice"), 50).unwrap();
    assert!(log.iter().any(|e| e.action == "activation_link_resent"));
}
