//! What HOTP, TOTP and OCRA share: the HMAC, dynamic truncation, code formatting and the
//! constant-time comparison of a submitted code.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use subtle::ConstantTimeEq;

use crate::OathError;

/// The hash behind the HMAC (and behind an OCRA password hash).
///
/// Only the three the RFCs name: RFC 4226 fixes SHA-1, RFC 6238 and RFC 6287 add
/// SHA-256 and SHA-512.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-1 (20-byte output). HMAC-SHA-1 is still sound for OTPs: HMAC does not rely
    /// on the collision resistance that SHA-1 lost.
    Sha1,
    /// SHA-256 (32-byte output).
    Sha256,
    /// SHA-512 (64-byte output).
    Sha512,
}

impl HashAlgorithm {
    /// Bytes of output, which is also the length of an OCRA `PH` password hash.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    /// The name as it is spelled in an OCRASuite (`SHA1`, `SHA256`, `SHA512`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// The inverse of [`HashAlgorithm::name`]; exact, upper case only.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "SHA1" => Some(Self::Sha1),
            "SHA256" => Some(Self::Sha256),
            "SHA512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The plain hash of `data` (used for OCRA's password hash).
    #[must_use]
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// HMAC of the concatenation of `parts` under `key`.
    pub(crate) fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        match self {
            Self::Sha1 => hmac_with::<Hmac<sha1::Sha1>>(key, parts),
            Self::Sha256 => hmac_with::<Hmac<sha2::Sha256>>(key, parts),
            Self::Sha512 => hmac_with::<Hmac<sha2::Sha512>>(key, parts),
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn hmac_with<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC hashes long keys and pads short ones, so no key length is refused.
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks where four
/// bytes are read, and the top bit is dropped so signed and unsigned readers agree.
pub(crate) fn dynamic_truncation(mac: &[u8]) -> u32 {
    let last = mac.len() - 1;
    let offset = usize::from(mac[last] & 0x0f);
    u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ])
}

/// `value mod 10^digits`; `digits` is at most 10 and the truncated value is 31 bits,
/// so the result always fits in a `u32`.
pub(crate) fn reduce(value: u32, digits: u32) -> u32 {
    let modulus = 10u64.pow(digits);
    u32::try_from(u64::from(value) % modulus).unwrap_or(value)
}

/// Refuse a digit count outside `min..=max`.
pub(crate) fn check_digits(digits: u32, min: u32, max: u32) -> Result<(), OathError> {
    if (min..=max).contains(&digits) {
        Ok(())
    } else {
        Err(OathError::InvalidDigits { digits, min, max })
    }
}

/// Refuse an empty shared secret.
pub(crate) fn check_key(key: &[u8]) -> Result<(), OathError> {
    if key.is_empty() {
        Err(OathError::EmptyKey)
    } else {
        Ok(())
    }
}

/// A code as the user reads it: zero-padded to `digits`, because "012345" and "12345"
/// are different codes.
#[must_use]
pub fn format_code(code: u32, digits: u32) -> String {
    let width = digits as usize;
    format!("{code:0width$}")
}

/// Check the shape of a submitted code before any HMAC is spent on it.
pub(crate) fn check_code_shape(code: &str, digits: u32) -> Result<(), OathError> {
    if code.len() == digits as usize && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(OathError::MalformedCode {
            expected_digits: digits,
        })
    }
}

/// Compare a submitted code with the expected one in constant time.
///
/// Why: a comparison that stops at the first differing byte tells an attacker, through
/// the response time, how many leading digits were right, letting them find a valid
/// code digit by digit instead of guessing all 10^6 at once. `subtle` compares every
/// byte and keeps the optimiser from turning that back into an early exit.
#[must_use]
pub fn codes_equal(submitted: &str, expected: &str) -> bool {
    // The length is public (it is the suite's digit count), so checking it first leaks
    // nothing; `ct_eq` on slices does the same.
    bool::from(submitted.as_bytes().ct_eq(expected.as_bytes()))
}
