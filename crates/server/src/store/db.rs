//! The store's handle on its database, SQLite or PostgreSQL. Every write is a single
//! statement or a transaction; what must hold across instances (single-use codes,
//! counters, lockouts, results delivered once) is a conditional UPDATE, a unique key or
//! a row locked `FOR UPDATE`, never memory.
use std::path::Path;

use super::{
    pg::Pg,
    sql::{Db, Heard, Row, Value, params},
    sqlite::Sqlite,
};
use crate::error::{AppError, AppResult};

enum Backend {
    Sqlite(Box<Sqlite>),
    Postgres(Box<Pg>),
}

pub struct Store {
    backend: Backend,
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

/// A JSON column; one that does not parse is an error, never a silent default: these
/// columns hold what users approve.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    index: usize,
    text: Option<String>,
) -> AppResult<Option<T>> {
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            AppError::Database(format!("column {index} is not the JSON expected: {e}"))
        })
    })
    .transpose()
}

pub(crate) fn json_list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}

impl Store {
    /// The embedded database in the file at `path`.
    pub fn open(path: &Path) -> AppResult<Store> {
        Ok(Store {
            backend: Backend::Sqlite(Box::new(Sqlite::open(path)?)),
        })
    }

    /// PostgreSQL at `url` (`postgres://user@host:port/database`), shared with the other
    /// instances of the deployment.
    pub fn connect(url: &str) -> AppResult<Store> {
        Ok(Store {
            backend: Backend::Postgres(Box::new(Pg::connect(url)?)),
        })
    }

    /// The embedded database on this one connection, for reads and writes alike.
    #[cfg(test)]
    pub(super) fn with_connection(connection: rusqlite::Connection) -> AppResult<Store> {
        Ok(Store {
            backend: Backend::Sqlite(Box::new(Sqlite::single(connection)?)),
        })
    }

    /// Whether other instances may share this database.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Writes (SQLite: always atomic, in the group commit of `sqlite.rs`).
    fn run<T: Send>(
        &self,
        transaction: bool,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.write(work),
            Backend::Postgres(pg) => pg.run(transaction, work),
        }
    }

    /// One statement, `sql`, that may only read (SQLite finds out which).
    fn read<T: Send>(
        &self,
        sql: &str,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.read(sql, work),
            Backend::Postgres(pg) => pg.run(false, work),
        }
    }

    /// Runs `work` in one transaction: all of it is written, or (on an error) none.
    pub(crate) fn transaction<T: Send>(
        &self,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        self.run(true, work)
    }

    pub(crate) fn execute(&self, sql: &str, params: &[Value]) -> AppResult<usize> {
        self.run(false, |db| db.execute(sql, params))
    }

    pub(crate) fn query_row<T: Send>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&Row) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        self.read(sql, |db| db.query_row(sql, params, map))
    }

    pub(crate) fn query_opt<T: Send>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&Row) -> AppResult<T> + Send,
    ) -> AppResult<Option<T>> {
        self.read(sql, |db| db.query_opt(sql, params, map))
    }

    pub(crate) fn query_map<T: Send>(
        &self,
        sql: &str,
        params: &[Value],
        map: impl FnMut(&Row) -> AppResult<T> + Send,
    ) -> AppResult<Vec<T>> {
        self.read(sql, |db| db.query_map(sql, params, map))
    }

    /// Tells the other instances that `key` changed (nothing to do with SQLite, which
    /// has no other instance).
    pub fn announce(&self, key: &str) -> AppResult<()> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.announce(key),
        }
    }

    /// Calls `heard` with every key another instance announces, and with `None` when
    /// announcements may have been missed; stops when it returns false.
    pub fn follow(&self, heard: Heard) -> AppResult<()> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(()),
            Backend::Postgres(pg) => pg.follow(heard),
        }
    }

    pub fn setting(&self, name: &str) -> AppResult<Option<String>> {
        self.query_opt(
            "SELECT value FROM settings WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
    }

    pub fn set_setting(&self, name: &str, value: &str) -> AppResult<()> {
        self.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![name, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
impl Store {
    pub fn in_memory() -> Store {
        Self::with_connection(rusqlite::Connection::open_in_memory().expect("sqlite in memory"))
            .expect("migrations")
    }
}
