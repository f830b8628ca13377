//! The Tessera server: relay, identity, CA, partner API, outbox, and the Demo Bank.
//! `app` and `bank_app` build the two routers so tests can drive them without sockets.
pub mod activation;
pub mod bank;
pub mod biometrics;
pub mod ca;
pub mod demo;
pub mod error;
pub mod hardware;
pub mod helpdesk;
pub mod identity;
pub mod openapi;
pub mod outbox;
pub mod pages;
pub mod relay;
pub mod secrets;
pub mod store;
pub mod verdict;
pub mod webauthn;
pub mod wellknown;

use std::{path::PathBuf, sync::Arc, time::SystemTime};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderName, HeaderValue},
};
use tokio::sync::broadcast;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

use crate::{ca::Ca, outbox::Outbox, store::Store};

/// Bodies above this are refused with 413 before any handler reads them.
const MAX_BODY_BYTES: usize = 16 * 1024;

pub struct Config {
    /// Where the server is reached, e.g. `http://127.0.0.1:8080`.
    pub public_url: String,
    /// How long a session waits for the user.
    pub session_ttl_secs: u64,
    /// The built companion.
    pub companion_web_dir: PathBuf,
}

/// Something changed that a server-sent event stream may want to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Session(String),
    User(String),
}

pub struct Inner {
    pub config: Config,
    pub store: Arc<Store>,
    pub ca: Ca,
    pub outbox: Box<dyn Outbox>,
    pub changes: broadcast::Sender<Change>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(config: Config, store: Store) -> error::AppResult<AppState> {
        let ca = Ca::load_or_create(&store, now())?;
        let store = Arc::new(store);
        let outbox = Box::new(outbox::StoreOutbox(store.clone()));
        let (changes, _) = broadcast::channel(1024);
        Ok(AppState(Arc::new(Inner {
            config,
            store,
            ca,
            outbox,
            changes,
        })))
    }

    pub fn notify(&self, change: Change) {
        // No receivers is fine: nobody is watching.
        let _ = self.changes.send(change);
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The value of `Authorization: Bearer …`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// Security headers for the two web apps. Their pages run no inline script (Trunk loads
/// them through `boot.js`) and only need WebAssembly compilation, so the policy is strict;
/// `connect` lists where their requests may go besides their own origin.
fn web_app(dir: &std::path::Path, fallback_to_index: bool, connect: &str) -> Router {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' {connect}; manifest-src 'self'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
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
    Router::new()
        .merge(relay::routes())
        .merge(activation::routes())
        .merge(hardware::routes())
        .merge(identity::routes())
        .merge(outbox::routes())
        .merge(helpdesk::routes())
        .merge(wellknown::routes())
        .route("/pages.css", axum::routing::get(pages::stylesheet))
        .with_state(state)
        .nest_service("/companion", companion)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The Demo Bank: a partner site with its own origin and backend.
pub fn bank_app(bank: Arc<bank::Bank>, web_dir: &std::path::Path) -> Router {
    let pages = web_app(web_dir, false, &bank.tessera_public_url);
    bank::routes(bank)
        .merge(pages)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
