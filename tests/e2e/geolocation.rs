//! Geolocation (issue 5): off by default, no location anywhere; turned on, the phone rounds
//! its position to tenths before signing and the Demo Bank shows "approved near"; blocked
//! by the browser, the approval goes without one and the phone says so. The position is
//! Chromium's own, set through DevTools (chromedriver's CDP passthrough).
use fantoccini::Locator;
use tessera_e2e::*;

/// Whether `css` is in the page now (no waiting: for what must not be there).
async fn present(browser: &Browser, css: &str) -> bool {
    browser.client.find(Locator::Css(css)).await.is_ok()
}

/// Scans the Demo Bank's QR: the phone shows the request.
async fn open_login(desktop: &Browser, phone: &Browser, server: &Server) {
    let link = show_qr(desktop, &server.bank_url()).await;
    open_scanned(phone, &link).await;
}

/// Approves on the phone; the bank logs alice in. Back to the phone's home screen.
async fn approve_login(desktop: &Browser, phone: &Browser) {
    approve_on_phone(phone).await;
    expect_logged_in(desktop, "alice").await;
    desktop
        .wait_attr("#bank-result", "data-state", "logged_in")
        .await;
    phone.click("#btn-home").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bank_sees_a_coarse_location_only_when_the_user_shares_it() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    // The browser could tell where the phone is to 100 m; only tenths of a degree go.
    phone.place_at(&server.url(), 49.6117, 6.1319).await;

    // Off by default: nothing read, nothing said, nothing shown to the bank.
    open_login(&desktop, &phone, &server).await;
    phone.find("#req-pin").await;
    assert!(!present(&phone, "#req-location").await);
    approve_login(&desktop, &phone).await;
    assert!(!present(&desktop, "#bank-location").await);

    // Turned on in the settings, and kept there.
    phone.click("#btn-settings").await;
    phone
        .wait_attr("#toggle-geolocation", "data-state", "off")
        .await;
    phone.click("#toggle-geolocation").await;
    phone
        .wait_attr("#toggle-geolocation", "data-state", "on")
        .await;
    phone.axe("companion: settings, geolocation on").await;
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-settings").await;
    phone
        .wait_attr("#toggle-geolocation", "data-state", "on")
        .await;
    phone.click("#btn-back").await;

    // The phone says what goes before the PIN; the bank shows it after verifying.
    open_login(&desktop, &phone, &server).await;
    phone
        .wait_attr("#req-location", "data-state", "shared")
        .await;
    phone.wait_text("#req-location", "49.6° N, 6.1° E").await;
    phone.screenshot("companion-request-location").await;
    phone.axe("companion: request sharing a location").await;
    approve_login(&desktop, &phone).await;
    desktop.find("#bank-location").await;
    assert_eq!(
        (
            desktop.attr("#bank-location", "data-lat").await.as_deref(),
            desktop.attr("#bank-location", "data-lon").await.as_deref(),
        ),
        (Some("496"), Some("61"))
    );
    let near = desktop.text("#bank-location").await;
    assert!(near.contains("near 49.6° N, 6.1° E"), "{near}");
    desktop.screenshot("bank-approved-near").await;
    desktop.axe("Demo Bank: logged in, approved near").await;

    // The browser refuses: the approval goes anyway, without a location, and says so.
    phone.deny_location(&server.url()).await;
    open_login(&desktop, &phone, &server).await;
    phone
        .wait_attr("#req-location", "data-state", "unavailable")
        .await;
    phone.axe("companion: request, location unavailable").await;
    approve_login(&desktop, &phone).await;
    assert!(!present(&desktop, "#bank-location").await);

    desktop.close().await;
    phone.close().await;
}
