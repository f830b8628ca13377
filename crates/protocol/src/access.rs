//! The ways in for people who cannot scan the animated QR (WCAG 2.2.1, issue 17): a short
//! code shown by the widget and typed into the companion, and more time for a session.
//! The code is only a pointer to the session: the phone still fetches, shows and signs the
//! partner, origin and details the server holds for it, exactly as after a scan.
use alloc::string::String;
use serde::{Deserialize, Serialize};

/// The characters a short code is written with: digits and capital letters without the
/// ones people confuse (0/O, 1/I). 32 of them, so each character carries 5 bits.
pub const SHORT_CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a short code: 8 × 5 = 40 bits. With the server's global limit on wrong
/// codes (`code_guesses_global` per minute) and the live codes bounded by the sessions,
/// a guess hits a live code with a probability far below 10^-6 over a code's lifetime
/// (docs/DECISIONS.md, "I can't scan").
pub const SHORT_CODE_CHARS: usize = 8;

/// The short code for 8 random bytes (each byte's low 5 bits pick a character: 256 is a
/// multiple of 32, so there is no bias).
pub fn short_code(random: &[u8; SHORT_CODE_CHARS]) -> String {
    random
        .iter()
        .map(|b| char::from(SHORT_CODE_ALPHABET[usize::from(b & 31)]))
        .collect()
}

/// The code as typed or pasted: spaces and dashes dropped, lower case raised; `None` if
/// it is not [`SHORT_CODE_CHARS`] characters of the alphabet.
pub fn normalize_short_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid =
        code.len() == SHORT_CODE_CHARS && code.bytes().all(|b| SHORT_CODE_ALPHABET.contains(&b));
    valid.then_some(code)
}

/// The code as shown: two groups of four (`ABCD-EFGH`), easier to read out and type.
pub fn group_short_code(code: &str) -> String {
    let mut grouped = String::with_capacity(code.len() + 1);
    for (i, c) in code.chars().enumerate() {
        if i == SHORT_CODE_CHARS / 2 {
            grouped.push('-');
        }
        grouped.push(c);
    }
    grouped
}

/// Server → widget (`POST /v1/sessions/{id}/code`): the short code for the session. A new
/// one replaces the previous one; it works once, until the session expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShortCodeIssued {
    /// [`SHORT_CODE_CHARS`] characters of [`SHORT_CODE_ALPHABET`].
    pub code: String,
    /// When it stops working with its session (Unix seconds).
    pub expires_at: u64,
}

/// Companion → server (`POST /v1/device/code`): the code the user typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    /// As typed; the server normalises it with [`normalize_short_code`].
    pub code: String,
}

/// Server → widget (`POST /v1/sessions/{id}/extend`): the session's new expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Extended {
    /// The new expiry (Unix seconds).
    pub expires_at: u64,
    /// How many more times the session may be extended.
    pub extensions_left: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_whole_alphabet_without_bias() {
        let all: [u8; 8] = [0, 31, 32, 63, 255, 8, 9, 200];
        assert_eq!(short_code(&all), "2Z2ZZABA");
        assert_eq!(short_code(&[7; 8]), "99999999");
    }

    #[test]
    fn typed_codes_are_normalised_or_refused() {
        assert_eq!(
            normalize_short_code(" abcd-efgh ").as_deref(),
            Some("ABCDEFGH")
        );
        assert_eq!(
            normalize_short_code("AB CD EF GH").as_deref(),
            Some("ABCDEFGH")
        );
        // 0, 1, O and I are not in the alphabet: a look-alike is refused, never guessed.
        assert_eq!(normalize_short_code("ABCDEFG0"), None);
        assert_eq!(normalize_short_code("ABCDEFGI"), None);
        assert_eq!(normalize_short_code("ABCDEFG"), None);
        assert_eq!(normalize_short_code("ABCDEFGHJ"), None);
        assert_eq!(normalize_short_code("ABCDEFGÉ"), None);
        assert_eq!(normalize_short_code(""), None);
    }

    #[test]
    fn codes_are_shown_in_two_groups() {
        assert_eq!(group_short_code("ABCDEFGH"), "ABCD-EFGH");
    }
}
