//! The helpdesk console in-process: agent login and lockout, recognising a caller by the
//! security answers (limited and logged), device actions, security codes, CSRF, and the
//! audit log — and that what the helpdesk does, the devices feel at once.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use tessera_protocol::Decision;

fn audit_actions(h: &Harness) -> Vec<String> {
    h.state
        .store
        .audit_entries(None, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn only_a_logged_in_agent_sees_anything_and_wrong_passwords_lock_the_account() {
    let h = harness().await;
    let home = web(&h, Method::GET, "/helpdesk", None, &[]).await;
    assert!(home.html.contains("Agent login"));
    assert!(home.html.contains(r#"<label for="agent-id">"#));
    let policy = "/helpdesk/users/alice";
    assert_eq!(
        web(&h, Method::GET, policy, None, &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let forged = web(
        &h,
        Method::POST,
        "/helpdesk/users/alice/devices/x/revoke",
        Some("tessera_agent=guess"),
        &[("csrf", "x")],
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    for _ in 0..5 {
        let page = web(
            &h,
            Method::POST,
            "/helpdesk/login",
            None,
            &[("agent_id", "agent"), ("password", "wrong")],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.html.contains("not correct"));
    }
    let locked = web(
        &h,
        Method::POST,
        "/helpdesk/login",
        None,
        &[("agent_id", "agent"), ("password", "Helpdesk-Demo-1!")],
    )
    .await;
    assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
    assert!(locked.html.contains("locked"));
    let unknown = web(
        &h,
        Method::POST,
        "/helpdesk/login",
        None,
        &[("agent_id", "nobody"), ("password", "x")],
    )
    .await;
    assert!(
        unknown.html.contains("not correct"),
        "the same answer for unknown agents"
    );
    let actions = audit_actions(&h);
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "agent_login_failed")
            .count(),
        6
    );
    assert!(actions.contains(&"agent_login_locked".to_string()));
}

#[tokio::test]
async fn a_recognised_caller_s_devices_can_be_managed_and_everything_is_logged() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let cookie = agent(&h).await;

    let found = web(
        &h,
        Method::GET,
        "/helpdesk/users?q=alice%40example.lu",
        Some(&cookie),
        &[],
    )
    .await;
    assert_eq!(found.location.as_deref(), Some("/helpdesk/users/alice"));
    let page = web(&h, Method::GET, "/helpdesk/users/alice", Some(&cookie), &[]).await;
    assert!(page.html.contains("What was the name of your first pet?"));
    assert!(page.html.contains(&format!(
        r#"id="device-{}" data-status="active""#,
        phone.device_id
    )));
    assert_eq!(page.html.matches("<script").count(), 0);

    let device =
        |action: &str| format!("/helpdesk/users/alice/devices/{}/{action}", phone.device_id);
    // Before the caller is recognised only a suspension is possible.
    assert_eq!(
        act(&h, &cookie, &device("revoke"), &[]).await,
        "verify_first"
    );
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/security-code", &[]).await,
        "verify_first"
    );
    assert_eq!(act(&h, &cookie, &device("suspend"), &[]).await, "suspended");

    // A suspended device cannot approve, however valid its certificate.
    let session = h.create_session().await;
    let scan = h.scan(&phone, &session).await;
    assert_error(&scan, StatusCode::FORBIDDEN, "device_not_active");

    let wrong = [
        ("answer0", "Luxembourg"),
        ("answer1", "rex"),
        ("answer2", "rue de la gare"),
    ];
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &wrong).await,
        "not_verified"
    );
    let right = [
        ("answer0", "  esch-sur-alzette "),
        ("answer1", "REX"),
        ("answer2", "Rue  de la Gare"),
    ];
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &right).await,
        "verified"
    );
    assert_eq!(act(&h, &cookie, &device("resume"), &[]).await, "resumed");
    let request = device_request(h.scan(&phone, &session).await);
    let approved = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/security-code", &[]).await,
        "code_sent"
    );
    let messages = h.state.store.messages().unwrap();
    let mail = messages
        .iter()
        .find(|m| m.channel == "email")
        .expect("the code by e-mail");
    assert_eq!(mail.recipient, "alice@example.lu");
    let code: String = mail
        .body
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    assert_eq!(code.len(), 8);

    assert_eq!(act(&h, &cookie, &device("revoke"), &[]).await, "revoked");
    assert_eq!(act(&h, &cookie, &device("resume"), &[]).await, "unchanged");
    let session = h.create_session().await;
    assert_error(
        &h.scan(&phone, &session).await,
        StatusCode::FORBIDDEN,
        "device_not_active",
    );

    let entries = h.state.store.audit_entries(Some("alice"), 100).unwrap();
    let actions: Vec<&str> = entries.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "device_activated",
            "user_looked_up",
            "device_suspended",
            "caller_check_failed",
            "caller_recognised",
            "device_resumed",
            "security_code_sent",
            "device_revoked"
        ]
    );
    assert!(
        entries[..entries.len() - 1]
            .iter()
            .all(|e| e.actor == "agent:agent")
    );
    // Secrets never reach the log.
    let log = web(&h, Method::GET, "/helpdesk/audit", Some(&cookie), &[])
        .await
        .html;
    for secret in [code.as_str(), "REX", "Esch", "Luxembourg"] {
        assert!(!log.contains(secret), "{secret} in the audit log");
    }
}

#[tokio::test]
async fn failed_caller_checks_are_limited_and_forms_need_their_csrf_token() {
    let h = harness().await;
    let cookie = agent(&h).await;
    let wrong = [("answer0", "a"), ("answer1", "b"), ("answer2", "c")];
    for _ in 0..3 {
        assert_eq!(
            act(&h, &cookie, "/helpdesk/users/alice/verify", &wrong).await,
            "not_verified"
        );
    }
    let right = [
        ("answer0", "Esch-sur-Alzette"),
        ("answer1", "Rex"),
        ("answer2", "Rue de la Gare"),
    ];
    assert_eq!(
        act(&h, &cookie, "/helpdesk/users/alice/verify", &right).await,
        "blocked"
    );
    let page = web(&h, Method::GET, "/helpdesk/users/alice", Some(&cookie), &[]).await;
    assert!(page.html.contains(r#"id="caller-blocked""#));

    let forged = web(
        &h,
        Method::POST,
        "/helpdesk/users/alice/verify",
        Some(&cookie),
        &[
            ("csrf", "forged"),
            ("answer0", "a"),
            ("answer1", "b"),
            ("answer2", "c"),
        ],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let logout_page = web(&h, Method::GET, "/helpdesk", Some(&cookie), &[]).await;
    let out = web(
        &h,
        Method::POST,
        "/helpdesk/logout",
        Some(&cookie),
        &[("csrf", &logout_page.csrf())],
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = web(&h, Method::GET, "/helpdesk/users/alice", Some(&cookie), &[]).await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the session ended on the server"
    );
}

/// What users and devices are called reaches the console as text, never as markup: a
/// device renamed to an HTML tag and a user ID with quotes and a script are shown, escaped,
/// on the user's page and in the audit log.
#[tokio::test]
async fn hostile_names_and_user_ids_are_shown_as_text() {
    let h = harness().await;
    let tag = "<img src=x onerror=alert(1)>";
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let renamed = h
        .call(
            Method::POST,
            "/v1/device/name",
            None,
            Some(&phone.cookie),
            Some(serde_json::json!({ "name": tag })),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT, "{}", renamed.body);
    // A user ID as an import from a bank's own systems could bring it.
    let user_id = r#"o'neil"><script>alert(2)</script>"#;
    h.state
        .store
        .insert_user(user_id, "x", "x", "+352 621 000 009", r#""q"@example.lu"#)
        .unwrap();
    h.state
        .store
        .audit(
            tessera_server::now(),
            "agent:test",
            "noted",
            Some(user_id),
            None,
            tag,
        )
        .unwrap();
    let cookie = agent(&h).await;

    let alice = web(&h, Method::GET, "/helpdesk/users/alice", Some(&cookie), &[]).await;
    assert_eq!(alice.status, StatusCode::OK);
    assert!(
        alice
            .html
            .contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"),
        "{}",
        alice.html
    );
    assert!(!alice.html.contains("<img"), "{}", alice.html);

    let encoded: String = user_id
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'0'..=b'9' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    let path = format!("/helpdesk/users/{encoded}");
    let theirs = web(&h, Method::GET, &path, Some(&cookie), &[]).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.html);
    assert!(
        theirs
            .html
            .contains("<h1>User o'neil&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;</h1>"),
        "{}",
        theirs.html
    );
    assert!(
        theirs.html.contains("E-mail &quot;q&quot;@example.lu"),
        "{}",
        theirs.html
    );
    // In the forms' actions the ID is percent-encoded, so no quote ends the attribute.
    assert!(
        theirs
            .html
            .contains(&format!(r#"action="{path}/security-code""#)),
        "{}",
        theirs.html
    );
    assert!(!theirs.html.contains("<script"), "{}", theirs.html);

    let audit = web(&h, Method::GET, "/helpdesk/audit", Some(&cookie), &[]).await;
    assert!(
        audit.html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{}",
        audit.html
    );
    assert!(
        !audit.html.contains("<img") && !audit.html.contains("<script"),
        "{}",
        audit.html
    );
}
