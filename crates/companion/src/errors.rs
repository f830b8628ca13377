//! What went wrong talking to the server, and the sentence the user reads about it.
//! Pure: the fetch helper produces a [`Failure`], screens turn it into text or a state.
use tessera_protocol::api::ApiError;

use crate::i18n::{Lang, T, Texts};
use crate::outcome::{Outcome, Problem};

/// A failed call.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The server answered with an error.
    Api { status: u16, error: ApiError },
    /// No answer, or an answer that is not what the API promises.
    Network,
    /// The device key could not be created or used.
    Key,
    /// The platform did not verify the user (cancelled, no biometrics, timed out).
    Biometric,
}

/// What a form's error line says: a check made here, or the server's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// A check made here.
    Local(T),
    /// The server's answer.
    Server(Failure),
}

impl FormError {
    /// The sentence for the user.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FormError::Local(key) => lang.t(*key).to_string(),
            FormError::Server(failure) => failure.message(lang),
        }
    }
}

impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Failure::Api {
                    status: s1,
                    error: e1,
                },
                Failure::Api {
                    status: s2,
                    error: e2,
                },
            ) => {
                (s1, &e1.code, &e1.message, e1.attempts_left)
                    == (s2, &e2.code, &e2.message, e2.attempts_left)
            }
            (Failure::Network, Failure::Network)
            | (Failure::Key, Failure::Key)
            | (Failure::Biometric, Failure::Biometric) => true,
            _ => false,
        }
    }
}

impl Failure {
    /// The failure an error answer stands for: the server's [`ApiError`], or one made up
    /// from the status when the body is not one.
    pub fn from_response(status: u16, body: &str) -> Failure {
        let error = tessera_ui::parse_json(body).unwrap_or_else(|| ApiError {
            code: format!("http_{status}"),
            message: body.into(),
            attempts_left: None,
        });
        Failure::Api { status, error }
    }

    /// The server's error code (empty for a network or key failure).
    pub fn code(&self) -> &str {
        match self {
            Failure::Api { error, .. } => &error.code,
            _ => "",
        }
    }

    fn status(&self) -> u16 {
        match self {
            Failure::Api { status, .. } => *status,
            _ => 0,
        }
    }

    /// The sentence for the user, with the attempts left where the server counts them.
    pub fn message(&self, lang: Lang) -> String {
        let key = match self {
            Failure::Network => T::ErrNetwork,
            Failure::Key => T::ErrKey,
            Failure::Biometric => T::ErrBiometric,
            Failure::Api { .. } => match (self.code(), self.status()) {
                ("wrong_pin", _) => T::ErrWrongPin,
                ("biometrics_not_enabled", _) => T::ErrBiometricsOff,
                ("biometrics_challenge_expired", _) => T::ErrBiometricsSlow,
                (code, _) if code.starts_with("webauthn_") => T::ErrBiometric,
                ("qr_stale", _) => T::ErrQrStale,
                ("qr_invalid", _) => T::ErrQrInvalid,
                ("invalid_credentials", _) => T::ErrCredentials,
                ("wrong_activation_code", _) => T::ErrActivationCode,
                ("activation_code_void", _) => T::ErrCodeVoid,
                ("device_locked", _) => T::ResLockedText,
                ("device_not_active", _) => T::ErrDeviceInactive,
                ("no_device", _) => T::ErrNoDevice,
                ("device_limit" | "too_many_devices", _) => T::ErrDeviceLimit,
                ("weak_pin", _) => T::ErrWeakPin,
                ("invalid_device_name", _) => T::ErrDeviceName,
                ("session_closed", _) => T::ResClosedText,
                ("wrong_number", _) => T::ErrWrongNumber,
                ("number_not_matched", _) => T::ErrNumberNotMatched,
                ("details_mismatch", _) => T::ErrDetailsMismatch,
                ("wrong_security_code", _) => T::ErrSecurityCode,
                ("security_code_void", _) => T::ErrSecurityCodeVoid,
                ("invalid_replacement", _) => T::ErrInvalidReplacement,
                ("activation_link_expired", _) => T::ErrLinkExpired,
                ("device_unchanged", _) => T::ErrDeviceUnchanged,
                ("backup_void", _) => T::ErrBackupVoid,
                ("invalid_pin", _) => T::PinLength,
                ("terms_not_accepted", _) => T::ErrTerms,
                ("security_answers_invalid", _) => T::ErrSecurityAnswers,
                ("password_length", _) => T::PasswordLength,
                ("password_mix", _) => T::PasswordMix,
                ("password_contains_user_id", _) => T::PasswordUserId,
                ("password_control", _) => T::PasswordControl,
                ("wrong_token_code", _) => T::ErrWrongToken,
                ("no_token", _) => T::ErrNoToken,
                ("wrong_scan_response", _) => T::ErrWrongScan,
                ("challenge_expired", _) => T::MosaicExpired,
                ("too_many_attempts", _) | (_, 429) => T::ErrTooManyAttempts,
                ("not_found", _) | (_, 404) => T::ErrNotFound,
                _ => T::ErrUnexpected,
            },
        };
        match self {
            Failure::Api {
                error:
                    ApiError {
                        attempts_left: Some(n),
                        ..
                    },
                ..
            } => {
                format!("{} {}", lang.t(key), lang.tn(T::AttemptsLeft, n))
            }
            _ => lang.t(key).to_string(),
        }
    }

    /// Whether a Scan's mosaic can no longer be answered (expired, used, or made for
    /// another user): a new one is needed.
    pub fn scan_gone(&self) -> bool {
        self.code() == "challenge_expired" || matches!(self.status(), 404 | 410)
    }

    /// Whether a call about an open request (match, respond, report) ended it (`Some`),
    /// or the request stays on screen with this failure's message.
    pub fn final_outcome(&self) -> Option<Outcome> {
        match (self.code(), self.status()) {
            // The request is still open: retry the PIN, or deny or report it.
            ("wrong_pin" | "number_not_matched" | "details_mismatch", _) => None,
            // Biometrics refused or off: the PIN is still there.
            ("biometrics_not_enabled", _) => None,
            (code, _) if code.starts_with("webauthn_") => None,
            ("wrong_number", _) => Some(Outcome::WrongNumber),
            ("device_locked", _) | (_, 423) => Some(Outcome::Locked),
            ("session_closed", _) | (_, 409 | 410 | 404) => Some(Outcome::Closed),
            _ => None,
        }
    }

    /// Why confirming an activation through the SMS link failed.
    pub fn confirm_problem(&self) -> Problem {
        match (self, self.code(), self.status()) {
            (Failure::Network, ..) => Problem::Network,
            (_, "activation_link_expired", _) | (_, _, 410) => Problem::LinkExpired,
            (_, _, 400..=499) => Problem::LinkInvalid,
            _ => Problem::Unexpected,
        }
    }

    /// Why opening a request failed.
    pub fn problem(&self) -> Problem {
        match (self, self.code(), self.status()) {
            (Failure::Network, ..) => Problem::Network,
            (_, "qr_stale", _) => Problem::QrStale,
            (_, "qr_invalid", _) => Problem::QrInvalid,
            (_, "device_not_active" | "device_locked", _) | (_, _, 423) => Problem::DeviceInactive,
            (_, _, 401) => Problem::NoDevice,
            (_, _, 404 | 409 | 410) => Problem::NotFound,
            _ => Problem::Unexpected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str, attempts_left: Option<u32>) -> Failure {
        Failure::Api {
            status,
            error: ApiError {
                code: code.into(),
                message: "m".into(),
                attempts_left,
            },
        }
    }

    #[test]
    fn wrong_pin_says_attempts_left_and_lets_the_user_retry() {
        let f = api(401, "wrong_pin", Some(2));
        assert_eq!(f.message(Lang::En), "Wrong PIN. Attempts left: 2.");
        assert_eq!(
            f.message(Lang::Nl),
            "Verkeerde pincode. Resterende pogingen: 2."
        );
        assert_eq!(f.final_outcome(), None);
    }

    #[test]
    fn final_answers() {
        assert_eq!(
            api(423, "device_locked", None).final_outcome(),
            Some(Outcome::Locked)
        );
        assert_eq!(
            api(409, "session_closed", None).final_outcome(),
            Some(Outcome::Closed)
        );
        assert_eq!(
            api(404, "not_found", None).final_outcome(),
            Some(Outcome::Closed)
        );
        assert_eq!(api(500, "internal", None).final_outcome(), None);
        assert_eq!(Failure::Network.final_outcome(), None);
    }

    #[test]
    fn a_wrong_number_ends_the_request_and_other_conflicts_explain() {
        let wrong = api(409, "wrong_number", None);
        assert_eq!(wrong.final_outcome(), Some(Outcome::WrongNumber));
        assert_eq!(
            wrong.message(Lang::En),
            "Wrong number: the request was cancelled for your safety."
        );
        let not_matched = api(409, "number_not_matched", None);
        assert_eq!(not_matched.final_outcome(), None);
        assert_eq!(
            not_matched.message(Lang::Fr),
            "Choisissez d'abord le nombre affiché sur le site."
        );
        let mismatch = api(409, "details_mismatch", None);
        assert_eq!(mismatch.final_outcome(), None);
        assert!(mismatch.message(Lang::De).starts_with("Die Angaben"));
        assert_eq!(
            api(409, "session_closed", None).final_outcome(),
            Some(Outcome::Closed)
        );
    }

    #[test]
    fn opening_problems() {
        assert_eq!(api(410, "qr_stale", None).problem(), Problem::QrStale);
        assert_eq!(api(401, "no_device", None).problem(), Problem::NoDevice);
        assert_eq!(api(404, "not_found", None).problem(), Problem::NotFound);
        assert_eq!(Failure::Network.problem(), Problem::Network);
        assert_eq!(
            api(410, "qr_stale", None).message(Lang::En),
            "This QR code is too old. Scan the current one."
        );
    }

    #[test]
    fn error_bodies_become_failures() {
        let f = Failure::from_response(
            401,
            r#"{"code":"wrong_security_code","message":"m","attempts_left":3}"#,
        );
        assert_eq!(f, api(401, "wrong_security_code", Some(3)));
        assert_eq!(
            f.message(Lang::En),
            "The security code is wrong. Attempts left: 3."
        );
        let f = Failure::from_response(502, "<html>Bad gateway</html>");
        assert_eq!(f.code(), "http_502");
        assert_eq!(
            f.message(Lang::En),
            "Something went wrong. Please try again."
        );
    }

    #[test]
    fn device_lifecycle_errors_explain_what_to_do() {
        assert!(
            api(403, "security_code_void", None)
                .message(Lang::En)
                .starts_with("You have no valid security code. Please call the helpdesk")
        );
        assert_eq!(
            api(400, "invalid_replacement", None).message(Lang::Nl),
            "Dat toestel kan niet worden vervangen. Kies er een uit de lijst."
        );
        assert!(
            api(409, "device_unchanged", None)
                .message(Lang::De)
                .starts_with("Der Zustand dieses Geräts")
        );
        assert!(
            api(403, "backup_void", None)
                .message(Lang::Fr)
                .starts_with("Cette sauvegarde n'est plus utilisable")
        );
        assert_eq!(
            api(429, "too_many_attempts", None).message(Lang::En),
            "Too many failed attempts in the last hour. Try again later, or call the helpdesk."
        );
    }

    #[test]
    fn new_user_token_and_scan_errors_explain_what_to_do() {
        assert_eq!(
            api(401, "wrong_token_code", Some(2)).message(Lang::En),
            "The Token's code is wrong. Attempts left: 2."
        );
        assert!(
            api(403, "no_token", None)
                .message(Lang::De)
                .starts_with("Für diese Benutzer-ID ist kein Token")
        );
        assert!(
            api(401, "wrong_scan_response", Some(4))
                .message(Lang::Fr)
                .ends_with("Essais restants : 4.")
        );
        assert_eq!(
            api(400, "password_mix", None).message(Lang::En),
            Lang::En.t(T::PasswordMix)
        );
        assert_eq!(
            api(400, "terms_not_accepted", None).message(Lang::Nl),
            Lang::Nl.t(T::ErrTerms)
        );
        assert_eq!(
            api(400, "security_answers_invalid", None).message(Lang::En),
            "Choose three different questions and answer each with at least 2 characters."
        );
        assert!(api(410, "challenge_expired", None).scan_gone());
        assert!(api(404, "not_found", None).scan_gone());
        assert!(!api(401, "wrong_scan_response", Some(4)).scan_gone());
        assert!(!Failure::Network.scan_gone());
    }

    #[test]
    fn confirm_problems() {
        let expired = api(410, "activation_link_expired", None);
        assert_eq!(expired.confirm_problem(), Problem::LinkExpired);
        assert_eq!(
            expired.message(Lang::En),
            "This link has expired: it works for 6 hours. Start again."
        );
        assert_eq!(
            api(404, "not_found", None).confirm_problem(),
            Problem::LinkInvalid
        );
        assert_eq!(
            api(403, "invalid_token", None).confirm_problem(),
            Problem::LinkInvalid
        );
        assert_eq!(Failure::Network.confirm_problem(), Problem::Network);
        assert_eq!(
            api(500, "internal", None).confirm_problem(),
            Problem::Unexpected
        );
    }

    #[test]
    fn unknown_codes_get_a_generic_sentence() {
        assert_eq!(
            api(500, "boom", None).message(Lang::De),
            "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut."
        );
        assert_eq!(
            api(401, "invalid_credentials", Some(4)).message(Lang::En),
            "The user ID or password is wrong. Attempts left: 4."
        );
        assert_eq!(api(403, "qr_invalid", None).problem(), Problem::QrInvalid);
        assert_eq!(
            api(423, "device_locked", None).problem(),
            Problem::DeviceInactive
        );
    }
}
