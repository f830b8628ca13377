//! What every part of the server shares: its configuration and state and the
//! event streams' watchers. It imports no job of the server.
use std::{path::PathBuf, sync::Arc};

use axum::http::HeaderMap;

pub use crate::watchers::Change;
use crate::{
    ca::Ca,
    clock::now,
    error,
    outbox::sender::{Outbox, StoreOutbox},
    push::sender::{PushConfig, Pusher},
    store::Store,
    watchers::Watchers,
};

pub struct Config {
    /// Where the server is reached, e.g. `http://127.0.0.1:8080`.
    pub public_url: String,
    /// How long a session waits for the user.
    pub session_ttl_secs: u64,
    /// The built companion.
    pub companion_web_dir: PathBuf,
    /// The widget built for partners (`dist-widget/`), shown by the OpenID sign-in page.
    pub widget_web_dir: PathBuf,
    /// Web Push to the companion while it is closed.
    pub push: PushConfig,
}

pub struct Inner {
    pub config: Config,
    pub store: Arc<Store>,
    pub ca: Ca,
    pub outbox: Box<dyn Outbox>,
    /// The event streams waiting, by what they wait for.
    pub watchers: Arc<Watchers>,
    pub pusher: Arc<Pusher>,
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
        let pusher = Arc::new(Pusher::load_or_create(&store, &config.push)?);
        let store = Arc::new(store);
        let outbox = Box::new(StoreOutbox(store.clone()));
        let watchers: Arc<Watchers> = Arc::default();
        // What other instances change wakes this one's streams; the listener stops when
        // the watchers are gone with the last copy of this state.
        let following = Arc::downgrade(&watchers);
        store.follow(Box::new(move |key| {
            let Some(watchers) = following.upgrade() else {
                return false;
            };
            match key.map(Change::from_key) {
                None => watchers.notify_all(),
                Some(Some(change)) => watchers.notify(&change),
                Some(None) => {}
            }
            true
        }))?;
        Ok(AppState(Arc::new(Inner {
            config,
            store,
            ca,
            outbox,
            watchers,
            pusher,
        })))
    }

    /// Wakes the streams that watch `change`, here and on the other instances.
    pub fn notify(&self, change: Change) {
        self.watchers.notify(&change);
        if let Err(e) = self.store.announce(&change.key()) {
            // The other instances' streams still see the change at their next wake or
            // at the session's expiry; the change itself is stored.
            tracing::warn!("cannot tell the other instances: {e}");
        }
    }

    /// Tells the widgets of sessions a newer request superseded that they were replaced.
    pub fn notify_superseded(&self, superseded: Vec<String>) {
        for id in superseded {
            self.notify(Change::Session(id));
        }
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
