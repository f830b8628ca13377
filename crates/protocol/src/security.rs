//! Security questions: chosen by the user at activation (flow A), asked by the helpdesk
//! to recognise a caller (issue 6). One list and one normalisation, shared by the
//! companion and the server, so an answer typed on the phone matches the one said on
//! the phone line.
use alloc::string::String;

use unicode_normalization::UnicodeNormalization;

/// The questions a user picks three of, by index. English here; the companion shows
/// its own translations in the same order. Never reorder: indexes are stored.
pub const SECURITY_QUESTIONS: [&str; 8] = [
    "In which town was your mother born?",
    "What was the name of your first pet?",
    "What was the name of your first school?",
    "What is your oldest cousin's first name?",
    "In which street did you live as a child?",
    "What was the make of your first car?",
    "What is the first name of your childhood best friend?",
    "In which town did your parents meet?",
];

/// How many questions each user answers.
pub const SECURITY_ANSWERS: usize = 3;

/// The form an answer is stored (hashed) and compared in: Unicode NFKC, lowercase,
/// inner whitespace collapsed to one space, no surrounding space. "  Rue  de la Gare" and
/// "rue de la gare" are the same answer; "Rue de la Gare 2" is not.
pub fn normalize_answer(answer: &str) -> String {
    fold_answer(&answer.nfkc().collect::<String>())
}

/// The rest of [`normalize_answer`] for a text already in NFKC: lowercase, whitespace
/// collapsed. The companion normalises with the browser's `String.normalize("NFKC")` and
/// calls this, so its wasm carries no compatibility-decomposition tables (issue 19).
pub fn fold_answer(nfkc: &str) -> String {
    let folded: String = nfkc.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_compare_without_case_or_spacing() {
        assert_eq!(normalize_answer("  Rue  de la\tGare "), "rue de la gare");
        assert_eq!(normalize_answer("ESCH-SUR-ALZETTE"), "esch-sur-alzette");
        assert_eq!(normalize_answer("Ｒｅｘ"), "rex"); // full-width letters (NFKC)
        assert_eq!(
            normalize_answer("Mu\u{0308}ller"),
            normalize_answer("Müller")
        );
        assert_ne!(
            normalize_answer("Rue de la Gare 2"),
            normalize_answer("rue de la gare")
        );
        assert_eq!(normalize_answer("   "), "");
    }

    #[test]
    fn the_list_has_no_duplicates() {
        for (i, a) in SECURITY_QUESTIONS.iter().enumerate() {
            assert!(!SECURITY_QUESTIONS[i + 1..].contains(a));
        }
    }
}
