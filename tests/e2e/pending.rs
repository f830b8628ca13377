//! One pending request per user (issue 17): a second page pushing to the same user
//! cancels the first page's request, which says a newer request replaced it (its own
//! reason code, `superseded`), and the phone moves on to the newest.
use tessera_e2e::*;

/// The session id in a QR link (`…/companion/#/scan/<session>/<t>/<code>`).
fn session_of(link: &str) -> String {
    link.split("/scan/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a scan link")
        .to_owned()
}

/// Shows the bank's login widget and pushes it to alice; returns its session id.
async fn push_to_alice(desktop: &Browser, server: &Server) -> String {
    let link = show_qr(desktop, &server.bank_url()).await;
    desktop.type_into("#tessera-user-id", "alice").await;
    desktop.click("#tessera-push").await;
    desktop.find("#tessera-number").await;
    session_of(&link)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_request_replaces_the_waiting_one_on_the_page_and_the_phone() {
    let server = Server::start(180);
    let (older, newer, phone) = (
        Browser::desktop().await,
        Browser::desktop().await,
        Browser::phone().await,
    );
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;

    let first = push_to_alice(&older, &server).await;
    phone.wait_attr("#request", "data-session", &first).await;
    phone.find("[id^='number-']").await;

    // Another page (another tab, or someone else) pushes to alice: the first request is
    // cancelled and its page says why.
    let second = push_to_alice(&newer, &server).await;
    older
        .wait_attr("#tessera-status", "data-state", "cancelled")
        .await;
    assert_eq!(
        older
            .attr("#tessera-status", "data-reason")
            .await
            .as_deref(),
        Some("superseded")
    );
    assert!(
        older
            .text("#tessera-status")
            .await
            .contains("A newer request replaced this one"),
        "{}",
        older.text("#tessera-status").await
    );
    older.screenshot("widget-superseded").await;
    older.axe("widget: cancelled (superseded)").await;

    // The phone shows only the newest; answering it logs the second page in.
    phone.wait_attr("#request", "data-session", &second).await;
    pick_number(&newer, &phone).await;
    approve_on_phone(&phone).await;
    expect_logged_in(&newer, "alice").await;
    // The first page can start again.
    older.find("#tessera-new-qr").await;
    older.close().await;
    newer.close().await;
    phone.close().await;
}
