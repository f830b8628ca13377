//! The companion's two parts (issue 19, crates/companion/src/part.rs): the daily part at
//! /companion/ (home, requests) hands a browser without a device, and the rare
//! screens, to the setup part at /companion/setup/, through the storage both read.
use tessera_e2e::*;

/// The path of the page the phone shows.
async fn path(phone: &Browser) -> String {
    phone
        .client
        .current_url()
        .await
        .expect("the page's address")
        .path()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_part_hands_a_new_phone_and_its_settings_and_devices_to_the_setup_part() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    // No device: the daily page goes to the setup part before it loads a wasm.
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#welcome").await;
    assert_eq!(path(&phone).await, "/companion/setup/");

    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;

    // With a device, the daily part shows home itself…
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#home").await;
    let device = phone.text("#device-name").await;
    assert_eq!(path(&phone).await, "/companion/");
    // …and hands the settings over: the setup part opens on them, for the same device.
    phone.click("#btn-settings").await;
    phone.find("#btn-backup").await;
    assert_eq!(path(&phone).await, "/companion/setup/");
    phone.click("#btn-backup").await;
    phone.find("#backup-password").await;
    phone.axe("companion: backup, from the daily part").await;
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-devices").await;
    phone.find("#devices").await;
    assert_eq!(path(&phone).await, "/companion/setup/");
    assert!(
        phone.text("#devices").await.contains(&device),
        "the setup part lists this device"
    );
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.click("#btn-cert").await;
    phone.find("#cert-details").await;
    assert_eq!(path(&phone).await, "/companion/setup/");
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_the_daily_part_still_hands_over_to_the_cached_setup_part() {
    let server = Server::start(180);
    let phone = Browser::phone().await;
    activate(&phone, &server, &DEMO_USERS[1]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#home").await;
    phone.wait_for_service_worker_control().await;

    // The service worker cached both parts at install: offline, the daily page opens
    // from its cache, and so does the setup part it hands the certificate details to.
    phone.go_offline().await;
    phone.client.refresh().await.expect("the page reloads");
    phone.find("#home").await;
    phone.wait_text("#offline", "You are offline").await;
    assert_eq!(path(&phone).await, "/companion/");
    phone.click("#btn-cert").await;
    phone.find("#cert-details").await;
    assert_eq!(path(&phone).await, "/companion/setup/");
    phone.wait_text("#offline", "You are offline").await;
    phone.close().await;
}
