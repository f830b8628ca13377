//! How amounts and digests are written for a person, in each language. Pure, tested
//! natively: the phone shows exactly these strings before the PIN can be entered.
use crate::Lang;

/// Digits after the decimal separator in `currency`'s minor unit (ISO 4217). Currencies
/// not listed use two, as most do.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `amount_minor` of `currency` as people in `lang` write it, with the ISO code (never a
/// symbol: "$" is ambiguous, and the code is what the bank's own screens show):
/// `EUR 1,234.56` (en), `1 234,56 EUR` (fr, narrow no-break space), `1.234,56 EUR` (de),
/// `EUR 1.234,56` (nl).
pub fn format_amount(lang: Lang, amount_minor: u64, currency: &str) -> String {
    let digits = minor_digits(currency);
    let unit = 10u64.pow(digits);
    let (whole, fraction) = (amount_minor / unit, amount_minor % unit);
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => ('\u{202F}', ','),
        Lang::De | Lang::Nl => ('.', ','),
    };
    let mut number = group_thousands(whole, group);
    if digits > 0 {
        number.push(decimal);
        number.push_str(&format!("{fraction:0width$}", width = digits as usize));
    }
    // No-break spaces keep the code and the number on one line.
    match lang {
        Lang::En | Lang::Nl => format!("{currency}\u{00A0}{number}"),
        Lang::Fr | Lang::De => format!("{number}\u{00A0}{currency}"),
    }
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A hex digest in groups of four, so a person can compare it piece by piece.
pub fn group_hex(hex: &str) -> String {
    hex.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_each_language_writes_them() {
        assert_eq!(format_amount(Lang::En, 123_456, "EUR"), "EUR\u{a0}1,234.56");
        assert_eq!(
            format_amount(Lang::Fr, 123_456, "EUR"),
            "1\u{202f}234,56\u{a0}EUR"
        );
        assert_eq!(format_amount(Lang::De, 123_456, "EUR"), "1.234,56\u{a0}EUR");
        assert_eq!(format_amount(Lang::Nl, 123_456, "EUR"), "EUR\u{a0}1.234,56");
        assert_eq!(format_amount(Lang::En, 5, "EUR"), "EUR\u{a0}0.05");
        assert_eq!(
            format_amount(Lang::En, 100_000_000, "EUR"),
            "EUR\u{a0}1,000,000.00"
        );
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        assert_eq!(format_amount(Lang::En, 1500, "JPY"), "JPY\u{a0}1,500");
        assert_eq!(format_amount(Lang::De, 1500, "KWD"), "1,500\u{a0}KWD");
        assert_eq!(format_amount(Lang::En, 99, "CHF"), "CHF\u{a0}0.99");
    }

    #[test]
    fn digests_are_grouped_by_four() {
        assert_eq!(group_hex("0123456789abcdef01"), "0123 4567 89ab cdef 01");
        assert_eq!(group_hex(""), "");
    }
}
