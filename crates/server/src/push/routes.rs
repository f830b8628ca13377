//! The companion's push settings: `GET /v1/device/push` (the VAPID key, whether this
//! device is subscribed), `POST /v1/device/push` (register the browser's subscription),
//! `POST /v1/device/push/off`.
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use tessera_protocol::push::{PushSettings, PushSubscribe};
use tessera_webpush::{PushError, Subscription};

use crate::{
    auth::device::{CallingDevice, usable},
    clock::now,
    error::{AppError, AppResult, JsonBody},
    state::AppState,
    store::PushSubscriptionRow,
};

/// The languages the service worker writes notifications in.
const LANGS: [&str; 4] = ["en", "fr", "de", "nl"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/device/push", get(settings).post(subscribe))
        .route("/v1/device/push/off", post(unsubscribe))
}

async fn settings(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
) -> AppResult<Json<PushSettings>> {
    let device = usable(device)?;
    Ok(Json(PushSettings {
        vapid_key: app.pusher.public_key(),
        subscribed: app.store.has_push_subscription(&device.id)?,
    }))
}

async fn subscribe(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(body): JsonBody<PushSubscribe>,
) -> AppResult<StatusCode> {
    let device = usable(device)?;
    let sub = Subscription::new(
        body.endpoint,
        body.keys.p256dh,
        body.keys.auth,
        app.pusher.policy(),
    )
    .map_err(|error| match error {
        PushError::EndpointRefused(_) => {
            AppError::bad_request("push_endpoint_refused", error.to_string())
        }
        _ => AppError::bad_request("invalid_push_subscription", error.to_string()),
    })?;
    let lang = if LANGS.contains(&body.lang.as_str()) {
        body.lang
    } else {
        "en".into()
    };
    let row = PushSubscriptionRow {
        device_id: device.id,
        endpoint: sub.endpoint,
        p256dh: sub.p256dh,
        auth: sub.auth,
        lang,
    };
    app.store.set_push_subscription(&row, now())?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unsubscribe(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
) -> AppResult<StatusCode> {
    // Any device of the user's may stop its own notifications, even a locked one.
    app.store.delete_push_subscription(&device.id, None)?;
    Ok(StatusCode::NO_CONTENT)
}
