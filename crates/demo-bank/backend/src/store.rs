//! The Demo Bank's own records, in its own SQLite file: what it asked in each session it
//! opened, and whether that session's approval was used. Tessera's database is not its.
use std::{path::Path, sync::Mutex};

use rusqlite::{Connection, OptionalExtension, params};
use tessera_protocol::{Details, Kind};

use crate::error::{BankError, BankResult};

/// Applied in order, once each (`PRAGMA user_version` counts them); never edited.
const MIGRATIONS: &[&str] = &["CREATE TABLE bank_sessions (
    session_id TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    details TEXT,
    logged_in_user TEXT
);"];

/// What the bank remembers of a session it opened.
#[derive(Debug, Clone, PartialEq)]
pub struct BankSession {
    /// The nonce Tessera gave the session.
    pub nonce: String,
    /// The partner ID Tessera knows the bank by.
    pub partner_id: String,
    /// What the session asks.
    pub kind: Kind,
    /// The transfer or document, in its one normalised form; none for a login.
    pub details: Option<Details>,
}

/// The bank's database.
pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> BankResult<Store> {
        let mut connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = connection.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", index + 1)?;
            tx.commit()?;
        }
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn db(&self) -> BankResult<std::sync::MutexGuard<'_, Connection>> {
        self.connection
            .lock()
            .map_err(|_| BankError::Internal("store lock poisoned".into()))
    }

    /// Remembers a session the bank opened.
    pub fn insert(&self, session_id: &str, session: &BankSession, now: u64) -> BankResult<()> {
        let details = session
            .details
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| BankError::Internal(e.to_string()))?;
        self.db()?.execute(
            "INSERT INTO bank_sessions (session_id, nonce, partner_id, created_at, kind, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session_id,
                session.nonce,
                session.partner_id,
                now,
                session.kind.as_str(),
                details
            ],
        )?;
        Ok(())
    }

    /// The session `session_id`, if the bank opened it.
    pub fn session(&self, session_id: &str) -> BankResult<Option<BankSession>> {
        let db = self.db()?;
        Ok(db
            .query_row(
                "SELECT nonce, partner_id, kind, details FROM bank_sessions WHERE session_id = ?1",
                [session_id],
                |r| {
                    Ok(BankSession {
                        nonce: r.get(0)?,
                        partner_id: r.get(1)?,
                        kind: parse_kind(r.get(2)?)?,
                        details: r
                            .get::<_, Option<String>>(3)?
                            .map(|text| parse_json(3, text))
                            .transpose()?,
                    })
                },
            )
            .optional()?)
    }

    /// Records that the session's approval was used (a login, a booking, a signature);
    /// false if it already was (a replay).
    pub fn consume(&self, session_id: &str, user_id: &str) -> BankResult<bool> {
        let changed = self.db()?.execute(
            "UPDATE bank_sessions SET logged_in_user = ?2
             WHERE session_id = ?1 AND logged_in_user IS NULL",
            params![session_id, user_id],
        )?;
        Ok(changed == 1)
    }
}

/// A kind as `Kind::as_str` wrote it; anything else is an error.
fn parse_kind(name: String) -> rusqlite::Result<Kind> {
    serde_json::from_value(serde_json::Value::String(name)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
    })
}

/// A JSON column; one that does not parse is an error, never a silent default: these
/// columns hold what customers approve.
fn parse_json<T: serde::de::DeserializeOwned>(index: usize, text: String) -> rusqlite::Result<T> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "tessera-demo-bank-store-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).expect("a scratch dir");
        let store = Store::open(&dir.join("bank.sqlite3")).expect("the store opens");
        (store, dir)
    }

    #[test]
    fn a_session_reads_back_as_recorded_and_its_approval_is_used_once() {
        let (store, dir) = scratch();
        let session = BankSession {
            nonce: "n".into(),
            partner_id: "demo-bank".into(),
            kind: Kind::Login,
            details: None,
        };
        store.insert("s1", &session, 1).expect("inserted");
        assert_eq!(store.session("s1").expect("read"), Some(session));
        assert_eq!(store.session("s2").expect("read"), None);
        assert!(store.consume("s1", "alice").expect("consumed"));
        assert!(!store.consume("s1", "alice").expect("a replay"));
        assert!(!store.consume("s2", "alice").expect("unknown"));
        drop(store);
        // Reopened: the migrations do not run twice and the record is still there.
        let store = Store::open(&dir.join("bank.sqlite3")).expect("reopens");
        assert!(!store.consume("s1", "bob").expect("still used"));
        std::fs::remove_dir_all(dir).expect("cleaned");
    }
}
