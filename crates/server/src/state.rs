//! What every part of the server shares: its configuration and state and the
//! announcements of changes that event streams wait for. It imports no job of the server.
use std::{path::PathBuf, sync::Arc};

use axum::http::HeaderMap;
use tokio::sync::broadcast;

use crate::{
    ca::Ca,
    clock::now,
    error,
    outbox::sender::{Outbox, StoreOutbox},
    store::Store,
};

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
        let outbox = Box::new(StoreOutbox(store.clone()));
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

/// The value of `Authorization: Bearer …`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
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
