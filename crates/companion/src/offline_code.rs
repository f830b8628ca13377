//! The offline one-time code on the phone (issue 17): the OCRA key is derived from a
//! non-extractable WebCrypto HMAC key and the PIN (`browser.js`), given to the server once
//! with the PIN, and derived again offline to compute the code for the offline QR's
//! challenge. A wrong PIN gives a wrong code; only the server can tell.
use js_sys::Uint8Array;
use tessera_oath::{OcraInput, OcraSuite};
use tessera_protocol::{
    b64_encode,
    offline::{OFFLINE_OCRA_SUITE, OfflineChallenge, OfflineKeyRequest, offline_key_message},
};
use wasm_bindgen::prelude::*;

use crate::api;
use crate::errors::Failure;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = generateOfflineKey)]
    async fn js_generate() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = offlineMac)]
    async fn js_mac(message: Uint8Array) -> Result<JsValue, JsValue>;
}

/// The OCRA key for `pin`.
async fn derive(pin: &str) -> Result<Vec<u8>, Failure> {
    let message = Uint8Array::from(offline_key_message(pin).as_slice());
    let mac = js_mac(message).await.map_err(|_| Failure::Key)?;
    let key = Uint8Array::new(&mac).to_vec();
    if key.len() == 32 {
        Ok(key)
    } else {
        Err(Failure::Key)
    }
}

/// Makes a new offline key and gives the server the OCRA key derived with `pin` (which
/// the server checks). Right after activation, and from Settings.
pub async fn provision(pin: String) -> Result<(), Failure> {
    js_generate().await.map_err(|_| Failure::Key)?;
    let key = b64_encode(&derive(&pin).await?);
    api::post_empty(
        "/v1/device/offline-key",
        Some(&OfflineKeyRequest { key, pin }),
    )
    .await
}

/// The 8-digit code for `challenge`, with the PIN the person typed; no network needed.
pub async fn code(challenge: &OfflineChallenge, pin: &str) -> Result<String, Failure> {
    let key = derive(pin).await?;
    let suite = OcraSuite::parse(OFFLINE_OCRA_SUITE).map_err(|_| Failure::Key)?;
    suite
        .compute(&key, &OcraInput::new(&challenge.question()))
        .map_err(|_| Failure::Key)
}
