//! The Tessera server: what a bank deploys. By job:
//! - [`partner`]: the partner API and the widget's relay;
//! - [`device`]: the companion's API on an activated device (approve, settings, devices);
//! - [`activation`]: a browser becomes a device (new user, Token, Scan, lost device, restore);
//! - [`biometrics`]: WebAuthn platform credentials as the user verification;
//! - [`helpdesk`]: the agents' console;
//! - [`ca`]: the CA and its keys; [`wellknown`]: the JWKS and the OpenAPI document;
//! - [`oidc`]: Tessera as an OpenID Provider (code flow with PKCE, CIBA);
//! - [`outbox`]: SMS and e-mail; [`store`]: SQLite storage.
//!
//! Shared below them: [`state`], [`auth`] (device lookup, PIN check), [`pages`],
//! [`secrets`], [`error`]. [`app`] builds the router so tests can drive it without sockets.
//!
//! It must never log a secret, never keep a PIN or password it could check offline (Argon2id
//! hashes only), never trust what a browser says without checking it against its own
//! records and keys, and never hold a partner's logic: the Demo Bank is a program of its own
//! (`crates/demo-bank`) that `serve --demo` only registers as a partner.
pub mod activation;
pub mod auth;
pub mod biometrics;
pub mod ca;
pub mod clock;
pub mod demo;
pub mod device;
pub mod error;
pub mod helpdesk;
pub mod notice;
pub mod oidc;
pub mod outbox;
pub mod pages;
pub mod partner;
pub mod push;
pub mod secrets;
pub mod state;
pub mod store;
pub mod watchers;
pub mod wellknown;

use axum::{Router, extract::DefaultBodyLimit};

pub use clock::now;
pub use state::{AppState, Change, Config, Inner, bearer};

/// Bodies above this are refused with 413 before any handler reads them.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// The Tessera server: partner API, widget relay, companion API and pages, outbox.
pub fn app(state: AppState) -> Router {
    let companion = tessera_httpkit::web_app(&state.config.companion_web_dir, true, "");
    let widget = tessera_httpkit::web_app(&state.config.widget_web_dir, false, "");
    Router::new()
        .merge(partner::routes())
        .merge(activation::routes())
        .merge(device::routes())
        .merge(biometrics::routes())
        .merge(outbox::routes())
        .merge(helpdesk::routes())
        .merge(notice::routes())
        .merge(wellknown::routes())
        .merge(push::routes())
        .merge(oidc::routes())
        .route("/pages.css", axum::routing::get(pages::stylesheet))
        .with_state(state)
        .nest_service("/companion", companion)
        // The widget for the OpenID sign-in page (built by scripts/dist.sh).
        .nest_service("/dist-widget", widget)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
