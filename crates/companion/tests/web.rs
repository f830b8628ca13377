//! In a real browser (headless Chromium): the WebCrypto key store round trip and the
//! app's first screen.
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p tessera-companion --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use p256::ecdsa::{Signature, VerifyingKey, signature::Verifier};
use tessera_companion::{components::app::App, keystore};
use tessera_protocol::{
    Token, api::activation_message, assemble, b64_decode, b64_encode, verify_es256,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

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
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    yew::Renderer::<App>::with_root(root.clone()).render();
    sleep(300).await;
    assert!(
        document.get_element_by_id("btn-activate").is_some(),
        "{}",
        root.inner_html()
    );
    assert!(document.get_element_by_id("lang-select").is_some());
}
