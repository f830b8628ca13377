//! What the store's methods see of a database, whichever it is: SQL written once (`?1`
//! placeholders, the subset SQLite and PostgreSQL agree on), values of four kinds, and
//! rows read into those values. `sqlite.rs` and `pg.rs` carry it to their database.
use crate::error::{AppError, AppResult};

/// A value going into or coming out of a statement: the four kinds the schema uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// What [`Store::follow`](super::Store::follow) calls with each key another instance
/// changed (`None`: the listener reconnected, so any key may have changed).
pub type Heard = Box<dyn Fn(Option<&str>) -> bool + Send>;

pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// The parameters of a statement, as `params![a, b]` (or `params![]`).
macro_rules! params {
    ($($param:expr),* $(,)?) => {
        &[$($crate::store::sql::ToValue::to_value(&$param)),*][..]
    };
}
pub(crate) use params;

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                // Times, counters and small numbers: none comes near i64::MAX; one that
                // did would be stored as the largest value, never as a negative one.
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_to_value!(i64, u64, u32, u16, u8, usize, i32);

pub trait FromValue: Sized {
    fn from_value(value: Value) -> Result<Self, String>;
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }
}

impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Text(text) => Ok(text),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Blob(bytes) => Ok(bytes),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, String> {
        i64::from_value(value).map(|n| n != 0)
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: Value) -> Result<Self, String> {
                match value {
                    Value::Int(n) => <$t>::try_from(n).map_err(|_| format!("{n} is out of range")),
                    other => Err(format!("expected an integer, found {other:?}")),
                }
            }
        }
    )*};
}
int_from_value!(i64, u64, u32, u16, u8, usize, i32);

/// One row of a result, read whole.
pub struct Row(pub(super) Vec<Value>);

impl Row {
    /// The column at `index`, as `T`; a missing column or another kind is an error, never
    /// a default.
    pub fn get<T: FromValue>(&self, index: usize) -> AppResult<T> {
        let value = self
            .0
            .get(index)
            .cloned()
            .ok_or_else(|| AppError::Database(format!("no column {index}")))?;
        T::from_value(value).map_err(|e| AppError::Database(format!("column {index}: {e}")))
    }
}

/// One connection or transaction of either database.
pub trait Db {
    fn execute(&mut self, sql: &str, params: &[Value]) -> AppResult<usize>;
    fn query(&mut self, sql: &str, params: &[Value]) -> AppResult<Vec<Row>>;
}

impl dyn Db + '_ {
    /// The first row, which must exist.
    pub fn query_row<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&Row) -> AppResult<T>,
    ) -> AppResult<T> {
        self.query_opt(sql, params, map)?
            .ok_or_else(|| AppError::Database("the query returned no row".into()))
    }

    /// The first row, if any.
    pub fn query_opt<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl FnOnce(&Row) -> AppResult<T>,
    ) -> AppResult<Option<T>> {
        self.query(sql, params)?.first().map(map).transpose()
    }

    pub fn query_map<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        map: impl FnMut(&Row) -> AppResult<T>,
    ) -> AppResult<Vec<T>> {
        self.query(sql, params)?.iter().map(map).collect()
    }
}

/// Names for an `IN (…)` list, quoted: only the enums' own `&'static str` names, never
/// input, which goes in parameters.
pub fn quoted(names: impl Iterator<Item = &'static str>) -> String {
    names
        .map(|name| format!("'{name}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `?1` placeholders as PostgreSQL's `$1`. The store's SQL has no `?` inside quotes.
pub(super) fn dollar_placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_refuse_the_wrong_kind() {
        let row = Row(vec![
            7u32.to_value(),
            "x".to_value(),
            Option::<&str>::None.to_value(),
            b"ab"[..].to_value(),
            true.to_value(),
        ]);
        assert_eq!(row.get::<u32>(0).unwrap(), 7);
        assert_eq!(row.get::<String>(1).unwrap(), "x");
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert_eq!(row.get::<Vec<u8>>(3).unwrap(), b"ab");
        assert!(row.get::<bool>(4).unwrap());
        assert!(row.get::<String>(0).is_err(), "an integer is not text");
        assert!(row.get::<String>(2).is_err(), "NULL is not text");
        assert!(row.get::<u8>(9).is_err(), "no such column");
        assert!(Row(vec![Value::Int(-1)]).get::<u64>(0).is_err());
    }

    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            dollar_placeholders("UPDATE t SET a = ?2 WHERE id = ?1"),
            "UPDATE t SET a = $2 WHERE id = $1"
        );
    }
}
