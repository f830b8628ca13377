//! Every text the widget shows, in English, French, German and Dutch. One table, so a
//! missing translation is a compile error (each `match` arm lists all four languages).

pub use tessera_protocol::Kind;
pub use tessera_ui::Lang;

mod keys;
mod texts;
pub use keys::Text;
pub use texts::t;

/// A text with one argument in place of its `{}`.
pub fn tf(lang: Lang, text: Text, arg: &str) -> String {
    t(lang, text).replacen("{}", arg, 1)
}

/// The text for an error code of a `kind` session: a
/// [`tessera_protocol::VerifyError::code`] or one of the widget's own codes (see
/// [`crate::state::Problem`]).
pub fn error_text(lang: Lang, code: &str, kind: Kind) -> &'static str {
    let text = match code {
        "origin_mismatch" => Text::ErrPhishing,
        "token_too_large"
        | "jws_malformed"
        | "header_parameter_not_allowed"
        | "algorithm_not_allowed"
        | "wrong_token_type"
        | "certificates_not_allowed"
        | "header_not_canonical"
        | "claims_not_canonical"
        | "certificate_lifetime_too_long"
        | "status_lifetime_invalid"
        | "signature_malformed"
        | "signature_out_of_range"
        | "signature_high_s"
        | "signature_invalid"
        | "claims_malformed"
        | "public_key_invalid"
        | "chain_shape"
        | "untrusted_root"
        | "certificate_role"
        | "device_mismatch"
        | "status_mismatch" => Text::ErrTampered,
        "device_not_active" | "certificate_expired" | "certificate_not_yet_valid" => {
            Text::ErrDevice
        }
        "approval_stale" | "status_expired" => Text::ErrStale,
        "session_mismatch" | "nonce_mismatch" | "partner_mismatch" | "kind_mismatch"
        | "user_mismatch" => Text::ErrOtherRequest,
        "details_mismatch" | "document_mismatch" => Text::of(
            kind,
            [
                Text::ErrMismatchLogin,
                Text::ErrMismatchConfirm,
                Text::ErrMismatchSign,
            ],
        ),
        "denied" => Text::Denied,
        "start_failed" | "config_invalid" => Text::ErrStart,
        "insecure_page" => Text::ErrInsecurePage,
        "connection_lost" => Text::ErrConnection,
        "relay_malformed" | "result_missing" => Text::ErrRelay,
        _ => Text::ErrGeneric,
    };
    t(lang, text)
}

/// The text for the `ApiError` code the bank's backend refused to open a session with:
/// its refusals of the details ([`tessera_protocol::DetailsProblem::code`]) grouped by
/// what the person can do about them, anything else as a failed start.
pub fn bank_error_text(lang: Lang, code: &str) -> &'static str {
    let text = match code {
        "payee_iban_invalid" | "payer_iban_invalid" => Text::ErrIban,
        "amount_invalid" | "currency_invalid" => Text::ErrAmount,
        c if [
            "_bidi",
            "_invisible",
            "_mixed_script",
            "_control",
            "_not_nfc",
        ]
        .iter()
        .any(|problem| c.ends_with(problem)) =>
        {
            Text::ErrDisguise
        }
        c if ["payee_", "payer_", "reference_", "document_", "details_"]
            .iter()
            .any(|field| c.starts_with(field)) =>
        {
            Text::ErrDetails
        }
        _ => Text::ErrStart,
    };
    t(lang, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_every_language() {
        for lang in Lang::ALL {
            for kind in [Kind::Login, Kind::Confirm, Kind::Sign] {
                assert_eq!(
                    tf(lang, Text::done(kind), "alice").matches("alice").count(),
                    1
                );
            }
            assert_eq!(tf(lang, Text::PickNumber, "42").matches("42").count(), 1);
            let login = Kind::Login;
            assert!(error_text(lang, "origin_mismatch", login).len() > 20);
            assert_ne!(
                error_text(lang, "signature_invalid", login),
                error_text(lang, "nonsense", login)
            );
        }
    }

    #[test]
    fn the_banks_details_codes_are_grouped() {
        let en = |code| bank_error_text(Lang::En, code);
        assert!(en("payee_iban_invalid").contains("IBAN"));
        for code in [
            "payee_name_bidi",
            "payee_name_invisible",
            "payee_name_mixed_script",
            "reference_bidi",
            "reference_control",
            "document_name_invisible",
        ] {
            assert!(en(code).contains("disguise"), "{code}");
        }
        assert!(en("amount_invalid").contains("amount"));
        assert_eq!(en("currency_invalid"), en("amount_invalid"));
        assert_eq!(en("payee_name_length"), t(Lang::En, Text::ErrDetails));
        assert_eq!(en("document_digest_invalid"), t(Lang::En, Text::ErrDetails));
        assert_eq!(en("internal"), t(Lang::En, Text::ErrStart));
        assert_eq!(en("start_failed"), t(Lang::En, Text::ErrStart));
    }

    #[test]
    fn a_mismatch_names_what_was_approved() {
        assert!(error_text(Lang::En, "details_mismatch", Kind::Confirm).contains("payment"));
        assert!(error_text(Lang::En, "details_mismatch", Kind::Sign).contains("document"));
        assert!(error_text(Lang::De, "document_mismatch", Kind::Sign).contains("Dokument"));
    }
}
