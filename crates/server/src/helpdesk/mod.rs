//! The helpdesk console, `/helpdesk`: agents log in with their own accounts, find a user,
//! recognise the caller by their three security answers, and then unlock, suspend, resume
//! or revoke a device or e-mail a single-use security code. Every action, and every failed
//! attempt, goes to the audit log. Server-rendered HTML without any script: the console
//! is an admin surface, and the less it runs the less can be injected into it.
use crate::state::AppState;

mod caller;
mod login;
mod session;
mod users;
mod views;

use axum::{
    Router,
    routing::{get, post},
};

pub use session::SECURITY_CODE_SECS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk", get(login::home))
        .route("/helpdesk/login", post(login::login))
        .route("/helpdesk/logout", post(login::logout))
        .route("/helpdesk/users", get(users::find))
        .route("/helpdesk/users/{user}", get(users::user_page))
        .route("/helpdesk/users/{user}/verify", post(caller::verify_caller))
        .route(
            "/helpdesk/users/{user}/security-code",
            post(caller::send_security_code),
        )
        .route(
            "/helpdesk/users/{user}/devices/{device}/{action}",
            post(caller::device_action),
        )
        .route(
            "/helpdesk/users/{user}/pending/{pending}/resend",
            post(caller::resend_link),
        )
        .route("/helpdesk/audit", get(users::audit_page))
}
