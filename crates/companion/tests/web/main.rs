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

mod lifecycle;
mod onboarding;
mod requests;

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
        binding_message: None,
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
