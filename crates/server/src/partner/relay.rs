//! Sessions: created by partners, watched by the widget, answered by a device.
use std::{convert::Infallible, time::Duration};

use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Query, State},
    http::{HeaderMap, StatusCode, request::Parts},
    response::sse::{Event, KeepAlive, Sse},
    routing::{get, post},
};
use futures_util::Stream;
use serde::Deserialize;
use tessera_protocol::{
    SignedApproval,
    api::{
        CancelReason, CreateSession, FraudReport, PushAccepted, PushRequest, SessionCreated,
        SessionEvent, SessionState,
    },
    b64_encode, details_for, sha256,
};
use tower_http::cors::CorsLayer;

use crate::{
    clock::now,
    error::{AppError, AppResult, JsonBody, ProblemDetails},
    secrets::{random_bytes, random_id, random_token},
    state::{AppState, Change, bearer},
    store::{Inserted, NewSession, PartnerRow, SessionRow},
};

/// At most this many pushes per user in [`PUSH_WINDOW_SECS`], against push bombing.
pub(crate) const PUSH_LIMIT: u32 = 5;
pub(crate) const PUSH_WINDOW_SECS: u64 = 600;

pub fn routes() -> Router<AppState> {
    // The widget calls these from the partner's origin; they carry no cookies and are
    // authorised by the session's watch token, so any origin may call them.
    let widget = Router::new()
        .route("/v1/sessions/{id}/events", get(session_events))
        .route("/v1/sessions/{id}/push", post(session_push))
        .route("/v1/sessions/{id}/cancel", post(session_cancel))
        .layer(CorsLayer::very_permissive().allow_credentials(false));
    Router::new()
        .route("/v1/sessions", post(session_create))
        .route("/v1/sessions/{id}/result", get(session_result))
        .route("/v1/fraud-reports", get(fraud_reports))
        .merge(widget)
}

/// The partner behind the request's API key, as an extractor: placed before the body,
/// it refuses a request without a valid key before the body is read (issue 14).
pub(crate) struct Partner(PartnerRow);

impl FromRequestParts<AppState> for Partner {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> AppResult<Self> {
        partner(app, &parts.headers).map(Partner)
    }
}

/// The session in the path, if the request carries its watch token; an extractor, so it
/// runs before the body is read.
pub(crate) struct Watched(pub(crate) SessionRow);

impl FromRequestParts<AppState> for Watched {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> AppResult<Self> {
        let Path(id) = Path::<String>::from_request_parts(parts, app)
            .await
            .map_err(|_| AppError::not_found("session"))?;
        watched_session(app, &id, bearer(&parts.headers)).map(Watched)
    }
}

fn partner(app: &AppState, headers: &HeaderMap) -> AppResult<PartnerRow> {
    let key = bearer(headers).ok_or_else(|| {
        AppError::unauthorized(
            "missing_api_key",
            "send the partner API key as a Bearer token",
        )
    })?;
    app.store
        .partner_by_key(&sha256(key.as_bytes()))?
        .ok_or_else(|| AppError::unauthorized("invalid_api_key", "the API key is not valid"))
}

/// Opens a session for the partner's page: a login, or a payment (`confirm`) or
/// document (`sign`) with its details, which are checked and refused here if unsafe.
#[utoipa::path(
    post, path = "/v1/sessions", tag = "partner",
    request_body = CreateSession,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "1 to 255 visible ASCII characters. The same key with the same body within 24 hours answers with the same session (and a new watch token) instead of opening another one.")),
    responses(
        (status = 201, description = "The session, and the secrets that go only to the widget", body = SessionCreated),
        (status = 400, description = "Bad input: `origin_not_registered`, a details code such as `payee_name_bidi` or `amount_invalid`, `invalid_idempotency_key`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "`missing_api_key` or `invalid_api_key`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`idempotency_key_reused`: the key was used for another body", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub(crate) async fn session_create(
    State(app): State<AppState>,
    Partner(partner): Partner,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateSession>,
) -> AppResult<(StatusCode, Json<SessionCreated>)> {
    if !partner.origins.contains(&request.origin) {
        return Err(AppError::bad_request(
            "origin_not_registered",
            "this origin is not registered for the partner",
        ));
    }
    // Unsafe or malformed details are refused here, before any phone could show them.
    let details = details_for(request.kind, request.details)
        .map_err(|problem| AppError::bad_request(problem.code(), problem.to_string()))?;
    let idempotency_key = idempotency_key(&headers)?;
    let request_hash = sha256(
        &serde_json::to_vec(&(&request.kind, &request.origin, &details))
            .map_err(|e| AppError::Internal(e.to_string()))?,
    );
    let (id, nonce, qr_secret) = (random_id(), random_id(), random_bytes::<32>());
    let (watch_token, watch_hash) = random_token();
    let created_at = now();
    let expires_at = created_at + app.config.session_ttl_secs;
    let new = NewSession {
        id: &id,
        partner_id: &partner.id,
        kind: request.kind,
        origin: &request.origin,
        nonce: &nonce,
        qr_secret: &qr_secret,
        watch_hash: &watch_hash,
        created_at,
        expires_at,
        details: details.as_ref(),
    };
    let idempotency = idempotency_key
        .as_deref()
        .map(|k| (k, request_hash.as_slice()));
    match app
        .store
        .insert_session(&new, idempotency, IDEMPOTENCY_SECS)?
    {
        Inserted::New => {}
        Inserted::KeyReused => {
            return Err(AppError::client(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "this Idempotency-Key was used for another request",
            ));
        }
        Inserted::Earlier(earlier) => {
            let session = app.store.session(&earlier)?.ok_or_else(|| {
                AppError::Internal("an idempotency key without its session".into())
            })?;
            let created = SessionCreated {
                session_id: session.id,
                nonce: session.nonce,
                partner_id: session.partner_id,
                qr_secret: b64_encode(&session.qr_secret),
                watch_token,
                expires_at: session.expires_at,
            };
            return Ok((StatusCode::CREATED, Json(created)));
        }
    }
    let created = SessionCreated {
        session_id: id,
        nonce,
        partner_id: partner.id,
        qr_secret: b64_encode(&qr_secret),
        watch_token,
        expires_at,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// How long an `Idempotency-Key` is remembered.
const IDEMPOTENCY_SECS: u64 = 24 * 3600;

/// The `Idempotency-Key` header, if any: 1 to 255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> AppResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(AppError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
        )),
    }
}

fn event_of(session: &SessionRow, now: u64) -> SessionEvent {
    let state = session.state_at(now);
    let result = match (state, &session.approval, &session.status) {
        (SessionState::Approved, Some(approval), Some(status)) => Some(SignedApproval {
            approval: approval.clone(),
            status: status.clone(),
        }),
        _ => None,
    };
    let reason = match state {
        SessionState::Cancelled => session.cancel_reason,
        _ => None,
    };
    SessionEvent {
        state,
        result,
        reason,
    }
}

/// The session's state; once approved, the signed approval to verify with
/// `verify_approval` (delivered once).
#[utoipa::path(
    get, path = "/v1/sessions/{id}/result", tag = "partner",
    params(("id" = String, Path, description = "The session id")),
    responses(
        (status = 200, description = "The state, and the signed approval once approved", body = SessionEvent),
        (status = 401, description = "`missing_api_key` or `invalid_api_key`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session for this partner", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 410, description = "`result_already_delivered`", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub(crate) async fn session_result(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Json<SessionEvent>> {
    let partner = partner(&app, &headers)?;
    let session = app
        .store
        .session(&id)?
        .filter(|s| s.partner_id == partner.id)
        .ok_or_else(|| AppError::not_found("session"))?;
    let event = event_of(&session, now());
    if event.result.is_some() && !app.store.mark_delivered(&id)? {
        return Err(AppError::client(
            StatusCode::GONE,
            "result_already_delivered",
            "this result was already delivered",
        ));
    }
    Ok(Json(event))
}

/// The partner's sessions that users reported as not theirs ("This wasn't me").
#[utoipa::path(
    get, path = "/v1/fraud-reports", tag = "partner",
    responses(
        (status = 200, description = "Newest first", body = Vec<FraudReport>),
        (status = 401, description = "`missing_api_key` or `invalid_api_key`", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
)]
pub(crate) async fn fraud_reports(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<Vec<FraudReport>>> {
    let partner = partner(&app, &headers)?;
    Ok(Json(app.store.fraud_reports(&partner.id)?))
}

/// The session, if `token` is its watch token.
fn watched_session(app: &AppState, id: &str, token: Option<&str>) -> AppResult<SessionRow> {
    let session = app
        .store
        .session(id)?
        .ok_or_else(|| AppError::not_found("session"))?;
    match token {
        Some(token) if sha256(token.as_bytes()).as_slice() == session.watch_hash => Ok(session),
        _ => Err(AppError::unauthorized(
            "invalid_watch_token",
            "the watch token does not match this session",
        )),
    }
}

#[derive(Deserialize)]
pub(crate) struct WatchQuery {
    watch: String,
}

/// The session's states as server-sent events (`data:` is a `SessionEvent`), for the
/// widget; it ends when the session does.
#[utoipa::path(
    get, path = "/v1/sessions/{id}/events", tag = "widget",
    params(
        ("id" = String, Path, description = "The session id"),
        ("watch" = String, Query, description = "The session's watch token (EventSource cannot send headers)"),
    ),
    responses(
        (status = 200, description = "A stream of `SessionEvent`s", content_type = "text/event-stream", body = SessionEvent),
        (status = 401, description = "`invalid_watch_token`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = ProblemDetails, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn session_events(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<WatchQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    watched_session(&app, &id, Some(&query.watch))?;
    let watch = app.watchers.watch(Change::Session(id.clone()));
    let start = (app, id, watch, None::<SessionState>);
    let stream = futures_util::stream::unfold(Some(start), |step| async move {
        let (app, id, mut watch, last) = step?;
        loop {
            // Only the event and the expiry are kept while the stream waits: the session
            // row (a dozen strings) is dropped before, as it is for 20,000 waiting streams.
            let (event, expires_at, now) = {
                let session = app.store.session(&id).ok().flatten()?;
                let now = now();
                (event_of(&session, now), session.expires_at, now)
            };
            if Some(event.state) != last {
                let state = event.state;
                let sse = Event::default().event("state").json_data(&event).ok()?;
                let next = (!state.is_final()).then_some((app, id, watch, Some(state)));
                return Some((Ok(sse), next));
            }
            drop(event);
            let until_expiry = Duration::from_millis(expires_at.saturating_sub(now) * 1000 + 200);
            tokio::select! {
                _ = watch.changed() => {}
                _ = tokio::time::sleep(until_expiry) => {}
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// A two-digit number for the widget and the three the phone offers (it among them, in a
/// random order), all distinct.
pub(crate) fn number_choices() -> (u8, [u8; 3]) {
    let draw = || 10 + (u16::from_be_bytes(random_bytes::<2>()) % 90) as u8;
    let number = draw();
    let mut choices = [number, 0, 0];
    for index in 1..3 {
        choices[index] = loop {
            let candidate = draw();
            if !choices[..index].contains(&candidate) {
                break candidate;
            }
        };
    }
    // Where the right number sits is random too.
    choices.swap(0, usize::from(random_bytes::<1>()[0] % 3));
    (number, choices)
}

/// Sends the request to the user's phones, for the widget. The answer is the same
/// whether or not the user exists, so it cannot be used to find out who has Tessera.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/push", tag = "widget",
    params(("id" = String, Path, description = "The session id")),
    request_body = PushRequest,
    responses(
        (status = 202, description = "The number the page shows for the user to pick on the phone", body = PushAccepted),
        (status = 401, description = "`invalid_watch_token`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("watch_token" = [])),
)]
pub(crate) async fn session_push(
    State(app): State<AppState>,
    Watched(session): Watched,
    JsonBody(request): JsonBody<PushRequest>,
) -> AppResult<(StatusCode, Json<PushAccepted>)> {
    let id = session.id;
    let now = now();
    let user_id = request.user_id.trim();
    let (number, choices) = number_choices();
    // The answer is the same whether or not the user exists or was rate-limited, so
    // the push button cannot be used to find out who has Tessera.
    let known = app.store.active_devices_of(user_id)? > 0;
    let allowed = app
        .store
        .pushes_since(user_id, now.saturating_sub(PUSH_WINDOW_SECS))?
        < PUSH_LIMIT;
    let pushed = if known && allowed {
        app.store.push(&id, user_id, number, &choices, now)?
    } else {
        None
    };
    if let Some(superseded) = pushed {
        app.notify_superseded(superseded);
        // Closed companions hear of it through Web Push (in the background), open ones
        // through their event stream.
        if let Some(session) = app.store.session(&id)? {
            app.pusher.notify_user(app.store.clone(), user_id, &session);
        }
        app.notify(Change::Session(id));
        app.notify(Change::User(user_id.into()));
    }
    Ok((StatusCode::ACCEPTED, Json(PushAccepted { number })))
}

/// Cancels the session from the page (the user's Cancel button).
#[utoipa::path(
    post, path = "/v1/sessions/{id}/cancel", tag = "widget",
    params(("id" = String, Path, description = "The session id")),
    responses(
        (status = 204, description = "Cancelled, or already over"),
        (status = 401, description = "`invalid_watch_token`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("watch_token" = [])),
)]
pub(crate) async fn session_cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<StatusCode> {
    let session = watched_session(&app, &id, bearer(&headers))?;
    let open = [
        SessionState::Pending,
        SessionState::PushSent,
        SessionState::Opened,
        SessionState::AwaitingPin,
    ];
    if app.store.transition(
        &id,
        &open,
        SessionState::Cancelled,
        Some(CancelReason::Page),
        now(),
    )? {
        app.notify(Change::Session(id));
        if let Some(user) = session.user_id {
            app.notify(Change::User(user));
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::number_choices;

    #[test]
    fn the_number_is_among_three_distinct_two_digit_choices() {
        for _ in 0..1000 {
            let (number, choices) = number_choices();
            assert!(choices.contains(&number));
            assert!(choices.iter().all(|c| (10..=99).contains(c)));
            assert!(
                choices[0] != choices[1] && choices[1] != choices[2] && choices[0] != choices[2]
            );
        }
    }
}
