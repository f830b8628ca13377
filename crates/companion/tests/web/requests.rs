//! The request screens, rendered from a state: ids, order, focus, texts.
use super::*;

#[wasm_bindgen_test]
async fn a_payment_shows_its_details_before_the_pin() {
    let r = request(Kind::Confirm, Some(payment("Zoë Müller")), None);
    let root = show(Screen::Request(Rc::new(r))).await;
    assert_eq!(text(&root, "#req-title"), "Confirm a payment");
    assert_eq!(text(&root, "#req-amount"), "EUR\u{a0}1,234.56");
    assert_eq!(text(&root, "#req-payee"), "Zoë Müller");
    assert_eq!(text(&root, "#req-iban"), "LU28 0019 4006 4475 0000");
    assert_eq!(text(&root, "#req-reference"), "Invoice 2026-042");
    assert_eq!(text(&root, "#req-payer"), "BE68 5390 0754 7034");
    assert_eq!(text(&root, "#req-partner"), "Demo Bank");
    assert_eq!(text(&root, "#req-origin"), "https://bank.example");
    let html = root.inner_html();
    assert!(
        html.find("req-amount") < html.find("req-pin"),
        "details come first"
    );
    assert!(has(&root, "#request[data-step='pin'] #btn-approve"));
    assert!(has(&root, "#btn-deny") && has(&root, "#btn-not-me"));
    assert_eq!(
        focused_id(),
        "req-title",
        "read from the top, not from the PIN"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_document_shows_its_name_and_fingerprint() {
    let document = Details::Document(Document {
        name: "Tax form 2026.pdf".into(),
        sha256: "ab".repeat(32),
    });
    let root = show(Screen::Request(Rc::new(request(
        Kind::Sign,
        Some(document),
        None,
    ))))
    .await;
    assert_eq!(text(&root, "#req-title"), "Sign a document");
    assert_eq!(text(&root, "#req-document"), "Tax form 2026.pdf");
    assert!(text(&root, "#req-fingerprint").starts_with("abab abab abab"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_login_focuses_the_pin() {
    let root = show(Screen::Request(Rc::new(request(Kind::Login, None, None)))).await;
    assert_eq!(text(&root, "#req-title"), "Log in to Demo Bank");
    assert!(!has(&root, "#req-details"));
    assert_eq!(focused_id(), "req-pin");
    root.remove();
}

#[wasm_bindgen_test]
async fn unsafe_details_are_not_shown_and_cannot_be_approved() {
    let r = request(Kind::Confirm, Some(payment("Bank\u{202E}evil")), None);
    let root = show(Screen::Request(Rc::new(r))).await;
    assert!(has(&root, "#req-unsafe[role='alert']"));
    assert!(!has(&root, "#req-payee") && !has(&root, "#req-pin") && !has(&root, "#btn-approve"));
    assert!(has(&root, "#btn-deny") && has(&root, "#btn-not-me"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_push_offers_three_numbers_in_the_given_order() {
    let r = request(
        Kind::Confirm,
        Some(payment("Zoë Müller")),
        Some(vec![42, 17, 88]),
    );
    let root = show(Screen::Match(Rc::new(r))).await;
    assert!(has(&root, "#request[data-step='number']"));
    assert_eq!(
        text(&root, "#match-title"),
        "Pick the number shown on your screen"
    );
    assert_eq!(text(&root, "#numbers"), "421788");
    let inner = root.inner_html();
    let at = |id: &str| inner.find(id).unwrap_or_else(|| panic!("{id}"));
    assert!(at("number-42") < at("number-17") && at("number-17") < at("number-88"));
    assert!(!has(&root, "#req-pin") && !has(&root, "#req-amount"));
    assert!(has(&root, "#btn-deny") && has(&root, "#btn-not-me"));
    assert_eq!(focused_id(), "match-title");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_new_results_explain_themselves() {
    let root = show(Screen::Result(Outcome::Reported {
        partner: "Demo Bank".into(),
    }))
    .await;
    assert!(has(&root, "#result[data-result='reported']"));
    assert_eq!(
        text(&root, "#result-text[role='status']"),
        "Thank you. The request was cancelled and reported to Demo Bank."
    );
    root.remove();
    let root = show(Screen::Result(Outcome::WrongNumber)).await;
    assert!(has(&root, "#result[data-result='wrong_number']"));
    assert!(text(&root, "#result-text").contains("cancelled for your safety"));
    root.remove();
}
