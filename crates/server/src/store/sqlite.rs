//! The embedded database. Its journal is a WAL with synchronous=FULL, so a killed server
//! (or a machine that lost power) loses nothing it acknowledged; and since that costs an
//! fsync per commit, the writes that arrive together share one commit ([`Sqlite::write`]).
use std::{
    panic::{AssertUnwindSafe, catch_unwind, resume_unwind},
    path::Path,
    sync::{
        Arc, Condvar, Mutex, MutexGuard, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use rusqlite::{
    Connection,
    types::{ToSqlOutput, ValueRef},
};

use super::{
    schema::MIGRATIONS,
    sql::{Db, Row, Value},
};
use crate::error::{AppError, AppResult};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Blob(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        })
    }
}

fn value(value: ValueRef<'_>) -> AppResult<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Text(text) => Value::Text(
            String::from_utf8(text.to_vec())
                .map_err(|_| AppError::Database("a text column is not UTF-8".into()))?,
        ),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
        ValueRef::Real(_) => return Err(AppError::Database("unexpected real number".into())),
    })
}

/// Row locks are PostgreSQL's; SQLite's one writer holds the whole database.
fn dialect(sql: &str) -> std::borrow::Cow<'_, str> {
    if sql.contains(" FOR UPDATE") {
        sql.replace(" FOR UPDATE", "").into()
    } else {
        sql.into()
    }
}

pub(super) struct SqliteDb<'a>(pub(super) &'a Connection);

impl Db for SqliteDb<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> AppResult<usize> {
        let mut statement = self.0.prepare_cached(&dialect(sql))?;
        Ok(statement.execute(rusqlite::params_from_iter(params))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> AppResult<Vec<Row>> {
        let mut statement = self.0.prepare_cached(&dialect(sql))?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let values = (0..columns)
                .map(|index| value(row.get_ref(index)?))
                .collect::<AppResult<_>>()?;
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// Opens the connection and brings its schema up to date; `PRAGMA user_version`
/// remembers how far it got.
pub(super) fn prepare(mut connection: Connection) -> AppResult<Connection> {
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
    Ok(connection)
}

/// Most callers whose work one commit makes durable: past this the group is committed
/// even if more are on their way, so that a steady stream of writes cannot hold the first
/// ones back indefinitely.
const MOST_IN_A_GROUP: usize = 256;

/// Group commit. Every write (a transaction or a single statement) runs on the writer
/// connection in a savepoint of the transaction that is open, and its caller is answered
/// only after the COMMIT that made it durable: what it was told is on disk. The caller
/// that finds nobody else on the way commits; the others wait for that commit, which then
/// costs one fsync for all of them instead of one each.
///
/// Reads go to a second connection, which sees only committed data, so nothing read is
/// ever a write that could still be lost. Without one (an in-memory database) reads too
/// take the writer's way.
pub(super) struct Sqlite {
    writer: Mutex<Writer>,
    /// Notified whenever a group's commit is over.
    committed: Condvar,
    /// Callers that announced a write and have not run it yet: the one that brings this
    /// to zero commits, so that work about to join the group is not left out of it.
    arriving: AtomicUsize,
    reader: Option<Mutex<Connection>>,
}

struct Writer {
    connection: Connection,
    /// The group in the open transaction, if one is open, and how many are in it.
    group: Option<Arc<Group>>,
    members: usize,
    /// A savepoint could not be ended: the transaction's contents are unknown.
    broken: bool,
}

/// How the commit of one group went, for every caller in it.
#[derive(Default)]
struct Group {
    outcome: OnceLock<Result<(), String>>,
}

impl Sqlite {
    /// The database file at `path`: a writer and a reader connection.
    pub(super) fn open(path: &Path) -> AppResult<Sqlite> {
        let writer = prepare(Connection::open(path)?)?;
        let reader = Connection::open(path)?;
        reader.busy_timeout(std::time::Duration::from_secs(5))?;
        // It only reads: a write that found its way here would fail, not go unbatched.
        reader.pragma_update(None, "query_only", "ON")?;
        Ok(Self::new(writer, Some(reader)))
    }

    /// One connection for everything (an in-memory database has no second one).
    #[cfg(test)]
    pub(super) fn single(connection: Connection) -> AppResult<Sqlite> {
        Ok(Self::new(prepare(connection)?, None))
    }

    fn new(connection: Connection, reader: Option<Connection>) -> Sqlite {
        Sqlite {
            writer: Mutex::new(Writer {
                connection,
                group: None,
                members: 0,
                broken: false,
            }),
            committed: Condvar::new(),
            arriving: AtomicUsize::new(0),
            reader: reader.map(Mutex::new),
        }
    }

    /// Runs `work`, which only reads through `sql`, on the reader connection; a statement
    /// SQLite does not call read-only goes the writer's way.
    pub(super) fn read<T>(
        &self,
        sql: &str,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        if let Some(reader) = &self.reader {
            let connection = reader.lock().unwrap_or_else(|p| p.into_inner());
            if connection.prepare_cached(&dialect(sql))?.readonly() {
                return work(&mut SqliteDb(&connection));
            }
        }
        self.write(work)
    }

    /// Runs `work` atomically (all of it or, on an error or a panic, none of it) and
    /// returns once it is durable. Off the async threads when there are other threads to
    /// run them: the rest of the group must go on while this caller waits.
    pub(super) fn write<T>(
        &self,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        use tokio::runtime::{Handle, RuntimeFlavor};
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(|| self.in_group(work)),
            // Elsewhere this caller's commit never waits for another task of its thread.
            _ => self.in_group(work),
        }
    }

    fn in_group<T>(&self, work: impl FnOnce(&mut dyn Db) -> AppResult<T>) -> AppResult<T> {
        self.arriving.fetch_add(1, Ordering::SeqCst);
        // A panic never happens while the lock is held (the work's are caught), and every
        // step below checks the transaction's state, so a poisoned lock is taken as it is.
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        // SQLite rolls a whole transaction back by itself on some errors (a full disk, an
        // I/O error): the group that was in it has failed.
        if writer.group.is_some() && writer.connection.is_autocommit() {
            self.commit(&mut writer);
        }
        if writer.group.is_none() {
            if let Err(e) = writer.connection.execute_batch("BEGIN IMMEDIATE") {
                self.arriving.fetch_sub(1, Ordering::SeqCst);
                return Err(e.into());
            }
            writer.group = Some(Arc::default());
        }
        let group = writer.group.clone().expect("a group is open");
        writer.members += 1;
        let (out, ended) = in_savepoint(&writer.connection, work);
        writer.broken |= !ended;
        let last = self.arriving.fetch_sub(1, Ordering::SeqCst) == 1;
        if last || writer.members >= MOST_IN_A_GROUP {
            self.commit(&mut writer);
        }
        let outcome = loop {
            match group.outcome.get() {
                Some(outcome) => break outcome.clone(),
                None => {
                    writer = self
                        .committed
                        .wait(writer)
                        .unwrap_or_else(|p| p.into_inner())
                }
            }
        };
        drop(writer);
        let out = out.unwrap_or_else(|panic| resume_unwind(panic));
        outcome.map_err(AppError::Database)?;
        out
    }

    /// Ends the open transaction and tells its group how it went.
    fn commit(&self, writer: &mut MutexGuard<'_, Writer>) {
        let Some(group) = writer.group.take() else {
            return;
        };
        let outcome = if writer.connection.is_autocommit() {
            Err("the transaction was rolled back by the database".to_string())
        } else if writer.broken {
            Err("a savepoint could not be ended".to_string())
        } else {
            writer
                .connection
                .execute_batch("COMMIT")
                .map_err(|e| e.to_string())
        };
        if !writer.connection.is_autocommit() {
            // A failed COMMIT leaves the transaction open: none of it is kept.
            let _ = writer.connection.execute_batch("ROLLBACK");
        }
        writer.members = 0;
        writer.broken = false;
        let _ = group.outcome.set(outcome);
        self.committed.notify_all();
    }
}

/// Runs `work` in a savepoint of the open transaction: kept if it succeeds, undone if it
/// fails or panics (the panic is handed back, to go on once the caller is answered).
/// Also says whether the savepoint could be ended.
fn in_savepoint<T>(
    connection: &Connection,
    work: impl FnOnce(&mut dyn Db) -> AppResult<T>,
) -> (std::thread::Result<AppResult<T>>, bool) {
    if let Err(e) = connection.execute_batch("SAVEPOINT work") {
        return (Ok(Err(e.into())), true);
    }
    let out = catch_unwind(AssertUnwindSafe(|| work(&mut SqliteDb(connection))));
    let end = match out {
        Ok(Ok(_)) => "RELEASE work",
        _ => "ROLLBACK TO work; RELEASE work",
    };
    let ended = connection.execute_batch(end).is_ok();
    (out, ended)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    fn temp_database() -> (Sqlite, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("tessera-group-{}", crate::secrets::random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tessera.sqlite3");
        (Sqlite::open(&path).unwrap(), path)
    }

    fn insert(db: &mut dyn Db, name: &str) -> AppResult<usize> {
        db.execute(
            "INSERT INTO settings (name, value) VALUES (?1, 'v')",
            &[Value::Text(name.into())],
        )
    }

    /// The settings a connection of its own finds on disk: what is committed.
    fn committed(path: &Path) -> Vec<String> {
        let connection = Connection::open(path).unwrap();
        let mut statement = connection
            .prepare("SELECT name FROM settings WHERE name LIKE 'group-%' ORDER BY name")
            .unwrap();
        statement
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Blocks until `count` callers are on their way into the group (the first is inside
    /// its work, holding the writer): the others then join its transaction.
    fn wait_for_arriving(sqlite: &Sqlite, count: usize) {
        while sqlite.arriving.load(Ordering::SeqCst) < count {
            std::thread::yield_now();
        }
    }

    #[test]
    fn writes_that_arrive_together_share_one_commit_and_each_is_answered_after_it() {
        let (sqlite, path) = temp_database();
        let first_inside = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let first = scope.spawn(|| {
                sqlite.write(|db| {
                    insert(db, "group-a")?;
                    first_inside.store(true, Ordering::SeqCst);
                    wait_for_arriving(&sqlite, 2);
                    Ok(())
                })
            });
            while !first_inside.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let second = sqlite.write(|db| {
                // The first write is done but not committed: not on disk, and the reads
                // (another connection) do not see it.
                assert!(committed(&path).is_empty());
                let seen = sqlite
                    .read("SELECT name FROM settings WHERE name = 'group-a'", |db| {
                        db.query("SELECT name FROM settings WHERE name = 'group-a'", &[])
                    })?;
                assert!(seen.is_empty(), "a read saw a write not yet committed");
                insert(db, "group-b")
            });
            assert_eq!(second.unwrap(), 1);
            first.join().unwrap().unwrap();
        });
        // Both were answered, so both are on disk: committed together.
        assert_eq!(committed(&path), ["group-a", "group-b"]);
    }

    #[test]
    fn a_failing_or_panicking_write_is_undone_and_the_rest_of_its_group_kept() {
        let (sqlite, path) = temp_database();
        let first_inside = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let failing = scope.spawn(|| {
                sqlite.write(|db| -> AppResult<()> {
                    insert(db, "group-failed")?;
                    first_inside.store(true, Ordering::SeqCst);
                    wait_for_arriving(&sqlite, 3);
                    Err(AppError::Internal("changed its mind".into()))
                })
            });
            while !first_inside.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let panicking = scope.spawn(|| {
                sqlite.write(|db| -> AppResult<()> {
                    insert(db, "group-panicked")?;
                    panic!("a bug in the middle of a write");
                })
            });
            let kept = scope.spawn(|| sqlite.write(|db| insert(db, "group-kept")));
            assert!(failing.join().unwrap().is_err());
            assert!(panicking.join().is_err(), "the panic reaches its caller");
            assert_eq!(kept.join().unwrap().unwrap(), 1);
        });
        assert_eq!(committed(&path), ["group-kept"]);
        // The writer goes on: the next write commits alone.
        sqlite.write(|db| insert(db, "group-next")).unwrap();
        assert_eq!(committed(&path), ["group-kept", "group-next"]);
    }

    #[test]
    fn a_statement_that_writes_never_runs_on_the_read_connection() {
        let (sqlite, path) = temp_database();
        sqlite.write(|db| insert(db, "group-x")).unwrap();
        let sql = "UPDATE settings SET value = 'w' WHERE name = 'group-x' RETURNING value";
        let rows = sqlite.read(sql, |db| db.query(sql, &[])).unwrap();
        assert_eq!(rows.len(), 1);
        let connection = Connection::open(&path).unwrap();
        let value: String = connection
            .query_row(
                "SELECT value FROM settings WHERE name = 'group-x'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            value, "w",
            "the update went through the writer and is committed"
        );
    }
}
