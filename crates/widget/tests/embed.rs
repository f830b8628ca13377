//! The JS API partners call, `tessera_widget::embed::mount`, in headless Chromium: options
//! it refuses, a configuration it starts with at once (the QR, no button), `onError` for a
//! configuration that is not one, and `cancel()` removing the widget. The rest (a real
//! login through a partner page) is tests/e2e/embedding.rs.
#![cfg(target_arch = "wasm32")]
use std::{cell::RefCell, rc::Rc};

use tessera_protocol::{
    api::{SessionCreated, WidgetConfig},
    b64_encode,
    testkit::{self, Fixture},
    verifying_key_to_b64,
};
use tessera_widget::embed::mount;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn element() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let element = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&element)
        .expect("appended");
    element
}

/// Lets yew render and run its effects.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A JS function that records what it is called with.
fn recorder() -> (js_sys::Function, Rc<RefCell<Vec<JsValue>>>) {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&calls);
    let f = Closure::<dyn Fn(JsValue)>::new(move |v| seen.borrow_mut().push(v)).into_js_value();
    (f.unchecked_into(), calls)
}

fn options(pairs: &[(&str, &JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), value).expect("set");
    }
    object.into()
}

fn get(value: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

fn config_json() -> String {
    let fixture = Fixture::default();
    let expected = testkit::expected();
    serde_json::to_string(&WidgetConfig {
        server: "http://127.0.0.1:9".into(),
        session: SessionCreated {
            session_id: expected.session_id.into(),
            nonce: expected.nonce.into(),
            partner_id: expected.partner_id.into(),
            qr_secret: b64_encode(b"qr secret of sixteen"),
            watch_token: "watch".into(),
            expires_at: (js_sys::Date::now() / 1000.0) as u64 + 300,
        },
        kind: expected.kind,
        root_key: verifying_key_to_b64(fixture.root.verifying_key()),
        root_keys: Vec::new(),
        details: None,
    })
    .expect("JSON")
}

#[wasm_bindgen_test]
fn mount_needs_a_config_or_a_config_url() {
    let error = mount(element(), options(&[])).err().expect("refused");
    assert!(error.as_string().unwrap_or_default().contains("config"));
    let not_a_function = JsValue::from_str("no");
    let error = mount(
        element(),
        options(&[
            ("config", &JsValue::from_str("{}")),
            ("onResult", &not_a_function),
        ]),
    )
    .err()
    .expect("refused");
    assert!(error.as_string().unwrap_or_default().contains("onResult"));
}

#[wasm_bindgen_test]
async fn a_config_starts_at_once_and_cancel_removes_the_widget() {
    let root = element();
    let (on_result, results) = recorder();
    let (on_error, errors) = recorder();
    let mut handle = mount(
        root.clone(),
        options(&[
            ("config", &JsValue::from_str(&config_json())),
            ("lang", &JsValue::from_str("fr")),
            ("onResult", &on_result),
            ("onError", &on_error),
        ]),
    )
    .expect("mounted");
    settle().await;
    let status = root.query_selector("#tessera-status").ok().flatten();
    let status = status.expect("the widget is there");
    assert_eq!(
        status.get_attribute("data-state").as_deref(),
        Some("pending")
    );
    assert!(root.query_selector("#tessera-qr").ok().flatten().is_some());
    assert!(
        root.query_selector("#tessera-start")
            .ok()
            .flatten()
            .is_none()
    );
    assert_eq!(
        root.query_selector(".tessera")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("lang"))
            .as_deref(),
        Some("fr")
    );
    assert!(results.borrow().is_empty(), "no result without an approval");
    handle.cancel();
    settle().await;
    assert!(root.query_selector(".tessera").ok().flatten().is_none());
    handle.cancel(); // twice is fine
    let _ = errors;
}

#[wasm_bindgen_test]
async fn a_config_that_is_not_one_calls_on_error() {
    let root = element();
    let (on_error, errors) = recorder();
    let _handle = mount(
        root.clone(),
        options(&[
            ("config", &JsValue::from_str(r#"{"kind":"login"}"#)),
            ("lang", &JsValue::from_str("en")),
            ("onError", &on_error),
        ]),
    )
    .expect("mounted");
    settle().await;
    let errors = errors.borrow();
    assert_eq!(errors.len(), 1, "onError once");
    assert_eq!(get(&errors[0], "code").as_deref(), Some("start_failed"));
    assert!(!get(&errors[0], "message").unwrap_or_default().is_empty());
    // One mount is one session: no button to start another with the same config.
    assert!(
        root.query_selector("#tessera-new-qr")
            .ok()
            .flatten()
            .is_none()
    );
}
