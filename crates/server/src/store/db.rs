//! SQLite storage. Every write is a single statement or a transaction, the journal is a
//! WAL with synchronous=FULL, so a killed server loses nothing it acknowledged.
use std::{path::Path, sync::Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use super::schema::MIGRATIONS;
use crate::error::{AppError, AppResult};

pub struct Store {
    connection: Mutex<Connection>,
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

/// A JSON column; one that does not parse is an error, never a silent default: these
/// columns hold what users approve.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    index: usize,
    text: Option<String>,
) -> rusqlite::Result<Option<T>> {
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

pub(crate) fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

impl Store {
    pub fn open(path: &Path) -> AppResult<Store> {
        let connection = Connection::open(path)?;
        Self::with_connection(connection)
    }

    pub(super) fn with_connection(mut connection: Connection) -> AppResult<Store> {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
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

    pub(crate) fn db(&self) -> AppResult<std::sync::MutexGuard<'_, Connection>> {
        self.connection
            .lock()
            .map_err(|_| AppError::Internal("store lock poisoned".into()))
    }

    pub fn setting(&self, name: &str) -> AppResult<Option<String>> {
        let db = self.db()?;
        Ok(db
            .query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, name: &str, value: &str) -> AppResult<()> {
        self.db()?.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![name, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
impl Store {
    pub fn in_memory() -> Store {
        Self::with_connection(Connection::open_in_memory().expect("sqlite in memory"))
            .expect("migrations")
    }
}
