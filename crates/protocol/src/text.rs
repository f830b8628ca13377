//! Display safety for text a user must read before approving (payee names, references,
//! document names). The server refuses unsafe text when a session is created, so the
//! phone never shows it: a refusal is clearer than a warning the user may not read.
use unicode_normalization::is_nfc;
use unicode_security::MixedScript;

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
    if !text.is_single_script() {
        return Some(TextProblem::MixedScript);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
