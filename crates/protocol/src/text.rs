//! Display safety for text a user must read before approving (payee names, references,
//! document names). The server refuses unsafe text when a session is created, so the
//! phone never shows it: a refusal is clearer than a warning the user may not read.
use alloc::vec::Vec;

use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical};
use unicode_normalization::{IsNormalized, is_nfc_quick};

/// Why a text cannot be shown to the user as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty, or longer than allowed.
    Length,
    /// Not in Unicode Normalization Form C: the same text must have one encoding.
    NotNormalized,
    /// A control character (line breaks, tabs, escapes).
    Control,
    /// A bidirectional control, which can reorder what is displayed ("Trojan Source").
    Bidi,
    /// An invisible character (zero-width, soft hyphen, variation selector, tag…).
    Invisible,
    /// Letters of several scripts mixed, as in look-alike spoofs (Unicode TR 39).
    MixedScript,
}

/// Unicode's Bidi_Control characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Unicode's Default_Ignorable_Code_Point characters: rendered as nothing.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(all(feature = "browser-unicode", target_arch = "wasm32"))]
mod browser;

/// Whether `text` is in Normalization Form C. In the companion's wasm the browser answers
/// ([`browser::is_nfc`]), so its wasm carries no normalization tables; elsewhere the tables.
fn is_nfc(text: &str) -> bool {
    #[cfg(all(feature = "browser-unicode", target_arch = "wasm32"))]
    return browser::is_nfc(text);
    #[cfg(not(all(feature = "browser-unicode", target_arch = "wasm32")))]
    return is_nfc_by_tables(text);
}

#[cfg(any(test, all(feature = "browser-unicode", target_arch = "wasm32")))]
#[rustfmt::skip] // generated (scripts.rs), compared with its generator's output as it is
mod script_table;
#[cfg(any(test, all(feature = "browser-unicode", target_arch = "wasm32")))]
mod scripts;

/// Whether one writing system has all of `text` (Unicode TR 39). In the companion's wasm by
/// [`scripts::is_single_script`] on a compact copy of the data, elsewhere unicode-security.
fn is_single_script(text: &str) -> bool {
    #[cfg(all(feature = "browser-unicode", target_arch = "wasm32"))]
    return scripts::is_single_script(text);
    #[cfg(not(all(feature = "browser-unicode", target_arch = "wasm32")))]
    return unicode_security::MixedScript::is_single_script(text);
}

/// Whether `text` is in Normalization Form C, exactly as `unicode_normalization::is_nfc`,
/// but through the crate's per-character canonical functions only. Its `is_nfc` runs the
/// `nfc()` iterator, whose decomposer also links the compatibility tables (NFKC), about
/// 54 KB brotli in the companion; the canonical tables alone are a small part of that.
#[cfg_attr(
    all(feature = "browser-unicode", target_arch = "wasm32"),
    allow(dead_code)
)]
fn is_nfc_by_tables(text: &str) -> bool {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        // A "Maybe" character (a combining mark, a Tamil vowel sign, a Hangul jamo…) may
        // compose with what precedes it, including with a part of the preceding starter's
        // decomposition ("é" + U+0323 is not NFC): only the full algorithm decides.
        IsNormalized::Maybe => text.chars().eq(nfc(text)),
    }
}

/// The NFC form of `text` (Unicode Standard Annex 15): full canonical decomposition,
/// canonical ordering of combining marks, then canonical composition.
#[cfg_attr(
    all(feature = "browser-unicode", target_arch = "wasm32"),
    allow(dead_code)
)]
fn nfc(text: &str) -> Vec<char> {
    let mut decomposed = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_canonical(c, |d| decomposed.push(d));
    }
    // Canonical ordering: each run of non-starters sorted by combining class, stably.
    let mut start = 0;
    while start < decomposed.len() {
        let end = decomposed[start..]
            .iter()
            .position(|&c| canonical_combining_class(c) == 0)
            .map_or(decomposed.len(), |n| start + n);
        decomposed[start..end].sort_by_key(|&c| canonical_combining_class(c));
        start = end + 1;
    }
    let mut composed: Vec<char> = Vec::with_capacity(decomposed.len());
    let mut starter: Option<usize> = None;
    // The combining class of the last character kept after the starter (None: adjacent).
    // Canonical order makes it the highest class in between, so it alone decides blocking.
    let mut last_class: Option<u8> = None;
    for c in decomposed {
        let class = canonical_combining_class(c);
        if let Some(at) = starter {
            let blocked = last_class.is_some_and(|last| last == 0 || last >= class);
            if !blocked && let Some(both) = compose(composed[at], c) {
                composed[at] = both;
                continue;
            }
        }
        if class == 0 {
            starter = Some(composed.len());
            last_class = None;
        } else {
            last_class = Some(class);
        }
        composed.push(c);
    }
    composed
}

/// What is wrong with `text` for display, if anything; `max_chars` bounds its length.
pub fn text_problem(text: &str, max_chars: usize) -> Option<TextProblem> {
    let length = text.chars().count();
    if length == 0 || length > max_chars || text.trim() != text {
        return Some(TextProblem::Length);
    }
    if text.chars().any(char::is_control) {
        return Some(TextProblem::Control);
    }
    if text.chars().any(is_bidi_control) {
        return Some(TextProblem::Bidi);
    }
    if text.chars().any(is_invisible) {
        return Some(TextProblem::Invisible);
    }
    if !is_nfc(text) {
        return Some(TextProblem::NotNormalized);
    }
    if !is_single_script(text) {
        return Some(TextProblem::MixedScript);
    }
    None
}

#[cfg(all(test, target_arch = "wasm32", feature = "browser-unicode"))]
mod browser_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn ordinary_names_in_many_languages_pass() {
        for name in [
            "Jean Müller",
            "Ørsted A/S",
            "Zoë & Søren's Café",
            "Δημήτρης Παπαδόπουλος",
            "Иван Петров",
            "株式会社トヨタ",
            "محمد علي",
            "Invoice 2026-11/042",
            "O'Brien-Smith",
        ] {
            assert_eq!(text_problem(name, 70), None, "{name}");
        }
    }

    #[test]
    fn each_unsafe_text_has_its_own_problem() {
        let cases = [
            ("", TextProblem::Length),
            (" Leading space", TextProblem::Length),
            ("Line\nbreak", TextProblem::Control),
            ("Evil\u{202E}gnp.exe", TextProblem::Bidi),
            ("Pay\u{2066}ee", TextProblem::Bidi),
            ("Pay\u{200B}Pal", TextProblem::Invisible),
            ("Soft\u{00AD}hyphen", TextProblem::Invisible),
            ("Cafe\u{0301}", TextProblem::NotNormalized),
            ("P\u{0430}yPal", TextProblem::MixedScript), // Cyrillic а among Latin letters
            ("\u{0391}pple", TextProblem::MixedScript),  // Greek Alpha
        ];
        for (text, problem) in cases {
            assert_eq!(text_problem(text, 70), Some(problem), "{text:?}");
        }
        assert_eq!(text_problem(&"x".repeat(71), 70), Some(TextProblem::Length));
    }

    /// Every scalar value alone: the same answer as unicode-normalization's own `is_nfc`.
    #[test]
    fn nfc_check_matches_unicode_normalization_on_every_code_point() {
        let mut text = String::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            assert_eq!(is_nfc(&text), unicode_normalization::is_nfc(&text), "{c:?}");
        }
    }

    /// Characters whose NFC quick check answers Maybe: the only ones the full algorithm sees.
    pub(super) fn maybe_characters() -> Vec<char> {
        (0..=0x10_FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfc_quick(core::iter::once(c)) == IsNormalized::Maybe)
            .collect()
    }

    /// Starters something can compose with or that decompose: every precomposed letter,
    /// every Hangul syllable and jamo, and the first halves of the composition pairs.
    pub(super) fn composing_starters(maybe: &[char]) -> Vec<char> {
        (0..=0x10_FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| canonical_combining_class(c) == 0)
            .filter(|&c| {
                let mut parts = 0;
                decompose_canonical(c, |_| parts += 1);
                parts > 1 || maybe.iter().any(|&m| compose(c, m).is_some())
            })
            .collect()
    }

    fn assert_same_nfc(chars: &[char]) {
        let text: String = chars.iter().collect();
        assert_eq!(
            is_nfc(&text),
            unicode_normalization::is_nfc(&text),
            "{text:?}"
        );
    }

    /// "é" + U+0323 is not NFC although no character composes with U+0323 after "é":
    /// the starter's decomposition takes part. Every starter before every Maybe character.
    #[test]
    fn nfc_check_matches_unicode_normalization_on_starter_and_maybe_pairs() {
        let maybe = maybe_characters();
        assert!(
            maybe.len() > 50,
            "the quick-check table has Maybe characters"
        );
        assert!(!is_nfc("\u{00E9}\u{0323}") && is_nfc("\u{1EB9}\u{0301}"));
        assert!(
            is_nfc("\u{0BA4}\u{0BAE}\u{0BBF}\u{0BB4}\u{0BCD}"),
            "Tamil: தமிழ்"
        );
        assert!(
            is_nfc("\u{0939}\u{093F}\u{0928}\u{094D}\u{0926}\u{0940}"),
            "Hindi"
        );
        for starter in composing_starters(&maybe) {
            for &mark in &maybe {
                assert_same_nfc(&[starter, mark]);
            }
        }
    }

    /// The parts of the triples: a starter, then a mark of each combining class (blocking
    /// or not, in order or not) or a Maybe starter (Hangul jamo, vowel signs), then every
    /// Maybe character. Hangul LVT syllables, which compose with nothing, are left out.
    pub(super) fn triple_parts() -> (Vec<char>, Vec<char>, Vec<char>) {
        let maybe = maybe_characters();
        let mut one_mark_per_class: Vec<char> = Vec::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let class = canonical_combining_class(c);
            if class != 0
                && !one_mark_per_class
                    .iter()
                    .any(|&m| canonical_combining_class(m) == class)
            {
                one_mark_per_class.push(c);
            }
        }
        let maybe_starters = maybe.iter().filter(|&&m| canonical_combining_class(m) == 0);
        let middles: Vec<char> = one_mark_per_class
            .iter()
            .chain(maybe_starters)
            .copied()
            .collect();
        let starters: Vec<char> = composing_starters(&maybe)
            .into_iter()
            .filter(|&s| {
                !('\u{AC00}'..='\u{D7A3}').contains(&s) || (u32::from(s) - 0xAC00) % 28 == 0
            })
            .collect();
        (starters, middles, maybe)
    }

    #[test]
    fn nfc_check_matches_unicode_normalization_on_triples() {
        let (starters, middles, maybe) = triple_parts();
        for &starter in &starters {
            for &middle in &middles {
                for &mark in &maybe {
                    assert_same_nfc(&[starter, middle, mark]);
                }
            }
        }
    }
}
