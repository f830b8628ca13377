//! Flow E, restore from a backup file: the backup's restore secret and the password, then
//! the SMS link; and the new restore secret each backup the companion writes gets.
use axum::{Json, extract::State, http::HeaderMap, http::StatusCode, response::Response};
use tessera_protocol::{
    api::{ActivationRequest, BackupIssued},
    b64_encode, sha256,
};

use super::finish::{
    await_link, check_rate, invalid_credentials, password_matches, prepare_pending, record_failure,
};
use crate::{
    auth::device::owning_device,
    clock::now,
    error::{AppError, AppResult},
    secrets::random_bytes,
    state::AppState,
    store::UserRow,
};

fn backup_void() -> AppError {
    AppError::client(
        StatusCode::FORBIDDEN,
        "backup_void",
        "this backup is no longer valid: a newer backup or a restore replaced it",
    )
}

/// Flow E: the password and the backup's restore secret are right; the device waits for
/// the link sent by SMS, which proves the user still holds their phone number.
pub(crate) async fn start_restore(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    secret: &str,
) -> AppResult<Response> {
    check_rate(app, &user.id, "restore_failed")?;
    // The password first: without it nobody learns whether the user has a backup.
    let password_ok = password_matches(user, &request.password).await?;
    // The secret has 256 bits: a digest comparison leaks nothing useful.
    let secret_ok = user
        .restore_secret_hash
        .as_deref()
        .is_some_and(|stored| sha256(secret.trim().as_bytes()).as_slice() == stored);
    if !password_ok || !secret_ok {
        record_failure(app, &user.id, "restore_failed")?;
        return Err(if password_ok {
            backup_void()
        } else {
            invalid_credentials()
        });
    }
    match prepare_pending(app, user, request, device_name, "backup").await? {
        Ok((pending, token)) => await_link(app, user, pending, &token),
        Err(limit) => Ok(limit),
    }
}

/// `POST /v1/device/backup`: a new restore secret for the backup file the companion is
/// about to write; the previous backup stops working.
pub(crate) async fn backup_issue(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<BackupIssued>> {
    let device = owning_device(&app, &headers)?;
    let secret = b64_encode(&random_bytes::<32>());
    app.store
        .set_restore_secret(&device.user_id, &sha256(secret.as_bytes()))?;
    let now = now();
    app.store.audit(
        now,
        &format!("device:{}", device.id),
        "backup_made",
        Some(&device.user_id),
        Some(&device.id),
        "",
    )?;
    Ok(Json(BackupIssued {
        user_id: device.user_id,
        restore_secret: secret,
        created_at: now,
    }))
}
