//! In a real browser (headless Chromium): the WebCrypto key store round trip, the app's
//! first screen, and the request screens as the state machine shows them (ids, order,
//! focus, texts).
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p tessera-companion --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use p256::ecdsa::{Signature, VerifyingKey, signature::Verifier};
use std::rc::Rc;

use tessera_companion::components::{Ctx, app::App, app::screen};
use tessera_companion::i18n::Lang;
use tessera_companion::keystore;
use tessera_companion::state::{Device, Outcome, Screen, State};
use tessera_protocol::{
    Details, Document, Kind, Token, Transaction,
    api::{DeviceRequest, activation_message},
    assemble, b64_decode, b64_encode, verify_es256,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn key_store_round_trip() {
    keystore::delete_key().await;
    assert!(!keystore::has_key().await);

    let public = keystore::generate().await.expect("a key pair");
    assert_eq!(
        (public.len(), public[0]),
        (65, 4),
        "uncompressed SEC1 point"
    );
    assert!(
        keystore::has_key().await,
        "the key pair is stored in IndexedDB"
    );
    let key = VerifyingKey::from_sec1_bytes(&public).expect("a P-256 point");

    // The activation proof, exactly as the server checks it.
    let public_b64 = b64_encode(&public);
    let message = activation_message("alice", &public_b64);
    let proof = keystore::sign(&message).await.expect("signature");
    verify_es256(&key, &message, &proof, Token::Approval).expect("low-S ES256 proof verifies");
    let signature = Signature::from_slice(&proof).expect("64 bytes");
    assert_eq!(signature.normalize_s(), signature, "normalised to low S");
    key.verify(&message, &signature).expect("p256 verifies");

    // A JWS finished with `assemble` carries a signature over its signing input.
    let input = "eyJhbGciOiJFUzI1NiJ9.e30";
    let jws = assemble(
        input,
        &keystore::sign(input.as_bytes()).await.expect("signature"),
    )
    .expect("assembled");
    let sig = b64_decode(jws.rsplit('.').next().expect("three parts")).expect("base64url");
    verify_es256(&key, input.as_bytes(), &sig, Token::Approval).expect("JWS signature verifies");

    // A second key replaces the first; a deleted key cannot sign.
    let second = keystore::generate().await.expect("a second key pair");
    assert_ne!(second, public);
    keystore::delete_key().await;
    assert!(!keystore::has_key().await);
    assert!(keystore::sign(b"x").await.is_err());
}

#[wasm_bindgen(inline_js = r#"
export async function storedPrivateKeyExportable() {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("tessera-companion", 1);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
  const pair = await new Promise((ok, no) => {
    const r = db.transaction("keys").objectStore("keys").get("device");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
  db.close();
  if (pair.privateKey.extractable) return true;
  try { await crypto.subtle.exportKey("pkcs8", pair.privateKey); return true; } catch (e) { return false; }
}
export function sleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = storedPrivateKeyExportable)]
    async fn stored_private_key_exportable() -> JsValue;
    async fn sleep(ms: u32) -> JsValue;
}

#[wasm_bindgen_test]
async fn the_stored_private_key_cannot_be_exported() {
    keystore::generate().await.expect("a key pair");
    assert_eq!(stored_private_key_exportable().await.as_bool(), Some(false));
    keystore::delete_key().await;
}

#[wasm_bindgen_test]
async fn a_fresh_browser_shows_the_welcome_screen() {
    keystore::delete_key().await;
    let root = new_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    sleep(300).await;
    assert!(has(&root, "#btn-activate"), "{}", root.inner_html());
    assert!(has(&root, "#lang-select"));
}

/// A new element at the end of the page's body, to render an app into.
fn new_root() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}

// --- the request screens, rendered from a state ------------------------------------------

#[derive(Properties, PartialEq)]
struct ShowProps {
    state: State,
}

/// The screen `state` chooses, in English, inside the app's context.
#[function_component]
fn Show(props: &ShowProps) -> Html {
    let state = use_reducer(|| props.state.clone());
    let ctx = Ctx {
        lang: Lang::En,
        dispatch: state.dispatcher(),
    };
    html! { <ContextProvider<Ctx> context={ctx}>{ screen(&state) }</ContextProvider<Ctx>> }
}

fn request(kind: Kind, details: Option<Details>, choices: Option<Vec<u8>>) -> DeviceRequest {
    DeviceRequest {
        session_id: "s-1".into(),
        nonce: "n".into(),
        partner_id: "demo-bank".into(),
        partner_name: "Demo Bank".into(),
        origin: "https://bank.example".into(),
        kind,
        details,
        number_choices: choices,
        expires_at: (js_sys::Date::now() / 1000.0) as u64 + 600,
    }
}

fn payment(payee_name: &str) -> Details {
    Details::Transaction(Transaction {
        amount_minor: 123_456,
        currency: "EUR".into(),
        payee_name: payee_name.into(),
        payee_iban: "LU280019400644750000".into(),
        reference: "Invoice 2026-042".into(),
        payer_iban: Some("BE68539007547034".into()),
    })
}

/// Renders `screen` for an activated device; the root to query, to remove afterwards.
async fn show(screen: Screen) -> Element {
    let state = State {
        screen,
        device: Some(Rc::new(Device {
            device_id: "d-1".into(),
            user_id: "alice".into(),
            name: "Phone".into(),
            certificates: vec![],
        })),
        handled: vec![],
    };
    let root = new_root();
    yew::Renderer::<Show>::with_root_and_props(root.clone(), ShowProps { state }).render();
    sleep(300).await;
    root
}

fn text(root: &Element, css: &str) -> String {
    root.query_selector(css)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_else(|| panic!("{css} in {}", root.inner_html()))
}

fn has(root: &Element, css: &str) -> bool {
    root.query_selector(css).ok().flatten().is_some()
}

fn focused_id() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.id())
        .unwrap_or_default()
}

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
