//! Issue 7, the partner's page: a plain HTML partner page (web/partner-example, built by
//! scripts/dist.sh into dist-partner-example/ with the widget from dist-widget/ only)
//! logs in through `Tessera.mount`. Nothing is faked: the page asks the Demo Bank's
//! backend for a session (`POST /bank/session`, which creates it with the partner API),
//! the widget verifies the phone's approval in wasm, and the page posts it to the
//! backend, which verifies it again (`POST /bank/login`). The page is served from the
//! Demo Bank's origin, the only origin its partner account may ask approvals for: the
//! test runs `tessera-demo-bank --web dist-partner-example` next to `tessera serve --demo`,
//! under the bank's strict Content-Security-Policy.
use std::{path::PathBuf, process::Command, time::Duration};

use tessera_e2e::*;

fn example_dir() -> PathBuf {
    workspace().join("dist-partner-example")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_html_partner_page_logs_in_through_the_js_api() {
    let site = Server::start_with_pages(180, example_dir());
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    let alice = &DEMO_USERS[0];
    activate(&phone, &site, alice).await;

    desktop.goto(&site.bank_url()).await;
    desktop.find("#partner-start").await;
    desktop.axe("partner example: idle").await;
    desktop.click("#partner-start").await;
    // The widget, mounted by the page's own script with the config its backend answered,
    // starts at once: no second click.
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    let link = desktop
        .attr("#tessera-qr", "data-qr-link")
        .await
        .expect("the QR carries its link");
    desktop.axe("partner example: QR shown").await;
    open_scanned(&phone, &link).await;
    assert_eq!(
        phone.text("#req-origin").await.trim(),
        site.bank_url().trim_end_matches('/')
    );
    approve_on_phone(&phone).await;
    desktop
        .wait_attr("#tessera-status", "data-state", "verified")
        .await;
    // onResult ran (after the wasm verification) and the backend verified it again.
    desktop
        .wait_attr("#partner-result", "data-state", "logged_in")
        .await;
    let welcome = desktop.text("#partner-result").await;
    assert!(welcome.contains("Welcome, alice"), "{welcome}");
    assert_eq!(
        desktop.attr("body", "data-csp-violations").await,
        None,
        "the partner page and the widget run under the strict CSP"
    );
    desktop.screenshot("partner-example-verified").await;
    desktop.axe("partner example: verified, logged in").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_custom_element_logs_in_by_push_and_dispatches_its_events() {
    let site = Server::start_with_pages(180, example_dir());
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    let alice = &DEMO_USERS[0];
    activate(&phone, &site, alice).await;
    phone.click("#btn-continue").await;

    // <tessera-login config-url="/bank/session">: the element asks the backend on the
    // click, and the push goes to alice's phone with a number to pick.
    desktop
        .goto(&format!("{}element.html", site.bank_url()))
        .await;
    desktop.find("tessera-login #tessera-start").await;
    desktop.axe("partner element page: idle").await;
    desktop.click("tessera-login #tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop
        .record_timings("dist-widget on a partner page (<tessera-login>)")
        .await;
    desktop.type_into("#tessera-user-id", alice.id).await;
    desktop.click("#tessera-push").await;
    phone.find("#request").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "opened")
        .await;
    desktop.axe("partner element page: number shown").await;
    pick_number(&desktop, &phone).await;
    approve_on_phone(&phone).await;
    // The tessera-result event reached the page, which had the backend verify it again.
    desktop
        .wait_attr("#partner-result", "data-state", "logged_in")
        .await;
    assert!(desktop.text("#partner-result").await.contains("alice"));
    assert_eq!(desktop.attr("body", "data-csp-violations").await, None);
    desktop.close().await;
    phone.close().await;
}

/// The partner's backend keeps its own record of the transfer it asked to confirm; this
/// changes the amount there, after the session was created, as a bug or an intruder in the
/// partner's database would.
fn change_recorded_amount(site: &Server, session_id: &str, amount_minor: u64) {
    let db = rusqlite::Connection::open(site.bank_database()).expect("the backend's database");
    db.busy_timeout(Duration::from_secs(5)).unwrap();
    let changed = db
        .execute(
            "UPDATE bank_sessions SET details = json_set(details, '$.transaction.amount_minor', ?2) \
             WHERE session_id = ?1",
            rusqlite::params![session_id, amount_minor],
        )
        .unwrap();
    assert_eq!(changed, 1, "the backend recorded session {session_id}");
}

/// Keeps the `detail` of each `tessera-result` and `tessera-error` event the page receives.
const ELEMENT_EVENTS: &str = "window.__events = []; \
    for (const type of ['tessera-result', 'tessera-error']) \
      document.addEventListener(type, (e) => window.__events.push([type, e.detail]));";

/// How a round of the confirm page goes.
#[derive(PartialEq, Clone, Copy, Debug)]
enum Round {
    /// By QR; the backend books it.
    Booked,
    /// By push (the number on screen); the backend's record changed meanwhile.
    AmountChanged,
    /// By QR; the user says no on the phone.
    Denied,
}

#[tokio::test(flavor = "multi_thread")]
async fn the_confirm_element_books_a_transfer_and_a_changed_amount_is_refused() {
    let site = Server::start_with_pages(180, example_dir());
    // Dark colours: the page follows prefers-color-scheme (tessera-theme-auto), so axe
    // checks the dark theme's contrast here.
    let (desktop, phone) = (Browser::desktop_dark().await, Browser::phone().await);
    activate(&phone, &site, &DEMO_USERS[0]).await;
    for round in [Round::Booked, Round::AmountChanged, Round::Denied] {
        let screen = |what: &str| format!("partner confirm page, dark: {what}");
        desktop
            .goto(&format!("{}confirm.html", site.bank_url()))
            .await;
        desktop
            .client
            .execute(ELEMENT_EVENTS, vec![])
            .await
            .expect("the listener installs");
        desktop.find("tessera-confirm #tessera-start").await;
        if round == Round::Booked {
            desktop.axe(&screen("idle")).await;
        }
        desktop.click("tessera-confirm #tessera-start").await;
        desktop
            .wait_attr("#tessera-status", "data-state", "pending")
            .await;
        // The element shows what the phone will show.
        desktop.wait_text("#tessera-details", "Zoë Müller").await;
        desktop.wait_text("#tessera-details", "1,250.00").await;
        let link = desktop
            .attr("#tessera-qr", "data-qr-link")
            .await
            .expect("the QR carries its link");
        let session_id = link.split('/').nth_back(2).expect("…/scan/{session}/…");
        if round == Round::AmountChanged {
            change_recorded_amount(&site, session_id, 12_500_000);
            phone.goto(&format!("{}/companion/", site.url())).await;
            phone.find("#home").await;
            desktop.type_into("#tessera-user-id", "alice").await;
            desktop.click("#tessera-push").await;
            phone.find("#request").await;
            desktop.find("#tessera-number").await;
            desktop.axe(&screen("number shown")).await;
            pick_number(&desktop, &phone).await;
        } else {
            desktop.axe(&screen("QR with the details")).await;
            desktop.screenshot("partner-confirm-dark-qr").await;
            open_scanned(&phone, &link).await;
        }
        assert!(phone.text("#req-amount").await.contains("1,250.00"));
        assert_eq!(phone.text("#req-payee").await.trim(), "Zoë Müller");
        if round == Round::Denied {
            phone.click("#btn-deny").await;
            desktop
                .wait_attr("#tessera-status", "data-state", "denied")
                .await;
            desktop.axe(&screen("denied")).await;
        } else {
            approve_on_phone(&phone).await;
            desktop
                .wait_attr("#tessera-status", "data-state", "verified")
                .await;
        }
        // The element told the page once: the result the widget verified, or the denial.
        let events = desktop
            .client
            .execute("return window.__events", vec![])
            .await
            .unwrap();
        let events = events.as_array().expect("a list");
        assert_eq!(events.len(), 1, "{events:?}");
        let (event, detail) = (&events[0][0], &events[0][1]);
        match round {
            Round::Denied => {
                assert_eq!(event, "tessera-error");
                assert_eq!(detail["code"], "denied");
                desktop
                    .wait_attr("#partner-result", "data-state", "error")
                    .await;
            }
            Round::Booked | Round::AmountChanged => {
                assert_eq!(event, "tessera-result");
                assert_eq!(detail["session_id"], session_id);
                assert_eq!(detail["user_id"], "alice");
                assert!(detail["result"]["approval"].is_string(), "{detail}");
            }
        }
        if round == Round::AmountChanged {
            // The phone approved 1,250.00; the backend's record now says 125,000.00.
            desktop
                .wait_attr("#partner-result", "data-state", "refused")
                .await;
            let said = desktop.text("#partner-result").await;
            assert!(said.contains("details_mismatch"), "{said}");
            desktop.axe(&screen("refused by the backend")).await;
        } else if round == Round::Booked {
            desktop
                .wait_attr("#partner-result", "data-state", "booked")
                .await;
            let said = desktop.text("#partner-result").await;
            assert!(
                said.contains("€1,250.00") && said.contains("Zoë Müller"),
                "{said}"
            );
            desktop.axe(&screen("booked")).await;
            desktop.screenshot("partner-confirm-dark-booked").await;
        }
    }
    assert_eq!(desktop.attr("body", "data-csp-violations").await, None);
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_wasm_is_refused_by_its_integrity_hash() {
    // A copy of the example whose .wasm lost one byte: the loader fetches it with its SRI
    // hash, the browser refuses it, and the page hears onError("load_failed").
    let dir = std::env::temp_dir().join(format!(
        "tessera-e2e-tampered-{}-{}",
        std::process::id(),
        free_port()
    ));
    let copy = Command::new("cp")
        .arg("-r")
        .arg(example_dir())
        .arg(&dir)
        .status()
        .expect("cp runs");
    assert!(copy.success());
    let wasm = std::fs::read_dir(dir.join("dist-widget"))
        .expect("dist-widget/ is there")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .expect("a .wasm");
    let mut bytes = std::fs::read(&wasm).expect("the wasm");
    bytes.pop();
    std::fs::write(&wasm, bytes).expect("written");
    // The server would send the intact compressed twins (scripts/precompress.sh) instead.
    for twin in ["br", "gz"] {
        let _ = std::fs::remove_file(wasm.with_extension(format!("wasm.{twin}")));
    }

    let site = Server::start_with_pages(180, dir.clone());
    let desktop = Browser::desktop().await;
    desktop.goto(&site.bank_url()).await;
    desktop.click("#partner-start").await;
    desktop
        .wait_attr("#partner-result", "data-state", "error")
        .await;
    let text = desktop.text("#partner-result").await;
    assert!(text.contains("load_failed"), "{text}");
    assert!(desktop.page_text().await.contains("Log in with Tessera"));
    desktop.close().await;
    drop(site);
    let _ = std::fs::remove_dir_all(&dir);
}
