//! Two instances of one deployment on one PostgreSQL (docs/DEPLOYMENT.md): the Demo Bank's
//! widget talks to the first, the phone's companion to the second, as a load balancer
//! without sticky sessions may send them. PostgreSQL is the test command's
//! (scripts/postgres.sh) or, without one, a throw-away cluster of the test's own.
use tessera_e2e::*;

/// The scanned link, opened on `instance` instead: the companion there talks to it only
/// (its API paths are relative to the page).
fn on_instance(link: &str, widget_side: &Server, instance: &Server) -> String {
    let rest = link
        .strip_prefix(&widget_side.url())
        .unwrap_or_else(|| panic!("the QR links to the widget's Tessera: {link}"));
    format!("{}{rest}", instance.url())
}

/// Two instances on one PostgreSQL, alice's phone activated on the second; the widget on
/// the bank's page (which talks to the first) shows a QR, the phone scans it on the
/// second, and the widget's stream on the first hears of it.
struct Scanned {
    desktop: Browser,
    phone: Browser,
    one: Server,
    /// Kept for their Drop: the second instance and PostgreSQL stop with them.
    _two: Server,
    _postgres: Postgres,
}

async fn scanned_on_the_other_instance() -> Scanned {
    let postgres = Postgres::configured_or_started();
    let one = Server::start_on(&postgres, 180);
    let two = one.another_instance();
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &two, &DEMO_USERS[0]).await;
    let link = show_qr(&desktop, &one.bank_url()).await;
    open_scanned(&phone, &on_instance(&link, &one, &two)).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    Scanned {
        desktop,
        phone,
        one,
        _two: two,
        _postgres: postgres,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_with_the_widget_on_one_instance_and_the_phone_on_the_other() {
    // Kept whole until the end: the servers and PostgreSQL stop when it is dropped.
    let scanned = scanned_on_the_other_instance().await;
    approve_on_phone(&scanned.phone).await;
    expect_logged_in(&scanned.desktop, "alice").await;
    scanned.desktop.close().await;
    scanned.phone.close().await;
}

/// The widget's instance dies (SIGKILL) once the phone has scanned. The approval the phone
/// then sends to the other instance is kept in the database; the widget cannot be told
/// while its instance is down, and stays waiting; when a new process takes the dead one's
/// place, the widget's event stream reconnects by itself, reads the approval, verifies it,
/// and the bank logs the user in. Nothing of the flow lived only in the dead process.
#[tokio::test(flavor = "multi_thread")]
async fn the_widgets_instance_killed_after_the_scan_the_login_still_completes() {
    let mut scanned = scanned_on_the_other_instance().await;
    let (desktop, phone) = (&scanned.desktop, &scanned.phone);
    scanned.one.kill_tessera();
    approve_on_phone(phone).await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-state")
            .await
            .as_deref(),
        Some("awaiting_pin"),
        "no instance could have told the widget"
    );

    scanned.one.respawn_tessera();
    expect_logged_in(&scanned.desktop, "alice").await;
    scanned.desktop.close().await;
    scanned.phone.close().await;
}
