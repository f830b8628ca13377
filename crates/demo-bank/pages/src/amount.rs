//! The transfer form's amount: decimal text as people type it, to minor units.
use tessera_ui::minor_digits;

/// The largest amount the form takes, in minor units (the demo bank's limit for one
/// transfer, far from `u64` overflow).
pub const MAX_MINOR: u64 = 10_000_000_000;

/// Why an amount cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing typed.
    Empty,
    /// Not a number like `123.45`.
    NotANumber,
    /// More decimals than the currency has (two for EUR).
    TooManyDecimals(u32),
    /// Zero.
    Zero,
    /// Above [`MAX_MINOR`].
    TooLarge,
}

impl AmountError {
    /// What the form says under the field.
    pub fn message(self) -> String {
        match self {
            AmountError::Empty => "Enter the amount to transfer.".into(),
            AmountError::NotANumber => {
                "Enter the amount as a number, like 123.45 (digits and one decimal point).".into()
            }
            AmountError::TooManyDecimals(0) => "This currency has no decimals.".into(),
            AmountError::TooManyDecimals(digits) => {
                format!("Use at most {digits} decimals for this currency.")
            }
            AmountError::Zero => "The amount must be more than zero.".into(),
            AmountError::TooLarge => {
                "The amount is above Demo Bank's limit for one transfer.".into()
            }
        }
    }
}

/// `text` (`123.45`, `123,45`, `1 234.5`, `250`) in minor units of `currency`. Spaces
/// may group thousands; one `.` or `,` separates the decimals.
pub fn parse_amount(text: &str, currency: &str) -> Result<u64, AmountError> {
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (text.as_str(), ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(whole) || !digits_only(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(AmountError::NotANumber);
    }
    let decimals = minor_digits(currency);
    if fraction.len() > decimals as usize {
        return Err(AmountError::TooManyDecimals(decimals));
    }
    let mut minor: u64 = 0;
    let padded = fraction.bytes().chain(std::iter::repeat(b'0'));
    for digit in whole.bytes().chain(padded.take(decimals as usize)) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(digit - b'0')))
            .filter(|m| *m <= MAX_MINOR)
            .ok_or(AmountError::TooLarge)?;
    }
    if minor == 0 {
        return Err(AmountError::Zero);
    }
    Ok(minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(parse_amount("123.45", "EUR"), Ok(12_345));
        assert_eq!(parse_amount("123,45", "EUR"), Ok(12_345));
        assert_eq!(parse_amount("1 234.5", "EUR"), Ok(123_450));
        assert_eq!(parse_amount("250", "CHF"), Ok(25_000));
        assert_eq!(parse_amount(".5", "USD"), Ok(50));
        assert_eq!(parse_amount("7.", "GBP"), Ok(700));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1_500));
    }

    #[test]
    fn what_is_not_an_amount_says_why() {
        assert_eq!(parse_amount("  ", "EUR"), Err(AmountError::Empty));
        assert_eq!(parse_amount("12a", "EUR"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("-5", "EUR"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_amount("1.234,50", "EUR"),
            Err(AmountError::NotANumber)
        );
        assert_eq!(parse_amount(".", "EUR"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_amount("1.234", "EUR"),
            Err(AmountError::TooManyDecimals(2))
        );
        assert_eq!(
            parse_amount("1.5", "JPY"),
            Err(AmountError::TooManyDecimals(0))
        );
        assert_eq!(parse_amount("0.00", "EUR"), Err(AmountError::Zero));
        assert_eq!(parse_amount("100000000.00", "EUR"), Ok(MAX_MINOR));
        assert_eq!(
            parse_amount("100000000.01", "EUR"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            parse_amount("99999999999999999999999", "EUR"),
            Err(AmountError::TooLarge)
        );
        assert!(AmountError::TooManyDecimals(2).message().contains('2'));
    }
}
