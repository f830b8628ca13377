//! Devices: the companion's view of requests, answers checked with the PIN on the server
//! (a 6-digit PIN must never be checkable offline), and the user's own device list.
use std::{convert::Infallible, time::Duration};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::sse::{Event, KeepAlive, Sse},
    routing::{get, post},
};
use futures_util::Stream;
use serde::Serialize;
use tessera_protocol::{
    Decision, DeviceStatus, Expected, QR_MAX_AGE_SECS, SignedApproval, UserVerification,
    VerifyError,
    api::{
        DeviceRename, DeviceRequest, DeviceSummary, MatchRequest, PinChange, RespondRequest,
        ScanRequest, SessionEvent, SessionState,
    },
    qr_code_matches, sha256, verify_approval, verify_device_signature, verifying_key_from_b64,
};

use crate::{
    AppState, Change,
    error::{AppError, AppResult, JsonBody},
    now,
    relay::changed,
    secrets::{blocking, hash_secret, secret_matches},
    store::{DeviceRow, Matched, SessionRow},
};

/// Wrong PINs before the device locks (PSD2 RTS Art. 4 allows at most 5).
pub const PIN_ATTEMPTS: u32 = 5;
pub(crate) const DEVICE_COOKIE: &str = "tessera_device";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/device", get(device_show))
        .route("/v1/device/events", get(device_events))
        .route("/v1/device/scan", post(device_scan))
        .route("/v1/device/sessions/{id}/open", post(device_session_open))
        .route("/v1/device/sessions/{id}/match", post(device_session_match))
        .route(
            "/v1/device/sessions/{id}/respond",
            post(device_session_respond),
        )
        .route(
            "/v1/device/sessions/{id}/report",
            post(device_session_report),
        )
        .route("/v1/device/pin", post(pin_change))
        .merge(crate::biometrics::routes())
        .route("/v1/device/name", post(device_rename))
        .route("/v1/device/devices", get(devices_list))
        .route("/v1/device/devices/{id}/{action}", post(devices_action))
}

pub(crate) fn clean_name(name: &str) -> Option<String> {
    let name = name.trim();
    let ok = (1..=64).contains(&name.chars().count()) && !name.chars().any(char::is_control);
    ok.then(|| name.to_string())
}

/// The device whose cookie came with the request.
fn device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
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

/// Why a device that is not active may not act.
fn not_usable(status: DeviceStatus) -> AppError {
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

fn usable(device: DeviceRow) -> AppResult<DeviceRow> {
    match device.status {
        DeviceStatus::Active => Ok(device),
        other => Err(not_usable(other)),
    }
}

pub(crate) fn active_device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
    usable(device(app, headers)?)
}

#[derive(Serialize)]
struct DeviceInfo {
    device_id: String,
    user_id: String,
    name: String,
    status: DeviceStatus,
    certificates: Vec<String>,
}

async fn device_show(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<DeviceInfo>> {
    let d = device(&app, &headers)?;
    Ok(Json(DeviceInfo {
        device_id: d.id,
        user_id: d.user_id,
        name: d.name,
        status: d.status,
        certificates: d.certificates,
    }))
}

fn device_request(session: &SessionRow) -> DeviceRequest {
    DeviceRequest {
        session_id: session.id.clone(),
        nonce: session.nonce.clone(),
        partner_id: session.partner_id.clone(),
        partner_name: session.partner_name.clone(),
        origin: session.origin.clone(),
        kind: session.kind,
        details: session.details.clone(),
        number_choices: session.match_choices.clone(),
        expires_at: session.expires_at,
    }
}

async fn device_events(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let device = device(&app, &headers)?;
    let changes = app.changes.subscribe();
    let start = (
        app,
        Change::User(device.user_id.clone()),
        device.user_id,
        changes,
        None::<Vec<DeviceRequest>>,
    );
    let stream =
        futures_util::stream::unfold(start, |(app, wanted, user, mut changes, last)| async move {
            loop {
                let now = now();
                let sessions = app.store.pushed_sessions(&user, now).ok()?;
                let requests: Vec<DeviceRequest> = sessions.iter().map(device_request).collect();
                if last.as_ref() != Some(&requests) {
                    let sse = Event::default()
                        .event("requests")
                        .json_data(&requests)
                        .ok()?;
                    return Some((Ok(sse), (app, wanted, user, changes, Some(requests))));
                }
                // Wake at the next expiry too, so expired requests disappear from the phone.
                let next_expiry = sessions
                    .iter()
                    .map(|s| s.expires_at)
                    .min()
                    .unwrap_or(now + 60);
                let wait = Duration::from_millis(next_expiry.saturating_sub(now) * 1000 + 200);
                tokio::select! {
                    _ = changed(&mut changes, &wanted) => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn session(app: &AppState, id: &str) -> AppResult<SessionRow> {
    app.store
        .session(id)?
        .ok_or_else(|| AppError::not_found("session"))
}

fn session_closed(state: SessionState) -> AppError {
    AppError::client(
        StatusCode::CONFLICT,
        "session_closed",
        format!("this request is no longer open ({})", state.as_str()),
    )
}

async fn device_scan(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(scan): JsonBody<ScanRequest>,
) -> AppResult<Json<DeviceRequest>> {
    let device = active_device(&app, &headers)?;
    let session = session(&app, &scan.session_id)?;
    let now = now();
    let elapsed = now.saturating_sub(session.created_at);
    // The widget counts from when it received the session, a moment after creation: a
    // code may be slightly behind the server's count, never ahead.
    let fresh = scan.t <= elapsed + 1 && elapsed <= scan.t + QR_MAX_AGE_SECS;
    if !qr_code_matches(&session.qr_secret, scan.t, &scan.code) {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "qr_invalid",
            "this QR code is not valid",
        ));
    }
    if !fresh {
        return Err(AppError::client(
            StatusCode::GONE,
            "qr_stale",
            "this QR code is too old; scan the one on the screen now",
        ));
    }
    if !app
        .store
        .open_scanned(&session.id, &device.user_id, &device.id, now)?
    {
        return Err(session_closed(session.state_at(now)));
    }
    app.notify(Change::Session(session.id.clone()));
    app.notify(Change::User(device.user_id.clone()));
    reread(&app, &session.id)
}

/// The request as the session now stands, after a change.
fn reread(app: &AppState, id: &str) -> AppResult<Json<DeviceRequest>> {
    Ok(Json(device_request(&session(app, id)?)))
}

async fn device_session_open(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Json<DeviceRequest>> {
    let device = active_device(&app, &headers)?;
    let now = now();
    if app
        .store
        .open_pushed(&id, &device.user_id, &device.id, now)?
        .is_none()
    {
        return Err(session_closed(session(&app, &id)?.state_at(now)));
    }
    app.notify(Change::Session(id.clone()));
    app.notify(Change::User(device.user_id));
    reread(&app, &id)
}

async fn device_session_match(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(pick): JsonBody<MatchRequest>,
) -> AppResult<Json<DeviceRequest>> {
    let device = active_device(&app, &headers)?;
    let now = now();
    let matched = app
        .store
        .match_number(&id, &device.user_id, pick.number, now)?;
    if matched != Matched::NotOpen {
        app.notify(Change::Session(id.clone()));
        app.notify(Change::User(device.user_id.clone()));
    }
    match matched {
        Matched::Right => reread(&app, &id),
        Matched::Wrong => {
            tracing::warn!(session = %id, device = %device.id, "wrong number picked; session cancelled");
            Err(AppError::client(
                StatusCode::CONFLICT,
                "wrong_number",
                "this is not the number on the screen; the request was cancelled",
            ))
        }
        Matched::NotOpen => Err(session_closed(session(&app, &id)?.state_at(now))),
    }
}

/// "This wasn't me": the user did not ask for this request.
async fn device_session_report(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    // A suspended or locked device may still say it was not the user: reporting is safe.
    let device = device(&app, &headers)?;
    let now = now();
    if !app
        .store
        .report_fraud(&id, &device.user_id, &device.id, now)?
    {
        return Err(session_closed(session(&app, &id)?.state_at(now)));
    }
    tracing::warn!(session = %id, device = %device.id, "user reported a request as not theirs");
    app.notify(Change::Session(id));
    app.notify(Change::User(device.user_id));
    Ok(StatusCode::NO_CONTENT)
}

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

async fn device_session_respond(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(answer): JsonBody<RespondRequest>,
) -> AppResult<Json<SessionEvent>> {
    let device = device(&app, &headers)?;
    let session = session(&app, &id)?;
    let now = now();
    let device_key = verifying_key_from_b64(&device.public_key)
        .ok_or_else(|| AppError::Internal("stored device key is invalid".into()))?;
    let claims = verify_device_signature(&answer.approval, &device_key)?;
    if claims.sid != id {
        return Err(VerifyError::SessionMismatch.into());
    }
    if claims.dev != device.id {
        return Err(VerifyError::DeviceMismatch.into());
    }
    let answerable = [SessionState::Opened, SessionState::AwaitingPin];
    if session.user_id.as_deref() != Some(&device.user_id)
        || !answerable.contains(&session.state_at(now))
    {
        return Err(session_closed(session.state_at(now)));
    }

    // Denying needs no number: a user who does not recognise a request may refuse it.
    if claims.decision == Decision::Deny {
        if !app
            .store
            .transition(&id, &answerable, SessionState::Denied, None, now)?
        {
            return Err(session_closed(session.state_at(now)));
        }
        app.notify(Change::Session(id));
        return Ok(Json(SessionEvent {
            state: SessionState::Denied,
            result: None,
            reason: None,
        }));
    }

    if session.match_number.is_some() || session.state_at(now) != SessionState::AwaitingPin {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "number_not_matched",
            "pick the number shown on the screen before approving",
        ));
    }
    let device = usable(device)?;
    let verification = match (&answer.pin, &answer.biometric) {
        (None, Some(_)) => UserVerification::Biometric,
        (Some(_), None) => UserVerification::Pin,
        _ => {
            return Err(AppError::bad_request(
                "one_verification",
                "approve with either the PIN or biometrics",
            ));
        }
    };
    // The device signed how it verified the user; the status must not say otherwise.
    if claims.uv != Some(verification) {
        return Err(AppError::bad_request(
            "verification_mismatch",
            "the approval names another user verification than the one sent",
        ));
    }
    match &answer.biometric {
        Some(assertion) => {
            crate::biometrics::check_assertion(&app, &device, &answer.approval, assertion)?
        }
        None => check_pin(&app, &device, answer.pin.unwrap_or_default()).await?,
    }
    app.store.record_pin_success(&device.id, now)?;

    // Staple the status, then run the very check the widget and the partner will run:
    // the server never relays an approval that they would refuse.
    let status = app.ca.status_statement(
        &app.store,
        &device,
        &answer.approval,
        &id,
        verification,
        now,
    )?;
    let signed = SignedApproval {
        approval: answer.approval,
        status,
    };
    let expected = Expected {
        session_id: &session.id,
        nonce: &session.nonce,
        partner_id: &session.partner_id,
        origin: &session.origin,
        kind: session.kind,
        details_digest: session.details.as_ref().map(|d| d.digest()),
        user_id: session.user_id.as_deref(),
    };
    verify_approval(&signed, &expected, app.ca.root(), now)?;
    if !app
        .store
        .complete_session(&id, &device.id, &signed.approval, &signed.status, now)?
    {
        return Err(session_closed(session.state_at(now)));
    }
    app.notify(Change::Session(id));
    Ok(Json(SessionEvent {
        state: SessionState::Approved,
        result: None,
        reason: None,
    }))
}

/// A device that is still the user's (not revoked or replaced) may manage the others.
pub(crate) fn owning_device(app: &AppState, headers: &HeaderMap) -> AppResult<DeviceRow> {
    let device = device(app, headers)?;
    if device.status.counts_towards_limit() {
        Ok(device)
    } else {
        Err(not_usable(device.status))
    }
}

/// `GET /v1/device/devices`: the user's devices, this one included.
async fn devices_list(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<Vec<DeviceSummary>>> {
    let device = owning_device(&app, &headers)?;
    Ok(Json(app.store.devices_of(&device.user_id)?))
}

/// `POST /v1/device/devices/{id}/{suspend|remove}`: the user stops one of their devices
/// (this one or another). Resuming a suspended device is the helpdesk's, after it has
/// recognised the caller: a thief holding one phone must not wake the other.
async fn devices_action(
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
async fn pin_change(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(change): JsonBody<PinChange>,
) -> AppResult<StatusCode> {
    let device = active_device(&app, &headers)?;
    crate::activation::check_new_pin(&change.new_pin)?;
    check_pin(&app, &device, change.old_pin).await?;
    let new_pin = change.new_pin;
    let hash = blocking(move || hash_secret(&new_pin)).await??;
    app.store.set_pin(&device.id, &hash)?;
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
async fn device_rename(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(rename): JsonBody<DeviceRename>,
) -> AppResult<StatusCode> {
    let device = owning_device(&app, &headers)?;
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
