//! The one `fetch` call of both apps, and the one way they read JSON.
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// `text` read as a `T`, or `None`. Through `from_slice`, the reader the protocol's
/// verification uses: an app then holds one copy of serde_json's parser, not one per
/// reader type (the widget's wasm was 0.75 KB brotli smaller).
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_slice(text.as_bytes()).ok()
}

/// Fetches `url` with `init` and answers the status and the body text (empty when the
/// body cannot be read); `None` when there is no answer at all (network, CORS, no window).
pub async fn fetch_text(url: &str, init: &RequestInit) -> Option<(u16, String)> {
    let promise = web_sys::window()?.fetch_with_str_and_init(url, init);
    let response: Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    Some((response.status(), text.unwrap_or_default()))
}
