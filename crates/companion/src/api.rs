//! The one fetch helper every component uses, and the calls of the companion API
//! (`docs/API.md`). Same origin; the device is known by its HttpOnly cookie.
use js_sys::Date;
use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::api::{
    Activated, ActivationConfirm, ActivationRequest, BackupIssued, DeviceRename, DeviceRequest,
    DeviceSummary, MatchRequest, PinChange, RespondRequest, ScanChallenge, ScanConfirm,
    ScanRequest, ScanStart, SessionEvent,
};
use web_sys::{Headers, RequestCredentials, RequestInit};

use crate::errors::Failure;
use crate::lifecycle::{ActivationAnswer, DeviceAction, activation_answer};

/// POSTs `body` as JSON to `path` and decodes the answer; an error status becomes
/// [`Failure::Api`] with the server's [`ApiError`](tessera_protocol::api::ApiError).
pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: Option<&B>,
) -> Result<R, Failure> {
    let text = send("POST", path, body).await?;
    tessera_ui::parse_json(&text).ok_or(Failure::Network)
}

/// POSTs `body` as JSON to `path` for an answer without a body (`204`).
pub async fn post_empty<B: Serialize>(path: &str, body: Option<&B>) -> Result<(), Failure> {
    send("POST", path, body).await.map(drop)
}

/// GETs `path` and decodes the answer, like [`post`].
pub async fn get<R: DeserializeOwned>(path: &str) -> Result<R, Failure> {
    let text = send::<()>("GET", path, None).await?;
    tessera_ui::parse_json(&text).ok_or(Failure::Network)
}

/// Sends the request; the body of a success, or the error.
async fn send<B: Serialize>(method: &str, path: &str, body: Option<&B>) -> Result<String, Failure> {
    let (status, text) = fetch(method, path, body).await?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(Failure::from_response(status, &text))
    }
}

/// Sends `body` as JSON with `method` to `path`; the status and the body's text, whatever
/// the status.
async fn fetch<B: Serialize>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<(u16, String), Failure> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| Failure::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let json = serde_json::to_string(body).map_err(|_| Failure::Network)?;
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&json.into());
    }
    init.set_headers(&headers);
    tessera_ui::fetch_text(path, &init)
        .await
        .ok_or(Failure::Network)
}

/// `POST /v1/activation`: activated, pending (a restore), or a device to replace; the
/// `409 device_limit` body lists the devices, so it is read here, not as an error.
pub async fn activate(request: &ActivationRequest) -> Result<ActivationAnswer, Failure> {
    let (status, text) = fetch("POST", "/v1/activation", Some(request)).await?;
    activation_answer(status, &text)
}

/// `POST /v1/activation/confirm`: the link from the SMS of a restore was opened.
pub async fn confirm(request: &ActivationConfirm) -> Result<Activated, Failure> {
    post("/v1/activation/confirm", Some(request)).await
}

/// `POST /v1/activation/scan`: the first mosaic for the user's Scan (flow C).
pub async fn scan_start(user_id: &str) -> Result<ScanChallenge, Failure> {
    let start = ScanStart {
        user_id: user_id.into(),
    };
    post("/v1/activation/scan", Some(&start)).await
}

/// `POST /v1/activation/scan/confirm`: the Scan's answer to the second mosaic; the device
/// is activated.
pub async fn scan_confirm(confirm: &ScanConfirm) -> Result<Activated, Failure> {
    post("/v1/activation/scan/confirm", Some(confirm)).await
}

/// `POST /v1/device/pin` → `204`: the PIN is changed.
pub async fn change_pin(change: &PinChange) -> Result<(), Failure> {
    post_empty("/v1/device/pin", Some(change)).await
}

/// `POST /v1/device/name` → `204`: this device is renamed.
pub async fn rename(rename: &DeviceRename) -> Result<(), Failure> {
    post_empty("/v1/device/name", Some(rename)).await
}

/// `POST /v1/device/backup`: a new restore secret (older backups stop working).
pub async fn backup() -> Result<BackupIssued, Failure> {
    post::<(), _>("/v1/device/backup", None).await
}

/// `GET /v1/device/devices`: the user's devices, this one included.
pub async fn devices() -> Result<Vec<DeviceSummary>, Failure> {
    get("/v1/device/devices").await
}

/// `POST /v1/device/devices/{id}/{suspend|remove}`: the devices afterwards.
pub async fn device_action(
    device_id: &str,
    action: DeviceAction,
) -> Result<Vec<DeviceSummary>, Failure> {
    post::<(), _>(
        &id_path("/v1/device/devices", device_id, action.name()),
        None,
    )
    .await
}

/// `POST /v1/device/scan`.
pub async fn scan(request: &ScanRequest) -> Result<DeviceRequest, Failure> {
    post("/v1/device/scan", Some(request)).await
}

/// `POST /v1/device/code`: the short code the widget showed ("I can't scan"); the
/// request it names, as after a scan.
pub async fn enter_code(code: &str) -> Result<DeviceRequest, Failure> {
    let entry = tessera_protocol::access::CodeEntry { code: code.into() };
    post("/v1/device/code", Some(&entry)).await
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
    post_empty::<()>(&session_path(session_id, "report"), None).await
}

/// `/v1/device/sessions/{id}/{action}`, the id percent-encoded.
fn session_path(session_id: &str, action: &str) -> String {
    id_path("/v1/device/sessions", session_id, action)
}

/// `{prefix}/{id}/{action}`, the id percent-encoded.
fn id_path(prefix: &str, id: &str, action: &str) -> String {
    let id = String::from(js_sys::encode_uri_component(id));
    format!("{prefix}/{id}/{action}")
}

/// The browser's clock in Unix seconds.
pub fn now_secs() -> u64 {
    (Date::now() / 1000.0) as u64
}
