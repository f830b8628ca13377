//! Biometrics in Chromium with its virtual platform authenticator (the WebDriver WebAuthn
//! extension): turned on in Settings with the PIN, a Demo Bank login approved with
//! them, a failed "fingerprint" that leaves the PIN as the way, and turned off again.
//! The server is reached as `localhost`: WebAuthn takes no IP address as relying party.
use tessera_e2e::*;

async fn open_settings(phone: &Browser, server: &Server) {
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-settings").await;
    phone.find("#biometrics").await;
}

/// Starts a Demo Bank login and opens its QR's request on the phone.
async fn login_request(desktop: &Browser, phone: &Browser, server: &Server) {
    let link = show_qr(desktop, &server.bank_url()).await;
    open_scanned(phone, &link).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn biometrics_approve_a_login_and_the_pin_stays_the_fallback() {
    let server = Server::start_on_localhost(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    let authenticator = phone.add_platform_authenticator().await;
    activate(&phone, &server, &DEMO_USERS[0]).await;

    // Off at first: the request screen offers only the PIN.
    open_settings(&phone, &server).await;
    phone.wait_attr("#biometrics", "data-state", "off").await;
    phone.click("#toggle-biometrics").await;
    phone.find("#bio-pin").await;
    phone
        .axe("companion: settings, biometrics asking for the PIN")
        .await;
    phone.type_into("#bio-pin", "135790").await;
    phone.click("#btn-bio-enable").await;
    phone.find("#bio-error").await;
    assert_eq!(
        phone.attr("#biometrics", "data-state").await.as_deref(),
        Some("off"),
        "a wrong PIN turns nothing on"
    );
    phone.type_into("#bio-pin", PIN).await;
    phone.click("#btn-bio-enable").await;
    phone.wait_attr("#biometrics", "data-state", "on").await;
    phone.screenshot("companion-biometrics-on").await;
    phone.axe("companion: settings, biometrics on").await;

    // The platform confirms the approval; the bank's backend read "biometric" from the
    // status statement it verified.
    login_request(&desktop, &phone, &server).await;
    phone.screenshot("companion-request-biometric").await;
    phone.axe("companion: request with biometrics").await;
    phone.click("#btn-approve-biometric").await;
    phone.wait_attr("#result", "data-result", "approved").await;
    expect_logged_in(&desktop, "alice").await;
    desktop.wait_attr("#bank-uv", "data-uv", "biometric").await;

    // The fingerprint no longer matches: refused, the request stays open, the PIN works.
    // (Chromium refuses to sign without user verification, so nothing reaches the server;
    // the server's own refusal of an unverified assertion is tests/biometrics.rs's.)
    phone.set_user_verified(&authenticator, false).await;
    login_request(&desktop, &phone, &server).await;
    phone.click("#btn-approve-biometric").await;
    phone.find("#form-error").await;
    phone.screenshot("companion-biometric-refused").await;
    phone.axe("companion: request, biometrics refused").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.wait_attr("#bank-uv", "data-uv", "pin").await;

    // Turned off: the server deleted the credential, the request screen asks for the PIN.
    open_settings(&phone, &server).await;
    phone.wait_attr("#biometrics", "data-state", "on").await;
    phone.click("#toggle-biometrics").await;
    phone.wait_attr("#biometrics", "data-state", "off").await;
    login_request(&desktop, &phone, &server).await;
    phone.find("#req-pin").await;
    assert!(
        phone.attr("#btn-approve-biometric", "id").await.is_none(),
        "no biometric button once they are off"
    );
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;

    desktop.close().await;
    phone.close().await;
}
