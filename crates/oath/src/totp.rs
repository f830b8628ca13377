//! TOTP, RFC 6238: the time-based code of a Token that shows a new code every 30 seconds.

use alloc::string::String;

use crate::OathError;
use crate::hotp::{HOTP_MAX_DIGITS, HOTP_MIN_DIGITS, check_window, hotp_raw};
use crate::mac::{
    HashAlgorithm, check_code_shape, check_digits, check_key, codes_equal, format_code,
};

/// RFC 6238 §5.2's recommended time step, in seconds.
pub const DEFAULT_STEP: u64 = 30;
/// Steps of clock drift tolerated each way by default (RFC 6238 §5.2 recommends "at
/// most one time step" of network delay).
pub const DEFAULT_DRIFT: u64 = 1;

/// A TOTP credential as the server holds it. Time is always a parameter (Unix seconds),
/// never read from a clock, so the same code runs in wasm, on the server and in tests.
#[derive(Clone, Copy)]
pub struct Totp<'k> {
    key: &'k [u8],
    algorithm: HashAlgorithm,
    digits: u32,
    step: u64,
    t0: u64,
    drift: u64,
}

impl core::fmt::Debug for Totp<'_> {
    // Hand-written so the secret never lands in a log through `{:?}`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Totp")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("step", &self.step)
            .field("t0", &self.t0)
            .field("drift", &self.drift)
            .finish_non_exhaustive()
    }
}

impl<'k> Totp<'k> {
    /// A credential with step 30 s, `T0` = 0 and ±1 step of drift.
    ///
    /// # Errors
    /// [`OathError::EmptyKey`], or [`OathError::InvalidDigits`] outside 6..=10.
    pub fn new(key: &'k [u8], algorithm: HashAlgorithm, digits: u32) -> Result<Self, OathError> {
        check_key(key)?;
        check_digits(digits, HOTP_MIN_DIGITS, HOTP_MAX_DIGITS)?;
        Ok(Self {
            key,
            algorithm,
            digits,
            step: DEFAULT_STEP,
            t0: 0,
            drift: DEFAULT_DRIFT,
        })
    }

    /// Another time step `X`, in seconds.
    ///
    /// # Errors
    /// [`OathError::ZeroTimeStep`] for 0.
    pub fn with_step(self, step: u64) -> Result<Self, OathError> {
        if step == 0 {
            return Err(OathError::ZeroTimeStep);
        }
        Ok(Self { step, ..self })
    }

    /// Another epoch `T0`, in Unix seconds.
    #[must_use]
    pub fn with_t0(self, t0: u64) -> Self {
        Self { t0, ..self }
    }

    /// Another drift tolerance, in steps each way. 0 accepts only the current step.
    ///
    /// # Errors
    /// [`OathError::WindowTooLarge`] above [`crate::MAX_WINDOW`].
    pub fn with_drift(self, drift: u64) -> Result<Self, OathError> {
        check_window(drift)?;
        Ok(Self { drift, ..self })
    }

    /// Digits per code.
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// The time step `T = floor((time - T0) / X)` of RFC 6238 §4.2.
    ///
    /// # Errors
    /// [`OathError::TimeBeforeEpoch`] if `time < T0`.
    pub fn time_step(&self, time: u64) -> Result<u64, OathError> {
        let since = time
            .checked_sub(self.t0)
            .ok_or(OathError::TimeBeforeEpoch { time, t0: self.t0 })?;
        Ok(since / self.step)
    }

    /// The code for time step `step`, as a number.
    #[must_use]
    pub fn generate_at_step(&self, step: u64) -> u32 {
        hotp_raw(self.algorithm, self.key, step, self.digits)
    }

    /// The code at Unix time `time`, as a number.
    ///
    /// # Errors
    /// [`OathError::TimeBeforeEpoch`] if `time < T0`.
    pub fn generate(&self, time: u64) -> Result<u32, OathError> {
        Ok(self.generate_at_step(self.time_step(time)?))
    }

    /// The code at Unix time `time` as the Token shows it, zero-padded.
    ///
    /// # Errors
    /// [`OathError::TimeBeforeEpoch`] if `time < T0`.
    pub fn generate_code(&self, time: u64) -> Result<String, OathError> {
        Ok(format_code(self.generate(time)?, self.digits))
    }

    /// Verify `code` at Unix time `time`. Codes of the current step and of `drift` steps
    /// either side are accepted, for clocks that drift and codes typed slowly.
    ///
    /// `last_used_step` is the step the caller stored after the last success (`None`
    /// before the first). A code of that step or an earlier one is refused, so an
    /// overheard code cannot be replayed within its validity (RFC 6238 §5.2: "the
    /// verifier MUST NOT accept the second attempt of the OTP"). On success returns the
    /// step that matched: store it as the new `last_used_step`.
    ///
    /// # Errors
    /// [`OathError::MalformedCode`], [`OathError::CodeRejected`],
    /// [`OathError::CodeReplayed`], or [`OathError::TimeBeforeEpoch`].
    pub fn verify(
        &self,
        code: &str,
        time: u64,
        last_used_step: Option<u64>,
    ) -> Result<u64, OathError> {
        check_code_shape(code, self.digits)?;
        let now = self.time_step(time)?;
        let is_fresh = |step: u64| last_used_step.is_none_or(|used| step > used);
        let mut fresh = None;
        let mut replayed = None;
        // Every step in the window is computed, match or not, so timing does not tell
        // which step matched.
        for step in now.saturating_sub(self.drift)..=now.saturating_add(self.drift) {
            if codes_equal(code, &format_code(self.generate_at_step(step), self.digits)) {
                if is_fresh(step) {
                    fresh = fresh.or(Some(step));
                } else {
                    replayed = Some(step);
                }
            }
        }
        match (fresh, replayed) {
            (Some(step), _) => Ok(step),
            (None, Some(step)) => Err(OathError::CodeReplayed { step }),
            (None, None) => Err(OathError::CodeRejected),
        }
    }
}
