//! Issue 5: NEW USER, LOG IN with a Token or a Scan, settings.
use super::*;

#[wasm_bindgen_test]
async fn a_new_user_walks_the_wizard_in_the_seeds_order() {
    let (root, app) = fresh_app().await;
    let activated = serde_json::json!({ "device_id": "d-9", "certificates": [] });
    stub(&[(
        "POST /v1/activation",
        &[
            (
                401,
                r#"{"code":"wrong_activation_code","message":"m","attempts_left":4}"#.into(),
            ),
            (201, activated.to_string()),
        ],
    )]);
    click(&root, "#btn-new-user");

    // 4. User ID and password.
    wizard_at(&root, "credentials").await;
    assert_eq!(text(&root, "#wizard-progress"), "Step 1/9");
    assert!(has(&root, "label[for='act-user-id']") && has(&root, "label[for='act-password']"));
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Please fill in every field."
    );
    type_in(&root, "#act-user-id", "carol");
    type_in(&root, "#act-password", "Initial-Pass-1");
    click(&root, "#btn-next");

    // 5. The terms: CONFIRM only once the toggle is on.
    wizard_at(&root, "terms").await;
    assert!(text(&root, "#terms-text").contains("Keep your PIN secret"));
    assert!(has(
        &root,
        "input#terms-accept[type='checkbox'][role='switch']"
    ));
    assert!(has(&root, "label[for='terms-accept']"));
    assert_eq!(text(&root, "#btn-next"), "Confirm");
    assert!(disabled(&root, "#btn-next"));
    click(&root, "#terms-accept");
    sleep(50).await;
    assert!(!disabled(&root, "#btn-next"));
    click(&root, "#btn-next");

    // 6. The activation code.
    wizard_at(&root, "code").await;
    type_in(&root, "#act-code", "WRONG");
    click(&root, "#btn-next");

    // 7. Biometrics: later.
    wizard_at(&root, "biometrics").await;
    assert!(text(&root, "#biometrics-text").contains("later from the menu"));
    assert!(!has(&root, "#btn-next"));
    click(&root, "#btn-biometrics-later");

    // 8. The PIN: a trivial one is refused at once.
    wizard_at(&root, "pin").await;
    type_in(&root, "#act-pin", "123456");
    wait_for(&root, "#pin-problem[role='alert']").await;
    assert!(text(&root, "#pin-problem").starts_with("This PIN is too easy to guess."));
    type_in(&root, "#act-pin", "482913");
    type_in(&root, "#act-pin-confirm", "482913");
    sleep(50).await;
    assert!(!has(&root, "#pin-problem"));
    click(&root, "#btn-next");

    // 9. Three different questions, in the app's language, and their answers.
    wizard_at(&root, "questions").await;
    for i in 0..3 {
        assert!(has(&root, &format!("label[for='question-{i}']")));
        assert!(has(&root, &format!("label[for='answer-{i}']")));
    }
    assert_eq!(
        text(&root, "#question-0 option[value='1']"),
        "What was the name of your first pet?"
    );
    choose(&root, "#question-0", "0");
    sleep(50).await;
    assert!(
        disabled(&root, "#question-1 option[value='0']"),
        "chosen above"
    );
    assert!(!disabled(&root, "#question-0 option[value='0']"));
    choose(&root, "#question-1", "1");
    choose(&root, "#question-2", "4");
    type_in(&root, "#answer-0", "Esch-sur-Alzette");
    type_in(&root, "#answer-1", "Rex");
    type_in(&root, "#answer-2", "R");
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "Each answer needs at least 2 characters."
    );
    type_in(&root, "#answer-2", "Rue de la Gare");
    click(&root, "#btn-next");

    // 10. Review; back keeps everything.
    wizard_at(&root, "review").await;
    let review = text(&root, "#questions-review");
    assert!(
        review.contains("In which street did you live as a child?")
            && review.contains("Rue de la Gare")
    );
    click(&root, "#btn-back");
    wizard_at(&root, "questions").await;
    assert_eq!(value(&root, "#answer-1"), "Rex");
    assert_eq!(
        element::<web_sys::HtmlSelectElement>(&root, "#question-2").value(),
        "4"
    );
    click(&root, "#btn-next");
    wizard_at(&root, "review").await;
    click(&root, "#btn-questions-confirm");

    // 11. The device's name.
    wizard_at(&root, "name").await;
    type_in(&root, "#act-device-name", "Carol's phone");
    click(&root, "#btn-next");

    // 12. The new password, with its checklist.
    wizard_at(&root, "password").await;
    assert!(
        has(&root, "label[for='new-password']") && has(&root, "label[for='new-password-confirm']")
    );
    let describedby = element::<Element>(&root, "#new-password").get_attribute("aria-describedby");
    assert_eq!(describedby.as_deref(), Some("password-checklist"));
    type_in(&root, "#new-password", "carol-2026");
    sleep(50).await;
    // Long enough and mixed, but it holds the user ID, and nothing is repeated yet.
    let marks = || -> Vec<String> {
        let list = root
            .query_selector_all("#password-checklist li")
            .expect("items");
        (0..list.length())
            .filter_map(|i| list.get(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .map(|e| e.get_attribute("data-ok").unwrap_or_default())
            .collect()
    };
    assert_eq!(marks(), ["true", "true", "false", "false"]);
    type_in(&root, "#new-password", "Winter-Sun-2026");
    type_in(&root, "#new-password-confirm", "Winter-Sun-2026");
    sleep(50).await;
    assert_eq!(marks(), ["true", "true", "true", "true"]);
    assert_eq!(text(&root, "#btn-next"), "Activate");
    click(&root, "#btn-next");

    // The server refuses the code: back to its step, everything kept.
    wizard_at(&root, "code").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "The activation code is wrong. Attempts left: 4."
    );
    assert_eq!(value(&root, "#act-code"), "WRONG");
    type_in(&root, "#act-code", "ZX81Q");
    // Forward again, every step as it was left.
    for _ in 0..8 {
        if has(&root, "#new-user[data-step='password']") {
            break;
        }
        click(&root, "#new-user form button[type='submit']");
        sleep(100).await;
    }
    wizard_at(&root, "password").await;
    assert_eq!(value(&root, "#new-password"), "Winter-Sun-2026");
    click(&root, "#btn-next");
    wait_for(&root, "#certificate").await;

    let calls = calls();
    // The activation, then the offline code's key derived with the PIN (issue 17).
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[2].1, "/v1/device/offline-key", "{calls:?}");
    let sent = &calls[1].2;
    assert_eq!(
        sent["credential"],
        serde_json::json!({ "activation_code": "ZX81Q" })
    );
    assert_eq!(sent["password"], "Initial-Pass-1");
    assert_eq!(sent["pin"], "482913");
    assert_eq!(sent["device_name"], "Carol's phone");
    assert_eq!(
        sent["setup"],
        serde_json::json!({
            "terms_accepted": true,
            "security_answers": [
                { "question": 0, "answer": "Esch-sur-Alzette" },
                { "question": 1, "answer": "Rex" },
                { "question": 4, "answer": "Rue de la Gare" },
            ],
            "new_password": "Winter-Sun-2026",
        })
    );
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Carol's phone")
    );
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn the_first_step_back_returns_to_the_welcome_screen() {
    let (root, app) = fresh_app().await;
    click(&root, "#btn-new-user");
    wizard_at(&root, "credentials").await;
    click(&root, "#btn-back");
    wait_for(&root, "#welcome").await;
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_token_activation_waits_for_the_sms_link() {
    let (root, app) = fresh_app().await;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let pending = serde_json::json!({
        "activation_id": "p-5", "phone_hint": "+352 ••• ••• 002", "expires_at": now + 21_600,
    });
    stub(&[(
        "POST /v1/activation",
        &[
            (
                401,
                r#"{"code":"wrong_token_code","message":"m","attempts_left":4}"#.into(),
            ),
            (202, pending.to_string()),
        ],
    )]);
    click(&root, "#btn-login");
    wait_for(&root, "#activate").await;
    assert!(!has(&root, "#act-pin"), "nothing chosen yet");
    assert!(!has(&root, "input[name='act-path']:checked"));
    let html = root.inner_html();
    let at = |id: &str| {
        html.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(at("act-token") < at("act-scan") && at("act-restore") < at("act-lost-device"));
    fill(&root, "#act-user-id", "bob");
    fill(&root, "#act-password", "Bob-Pass-2026!");
    click(&root, "#act-token");
    wait_for(&root, "#act-token-code").await;
    assert_eq!(
        text(&root, "label[for='act-token-code']"),
        "Code shown by your Token (6 digits)"
    );
    let order = root.inner_html();
    assert!(order.find("act-token-code") < order.find("act-pin"));
    fill(&root, "#act-token-code", "12345");
    fill(&root, "#act-pin", "482913");
    fill(&root, "#act-pin-confirm", "482913");
    fill(&root, "#act-device-name", "Bob's phone");
    click(&root, "#act-submit");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "The Token's code must be exactly 6 digits."
    );
    assert!(calls().is_empty());
    fill(&root, "#act-token-code", "123 456");
    click(&root, "#act-submit");
    wait_text(&root, "#form-error", |t| {
        t == "The Token's code is wrong. Attempts left: 4."
    })
    .await;
    assert_eq!(
        value(&root, "#act-device-name"),
        "Bob's phone",
        "what was typed stays"
    );
    fill(&root, "#act-token-code", "654321");
    click(&root, "#act-submit");
    wait_for(&root, "#pending").await;
    assert!(text(&root, "#pending-text").contains("+352 ••• ••• 002"));
    let calls = calls();
    assert_eq!(
        calls[1].2["credential"],
        serde_json::json!({ "token": "654321" })
    );
    assert_eq!(calls[1].2["password"], "Bob-Pass-2026!");
    assert!(calls[1].2.get("setup").is_none());
    let stored: PendingActivation =
        serde_json::from_str(&storage_item("tessera.pending_activation").expect("stored"))
            .expect("json");
    assert_eq!(stored.activation_id, "p-5");
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_scan_activation_answers_two_mosaics_without_a_password() {
    let (root, app) = fresh_app().await;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let first = serde_json::json!({ "challenge_id": "c-1", "challenge": "11112222", "expires_at": now + 300 });
    let second = serde_json::json!({ "challenge_id": "c-2", "challenge": "33334444", "expires_at": now + 300 });
    let activated = serde_json::json!({ "device_id": "d-8", "certificates": [] });
    stub(&[
        ("POST /v1/activation/scan", &[(200, first.to_string())]),
        ("POST /v1/activation", &[(200, second.to_string())]),
        (
            "POST /v1/activation/scan/confirm",
            &[
                (
                    401,
                    r#"{"code":"wrong_scan_response","message":"m","attempts_left":4}"#.into(),
                ),
                (201, activated.to_string()),
            ],
        ),
    ]);
    click(&root, "#btn-login");
    wait_for(&root, "#activate").await;

    // No user ID yet: the mosaic waits for it.
    click(&root, "#act-scan");
    wait_for(&root, "#btn-scan-start").await;
    assert!(calls().is_empty());
    click(&root, "#btn-scan-start");
    wait_for(&root, "#scan-error[role='alert']").await;
    assert!(text(&root, "#scan-error").starts_with("Enter your user ID first"));
    fill(&root, "#act-user-id", "dave");
    click(&root, "#btn-scan-start");

    // The first mosaic: a QR code of its challenge, its time, the Scan's code.
    wait_for(&root, "#scan-mosaic[data-challenge='11112222'] svg").await;
    assert!(has(&root, "#scan-mosaic [role='img'][aria-label]"));
    assert_eq!(text(&root, "#scan-challenge"), "1111 2222");
    let expiry = text(&root, "#scan-expiry[role='timer']");
    assert!(
        expiry.starts_with("Valid for 4:") || expiry == "Valid for 5:00",
        "{expiry}"
    );
    let hidden = element::<Element>(&root, "#act-password")
        .closest("[hidden]")
        .expect("a query");
    assert!(hidden.is_some(), "no password with a Scan");
    let order = root.inner_html();
    assert!(order.find("scan-response") < order.find("act-pin"));
    assert!(order.find("act-pin") < order.find("act-device-name"));
    fill(&root, "#scan-response", "135790");
    fill(&root, "#act-pin", "482913");
    fill(&root, "#act-pin-confirm", "482913");
    fill(&root, "#act-device-name", "Dave's phone");
    click(&root, "#act-submit");

    // The second mosaic, from this device's key.
    wait_for(&root, "#scan-confirm").await;
    sleep(100).await;
    assert_eq!(focused_id(), "scan-confirm-title");
    assert!(has(&root, "#scan-mosaic[data-challenge='33334444']"));
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "The Scan's code must be exactly 6 digits."
    );
    fill(&root, "#scan-response", "000111");
    click(&root, "#btn-next");
    wait_text(&root, "#form-error", |t| t.ends_with("Attempts left: 4.")).await;
    fill(&root, "#scan-response", "246801");
    click(&root, "#btn-next");
    wait_for(&root, "#certificate").await;
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Dave's phone")
    );

    let calls = calls();
    let body = |path: &str| -> Vec<serde_json::Value> {
        calls
            .iter()
            .filter(|(_, url, _)| url == path)
            .map(|(_, _, b)| b.clone())
            .collect()
    };
    assert_eq!(
        body("/v1/activation/scan"),
        [serde_json::json!({ "user_id": "dave" })]
    );
    let activation = &body("/v1/activation")[0];
    assert_eq!(activation["password"], "");
    assert_eq!(
        activation["credential"],
        serde_json::json!({ "scan": { "challenge_id": "c-1", "response": "135790" } })
    );
    assert_eq!(
        body("/v1/activation/scan/confirm")[1],
        serde_json::json!({ "challenge_id": "c-2", "response": "246801" })
    );
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn an_expired_second_mosaic_means_starting_again() {
    keystore::generate().await.expect("a key");
    let second = tessera_companion::lifecycle::ScanSecond {
        challenge: tessera_protocol::api::ScanChallenge {
            challenge_id: "c-2".into(),
            challenge: "33334444".into(),
            expires_at: 1,
        },
        user_id: "dave".into(),
        device_name: "Phone".into(),
    };
    stub(&[(
        "POST /v1/activation/scan/confirm",
        &[(410, r#"{"code":"challenge_expired","message":"m"}"#.into())],
    )]);
    let root = show_state(State {
        screen: Screen::ScanConfirm(Rc::new(second)),
        device: None,
        handled: vec![],
        pending: None,
    })
    .await;
    assert!(has(
        &root,
        "#scan-mosaic[data-expired='true'] #scan-expiry[role='alert']"
    ));
    fill(&root, "#scan-response", "246801");
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(text(&root, "#form-error"), "This mosaic has expired.");
    assert!(!has(&root, "#btn-next") && !has(&root, "#scan-response"));
    click(&root, "#btn-start-again");
    wait_for(&root, "#activate").await;
    assert!(
        !keystore::has_key().await,
        "the key for that activation is gone"
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_settings_show_the_certificate_change_the_pin_and_rename() {
    // The Notifications card asks the server whether push is on, whenever it mounts; that
    // call is its own test's, not one of the settings' changes counted here.
    let settings_calls = || {
        calls()
            .into_iter()
            .filter(|(_, url, _)| {
                !url.contains("/v1/device/push") && !url.contains("/v1/device/offline-key")
            })
            .collect::<Vec<_>>()
    };
    clear_storage();
    let fixture = tessera_protocol::testkit::Fixture::default();
    stub(&[
        (
            "POST /v1/device/pin",
            &[
                (
                    401,
                    r#"{"code":"wrong_pin","message":"m","attempts_left":4}"#.into(),
                ),
                (204, String::new()),
            ],
        ),
        ("POST /v1/device/name", &[(204, String::new())]),
    ]);
    let root = show_state(State {
        screen: Screen::Settings,
        device: Some(Rc::new(Device {
            device_id: "d-0001".into(),
            user_id: "alice".into(),
            name: "Phone".into(),
            certificates: fixture.certificates.clone(),
        })),
        handled: vec![],
        pending: None,
    })
    .await;
    assert_eq!(focused_id(), "settings-title");

    // The certificate: subject, serial, issuer, validity and fingerprint.
    let cert = text(&root, "#settings-cert");
    for label in [
        "User ID",
        "Serial number",
        "Issued by",
        "Valid from",
        "Valid until",
        "SHA-256 fingerprint",
    ] {
        assert!(cert.contains(label), "{label} in {cert}");
    }
    assert!(cert.contains("alice"));

    // A new PIN: checked here, then by the server.
    for id in ["pin-old", "pin-new", "pin-new-confirm", "rename"] {
        assert!(has(&root, &format!("label[for='{id}']")), "label of #{id}");
    }
    fill(&root, "#pin-old", "482913");
    fill(&root, "#pin-new", "123456");
    fill(&root, "#pin-new-confirm", "123456");
    click(&root, "#btn-pin-change");
    wait_for(&root, "#pin-error:not([hidden])").await;
    assert!(text(&root, "#pin-error[role='alert']").starts_with("This PIN is too easy"));
    fill(&root, "#pin-new", "739154");
    fill(&root, "#pin-new-confirm", "739154");
    click(&root, "#btn-pin-change");
    wait_text(&root, "#pin-error", |t| t == "Wrong PIN. Attempts left: 4.").await;
    assert_eq!(value(&root, "#pin-new"), "739154", "what was typed stays");
    click(&root, "#btn-pin-change");
    wait_for(&root, "#pin-changed:not(:empty)").await;
    assert_eq!(
        text(&root, "#pin-changed[role='status']"),
        "Your PIN is changed. Use the new one from now on."
    );
    assert_eq!(value(&root, "#pin-old"), "", "PINs do not stay on screen");

    // A new name.
    assert_eq!(value(&root, "#rename"), "Phone");
    fill(&root, "#rename", "  Work phone ");
    click(&root, "#btn-rename");
    wait_for(&root, "#rename-done:not(:empty)").await;
    assert_eq!(
        text(&root, "#rename-done"),
        "This device is now called \"Work phone\"."
    );
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Work phone")
    );
    // After the PIN change, the offline code's key is derived again with the new PIN.
    let offline: Vec<_> = calls()
        .into_iter()
        .filter(|(_, url, _)| url.contains("/v1/device/offline-key"))
        .collect();
    assert_eq!(offline.len(), 1, "{offline:?}");
    assert_eq!(offline[0].2["pin"], "739154");
    let calls = settings_calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[2].2, serde_json::json!({ "name": "Work phone" }));
    assert_eq!(
        calls[1].2,
        serde_json::json!({ "old_pin": "482913", "new_pin": "739154" })
    );

    // Geolocation: off by default, said what it does, and kept once turned on or off.
    let geolocation: HtmlInputElement = element(&root, "#toggle-geolocation[role='switch']");
    assert!(!geolocation.disabled() && !geolocation.checked());
    assert_eq!(storage_item("tessera.geolocation"), None);
    assert!(text(&root, "#toggle-geolocation-note").contains("about 10 km"));
    click(&root, "#toggle-geolocation");
    wait_for(&root, "#toggle-geolocation[data-state='on']").await;
    assert_eq!(storage_item("tessera.geolocation").as_deref(), Some("on"));
    click(&root, "#toggle-geolocation");
    wait_for(&root, "#toggle-geolocation[data-state='off']").await;
    assert_eq!(storage_item("tessera.geolocation").as_deref(), Some("off"));

    // Biometrics: off, a working switch that first asks for the PIN (checked here for its
    // shape, nothing sent); the platform prompt itself is the e2e test's (Chromium's
    // virtual authenticator).
    let bio: HtmlInputElement = element(&root, "#toggle-biometrics[role='switch']");
    assert!(!bio.disabled() && !bio.checked());
    assert_eq!(
        text(&root, "#bio-state[role='status']"),
        "Biometrics are off: approvals ask for your PIN."
    );
    assert!(
        !has(&root, "#bio-pin"),
        "no PIN field until the switch is used"
    );
    click(&root, "#toggle-biometrics");
    wait_for(&root, "#bio-pin").await;
    fill(&root, "#bio-pin", "4829");
    click(&root, "#btn-bio-enable");
    wait_for(&root, "#bio-error:not([hidden])").await;
    assert_eq!(settings_calls().len(), 3, "a malformed PIN is not sent");
    click(&root, "#toggle-biometrics");
    wait_for(&root, "#biometrics:not(:has(#bio-pin))").await;

    // Support; version.
    assert_eq!(
        element::<Element>(&root, "#support-phone")
            .get_attribute("href")
            .as_deref(),
        Some("tel:+35224550550")
    );
    assert_eq!(text(&root, "#support-phone"), "+352 24 550 550");
    assert_eq!(text(&root, "#support-email"), "helpdesk@tessera.example");
    assert_eq!(
        text(&root, "#support-hours"),
        "Monday to Friday, 8:00–18:00"
    );
    assert_eq!(text(&root, "#app-version"), env!("CARGO_PKG_VERSION"));
    assert!(has(&root, "#btn-devices") && has(&root, "#btn-backup"));
    unstub_fetch();
    clear_storage();
    root.remove();
}

#[wasm_bindgen_test]
async fn home_leads_to_the_settings() {
    let root = show(Screen::Home).await;
    assert_eq!(text(&root, "#btn-settings"), "Settings");
    click(&root, "#btn-settings");
    wait_for(&root, "#settings").await;
    click(&root, "#btn-back");
    wait_for(&root, "#home").await;
    root.remove();
}
