//! The one fetch helper every component uses, and the calls of the companion API
//! (`docs/API.md`). Same origin; the device is known by its HttpOnly cookie.
use js_sys::Date;
use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::api::{
    Activated, ActivationRequest, ApiError, DeviceRequest, MatchRequest, RespondRequest,
    ScanRequest, SessionEvent,
};
use web_sys::{Headers, RequestCredentials, RequestInit};

use crate::errors::Failure;

/// POSTs `body` as JSON to `path` and decodes the answer; an error status becomes
/// [`Failure::Api`] with the server's [`ApiError`].
pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: Option<&B>,
) -> Result<R, Failure> {
    let text = send(path, body).await?;
    serde_json::from_str(&text).map_err(|_| Failure::Network)
}

/// POSTs `body` as JSON to `path`; the body of a success, or the error.
async fn send<B: Serialize>(path: &str, body: Option<&B>) -> Result<String, Failure> {
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
        return Ok(text);
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

/// `POST /v1/device/sessions/{id}/open`: the request, with number choices if it was
/// pushed and not matched yet.
pub async fn open(session_id: &str) -> Result<DeviceRequest, Failure> {
    post::<(), _>(&session_path(session_id, "open"), None).await
}

/// `POST /v1/device/sessions/{id}/match`: the picked number; the request to approve, or
/// `409 wrong_number` (the server cancelled the session).
pub async fn match_number(session_id: &str, number: u8) -> Result<DeviceRequest, Failure> {
    post(
        &session_path(session_id, "match"),
        Some(&MatchRequest { number }),
    )
    .await
}

/// `POST /v1/device/sessions/{id}/respond`.
pub async fn respond(session_id: &str, request: &RespondRequest) -> Result<SessionEvent, Failure> {
    post(&session_path(session_id, "respond"), Some(request)).await
}

/// `POST /v1/device/sessions/{id}/report` ("This wasn't me") → `204`: the server cancels
/// the session and records a fraud report for the partner.
pub async fn report(session_id: &str) -> Result<(), Failure> {
    send::<()>(&session_path(session_id, "report"), None)
        .await
        .map(drop)
}

/// `/v1/device/sessions/{id}/{action}`, the id percent-encoded.
fn session_path(session_id: &str, action: &str) -> String {
    let id = String::from(js_sys::encode_uri_component(session_id));
    format!("/v1/device/sessions/{id}/{action}")
}

/// The browser's clock in Unix seconds.
pub fn now_secs() -> u64 {
    (Date::now() / 1000.0) as u64
}
