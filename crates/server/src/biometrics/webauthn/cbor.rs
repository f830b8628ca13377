//! The little CBOR (RFC 8949) that WebAuthn needs: the attestation object and the COSE
//! key. Definite lengths only, no tags, no floats, bounded depth, no duplicate map keys:
//! anything else is refused rather than half-understood. A dependency would parse more
//! than we accept, and this is the whole of it.
use super::error::WebAuthnError;

/// A decoded CBOR item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Bool(bool),
    Null,
}

/// Deeper nesting than WebAuthn ever uses is refused (and no stack can be exhausted).
const MAX_DEPTH: usize = 8;

impl Cbor {
    /// The value under `key` in a map; `None` if this is not a map or has no such key.
    pub fn get(&self, key: &Cbor) -> Option<&Cbor> {
        match self {
            Cbor::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The keys of a map (empty for anything else).
    pub fn keys(&self) -> Vec<&Cbor> {
        match self {
            Cbor::Map(entries) => entries.iter().map(|(k, _)| k).collect(),
            _ => Vec::new(),
        }
    }
}

/// Decodes one item at the start of `input`; the item and how many bytes it took.
pub fn decode_prefix(input: &[u8]) -> Result<(Cbor, usize), WebAuthnError> {
    let mut reader = Reader { input, at: 0 };
    let item = reader.item(0)?;
    Ok((item, reader.at))
}

/// Decodes `input`, which must hold exactly one item.
pub fn decode(input: &[u8]) -> Result<Cbor, WebAuthnError> {
    match decode_prefix(input)? {
        (item, used) if used == input.len() => Ok(item),
        _ => Err(WebAuthnError::Cbor),
    }
}

struct Reader<'a> {
    input: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], WebAuthnError> {
        let end = self.at.checked_add(n).ok_or(WebAuthnError::Cbor)?;
        let bytes = self.input.get(self.at..end).ok_or(WebAuthnError::Cbor)?;
        self.at = end;
        Ok(bytes)
    }

    /// The argument of a head whose additional information is `info`.
    fn argument(&mut self, info: u8) -> Result<u64, WebAuthnError> {
        let width = match info {
            0..=23 => return Ok(u64::from(info)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            // 28–30 are reserved; 31 is an indefinite length, which we do not take.
            _ => return Err(WebAuthnError::Cbor),
        };
        Ok(self
            .take(width)?
            .iter()
            .fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    }

    /// A length, which can never exceed what is left to read (one byte per element at
    /// least): a forged huge length cannot make us allocate.
    fn length(&mut self, info: u8) -> Result<usize, WebAuthnError> {
        let n = usize::try_from(self.argument(info)?).map_err(|_| WebAuthnError::Cbor)?;
        if n > self.input.len() - self.at {
            return Err(WebAuthnError::Cbor);
        }
        Ok(n)
    }

    fn item(&mut self, depth: usize) -> Result<Cbor, WebAuthnError> {
        if depth > MAX_DEPTH {
            return Err(WebAuthnError::Cbor);
        }
        let head = self.take(1)?[0];
        let (major, info) = (head >> 5, head & 0x1f);
        Ok(match major {
            0 => Cbor::Int(i128::from(self.argument(info)?)),
            1 => Cbor::Int(-1 - i128::from(self.argument(info)?)),
            2 => {
                let n = self.length(info)?;
                Cbor::Bytes(self.take(n)?.to_vec())
            }
            3 => {
                let n = self.length(info)?;
                let text = std::str::from_utf8(self.take(n)?).map_err(|_| WebAuthnError::Cbor)?;
                Cbor::Text(text.to_string())
            }
            4 => {
                let n = self.length(info)?;
                let items = (0..n)
                    .map(|_| self.item(depth + 1))
                    .collect::<Result<_, _>>()?;
                Cbor::Array(items)
            }
            5 => {
                let n = self.length(info)?;
                let mut entries: Vec<(Cbor, Cbor)> = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.item(depth + 1)?;
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(WebAuthnError::Cbor);
                    }
                    let value = self.item(depth + 1)?;
                    entries.push((key, value));
                }
                Cbor::Map(entries)
            }
            7 => match info {
                20 => Cbor::Bool(false),
                21 => Cbor::Bool(true),
                22 => Cbor::Null,
                _ => return Err(WebAuthnError::Cbor),
            },
            // Tags (6) carry meaning we would ignore.
            _ => return Err(WebAuthnError::Cbor),
        })
    }
}
