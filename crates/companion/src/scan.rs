//! The link the widget's QR encodes: `<origin>/companion/#/scan/<session_id>/<t>/<code>`.
use tessera_protocol::api::ScanRequest;

/// Reads a scan link from a location hash (`#/scan/…`); `None` for any other hash.
pub fn parse_scan_hash(hash: &str) -> Option<ScanRequest> {
    let rest = hash
        .strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix("/scan/")?;
    let mut parts = rest.split('/');
    let (Some(sid), Some(t), Some(code), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !token(sid) || !token(code) || t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(ScanRequest {
        session_id: sid.into(),
        t: t.parse().ok()?,
        code: code.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_scan_link() {
        let scan = parse_scan_hash("#/scan/s-01Ab_x/12/AbC-d_9").expect("valid link");
        assert_eq!(
            (scan.session_id.as_str(), scan.t, scan.code.as_str()),
            ("s-01Ab_x", 12, "AbC-d_9")
        );
        assert!(parse_scan_hash("/scan/s/0/c").is_some());
    }

    #[test]
    fn refuses_anything_else() {
        for hash in [
            "",
            "#",
            "#/",
            "#/home",
            "#/scan/s/1",
            "#/scan/s/1/c/extra",
            "#/scan//1/c",
            "#/scan/s/x/c",
            "#/scan/s/-1/c",
            "#/scan/s/1/c%20d",
            "#/scan/s/1/<b>",
            "#/scan/s/99999999999999999999999/c",
        ] {
            assert!(parse_scan_hash(hash).is_none(), "{hash}");
        }
    }
}
