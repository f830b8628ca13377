//! For people who cannot scan the animated QR (issue 17, WCAG 2.2.1): "I can't scan"
//! shows a short code that the companion opens, "More time" extends the session, and on
//! a phone "Open Tessera on this phone" switches to the companion. By keyboard, with axe
//! on each new state, and what a screen reader hears.
use tessera_e2e::*;

/// Seconds the countdown shows.
async fn remaining(desktop: &Browser) -> u64 {
    desktop
        .attr("#tessera-countdown", "data-remaining")
        .await
        .and_then(|s| s.parse().ok())
        .expect("the countdown says the seconds left")
}

/// The text of `css` as a screen reader gets it, visually hidden or not (WebDriver's
/// element text leaves out what is not drawn).
async fn spoken(browser: &Browser, css: &str) -> String {
    browser
        .client
        .execute(
            "return document.querySelector(arguments[0]).textContent",
            vec![css.into()],
        )
        .await
        .expect("the text is readable")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_code_typed_into_the_companion_logs_in_and_more_time_extends() {
    let server = Server::start(60);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.find("#code-input").await;
    phone.axe("companion: home with \"Type a code\"").await;

    show_qr(&desktop, &server.bank_url()).await;
    // A desktop is no phone: no same-device button there.
    assert!(
        !desktop
            .client
            .find(fantoccini::Locator::Css("#tessera-same-device"))
            .await
            .expect("the button is in the page")
            .is_displayed()
            .await
            .unwrap(),
        "the same-device button is for phones"
    );

    // "I can't scan", by keyboard: a code, and the live region spells it out.
    desktop.tab_to("tessera-cant-scan").await;
    desktop.press(Key::Enter).await;
    desktop.find("#tessera-short-code").await;
    let code = desktop
        .attr("#tessera-short-code", "data-code")
        .await
        .expect("the code");
    assert_eq!(code.len(), 8, "{code}");
    let shown = desktop.text("#tessera-short-code").await;
    assert_eq!(shown.trim(), format!("{}-{}", &code[..4], &code[4..]));
    let spell = |part: &str| part.chars().map(String::from).collect::<Vec<_>>().join(" ");
    let spelled = format!("{}, {}", spell(&code[..4]), spell(&code[4..]));
    let heard = spoken(&desktop, "#tessera-access-note").await;
    assert!(
        heard.contains("type this code") && heard.contains(&spelled),
        "the live region says what to do and spells the code ({spelled}): {heard:?}"
    );
    assert_eq!(
        desktop
            .attr("#tessera-access-note", "aria-live")
            .await
            .as_deref(),
        Some("polite")
    );
    desktop.screenshot("widget-short-code").await;
    desktop.axe("widget: short code shown").await;

    // "More time", by keyboard: the session gains a whole lifetime.
    desktop.tab_to("tessera-more-time").await;
    desktop.press(Key::Enter).await;
    desktop
        .wait_attr("#tessera-access-note", "data-note", "extended")
        .await;
    let left = remaining(&desktop).await;
    assert!(left > 60, "{left} s left after asking for more time");
    desktop.axe("widget: more time given").await;

    // A wrong code on the phone says so; the right one, typed as people do (lower case,
    // with the dash), opens the request with who asks.
    let wrong = if code.starts_with('2') { "3" } else { "2" };
    phone
        .type_into("#code-input", &format!("{wrong}{}", &code[1..]))
        .await;
    phone.click("#btn-code").await;
    phone.wait_text("#code-error", "not valid").await;
    phone.axe("companion: wrong code").await;
    phone.set_value("#code-input", "").await;
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    phone.type_into("#code-input", &typed).await;
    phone.click("#btn-code").await;
    phone.find("#request").await;
    let origin = phone.text("#req-origin").await;
    assert_eq!(
        origin.trim(),
        format!("http://127.0.0.1:{}", server.bank_port)
    );
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    // The phone has it: no code and no same-device button any more.
    assert!(
        desktop
            .attr("#tessera-short-code", "data-code")
            .await
            .is_none()
    );
    phone.screenshot("companion-code-request").await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_same_device_button_opens_the_companion() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.goto(&server.bank_url()).await;
    phone.click("#tessera-start").await;
    phone
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    phone.find("#tessera-same-device").await;
    phone.screenshot("widget-same-device").await;
    phone.axe("widget on a phone: same-device button").await;
    let bank = phone.client.window().await.expect("the bank's tab");
    phone.click("#tessera-same-device").await;
    // The companion opens in its own tab (an installed app takes the link instead).
    let mut companion = None;
    for _ in 0..50 {
        let tabs = phone.client.windows().await.expect("the tabs");
        if let Some(tab) = tabs.into_iter().find(|t| *t != bank) {
            companion = Some(tab);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let companion = companion.expect("a tab for the companion");
    phone
        .client
        .switch_to_window(companion)
        .await
        .expect("to the companion");
    phone.find("#request").await;
    approve_on_phone(&phone).await;
    phone
        .client
        .switch_to_window(bank)
        .await
        .expect("back to the bank");
    expect_logged_in(&phone, "alice").await;
    phone.close().await;
}

/// The phone computes the offline code for `link` with `pin`, with no network, and
/// returns the 8 digits it shows.
async fn offline_code_on_phone(phone: &Browser, link: &str, pin: &str) -> String {
    phone.goto(link).await;
    phone.find("#offline").await;
    phone.type_into("#offline-pin", pin).await;
    phone.click("#btn-offline-code").await;
    phone.find("#offline-code").await;
    phone
        .attr("#offline-code", "data-code")
        .await
        .expect("the code")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_without_network_gives_a_code_the_widget_takes_once() {
    let server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    // Activation gives the server the offline key, derived with the PIN.
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;
    phone.wait_for_service_worker_control().await;

    show_qr(&desktop, &server.bank_url()).await;
    desktop.tab_to("tessera-offline").await;
    desktop.press(Key::Enter).await;
    desktop.find("#tessera-offline-qr").await;
    let link = desktop
        .attr("#tessera-offline-qr", "data-qr-link")
        .await
        .expect("the offline QR's link");
    // Read as a camera would, the whole still QR in view.
    desktop
        .client
        .execute(
            "document.querySelector('#tessera-offline-qr').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .expect("the QR scrolls into view");
    desktop.screenshot("widget-offline").await;
    assert_eq!(desktop.read_qr("#tessera-offline-qr").await, link);
    desktop.axe("widget: offline code form").await;

    // The phone has no network from here on: it shows what is asked and a code.
    phone.go_offline().await;
    let wrong = offline_code_on_phone(&phone, &link, "135790").await;
    let bank = format!("http://127.0.0.1:{}", server.bank_port);
    assert_eq!(phone.text("#offline-origin").await.trim(), bank);
    phone.screenshot("companion-offline-code").await;
    phone.axe("companion: offline code").await;
    // A wrong PIN gives a wrong code, which only the server tells.
    desktop.type_into("#tessera-offline-user", "alice").await;
    desktop.type_into("#tessera-offline-code", &wrong).await;
    desktop.click("#tessera-offline-submit").await;
    desktop
        .wait_text("#tessera-offline-note", "does not match")
        .await;
    desktop.axe("widget: offline code refused").await;

    phone.click("#btn-offline-done").await;
    let right = offline_code_on_phone(&phone, &link, PIN).await;
    assert_ne!(right, wrong);
    desktop.set_value("#tessera-offline-code", "").await;
    desktop.type_into("#tessera-offline-code", &right).await;
    desktop.click("#tessera-offline-submit").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "offline_confirmed")
        .await;
    assert!(desktop.text("#tessera-status").await.contains("alice"));
    desktop.axe("widget: confirmed offline").await;

    // What the partner's backend gets: a JWT of the server's JWKS for this very session.
    let jwt = desktop
        .attr("#tessera-status", "data-offline-result")
        .await
        .expect("the signed result");
    let claims = tessera_server::oidc::keys::verify_jwt(&server.store(), &jwt)
        .expect("the keys are readable")
        .expect("signed with a key of the JWKS");
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["origin"], bank.as_str());
    assert_eq!(claims["token_use"], "tessera_offline_result");

    // The Demo Bank's backend checks it against Tessera's JWKS and logs alice in, once.
    desktop
        .wait_attr("#bank-result", "data-state", "logged_in")
        .await;
    assert!(desktop.text("#bank-result").await.contains("alice"));
    assert_eq!(
        desktop.attr("#bank-uv", "data-uv").await.as_deref(),
        Some("offline")
    );
    desktop.screenshot("bank-logged-in-offline").await;
    let session_id = claims["sid"].as_str().expect("the session id").to_owned();
    let again = serde_json::json!({"session_id": session_id, "result": jwt});
    assert_eq!(
        desktop.post_json("/bank/login/offline", again).await,
        (409, "replayed".into())
    );
    // A result whose claims were changed after Tessera signed them is refused.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    let mut forged = claims.clone();
    forged["sub"] = "bob".into();
    parts[1] = tessera_protocol::b64_encode(forged.to_string().as_bytes());
    let forged = serde_json::json!({"session_id": session_id, "result": parts.join(".")});
    assert_eq!(
        desktop.post_json("/bank/login/offline", forged).await.1,
        "signature_invalid"
    );
    desktop.close().await;
    phone.close().await;
}
