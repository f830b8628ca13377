//! Devices: the companion's view of requests, answers checked with the PIN on the server
//! (a 6-digit PIN must never be checkable offline), and the user's own device list.
use std::{convert::Infallible, time::Duration};

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::Stream;
use serde::Serialize;
use tessera_protocol::{
    Decision, DeviceStatus, QR_MAX_AGE_SECS, SignedApproval, UserVerification, VerifyError,
    api::{DeviceRequest, MatchRequest, RespondRequest, ScanRequest, SessionEvent, SessionState},
    qr_code_matches, verify_approval, verify_device_signature, verifying_key_from_b64,
};

use crate::{
    auth::{
        device::{CallingDevice, active_device, device, usable},
        pin::check_pin,
    },
    clock::now,
    error::{AppError, AppResult, JsonBody},
    state::{AppState, Change},
    store::{Matched, SessionRow, Store},
};

#[derive(Serialize)]
pub(crate) struct DeviceInfo {
    device_id: String,
    user_id: String,
    name: String,
    status: DeviceStatus,
    certificates: Vec<String>,
}

pub(crate) async fn device_show(
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

fn device_request(store: &Store, session: &SessionRow) -> AppResult<DeviceRequest> {
    Ok(DeviceRequest {
        session_id: session.id.clone(),
        nonce: session.nonce.clone(),
        partner_id: session.partner_id.clone(),
        partner_name: session.partner_name.clone(),
        origin: session.origin.clone(),
        kind: session.kind,
        details: session.details.clone(),
        number_choices: session.match_choices.clone(),
        binding_message: store.binding_message(&session.id)?,
        expires_at: session.expires_at,
    })
}

pub(crate) async fn device_events(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let device = device(&app, &headers)?;
    let watch = app.watchers.watch(Change::User(device.user_id.clone()));
    let start = (app, device.user_id, watch, None::<Vec<DeviceRequest>>);
    let stream = futures_util::stream::unfold(start, |(app, user, mut watch, last)| async move {
        loop {
            let now = now();
            let sessions = app.store.pushed_sessions(&user, now).ok()?;
            let requests: Vec<DeviceRequest> = sessions
                .iter()
                .map(|session| device_request(&app.store, session))
                .collect::<AppResult<_>>()
                .ok()?;
            if last.as_ref() != Some(&requests) {
                let sse = Event::default()
                    .event("requests")
                    .json_data(&requests)
                    .ok()?;
                return Some((Ok(sse), (app, user, watch, Some(requests))));
            }
            // Wake at the next expiry too, so expired requests disappear from the phone.
            let next_expiry = sessions
                .iter()
                .map(|s| s.expires_at)
                .min()
                .unwrap_or(now + 60);
            let wait = Duration::from_millis(next_expiry.saturating_sub(now) * 1000 + 200);
            tokio::select! {
                _ = watch.changed() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

pub(super) fn session(app: &AppState, id: &str) -> AppResult<SessionRow> {
    app.store
        .session(id)?
        .ok_or_else(|| AppError::not_found("session"))
}

pub(super) fn session_closed(state: SessionState) -> AppError {
    AppError::client(
        StatusCode::CONFLICT,
        "session_closed",
        format!("this request is no longer open ({})", state.as_str()),
    )
}

pub(crate) async fn device_scan(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(scan): JsonBody<ScanRequest>,
) -> AppResult<Json<DeviceRequest>> {
    let device = usable(device)?;
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
    let Some(superseded) = app
        .store
        .open_scanned(&session.id, &device.user_id, &device.id, now)?
    else {
        return Err(session_closed(session.state_at(now)));
    };
    app.notify_superseded(superseded);
    app.notify(Change::Session(session.id.clone()));
    app.notify(Change::User(device.user_id.clone()));
    reread(&app, &session.id)
}

/// The request as the session now stands, after a change.
pub(super) fn reread(app: &AppState, id: &str) -> AppResult<Json<DeviceRequest>> {
    Ok(Json(device_request(&app.store, &session(app, id)?)?))
}

pub(crate) async fn device_session_open(
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

pub(crate) async fn device_session_match(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    Path(id): Path<String>,
    JsonBody(pick): JsonBody<MatchRequest>,
) -> AppResult<Json<DeviceRequest>> {
    let device = usable(device)?;
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
pub(crate) async fn device_session_report(
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

pub(crate) async fn device_session_respond(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    Path(id): Path<String>,
    JsonBody(answer): JsonBody<RespondRequest>,
) -> AppResult<Json<SessionEvent>> {
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
    let expected = session.expected(session.user_id.as_deref());
    verify_approval(&signed, &expected, &app.ca.pinned(&app.store)?, now)?;
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
