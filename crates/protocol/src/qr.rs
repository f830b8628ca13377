//! The animated QR code: like BankID's, its content changes every second and is an HMAC
//! of the elapsed seconds under a secret only the widget and the server know, so a
//! photo of it relayed to someone else goes stale within seconds.
use alloc::string::String;

use hmac::{KeyInit, Mac};

use crate::b64;

/// The server accepts a scanned code at most this many seconds old.
pub const QR_MAX_AGE_SECS: u64 = 10;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

fn mac(secret: &[u8], seconds: u64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&seconds.to_be_bytes());
    mac
}

/// The code shown at `seconds` after the session started: the first 128 bits of
/// HMAC-SHA256(secret, seconds as 8 big-endian bytes), base64url.
pub fn qr_code(secret: &[u8], seconds: u64) -> String {
    let tag = mac(secret, seconds).finalize().into_bytes();
    b64::encode(&tag[..16])
}

/// Whether `code` is the code for `seconds`, compared in constant time.
pub fn qr_code_matches(secret: &[u8], seconds: u64, code: &str) -> bool {
    match b64::decode(code) {
        Some(tag) if tag.len() == 16 => mac(secret, seconds).verify_truncated_left(&tag).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_only_its_second_and_secret() {
        let secret = [7u8; 32];
        let code = qr_code(&secret, 12);
        assert_eq!(code.len(), 22);
        assert!(qr_code_matches(&secret, 12, &code));
        assert!(!qr_code_matches(&secret, 13, &code));
        assert!(!qr_code_matches(&[8u8; 32], 12, &code));
        assert!(!qr_code_matches(&secret, 12, "not base64!"));
        assert_ne!(qr_code(&secret, 12), qr_code(&secret, 13));
    }
}
