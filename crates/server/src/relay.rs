//! Sessions: created by partners, watched by the widget, answered by a device.
use std::{convert::Infallible, time::Duration};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::sse::{Event, KeepAlive, Sse},
    routing::{get, post},
};
use futures_util::Stream;
use serde::Deserialize;
use tessera_protocol::{
    Kind, SignedApproval,
    api::{CreateSession, PushRequest, SessionCreated, SessionEvent, SessionState},
    b64_encode, sha256,
};
use tokio::sync::broadcast;
use tower_http::cors::CorsLayer;

use crate::{
    AppState, Change, bearer,
    error::{AppError, AppResult, JsonBody},
    now,
    secrets::{random_bytes, random_id, random_token},
    store::{NewSession, PartnerRow, SessionRow},
};

/// At most this many pushes per user in [`PUSH_WINDOW_SECS`], against push bombing.
const PUSH_LIMIT: u32 = 5;
const PUSH_WINDOW_SECS: u64 = 600;

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
        .merge(widget)
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

async fn session_create(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CreateSession>,
) -> AppResult<(StatusCode, Json<SessionCreated>)> {
    let partner = partner(&app, &headers)?;
    if !partner.origins.contains(&request.origin) {
        return Err(AppError::bad_request(
            "origin_not_registered",
            "this origin is not registered for the partner",
        ));
    }
    if request.kind != Kind::Login {
        return Err(AppError::bad_request(
            "kind_not_supported",
            "only login sessions are supported so far",
        ));
    }
    let (id, nonce, qr_secret) = (random_id(), random_id(), random_bytes::<32>());
    let (watch_token, watch_hash) = random_token();
    let created_at = now();
    let expires_at = created_at + app.config.session_ttl_secs;
    app.store.insert_session(&NewSession {
        id: &id,
        partner_id: &partner.id,
        kind: request.kind,
        origin: &request.origin,
        nonce: &nonce,
        qr_secret: &qr_secret,
        watch_hash: &watch_hash,
        created_at,
        expires_at,
    })?;
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

fn event_of(session: &SessionRow, now: u64) -> SessionEvent {
    let state = session.state_at(now);
    let result = match (state, &session.approval, &session.status) {
        (SessionState::Approved, Some(approval), Some(status)) => Some(SignedApproval {
            approval: approval.clone(),
            status: status.clone(),
        }),
        _ => None,
    };
    SessionEvent {
        state,
        result,
        reason: None,
    }
}

async fn session_result(
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
struct WatchQuery {
    watch: String,
}

/// Waits until `wanted` is announced, or until announcements were lost (lagged), in
/// which case the caller re-reads the state anyway.
pub async fn changed(changes: &mut broadcast::Receiver<Change>, wanted: &Change) {
    loop {
        match changes.recv().await {
            Ok(change) if change == *wanted => return,
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Lagged(_)) => return,
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

async fn session_events(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<WatchQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    watched_session(&app, &id, Some(&query.watch))?;
    let changes = app.changes.subscribe();
    let start = (app, id, changes, None::<SessionState>);
    let stream = futures_util::stream::unfold(Some(start), |step| async move {
        let (app, id, mut changes, last) = step?;
        loop {
            let session = app.store.session(&id).ok().flatten()?;
            let now = now();
            let event = event_of(&session, now);
            if Some(event.state) != last {
                let state = event.state;
                let sse = Event::default().event("state").json_data(&event).ok()?;
                let next = (!state.is_final()).then_some((app, id, changes, Some(state)));
                return Some((Ok(sse), next));
            }
            let until_expiry =
                Duration::from_millis(session.expires_at.saturating_sub(now) * 1000 + 200);
            let wanted = Change::Session(id.clone());
            tokio::select! {
                _ = changed(&mut changes, &wanted) => {}
                _ = tokio::time::sleep(until_expiry) => {}
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn session_push(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<PushRequest>,
) -> AppResult<(StatusCode, Json<serde_json::Value>)> {
    watched_session(&app, &id, bearer(&headers))?;
    let now = now();
    let user_id = request.user_id.trim();
    // The answer is the same whether or not the user exists or was rate-limited, so
    // the push button cannot be used to find out who has Tessera.
    let known = app.store.active_devices_of(user_id)? > 0;
    let allowed = app
        .store
        .pushes_since(user_id, now.saturating_sub(PUSH_WINDOW_SECS))?
        < PUSH_LIMIT;
    if known && allowed {
        let from = [SessionState::Pending, SessionState::PushSent];
        if app
            .store
            .transition(&id, &from, SessionState::PushSent, Some(user_id), None, now)?
        {
            app.notify(Change::Session(id));
            app.notify(Change::User(user_id.into()));
        }
    }
    Ok((StatusCode::ACCEPTED, Json(serde_json::json!({}))))
}

async fn session_cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<StatusCode> {
    let session = watched_session(&app, &id, bearer(&headers))?;
    let open = [
        SessionState::Pending,
        SessionState::PushSent,
        SessionState::Opened,
    ];
    if app
        .store
        .transition(&id, &open, SessionState::Cancelled, None, None, now())?
    {
        app.notify(Change::Session(id));
        if let Some(user) = session.user_id {
            app.notify(Change::User(user));
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
