//! For people who cannot scan the animated QR (issue 17, WCAG 2.2.1): the widget asks for
//! a short code to type into the companion, and for more time. Both are authorised by the
//! session's watch token, like the rest of the widget's relay.
use axum::{Json, Router, extract::State, http::StatusCode, routing::post};
use tessera_protocol::{
    access::{Extended, SHORT_CODE_CHARS, ShortCodeIssued, short_code},
    api::SessionState,
    sha256,
};
use tower_http::cors::CorsLayer;

use super::relay::Watched;
use crate::{
    clock::now,
    error::{AppError, AppResult, ProblemDetails},
    secrets::random_bytes,
    state::{AppState, Change},
    store::Extension,
};

/// Short codes one session may be given: a new one replaces the last (the person asked
/// again), and the bound keeps a page from filling the code space for guessers.
pub(crate) const MAX_CODES_PER_SESSION: u32 = 5;
/// Extensions one session may have: WCAG 2.2.1 asks for at least ten.
pub(crate) const MAX_EXTENSIONS: u32 = 10;
/// The longest a session may live, extensions included.
pub(crate) const MAX_SESSION_LIFE_SECS: u64 = 30 * 60;

pub fn routes() -> Router<AppState> {
    // Called from the partner's page, like the relay's widget routes (the offline code's
    // too).
    Router::new()
        .route("/v1/sessions/{id}/code", post(session_code))
        .route("/v1/sessions/{id}/extend", post(session_extend))
        .route(
            "/v1/sessions/{id}/offline",
            post(super::offline::session_offline),
        )
        .layer(CorsLayer::very_permissive().allow_credentials(false))
}

/// A short code for the session, to type into the companion instead of scanning. It names
/// the session, nothing more: the phone then shows and signs what the session holds.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/code", tag = "widget",
    params(("id" = String, Path, description = "The session id")),
    responses(
        (status = 201, description = "The code; it replaces the session's previous one and works once", body = ShortCodeIssued),
        (status = 401, description = "`invalid_watch_token`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`session_not_waiting` (a phone already has it, or it ended) or `too_many_codes`", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("watch_token" = [])),
)]
pub(crate) async fn session_code(
    State(app): State<AppState>,
    Watched(session): Watched,
) -> AppResult<(StatusCode, Json<ShortCodeIssued>)> {
    let now = now();
    let code = short_code(&random_bytes::<SHORT_CODE_CHARS>());
    if app.store.set_short_code(
        &session.id,
        &sha256(code.as_bytes()),
        MAX_CODES_PER_SESSION,
        now,
    )? {
        let expires_at = session.expires_at;
        return Ok((
            StatusCode::CREATED,
            Json(ShortCodeIssued { code, expires_at }),
        ));
    }
    let waiting = matches!(
        session.state_at(now),
        SessionState::Pending | SessionState::PushSent
    );
    Err(if waiting {
        AppError::client(
            StatusCode::CONFLICT,
            "too_many_codes",
            "this session was given as many codes as it may have",
        )
    } else {
        super::offline::session_not_waiting()
    })
}

/// More time for the person: the session's expiry moves on by a full lifetime, at most
/// [`MAX_EXTENSIONS`] times and never past [`MAX_SESSION_LIFE_SECS`] from its start.
#[utoipa::path(
    post, path = "/v1/sessions/{id}/extend", tag = "widget",
    params(("id" = String, Path, description = "The session id")),
    responses(
        (status = 200, description = "The new expiry", body = Extended),
        (status = 401, description = "`invalid_watch_token`", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`session_not_waiting` or `no_more_time` (every extension used, or the longest life reached)", body = ProblemDetails, content_type = "application/problem+json"),
    ),
    security(("watch_token" = [])),
)]
pub(crate) async fn session_extend(
    State(app): State<AppState>,
    Watched(session): Watched,
) -> AppResult<Json<Extended>> {
    let extension = app.store.extend_session(
        &session.id,
        app.config.session_ttl_secs,
        MAX_EXTENSIONS,
        MAX_SESSION_LIFE_SECS,
        now(),
    )?;
    match extension {
        Extension::Done {
            expires_at,
            extensions,
        } => {
            // The widget's event stream and the phone's list wait for the old expiry.
            app.notify(Change::Session(session.id.clone()));
            if let Some(user) = session.user_id {
                app.notify(Change::User(user));
            }
            Ok(Json(Extended {
                expires_at,
                extensions_left: MAX_EXTENSIONS.saturating_sub(extensions),
            }))
        }
        Extension::Exhausted => Err(AppError::client(
            StatusCode::CONFLICT,
            "no_more_time",
            "this session cannot be extended any more",
        )),
        Extension::NotWaiting => Err(super::offline::session_not_waiting()),
    }
}
