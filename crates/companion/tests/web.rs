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
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    sleep(300).await;
    assert!(has(&root, "#btn-activate"), "{}", root.inner_html());
    assert!(has(&root, "#lang-select"));
    assert_eq!(text(&root, "#btn-new-user"), "New user");
    assert_eq!(text(&root, "#btn-login"), "Log in");
    let html = root.inner_html();
    assert!(
        html.find("btn-new-user") < html.find("btn-login")
            && html.find("btn-login") < html.find("btn-activate"),
        "the seed's two entries first"
    );
    assert_eq!(focused_id(), "welcome-title");
    // "Activate this device" opens LOG IN with the activation code chosen, as before.
    click(&root, "#btn-activate");
    wait_for(&root, "#activate[data-path='act-with-code'] #act-code").await;
    assert!(element::<HtmlInputElement>(&root, "#act-with-code").checked());
    assert!(has(&root, "#act-pin") && has(&root, "#act-submit"));
    // Unmounted, so its listeners (the location hash) do not outlive the test.
    app.destroy();
    root.remove();
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
        set_lang: Callback::noop(),
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
    show_state(State {
        screen,
        device: Some(Rc::new(Device {
            device_id: "d-1".into(),
            user_id: "alice".into(),
            name: "Phone".into(),
            certificates: vec![],
        })),
        handled: vec![],
        pending: None,
    })
    .await
}

/// Renders the screen `state` chooses; the root to query, to remove afterwards.
async fn show_state(state: State) -> Element {
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

// --- the device lifecycle: activation paths, replace, restore, devices, backup ----------

use tessera_companion::backup::{self, Contents};
use tessera_companion::lifecycle::{Path, PendingActivation, Replace, Retry};
use tessera_protocol::{
    DeviceStatus,
    api::{ActivationRequest, Credential, DeviceSummary},
};
use web_sys::{HtmlElement, HtmlInputElement};

#[wasm_bindgen(inline_js = r#"
let routes = {}, calls = [];
const realFetch = window.fetch;
export function stubFetch(table) {
  routes = JSON.parse(table);
  calls = [];
  window.fetch = async (url, init) => {
    const method = (init && init.method) || "GET";
    calls.push({ method, url, body: init && init.body ? String(init.body) : null });
    const queue = routes[method + " " + url] || [];
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (!next) return new Response('{"code":"not_found","message":"stub"}', { status: 404 });
    const body = next.status === 204 ? null : next.body;
    return new Response(body, { status: next.status, headers: { "Content-Type": "application/json" } });
  };
}
export function fetchCalls() { return JSON.stringify(calls); }
export function unstubFetch() { window.fetch = realFetch; }
export function setFile(id, text, name) {
  const input = document.getElementById(id);
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type: "application/json" }));
  input.files = transfer.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}
export function setHash(hash) { history.replaceState(null, "", location.pathname + location.search + hash); }
export function storageItem(key) { return localStorage.getItem(key); }
export function clearStorage() { localStorage.clear(); }
export function documentLang() { return document.documentElement.lang; }
export function typeInto(el, value) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}
export function choose(el, value) {
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = stubFetch)]
    fn stub_fetch(table: &str);
    #[wasm_bindgen(js_name = fetchCalls)]
    fn fetch_calls() -> String;
    #[wasm_bindgen(js_name = unstubFetch)]
    fn unstub_fetch();
    #[wasm_bindgen(js_name = setFile)]
    fn set_file(id: &str, text: &str, name: &str);
    #[wasm_bindgen(js_name = setHash)]
    fn set_hash(hash: &str);
    #[wasm_bindgen(js_name = storageItem)]
    fn storage_item(key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = clearStorage)]
    fn clear_storage();
    #[wasm_bindgen(js_name = documentLang)]
    fn document_lang() -> String;
    /// Sets an input's value and fires `input`, as typing does.
    #[wasm_bindgen(js_name = typeInto)]
    fn type_into_element(element: &Element, value: &str);
    /// Sets a select's value and fires `change`, as picking does.
    #[wasm_bindgen(js_name = choose)]
    fn choose_in_element(element: &Element, value: &str);
}

/// Answers for the stubbed `fetch`: `"METHOD path"` → the answers, in order (the last
/// one repeats).
fn stub(routes: &[(&str, &[(u16, String)])]) {
    let table: serde_json::Map<String, serde_json::Value> = routes
        .iter()
        .map(|(route, answers)| {
            let answers = answers
                .iter()
                .map(|(status, body)| serde_json::json!({ "status": status, "body": body }))
                .collect();
            (route.to_string(), serde_json::Value::Array(answers))
        })
        .collect();
    stub_fetch(&serde_json::Value::Object(table).to_string());
}

/// The stubbed calls so far: method, path and body.
fn calls() -> Vec<(String, String, serde_json::Value)> {
    let calls: Vec<serde_json::Value> = serde_json::from_str(&fetch_calls()).expect("json");
    calls
        .into_iter()
        .map(|c| {
            let body = c["body"]
                .as_str()
                .and_then(|b| serde_json::from_str(b).ok())
                .unwrap_or(serde_json::Value::Null);
            (
                c["method"].as_str().unwrap_or_default().into(),
                c["url"].as_str().unwrap_or_default().into(),
                body,
            )
        })
        .collect()
}

/// Waits (up to 10 s) until `css` is in `root`.
async fn wait_for(root: &Element, css: &str) {
    if !wait_until(|| has(root, css)).await {
        panic!("no {css} in {}", root.inner_html());
    }
}

/// Waits (up to 10 s) until `done`; whether it came.
async fn wait_until(done: impl Fn() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        sleep(50).await;
    }
    false
}

/// Waits (up to 10 s) until the text of `css` in `root` passes `check`; fails the test
/// with the page otherwise.
async fn wait_text(root: &Element, css: &str, check: impl Fn(&str) -> bool) {
    let came = wait_until(|| {
        root.query_selector(css)
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .is_some_and(|t| check(&t))
    })
    .await;
    assert!(came, "{css} never as expected in {}", root.inner_html());
}

fn element<T: JsCast>(root: &Element, css: &str) -> T {
    root.query_selector(css)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{css} in {}", root.inner_html()))
        .dyn_into::<T>()
        .unwrap_or_else(|_| panic!("{css} has another type"))
}

fn click(root: &Element, css: &str) {
    element::<HtmlElement>(root, css).click();
}

fn fill(root: &Element, css: &str, value: &str) {
    element::<HtmlInputElement>(root, css).set_value(value);
}

fn value(root: &Element, css: &str) -> String {
    element::<HtmlInputElement>(root, css).value()
}

fn summary(id: &str, name: &str, status: DeviceStatus, last_used_at: Option<u64>) -> DeviceSummary {
    DeviceSummary {
        id: id.into(),
        name: name.into(),
        status,
        created_at: 1_795_564_800,
        last_used_at,
    }
}

fn json(value: &(impl serde::Serialize + ?Sized)) -> String {
    serde_json::to_string(value).expect("json")
}

/// A browser with nothing stored, the real app mounted on its welcome screen.
async fn fresh_app() -> (Element, AppHandle<App>) {
    keystore::delete_key().await;
    clear_storage();
    set_hash("");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#btn-activate").await;
    (root, app)
}

async fn tear_down(root: Element, app: AppHandle<App>) {
    app.destroy();
    root.remove();
    unstub_fetch();
    keystore::delete_key().await;
    clear_storage();
}

use yew::AppHandle;

#[wasm_bindgen_test]
async fn the_activation_form_offers_three_paths_and_keeps_the_code_path() {
    let root = show(Screen::Activate(Some(Path::Code))).await;
    assert_eq!(focused_id(), "act-user-id");
    for id in [
        "act-user-id",
        "act-password",
        "act-code",
        "act-pin",
        "act-pin-confirm",
        "act-device-name",
        "act-submit",
    ] {
        assert!(has(&root, &format!("#{id}")), "#{id}");
        if id != "act-submit" {
            assert!(has(&root, &format!("label[for='{id}']")), "label of #{id}");
        }
    }
    assert!(element::<HtmlInputElement>(&root, "#act-with-code").checked());
    assert_eq!(
        text(&root, "label[for='act-lost-device']"),
        "I no longer have my device"
    );
    assert_eq!(
        text(&root, "#act-path legend"),
        "How do you add this device?"
    );
    let html = root.inner_html();
    let at = |id: &str| {
        html.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(
        at("act-password") < at("act-with-code"),
        "the path after the password"
    );
    assert!(at("act-with-code") < at("act-code") && at("act-code") < at("act-pin"));

    // "I no longer have my device": the security code instead of the activation code.
    fill(&root, "#act-user-id", "alice");
    click(&root, "#act-lost-device");
    sleep(100).await;
    assert!(!has(&root, "#act-code"));
    let code: HtmlInputElement = element(&root, "#act-security-code");
    assert_eq!(code.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert_eq!(
        text(&root, "label[for='act-security-code']"),
        "Security code (8 digits)"
    );
    fill(&root, "#act-password", "pw");
    fill(&root, "#act-security-code", "1234567");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    fill(&root, "#act-device-name", "New phone");
    click(&root, "#act-submit");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "The security code must be exactly 8 digits."
    );
    assert_eq!(
        value(&root, "#act-user-id"),
        "alice",
        "what was typed stays"
    );

    // "Restore from a backup": the file first; the PIN comes after the confirmation.
    click(&root, "#act-restore");
    sleep(100).await;
    assert!(has(&root, "#restore-file[type='file']"));
    assert!(has(&root, "label[for='restore-file']"));
    assert!(!has(&root, "#act-pin") && !has(&root, "#act-submit"));
    click(&root, "#act-with-code");
    sleep(100).await;
    assert!(has(&root, "#act-code") && has(&root, "#act-pin"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_lost_device_with_two_devices_replaces_one() {
    let (root, app) = fresh_app().await;
    let limit = serde_json::json!({
        "code": "device_limit",
        "message": "m",
        "devices": [
            summary("d-1", "Old phone", DeviceStatus::Active, Some(1_795_600_000)),
            summary("d-2", "Tablet", DeviceStatus::Suspended, None),
        ],
    });
    let activated = serde_json::json!({ "device_id": "d-3", "certificates": [] });
    stub(&[(
        "POST /v1/activation",
        &[(409, limit.to_string()), (201, activated.to_string())],
    )]);
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    fill(&root, "#act-user-id", "alice");
    fill(&root, "#act-password", "Tessera-Demo-1!");
    click(&root, "#act-lost-device");
    sleep(100).await;
    fill(&root, "#act-security-code", "1234 5678");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    fill(&root, "#act-device-name", "New phone");
    click(&root, "#act-submit");

    wait_for(&root, "#replace").await;
    sleep(100).await;
    assert_eq!(focused_id(), "replace-title");
    assert!(has(&root, "input[type='radio']#replace-d-1"));
    assert!(text(&root, "label[for='replace-d-1']").contains("Old phone"));
    assert!(text(&root, "label[for='replace-d-2']").contains("Last used: never used"));
    click(&root, "#btn-replace");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Pick the device to replace."
    );
    click(&root, "#replace-d-2");
    click(&root, "#btn-replace");
    wait_for(&root, "#certificate").await;
    assert!(has(&root, "#cert-details"));
    assert_eq!(storage_item("tessera.device_id").as_deref(), Some("d-3"));
    assert!(
        keystore::has_key().await,
        "the key made for the first try serves"
    );

    let calls = calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let (first, second) = (&calls[0].2, &calls[1].2);
    assert_eq!(
        first["credential"],
        serde_json::json!({ "security_code": "12345678" })
    );
    assert!(first.get("replace_device_id").is_none());
    assert_eq!(second["replace_device_id"], "d-2");
    assert_eq!(first["public_key"], second["public_key"]);
    assert_eq!(first["proof"], second["proof"]);
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn the_replace_screen_can_be_cancelled() {
    let replace = Replace {
        retry: Retry(Rc::new(ActivationRequest {
            user_id: "alice".into(),
            password: "pw".into(),
            credential: Credential::ActivationCode("AB12C".into()),
            pin: "246810".into(),
            device_name: "New".into(),
            public_key: "pk".into(),
            proof: "p".into(),
            replace_device_id: None,
            setup: None,
        })),
        devices: vec![summary("d-1", "Old phone", DeviceStatus::Active, None)],
    };
    let root = show_state(State {
        screen: Screen::Replace(Rc::new(replace)),
        device: None,
        handled: vec![],
        pending: None,
    })
    .await;
    assert_eq!(text(&root, "#replace-title"), "Replace a device");
    assert!(text(&root, "#replace-text").contains("2 devices"));
    click(&root, "#btn-replace-cancel");
    wait_for(&root, "#welcome").await;
    root.remove();
}

/// A backup of alice's, in Dutch, encrypted under `password`.
fn backup_file(password: &str) -> (Contents, String) {
    let contents = Contents::new(
        "alice",
        "Alice's phone",
        "nl",
        "cmVzdG9yZS1zZWNyZXQ",
        1_795_564_800,
    );
    let text = backup::encrypt(&contents, password).expect("encrypts");
    (contents, text)
}

#[wasm_bindgen_test]
async fn a_restore_opens_the_backup_waits_for_the_sms_and_finishes_from_the_link() {
    let (root, app) = fresh_app().await;
    let (contents, file) = backup_file("Tessera-Demo-1!");
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let pending = serde_json::json!({
        "activation_id": "p-1", "phone_hint": "+352 ••• ••• 001", "expires_at": now + 21_600,
    });
    let activated = serde_json::json!({ "device_id": "d-7", "certificates": [] });
    stub(&[
        ("POST /v1/activation", &[(202, pending.to_string())]),
        (
            "POST /v1/activation/confirm",
            &[(201, activated.to_string())],
        ),
    ]);
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    fill(&root, "#act-user-id", "alice");
    click(&root, "#act-restore");
    sleep(100).await;

    // Without the password, then with a wrong one: refused, with a reason.
    set_file("restore-file", &file, "tessera-backup-alice.json");
    wait_for(&root, "#restore-error[role='alert']").await;
    assert_eq!(
        text(&root, "#restore-error"),
        "Enter your password first: it opens the backup."
    );
    fill(&root, "#act-password", "Wrong-password");
    click(&root, "#btn-restore-open");
    wait_text(&root, "#restore-error", |t| {
        t.starts_with("This password does not open the backup.")
    })
    .await;

    // The right password: what the backup holds, then the confirmation.
    fill(&root, "#act-password", "Tessera-Demo-1!");
    click(&root, "#btn-restore-open");
    wait_for(&root, "#restore-contents").await;
    sleep(100).await;
    assert_eq!(focused_id(), "restore-title");
    let shown = text(&root, "#restore-contents");
    assert!(
        shown.contains("alice") && shown.contains("Alice's phone") && shown.contains("Nederlands"),
        "{shown}"
    );
    assert!(!has(&root, "#act-pin"));
    click(&root, "#btn-restore-confirm");
    wait_for(&root, "#act-pin").await;
    sleep(100).await;
    assert_eq!(focused_id(), "act-pin");
    assert_eq!(value(&root, "#act-device-name"), "Alice's phone");
    assert_eq!(document_lang(), "nl", "the backup's language");
    fill(&root, "#act-pin", "246810");
    fill(&root, "#act-pin-confirm", "246810");
    click(&root, "#act-submit");

    // The SMS: its link works for 6 hours, the app may be closed meanwhile.
    wait_for(&root, "#pending").await;
    sleep(100).await;
    assert_eq!(focused_id(), "pending-title");
    assert!(text(&root, "#pending-text").contains("+352 ••• ••• 001"));
    let stored: PendingActivation =
        serde_json::from_str(&storage_item("tessera.pending_activation").expect("stored"))
            .expect("json");
    assert_eq!(
        (stored.activation_id.as_str(), stored.user_id.as_str()),
        ("p-1", "alice")
    );
    let sent = &calls()[0].2;
    assert_eq!(
        sent["credential"],
        serde_json::json!({ "backup": contents.restore_secret })
    );
    app.destroy();
    root.remove();

    // The link opens the app again: it finishes and shows the certificate.
    set_hash("#/confirm/p-1/tok-en_1");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#certificate").await;
    let confirm = calls()
        .into_iter()
        .find(|(_, url, _)| url == "/v1/activation/confirm")
        .expect("confirmed");
    assert_eq!(
        confirm.2,
        serde_json::json!({ "activation_id": "p-1", "token": "tok-en_1" })
    );
    assert_eq!(storage_item("tessera.device_id").as_deref(), Some("d-7"));
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Alice's phone")
    );
    assert_eq!(storage_item("tessera.pending_activation"), None);
    let hash = web_sys::window()
        .expect("window")
        .location()
        .hash()
        .expect("hash");
    assert_eq!(hash, "", "the secret leaves the address bar");
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_link_from_elsewhere_or_expired_is_explained() {
    // No restore started in this browser.
    keystore::delete_key().await;
    clear_storage();
    set_hash("#/confirm/p-9/tok");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#problem[data-problem='link_elsewhere']").await;
    assert!(text(&root, "#form-error[role='alert']").contains("where you started the activation"));
    assert_eq!(text(&root, "h1"), "The activation could not be finished");
    app.destroy();
    root.remove();

    // Started here, but the server says the link has expired.
    let pending = PendingActivation {
        activation_id: "p-2".into(),
        user_id: "alice".into(),
        device_name: "Phone".into(),
        phone_hint: "+352 ••• ••• 001".into(),
        expires_at: 1,
    };
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
        .set_item("tessera.pending_activation", &json(&pending))
        .expect("stored");
    keystore::generate().await.expect("a key");
    stub(&[(
        "POST /v1/activation/confirm",
        &[(
            410,
            r#"{"code":"activation_link_expired","message":"m"}"#.into(),
        )],
    )]);
    set_hash("#/confirm/p-2/tok");
    let root = new_root();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(&root, "#problem[data-problem='link_expired']").await;
    click(&root, "#btn-activate");
    wait_for(&root, "#activate").await;
    assert_eq!(storage_item("tessera.pending_activation"), None);
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_pending_restore_says_where_the_sms_went() {
    let pending = PendingActivation {
        activation_id: "p-1".into(),
        user_id: "alice".into(),
        device_name: "Phone".into(),
        phone_hint: "+352 ••• ••• 001".into(),
        expires_at: (js_sys::Date::now() / 1000.0) as u64 + 3600,
    };
    let root = show(Screen::Pending(Rc::new(pending.clone()))).await;
    assert_eq!(
        text(&root, "#pending-text"),
        "We sent a link by SMS to +352 ••• ••• 001. Open it on this phone to finish; it works for 6 hours. You may close the app meanwhile."
    );
    assert!(text(&root, "#pending-until").starts_with("The link works until"));
    assert_eq!(focused_id(), "pending-title");
    root.remove();
    let expired = PendingActivation {
        expires_at: 1,
        ..pending
    };
    let root = show(Screen::Pending(Rc::new(expired))).await;
    assert!(has(
        &root,
        "#pending[data-expired='true'] #pending-expired[role='alert']"
    ));
    assert!(has(&root, "#btn-start-again"));
    root.remove();
}

#[wasm_bindgen_test]
async fn my_devices_suspend_and_remove_after_a_confirmation() {
    let devices = vec![
        summary("d-1", "Phone", DeviceStatus::Active, Some(1_795_600_000)),
        summary("d-2", "Tablet", DeviceStatus::Active, None),
    ];
    let removed = vec![
        devices[0].clone(),
        DeviceSummary {
            status: DeviceStatus::Revoked,
            ..devices[1].clone()
        },
    ];
    stub(&[
        ("GET /v1/device/devices", &[(200, json(&devices))]),
        (
            "POST /v1/device/devices/d-2/remove",
            &[(200, json(&removed))],
        ),
        (
            "POST /v1/device/devices/d-1/remove",
            &[(200, json(&removed[1..]))],
        ),
    ]);
    let root = show(Screen::Devices).await;
    wait_for(&root, "#device-list").await;
    assert_eq!(focused_id(), "devices-title");
    assert!(text(&root, "#device-d-1").contains("(this device)"));
    assert!(!text(&root, "#device-d-2").contains("(this device)"));
    assert!(text(&root, "#device-d-2").contains("Last used: never used"));
    assert!(text(&root, "#device-d-1").contains("Active"));
    assert!(has(&root, "#suspend-d-1") && has(&root, "#remove-d-2"));
    assert!(has(&root, "#btn-backup"));

    // Remove the tablet: the question says it is final; nothing happens before "yes".
    click(&root, "#remove-d-2");
    wait_for(&root, "#confirm-action").await;
    sleep(50).await;
    assert_eq!(focused_id(), "confirm-question");
    assert!(text(&root, "#confirm-question").contains("This is final"));
    assert_eq!(calls().len(), 1, "only the list was fetched");
    click(&root, "#btn-cancel-action");
    sleep(100).await;
    assert!(!has(&root, "#confirm-action"));
    assert_eq!(focused_id(), "remove-d-2", "back where the user was");
    click(&root, "#remove-d-2");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#device-d-2:not(:has(#remove-d-2))").await;
    assert_eq!(
        text(&root, "#devices-status[role='status']"),
        "\"Tablet\" is removed."
    );
    assert!(text(&root, "#device-d-2").contains("Removed"));

    // Suspending explains that only the helpdesk resumes.
    click(&root, "#suspend-d-1");
    wait_for(&root, "#confirm-action").await;
    assert!(text(&root, "#confirm-question").contains("Only the helpdesk can resume it"));
    assert!(text(&root, "#confirm-question").contains("This is the device you are using"));
    click(&root, "#btn-cancel-action");
    sleep(50).await;

    // Removing this device forgets it here: back to the welcome screen.
    keystore::generate().await.expect("a key");
    click(&root, "#remove-d-1");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#welcome").await;
    assert!(!keystore::has_key().await, "the key is deleted");
    assert_eq!(storage_item("tessera.device_id"), None);
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_conflict_on_the_devices_screen_is_explained() {
    let devices = vec![summary("d-1", "Phone", DeviceStatus::Active, None)];
    stub(&[
        ("GET /v1/device/devices", &[(200, json(&devices))]),
        (
            "POST /v1/device/devices/d-1/suspend",
            &[(409, r#"{"code":"device_unchanged","message":"m"}"#.into())],
        ),
    ]);
    let root = show(Screen::Devices).await;
    wait_for(&root, "#suspend-d-1").await;
    click(&root, "#suspend-d-1");
    wait_for(&root, "#btn-confirm-action").await;
    click(&root, "#btn-confirm-action");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "That device's state has already changed. Check the list again."
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn a_backup_is_encrypted_here_and_offered_for_download() {
    let issued = serde_json::json!({
        "user_id": "alice", "restore_secret": "cmVzdG9yZS1zZWNyZXQ", "created_at": 1_795_564_800u64,
    });
    stub(&[("POST /v1/device/backup", &[(201, issued.to_string())])]);
    let root = show(Screen::Backup).await;
    assert_eq!(focused_id(), "backup-title");
    assert!(text(&root, "#backup-intro").contains("never your private key"));
    assert!(has(&root, "label[for='backup-password']"));
    click(&root, "#btn-backup-create");
    sleep(100).await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Enter your password."
    );
    assert!(calls().is_empty(), "no secret asked for without a password");
    fill(&root, "#backup-password", "Tessera-Demo-1!");
    click(&root, "#btn-backup-create");
    wait_for(&root, "#download-backup").await;
    sleep(100).await;
    assert_eq!(focused_id(), "backup-ready-text");
    let link: Element = element(&root, "a#download-backup");
    assert_eq!(
        link.get_attribute("download").as_deref(),
        Some("tessera-backup-alice.json")
    );
    let href = link.get_attribute("href").expect("a link");
    let encoded = href
        .strip_prefix("data:application/json;charset=utf-8,")
        .expect("a data URL");
    let file = String::from(js_sys::decode_uri_component(encoded).expect("percent-encoded"));
    assert!(file.contains("\"format\": \"tessera-backup/1\""), "{file}");
    assert!(
        !file.contains("cmVzdG9yZS1zZWNyZXQ"),
        "the secret is encrypted"
    );
    let contents = backup::decrypt(&file, "Tessera-Demo-1!").expect("opens with the password");
    assert_eq!(
        contents,
        Contents::new("alice", "Phone", "en", "cmVzdG9yZS1zZWNyZXQ", 1_795_564_800)
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn home_leads_to_my_devices() {
    let root = show(Screen::Home).await;
    assert_eq!(text(&root, "#btn-devices"), "My devices");
    stub(&[("GET /v1/device/devices", &[(200, "[]".into())])]);
    click(&root, "#btn-devices");
    wait_for(&root, "#devices").await;
    unstub_fetch();
    root.remove();
}

// --- issue 5: NEW USER, LOG IN with a Token or a Scan, settings --------------------------

/// Types `value` into the input `css` of `root` (an `input` event, as typing fires).
fn type_in(root: &Element, css: &str, value: &str) {
    type_into_element(&element(root, css), value);
}

/// Picks `value` in the select `css` of `root` (a `change` event).
fn choose(root: &Element, css: &str, value: &str) {
    choose_in_element(&element(root, css), value);
}

/// Waits until the wizard shows `step`, its heading focused.
async fn wizard_at(root: &Element, step: &str) {
    wait_for(root, &format!("#new-user[data-step='{step}']")).await;
    sleep(50).await;
    assert_eq!(focused_id(), "step-title", "the heading of {step}");
}

fn disabled(root: &Element, css: &str) -> bool {
    element::<Element>(root, css).has_attribute("disabled")
}

#[wasm_bindgen_test]
async fn a_new_user_walks_the_wizard_in_the_seeds_order() {
    let (root, app) = fresh_app().await;
    let activated = serde_json::json!({ "device_id": "d-9", "certificates": [] });
    stub(&[(
        "POST /v1/activation",
        &[
            (
                401,
                r#"{"code":"wrong_activation_code","message":"m","attempts_left":4}"#.into(),
            ),
            (201, activated.to_string()),
        ],
    )]);
    click(&root, "#btn-new-user");

    // 4. User ID and password.
    wizard_at(&root, "credentials").await;
    assert_eq!(text(&root, "#wizard-progress"), "Step 1/9");
    assert!(has(&root, "label[for='act-user-id']") && has(&root, "label[for='act-password']"));
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "Please fill in every field."
    );
    type_in(&root, "#act-user-id", "carol");
    type_in(&root, "#act-password", "Initial-Pass-1");
    click(&root, "#btn-next");

    // 5. The terms: CONFIRM only once the toggle is on.
    wizard_at(&root, "terms").await;
    assert!(text(&root, "#terms-text").contains("Keep your PIN secret"));
    assert!(has(
        &root,
        "input#terms-accept[type='checkbox'][role='switch']"
    ));
    assert!(has(&root, "label[for='terms-accept']"));
    assert_eq!(text(&root, "#btn-next"), "Confirm");
    assert!(disabled(&root, "#btn-next"));
    click(&root, "#terms-accept");
    sleep(50).await;
    assert!(!disabled(&root, "#btn-next"));
    click(&root, "#btn-next");

    // 6. The activation code.
    wizard_at(&root, "code").await;
    type_in(&root, "#act-code", "WRONG");
    click(&root, "#btn-next");

    // 7. Biometrics: later.
    wizard_at(&root, "biometrics").await;
    assert!(text(&root, "#biometrics-text").contains("later from the menu"));
    assert!(!has(&root, "#btn-next"));
    click(&root, "#btn-biometrics-later");

    // 8. The PIN: a trivial one is refused at once.
    wizard_at(&root, "pin").await;
    type_in(&root, "#act-pin", "123456");
    wait_for(&root, "#pin-problem[role='alert']").await;
    assert!(text(&root, "#pin-problem").starts_with("This PIN is too easy to guess."));
    type_in(&root, "#act-pin", "482913");
    type_in(&root, "#act-pin-confirm", "482913");
    sleep(50).await;
    assert!(!has(&root, "#pin-problem"));
    click(&root, "#btn-next");

    // 9. Three different questions, in the app's language, and their answers.
    wizard_at(&root, "questions").await;
    for i in 0..3 {
        assert!(has(&root, &format!("label[for='question-{i}']")));
        assert!(has(&root, &format!("label[for='answer-{i}']")));
    }
    assert_eq!(
        text(&root, "#question-0 option[value='1']"),
        "What was the name of your first pet?"
    );
    choose(&root, "#question-0", "0");
    sleep(50).await;
    assert!(
        disabled(&root, "#question-1 option[value='0']"),
        "chosen above"
    );
    assert!(!disabled(&root, "#question-0 option[value='0']"));
    choose(&root, "#question-1", "1");
    choose(&root, "#question-2", "4");
    type_in(&root, "#answer-0", "Esch-sur-Alzette");
    type_in(&root, "#answer-1", "Rex");
    type_in(&root, "#answer-2", "R");
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "Each answer needs at least 2 characters."
    );
    type_in(&root, "#answer-2", "Rue de la Gare");
    click(&root, "#btn-next");

    // 10. Review; back keeps everything.
    wizard_at(&root, "review").await;
    let review = text(&root, "#questions-review");
    assert!(
        review.contains("In which street did you live as a child?")
            && review.contains("Rue de la Gare")
    );
    click(&root, "#btn-back");
    wizard_at(&root, "questions").await;
    assert_eq!(value(&root, "#answer-1"), "Rex");
    assert_eq!(
        element::<web_sys::HtmlSelectElement>(&root, "#question-2").value(),
        "4"
    );
    click(&root, "#btn-next");
    wizard_at(&root, "review").await;
    click(&root, "#btn-questions-confirm");

    // 11. The device's name.
    wizard_at(&root, "name").await;
    type_in(&root, "#act-device-name", "Carol's phone");
    click(&root, "#btn-next");

    // 12. The new password, with its checklist.
    wizard_at(&root, "password").await;
    assert!(
        has(&root, "label[for='new-password']") && has(&root, "label[for='new-password-confirm']")
    );
    let describedby = element::<Element>(&root, "#new-password").get_attribute("aria-describedby");
    assert_eq!(describedby.as_deref(), Some("password-checklist"));
    type_in(&root, "#new-password", "carol-2026");
    sleep(50).await;
    // Long enough and mixed, but it holds the user ID, and nothing is repeated yet.
    let marks = || -> Vec<String> {
        let list = root
            .query_selector_all("#password-checklist li")
            .expect("items");
        (0..list.length())
            .filter_map(|i| list.get(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .map(|e| e.get_attribute("data-ok").unwrap_or_default())
            .collect()
    };
    assert_eq!(marks(), ["true", "true", "false", "false"]);
    type_in(&root, "#new-password", "Winter-Sun-2026");
    type_in(&root, "#new-password-confirm", "Winter-Sun-2026");
    sleep(50).await;
    assert_eq!(marks(), ["true", "true", "true", "true"]);
    assert_eq!(text(&root, "#btn-next"), "Activate");
    click(&root, "#btn-next");

    // The server refuses the code: back to its step, everything kept.
    wizard_at(&root, "code").await;
    assert_eq!(
        text(&root, "#form-error[role='alert']"),
        "The activation code is wrong. Attempts left: 4."
    );
    assert_eq!(value(&root, "#act-code"), "WRONG");
    type_in(&root, "#act-code", "ZX81Q");
    // Forward again, every step as it was left.
    for _ in 0..8 {
        if has(&root, "#new-user[data-step='password']") {
            break;
        }
        click(&root, "#new-user form button[type='submit']");
        sleep(100).await;
    }
    wizard_at(&root, "password").await;
    assert_eq!(value(&root, "#new-password"), "Winter-Sun-2026");
    click(&root, "#btn-next");
    wait_for(&root, "#certificate").await;

    let calls = calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let sent = &calls[1].2;
    assert_eq!(
        sent["credential"],
        serde_json::json!({ "activation_code": "ZX81Q" })
    );
    assert_eq!(sent["password"], "Initial-Pass-1");
    assert_eq!(sent["pin"], "482913");
    assert_eq!(sent["device_name"], "Carol's phone");
    assert_eq!(
        sent["setup"],
        serde_json::json!({
            "terms_accepted": true,
            "security_answers": [
                { "question": 0, "answer": "Esch-sur-Alzette" },
                { "question": 1, "answer": "Rex" },
                { "question": 4, "answer": "Rue de la Gare" },
            ],
            "new_password": "Winter-Sun-2026",
        })
    );
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Carol's phone")
    );
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn the_first_step_back_returns_to_the_welcome_screen() {
    let (root, app) = fresh_app().await;
    click(&root, "#btn-new-user");
    wizard_at(&root, "credentials").await;
    click(&root, "#btn-back");
    wait_for(&root, "#welcome").await;
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_token_activation_waits_for_the_sms_link() {
    let (root, app) = fresh_app().await;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let pending = serde_json::json!({
        "activation_id": "p-5", "phone_hint": "+352 ••• ••• 002", "expires_at": now + 21_600,
    });
    stub(&[(
        "POST /v1/activation",
        &[
            (
                401,
                r#"{"code":"wrong_token_code","message":"m","attempts_left":4}"#.into(),
            ),
            (202, pending.to_string()),
        ],
    )]);
    click(&root, "#btn-login");
    wait_for(&root, "#activate").await;
    assert!(!has(&root, "#act-pin"), "nothing chosen yet");
    assert!(!has(&root, "input[name='act-path']:checked"));
    let html = root.inner_html();
    let at = |id: &str| {
        html.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(at("act-token") < at("act-scan") && at("act-restore") < at("act-lost-device"));
    fill(&root, "#act-user-id", "bob");
    fill(&root, "#act-password", "Bob-Pass-2026!");
    click(&root, "#act-token");
    wait_for(&root, "#act-token-code").await;
    assert_eq!(
        text(&root, "label[for='act-token-code']"),
        "Code shown by your Token (6 digits)"
    );
    let order = root.inner_html();
    assert!(order.find("act-token-code") < order.find("act-pin"));
    fill(&root, "#act-token-code", "12345");
    fill(&root, "#act-pin", "482913");
    fill(&root, "#act-pin-confirm", "482913");
    fill(&root, "#act-device-name", "Bob's phone");
    click(&root, "#act-submit");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "The Token's code must be exactly 6 digits."
    );
    assert!(calls().is_empty());
    fill(&root, "#act-token-code", "123 456");
    click(&root, "#act-submit");
    wait_text(&root, "#form-error", |t| {
        t == "The Token's code is wrong. Attempts left: 4."
    })
    .await;
    assert_eq!(
        value(&root, "#act-device-name"),
        "Bob's phone",
        "what was typed stays"
    );
    fill(&root, "#act-token-code", "654321");
    click(&root, "#act-submit");
    wait_for(&root, "#pending").await;
    assert!(text(&root, "#pending-text").contains("+352 ••• ••• 002"));
    let calls = calls();
    assert_eq!(
        calls[1].2["credential"],
        serde_json::json!({ "token": "654321" })
    );
    assert_eq!(calls[1].2["password"], "Bob-Pass-2026!");
    assert!(calls[1].2.get("setup").is_none());
    let stored: PendingActivation =
        serde_json::from_str(&storage_item("tessera.pending_activation").expect("stored"))
            .expect("json");
    assert_eq!(stored.activation_id, "p-5");
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn a_scan_activation_answers_two_mosaics_without_a_password() {
    let (root, app) = fresh_app().await;
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let first = serde_json::json!({ "challenge_id": "c-1", "challenge": "11112222", "expires_at": now + 300 });
    let second = serde_json::json!({ "challenge_id": "c-2", "challenge": "33334444", "expires_at": now + 300 });
    let activated = serde_json::json!({ "device_id": "d-8", "certificates": [] });
    stub(&[
        ("POST /v1/activation/scan", &[(200, first.to_string())]),
        ("POST /v1/activation", &[(200, second.to_string())]),
        (
            "POST /v1/activation/scan/confirm",
            &[
                (
                    401,
                    r#"{"code":"wrong_scan_response","message":"m","attempts_left":4}"#.into(),
                ),
                (201, activated.to_string()),
            ],
        ),
    ]);
    click(&root, "#btn-login");
    wait_for(&root, "#activate").await;

    // No user ID yet: the mosaic waits for it.
    click(&root, "#act-scan");
    wait_for(&root, "#btn-scan-start").await;
    assert!(calls().is_empty());
    click(&root, "#btn-scan-start");
    wait_for(&root, "#scan-error[role='alert']").await;
    assert!(text(&root, "#scan-error").starts_with("Enter your user ID first"));
    fill(&root, "#act-user-id", "dave");
    click(&root, "#btn-scan-start");

    // The first mosaic: a QR code of its challenge, its time, the Scan's code.
    wait_for(&root, "#scan-mosaic[data-challenge='11112222'] svg").await;
    assert!(has(&root, "#scan-mosaic [role='img'][aria-label]"));
    assert_eq!(text(&root, "#scan-challenge"), "1111 2222");
    let expiry = text(&root, "#scan-expiry[role='timer']");
    assert!(
        expiry.starts_with("Valid for 4:") || expiry == "Valid for 5:00",
        "{expiry}"
    );
    let hidden = element::<Element>(&root, "#act-password")
        .closest("[hidden]")
        .expect("a query");
    assert!(hidden.is_some(), "no password with a Scan");
    let order = root.inner_html();
    assert!(order.find("scan-response") < order.find("act-pin"));
    assert!(order.find("act-pin") < order.find("act-device-name"));
    fill(&root, "#scan-response", "135790");
    fill(&root, "#act-pin", "482913");
    fill(&root, "#act-pin-confirm", "482913");
    fill(&root, "#act-device-name", "Dave's phone");
    click(&root, "#act-submit");

    // The second mosaic, from this device's key.
    wait_for(&root, "#scan-confirm").await;
    sleep(100).await;
    assert_eq!(focused_id(), "scan-confirm-title");
    assert!(has(&root, "#scan-mosaic[data-challenge='33334444']"));
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(
        text(&root, "#form-error"),
        "The Scan's code must be exactly 6 digits."
    );
    fill(&root, "#scan-response", "000111");
    click(&root, "#btn-next");
    wait_text(&root, "#form-error", |t| t.ends_with("Attempts left: 4.")).await;
    fill(&root, "#scan-response", "246801");
    click(&root, "#btn-next");
    wait_for(&root, "#certificate").await;
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Dave's phone")
    );

    let calls = calls();
    let body = |path: &str| -> Vec<serde_json::Value> {
        calls
            .iter()
            .filter(|(_, url, _)| url == path)
            .map(|(_, _, b)| b.clone())
            .collect()
    };
    assert_eq!(
        body("/v1/activation/scan"),
        [serde_json::json!({ "user_id": "dave" })]
    );
    let activation = &body("/v1/activation")[0];
    assert_eq!(activation["password"], "");
    assert_eq!(
        activation["credential"],
        serde_json::json!({ "scan": { "challenge_id": "c-1", "response": "135790" } })
    );
    assert_eq!(
        body("/v1/activation/scan/confirm")[1],
        serde_json::json!({ "challenge_id": "c-2", "response": "246801" })
    );
    tear_down(root, app).await;
}

#[wasm_bindgen_test]
async fn an_expired_second_mosaic_means_starting_again() {
    keystore::generate().await.expect("a key");
    let second = tessera_companion::lifecycle::ScanSecond {
        challenge: tessera_protocol::api::ScanChallenge {
            challenge_id: "c-2".into(),
            challenge: "33334444".into(),
            expires_at: 1,
        },
        user_id: "dave".into(),
        device_name: "Phone".into(),
    };
    stub(&[(
        "POST /v1/activation/scan/confirm",
        &[(410, r#"{"code":"challenge_expired","message":"m"}"#.into())],
    )]);
    let root = show_state(State {
        screen: Screen::ScanConfirm(Rc::new(second)),
        device: None,
        handled: vec![],
        pending: None,
    })
    .await;
    assert!(has(
        &root,
        "#scan-mosaic[data-expired='true'] #scan-expiry[role='alert']"
    ));
    fill(&root, "#scan-response", "246801");
    click(&root, "#btn-next");
    wait_for(&root, "#form-error:not([hidden])").await;
    assert_eq!(text(&root, "#form-error"), "This mosaic has expired.");
    assert!(!has(&root, "#btn-next") && !has(&root, "#scan-response"));
    click(&root, "#btn-start-again");
    wait_for(&root, "#activate").await;
    assert!(
        !keystore::has_key().await,
        "the key for that activation is gone"
    );
    unstub_fetch();
    root.remove();
}

#[wasm_bindgen_test]
async fn the_settings_show_the_certificate_change_the_pin_and_rename() {
    clear_storage();
    let fixture = tessera_protocol::testkit::Fixture::default();
    stub(&[
        (
            "POST /v1/device/pin",
            &[
                (
                    401,
                    r#"{"code":"wrong_pin","message":"m","attempts_left":4}"#.into(),
                ),
                (204, String::new()),
            ],
        ),
        ("POST /v1/device/name", &[(204, String::new())]),
    ]);
    let root = show_state(State {
        screen: Screen::Settings,
        device: Some(Rc::new(Device {
            device_id: "d-0001".into(),
            user_id: "alice".into(),
            name: "Phone".into(),
            certificates: fixture.certificates.clone(),
        })),
        handled: vec![],
        pending: None,
    })
    .await;
    assert_eq!(focused_id(), "settings-title");

    // The certificate: subject, serial, issuer, validity and fingerprint.
    let cert = text(&root, "#settings-cert");
    for label in [
        "User ID",
        "Serial number",
        "Issued by",
        "Valid from",
        "Valid until",
        "SHA-256 fingerprint",
    ] {
        assert!(cert.contains(label), "{label} in {cert}");
    }
    assert!(cert.contains("alice"));

    // A new PIN: checked here, then by the server.
    for id in ["pin-old", "pin-new", "pin-new-confirm", "rename"] {
        assert!(has(&root, &format!("label[for='{id}']")), "label of #{id}");
    }
    fill(&root, "#pin-old", "482913");
    fill(&root, "#pin-new", "123456");
    fill(&root, "#pin-new-confirm", "123456");
    click(&root, "#btn-pin-change");
    wait_for(&root, "#pin-error:not([hidden])").await;
    assert!(text(&root, "#pin-error[role='alert']").starts_with("This PIN is too easy"));
    fill(&root, "#pin-new", "739154");
    fill(&root, "#pin-new-confirm", "739154");
    click(&root, "#btn-pin-change");
    wait_text(&root, "#pin-error", |t| t == "Wrong PIN. Attempts left: 4.").await;
    assert_eq!(value(&root, "#pin-new"), "739154", "what was typed stays");
    click(&root, "#btn-pin-change");
    wait_for(&root, "#pin-changed:not(:empty)").await;
    assert_eq!(
        text(&root, "#pin-changed[role='status']"),
        "Your PIN is changed. Use the new one from now on."
    );
    assert_eq!(value(&root, "#pin-old"), "", "PINs do not stay on screen");

    // A new name.
    assert_eq!(value(&root, "#rename"), "Phone");
    fill(&root, "#rename", "  Work phone ");
    click(&root, "#btn-rename");
    wait_for(&root, "#rename-done:not(:empty)").await;
    assert_eq!(
        text(&root, "#rename-done"),
        "This device is now called \"Work phone\"."
    );
    assert_eq!(
        storage_item("tessera.device_name").as_deref(),
        Some("Work phone")
    );
    let calls = calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[2].2, serde_json::json!({ "name": "Work phone" }));
    assert_eq!(
        calls[1].2,
        serde_json::json!({ "old_pin": "482913", "new_pin": "739154" })
    );

    // Geolocation: off by default, said what it does, and kept once turned on or off.
    let geolocation: HtmlInputElement = element(&root, "#toggle-geolocation[role='switch']");
    assert!(!geolocation.disabled() && !geolocation.checked());
    assert_eq!(storage_item("tessera.geolocation"), None);
    assert!(text(&root, "#toggle-geolocation-note").contains("about 10 km"));
    click(&root, "#toggle-geolocation");
    wait_for(&root, "#toggle-geolocation[data-state='on']").await;
    assert_eq!(storage_item("tessera.geolocation").as_deref(), Some("on"));
    click(&root, "#toggle-geolocation");
    wait_for(&root, "#toggle-geolocation[data-state='off']").await;
    assert_eq!(storage_item("tessera.geolocation").as_deref(), Some("off"));

    // Biometrics: off, a working switch that first asks for the PIN (checked here for its
    // shape, nothing sent); the platform prompt itself is the e2e test's (Chromium's
    // virtual authenticator).
    let bio: HtmlInputElement = element(&root, "#toggle-biometrics[role='switch']");
    assert!(!bio.disabled() && !bio.checked());
    assert_eq!(
        text(&root, "#bio-state[role='status']"),
        "Biometrics are off: approvals ask for your PIN."
    );
    assert!(
        !has(&root, "#bio-pin"),
        "no PIN field until the switch is used"
    );
    click(&root, "#toggle-biometrics");
    wait_for(&root, "#bio-pin").await;
    fill(&root, "#bio-pin", "4829");
    click(&root, "#btn-bio-enable");
    wait_for(&root, "#bio-error:not([hidden])").await;
    assert_eq!(self::calls().len(), 3, "a malformed PIN is not sent");
    click(&root, "#toggle-biometrics");
    wait_for(&root, "#biometrics:not(:has(#bio-pin))").await;

    // Support; version.
    assert_eq!(
        element::<Element>(&root, "#support-phone")
            .get_attribute("href")
            .as_deref(),
        Some("tel:+35224550550")
    );
    assert_eq!(text(&root, "#support-phone"), "+352 24 550 550");
    assert_eq!(text(&root, "#support-email"), "helpdesk@tessera.example");
    assert_eq!(
        text(&root, "#support-hours"),
        "Monday to Friday, 8:00–18:00"
    );
    assert_eq!(text(&root, "#app-version"), env!("CARGO_PKG_VERSION"));
    assert!(has(&root, "#btn-devices") && has(&root, "#btn-backup"));
    unstub_fetch();
    clear_storage();
    root.remove();
}

#[wasm_bindgen_test]
async fn home_leads_to_the_settings() {
    let root = show(Screen::Home).await;
    assert_eq!(text(&root, "#btn-settings"), "Settings");
    click(&root, "#btn-settings");
    wait_for(&root, "#settings").await;
    click(&root, "#btn-back");
    wait_for(&root, "#home").await;
    root.remove();
}
