//! The one fetch helper every component uses, and the calls of the companion API
//! (`docs/API.md`). Same origin; the device is known by its HttpOnly cookie.
use js_sys::Date;
use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::api::{
    Activated, ActivationRequest, ApiError, DeviceRequest, RespondRequest, ScanRequest,
    SessionEvent,
};
use web_sys::{Headers, RequestCredentials, RequestInit};

use crate::errors::Failure;

/// POSTs `body` as JSON to `path` and decodes the answer; an error status becomes
/// [`Failure::Api`] with the server's [`ApiError`].
pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: Option<&B>,
) -> Result<R, Failure> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| Failure::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let json = serde_json::to_string(body).map_err(|_| Failure::Network)?;
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&json.into());
    }
    init.set_headers(&headers);
    let (status, text) = tessera_ui::fetch_text(path, &init)
        .await
        .ok_or(Failure::Network)?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| Failure::Network);
    }
    let error = serde_json::from_str(&text).unwrap_or_else(|_| ApiError {
        code: format!("http_{status}"),
        message: text,
        attempts_left: None,
    });
    Err(Failure::Api { status, error })
}

/// `POST /v1/activation`.
pub async fn activate(request: &ActivationRequest) -> Result<Activated, Failure> {
    post("/v1/activation", Some(request)).await
}

/// `POST /v1/device/scan`.
pub async fn scan(request: &ScanRequest) -> Result<DeviceRequest, Failure> {
    post("/v1/device/scan", Some(request)).await
}

/// `POST /v1/device/sessions/{id}/open`.
pub async fn open(session_id: &str) -> Result<DeviceRequest, Failure> {
    post::<(), _>(
        &format!("/v1/device/sessions/{}/open", encode(session_id)),
        None,
    )
    .await
}

/// `POST /v1/device/sessions/{id}/respond`.
pub async fn respond(session_id: &str, request: &RespondRequest) -> Result<SessionEvent, Failure> {
    post(
        &format!("/v1/device/sessions/{}/respond", encode(session_id)),
        Some(request),
    )
    .await
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

/// The browser's clock in Unix seconds.
pub fn now_secs() -> u64 {
    (Date::now() / 1000.0) as u64
}
