//! Root rotation in the browser (issue 17), like the issuer's: before, during and after.
//! Tessera keeps running throughout; the Demo Bank pins the next root as soon as it is
//! announced (its configuration, re-read at its restart), and its widget and backend
//! verify devices of both roots; a bank that pinned only the old root refuses the devices
//! of the new one in the browser.
use tessera_e2e::*;

/// `user`'s phone logs in on the bank by QR; the widget and the bank verify it.
async fn logs_in(desktop: &Browser, phone: &Browser, server: &Server, user: &str) {
    let link = fresh_qr(desktop, server).await;
    open_scanned(phone, &link).await;
    approve_on_phone(phone).await;
    expect_logged_in(desktop, user).await;
}

/// The bank's login page loaded anew (not a same-document hash change) and its QR link.
async fn fresh_qr(desktop: &Browser, server: &Server) -> String {
    desktop.goto("about:blank").await;
    show_qr(desktop, &server.bank_url()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_root_rotation_keeps_every_device_logging_in_where_the_next_root_is_pinned() {
    let mut server = Server::start(180);
    let (desktop, alice, bob) = (
        Browser::desktop().await,
        Browser::phone().await,
        Browser::phone().await,
    );
    activate(&alice, &server, &DEMO_USERS[0]).await;
    let first_root = server.root_key();

    // Before.
    logs_in(&desktop, &alice, &server, "alice").await;

    // During: the next root is announced; the bank pins both.
    let said = server.cli("rotate-root", &[]);
    assert!(said.contains("announced"), "{said}");
    let both = server.cli("root-key", &["--all"]);
    assert_eq!(both.lines().count(), 2, "{both}");
    assert_eq!(both.lines().next(), Some(first_root.as_str()));
    server.bank_pins(&both);
    logs_in(&desktop, &alice, &server, "alice").await;

    // After: the next root certifies new devices; both kinds log in.
    server.cli("rotate-root", &["--activate"]);
    activate(&bob, &server, &DEMO_USERS[1]).await;
    logs_in(&desktop, &bob, &server, "bob").await;
    logs_in(&desktop, &alice, &server, "alice").await;

    // A bank that never pinned the next root: its widget refuses bob's approval.
    server.bank_pins(&first_root);
    let link = fresh_qr(&desktop, &server).await;
    open_scanned(&bob, &link).await;
    approve_on_phone(&bob).await;
    desktop
        .wait_attr("#tessera-status", "data-error", "untrusted_root")
        .await;
    desktop.screenshot("widget-untrusted-root").await;
    for browser in [desktop, alice, bob] {
        browser.close().await;
    }
}
