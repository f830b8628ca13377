//! HOTP, RFC 4226: the event-based code of the LuxTrust "Token" when its button is pressed.

use alloc::string::String;

use crate::OathError;
use crate::mac::{
    HashAlgorithm, check_code_shape, check_digits, check_key, codes_equal, dynamic_truncation,
    format_code, reduce,
};

/// Fewest digits RFC 4226 allows (R4: "at least a 6-digit value").
pub const HOTP_MIN_DIGITS: u32 = 6;
/// Most digits: the truncated value has 31 bits, below 10^10.
pub const HOTP_MAX_DIGITS: u32 = 10;
/// The look-ahead window RFC 4226 §7.4 gives as an example, and our default.
pub const DEFAULT_LOOK_AHEAD: u64 = 10;
/// The largest window any verification here will scan. Each step costs one HMAC; the
/// cap keeps a misconfigured window from turning one request into a CPU sink, and
/// keeps the chance of a random guess matching somewhere in it small.
pub const MAX_WINDOW: u64 = 1_000;

/// RFC 4226 HOTP with HMAC-SHA-1: the code for `counter` as a number (format it with
/// [`format_code`] to keep leading zeros).
///
/// # Errors
/// [`OathError::EmptyKey`], or [`OathError::InvalidDigits`] outside 6..=10.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> Result<u32, OathError> {
    Ok(Hotp::new(key, digits)?.generate(counter))
}

/// HOTP over any of the three hashes: the building block TOTP (RFC 6238 §1.2) shares.
pub(crate) fn hotp_raw(algorithm: HashAlgorithm, key: &[u8], counter: u64, digits: u32) -> u32 {
    let mac = algorithm.hmac(key, &[&counter.to_be_bytes()]);
    reduce(dynamic_truncation(&mac), digits)
}

/// An HOTP credential as the server holds it: secret, digit count and look-ahead window.
/// The counter is not inside: the caller stores it and passes it in, so this type stays
/// free of state and storage.
#[derive(Clone, Copy)]
pub struct Hotp<'k> {
    key: &'k [u8],
    digits: u32,
    look_ahead: u64,
}

impl core::fmt::Debug for Hotp<'_> {
    // Hand-written so the secret never lands in a log through `{:?}`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hotp")
            .field("digits", &self.digits)
            .field("look_ahead", &self.look_ahead)
            .finish_non_exhaustive()
    }
}

impl<'k> Hotp<'k> {
    /// A credential with the default look-ahead of [`DEFAULT_LOOK_AHEAD`].
    ///
    /// # Errors
    /// [`OathError::EmptyKey`], or [`OathError::InvalidDigits`] outside 6..=10.
    pub fn new(key: &'k [u8], digits: u32) -> Result<Self, OathError> {
        check_key(key)?;
        check_digits(digits, HOTP_MIN_DIGITS, HOTP_MAX_DIGITS)?;
        Ok(Self {
            key,
            digits,
            look_ahead: DEFAULT_LOOK_AHEAD,
        })
    }

    /// The same credential with another look-ahead window (RFC 4226 §7.4 parameter `s`
    /// for the one-code case). 0 accepts only the exact stored counter.
    ///
    /// # Errors
    /// [`OathError::WindowTooLarge`] above [`MAX_WINDOW`].
    pub fn with_look_ahead(self, look_ahead: u64) -> Result<Self, OathError> {
        check_window(look_ahead)?;
        Ok(Self { look_ahead, ..self })
    }

    /// Digits per code.
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// The look-ahead window.
    #[must_use]
    pub fn look_ahead(&self) -> u64 {
        self.look_ahead
    }

    /// The code for `counter`, as a number.
    #[must_use]
    pub fn generate(&self, counter: u64) -> u32 {
        hotp_raw(HashAlgorithm::Sha1, self.key, counter, self.digits)
    }

    /// The code for `counter` as the Token shows it, zero-padded.
    #[must_use]
    pub fn generate_code(&self, counter: u64) -> String {
        format_code(self.generate(counter), self.digits)
    }

    /// Verify `code` against the stored `counter` (the next counter value the server
    /// expects). On success returns the counter to store: one past the counter that
    /// matched. Because the caller stores that, the same code, or any code of an earlier
    /// counter, falls below the window and never verifies again.
    ///
    /// Codes of `counter..=counter + look_ahead` are accepted (RFC 4226 §7.4), so a
    /// Token whose button was pressed a few times without logging in still works.
    ///
    /// # Errors
    /// [`OathError::MalformedCode`] if `code` is not exactly `digits` decimal digits,
    /// [`OathError::CodeRejected`] if nothing in the window matches,
    /// [`OathError::CounterExhausted`] if the match was at `u64::MAX`.
    pub fn verify(&self, code: &str, counter: u64) -> Result<u64, OathError> {
        check_code_shape(code, self.digits)?;
        let matched = first_match(counter, self.look_ahead, |c| {
            codes_equal(code, &self.generate_code(c))
        })
        .ok_or(OathError::CodeRejected)?;
        matched.checked_add(1).ok_or(OathError::CounterExhausted)
    }

    /// RFC 4226 §7.4 resynchronisation: when a Token drifted beyond the look-ahead, the
    /// user types two consecutive codes. They are searched in the larger window
    /// `counter..=counter + window`; if `first` matches some `c` and `second` matches
    /// `c + 1`, returns the counter to store, `c + 2`.
    ///
    /// Two codes in a row are required because one code in a large window is too easy
    /// to hit by chance: with a window of 100, a single 6-digit guess would succeed
    /// once in 10,000 tries; two consecutive ones, once in 10^10.
    ///
    /// # Errors
    /// As [`Hotp::verify`], plus [`OathError::WindowTooLarge`] above [`MAX_WINDOW`].
    pub fn resync(
        &self,
        first: &str,
        second: &str,
        counter: u64,
        window: u64,
    ) -> Result<u64, OathError> {
        check_window(window)?;
        check_code_shape(first, self.digits)?;
        check_code_shape(second, self.digits)?;
        let matched = first_match(counter, window, |c| {
            let Some(next) = c.checked_add(1) else {
                return false;
            };
            // `&` not `&&`: both comparisons run whatever the first says.
            codes_equal(first, &self.generate_code(c))
                & codes_equal(second, &self.generate_code(next))
        })
        .ok_or(OathError::CodeRejected)?;
        matched.checked_add(2).ok_or(OathError::CounterExhausted)
    }
}

/// The first counter in `from..=from + window` for which `matches` holds. Every counter
/// in the window is tried even after a hit, so the response time does not tell how far
/// ahead the Token was.
fn first_match(from: u64, window: u64, matches: impl Fn(u64) -> bool) -> Option<u64> {
    let to = from.saturating_add(window);
    let mut found = None;
    for c in from..=to {
        if matches(c) && found.is_none() {
            found = Some(c);
        }
    }
    found
}

/// Refuse windows above [`MAX_WINDOW`].
pub(crate) fn check_window(window: u64) -> Result<(), OathError> {
    if window > MAX_WINDOW {
        Err(OathError::WindowTooLarge {
            window,
            max: MAX_WINDOW,
        })
    } else {
        Ok(())
    }
}
