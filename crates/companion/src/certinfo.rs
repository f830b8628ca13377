//! What the certificate details screen shows, computed from the stored chain. Display
//! only: the claims are read without verifying the signature.
use tessera_protocol::{CertificateClaims, sha256};

use crate::i18n::{Lang, Texts};

/// The device certificate, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertView {
    /// The user id.
    pub subject: String,
    /// The device id.
    pub device_id: String,
    /// Serial number (hex).
    pub serial: String,
    /// The issuer's name.
    pub issuer: String,
    /// Not valid before (Unix seconds).
    pub not_before: u64,
    /// Not valid after (Unix seconds).
    pub not_after: u64,
    /// SHA-256 of the certificate as sent (the compact JWS), hex in groups of four.
    pub fingerprint: String,
}

impl CertView {
    /// Reads the first certificate of a `[device, issuer]` chain.
    pub fn from_chain(certificates: &[String]) -> Option<CertView> {
        let jws = certificates.first()?;
        let claims = CertificateClaims::read_unverified(jws)?;
        Some(CertView {
            subject: claims.sub,
            device_id: claims.dev.unwrap_or_default(),
            serial: claims.ser,
            issuer: claims.iss,
            not_before: claims.nbf,
            not_after: claims.exp,
            fingerprint: group_hex(&sha256(jws.as_bytes())),
        })
    }
}

/// Upper-case hex in groups of four characters separated by spaces.
pub fn group_hex(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes
        .chunks(2)
        .map(|c| c.iter().map(|b| format!("{b:02X}")).collect())
        .collect();
    hex.join(" ")
}

/// A Unix time as a date people read, in UTC: `25 November 2026, 14:05 UTC`.
pub fn format_date(secs: u64, lang: Lang) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    let (y, m, d) = civil_from_days(days);
    let day = if lang == Lang::De {
        format!("{d}.")
    } else {
        d.to_string()
    };
    format!("{day} {} {y}, {hour:02}:{minute:02} UTC", lang.month(m))
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_protocol::testkit::{Fixture, NOW};

    #[test]
    fn fingerprint_grouping() {
        assert_eq!(group_hex(&[0xab, 0xcd, 0x01, 0x02, 0xff]), "ABCD 0102 FF");
        let grouped = group_hex(&[7; 32]);
        assert_eq!(grouped.len(), 64 + 15);
        assert!(grouped.split(' ').all(|g| g == "0707"));
    }

    #[test]
    fn dates() {
        assert_eq!(format_date(0, Lang::En), "1 January 1970, 00:00 UTC");
        assert_eq!(format_date(NOW, Lang::En), "25 November 2026, 00:00 UTC");
        assert_eq!(
            format_date(NOW + 3600 + 5 * 60, Lang::De),
            "25. November 2026, 01:05 UTC"
        );
        assert_eq!(
            format_date(951_782_400, Lang::Fr),
            "29 février 2000, 00:00 UTC"
        );
    }

    #[test]
    fn reads_the_device_certificate() {
        let fixture = Fixture::default();
        let view = CertView::from_chain(&fixture.certificates).expect("readable");
        assert_eq!(
            (view.subject.as_str(), view.device_id.as_str()),
            ("alice", "d-0001")
        );
        assert_eq!(
            (view.serial.as_str(), view.issuer.as_str()),
            ("01", "Test Issuing CA")
        );
        assert_eq!((view.not_before, view.not_after), (NOW - 3600, NOW + 3600));
        assert_eq!(
            view.fingerprint,
            group_hex(&sha256(fixture.certificates[0].as_bytes()))
        );
        assert!(CertView::from_chain(&[]).is_none());
        assert!(CertView::from_chain(&["not a jws".into()]).is_none());
    }
}
