//! The device key in the browser: bindings to the device-key part of `browser.js` (WebCrypto + IndexedDB).
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::approval::low_s;
use crate::errors::Failure;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = generateDeviceKey)]
    async fn js_generate() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = sign)]
    async fn js_sign(data: Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = hasKey)]
    async fn js_has_key() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = deleteKey)]
    async fn js_delete_key() -> Result<JsValue, JsValue>;
}

fn bytes(value: JsValue) -> Vec<u8> {
    Uint8Array::new(&value).to_vec()
}

/// Creates (replacing any old one) and stores the device key; returns the public key as
/// an uncompressed SEC1 point (65 bytes).
pub async fn generate() -> Result<Vec<u8>, Failure> {
    let public = bytes(js_generate().await.map_err(|_| Failure::Key)?);
    if public.len() == 65 {
        Ok(public)
    } else {
        Err(Failure::Key)
    }
}

/// Signs `data` with the device key: a raw `r||s` ES256 signature, normalised to low S.
pub async fn sign(data: &[u8]) -> Result<[u8; 64], Failure> {
    let raw = bytes(
        js_sign(Uint8Array::from(data))
            .await
            .map_err(|_| Failure::Key)?,
    );
    low_s(&raw).ok_or(Failure::Key)
}

/// Whether this browser holds a device key.
pub async fn has_key() -> bool {
    matches!(js_has_key().await, Ok(v) if v.is_truthy())
}

/// Deletes the device key (a failed activation leaves none behind).
pub async fn delete_key() {
    let _ = js_delete_key().await;
}
