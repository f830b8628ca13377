//! IBANs (ISO 13616): the electronic form (no spaces, upper case) and its mod-97 check.
use alloc::string::String;

/// Why a text is not an IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanProblem {
    /// Not 15 to 34 characters of a country code, two check digits and letters or digits.
    Format,
    /// The check digits do not match (a typo, most likely).
    Checksum,
}

/// The electronic form of an IBAN typed with spaces and in any case, if it is valid.
pub fn normalize_iban(text: &str) -> Result<String, IbanProblem> {
    let iban: String = text
        .chars()
        .filter(|c| *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = iban.as_bytes();
    let shape = (15..=34).contains(&bytes.len())
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !shape {
        return Err(IbanProblem::Format);
    }
    // Move the first four characters to the end, read letters as 10..35, take mod 97.
    let rotated = bytes[4..].iter().chain(&bytes[..4]);
    let remainder = rotated.fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            (acc * 10 + u32::from(b - b'0')) % 97
        } else {
            (acc * 100 + u32::from(b - b'A' + 10)) % 97
        }
    });
    if remainder == 1 {
        Ok(iban)
    } else {
        Err(IbanProblem::Checksum)
    }
}

/// The IBAN in groups of four, as people read it.
pub fn group_iban(iban: &str) -> String {
    let mut grouped = String::with_capacity(iban.len() + iban.len() / 4);
    for (index, c) in iban.chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Examples from the IBAN registry (SWIFT, ISO 13616) and the European Banking
    /// Federation's published sample IBANs.
    #[test]
    fn registry_examples_are_valid() {
        for iban in [
            "LU28 0019 4006 4475 0000",
            "BE68 5390 0754 7034",
            "DE89 3704 0044 0532 0130 00",
            "FR14 2004 1010 0505 0001 3M02 606",
            "NL91 ABNA 0417 1643 00",
            "GB29 NWBK 6016 1331 9268 19",
            "CH93 0076 2011 6238 5295 7",
            "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
        ] {
            assert!(normalize_iban(iban).is_ok(), "{iban}");
        }
        assert_eq!(
            normalize_iban("lu28 0019 4006 4475 0000").as_deref(),
            Ok("LU280019400644750000")
        );
    }

    #[test]
    fn typos_and_malformed_ibans_are_refused() {
        assert_eq!(
            normalize_iban("LU28 0019 4006 4475 0001"),
            Err(IbanProblem::Checksum)
        );
        assert_eq!(
            normalize_iban("DE89 3704 0044 0532 0131 00"),
            Err(IbanProblem::Checksum)
        );
        assert_eq!(
            normalize_iban("BE86 5390 0754 7034"),
            Err(IbanProblem::Checksum)
        ); // swapped digits
        for bad in [
            "",
            "LU28",
            "1U28 0019 4006 4475 0000",
            "LUXX 0019 4006 4475 0000",
            "LU28-0019-4006-4475-0000",
        ] {
            assert_eq!(normalize_iban(bad), Err(IbanProblem::Format), "{bad}");
        }
    }

    #[test]
    fn groups_of_four() {
        assert_eq!(
            group_iban("LU280019400644750000"),
            "LU28 0019 4006 4475 0000"
        );
        assert_eq!(
            group_iban("CH9300762011623852957"),
            "CH93 0076 2011 6238 5295 7"
        );
    }
}
