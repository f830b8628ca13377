//! Which device is calling: the device cookie, looked up by its hash, and whether the
//! device may act. Used by the device API, activation and biometrics alike.
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, StatusCode, header, request::Parts},
};
use tessera_protocol::{DeviceStatus, sha256};

use crate::{
    error::{AppError, AppResult},
    state::AppState,
    store::DeviceRow,
};

pub(crate) const DEVICE_COOKIE: &str = "tessera_device";

pub(crate) fn clean_name(name: &str) -> Option<String> {
    let name = name.trim();
    let ok = (1..=64).contains(&name.chars().count()) && !name.chars().any(char::is_control);
    ok.then(|| name.to_string())
}

/// The device whose cookie came with the request.
pub(crate) fn device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("tessera_device="));
    let device = match token {
        Some(token) => app.store.device_by_token(&sha256(token.as_bytes()))?,
        None => None,
    };
    device.ok_or_else(|| {
        AppError::unauthorized("no_device", "this browser is not an activated device")
    })
}

/// The calling device, as an extractor. Placed before the body among a handler's
/// arguments (axum runs them in order, the body last), it refuses a request without a
/// device before the body is read: a caller without a credential learns nothing about
/// the body's schema and costs no parsing (issue 14).
pub(crate) struct CallingDevice(pub DeviceRow);

impl FromRequestParts<AppState> for CallingDevice {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> AppResult<Self> {
        device(app, &parts.headers).map(CallingDevice)
    }
}

/// Why a device that is not active may not act.
pub(crate) fn not_usable(status: DeviceStatus) -> AppError {
    match status {
        DeviceStatus::Locked => AppError::client(
            StatusCode::LOCKED,
            "device_locked",
            "this device is locked after too many wrong PINs; the helpdesk can unlock it",
        ),
        other => AppError::client(
            StatusCode::FORBIDDEN,
            "device_not_active",
            format!("this device is {}", other.as_str()),
        ),
    }
}

pub(crate) fn usable(device: DeviceRow) -> AppResult<DeviceRow> {
    match device.status {
        DeviceStatus::Active => Ok(device),
        other => Err(not_usable(other)),
    }
}

pub(crate) fn active_device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
    usable(device(app, headers)?)
}

/// A device that is still the user's (not revoked or replaced) may manage the others.
pub(crate) fn owning_device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
    owning(device(app, headers)?)
}

/// `device`, if it is still the user's.
pub(crate) fn owning(device: DeviceRow) -> AppResult<DeviceRow> {
    if device.status.counts_towards_limit() {
        Ok(device)
    } else {
        Err(not_usable(device.status))
    }
}
