//! The PIN: checked on the server only (a 6-digit PIN must never be checkable offline),
//! with one failure budget shared with biometrics, and the rules a new PIN must meet.
use tessera_protocol::{
    DeviceStatus,
    pin::{PinProblem, pin_problem},
};

use super::device::not_usable;
use crate::{
    error::{AppError, AppResult},
    secrets::{blocking, secret_matches},
    state::AppState,
    store::DeviceRow,
};

/// Wrong PINs before the device locks (PSD2 RTS Art. 4 allows at most 5).
pub const PIN_ATTEMPTS: u32 = 5;
/// Checks the PIN on the server; wrong ones count, and the fifth locks the device.
pub(crate) async fn check_pin(app: &AppState, device: &DeviceRow, pin: String) -> AppResult<()> {
    let pin_hash = device.pin_hash.clone();
    if blocking(move || secret_matches(&pin, &pin_hash)).await? {
        return Ok(());
    }
    Err(count_failure(
        app,
        device,
        AppError::unauthorized("wrong_pin", "the PIN is not correct"),
    ))
}

/// Counts a failed user verification (a wrong PIN or a refused biometric assertion: one
/// budget for both, so switching method gains nothing); the fifth locks the device.
pub(crate) fn count_failure(app: &AppState, device: &DeviceRow, error: AppError) -> AppError {
    let failures = match app.store.record_pin_failure(&device.id, PIN_ATTEMPTS) {
        Ok(failures) => failures,
        Err(internal) => return internal,
    };
    if failures >= PIN_ATTEMPTS {
        tracing::warn!(device = %device.id, "device locked after {PIN_ATTEMPTS} failed verifications");
        return not_usable(DeviceStatus::Locked);
    }
    error.with_attempts_left(PIN_ATTEMPTS - failures)
}

/// Refuses a new PIN that is not 6 digits or is trivial (`pin_problem`, shared with the
/// companion).
pub(crate) fn check_new_pin(pin: &str) -> AppResult<()> {
    match pin_problem(pin) {
        Some(PinProblem::Shape) => Err(AppError::bad_request(
            "invalid_pin",
            "the PIN must be exactly 6 digits",
        )),
        Some(PinProblem::Trivial) => Err(AppError::bad_request(
            "weak_pin",
            "the PIN is too easy to guess (repeated or sequential digits)",
        )),
        None => Ok(()),
    }
}
