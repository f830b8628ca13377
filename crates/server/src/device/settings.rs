//! The user's own devices and settings: list, suspend or remove a device, rename this
//! one, change the PIN.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use tessera_protocol::{
    DeviceStatus,
    api::{DeviceRename, DeviceSummary, PinChange},
};

use crate::{
    auth::{
        device::{CallingDevice, clean_name, owning, owning_device, usable},
        pin::check_pin,
    },
    clock::now,
    error::{AppError, AppResult, JsonBody},
    secrets::{blocking, hash_secret},
    state::{AppState, Change},
};

/// `GET /v1/device/devices`: the user's devices, this one included.
pub(crate) async fn devices_list(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<Vec<DeviceSummary>>> {
    let device = owning_device(&app, &headers)?;
    Ok(Json(app.store.devices_of(&device.user_id)?))
}

/// `POST /v1/device/devices/{id}/{suspend|remove}`: the user stops one of their devices
/// (this one or another). Resuming a suspended device is the helpdesk's, after it has
/// recognised the caller: a thief holding one phone must not wake the other.
pub(crate) async fn devices_action(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path((target, action)): Path<(String, String)>,
) -> AppResult<Json<Vec<DeviceSummary>>> {
    use DeviceStatus::*;
    let device = owning_device(&app, &headers)?;
    let (from, to, logged): (&[DeviceStatus], _, _) = match action.as_str() {
        "suspend" => (&[Active], Suspended, "device_suspended"),
        "remove" => (&[Active, Suspended, Locked], Revoked, "device_revoked"),
        _ => return Err(AppError::not_found("device action")),
    };
    if !app
        .store
        .set_device_status(&device.user_id, &target, from, to)?
    {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "device_unchanged",
            format!(
                "the device cannot be {} from its current state",
                to.as_str()
            ),
        ));
    }
    app.store.audit(
        now(),
        &format!("device:{}", device.id),
        logged,
        Some(&device.user_id),
        Some(&target),
        "by the user",
    )?;
    app.notify(Change::User(device.user_id.clone()));
    Ok(Json(app.store.devices_of(&device.user_id)?))
}

/// `POST /v1/device/pin`: the old PIN is checked here, as for an approval, and wrong ones
/// count towards the lock: changing the PIN is no way around it.
pub(crate) async fn pin_change(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(change): JsonBody<PinChange>,
) -> AppResult<StatusCode> {
    let device = usable(device)?;
    crate::auth::pin::check_new_pin(&change.new_pin)?;
    check_pin(&app, &device, change.old_pin).await?;
    let new_pin = change.new_pin;
    let hash = blocking(move || hash_secret(&new_pin)).await??;
    app.store.set_pin(&device.id, &hash)?;
    // The offline key was derived with the old PIN: the companion derives a new one.
    app.store.delete_offline_key(&device.id)?;
    app.store.audit(
        now(),
        &format!("device:{}", device.id),
        "pin_changed",
        Some(&device.user_id),
        Some(&device.id),
        "",
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/device/name`.
pub(crate) async fn device_rename(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(rename): JsonBody<DeviceRename>,
) -> AppResult<StatusCode> {
    let device = owning(device)?;
    let name = clean_name(&rename.name).ok_or_else(|| {
        AppError::bad_request(
            "invalid_device_name",
            "the device name must be 1 to 64 printable characters",
        )
    })?;
    app.store.rename_device(&device.id, &name)?;
    app.notify(Change::User(device.user_id));
    Ok(StatusCode::NO_CONTENT)
}
