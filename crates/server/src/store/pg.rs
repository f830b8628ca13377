//! PostgreSQL, for several instances serving one deployment (docs/DEPLOYMENT.md): a small
//! pool of the synchronous client's connections, used off the async threads, the same
//! migrations as SQLite in PostgreSQL's types, and the changes that instances announce
//! to each other with NOTIFY.
use std::{
    collections::HashMap,
    error::Error,
    str::FromStr,
    sync::{Condvar, Mutex},
    time::Duration,
};

use bytes::BytesMut;
use postgres::{
    Client, GenericClient, NoTls, Statement,
    fallible_iterator::FallibleIterator,
    types::{IsNull, ToSql, Type, to_sql_checked},
};

use super::{
    schema::MIGRATIONS,
    sql::{Db, Row, Value, dollar_placeholders},
};
use crate::error::{AppError, AppResult};

/// The one channel every instance listens on; a payload is `instance key`.
const CHANNEL: &str = "tessera_change";
/// Connections one instance opens at most (PostgreSQL allows 100 by default, so a handful
/// of instances fit).
const MAX_CONNECTIONS: usize = 16;

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) if *ty == Type::INT8 => n.to_sql(ty, out),
            Value::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) if *ty == Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) if *ty == Type::BOOL => (*n != 0).to_sql(ty, out),
            Value::Int(_) => Err(format!("an integer given for a parameter of type {ty}").into()),
            Value::Text(text) => text.as_str().to_sql(ty, out),
            Value::Blob(bytes) => bytes.as_slice().to_sql(ty, out),
        }
    }

    // Which type fits is decided in `to_sql`, by the kind of value.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn value(row: &postgres::Row, index: usize) -> AppResult<Value> {
    let ty = row.columns()[index].type_();
    let int = |n: Option<i64>| n.map_or(Value::Null, Value::Int);
    Ok(if *ty == Type::INT8 {
        int(row.try_get(index)?)
    } else if *ty == Type::INT4 {
        int(row.try_get::<_, Option<i32>>(index)?.map(i64::from))
    } else if *ty == Type::INT2 {
        int(row.try_get::<_, Option<i16>>(index)?.map(i64::from))
    } else if *ty == Type::BOOL {
        int(row.try_get::<_, Option<bool>>(index)?.map(i64::from))
    } else if *ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(index)?
            .map_or(Value::Null, Value::Blob)
    } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME].contains(ty) {
        row.try_get::<_, Option<String>>(index)?
            .map_or(Value::Null, Value::Text)
    } else {
        return Err(AppError::Database(format!("column {index} has type {ty}")));
    })
}

struct Connection {
    client: Client,
    /// Prepared once per connection: most statements run thousands of times.
    statements: HashMap<String, Statement>,
}

struct PgDb<'a, C> {
    client: &'a mut C,
    statements: &'a mut HashMap<String, Statement>,
}

impl<C: GenericClient> PgDb<'_, C> {
    fn statement(&mut self, sql: &str) -> AppResult<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&dollar_placeholders(sql))?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient> Db for PgDb<'_, C> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> AppResult<usize> {
        let statement = self.statement(sql)?;
        let changed = self.client.execute(&statement, &refs(params))?;
        usize::try_from(changed).map_err(|e| AppError::Database(e.to_string()))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> AppResult<Vec<Row>> {
        let statement = self.statement(sql)?;
        self.client
            .query(&statement, &refs(params))?
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| value(row, i))
                    .collect::<AppResult<_>>()
                    .map(Row)
            })
            .collect()
    }
}

/// The schema in PostgreSQL's words: the same migrations, with its integer, bytes and
/// counter types (SQLite's INTEGER is 64 bits).
pub(super) fn migration(sql: &str) -> String {
    // SQLite gives every table a rowid, in the order rows were inserted, and the store
    // sorts by it; PostgreSQL's tables get one of their own.
    let mut parts = sql.split("CREATE TABLE ");
    let mut with_rowid = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        with_rowid.push_str("CREATE TABLE ");
        match part.split_once(" (") {
            Some((name, rest)) => with_rowid.push_str(&format!(
                "{name} (rowid BIGINT GENERATED ALWAYS AS IDENTITY, {rest}"
            )),
            None => with_rowid.push_str(part),
        }
    }
    with_rowid
        .replace(
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        )
        .replace(
            "CAST(strftime('%s', 'now') AS INTEGER)",
            "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)",
        )
        .replace(" INTEGER", " BIGINT")
        .replace(" BLOB", " BYTEA")
}

pub(super) struct Pg {
    config: postgres::Config,
    idle: Mutex<Vec<Connection>>,
    /// Connections handed out or idle, and a wait for one to come back.
    open: Mutex<usize>,
    returned: Condvar,
    /// Tells this instance's announcements from the others'.
    pub(super) instance: String,
}

impl Pg {
    pub(super) fn connect(url: &str) -> AppResult<Pg> {
        let config = postgres::Config::from_str(url)
            .map_err(|e| AppError::Database(format!("the database URL: {e}")))?;
        let pg = Pg {
            config,
            idle: Mutex::default(),
            open: Mutex::new(0),
            returned: Condvar::new(),
            instance: crate::secrets::random_id(),
        };
        pg.run(true, |db| migrate(db))?;
        Ok(pg)
    }

    /// Runs `work` on a pooled connection, in one transaction if `transaction` (rolled
    /// back if `work` fails).
    pub(super) fn run<T: Send>(
        &self,
        transaction: bool,
        work: impl FnOnce(&mut dyn Db) -> AppResult<T> + Send,
    ) -> AppResult<T> {
        off_runtime(|| {
            let mut connection = self.checkout()?;
            let Connection { client, statements } = &mut connection;
            let out = if transaction {
                let mut tx = client.transaction()?;
                let out = work(&mut PgDb {
                    client: &mut tx,
                    statements,
                });
                if out.is_ok() {
                    tx.commit()?;
                }
                out
            } else {
                work(&mut PgDb { client, statements })
            };
            self.checkin(connection);
            out
        })
    }

    fn checkout(&self) -> AppResult<Connection> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(connection) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
                return Ok(connection);
            }
            if *open < MAX_CONNECTIONS {
                break;
            }
            open = self.returned.wait(open).unwrap_or_else(|p| p.into_inner());
        }
        *open += 1;
        drop(open);
        match self.config.connect(NoTls) {
            Ok(client) => Ok(Connection {
                client,
                statements: HashMap::new(),
            }),
            Err(e) => {
                self.release();
                Err(e.into())
            }
        }
    }

    /// Returns a connection to the pool, or closes it if the server did.
    fn checkin(&self, connection: Connection) {
        if connection.client.is_closed() {
            self.release();
        } else {
            self.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(connection);
            self.returned.notify_one();
        }
    }

    fn release(&self) {
        *self.open.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.returned.notify_one();
    }

    /// Tells every instance (this one included, which ignores it) that `key` changed.
    pub(super) fn announce(&self, key: &str) -> AppResult<()> {
        let payload = format!("{} {key}", self.instance);
        self.run(false, |db| {
            db.execute(
                "SELECT pg_notify(?1, ?2)",
                &[Value::Text(CHANNEL.into()), Value::Text(payload)],
            )
            .map(drop)
        })
    }

    /// Follows the other instances' announcements on a thread of its own, until `heard`
    /// returns false. After every reconnection `heard(None)` comes first: what was
    /// announced while the listener was away is lost, so everything watched is re-read.
    /// Returns once the listener listens: an instance that would miss the others' news
    /// does not start.
    pub(super) fn follow(&self, heard: super::sql::Heard) -> AppResult<()> {
        let mut config = self.config.clone();
        config.application_name("tessera-listen");
        let instance = self.instance.clone();
        let (ready, listening) = std::sync::mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("tessera-listen".into())
            .spawn(move || listen(&config, &instance, &*heard, ready))
            .map_err(|e| AppError::Internal(format!("the listener thread: {e}")))?;
        listening
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| AppError::Database("cannot LISTEN for the other instances".into()))
    }
}

impl Drop for Pg {
    // A client closes its connection on its own runtime, which cannot run on a thread
    // that drives async tasks: the store may be dropped on one.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|p| p.into_inner()));
        off_runtime(move || drop(idle));
    }
}

fn listen(
    config: &postgres::Config,
    instance: &str,
    heard: &dyn Fn(Option<&str>) -> bool,
    ready: std::sync::mpsc::SyncSender<()>,
) {
    let mut first = true;
    loop {
        match config.connect(NoTls) {
            Ok(mut client) => match client.batch_execute(&format!("LISTEN {CHANNEL}")) {
                Err(e) => tracing::warn!("LISTEN failed: {e}"),
                Ok(()) => {
                    // Nothing was watched before the first connection: nothing to catch up.
                    let caught_up = if first {
                        first = false;
                        let _ = ready.try_send(());
                        true
                    } else {
                        heard(None)
                    };
                    if !caught_up || !relay(&mut client, instance, heard) {
                        return;
                    }
                }
            },
            Err(e) => tracing::warn!("the listener cannot reach the database: {e}"),
        }
        // A chance to stop while the database is away.
        if !heard(Some("")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Passes announcements on until the connection drops (true: reconnect) or `heard` says
/// stop (false).
fn relay(client: &mut Client, instance: &str, heard: &dyn Fn(Option<&str>) -> bool) -> bool {
    loop {
        let next = client
            .notifications()
            .timeout_iter(Duration::from_secs(1))
            .next();
        match next {
            Ok(Some(notification)) => {
                let (from, key) = notification
                    .payload()
                    .split_once(' ')
                    .unwrap_or(("", notification.payload()));
                if from != instance && !heard(Some(key)) {
                    return false;
                }
            }
            // A quiet second: a chance to stop, and to notice a dropped connection.
            Ok(None) if client.is_closed() => return true,
            Ok(None) => {
                if !heard(Some("")) {
                    return false;
                }
            }
            Err(e) => {
                tracing::warn!("the listener lost the database: {e}");
                return true;
            }
        }
    }
}

fn migrate(db: &mut dyn Db) -> AppResult<()> {
    // Instances starting together take turns; the first brings the schema up to date.
    db.execute("SELECT pg_advisory_xact_lock(7478150)", &[])?;
    db.execute(
        "CREATE TABLE IF NOT EXISTS tessera_schema (version BIGINT NOT NULL)",
        &[],
    )?;
    let version: Option<usize> =
        db.query_opt("SELECT version FROM tessera_schema", &[], |r| r.get(0))?;
    if version.is_none() {
        db.execute("INSERT INTO tessera_schema (version) VALUES (0)", &[])?;
    }
    let version = version.unwrap_or(0);
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        for statement in migration(sql).split(';').filter(|s| !s.trim().is_empty()) {
            db.execute(statement, &[])?;
        }
        db.execute(
            "UPDATE tessera_schema SET version = ?1",
            &[Value::Int(index as i64 + 1)],
        )?;
    }
    Ok(())
}

/// Runs blocking database work where it may block: the synchronous client drives its own
/// small runtime, which cannot start on a thread that is driving async tasks.
fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Err(_) => work(),
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        // A single-threaded runtime (the tests') cannot hand its thread over: a scoped
        // thread does the work while it waits.
        Ok(_) => std::thread::scope(|scope| match scope.spawn(work).join() {
            Ok(out) => out,
            Err(panic) => std::panic::resume_unwind(panic),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_use_postgres_types() {
        let sql = migration(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, b BLOB);",
        );
        assert_eq!(
            sql,
            "CREATE TABLE t (rowid BIGINT GENERATED ALWAYS AS IDENTITY, \
             id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT NOT NULL, b BYTEA);"
        );
        for sql in MIGRATIONS.iter().map(|m| migration(m)) {
            assert!(!sql.contains("INTEGER") && !sql.contains("BLOB") && !sql.contains("strftime"));
        }
    }
}
