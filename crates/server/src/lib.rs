//! The Tessera server: relay, identity, CA, partner API, outbox, and the Demo Bank.
//! `app` and `bank_app` build the two routers so tests can drive them without sockets.
pub mod bank;
pub mod ca;
pub mod demo;
pub mod error;
pub mod identity;
pub mod outbox;
pub mod relay;
pub mod secrets;
pub mod store;

use std::{path::PathBuf, sync::Arc, time::SystemTime};

use axum::{Router, extract::DefaultBodyLimit, http::HeaderMap};
use tokio::sync::broadcast;
use tower_http::services::{ServeDir, ServeFile};

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

/// The Tessera server: partner API, widget relay, companion API and pages, outbox.
pub fn app(state: AppState) -> Router {
    let companion = ServeDir::new(&state.config.companion_web_dir).fallback(ServeFile::new(
        state.config.companion_web_dir.join("index.html"),
    ));
    Router::new()
        .merge(relay::routes())
        .merge(identity::routes())
        .merge(outbox::routes())
        .nest_service("/companion", companion)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The Demo Bank: a partner site with its own origin and backend.
pub fn bank_app(bank: Arc<bank::Bank>, web_dir: &std::path::Path) -> Router {
    bank::routes(bank)
        .fallback_service(ServeDir::new(web_dir))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
