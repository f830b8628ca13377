//! The links that open the companion: the one the widget's QR encodes,
//! `<origin>/companion/#/scan/<session_id>/<t>/<code>`, and the one the SMS of a restore
//! carries, `<origin>/companion/#/confirm/<activation_id>/<token>`.
use tessera_protocol::api::{ActivationConfirm, ScanRequest};

/// An id or secret in a link: 1 to 128 base64url characters.
fn token(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The `/`-separated parts of a hash after `#/<route>/`, if there are exactly `N`.
fn parts<'a, const N: usize>(hash: &'a str, route: &str) -> Option<[&'a str; N]> {
    let rest = hash
        .strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix('/')?
        .strip_prefix(route)?
        .strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').collect();
    parts.try_into().ok()
}

/// Reads an SMS confirm link from a location hash (`#/confirm/…`); `None` for any other.
pub fn parse_confirm_hash(hash: &str) -> Option<ActivationConfirm> {
    let [id, secret] = parts(hash, "confirm")?;
    (token(id) && token(secret)).then(|| ActivationConfirm {
        activation_id: id.into(),
        token: secret.into(),
    })
}

/// Reads a scan link from a location hash (`#/scan/…`); `None` for any other hash.
pub fn parse_scan_hash(hash: &str) -> Option<ScanRequest> {
    let [sid, t, code] = parts(hash, "scan")?;
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
