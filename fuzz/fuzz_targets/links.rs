//! The links that open the companion: the widget's QR (`#/scan/…`) and the restore SMS
//! (`#/confirm/…`), from any location hash. What they accept holds only URL-safe tokens.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_companion::scan::{parse_confirm_hash, parse_scan_hash};

fn url_safe(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fuzz_target!(|data: &[u8]| {
    let Ok(hash) = core::str::from_utf8(data) else {
        return;
    };
    if let Some(scan) = parse_scan_hash(hash) {
        assert!(url_safe(&scan.session_id) && url_safe(&scan.code));
    }
    if let Some(confirm) = parse_confirm_hash(hash) {
        assert!(url_safe(&confirm.activation_id) && url_safe(&confirm.token));
    }
});
