//! One encoding per value. serde's derived `Deserialize` also reads a struct from a
//! positional JSON array (`["ES256","tessera-approval+jwt"]`), and any JSON reader accepts
//! whitespace, escapes and member orders the writer never produces. Two guards:
//! - [`object_only!`] makes a struct readable from a JSON object only, at every level it
//!   is used;
//! - [`canonical`] accepts only the exact bytes this crate itself writes for a value, so a
//!   signed token has one valid encoding (RFC 7515 asks for an object; one encoding is
//!   this crate's own promise).
use serde::{
    Deserializer, Serialize,
    de::{DeserializeOwned, Visitor},
    forward_to_deserialize_any,
};

/// A deserializer that reads whatever is asked of it as a JSON object (a map): a struct
/// presented as an array is then an "invalid type" error, as RFC 7515 and RFC 8259's
/// objects require.
pub(crate) struct ObjectOnly<D>(pub D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Implements `Serialize` and `Deserialize` for structs declared with
/// `#[serde(remote = "Self")]`: writing is the derived one, reading the derived one
/// behind [`ObjectOnly`].
macro_rules! object_only {
    ($($type:ty),+ $(,)?) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$type>::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$type>::deserialize($crate::json::ObjectOnly(deserializer))
            }
        }
    )+};
}
pub(crate) use object_only;

/// Why [`canonical`] refused some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotCanonical {
    /// Not JSON, or not the value's shape (missing, unknown or mistyped members).
    Malformed,
    /// The value, but not in the one encoding this crate writes.
    Encoding,
}

/// Reads `bytes` as a `T` only if they are exactly what `serde_json::to_vec` writes for
/// that `T`: compact, members in declaration order, optional members absent rather than
/// `null`, strings escaped only where JSON must.
pub(crate) fn canonical<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<T, NotCanonical> {
    let value: T = serde_json::from_slice(bytes).map_err(|_| NotCanonical::Malformed)?;
    match serde_json::to_vec(&value) {
        Ok(written) if written == bytes => Ok(value),
        _ => Err(NotCanonical::Encoding),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    #[serde(remote = "Self", deny_unknown_fields)]
    struct Point {
        x: i16,
        y: i16,
    }
    object_only!(Point);

    #[test]
    fn a_struct_reads_from_an_object_only() {
        let point: Point = serde_json::from_str(r#"{"x":1,"y":2}"#).unwrap();
        assert_eq!(point, Point { x: 1, y: 2 });
        assert!(serde_json::from_str::<Point>("[1,2]").is_err());
        assert!(serde_json::from_str::<Point>("null").is_err());
        assert!(serde_json::from_str::<Point>(r#""x""#).is_err());
    }

    #[test]
    fn only_the_written_encoding_is_canonical() {
        assert_eq!(
            canonical::<Point>(br#"{"x":1,"y":2}"#),
            Ok(Point { x: 1, y: 2 })
        );
        for variant in [
            &br#"{"y":2,"x":1}"#[..],
            br#"{ "x":1,"y":2}"#,
            br#"{"\u0078":1,"y":2}"#,
            br#"{"x":1,"y":2.0}"#,
            br#"{"x":1,"x":1,"y":2}"#,
        ] {
            assert!(canonical::<Point>(variant).is_err(), "{variant:?}");
        }
        assert_eq!(
            canonical::<Point>(br#"{"x":1,"y":2} "#),
            Err(NotCanonical::Encoding)
        );
        assert_eq!(canonical::<Point>(b"[1,2]"), Err(NotCanonical::Malformed));
    }
}
