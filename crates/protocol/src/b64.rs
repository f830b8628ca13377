//! Base64url without padding (RFC 7515 §2), constant-time, strict: padding, whitespace
//! and non-canonical trailing bits are refused.
use alloc::{string::String, vec::Vec};
use base64ct::{Base64UrlUnpadded, Encoding};

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes strict base64url without padding; `None` on any deviation.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    Base64UrlUnpadded::decode_vec(text).ok()
}
