//! The seed's activation flows in the browser, as a person runs them: A (a new user, the
//! 9-step wizard), B (a hardware Token, then the SMS link) and C (a Scan reading two
//! mosaics off the screen), and the settings (change PIN, rename). The Token and the Scan
//! are played by `tessera token` / `tessera scan`; the Scan reads the mosaic from a
//! screenshot of the phone, as a real one reads the screen.
use tessera_e2e::*;

async fn companion(phone: &Browser, server: &Server) {
    phone.goto(&format!("{}/companion/", server.url())).await;
}

/// PIN twice and a device name, as every flow asks.
async fn pin_and_name(phone: &Browser) {
    phone.type_into("#act-pin", PIN).await;
    phone.type_into("#act-pin-confirm", PIN).await;
    phone.type_into("#act-device-name", "Test phone").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_a_a_new_user_activates_in_nine_steps() {
    // With biometrics chosen at step 4: the server is reached as localhost (WebAuthn takes
    // no IP address) and the phone has a fingerprint reader (a virtual authenticator).
    let server = Server::start_on_localhost(180);
    let phone = Browser::phone().await;
    phone.add_platform_authenticator().await;
    let alice = &DEMO_USERS[0];
    companion(&phone, &server).await;
    phone.find("#btn-new-user").await;
    phone.axe("companion: welcome").await;
    phone.click("#btn-new-user").await;
    phone.find("#act-user-id").await;
    phone
        .axe("companion: flow A, step 1 (user ID and password)")
        .await;
    phone.type_into("#act-user-id", alice.id).await;
    phone.type_into("#act-password", alice.password).await;
    phone.click("#btn-next").await;
    // The terms must be accepted before anything else.
    phone.find("#terms-accept").await;
    assert!(phone.attr("#btn-next", "disabled").await.is_some());
    phone.axe("companion: flow A, step 2 (terms)").await;
    phone.click("#terms-accept").await;
    phone.click("#btn-next").await;
    phone.find("#act-code").await;
    phone
        .axe("companion: flow A, step 3 (activation code)")
        .await;
    phone.type_into("#act-code", alice.activation_code).await;
    phone.click("#btn-next").await;
    phone.find("#btn-biometrics-later").await;
    phone.axe("companion: flow A, step 4 (biometrics)").await;
    phone.click("#act-biometrics").await;
    phone.click("#btn-biometrics-later").await;
    phone.find("#act-pin").await;
    phone.axe("companion: flow A, step 5 (PIN)").await;
    phone.type_into("#act-pin", PIN).await;
    phone.type_into("#act-pin-confirm", PIN).await;
    phone.click("#btn-next").await;
    phone.find("#question-0").await;
    phone
        .axe("companion: flow A, step 6 (security questions)")
        .await;
    for (index, (question, answer)) in [("3", "Ettelbruck"), ("5", "Minou"), ("6", "Lycée")]
        .into_iter()
        .enumerate()
    {
        phone
            .set_value(&format!("#question-{index}"), question)
            .await;
        phone.type_into(&format!("#answer-{index}"), answer).await;
    }
    phone.click("#btn-next").await;
    phone.find("#questions-review").await;
    phone
        .axe("companion: flow A, step 7 (review the answers)")
        .await;
    phone.click("#btn-questions-confirm").await;
    phone.find("#act-device-name").await;
    phone.axe("companion: flow A, step 8 (device name)").await;
    phone.type_into("#act-device-name", "Alice's phone").await;
    phone.click("#btn-next").await;
    phone.type_into("#new-password", "New-Password-2026").await;
    phone
        .type_into("#new-password-confirm", "New-Password-2026")
        .await;
    phone.screenshot("companion-new-password").await;
    phone.axe("companion: flow A, step 9 (new password)").await;
    phone.click("#btn-next").await;
    phone.find("#cert-details").await;
    assert!(phone.text("#cert-details").await.contains("alice"));
    // The fingerprint was registered right after activation, confirmed by the new PIN.
    phone.find("#cert-biometrics").await;
    phone.axe("companion: flow A, certificate").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_b_a_token_code_then_the_sms_link() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    let alice = &DEMO_USERS[0];
    companion(&phone, &server).await;
    phone.click("#btn-login").await;
    phone.type_into("#act-user-id", alice.id).await;
    phone.type_into("#act-password", alice.password).await;
    phone.click("#act-token").await;
    phone.find("#act-token-code").await;
    phone.axe("companion: log in with a Token").await;
    phone.type_into("#act-token-code", "000000").await;
    pin_and_name(&phone).await;
    phone.click("#act-submit").await;
    phone.find("#form-error").await;
    phone.axe("companion: wrong Token code").await;
    // Press the Token's button and type what it shows.
    let code = server.cli("token", &["alice"]);
    phone.type_into("#act-token-code", &code).await;
    phone.click("#act-submit").await;
    phone.find("#pending").await;
    phone.axe("companion: waiting for the SMS link").await;
    let sms = server.message_with("/#/confirm/");
    let link = sms
        .split_whitespace()
        .find(|w| w.contains("/#/confirm/"))
        .unwrap();
    // The demo's outbox page, where the SMS is shown.
    phone.goto(&format!("{}/outbox", server.url())).await;
    phone.find("table").await;
    phone.axe("outbox page").await;
    phone.goto(link).await;
    phone.find("#cert-details").await;
}

/// Flow C up to step 8: LOG IN as bob with his Scan, answer the first mosaic, PIN and
/// name; the phone shows the second mosaic, whose challenge this answers.
async fn scan_to_the_second_mosaic(phone: &Browser, server: &Server) -> String {
    companion(phone, server).await;
    phone.click("#btn-login").await;
    phone.type_into("#act-user-id", DEMO_USERS[1].id).await;
    phone.click("#act-scan").await;
    phone.find("#scan-mosaic").await;
    // The Scan photographs the mosaic; what it reads is what the page says it shows.
    let first = phone.attr("#scan-mosaic", "data-challenge").await.unwrap();
    assert_eq!(phone.read_qr("#scan-mosaic").await, first);
    phone.screenshot("companion-scan-mosaic").await;
    phone.axe("companion: Scan mosaic").await;
    phone
        .type_into("#scan-response", &server.cli("scan", &["bob", &first]))
        .await;
    pin_and_name(phone).await;
    phone.click("#act-submit").await;

    phone.find("#scan-confirm").await;
    let second = phone.attr("#scan-mosaic", "data-challenge").await.unwrap();
    assert_ne!(second, first, "the second mosaic is a new challenge");
    phone.axe("companion: Scan confirmation mosaic").await;
    second
}

/// Flow C, step 8: the Scan reads the second mosaic; the phone is activated.
async fn answer_the_second_mosaic(phone: &Browser, server: &Server, second: &str) {
    assert_eq!(phone.read_qr("#scan-mosaic").await, second);
    phone
        .type_into("#scan-response", &server.cli("scan", &["bob", second]))
        .await;
    phone.click("#btn-next").await;
    phone.find("#cert-details").await;
}

/// The activated phone logs bob in on the Demo Bank; then both browsers close.
async fn bob_logs_in(phone: Browser, server: &Server) {
    let desktop = Browser::desktop().await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "bob").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_c_a_scan_reads_two_mosaics_and_the_phone_logs_in() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    let second = scan_to_the_second_mosaic(&phone, &server).await;
    answer_the_second_mosaic(&phone, &server, &second).await;

    bob_logs_in(phone, &server).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_c_the_second_mosaic_survives_a_reload_and_a_server_restart() {
    let mut server = Server::start(180);
    let phone = Browser::phone().await;
    let second = scan_to_the_second_mosaic(&phone, &server).await;
    // The server crashes and comes back; the phone reloads the page.
    server.restart();
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#scan-confirm").await;
    assert_eq!(
        phone
            .attr("#scan-mosaic", "data-challenge")
            .await
            .as_deref(),
        Some(second.as_str()),
        "the same mosaic, still valid"
    );
    // What the app kept is the mosaic, never the PIN.
    let kept = phone
        .client
        .execute(
            "return JSON.stringify(Object.assign({}, localStorage))",
            vec![],
        )
        .await
        .unwrap();
    let kept = kept.as_str().unwrap_or_default();
    assert!(kept.contains(&second), "{kept}");
    assert!(
        !kept.contains(&format!("\"{PIN}\"")),
        "the PIN is never stored: {kept}"
    );
    answer_the_second_mosaic(&phone, &server, &second).await;

    // Activated for good: a reload now opens on the home screen, not on the mosaic.
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#btn-settings").await;
    bob_logs_in(phone, &server).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_the_pin_and_the_name() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.click("#btn-settings").await;
    phone.find("#settings").await;
    for id in [
        "#settings-cert",
        "#support-phone",
        "#support-hours",
        "#app-version",
    ] {
        phone.find(id).await;
    }
    phone.screenshot("companion-settings").await;
    phone.axe("companion: settings").await;
    phone.type_into("#pin-old", "135790").await;
    phone.type_into("#pin-new", "864209").await;
    phone.type_into("#pin-new-confirm", "864209").await;
    phone.click("#btn-pin-change").await;
    phone.find("#pin-error").await;
    phone.axe("companion: settings, wrong old PIN").await;
    phone.type_into("#pin-old", PIN).await;
    phone.click("#btn-pin-change").await;
    phone.find("#pin-changed").await;
    phone.type_into("#rename", "Alice's tablet").await;
    phone.click("#btn-rename").await;
    phone.find("#rename-done").await;
    phone
        .axe("companion: settings, PIN changed and renamed")
        .await;

    // The new PIN approves; the old one no longer does.
    let desktop = Browser::desktop().await;
    let link = show_qr(&desktop, &server.bank_url()).await;
    open_scanned(&phone, &link).await;
    approve_with_pin(&phone, PIN).await;
    // The wrong old PIN counted, but the change itself started the count afresh.
    phone.wait_text("#form-error", "4").await;
    approve_with_pin(&phone, "864209").await;
    phone.wait_attr("#result", "data-result", "approved").await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}
