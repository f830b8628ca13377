//! What must fail, fails, in the browser, with its own message.
use tessera_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_pins_lock_the_device() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    for attempts_left in (1..=4).rev() {
        approve_with_pin(&phone, "135790").await;
        phone
            .wait_text("#form-error", &format!(": {attempts_left}"))
            .await;
        if attempts_left == 4 {
            phone.axe("companion: wrong PIN").await;
        }
    }
    approve_with_pin(&phone, "135790").await;
    phone.wait_attr("#result", "data-result", "locked").await;
    phone.screenshot("companion-locked").await;
    phone.axe("companion: outcome locked").await;
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

/// Keeps, in the page, each text the countdown's live region takes, with the seconds
/// left at that moment, and each change of the ticking clock.
const COUNTDOWN_LISTENER: &str = r#"
window.__announced = []; window.__ticks = 0;
new MutationObserver(() => {
  const countdown = document.querySelector('#tessera-countdown');
  if (!countdown) return;
  const live = countdown.querySelector('[aria-live]').textContent.trim();
  const last = window.__announced[window.__announced.length - 1];
  if (live && (!last || last[1] !== live)) window.__announced.push([countdown.dataset.remaining, live]);
  window.__ticks += 1;
}).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
"#;

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_session_says_so_and_offers_a_new_qr() {
    // Long enough to cross the 30 s mark: the countdown is announced there and at 10 s,
    // not at every tick.
    let server = Server::start(40);
    let desktop = Browser::desktop().await;
    let first = show_qr(&desktop, &server.bank_url()).await;
    let live = |css: &'static str, attribute: &'static str| desktop.attr(css, attribute);
    assert_eq!(
        live("#tessera-status", "role").await.as_deref(),
        Some("status")
    );
    assert_eq!(
        live("#tessera-status", "aria-live").await.as_deref(),
        Some("polite")
    );
    // The clock itself is a timer (not live: aria-live off by default), the bar is hidden.
    let clock = "#tessera-countdown .tessera-countdown__text";
    assert_eq!(live(clock, "role").await.as_deref(), Some("timer"));
    assert_eq!(live(clock, "aria-live").await, None);
    assert_eq!(
        live("#tessera-countdown progress", "aria-hidden")
            .await
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        live("#tessera-countdown [aria-live]", "aria-live")
            .await
            .as_deref(),
        Some("polite")
    );
    desktop
        .client
        .execute(COUNTDOWN_LISTENER, vec![])
        .await
        .expect("the listener installs");
    // Each wait is shorter than a step may take.
    desktop
        .wait_attr("#tessera-countdown", "data-remaining", "20")
        .await;
    desktop
        .wait_attr("#tessera-status", "data-state", "expired")
        .await;
    desktop.screenshot("widget-expired").await;
    desktop.axe("widget on #/: expired").await;
    let heard = desktop
        .client
        .execute("return [window.__announced, window.__ticks]", vec![])
        .await
        .unwrap();
    let announced: Vec<(String, String)> = serde_json::from_value(heard[0].clone()).unwrap();
    let remaining: Vec<&str> = announced.iter().map(|(left, _)| left.as_str()).collect();
    assert_eq!(remaining, ["30", "10"], "announced: {announced:?}");
    assert!(announced[1].1.contains("10"), "{announced:?}");
    assert!(
        heard[1].as_u64().unwrap_or(0) > 20,
        "the clock ticked every second meanwhile: {heard}"
    );
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
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
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
    desktop.axe("widget on #/: error (origin mismatch)").await;
    assert!(
        desktop.attr("#bank-result", "id").await.is_none(),
        "nothing was sent to the bank"
    );
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_is_not_a_secure_context_refuses_to_start() {
    // The Demo Bank over plain http under a name that is not loopback: no WebCrypto, so
    // no approval could be verified there, and the widget refuses at the start.
    let server = Server::start(180);
    let desktop = Browser::desktop().await;
    let page = format!("http://{INSECURE_HOST}:{}/", server.bank_port);
    desktop.goto(&page).await;
    assert_eq!(
        desktop
            .client
            .execute("return window.isSecureContext", vec![])
            .await
            .expect("the page answers"),
        serde_json::json!(false),
        "the test needs a page that is not a secure context"
    );
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-error", "insecure_page")
        .await;
    assert!(
        desktop.text("#tessera-status").await.contains("https"),
        "the message says what the bank must fix"
    );
    assert_eq!(desktop.attr("#tessera-qr", "id").await, None, "no QR shown");
    assert_eq!(
        desktop.attr("#tessera-new-qr", "id").await,
        None,
        "no button to try again: only the bank can fix the page"
    );
    desktop.screenshot("widget-insecure-page").await;
    desktop
        .axe("widget on #/: error (not a secure context)")
        .await;
    desktop.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_approval_from_the_relay_is_refused_in_the_browser() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
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
