//! The device lifecycle: activation paths, replace, restore, devices, backup.
use super::*;

#[wasm_bindgen_test]
async fn the_activation_form_offers_three_paths_and_keeps_the_code_path() {
    let root = show(Screen::Activate(Some(Path::Code))).await;
    assert_eq!(focused_id(), "act-user-id");
    for id in [
        "act-user-id",
        "act-password",
        "act-code",
        "act-pin",
        "act-pin-confirm",
        "act-device-name",
        "act-submit",
    ] {
        assert!(has(&root, &format!("#{id}")), "#{id}");
        if id != "act-submit" {
            assert!(has(&root, &format!("label[for='{id}']")), "label of #{id}");
        }
    }
    assert!(element::<HtmlInputElement>(&root, "#act-with-code").checked());
    assert_eq!(
        text(&root, "label[for='act-lost-device']"),
        "I no longer have my device"
    );
    assert_eq!(
        text(&root, "#act-path legend"),
        "How do you add this device?"
    );
    let html = root.inner_html();
    let at = |id: &str| {
        html.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(
        at("act-password") < at("act-with-code"),
        "the path after the password"
    );
    assert!(at("act-with-code") < at("act-code") && at("act-code") < at("act-pin"));

    // "I no longer have my device": the security code instead of the activation code.
    fill(&root, "#act-user-id", "alice");
    click(&root, "#act-lost-device");
    sleep(100).await;
    assert!(!has(&root, "#act-code"));
    let code: HtmlInputElement = element(&root, "#act-security-code");
    assert_eq!(code.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert_eq!(
        text(&root, "label[for='act-security-code']"),
        "Security code (8 digits)"
    );
    fill(&root, "#act-password", "pw");
    fill(&root, "#act-security-code", "1234567");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    fill(&root, "#act-device-name", "New phone");
    click(&root, "#act-submit");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "The security code must be exactly 8 digits."
    );
    assert_eq!(
        value(&root, "#act-user-id"),
        "alice",
        "what was typed stays"
    );

    // "Restore from a backup": the file first; the PIN comes after the confirmation.
    click(&root, "#act-restore");
    sleep(100).await;
    assert!(has(&root, "#restore-file[type='file']"));
    assert!(has(&root, "label[for='restore-file']"));
    assert!(!has(&root, "#act-pin") && !has(&root, "#act-submit"));
    click(&root, "#act-with-code");
    sleep(100).await;
    assert!(has(&root, "#act-code") && has(&root, "#act-pin"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_lost_device_with_two_devices_replaces_one() {
    let (root, app) = fresh_app().await;
    let limit = serde_json::json!({
        "code": "device_limit",
        "message": "m",
        "devices": [
            summary("d-1", "Old phone", DeviceStatus::Active, Some(1_795_600_000)),
            summary("d-2", "Tablet", DeviceStatus::Suspended, None),
        ],
    });
    let activated = serde_json::json!({ "device_id": "d-3", "certificates": [] });
    stub(&[(
        "POST /v1/activation",
        &[(409, limit.to_string()), (201, activated.to_string())],
    )]);
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    fill(&root, "#act-user-id", "alice");
    fill(&root, "#act-password", "Tessera-Demo-1!");
    click(&root, "#act-lost-device");
    sleep(100).await;
    fill(&root, "#act-security-code", "1234 5678");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    fill(&root, "#act-device-name", "New phone");
    click(&root, "#act-submit");

    wait_for(&root, "#replace").await;
    sleep(100).await;
    assert_eq!(focused_id(), "replace-title");
    assert!(has(&root, "input[type='radio']#replace-d-1"));
    assert!(text(&root, "label[for='replace-d-1']").contains("Old phone"));
    assert!(text(&root, "label[for='replace-d-2']").contains("Last used: never used"));
    click(&root, "#btn-replace");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Pick the device to replace."
    );
    click(&root, "#replace-d-2");
    click(&root, "#btn-replace");
    wait_for(&root, "#certificate").await;
    assert!(has(&root, "#cert-details"));
    assert_eq!(storage_item("tessera.device_id").as_deref(), Some("d-3"));
    assert!(
        keystore::has_key().await,
        "the key made for the first try serves"
    );

    let calls = calls();
    // The two activation tries, then the offline code's key (issue 17).
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[2].1, "/v1/device/offline-key", "{calls:?}");
    assert_eq!(calls[2].2["pin"], "246810");
    let (first, second) = (&calls[0].2, &calls[1].2);
    assert_eq!(
        first["credential"],
        serde_json::json!({ "security_code": "12345678" })
    );
    assert!(first.get("replace_device_id").is_none());
    assert_eq!(second["replace_device_id"], "d-2");
    assert_eq!(first["public_key"], second["public_key"]);
    assert_eq!(first["proof"], second["proof"]);
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn the_replace_screen_can_be_cancelled() {
    let replace = Replace {
        retry: Retry(Rc::new(ActivationRequest {
            user_id: "alice".into(),
            password: "pw".into(),
            credential: Credential::ActivationCode("AB12C".into()),
            pin: "246810".into(),
            device_name: "New".into(),
            public_key: "pk".into(),
            proof: "p".into(),
            replace_device_id: None,
            setup: None,
        })),
        devices: vec![summary("d-1", "Old phone", DeviceStatus::Active, None)],
    };
    let root = show_state(State {
        screen: Screen::Replace(Rc::new(replace)),
        device: None,
        handled: vec![],
        pending: None,
    })
    .await;
    assert_eq!(text(&root, "#replace-title"), "Replace a device");
    assert!(text(&root, "#replace-text").contains("2 devices"));
    click(&root, "#btn-replace-cancel");
    wait_for(&root, "#welcome").await;
    root.remove();
}

/// A backup of alice's, in Dutch, encrypted under `password`.
fn backup_file(password: &str) -> (Contents, String) {
    let contents = Contents::new(
        "alice",
        "Alice's phone",
        "nl",
        "cmVzdG9yZS1zZWNyZXQ",
        1_795_564_800,
    );
    let text = backup::encrypt(&contents, password).expect("encrypts");
    (contents, text)
}

#[wasm_bindgen_test]
async fn a_restore_opens_the_backup_waits_for_the_sms_and_finishes_from_the_link() {
    let (root, app) = fresh_app().await;
    let (contents, file) = backup_file("Tessera-Demo-1!");
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let pending = serde_json::json!({
        "activation_id": "p-1", "phone_hint": "+352 ••• ••• 001", "expires_at": now + 21_600,
    });
    let activated = serde_json::json!({ "device_id": "d-7", "certificates": [] });
    stub(&[
        ("POST /v1/activation", &[(202, pending.to_string())]),
        (
            "POST /v1/activation/confirm",
            &[(201, activated.to_string())],
        ),
    ]);
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    fill(&root, "#act-user-id", "alice");
    click(&root, "#act-restore");
    sleep(100).await;

    // Without the password, then with a wrong one: refused, with a reason.
    set_file("restore-file", &file, "tessera-backup-alice.json");
    wait_for(&root, "#restore-error[role='alert']").await;
    assert_eq!(
        text(&root, "#restore-error"),
        "Enter your password first: it opens the backup."
    );
    fill(&root, "#act-password", "Wrong-password");
    click(&root, "#btn-restore-open");
    wait_text(&root, "#restore-error", |t| {
        t.starts_with("This password does not open the backup.")
    })
    .await;

    // The right password: what the backup holds, then the confirmation.
    fill(&root, "#act-password", "Tessera-Demo-1!");
    click(&root, "#btn-restore-open");
    wait_for(&root, "#restore-contents").await;
    sleep(100).await;
    assert_eq!(focused_id(), "restore-title");
    let shown = text(&root, "#restore-contents");
    assert!(
        shown.contains("alice") && shown.contains("Alice's phone") && shown.contains("Nederlands"),
        "{shown}"
    );
    assert!(!has(&root, "#act-pin"));
    click(&root, "#btn-restore-confirm");
    wait_for(&root, "#act-pin").await;
    sleep(100).await;
    assert_eq!(focused_id(), "act-pin");
    assert_eq!(value(&root, "#act-device-name"), "Alice's phone");
    assert_eq!(document_lang(), "nl", "the backup's language");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    click(&root, "#act-submit");

    // The SMS: its link works for 6 hours, the app may be closed meanwhile.
    wait_for(&root, "#pending").await;
    sleep(100).await;
    assert_eq!(focused_id(), "pending-title");
    assert!(text(&root, "#pending-text").contains("+352 ••• ••• 001"));
    let stored: PendingActivation =
        serde_json::from_str(&storage_item("tessera.pending_activation").expect("stored"))
            .expect("json");
    assert_eq!(
        (stored.activation_id.as_str(), stored.user_id.as_str()),
        ("p-1", "alice")
    );
    let sent = &calls()[0].2;
    assert_eq!(
        sent["credential"],
        serde_json::json!({ "backup": contents.restore_secret })
    );
    app.destroy();
    root.remove();

    // The link opens the app again: it finishes and shows the certificate.
    set_hash("#/confirm/p-1/tok-en_1");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#certificate").await;
    let confirm = calls()
        .into_iter()
        .find(|(_, url, _)| url == "/v1/activation/confirm")
        .expect("confirmed");
    assert_eq!(
        confirm.2,
        serde_json::json!({ "activation_id": "p-1", "token": "tok-en_1" })
    );
    assert_eq!(storage_item("tessera.device_id").as_deref(), Some("d-7"));
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Alice's phone")
    );
    assert_eq!(storage_item("tessera.pending_activation"), None);
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert_eq!(hash, "", "the secret leaves the address bar");
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_link_from_elsewhere_or_expired_is_explained() {
    // No restore started in this browser.
    keystore::delete_key().await;
    clear_storage();
    set_hash("#/confirm/p-9/tok");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#problem[data-problem='link_elsewhere']").await;
    assert!(text(&root, "#form-error[role='alert']").contains("where you started the activation"));
    assert_eq!(text(&root, "h1"), "The activation could not be finished");
    app.destroy();
    root.remove();

    // Started here, but the server says the link has expired.
    let pending = PendingActivation {
        activation_id: "p-2".into(),
        user_id: "alice".into(),
        device_name: "Phone".into(),
        phone_hint: "+352 ••• ••• 001".into(),
        expires_at: 1,
    };
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
        .set_item("tessera.pending_activation", &json(&pending))
        .expect("stored");
    keystore::generate().await.expect("a key");
    stub(&[(
        "POST /v1/activation/confirm",
        &[(
            410,
            r#"{"code":"activation_link_expired","message":"m"}"#.into(),
        )],
    )]);
    set_hash("#/confirm/p-2/tok");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#problem[data-problem='link_expired']").await;
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    assert_eq!(storage_item("tessera.pending_activation"), None);
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_pending_restore_says_where_the_sms_went() {
    let pending = PendingActivation {
        activation_id: "p-1".into(),
        user_id: "alice".into(),
        device_name: "Phone".into(),
        phone_hint: "+352 ••• ••• 001".into(),
        expires_at: (js_sys::Date::now() / 1000.0) as u64 + 3600,
    };
    let root = show(Screen::Pending(Rc::new(pending.clone()))).await;
    assert_eq!(
        text(&root, "#pending-text"),
        "We sent a link by SMS to +352 ••• ••• 001. Open it on this phone to finish; it works for 6 hours. You may close the app meanwhile."
    );
    assert!(text(&root, "#pending-until").starts_with("The link works until"));
    assert_eq!(focused_id(), "pending-title");
    root.remove();
    let expired = PendingActivation {
        expires_at: 1,
        ..pending
    };
    let root = show(Screen::Pending(Rc::new(expired))).await;
    assert!(has(
        &root,
        "#pending[data-expired='true'] #pending-expired[role='alert']"
    ));
    assert!(has(&root, "#btn-start-again"));
    root.remove();
}

#[wasm_bindgen_test]
async fn my_devices_suspend_and_remove_after_a_confirmation() {
    let devices = vec![
        summary("d-1", "Phone", DeviceStatus::Active, Some(1_795_600_000)),
        summary("d-2", "Tablet", DeviceStatus::Active, None),
    ];
    let removed = vec![
        devices[0].clone(),
        DeviceSummary {
            status: DeviceStatus::Revoked,
            ..devices[1].clone()
        },
    ];
    stub(&[
        ("GET /v1/device/devices", &[(200, json(&devices))]),
        (
            "POST /v1/device/devices/d-2/remove",
            &[(200, json(&removed))],
        ),
        (
            "POST /v1/device/devices/d-1/remove",
            &[(200, json(&removed[1..]))],
        ),
    ]);
    let root = show(Screen::Devices).await;
    wait_for(&root, "#device-list").await;
    assert_eq!(focused_id(), "devices-title");
    assert!(text(&root, "#device-d-1").contains("(this device)"));
    assert!(!text(&root, "#device-d-2").contains("(this device)"));
    assert!(text(&root, "#device-d-2").contains("Last used: never used"));
    assert!(text(&root, "#device-d-1").contains("Active"));
    assert!(has(&root, "#suspend-d-1") && has(&root, "#remove-d-2"));
    assert!(has(&root, "#btn-backup"));

    // Remove the tablet: the question says it is final; nothing happens before "yes".
    click(&root, "#remove-d-2");
    wait_for(&root, "#confirm-action").await;
    sleep(50).await;
    assert_eq!(focused_id(), "confirm-question");
    assert!(text(&root, "#confirm-question").contains("This is final"));
    assert_eq!(calls().len(), 1, "only the list was fetched");
    click(&root, "#btn-cancel-action");
    sleep(100).await;
    assert!(!has(&root, "#confirm-action"));
    assert_eq!(focused_id(), "remove-d-2", "back where the user was");
    click(&root, "#remove-d-2");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#device-d-2:not(:has(#remove-d-2))").await;
    assert_eq!(
        text(&root, "#devices-status[role='status']"),
        "\"Tablet\" is removed."
    );
    assert!(text(&root, "#device-d-2").contains("Removed"));

    // Suspending explains that only the helpdesk resumes.
    click(&root, "#suspend-d-1");
    wait_for(&root, "#confirm-action").await;
    assert!(text(&root, "#confirm-question").contains("Only the helpdesk can resume it"));
    assert!(text(&root, "#confirm-question").contains("This is the device you are using"));
    click(&root, "#btn-cancel-action");
    sleep(50).await;

    // Removing this device forgets it here: back to the welcome screen.
    keystore::generate().await.expect("a key");
    click(&root, "#remove-d-1");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#welcome").await;
    assert!(!keystore::has_key().await, "the key is deleted");
    assert_eq!(storage_item("tessera.device_id"), None);
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_conflict_on_the_devices_screen_is_explained() {
    let devices = vec![summary("d-1", "Phone", DeviceStatus::Active, None)];
    stub(&[
        ("GET /v1/device/devices", &[(200, json(&devices))]),
        (
            "POST /v1/device/devices/d-1/suspend",
            &[(409, r#"{"code":"device_unchanged","message":"m"}"#.into())],
        ),
    ]);
    let root = show(Screen::Devices).await;
    wait_for(&root, "#suspend-d-1").await;
    click(&root, "#suspend-d-1");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "That device's state has already changed. Check the list again."
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_backup_is_encrypted_here_and_offered_for_download() {
    let issued = serde_json::json!({
        "user_id": "alice", "restore_secret": "cmVzdG9yZS1zZWNyZXQ", "created_at": 1_795_564_800u64,
    });
    stub(&[("POST /v1/device/backup", &[(201, issued.to_string())])]);
    let root = show(Screen::Backup).await;
    assert_eq!(focused_id(), "backup-title");
    assert!(text(&root, "#backup-intro").contains("never your private key"));
    assert!(has(&root, "label[for='backup-password']"));
    click(&root, "#btn-backup-create");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Enter your password."
    );
    assert!(calls().is_empty(), "no secret asked for without a password");
    fill(&root, "#backup-password", "Tessera-Demo-1!");
    click(&root, "#btn-backup-create");
    wait_for(&root, "#download-backup").await;
    sleep(100).await;
    assert_eq!(focused_id(), "backup-ready-text");
    let link: Element = element(&root, "a#download-backup");
    assert_eq!(
        link.get_attribute("download").as_deref(),
        Some("tessera-backup-alice.json")
    );
    let href = link.get_attribute("href").expect("a link");
    let encoded = href
        .strip_prefix("data:application/json;charset=utf-8,")
        .expect("a data URL");
    let file = String::from(js_sys::decode_uri_component(encoded).expect("percent-encoded"));
    assert!(file.contains("\"format\": \"tessera-backup/1\""), "{file}");
    assert!(
        !file.contains("cmVzdG9yZS1zZWNyZXQ"),
        "the secret is encrypted"
    );
    let contents = backup::decrypt(&file, "Tessera-Demo-1!").expect("opens with the password");
    assert_eq!(
        contents,
        Contents::new("alice", "Phone", "en", "cmVzdG9yZS1zZWNyZXQ", 1_795_564_800)
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn home_leads_to_my_devices() {
    let root = show(Screen::Home).await;
    assert_eq!(text(&root, "#btn-devices"), "My devices");
    stub(&[("GET /v1/device/devices", &[(200, "[]".into())])]);
    click(&root, "#btn-devices");
    wait_for(&root, "#devices").await;
    unstub_fetch();
    root.remove();
}
