//! The one `fetch` call of both apps.
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

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
