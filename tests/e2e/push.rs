//! Web Push to the closed companion, and the companion as an installable app that opens
//! offline (issue 16; docs/PUSH.md says what this covers and what only a real phone can).
use serde_json::{Value, json};
use tessera_e2e::push::PushService;
use tessera_e2e::*;

/// Activates `user` on the phone, turns notifications on from the Home card and waits
/// until Settings says they are on; returns the service worker's scope.
async fn activate_with_notifications(phone: &Browser, server: &Server, user: &DemoUser) -> String {
    activate(phone, server, user).await;
    phone.click("#btn-continue").await;
    phone.wait_attr("#push", "data-state", "off").await;
    phone.click("#btn-push").await;
    // On, the Home card goes (Settings keeps the switch).
    phone.find("#home").await;
    phone.click("#btn-settings").await;
    phone.wait_attr("#push", "data-state", "on").await;
    phone
        .wait_text("#push-state", "even when Tessera is closed")
        .await;
    format!("{}/companion/", server.url())
}

/// Closes the companion's tab: the browser keeps one blank tab, no page of `origin`, which
/// may still show notifications.
async fn close_the_companion(phone: &Browser, origin: &str) {
    let companion = phone.client.window().await.expect("the companion's tab");
    let blank = phone
        .client
        .new_window(true)
        .await
        .expect("a new tab")
        .handle;
    phone
        .client
        .switch_to_window(companion)
        .await
        .expect("back to the companion");
    phone.client.close_window().await.expect("the tab closes");
    phone
        .client
        .switch_to_window(blank)
        .await
        .expect("to the blank tab");
    let tabs = phone.client.windows().await.expect("the tabs");
    assert_eq!(tabs.len(), 1, "only the blank tab is left");
    // The permission was the closed tab's DevTools session's (what chromedriver can
    // grant); a user's stays.
    phone.allow_notifications(origin).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_login_reaches_the_closed_companion_as_a_notification() {
    let server = Server::start_with_loopback_push(180);
    let mut push_service = PushService::start().await;
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    phone
        .allow_push(&server.url(), &push_service.endpoint())
        .await;
    let scope = activate_with_notifications(&phone, &server, &DEMO_USERS[0]).await;
    let registration = phone.service_worker_registration(&scope).await;
    let key = phone.application_server_key().await;
    assert_eq!(key.len(), 87, "a P-256 public key in base64url: {key:?}");
    push_service.subscribed_with(key);
    close_the_companion(&phone, &server.url()).await;

    desktop.goto(&server.bank_url()).await;
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.type_into("#tessera-user-id", "alice").await;
    desktop.click("#tessera-push").await;

    // What the server sent, as the push service checked and decrypted it: the session
    // and who asks, never the details.
    let plaintext = push_service.next().await;
    let message: Value = serde_json::from_str(&plaintext).expect("the push is JSON");
    assert_eq!(message["partner"], "Demo Bank", "{message}");
    assert_eq!(message["kind"], "login", "{message}");
    assert_eq!(message["lang"], "en", "{message}");
    let session = message["session"].as_str().expect("a session").to_string();
    assert!(
        !plaintext.contains("alice"),
        "the push names no user: {plaintext}"
    );

    // The browser's push service hands it on; the service worker wakes with no page open.
    phone
        .deliver_push(&server.url(), &registration, &plaintext)
        .await;
    // A document of the origin outside the companion's scope, so no client of its worker
    // (the server's stylesheet: its root has no page), reads what the worker shows.
    phone.goto(&format!("{}/pages.css", server.url())).await;
    let shown = phone.notifications(&scope).await;
    let expected_url = format!("/companion/#open={session}");
    assert_eq!(
        shown,
        vec![json!({
            "title": "Demo Bank asks you to log in",
            "body": "Open Tessera to check the request and answer it.",
            "tag": session,
            "url": expected_url,
        })],
        "the notification"
    );

    // Tapping it opens its link (no DevTools command clicks a notification): the request.
    phone.goto(&format!("{}{expected_url}", server.url())).await;
    phone.find("#request").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "opened")
        .await;
    pick_number(&desktop, &phone).await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_companion_installs_and_opens_offline() {
    let mut server = Server::start(180);
    let phone = Browser::phone().await;
    activate(&phone, &server, &DEMO_USERS[1]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;
    let device = phone.text("#device-name").await;
    phone.wait_for_service_worker_control().await;

    // Installable: Chromium finds nothing missing, and the manifest says what the home
    // screen shows.
    let errors = phone
        .cdp_answer("Page.getInstallabilityErrors", json!({}))
        .await;
    assert_eq!(errors["installabilityErrors"], json!([]), "{errors}");
    let manifest = phone.cdp_answer("Page.getAppManifest", json!({})).await;
    assert_eq!(manifest["errors"], json!([]), "{manifest}");
    assert!(
        manifest["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/companion/manifest.webmanifest")),
        "{manifest}"
    );
    let data: Value = serde_json::from_str(manifest["data"].as_str().unwrap_or_default())
        .expect("the manifest is JSON");
    assert_eq!(data["name"], "Tessera", "{data}");
    assert_eq!(data["display"], "standalone", "{data}");
    let sizes: Vec<&str> = data["icons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|icon| icon["sizes"].as_str())
        .collect();
    assert!(
        sizes.contains(&"192x192") && sizes.contains(&"512x512"),
        "{data}"
    );

    // Offline: the browser has no network and the server is gone; a reload still opens
    // the companion from its service worker, with this phone's data and a clear word.
    phone.go_offline().await;
    server.kill();
    phone.client.refresh().await.expect("the page reloads");
    phone.find("#home").await;
    assert_eq!(phone.text("#device-name").await, device);
    phone.wait_text("#offline", "You are offline").await;
    phone.click("#btn-cert").await;
    phone.find("#cert-details").await;
    phone.axe("companion: offline").await;
    phone.close().await;
}
