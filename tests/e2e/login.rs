//! The walking skeleton's promise: log in on the Demo Bank by approving on the phone.
use tessera_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn log_in_by_scanning_the_qr_and_approving_with_the_pin() {
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    let alice = &DEMO_USERS[0];
    activate(&phone, &server, alice).await;
    let subject = phone.text("#cert-details").await;
    assert!(
        subject.contains("alice"),
        "certificate details name the user: {subject}"
    );
    phone.screenshot("companion-certificate").await;
    phone.axe("companion: certificate").await;

    desktop.goto(&server.bank_url()).await;
    desktop.intercept_relay(Relay::Record).await;
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.record_timings("Demo Bank").await;
    desktop.screenshot("widget-qr").await;
    desktop.axe("widget on #/: QR shown").await;
    let (decoded, shown) = desktop.scan_qr().await;
    assert!(
        shown.contains(&decoded),
        "the QR image encodes {decoded:?}, the widget shows {shown:?}"
    );
    let link = desktop.attr("#tessera-qr", "data-qr-link").await.unwrap();
    assert!(
        link.starts_with(&format!("{}/companion/#/scan/", server.url())),
        "{link}"
    );

    open_scanned(&phone, &link).await;
    let origin = phone.text("#req-origin").await;
    assert_eq!(
        origin.trim(),
        format!("http://127.0.0.1:{}", server.bank_port)
    );
    // A scan is presence enough: no number to pick, straight to the PIN.
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    phone.screenshot("companion-request").await;
    desktop.axe("widget on #/: awaiting the PIN").await;
    phone.axe("companion: login request").await;
    // The phone's countdown: the ticking clock is a timer (not live), and a separate
    // polite region says the time left in steps of ten seconds.
    assert_eq!(
        phone.attr("#req-countdown", "role").await.as_deref(),
        Some("timer")
    );
    assert_eq!(phone.attr("#req-countdown", "aria-live").await, None);
    let spoken = "#req-countdown + [aria-live='polite'][aria-atomic='true']";
    let said = phone.text(spoken).await;
    let seconds: u64 = said
        .split(|c: char| !c.is_ascii_digit())
        .find(|n| !n.is_empty())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the live region says the seconds left: {said:?}"));
    assert_eq!(seconds % 10, 0, "announced in steps of ten: {said:?}");
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.screenshot("widget-verified").await;
    desktop.axe("widget on #/: verified, logged in").await;
    phone.axe("companion: outcome approved").await;
    assert_eq!(
        phone.attr("#result-text", "role").await.as_deref(),
        Some("status")
    );

    // The bank's backend refuses the same approval twice, and refuses it tampered.
    let result = desktop
        .client
        .execute("return window.__tesseraResult", vec![])
        .await
        .unwrap();
    let approval = result["approval"].as_str().unwrap().to_string();
    let session_id = claims_of(&approval)["sid"].clone();
    let replay = serde_json::json!({"session_id": session_id, "result": result});
    assert_eq!(
        desktop.post_json("/bank/login", replay).await,
        (409, "replayed".into())
    );
    let tampered = serde_json::json!({"session_id": session_id,
        "result": {"approval": tamper_payload(&approval), "status": result["status"]}});
    assert_eq!(
        desktop.post_json("/bank/login", tampered).await,
        (400, "signature_invalid".into())
    );

    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn log_in_by_push_to_the_users_phone() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;

    desktop.goto(&server.bank_url()).await;
    phone.find("#home").await;
    phone.axe("companion: home").await;

    desktop.goto(&server.bank_url()).await;
    desktop.find("#tessera-start").await;
    desktop.axe("widget on #/: idle").await;
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.type_into("#tessera-user-id", "alice").await;
    desktop.click("#tessera-push").await;

    // The phone, listening on its home screen, opens the request at once (the widget
    // may show "push sent" only for a moment) and asks for the number on the screen.
    phone.find("#request").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "opened")
        .await;
    desktop.screenshot("widget-number").await;
    phone.screenshot("companion-number").await;
    desktop.axe("widget on #/: number shown").await;
    phone.axe("companion: number matching").await;
    pick_number(&desktop, &phone).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_denial_on_the_phone_shows_denied_in_the_widget() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[1]).await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    phone.click("#btn-deny").await;
    phone.wait_attr("#result", "data-result", "denied").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "denied")
        .await;
    phone.axe("companion: outcome denied").await;
    desktop.axe("widget on #/: denied").await;
    desktop.close().await;
    phone.close().await;
}

fn claims_of(jws: &str) -> serde_json::Value {
    let payload = jws.split('.').nth(1).expect("a compact JWS");
    serde_json::from_slice(&tessera_protocol::b64_decode(payload).expect("base64url"))
        .expect("JSON claims")
}

/// Changes one claim without re-signing, as a malicious relay would.
pub(crate) fn tamper_payload(jws: &str) -> String {
    let parts: Vec<&str> = jws.split('.').collect();
    let mut claims = claims_of(jws);
    claims["iat"] = (claims["iat"].as_u64().expect("iat") - 1).into();
    let payload = tessera_protocol::b64_encode(&serde_json::to_vec(&claims).expect("JSON"));
    format!("{}.{}.{}", parts[0], payload, parts[2])
}

/// With the keyboard: Tab to `button`, Enter, then Tab to the user ID, type it, Enter.
async fn push_by_keyboard(desktop: &Browser, button: &str) {
    desktop.tab_to(button).await;
    desktop.press(Key::Enter).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.tab_to("tessera-user-id").await;
    desktop
        .keys(&format!("alice{}", char::from(Key::Enter)))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_widget_and_the_phone_work_with_the_keyboard_alone() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;

    // Start with Enter, push with Enter in the user ID field. The phone is still on its
    // certificate screen, not listening: the widget says the push was sent.
    desktop.goto(&server.bank_url()).await;
    push_by_keyboard(&desktop, "tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "push_sent")
        .await;
    desktop.axe("widget on #/: push sent").await;
    // Space presses a button as well as Enter does.
    desktop.tab_to("tessera-cancel").await;
    desktop.press(Key::Space).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "cancelled")
        .await;
    desktop.axe("widget on #/: cancelled").await;

    // Now with the phone listening on its home screen.
    phone.tab_to("btn-continue").await;
    phone.press(Key::Enter).await;
    phone.find("#home").await;
    push_by_keyboard(&desktop, "tessera-new-qr").await;
    let number = desktop.text("#tessera-number").await;
    phone.tab_to(&format!("number-{}", number.trim())).await;
    phone.press(Key::Enter).await;
    phone.tab_to("req-pin").await;
    phone
        .keys(&format!("{PIN}{}", char::from(Key::Enter)))
        .await;
    phone.wait_attr("#result", "data-result", "approved").await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}
