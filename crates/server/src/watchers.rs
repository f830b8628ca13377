//! Who waits for what: a change wakes only the streams that watch it.
//!
//! A widget's event stream watches its session; a phone's watches its user's requests.
//! Each watched key has one `watch` channel shared by its watchers, made on the first
//! watch and dropped with the last, so memory follows what is watched and a state change
//! costs the same however many others wait.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use tokio::sync::watch;

/// Something changed that an event stream may want to tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    Session(String),
    User(String),
}

impl Change {
    /// As instances tell each other: `s:` or `u:` and the id.
    pub fn key(&self) -> String {
        match self {
            Change::Session(id) => format!("s:{id}"),
            Change::User(id) => format!("u:{id}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Change> {
        match key.split_once(':')? {
            ("s", id) => Some(Change::Session(id.into())),
            ("u", id) => Some(Change::User(id.into())),
            _ => None,
        }
    }
}

#[derive(Default)]
pub struct Watchers(Mutex<HashMap<Change, watch::Sender<()>>>);

impl Watchers {
    /// Starts watching `key`; every change announced from now on wakes the watch.
    pub fn watch(self: &Arc<Self>, key: Change) -> Watch {
        let receiver = self
            .map()
            .entry(key.clone())
            .or_insert_with(|| watch::channel(()).0)
            .subscribe();
        Watch {
            key,
            receiver,
            watchers: self.clone(),
        }
    }

    /// Wakes the watchers of `change`, if any.
    pub fn notify(&self, change: &Change) {
        if let Some(sender) = self.map().get(change) {
            sender.send_replace(());
        }
    }

    /// Wakes every watcher: changes may have been missed (the other instances' news was
    /// cut off for a while), so every stream re-reads what it shows.
    pub fn notify_all(&self) {
        for sender in self.map().values() {
            sender.send_replace(());
        }
    }

    /// How many keys are watched (for tests and metrics).
    pub fn watched(&self) -> usize {
        self.map().len()
    }

    fn map(&self) -> MutexGuard<'_, HashMap<Change, watch::Sender<()>>> {
        // A panic while holding the lock leaves the map consistent (every step is one
        // insert or remove), so a poisoned lock is still safe to use.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One stream's watch on one key.
pub struct Watch {
    key: Change,
    receiver: watch::Receiver<()>,
    watchers: Arc<Watchers>,
}

impl Watch {
    /// Resolves once a change was announced since the last call (or since the watch began).
    pub async fn changed(&mut self) {
        if self.receiver.changed().await.is_err() {
            // The sender lives as long as any watch of its key, this one included.
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut map = self.watchers.map();
        // This watch's receiver is still alive here: the last one counts 1.
        if map.get(&self.key).is_some_and(|s| s.receiver_count() <= 1) {
            map.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn session(id: &str) -> Change {
        Change::Session(id.into())
    }

    async fn wakes(watch: &mut Watch) -> bool {
        tokio::time::timeout(Duration::from_millis(50), watch.changed())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn a_change_wakes_only_its_own_watchers() {
        let watchers = Arc::new(Watchers::default());
        let (mut a1, mut a2, mut b) = (
            watchers.watch(session("a")),
            watchers.watch(session("a")),
            watchers.watch(session("b")),
        );
        watchers.notify(&session("a"));
        assert!(wakes(&mut a1).await && wakes(&mut a2).await);
        assert!(!wakes(&mut b).await, "b was not changed");
        assert!(!wakes(&mut a1).await, "one change wakes once");
    }

    #[tokio::test]
    async fn a_change_between_reading_and_waiting_is_not_lost() {
        let watchers = Arc::new(Watchers::default());
        let mut watch = watchers.watch(Change::User("alice".into()));
        // The stream read its state here; the change lands before it waits.
        watchers.notify(&Change::User("alice".into()));
        assert!(wakes(&mut watch).await);
    }

    #[tokio::test]
    async fn the_last_watch_gone_forgets_the_key() {
        let watchers = Arc::new(Watchers::default());
        let first = watchers.watch(session("a"));
        let second = watchers.watch(session("a"));
        assert_eq!(watchers.watched(), 1);
        drop(first);
        assert_eq!(watchers.watched(), 1, "one watcher is left");
        drop(second);
        assert_eq!(watchers.watched(), 0);
        watchers.notify(&session("a")); // nobody watches: nothing to do, nothing kept
        assert_eq!(watchers.watched(), 0);
    }
}
