//! The embedded database: one SQLite connection behind a mutex. Its journal is a WAL with
//! synchronous=FULL, so a killed server loses nothing it acknowledged.
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
