//! # tessera-oath
//!
//! It must never do I/O, read a clock or draw randomness: callers pass the counter, the
//! time step and the challenge, so every result is reproducible from RFC test vectors.
//!
//! The OATH algorithms behind the hardware devices LuxTrust users already own, used to
//! activate the phone app with them (issue 5):
//!
//! - the **Token** shows a 6-digit code: [`Hotp`] (RFC 4226, event based) or [`Totp`]
//!   (RFC 6238, time based);
//! - the **Scan** answers a challenge: [`OcraSuite`] (RFC 6287), e.g.
//!   `OCRA-1:HOTP-SHA256-6:QN08`.
//!
//! Everything here is pure: no I/O, no clock (time is a parameter), no randomness (the
//! caller passes random bytes to [`OcraSuite::challenge`]). It is `no_std` with `alloc`,
//! so the device simulator can run the same code in wasm. State that must persist (the
//! HOTP counter, the last TOTP step) is returned to the caller to store, never kept.
//!
//! Codes are compared in constant time ([`codes_equal`]).
//!
//! ```
//! use tessera_oath::{HashAlgorithm, Hotp, OcraInput, OcraSuite, Totp};
//!
//! let secret = b"12345678901234567890";
//!
//! // Token, event based: the device shows the code of its counter…
//! let token = Hotp::new(secret, 6)?;
//! let shown = token.generate_code(0);
//! // …and the server, which stored counter 0, accepts it once and stores the result.
//! let next = token.verify(&shown, 0)?;
//! assert_eq!(next, 1);
//! assert!(token.verify(&shown, next).is_err()); // replay refused
//!
//! // Token, time based: time is passed in, and the used step is stored.
//! let totp = Totp::new(secret, HashAlgorithm::Sha1, 6)?;
//! let now = 1_700_000_000;
//! let step = totp.verify(&totp.generate_code(now)?, now, None)?;
//! assert!(totp.verify(&totp.generate_code(now)?, now, Some(step)).is_err());
//!
//! // Scan: the server draws a challenge from its own randomness, the device answers.
//! let suite: OcraSuite = "OCRA-1:HOTP-SHA256-6:QN08".parse()?;
//! let challenge = suite.challenge(&[7u8; 32])?; // use real random bytes
//! let input = OcraInput::new(&challenge);
//! let response = suite.compute(secret, &input)?; // on the device
//! suite.verify(secret, &input, &response)?; // on the server
//! # Ok::<(), tessera_oath::OathError>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used, clippy::panic)]

extern crate alloc;

mod error;
mod hotp;
mod mac;
mod ocra;
mod totp;

pub use error::OathError;
pub use hotp::{DEFAULT_LOOK_AHEAD, HOTP_MAX_DIGITS, HOTP_MIN_DIGITS, Hotp, MAX_WINDOW, hotp};
pub use mac::{HashAlgorithm, codes_equal, format_code};
pub use ocra::{OcraInput, OcraSuite, QuestionFormat, RANDOM_BYTES_PER_CHALLENGE_CHAR};
pub use totp::{DEFAULT_DRIFT, DEFAULT_STEP, Totp};
