//! The companion's API on an activated device: the requests to approve
//! (`approve.rs`) and the user's settings and devices (`settings.rs`).
use crate::state::AppState;

mod approve;
mod code_entry;
mod offline_key;
mod settings;

use axum::{
    Router,
    routing::{get, post},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/device", get(approve::device_show))
        .route("/v1/device/events", get(approve::device_events))
        .route("/v1/device/scan", post(approve::device_scan))
        .route("/v1/device/code", post(code_entry::device_code))
        .route("/v1/device/offline-key", post(offline_key::set_offline_key))
        .route(
            "/v1/device/sessions/{id}/open",
            post(approve::device_session_open),
        )
        .route(
            "/v1/device/sessions/{id}/match",
            post(approve::device_session_match),
        )
        .route(
            "/v1/device/sessions/{id}/respond",
            post(approve::device_session_respond),
        )
        .route(
            "/v1/device/sessions/{id}/report",
            post(approve::device_session_report),
        )
        .route("/v1/device/pin", post(settings::pin_change))
        .route("/v1/device/name", post(settings::device_rename))
        .route("/v1/device/devices", get(settings::devices_list))
        .route(
            "/v1/device/devices/{id}/{action}",
            post(settings::devices_action),
        )
}
