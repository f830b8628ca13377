//! A server killed mid-flow loses nothing: the device and the pending session survive.
use tessera_e2e::*;

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_server_mid_flow_loses_nothing() {
    let mut server = Server::start(180);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;
    desktop.goto(&server.bank_url()).await;
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;

    server.restart();

    // The widget reconnects by itself; the QR it shows now still belongs to the session
    // created before the crash, and the phone's device is still known.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let link = desktop.attr("#tessera-qr", "data-qr-link").await.unwrap();
    open_scanned(&phone, &link).await;
    approve_on_phone(&phone).await;
    expect_logged_in(&desktop, "alice").await;
    desktop.close().await;
    phone.close().await;
}
