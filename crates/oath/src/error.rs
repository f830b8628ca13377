//! The one error type of the crate.
//!
//! Display is written by hand because `thiserror` needs `std`, and this crate stays
//! `no_std` so the simulator can run it in wasm. Messages name the offending part so an
//! operator reading a log (or a developer pasting a suite) knows what to fix.

use alloc::string::String;
use core::fmt;

/// Everything that can go wrong when configuring, computing or verifying a code.
///
/// Verification failures ([`OathError::CodeRejected`], [`OathError::CodeReplayed`],
/// [`OathError::MalformedCode`]) are errors too: a server treats every `Err` from a
/// `verify` as "refuse", and the variant only tells the log why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OathError {
    /// The shared secret is empty. HMAC would accept it, but an empty key is always a
    /// provisioning bug and would make every code public.
    EmptyKey,
    /// The number of digits is outside what the algorithm allows.
    InvalidDigits {
        /// What was asked for.
        digits: u32,
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// A look-ahead, resynchronisation or drift window is larger than [`crate::MAX_WINDOW`].
    WindowTooLarge {
        /// What was asked for.
        window: u64,
        /// The cap.
        max: u64,
    },
    /// The submitted code has the wrong length or a character that is not a decimal digit.
    MalformedCode {
        /// How many digits the code must have.
        expected_digits: u32,
    },
    /// The code matches no counter or time step that may still be used.
    CodeRejected,
    /// The code matches a time step that was already used (or an earlier one).
    CodeReplayed {
        /// The time step the code belongs to.
        step: u64,
    },
    /// The HOTP counter would pass `u64::MAX`: the credential must be re-provisioned.
    CounterExhausted,
    /// A TOTP time step of zero seconds was configured.
    ZeroTimeStep,
    /// The time given is before the TOTP epoch `T0`.
    TimeBeforeEpoch {
        /// The time given (Unix seconds).
        time: u64,
        /// The configured `T0` (Unix seconds).
        t0: u64,
    },
    /// The OCRASuite string is malformed or uses something RFC 6287 does not define.
    InvalidSuite {
        /// The suite as given.
        suite: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The suite needs an input the caller did not supply (e.g. `C` without a counter).
    MissingInput {
        /// Which DataInput field ("counter", "password hash", "session", "timestamp").
        field: &'static str,
        /// The suite that asks for it.
        suite: String,
    },
    /// The caller supplied an input the suite does not use. Refused rather than ignored,
    /// because it almost always means client and server disagree about the suite.
    UnexpectedInput {
        /// Which DataInput field.
        field: &'static str,
        /// The suite that does not use it.
        suite: String,
    },
    /// The OCRA question does not fit the suite's `QFxx` format.
    InvalidQuestion {
        /// What is wrong with it.
        reason: String,
    },
    /// The password hash does not have the length of the suite's `PH` hash.
    PasswordHashLength {
        /// Bytes the suite's hash produces.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// The session information is longer than the suite's `Snnn`.
    SessionTooLong {
        /// The suite's `nnn`.
        max: usize,
        /// Bytes given.
        actual: usize,
    },
    /// Too few random bytes were supplied to draw a challenge.
    NotEnoughRandomness {
        /// Bytes needed.
        needed: usize,
        /// Bytes given.
        actual: usize,
    },
}

impl fmt::Display for OathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey => f.write_str("the shared secret is empty"),
            Self::InvalidDigits { digits, min, max } => {
                write!(f, "{digits} digits is not allowed here: use {min} to {max}")
            }
            Self::WindowTooLarge { window, max } => {
                write!(f, "a window of {window} is larger than the cap of {max}")
            }
            Self::MalformedCode { expected_digits } => write!(
                f,
                "the code must be exactly {expected_digits} decimal digits"
            ),
            Self::CodeRejected => f.write_str("the code does not match"),
            Self::CodeReplayed { step } => write!(
                f,
                "the code belongs to time step {step}, which was already used"
            ),
            Self::CounterExhausted => {
                f.write_str("the counter is exhausted; provision a new secret")
            }
            Self::ZeroTimeStep => f.write_str("the time step must be at least one second"),
            Self::TimeBeforeEpoch { time, t0 } => {
                write!(f, "time {time} is before the epoch T0 = {t0}")
            }
            Self::InvalidSuite { suite, reason } => {
                write!(f, "invalid OCRASuite \"{suite}\": {reason}")
            }
            Self::MissingInput { field, suite } => {
                write!(
                    f,
                    "the suite \"{suite}\" needs a {field}, and none was given"
                )
            }
            Self::UnexpectedInput { field, suite } => write!(
                f,
                "a {field} was given, but the suite \"{suite}\" does not use one"
            ),
            Self::InvalidQuestion { reason } => write!(f, "invalid OCRA question: {reason}"),
            Self::PasswordHashLength { expected, actual } => write!(
                f,
                "the password hash must be {expected} bytes, got {actual}"
            ),
            Self::SessionTooLong { max, actual } => write!(
                f,
                "the session information may be at most {max} bytes, got {actual}"
            ),
            Self::NotEnoughRandomness { needed, actual } => write!(
                f,
                "drawing this challenge needs {needed} random bytes, got {actual}"
            ),
        }
    }
}

impl core::error::Error for OathError {}
