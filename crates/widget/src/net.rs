//! The one fetch helper every request of the widget and the demo page goes through.
use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::api::ApiError;
use wasm_bindgen::JsValue;
use web_sys::{Headers, RequestInit};

/// Why a request did not give the expected answer.
#[derive(Debug, Clone)]
pub enum FetchError {
    /// No answer at all (network, CORS, server down).
    Network,
    /// The server answered with an `ApiError`.
    Api(ApiError),
    /// The server answered something else than expected (status, body).
    Unexpected(u16),
}

/// The JSON text of `body`, for the calls below (which take JSON text, so that the
/// fetch code exists once, not once per body type).
pub fn json<B: Serialize>(body: &B) -> String {
    serde_json::to_string(body).unwrap_or_default()
}

/// POSTs the JSON text `body` to `url` (with `Authorization: Bearer` when `bearer` is
/// given) and returns the status and the body text.
pub async fn post(
    url: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<(u16, String), FetchError> {
    let headers = Headers::new().map_err(|_| FetchError::Network)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(|_| FetchError::Network)?;
    if let Some(token) = bearer {
        let mut value = String::from("Bearer ");
        value.push_str(token);
        headers
            .set("Authorization", &value)
            .map_err(|_| FetchError::Network)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    tessera_ui::fetch_text(url, &init)
        .await
        .ok_or(FetchError::Network)
}

/// POSTs and answers the status and body text of a 2xx response; an `ApiError` body
/// otherwise.
async fn post_2xx(
    url: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<(u16, String), FetchError> {
    let (status, text) = post(url, body, bearer).await?;
    if (200..300).contains(&status) {
        Ok((status, text))
    } else {
        Err(tessera_ui::parse_json::<ApiError>(&text)
            .map_or(FetchError::Unexpected(status), FetchError::Api))
    }
}

/// POSTs and decodes a JSON answer of type `T` from a 2xx response; an `ApiError` body
/// otherwise.
pub async fn post_json<T: DeserializeOwned>(
    url: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<T, FetchError> {
    let (status, text) = post_2xx(url, body, bearer).await?;
    tessera_ui::parse_json(&text).ok_or(FetchError::Unexpected(status))
}

/// POSTs and only cares whether the answer was 2xx.
pub async fn post_ok(url: &str, body: &str, bearer: Option<&str>) -> bool {
    matches!(post(url, body, bearer).await, Ok((200..=299, _)))
}
