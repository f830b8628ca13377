//! Confirming a payment and signing a document on the phone (dynamic linking), number
//! matching, "This wasn't me", and everything that must be refused on the way.
use fantoccini::Locator;
use tessera_e2e::*;

const PAYEE: &str = "Zoë Müller";
const IBAN_GROUPED: &str = "LU28 0019 4006 4475 0000";

async fn open_transfer(desktop: &Browser, server: &Server) {
    desktop
        .goto(&format!("{}#/transfer", server.bank_url()))
        .await;
    desktop.find("#transfer-amount").await;
}

/// Starts the widget on the current form and returns the QR's link.
async fn start_widget(desktop: &Browser) -> String {
    desktop.click("#tessera-start").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop
        .attr("#tessera-qr", "data-qr-link")
        .await
        .expect("the QR carries its link")
}

fn session_of(link: &str) -> String {
    link.split('/')
        .nth_back(2)
        .expect("…/scan/{session}/{t}/{code}")
        .into()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_is_confirmed_with_the_details_shown_on_the_phone() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    open_transfer(&desktop, &server).await;
    desktop.type_into("#transfer-amount", "1234.50").await;
    desktop.find("#tessera-start").await;
    desktop
        .axe("widget on #/transfer: idle, the transfer form")
        .await;
    let link = start_widget(&desktop).await;
    desktop.wait_text("#tessera-details", PAYEE).await;
    desktop.wait_text("#tessera-details", "1,234.50").await;
    desktop.screenshot("bank-transfer-qr").await;
    desktop
        .axe("widget on #/transfer: QR with the details")
        .await;

    open_scanned(&phone, &link).await;
    let amount = phone.text("#req-amount").await;
    assert!(
        amount.contains("1,234.50") && amount.contains("EUR"),
        "{amount}"
    );
    assert_eq!(phone.text("#req-payee").await.trim(), PAYEE);
    assert_eq!(phone.text("#req-iban").await.trim(), IBAN_GROUPED);
    assert!(
        phone
            .text("#req-reference")
            .await
            .contains("Invoice 2026-042")
    );
    desktop
        .wait_attr("#tessera-status", "data-state", "awaiting_pin")
        .await;
    phone.screenshot("companion-transfer").await;
    phone.axe("companion: transfer request with details").await;
    approve_on_phone(&phone).await;

    desktop
        .wait_attr("#tessera-status", "data-state", "verified")
        .await;
    desktop
        .wait_attr("#bank-result", "data-state", "booked")
        .await;
    assert!(desktop.text("#bank-result").await.contains(PAYEE));
    desktop.screenshot("bank-transfer-booked").await;
    desktop.axe("widget on #/transfer: verified, booked").await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_denied_on_the_phone_is_not_booked() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[1]).await;
    open_transfer(&desktop, &server).await;
    let link = start_widget(&desktop).await;
    open_scanned(&phone, &link).await;
    phone.find("#req-amount").await;
    phone.click("#btn-deny").await;
    phone.wait_attr("#result", "data-result", "denied").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "denied")
        .await;
    assert!(desktop.attr("#bank-result", "data-state").await.is_none());
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_signed_on_the_phone_verifies_with_tessera_verify() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;

    let dir = std::env::temp_dir().join(format!("tessera-e2e-sign-{}", server.port));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf_path = dir.join("Tax declaration 2026.pdf");
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% Tax declaration 2026\n%%EOF\n";
    std::fs::write(&pdf_path, pdf).unwrap();
    let digest = tessera_protocol::hex(&tessera_protocol::sha256(pdf));

    desktop.goto(&format!("{}#/sign", server.bank_url())).await;
    let input = desktop.find("#sign-file").await;
    input
        .send_keys(pdf_path.to_str().unwrap())
        .await
        .expect("the file input takes a path");
    // Hashed in the browser: the page shows the digest before anything is sent.
    desktop.wait_text("#sign-digest", &digest[..4]).await;
    desktop.axe("widget on #/sign: idle, document hashed").await;
    let link = start_widget(&desktop).await;

    open_scanned(&phone, &link).await;
    assert!(
        phone
            .text("#req-document")
            .await
            .contains("Tax declaration 2026.pdf")
    );
    let fingerprint = phone.text("#req-fingerprint").await;
    assert!(
        fingerprint.contains(&digest[..4]) && fingerprint.contains(&digest[60..]),
        "{fingerprint}"
    );
    phone.screenshot("companion-sign").await;
    phone.axe("companion: signing request").await;
    approve_on_phone(&phone).await;
    desktop
        .wait_attr("#bank-result", "data-state", "signed")
        .await;
    desktop.screenshot("egov-signed").await;
    desktop.axe("widget on #/sign: verified, signed").await;

    let (name, downloaded) = desktop.download("#download-document").await;
    assert_eq!(name, "Tax declaration 2026.pdf");
    assert_eq!(
        downloaded, pdf,
        "the document offered is the one that was hashed"
    );
    let (name, signature) = desktop.download("#download-signature").await;
    assert_eq!(name, "Tax declaration 2026.pdf.tessera.json");
    let signature_path = dir.join("Tax declaration 2026.pdf.tessera.json");
    std::fs::write(&signature_path, &signature).unwrap();

    let root = server.root_key();
    let verify = |document: &std::path::Path| {
        let out = std::process::Command::new(Server::binary())
            .args(["verify", "--root", &root])
            .arg(document)
            .arg(&signature_path)
            .output()
            .expect("tessera verify runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (code, verdict) = verify(&pdf_path);
    assert_eq!(code, Some(0), "{verdict}");
    assert!(verdict.contains("signed by alice"), "{verdict}");
    let altered = dir.join("altered.pdf");
    std::fs::write(&altered, b"%PDF-1.7\n% Tax declaration 2026, amended\n").unwrap();
    let (code, verdict) = verify(&altered);
    assert_eq!(code, Some(1), "{verdict}");
    assert!(
        verdict.starts_with("invalid: document_mismatch"),
        "{verdict}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    desktop.close().await;
    phone.close().await;
}

/// On the transfer page: push the request to Alice's phone, which listens on its home
/// screen, and wait until the phone offers the numbers.
async fn push_to_alice(desktop: &Browser, phone: &Browser) {
    start_widget(desktop).await;
    desktop.type_into("#tessera-user-id", "alice").await;
    desktop.click("#tessera-push").await;
    desktop.find("#tessera-number").await;
    phone.find("#request").await;
    phone.find("[id^='number-']").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_number_cancels_the_push_and_the_right_one_confirms() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    open_transfer(&desktop, &server).await;
    push_to_alice(&desktop, &phone).await;

    let number = desktop.text("#tessera-number").await.trim().to_string();
    let mut wrong = None;
    for button in phone
        .client
        .find_all(Locator::Css("[id^='number-']"))
        .await
        .unwrap()
    {
        let id = button.attr("id").await.unwrap().unwrap_or_default();
        if id != format!("number-{number}") {
            wrong = Some(button);
        }
    }
    wrong
        .expect("three numbers, two of them wrong")
        .click()
        .await
        .unwrap();
    phone
        .wait_attr("#result", "data-result", "wrong_number")
        .await;
    desktop
        .wait_attr("#tessera-status", "data-state", "cancelled")
        .await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-reason")
            .await
            .as_deref(),
        Some("wrong_number")
    );
    desktop.screenshot("widget-wrong-number").await;
    desktop
        .axe("widget on #/transfer: cancelled (wrong number)")
        .await;
    phone.axe("companion: outcome wrong number").await;

    // A new attempt, with the right number, goes through.
    phone.goto(&format!("{}/companion/", server.url())).await;
    phone.find("#home").await;
    desktop.click("#tessera-new-qr").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.type_into("#tessera-user-id", "alice").await;
    desktop.click("#tessera-push").await;
    phone.find("[id^='number-']").await;
    pick_number(&desktop, &phone).await;
    assert_eq!(phone.text("#req-payee").await.trim(), PAYEE);
    approve_on_phone(&phone).await;
    desktop
        .wait_attr("#bank-result", "data-state", "booked")
        .await;
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn this_wasnt_me_cancels_the_request_and_tells_the_page() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    open_transfer(&desktop, &server).await;
    push_to_alice(&desktop, &phone).await;
    phone.click("#btn-not-me").await;
    phone.wait_attr("#result", "data-result", "reported").await;
    phone.screenshot("companion-reported").await;
    phone.axe("companion: outcome reported").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "cancelled")
        .await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-reason")
            .await
            .as_deref(),
        Some("fraud_reported")
    );
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_photo_of_the_qr_goes_stale() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    open_transfer(&desktop, &server).await;
    let link = start_widget(&desktop).await;
    // The code in a photo relayed to a victim is older than the server accepts.
    tokio::time::sleep(std::time::Duration::from_secs(
        tessera_protocol::QR_MAX_AGE_SECS + 3,
    ))
    .await;
    phone.goto(&link).await;
    phone.find("#problem").await;
    phone
        .wait_attr("#problem", "data-problem", "qr_stale")
        .await;
    assert_eq!(
        desktop
            .attr("#tessera-status", "data-state")
            .await
            .as_deref(),
        Some("pending"),
        "nothing happened to the session"
    );
    desktop.close().await;
    phone.close().await;
}

/// Rewrites what the relay's database says the user is approving, as an attacker who
/// took over the relay would: the phone then shows (and signs) the forged details.
/// `pointer` is a JSON pointer into the session's details.
fn forge_relay_details(server: &Server, session_id: &str, pointer: &str, value: serde_json::Value) {
    let details = server
        .tamper("SELECT details FROM sessions WHERE id = ?1", &[session_id])
        .expect("the session has details");
    let mut details: serde_json::Value = serde_json::from_str(&details).unwrap();
    *details
        .pointer_mut(pointer)
        .expect("the forged field exists") = value;
    server.tamper(
        "UPDATE sessions SET details = ?2 WHERE id = ?1",
        &[session_id, &details.to_string()],
    );
    let forged = server.tamper("SELECT details FROM sessions WHERE id = ?1", &[session_id]);
    assert_eq!(forged, Some(details.to_string()), "the forgery is in place");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relay_that_changes_the_amount_or_payee_is_caught_by_widget_and_bank() {
    let (server, desktop, phone) = desktop_and_phone_of(&DEMO_USERS[0]).await;
    open_transfer(&desktop, &server).await;
    desktop.intercept_relay(Relay::Record).await;

    let forgeries = [
        (
            "/transaction/amount_minor",
            serde_json::json!(2_500_000),
            "#req-amount",
            "25,000.00",
        ),
        (
            "/transaction/payee_name",
            serde_json::json!("Mallory Müller"),
            "#req-payee",
            "Mallory Müller",
        ),
    ];
    for (index, (path, value, field, shown)) in forgeries.into_iter().enumerate() {
        if index > 0 {
            desktop.click("#tessera-new-qr").await;
        }
        let link = if index == 0 {
            start_widget(&desktop).await
        } else {
            desktop
                .wait_attr("#tessera-status", "data-state", "pending")
                .await;
            desktop.attr("#tessera-qr", "data-qr-link").await.unwrap()
        };
        forge_relay_details(&server, &session_of(&link), path, value);
        open_scanned(&phone, &link).await;
        phone.wait_text(field, shown).await;
        approve_on_phone(&phone).await;

        // The relay stapled its status (it believes its own database), but the widget
        // checks the digest against what the bank asked for…
        desktop
            .wait_attr("#tessera-status", "data-error", "details_mismatch")
            .await;
        if index == 0 {
            desktop.screenshot("widget-details-mismatch").await;
            desktop
                .axe("widget on #/transfer: error (details mismatch)")
                .await;
        }
        // …and so does the bank's backend, against its own record.
        let result = desktop
            .client
            .execute("return window.__tesseraResult", vec![])
            .await
            .unwrap();
        let completion = serde_json::json!({"session_id": session_of(&link), "result": result});
        assert_eq!(
            desktop
                .post_json("/bank/transfer/confirm", completion)
                .await,
            (400, "details_mismatch".into())
        );
    }
    desktop.close().await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn disguised_payees_and_bad_ibans_are_refused_before_any_phone_sees_them() {
    let server = Server::start(180);
    let desktop = Browser::desktop().await;
    open_transfer(&desktop, &server).await;
    let cases = [
        ("P\u{0430}yPal", IBAN_GROUPED, "payee_name_mixed_script"),
        ("Zoë\u{202E}rellüM", IBAN_GROUPED, "payee_name_bidi"),
        ("Pay\u{200B}Pal", IBAN_GROUPED, "payee_name_invisible"),
        (PAYEE, "LU28 0019 4006 4475 0001", "payee_iban_invalid"),
    ];
    for (index, (payee, iban, code)) in cases.into_iter().enumerate() {
        desktop.set_value("#transfer-payee", payee).await;
        desktop.set_value("#transfer-iban", iban).await;
        // Editing the form resets the widget: each case starts afresh.
        desktop.click("#tessera-start").await;
        desktop
            .wait_attr("#tessera-status", "data-error", code)
            .await;
        if index == 0 {
            desktop.screenshot("widget-refused-payee").await;
            desktop.axe("widget on #/transfer: refused payee").await;
        }
        assert!(desktop.attr("#tessera-qr", "data-qr-link").await.is_none());
    }
    desktop.close().await;
}
