//! The seed's activation flows in-process: A (a new user sets up terms, security
//! questions and a password), B (a hardware Token, then the SMS link), C (a Scan, two
//! mosaics, no password), and the settings a device changes (PIN, name).
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tessera_protocol::{Decision, SigningKey};
use tessera_server::activation::hardware::{confirm_question, press_token, read_mosaic};

fn setup(terms: bool, questions: [u8; 3], password: &str) -> Value {
    json!({
        "terms_accepted": terms,
        "security_answers": [
            {"question": questions[0], "answer": "Ettelbruck"},
            {"question": questions[1], "answer": "Minou"},
            {"question": questions[2], "answer": "Lycée Michel Rodange"},
        ],
        "new_password": password,
    })
}

impl Harness {
    async fn activate_body(&self, body: Value) -> Reply {
        self.call(Method::POST, "/v1/activation", None, None, Some(body))
            .await
    }
}

fn body_for(user: &str, password: &str, credential: Value) -> (SigningKey, Value) {
    let key = SigningKey::from_slice(&tessera_server::secrets::random_bytes::<32>()).unwrap();
    let mut body = activation_body(&key, user, password, "", PIN);
    body["credential"] = credential;
    (key, body)
}

#[tokio::test]
async fn a_new_user_sets_up_terms_questions_and_password_with_the_first_device() {
    let h = harness().await;
    let code = json!({ "activation_code": "AB12C" });
    let cases = [
        (
            setup(false, [3, 5, 6], "New-Password-2026"),
            "terms_not_accepted",
        ),
        (
            setup(true, [3, 3, 6], "New-Password-2026"),
            "security_answers_invalid",
        ),
        (
            setup(true, [3, 5, 60], "New-Password-2026"),
            "security_answers_invalid",
        ),
        (setup(true, [3, 5, 6], "short-1!"), "password_length"),
        (setup(true, [3, 5, 6], "no-digits-at-all"), "password_mix"),
        (
            setup(true, [3, 5, 6], "Alice-Password-2026"),
            "password_contains_user_id",
        ),
    ];
    for (bad, problem) in cases {
        let (_, mut body) = body_for("alice", "Tessera-Demo-1!", code.clone());
        body["setup"] = bad;
        assert_error(
            &h.activate_body(body).await,
            StatusCode::BAD_REQUEST,
            problem,
        );
    }
    // None of those cost an attempt at the activation code: they were refused first.
    let (_, mut body) = body_for("alice", "Tessera-Demo-1!", code);
    body["setup"] = setup(true, [3, 5, 6], "New-Password-2026");
    let reply = h.activate_body(body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    // The new password and the new answers are what count now.
    let user = h.state.store.user("alice").unwrap().unwrap();
    assert!(tessera_server::secrets::secret_matches(
        "New-Password-2026",
        &user.password_hash
    ));
    assert!(!tessera_server::secrets::secret_matches(
        "Tessera-Demo-1!",
        &user.password_hash
    ));
    let cookie = agent(&h).await;
    let old = [
        ("answer0", "Esch-sur-Alzette"),
        ("answer1", "Rex"),
        ("answer2", "Rue de la Gare"),
    ];
    let page = web(&h, Method::GET, "/helpdesk/users/alice", Some(&cookie), &[]).await;
    assert!(
        page.html.contains("oldest cousin"),
        "the questions the user chose"
    );
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &old).await,
        "not_verified"
    );
    let new = [
        ("answer0", "ettelbruck"),
        ("answer1", "MINOU"),
        ("answer2", "lycée michel rodange"),
    ];
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &new).await,
        "verified"
    );
}

#[tokio::test]
async fn a_token_code_and_the_sms_link_activate_a_device() {
    let h = harness().await;
    let (_, body) = body_for("alice", "Tessera-Demo-1!", json!({ "token": "000000" }));
    let wrong = h.activate_body(body).await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "wrong_token_code");
    // Bob has a Scan, not a Token; only his password lets anyone learn that.
    let (_, body) = body_for("bob", "guess", json!({ "token": "123456" }));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
    let (_, body) = body_for("bob", "Tessera-Demo-2!", json!({ "token": "123456" }));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::FORBIDDEN,
        "no_token",
    );
    let (_, body) = body_for("nobody", "guess", json!({ "token": "123456" }));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );

    // The Token was pressed three times; the server looks ahead and takes the third.
    let _ = press_token(&h.state.store, "alice").unwrap();
    let second = press_token(&h.state.store, "alice").unwrap();
    let third = press_token(&h.state.store, "alice").unwrap();
    let (_, body) = body_for("alice", "wrong password", json!({ "token": third }));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    );
    let (_, body) = body_for("alice", "Tessera-Demo-1!", json!({ "token": third }));
    let reply = h.activate_body(body).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    // Used codes, and older ones, never work again.
    for used in [&third, &second] {
        let (_, body) = body_for("alice", "Tessera-Demo-1!", json!({ "token": used }));
        assert_error(
            &h.activate_body(body).await,
            StatusCode::UNAUTHORIZED,
            "wrong_token_code",
        );
    }

    let (id, token) = h.sms_link();
    let confirm = json!({ "activation_id": id, "token": token });
    let reply = h
        .call(
            Method::POST,
            "/v1/activation/confirm",
            None,
            None,
            Some(confirm),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn a_scan_answers_two_mosaics_the_second_bound_to_the_device_key() {
    let h = harness().await;
    let start = |user: &str| {
        h.call(
            Method::POST,
            "/v1/activation/scan",
            None,
            None,
            Some(json!({ "user_id": user })),
        )
    };
    // Anyone gets a mosaic, and a wrong response for a user who does not exist is
    // answered as for one who does: the Scan path does not tell who exists.
    let nobody = start("nobody").await.body;
    let (_, body) = body_for(
        "nobody",
        "",
        json!({ "scan": { "challenge_id": nobody["challenge_id"], "response": "000000" } }),
    );
    assert_error(
        &h.activate_body(body).await,
        StatusCode::UNAUTHORIZED,
        "wrong_scan_response",
    );
    assert_error(
        &start(&"x".repeat(65)).await,
        StatusCode::BAD_REQUEST,
        "invalid_user_id",
    );
    let first = start("bob").await.body;
    let (challenge_id, challenge) = (
        first["challenge_id"].as_str().unwrap(),
        first["challenge"].as_str().unwrap(),
    );
    assert_eq!(challenge.len(), 8);

    let scan =
        |id: &str, response: &str| json!({ "scan": { "challenge_id": id, "response": response } });
    let (_, body) = body_for("bob", "", scan(challenge_id, "000000"));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::UNAUTHORIZED,
        "wrong_scan_response",
    );
    let response = read_mosaic(&h.state.store, "bob", challenge).unwrap();
    let (key, body) = body_for("bob", "", scan(challenge_id, &response));
    let public_key = body["public_key"].as_str().unwrap().to_string();
    let reply = h.activate_body(body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let second_id = reply.body["challenge_id"].as_str().unwrap().to_string();
    let second = reply.body["challenge"].as_str().unwrap().to_string();
    // The first mosaic is used up.
    let (_, body) = body_for("bob", "", scan(challenge_id, &response));
    assert_error(
        &h.activate_body(body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );

    // The second mosaic is derived from this device's key.
    let pending = h.state.store.pending_activations_of("bob").unwrap();
    assert_eq!(second, confirm_question(&public_key, &pending[0].0));
    let confirm = |response: &str| {
        let body = json!({ "challenge_id": second_id, "response": response });
        h.call(
            Method::POST,
            "/v1/activation/scan/confirm",
            None,
            None,
            Some(body),
        )
    };
    assert_error(
        &confirm("000000").await,
        StatusCode::UNAUTHORIZED,
        "wrong_scan_response",
    );
    let reply = confirm(&read_mosaic(&h.state.store, "bob", &second).unwrap()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let phone = Phone {
        key,
        cookie: reply.cookie.unwrap(),
        device_id: reply.body["device_id"].as_str().unwrap().into(),
        certificates: serde_json::from_value(reply.body["certificates"].clone()).unwrap(),
        location: None,
    };
    let session = h.create_session().await;
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "the Scan-activated phone approves: {}",
        reply.body
    );
}

#[tokio::test]
async fn a_device_changes_its_pin_with_the_old_one_and_its_name() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let change = |old: &str, new: &str| {
        let body = json!({ "old_pin": old, "new_pin": new });
        h.call(
            Method::POST,
            "/v1/device/pin",
            None,
            Some(&phone.cookie),
            Some(body),
        )
    };
    assert_error(
        &change(PIN, "123456").await,
        StatusCode::BAD_REQUEST,
        "weak_pin",
    );
    let wrong = change("135790", "864209").await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "wrong_pin");
    assert_eq!(wrong.body["attempts_left"], 4);
    assert_eq!(change(PIN, "864209").await.status, StatusCode::NO_CONTENT);

    let session = h.create_session().await;
    let request = device_request(h.scan(&phone, &session).await);
    let old = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&old, StatusCode::UNAUTHORIZED, "wrong_pin");
    let new = h
        .respond(&phone, &request, Decision::Approve, Some("864209"))
        .await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);

    let rename = |name: &str| {
        let body = json!({ "name": name });
        h.call(
            Method::POST,
            "/v1/device/name",
            None,
            Some(&phone.cookie),
            Some(body),
        )
    };
    assert_error(
        &rename("  ").await,
        StatusCode::BAD_REQUEST,
        "invalid_device_name",
    );
    assert_eq!(
        rename("Alice's tablet").await.status,
        StatusCode::NO_CONTENT
    );
    let list = h
        .call(
            Method::GET,
            "/v1/device/devices",
            None,
            Some(&phone.cookie),
            None,
        )
        .await;
    assert_eq!(list.body[0]["name"], "Alice's tablet");
}

#[tokio::test]
async fn demo_data_from_an_older_version_gets_what_was_added_since() {
    let h = harness().await;
    h.sql("DELETE FROM hardware_devices; DELETE FROM security_answers;");
    tessera_server::demo::seed(&h.state, ORIGIN, h.db.parent().unwrap())
        .await
        .unwrap();
    assert!(press_token(&h.state.store, "alice").is_ok());
    assert!(read_mosaic(&h.state.store, "bob", "12345678").is_ok());
    assert_eq!(h.state.store.security_answers("alice").unwrap().len(), 3);
}

/// `serve --demo` onboards the Demo Bank as a partner is onboarded: its API key (the one
/// the partner API takes, for the bank's origin) and the root to pin, in files only their
/// owner reads; a restart keeps both, so the bank's pin never follows the server.
#[tokio::test]
async fn the_demo_bank_gets_its_api_key_and_root_in_files_that_a_restart_keeps() {
    use tessera_server::demo::{DEMO_BANK_API_KEY_FILE, DEMO_BANK_ROOT_FILE};
    let h = harness().await;
    let data = h.db.parent().unwrap();
    let read = |name: &str| std::fs::read_to_string(data.join(name)).unwrap();
    let (key, root) = (read(DEMO_BANK_API_KEY_FILE), read(DEMO_BANK_ROOT_FILE));
    assert_eq!(key.trim(), h.api_key);
    assert_eq!(root.trim(), h.state.ca.root_b64());
    #[cfg(unix)]
    for name in [DEMO_BANK_API_KEY_FILE, DEMO_BANK_ROOT_FILE] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    tessera_server::demo::seed(&h.state, ORIGIN, data)
        .await
        .unwrap();
    assert_eq!(read(DEMO_BANK_API_KEY_FILE), key);
    assert_eq!(read(DEMO_BANK_ROOT_FILE), root);
}
