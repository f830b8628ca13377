//! OCRA, RFC 6287: the challenge-response of the LuxTrust "Scan". The server shows a
//! challenge, the device answers with a code computed from its secret, the challenge
//! and whatever else the OCRASuite names (counter, PIN hash, session, time).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use crate::OathError;
use crate::mac::{
    HashAlgorithm, check_code_shape, check_key, codes_equal, dynamic_truncation, format_code,
    reduce,
};

/// Bytes the question always occupies in the DataInput (RFC 6287 §5.1: "128 bytes").
const QUESTION_BYTES: usize = 128;
/// Random bytes spent on each challenge character. Four bytes reduced modulo an alphabet
/// of at most 36 leave a bias below 10^-8, with no rejection loop that could run out of
/// the caller's bytes.
pub const RANDOM_BYTES_PER_CHALLENGE_CHAR: usize = 4;
/// Fewest characters a question may have: the smallest `xx` of `QFxx`.
const QUESTION_MIN_CHARS: usize = 4;

/// How the challenge question is written (the `F` of `QFxx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionFormat {
    /// `A`: letters and digits, hashed as their ASCII bytes.
    Alphanumeric,
    /// `N`: decimal digits, converted to a hexadecimal number first, as the RFC's
    /// reference code does (`new BigInteger(q, 10).toString(16)`).
    Numeric,
    /// `H`: hexadecimal digits, taken as they are.
    Hex,
}

impl QuestionFormat {
    /// The alphabet a challenge is drawn from. Upper case for letters, as a user reads
    /// them off a screen more reliably.
    fn alphabet(self) -> &'static [u8] {
        match self {
            Self::Alphanumeric => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            Self::Numeric => b"0123456789",
            Self::Hex => b"0123456789ABCDEF",
        }
    }
}

/// A parsed OCRASuite (RFC 6287 §6): `OCRA-1:HOTP-<hash>-<digits>:<DataInput>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OcraSuite {
    text: String,
    hash: HashAlgorithm,
    digits: u32,
    counter: bool,
    question_format: QuestionFormat,
    question_len: usize,
    password: Option<HashAlgorithm>,
    session_len: Option<usize>,
    time_step: Option<u64>,
}

/// What a response is computed from, besides the key. Fill exactly the fields the suite
/// names; a missing one or an extra one is an error, because either means client and
/// server disagree about the suite.
#[derive(Clone, Copy, Default)]
pub struct OcraInput<'a> {
    /// `C`: the counter.
    pub counter: Option<u64>,
    /// `Q`: the challenge, or for mutual authentication the two challenges concatenated
    /// as RFC 6287 §7.3 describes (e.g. client's then server's).
    pub question: &'a str,
    /// `PH`: the hash of the user's PIN (see [`OcraSuite::hash_password`]).
    pub password_hash: Option<&'a [u8]>,
    /// `Snnn`: session information, at most `nnn` bytes; shorter values are padded
    /// with leading zeros as in the reference code.
    pub session: Option<&'a [u8]>,
    /// `TG`: the current Unix time in seconds; the suite's step turns it into `T`.
    pub time: Option<u64>,
}

impl fmt::Debug for OcraInput<'_> {
    // Hand-written so a PIN hash never lands in a log through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OcraInput")
            .field("counter", &self.counter)
            .field("question", &self.question)
            .field("password_hash", &self.password_hash.map(|_| "<redacted>"))
            .field("session", &self.session.map(<[u8]>::len))
            .field("time", &self.time)
            .finish()
    }
}

impl<'a> OcraInput<'a> {
    /// An input with only a question.
    #[must_use]
    pub fn new(question: &'a str) -> Self {
        Self {
            question,
            ..Self::default()
        }
    }

    /// The same input with a counter.
    #[must_use]
    pub fn with_counter(self, counter: u64) -> Self {
        Self {
            counter: Some(counter),
            ..self
        }
    }

    /// The same input with a password hash.
    #[must_use]
    pub fn with_password_hash(self, hash: &'a [u8]) -> Self {
        Self {
            password_hash: Some(hash),
            ..self
        }
    }

    /// The same input with session information.
    #[must_use]
    pub fn with_session(self, session: &'a [u8]) -> Self {
        Self {
            session: Some(session),
            ..self
        }
    }

    /// The same input with the current Unix time in seconds.
    #[must_use]
    pub fn with_time(self, time: u64) -> Self {
        Self {
            time: Some(time),
            ..self
        }
    }
}

impl OcraSuite {
    /// Parse an OCRASuite. Only the canonical upper-case spelling is accepted: the
    /// suite string itself is hashed into every response, so `ocra-1:…` would give
    /// different codes than `OCRA-1:…` and is better refused than silently mismatched.
    ///
    /// # Errors
    /// [`OathError::InvalidSuite`] naming the part that is wrong.
    pub fn parse(suite: &str) -> Result<Self, OathError> {
        let fail = |reason: String| OathError::InvalidSuite {
            suite: suite.to_string(),
            reason,
        };
        let mut parts = suite.split(':');
        let (Some(version), Some(crypto), Some(data_input), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(fail(
                "expected three parts separated by ':', as in OCRA-1:HOTP-SHA1-6:QN08".into(),
            ));
        };
        if version != "OCRA-1" {
            return Err(fail(format!(
                "version \"{version}\" is not supported: only OCRA-1 is defined"
            )));
        }
        let (hash, digits) = parse_crypto_function(crypto).map_err(fail)?;
        let mut parsed = Self {
            text: suite.to_string(),
            hash,
            digits,
            counter: false,
            question_format: QuestionFormat::Numeric,
            question_len: 0,
            password: None,
            session_len: None,
            time_step: None,
        };
        parsed.parse_data_input(data_input).map_err(fail)?;
        Ok(parsed)
    }

    /// Fill the DataInput fields from `[C]-QFxx-[PH]-[Snnn]-[TG]`, in that order, each
    /// at most once.
    fn parse_data_input(&mut self, data_input: &str) -> Result<(), String> {
        const ORDER: &str = "the order is [C]-QFxx-[PH]-[Snnn]-[TG]";
        let mut last_rank = None;
        for field in data_input.split('-') {
            let rank = match field.as_bytes().first() {
                None => return Err(format!("empty DataInput field in \"{data_input}\"")),
                Some(b'C') => 0,
                Some(b'Q') => 1,
                Some(b'P') => 2,
                Some(b'S') => 3,
                Some(b'T') => 4,
                Some(_) => return Err(format!("unknown DataInput field \"{field}\"; {ORDER}")),
            };
            if last_rank.is_some_and(|last| rank <= last) {
                return Err(format!("\"{field}\" is repeated or out of order; {ORDER}"));
            }
            if rank > 1 && last_rank.is_none_or(|last| last < 1) {
                return Err(format!(
                    "the challenge field QFxx is missing before \"{field}\"; it is mandatory"
                ));
            }
            last_rank = Some(rank);
            let rest = &field[1..];
            match rank {
                0 if rest.is_empty() => self.counter = true,
                0 => return Err(format!("the counter field is \"C\" alone, not \"{field}\"")),
                1 => (self.question_format, self.question_len) = parse_question(field, rest)?,
                2 => self.password = Some(parse_password(field, rest)?),
                3 => self.session_len = Some(parse_session(field, rest)?),
                _ => self.time_step = Some(parse_time_step(field, rest)?),
            }
        }
        if self.question_len == 0 {
            return Err("the challenge field QFxx is missing; it is mandatory".into());
        }
        Ok(())
    }

    /// The hash of the HMAC.
    #[must_use]
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// Digits of a response; 0 means no truncation (the whole HMAC in hex).
    #[must_use]
    pub fn digits(&self) -> u32 {
        self.digits
    }

    /// Whether a counter `C` is part of the input.
    #[must_use]
    pub fn uses_counter(&self) -> bool {
        self.counter
    }

    /// The challenge format `F` of `QFxx`.
    #[must_use]
    pub fn question_format(&self) -> QuestionFormat {
        self.question_format
    }

    /// The challenge length `xx` of `QFxx`: how long a challenge drawn by
    /// [`OcraSuite::challenge`] is.
    #[must_use]
    pub fn question_len(&self) -> usize {
        self.question_len
    }

    /// The hash of the PIN (`PH`), if the suite uses one.
    #[must_use]
    pub fn password(&self) -> Option<HashAlgorithm> {
        self.password
    }

    /// Bytes of session information (`Snnn`), if the suite uses it.
    #[must_use]
    pub fn session_len(&self) -> Option<usize> {
        self.session_len
    }

    /// Seconds per timestamp step (`TG`), if the suite uses a timestamp.
    #[must_use]
    pub fn time_step(&self) -> Option<u64> {
        self.time_step
    }

    /// The suite's `PH` hash of `pin`, to store server side or pass as
    /// [`OcraInput::password_hash`].
    ///
    /// # Errors
    /// [`OathError::UnexpectedInput`] if the suite has no `PH`.
    pub fn hash_password(&self, pin: &[u8]) -> Result<Vec<u8>, OathError> {
        let hash = self.password.ok_or_else(|| self.unexpected("password"))?;
        Ok(hash.digest(pin))
    }

    /// Draw a challenge of `xx` characters in the suite's format from caller-supplied
    /// randomness (this crate has no random source, so it stays pure and testable).
    /// Needs [`RANDOM_BYTES_PER_CHALLENGE_CHAR`] bytes per character; more are ignored.
    ///
    /// # Errors
    /// [`OathError::NotEnoughRandomness`] if `random` is too short.
    pub fn challenge(&self, random: &[u8]) -> Result<String, OathError> {
        let needed = self.question_len * RANDOM_BYTES_PER_CHALLENGE_CHAR;
        if random.len() < needed {
            return Err(OathError::NotEnoughRandomness {
                needed,
                actual: random.len(),
            });
        }
        let alphabet = self.question_format.alphabet();
        let size = u32::try_from(alphabet.len()).unwrap_or(u32::MAX);
        Ok(random[..needed]
            .chunks_exact(RANDOM_BYTES_PER_CHALLENGE_CHAR)
            .map(|chunk| {
                let value = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
                char::from(alphabet[(value % size) as usize])
            })
            .collect())
    }

    /// Compute the response to `input` under `key` (RFC 6287 §5.2):
    /// `HOTP-SHAx(K, suite | 00 | C | Q | P | S | T)` truncated to the suite's digits,
    /// or, for 0 digits, the whole HMAC in lower-case hex.
    ///
    /// # Errors
    /// [`OathError::EmptyKey`], [`OathError::MissingInput`],
    /// [`OathError::UnexpectedInput`], [`OathError::InvalidQuestion`],
    /// [`OathError::PasswordHashLength`], [`OathError::SessionTooLong`].
    pub fn compute(&self, key: &[u8], input: &OcraInput<'_>) -> Result<String, OathError> {
        check_key(key)?;
        let message = self.data_input(input)?;
        let mac = self.hash.hmac(key, &[&message]);
        Ok(if self.digits == 0 {
            hex_lower(&mac)
        } else {
            format_code(reduce(dynamic_truncation(&mac), self.digits), self.digits)
        })
    }

    /// Verify a device's `response` to `input`, comparing in constant time.
    ///
    /// # Errors
    /// [`OathError::MalformedCode`] if the response has the wrong shape,
    /// [`OathError::CodeRejected`] if it does not match, or any error of
    /// [`OcraSuite::compute`].
    pub fn verify(
        &self,
        key: &[u8],
        input: &OcraInput<'_>,
        response: &str,
    ) -> Result<(), OathError> {
        let expected = self.compute(key, input)?;
        let submitted = if self.digits == 0 {
            // Untruncated responses are hex; accept either case, compare lower case.
            if response.len() != expected.len() || !response.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(OathError::MalformedCode { expected_digits: 0 });
            }
            response.to_ascii_lowercase()
        } else {
            check_code_shape(response, self.digits)?;
            response.to_string()
        };
        if codes_equal(&submitted, &expected) {
            Ok(())
        } else {
            Err(OathError::CodeRejected)
        }
    }

    /// The bytes the HMAC is taken over, laid out as the RFC's reference code does:
    /// fixed-width fields, numbers and session left-padded, the question right-padded.
    fn data_input(&self, input: &OcraInput<'_>) -> Result<Vec<u8>, OathError> {
        let mut message =
            Vec::with_capacity(self.text.len() + 1 + 8 + QUESTION_BYTES + 64 + 512 + 8);
        message.extend_from_slice(self.text.as_bytes());
        message.push(0);

        match (self.counter, input.counter) {
            (true, Some(counter)) => message.extend_from_slice(&counter.to_be_bytes()),
            (true, None) => return Err(self.missing("counter")),
            (false, Some(_)) => return Err(self.unexpected("counter")),
            (false, None) => {}
        }

        message.extend_from_slice(&encode_question(self.question_format, input.question)?);

        match (self.password, input.password_hash) {
            (Some(hash), Some(given)) => {
                if given.len() != hash.output_len() {
                    return Err(OathError::PasswordHashLength {
                        expected: hash.output_len(),
                        actual: given.len(),
                    });
                }
                message.extend_from_slice(given);
            }
            (Some(_), None) => return Err(self.missing("password hash")),
            (None, Some(_)) => return Err(self.unexpected("password hash")),
            (None, None) => {}
        }

        match (self.session_len, input.session) {
            (Some(len), Some(session)) => {
                if session.len() > len {
                    return Err(OathError::SessionTooLong {
                        max: len,
                        actual: session.len(),
                    });
                }
                message.resize(message.len() + len - session.len(), 0);
                message.extend_from_slice(session);
            }
            (Some(_), None) => return Err(self.missing("session")),
            (None, Some(_)) => return Err(self.unexpected("session")),
            (None, None) => {}
        }

        match (self.time_step, input.time) {
            (Some(step), Some(time)) => message.extend_from_slice(&(time / step).to_be_bytes()),
            (Some(_), None) => return Err(self.missing("timestamp")),
            (None, Some(_)) => return Err(self.unexpected("timestamp")),
            (None, None) => {}
        }
        Ok(message)
    }

    fn missing(&self, field: &'static str) -> OathError {
        OathError::MissingInput {
            field,
            suite: self.text.clone(),
        }
    }

    fn unexpected(&self, field: &'static str) -> OathError {
        OathError::UnexpectedInput {
            field,
            suite: self.text.clone(),
        }
    }
}

impl fmt::Display for OcraSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for OcraSuite {
    type Err = OathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// `HOTP-<hash>-<digits>` → hash and digits (0, or 4 to 10).
fn parse_crypto_function(crypto: &str) -> Result<(HashAlgorithm, u32), String> {
    let shape = || format!("crypto function \"{crypto}\" must look like HOTP-SHA1-6");
    let rest = crypto.strip_prefix("HOTP-").ok_or_else(shape)?;
    let (hash, digits) = rest.split_once('-').ok_or_else(shape)?;
    let hash = HashAlgorithm::from_name(hash)
        .ok_or_else(|| format!("hash \"{hash}\" is not supported: use SHA1, SHA256 or SHA512"))?;
    let digits = match digits {
        "0" => 0,
        "4" | "5" | "6" | "7" | "8" | "9" | "10" => digits.parse().map_err(|_| shape())?,
        _ => {
            return Err(format!(
                "truncation \"{digits}\" is not allowed: use 0 (none) or 4 to 10 digits"
            ));
        }
    };
    Ok((hash, digits))
}

/// `QFxx` → format and length 04..=64.
fn parse_question(field: &str, rest: &str) -> Result<(QuestionFormat, usize), String> {
    let bytes = rest.as_bytes();
    let shape =
        || format!("challenge field \"{field}\" must be Q, then A, N or H, then two digits");
    if bytes.len() != 3 {
        return Err(shape());
    }
    let format = match bytes[0] {
        b'A' => QuestionFormat::Alphanumeric,
        b'N' => QuestionFormat::Numeric,
        b'H' => QuestionFormat::Hex,
        _ => return Err(shape()),
    };
    let len = parse_digits(&rest[1..]).ok_or_else(shape)?;
    if !(4..=64).contains(&len) {
        return Err(format!(
            "challenge length in \"{field}\" must be 04 to 64, not {len}"
        ));
    }
    Ok((format, len as usize))
}

/// `PH` → the PIN hash.
fn parse_password(field: &str, rest: &str) -> Result<HashAlgorithm, String> {
    HashAlgorithm::from_name(rest)
        .ok_or_else(|| format!("password field \"{field}\" must be PSHA1, PSHA256 or PSHA512"))
}

/// `Snnn` → session length 001..=512 bytes.
fn parse_session(field: &str, rest: &str) -> Result<usize, String> {
    let len = (rest.len() == 3)
        .then(|| parse_digits(rest))
        .flatten()
        .ok_or_else(|| format!("session field \"{field}\" must be S and three digits, as S064"))?;
    if !(1..=512).contains(&len) {
        return Err(format!(
            "session length in \"{field}\" must be 001 to 512, not {len}"
        ));
    }
    Ok(len as usize)
}

/// `TG` → seconds per step: 1-59 S, 1-59 M or 1-48 H. (RFC 6287 lists 0-48 hours, but a
/// step of zero hours would divide by zero.)
fn parse_time_step(field: &str, rest: &str) -> Result<u64, String> {
    let shape = || format!("timestamp field \"{field}\" must be T, 1 or 2 digits, then S, M or H");
    let (number, unit) = rest
        .split_at_checked(rest.len().wrapping_sub(1))
        .ok_or_else(shape)?;
    if !(1..=2).contains(&number.len()) {
        return Err(shape());
    }
    let n = parse_digits(number).ok_or_else(shape)?;
    let (max, seconds) = match unit {
        "S" => (59, 1),
        "M" => (59, 60),
        "H" => (48, 3600),
        _ => return Err(shape()),
    };
    if !(1..=max).contains(&n) {
        return Err(format!(
            "time step in \"{field}\" must be 1 to {max}{unit}, not {n}{unit}"
        ));
    }
    Ok(u64::from(n) * seconds)
}

/// A string of ASCII digits as a number; `None` for anything else.
fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The question as the 128 bytes of the DataInput.
fn encode_question(format: QuestionFormat, question: &str) -> Result<Vec<u8>, OathError> {
    let invalid = |reason: String| OathError::InvalidQuestion { reason };
    // Bounds before any work: no valid question is longer than 256 characters (128
    // bytes as hex), so a huge input is refused before the decimal conversion.
    if question.len() < QUESTION_MIN_CHARS || question.len() > 2 * QUESTION_BYTES {
        return Err(invalid(format!(
            "it has {} characters; at least {QUESTION_MIN_CHARS} are needed and it must fit in {QUESTION_BYTES} bytes",
            question.len()
        )));
    }
    let mut out = vec![0u8; QUESTION_BYTES];
    let too_long = || invalid(format!("it does not fit in {QUESTION_BYTES} bytes"));
    match format {
        QuestionFormat::Alphanumeric => {
            if !question.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(invalid(
                    "an A question takes only letters and digits".into(),
                ));
            }
            out.get_mut(..question.len())
                .ok_or_else(too_long)?
                .copy_from_slice(question.as_bytes());
        }
        QuestionFormat::Numeric => {
            if !question.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("an N question takes only decimal digits".into()));
            }
            put_nibbles(&mut out, &decimal_to_hex_nibbles(question)).ok_or_else(too_long)?;
        }
        QuestionFormat::Hex => {
            let nibbles: Option<Vec<u8>> = question
                .chars()
                .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
                .collect();
            let nibbles = nibbles
                .ok_or_else(|| invalid("an H question takes only hexadecimal digits".into()))?;
            put_nibbles(&mut out, &nibbles).ok_or_else(too_long)?;
        }
    }
    Ok(out)
}

/// Write hex digits from the start of `out`, high nibble first. An odd count leaves the
/// low half of the last byte zero: the reference code right-pads the hex string with
/// '0' to 256 characters, so "153158E" (22222222) becomes 15 31 58 E0.
fn put_nibbles(out: &mut [u8], nibbles: &[u8]) -> Option<()> {
    if nibbles.len() > 2 * out.len() {
        return None;
    }
    for (i, nibble) in nibbles.iter().enumerate() {
        out[i / 2] |= if i % 2 == 0 { nibble << 4 } else { *nibble };
    }
    Some(())
}

/// A decimal string as hexadecimal digits without leading zeros ("0" for zero), like
/// Java's `new BigInteger(q, 10).toString(16)` in RFC 6287's reference code.
fn decimal_to_hex_nibbles(decimal: &str) -> Vec<u8> {
    // Little-endian base-16 digits, multiplied by 10 and added to per decimal digit.
    let mut digits: Vec<u8> = vec![0];
    for d in decimal.bytes().map(|b| b - b'0') {
        let mut carry = u32::from(d);
        for digit in &mut digits {
            let value = u32::from(*digit) * 10 + carry;
            *digit = (value % 16) as u8;
            carry = value / 16;
        }
        while carry > 0 {
            digits.push((carry % 16) as u8);
            carry /= 16;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    digits.reverse();
    digits
}

/// Lower-case hex of `bytes`.
fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decimal_to_hex_matches_biginteger() {
        // The byte strings RFC 6287 Appendix C's numeric questions turn into.
        assert_eq!(decimal_to_hex_nibbles("00000000"), vec![0]);
        assert_eq!(
            decimal_to_hex_nibbles("11111111"),
            vec![0xa, 9, 8, 0xa, 0xc, 7]
        );
        assert_eq!(
            decimal_to_hex_nibbles("22222222"),
            vec![1, 5, 3, 1, 5, 8, 0xe]
        );
        assert_eq!(
            decimal_to_hex_nibbles("12345678"),
            vec![0xb, 0xc, 6, 1, 4, 0xe]
        );
    }

    #[test]
    fn odd_nibble_count_pads_on_the_right() {
        let q = encode_question(QuestionFormat::Numeric, "22222222").unwrap();
        assert_eq!(&q[..5], &[0x15, 0x31, 0x58, 0xe0, 0]);
        let q = encode_question(QuestionFormat::Hex, "abc12").unwrap();
        assert_eq!(&q[..4], &[0xab, 0xc1, 0x20, 0]);
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex_lower(&[0x00, 0xab, 0x7f]), "00ab7f");
    }
}
