//! The rules for a new password (flow A, step 12: "digits, letters, special characters"),
//! one definition for the companion (to tell the user at once) and the server (which
//! enforces them).

/// The shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// The longest: Argon2 takes any length, but a bound keeps requests small.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`PASSWORD_MIN_CHARS`] or more than [`PASSWORD_MAX_CHARS`] characters.
    Length,
    /// No letter, no digit, or no other character (a "special" one).
    Mix,
    /// It contains the user ID.
    ContainsUserId,
    /// Control characters cannot be typed on every keyboard the user will meet.
    Control,
}

impl PasswordProblem {
    /// The stable code the server answers with.
    pub fn code(self) -> &'static str {
        match self {
            Self::Length => "password_length",
            Self::Mix => "password_mix",
            Self::ContainsUserId => "password_contains_user_id",
            Self::Control => "password_control",
        }
    }
}

/// What is wrong with `password` as the new password of `user_id`, if anything.
pub fn password_problem(password: &str, user_id: &str) -> Option<PasswordProblem> {
    let length = password.chars().count();
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&length) {
        return Some(PasswordProblem::Length);
    }
    if password.chars().any(char::is_control) {
        return Some(PasswordProblem::Control);
    }
    let letter = password.chars().any(char::is_alphabetic);
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let special = password.chars().any(|c| !c.is_alphanumeric());
    if !(letter && digit && special) {
        return Some(PasswordProblem::Mix);
    }
    let user = user_id.trim().to_lowercase();
    if user.chars().count() >= 3 && password.to_lowercase().contains(&user) {
        return Some(PasswordProblem::ContainsUserId);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_length_and_a_mix() {
        assert_eq!(password_problem("Tessera-Demo-1!", "alice"), None);
        assert_eq!(password_problem("Pässwörd-2026", "alice"), None);
        assert_eq!(
            password_problem("Short-1!", "alice"),
            Some(PasswordProblem::Length)
        );
        assert_eq!(
            password_problem("onlyletters!!", "alice"),
            Some(PasswordProblem::Mix)
        );
        assert_eq!(
            password_problem("Letters12345", "alice"),
            Some(PasswordProblem::Mix)
        );
        assert_eq!(
            password_problem("1234567890!!", "alice"),
            Some(PasswordProblem::Mix)
        );
        assert_eq!(
            password_problem("Alice-2026-xyz", "alice"),
            Some(PasswordProblem::ContainsUserId)
        );
        assert_eq!(
            password_problem("Tab\there-2026", "alice"),
            Some(PasswordProblem::Control)
        );
    }
}
