//! The offline one-time code (issue 17): the phone had no network, read the widget's
//! offline QR and showed 8 digits, which the person typed into the widget. The server
//! checks them against the OCRA key of each of the user's active devices for the
//! session's question (its nonce, partner, origin, kind and details digest: a changed
//! amount or payee gives another code), once, and answers with a result signed by a key
//! of its JWKS for the partner's backend: an OCRA code is a shared-secret proof the
//! partner cannot check itself, so the server vouches (docs/DECISIONS.md).
use axum::{Json, extract::State, http::StatusCode};
use tessera_oath::{OcraInput, OcraSuite};
use tessera_protocol::{
    api::SessionState,
    b64_encode,
    offline::{
        OFFLINE_OCRA_SUITE, OFFLINE_RESULT_USE, OfflineAccepted, OfflineAnswer,
        OfflineResultClaims, OfflineSession, normalize_offline_code,
    },
};

use super::relay::Watched;
use crate::{
    clock::now,
    error::{AppError, AppResult, JsonBody, ProblemDetails},
    oidc::keys::sign_jwt,
    state::{AppState, Change},
    store::SessionRow,
};

/// Wrong offline codes one session accepts; then only a new session helps.
pub(crate) const OFFLINE_TRIES_PER_SESSION: u32 = 3;
/// Wrong offline codes (for any session) after which a device's offline codes stop
/// working, until one of its codes or an approval with the PIN online succeeds again.
pub(crate) const OFFLINE_FAILURES_PER_DEVICE: u32 = 5;
/// How long the signed result is good for the partner's backend.
pub(crate) const OFFLINE_RESULT_SECS: u64 = 300;

/// 409 for a widget's request about a session no phone may still answer (a phone already
/// has it, or it ended).
pub(super) fn session_not_waiting() -> AppError {
    AppError::client(
        StatusCode::CONFLICT,
        "session_not_waiting",
        "this session is not waiting for a phone",
    )
}

/// The session's question, as the phone computed it from the offline QR.
fn question(session: &SessionRow) -> String {
    OfflineSession {
        session_id: &session.id,
        nonce: &session.nonce,
        partner_id: &session.partner_id,
        origin: &session.origin,
        kind: session.kind,
        details: session.details.as_ref(),
    }
    .question()
}

/// Checks the offline code typed into the widget and answers the session with it.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/offline", tag = "widget",
    params(("id" = String, Path, description = "The session id")),
    request_body = OfflineAnswer,
    responses(
        (status = 200, description = "The session is approved; the signed result is for the partner's backend", body = OfflineAccepted),
        (status = 400, description = "`offline_code_malformed`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_watch_token`, or `offline_code_wrong` (also for an unknown user, or a device without offline codes)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`session_not_waiting`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_wrong_codes`: the session had 3 wrong codes", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("watch_token" = [])),
)]
pub(crate) async fn session_offline(
    State(app): State<AppState>,
    Watched(session): Watched,
    JsonBody(answer): JsonBody<OfflineAnswer>,
) -> AppResult<Json<OfflineAccepted>> {
    let Some(code) = normalize_offline_code(&answer.code) else {
        return Err(AppError::bad_request(
            "offline_code_malformed",
            "an offline code is 8 digits",
        ));
    };
    let now = now();
    if !matches!(
        session.state_at(now),
        SessionState::Pending | SessionState::PushSent
    ) {
        return Err(session_not_waiting());
    }
    if app.store.session_offline_failures(&session.id)? >= OFFLINE_TRIES_PER_SESSION {
        return Err(too_many());
    }
    let user_id = answer.user_id.trim();
    let keys: Vec<_> = app
        .store
        .offline_keys_of(user_id)?
        .into_iter()
        .filter(|k| k.failures < OFFLINE_FAILURES_PER_DEVICE)
        .collect();
    let suite = OcraSuite::parse(OFFLINE_OCRA_SUITE)
        .map_err(|e| AppError::Internal(format!("the offline OCRA suite: {e}")))?;
    let question = question(&session);
    let input = OcraInput::new(&question);
    let matched = keys
        .iter()
        .find(|k| suite.verify(&k.ocra_key, &input, &code).is_ok());
    let Some(device) = matched else {
        let devices: Vec<String> = keys.into_iter().map(|k| k.device_id).collect();
        app.store.record_offline_failure(&devices)?;
        let failures = app.store.record_session_offline_failure(&session.id)?;
        tracing::warn!(session = %session.id, "a wrong offline code was typed");
        if failures >= OFFLINE_TRIES_PER_SESSION {
            return Err(too_many());
        }
        return Err(AppError::unauthorized(
            "offline_code_wrong",
            "this code does not match; check the user ID and the code, or the PIN on the phone",
        )
        .with_attempts_left(OFFLINE_TRIES_PER_SESSION - failures));
    };
    let claims = OfflineResultClaims {
        iss: app.config.public_url.clone(),
        aud: session.partner_id.clone(),
        token_use: OFFLINE_RESULT_USE.into(),
        sid: session.id.clone(),
        nonce: session.nonce.clone(),
        origin: session.origin.clone(),
        kind: session.kind,
        dd: session.details.as_ref().map(|d| b64_encode(&d.digest())),
        sub: user_id.to_owned(),
        dev: device.device_id.clone(),
        amr: vec!["otp".into(), "pin".into()],
        iat: now,
        exp: now + OFFLINE_RESULT_SECS,
    };
    let result = sign_jwt(&app.store, &claims)?;
    if !app
        .store
        .complete_offline(&session.id, user_id, &device.device_id, &result, now)?
    {
        return Err(session_not_waiting());
    }
    // The widget that asked learns of it from this answer. Its event stream is not woken:
    // an "approved" without a device-signed approval would make it fail closed before
    // this answer arrived (the stream still says so at its next wake-up).
    app.notify(Change::User(user_id.to_owned()));
    Ok(Json(OfflineAccepted { result }))
}

fn too_many() -> AppError {
    AppError::too_many(
        "too_many_wrong_codes",
        "this session had too many wrong offline codes; start again",
    )
}
