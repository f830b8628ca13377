//! The device's offline key (issue 17): the companion derives an OCRA key from its
//! non-extractable HMAC key and the PIN and gives it here, with the PIN, which the server
//! checks (wrong ones count as any wrong PIN). Right after activation the companion does
//! so on its own; a device activated before offline codes existed does it from Settings.
use axum::{extract::State, http::StatusCode};
use tessera_protocol::{b64_decode, offline::OfflineKeyRequest};

use crate::{
    auth::{
        device::{CallingDevice, usable},
        pin::check_pin,
    },
    clock::now,
    error::{AppError, AppResult, JsonBody},
    state::AppState,
};

/// Bytes of an OCRA key: an HMAC-SHA-256 output.
const OFFLINE_KEY_BYTES: usize = 32;

pub(crate) async fn set_offline_key(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(request): JsonBody<OfflineKeyRequest>,
) -> AppResult<StatusCode> {
    let device = usable(device)?;
    let key = b64_decode(&request.key)
        .filter(|k| k.len() == OFFLINE_KEY_BYTES)
        .ok_or_else(|| {
            AppError::bad_request(
                "offline_key_invalid",
                "the key must be 32 bytes (base64url)",
            )
        })?;
    check_pin(&app, &device, request.pin).await?;
    app.store.record_pin_success(&device.id, now())?;
    app.store.set_offline_key(&device.id, &key, now())?;
    Ok(StatusCode::NO_CONTENT)
}
