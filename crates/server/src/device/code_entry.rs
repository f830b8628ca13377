//! The short code typed instead of scanning (issue 17): it names a waiting session, which
//! opens on this device exactly as a scanned QR does. Wrong codes are counted per device
//! and for everyone, against guessing; past either limit every code is refused (even a
//! right one) until the window has passed.
use axum::{Json, extract::State, http::StatusCode};
use tessera_protocol::{
    access::{CodeEntry, normalize_short_code},
    api::DeviceRequest,
    sha256,
};

use super::approve::{reread, session, session_closed};
use crate::{
    auth::device::{CallingDevice, usable},
    clock::now,
    error::{AppError, AppResult, JsonBody},
    state::{AppState, Change},
};

/// Wrong codes one device may type in [`WRONG_CODE_WINDOW_SECS`].
pub(crate) const WRONG_CODES_PER_DEVICE: u32 = 5;
/// Wrong codes all devices together may type in [`WRONG_CODE_WINDOW_SECS`]. With 40-bit
/// codes, at most 5 codes per session and sessions of at most 30 minutes, even a
/// botnet of activated devices hits a given live code with a probability of about
/// 30 × 60 / 2^40 ≈ 2 × 10^-9 per code.
pub(crate) const WRONG_CODES_GLOBAL: u32 = 60;
/// The window the wrong codes are counted in.
pub(crate) const WRONG_CODE_WINDOW_SECS: u64 = 60;

fn too_many(message: &'static str) -> AppError {
    AppError::too_many("too_many_wrong_codes", message)
}

pub(crate) async fn device_code(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(entry): JsonBody<CodeEntry>,
) -> AppResult<Json<DeviceRequest>> {
    let device = usable(device)?;
    let Some(code) = normalize_short_code(&entry.code) else {
        return Err(AppError::bad_request(
            "code_malformed",
            "a code is 8 letters and digits, as the screen shows it",
        ));
    };
    let now = now();
    let since = now.saturating_sub(WRONG_CODE_WINDOW_SECS);
    let (mine, everyone) = app.store.wrong_codes_since(&device.id, since)?;
    if mine >= WRONG_CODES_PER_DEVICE {
        return Err(too_many(
            "too many wrong codes from this device; wait a minute and try again",
        ));
    }
    if everyone >= WRONG_CODES_GLOBAL {
        return Err(too_many(
            "too many wrong codes; wait a minute and try again",
        ));
    }
    let Some(id) = app.store.take_short_code(&sha256(code.as_bytes()), now)? else {
        app.store.record_wrong_code(&device.id, now, since)?;
        tracing::warn!(device = %device.id, "a wrong or expired short code was typed");
        return Err(AppError::client(
            StatusCode::NOT_FOUND,
            "code_unknown",
            "this code is not valid, was used already or has expired",
        ));
    };
    // A typed code names the user just as a scan does: the user's other requests give way.
    let Some(superseded) = app
        .store
        .open_scanned(&id, &device.user_id, &device.id, now)?
    else {
        return Err(session_closed(session(&app, &id)?.state_at(now)));
    };
    app.notify_superseded(superseded);
    app.notify(Change::Session(id.clone()));
    app.notify(Change::User(device.user_id.clone()));
    reread(&app, &id)
}
