//! What must fail, fails, in the browser, with its own message.
use tessera_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_pins_lock_the_device() {
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    for attempts_left in (1..=4).rev() {
        approve_with_pin(&phone, "135790").await;
        phone
            .wait_text("#form-error", &format!(": {attempts_left}"))
            .await;
    }
    approve_with_pin(&phone, "135790").await;
    phone.wait_attr("#result", "data-result", "locked").await;
    phone.screenshot("companion-locked").await;
    assert_ne!(
        desktop
            .attr("#tessera-status", "data-state")
            .await
            .as_deref(),
        Some("verified")
    );
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_session_says_so_and_offers_a_new_qr() {
    let server = Server::start(4);
    let desktop = Browser::desktop().await;
    let first = show_qr(&desktop, &server.bank_url()).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "expired")
        .await;
    desktop.screenshot("widget-expired").await;
    desktop.click("#tessera-new-qr").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    let second = desktop.attr("#tessera-qr", "data-qr-link").await.unwrap();
    let session = |link: &str| link.split('/').nth_back(2).map(String::from);
    assert_ne!(
        session(&first),
        session(&second),
        "a new session, not the old QR"
    );
    desktop.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approval_for_another_origin_is_refused_in_the_browser() {
    // A phishing page on another origin relays the real bank's session: the phone shows
    // (and the user approves) the bank's origin, the widget on the phishing origin refuses.
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;
    let phishing = format!("http://localhost:{}/", server.bank_port);
    let link = show_qr(&desktop, &phishing).await;
    open_scanned(&phone, &link).await;
    approve_on_phone(&phone).await;
    desktop
        .wait_attr("#tessera-status", "data-error", "origin_mismatch")
        .await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-state")
            .await
            .as_deref(),
        Some("error")
    );
    desktop.screenshot("widget-origin-mismatch").await;
    assert!(
        desktop.attr("#bank-result", "id").await.is_none(),
        "nothing was sent to the bank"
    );
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_approval_from_the_relay_is_refused_in_the_browser() {
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;
    desktop.goto(&server.bank_url()).await;
    desktop.intercept_relay(Relay::Tamper).await;
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    let link = desktop.attr("#tessera-qr", "data-qr-link").await.unwrap();
    open_scanned(&phone, &link).await;
    approve_on_phone(&phone).await;
    desktop
        .wait_attr("#tessera-status", "data-error", "signature_invalid")
        .await;
    assert!(
        desktop.attr("#bank-result", "id").await.is_none(),
        "nothing was sent to the bank"
    );
    desktop.close().await;
    phone.close().await;
}
