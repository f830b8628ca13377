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
//! records and keys, and never hold a partner's logic: the Demo Bank's backend (`bank.rs`,
//! `store/bank.rs`, served with `--demo`) is the last piece still to move out of it.
pub mod activation;
pub mod auth;
pub mod bank;
pub mod biometrics;
pub mod ca;
pub mod clock;
pub mod demo;
pub mod device;
pub mod error;
pub mod helpdesk;
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

use std::sync::Arc;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue},
};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

pub use clock::now;
pub use state::{AppState, Change, Config, Inner, bearer};

/// Bodies above this are refused with 413 before any handler reads them.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// Security headers for the two web apps. Their pages run no inline script (Trunk loads
/// them through `boot.js`) and only need WebAssembly compilation, so the policy is strict;
/// `connect` lists where their requests may go besides their own origin. The companion's
/// service worker and manifest (issue 16) come from its own origin only.
fn web_app(dir: &std::path::Path, fallback_to_index: bool, connect: &str) -> Router {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' {connect}; manifest-src 'self'; \
         worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    let files = ServeDir::new(dir);
    let router = if fallback_to_index {
        Router::new().fallback_service(files.fallback(ServeFile::new(dir.join("index.html"))))
    } else {
        Router::new().fallback_service(files)
    };
    let header = |name: &'static str, value: &str| {
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header values here are ASCII"),
        )
    };
    router
        .layer(header("content-security-policy", &csp))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "no-referrer"))
}

/// The Tessera server: partner API, widget relay, companion API and pages, outbox.
pub fn app(state: AppState) -> Router {
    let companion = web_app(&state.config.companion_web_dir, true, "");
    let widget = web_app(&state.config.widget_web_dir, false, "");
    Router::new()
        .merge(partner::routes())
        .merge(activation::routes())
        .merge(device::routes())
        .merge(biometrics::routes())
        .merge(outbox::routes())
        .merge(helpdesk::routes())
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
/// The Demo Bank: a partner site with its own origin and backend.
pub fn bank_app(bank: Arc<bank::Bank>, web_dir: &std::path::Path) -> Router {
    let pages = web_app(web_dir, false, &bank.tessera_public_url);
    bank::routes(bank)
        .merge(pages)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
