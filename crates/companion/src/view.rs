//! What the request screens show, computed from a [`DeviceRequest`] in a language. Pure,
//! tested natively: these are the strings a user reads before entering the PIN, and what
//! the phone signs is the digest of exactly the details they come from.
use tessera_protocol::{Details, Kind, api::DeviceRequest, details_for, group_iban};
use tessera_ui::{format_amount, group_hex};

use crate::i18n::{Lang, T, Texts};

/// One line of the details: element id, label and the value as written for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The value's element id (the end-to-end tests read it).
    pub id: &'static str,
    /// What the value is.
    pub label: T,
    /// The value, formatted.
    pub value: String,
    /// CSS classes of the value.
    pub class: &'static str,
}

/// The screen's title: "Log in to Demo Bank", "Confirm a payment", "Sign a document".
pub fn title(request: &DeviceRequest, lang: Lang) -> String {
    match request.kind {
        Kind::Login => lang.tn(T::TitleLogin, &request.partner_name),
        Kind::Confirm => lang.t(T::TitleConfirm).to_string(),
        Kind::Sign => lang.t(T::TitleSign).to_string(),
    }
}

/// The details to check, one [`Row`] each (none for a login); `None` if the details are
/// not what a session of this kind carries in its checked, canonical form — a payee with
/// bidi controls or look-alike letters, an IBAN not in its electronic form. The server
/// refuses those at creation; a request that still carries one is not shown, so it
/// cannot be approved.
pub fn detail_rows(request: &DeviceRequest, lang: Lang) -> Option<Vec<Row>> {
    let details = request.details.clone();
    if details_for(request.kind, details.clone()).ok()? != details {
        return None;
    }
    let row = |id, label, value, class| Row {
        id,
        label,
        value,
        class,
    };
    Some(match details {
        None => Vec::new(),
        Some(Details::Transaction(t)) => {
            let mut rows = vec![
                row(
                    "req-amount",
                    T::Amount,
                    format_amount(lang, t.amount_minor, &t.currency),
                    "amount",
                ),
                row("req-payee", T::Payee, t.payee_name, "payee"),
                row("req-iban", T::PayeeIban, group_iban(&t.payee_iban), "mono"),
                row("req-reference", T::Reference, t.reference, ""),
            ];
            if let Some(payer) = t.payer_iban {
                rows.push(row("req-payer", T::PayerIban, group_iban(&payer), "mono"));
            }
            rows
        }
        Some(Details::Document(d)) => vec![
            row("req-document", T::Document, d.name, "document"),
            row(
                "req-fingerprint",
                T::Fingerprint,
                group_hex(&d.sha256),
                "mono fingerprint",
            ),
        ],
    })
}

/// The number buttons' element ids (`number-42`) with their numbers, in the order the
/// server gave the choices.
pub fn number_buttons(choices: &[u8]) -> Vec<(String, u8)> {
    choices
        .iter()
        .map(|&n| (format!("number-{n}"), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_protocol::{Document, Transaction};

    fn request(kind: Kind, details: Option<Details>) -> DeviceRequest {
        DeviceRequest {
            session_id: "s".into(),
            nonce: "n".into(),
            partner_id: "demo-bank".into(),
            partner_name: "Demo Bank".into(),
            origin: "https://bank.example".into(),
            kind,
            details,
            number_choices: None,
            binding_message: None,
            expires_at: 100,
        }
    }

    fn transaction() -> Transaction {
        Transaction {
            amount_minor: 123_456,
            currency: "EUR".into(),
            payee_name: "Zoë Müller".into(),
            payee_iban: "LU280019400644750000".into(),
            reference: "Invoice 2026-042".into(),
            payer_iban: None,
        }
    }

    fn payment(payer_iban: Option<&str>) -> Details {
        Details::Transaction(Transaction {
            payer_iban: payer_iban.map(Into::into),
            ..transaction()
        })
    }

    fn values(rows: &[Row]) -> Vec<(&str, &str)> {
        rows.iter().map(|r| (r.id, r.value.as_str())).collect()
    }

    #[test]
    fn titles_per_kind_and_language() {
        let login = request(Kind::Login, None);
        assert_eq!(title(&login, Lang::En), "Log in to Demo Bank");
        assert_eq!(title(&login, Lang::Nl), "Aanmelden bij Demo Bank");
        let pay = request(Kind::Confirm, Some(payment(None)));
        assert_eq!(title(&pay, Lang::De), "Zahlung bestätigen");
        let sign = request(Kind::Sign, None);
        assert_eq!(title(&sign, Lang::Fr), "Signer un document");
    }

    #[test]
    fn a_payment_shows_amount_payee_grouped_iban_and_reference() {
        let rows = detail_rows(&request(Kind::Confirm, Some(payment(None))), Lang::En)
            .expect("safe details");
        assert_eq!(
            values(&rows),
            [
                ("req-amount", "EUR\u{a0}1,234.56"),
                ("req-payee", "Zoë Müller"),
                ("req-iban", "LU28 0019 4006 4475 0000"),
                ("req-reference", "Invoice 2026-042"),
            ]
        );
        let rows = detail_rows(
            &request(Kind::Confirm, Some(payment(Some("BE68539007547034")))),
            Lang::De,
        )
        .expect("safe details");
        assert_eq!(rows[0].value, "1.234,56\u{a0}EUR");
        assert_eq!(
            (rows[4].id, rows[4].value.as_str()),
            ("req-payer", "BE68 5390 0754 7034")
        );
    }

    #[test]
    fn a_document_shows_its_name_and_grouped_fingerprint() {
        let document = Details::Document(Document {
            name: "Tax form 2026.pdf".into(),
            sha256: "0123456789abcdef".repeat(4),
        });
        let rows =
            detail_rows(&request(Kind::Sign, Some(document)), Lang::Fr).expect("safe details");
        assert_eq!(rows[0].value, "Tax form 2026.pdf");
        assert_eq!(rows[1].id, "req-fingerprint");
        assert_eq!(
            rows[1].value,
            "0123 4567 89ab cdef 0123 4567 89ab cdef 0123 4567 89ab cdef 0123 4567 89ab cdef"
        );
    }

    #[test]
    fn a_login_has_no_rows() {
        assert_eq!(
            detail_rows(&request(Kind::Login, None), Lang::En),
            Some(vec![])
        );
    }

    #[test]
    fn unsafe_missing_or_misplaced_details_are_not_shown() {
        let bidi = Details::Transaction(Transaction {
            payee_name: "Bank\u{202E}evil".into(),
            ..transaction()
        });
        let spaced_iban = Details::Transaction(Transaction {
            payee_iban: "LU28 0019 4006 4475 0000".into(),
            ..transaction()
        });
        for (kind, details) in [
            (Kind::Confirm, Some(bidi)),
            (Kind::Confirm, Some(spaced_iban)),
            (Kind::Confirm, None),
            (Kind::Sign, Some(payment(None))),
            (Kind::Login, Some(payment(None))),
        ] {
            assert_eq!(detail_rows(&request(kind, details), Lang::En), None);
        }
    }

    #[test]
    fn number_buttons_keep_the_server_order() {
        assert_eq!(
            number_buttons(&[42, 17, 88]),
            [
                ("number-42".to_string(), 42),
                ("number-17".into(), 17),
                ("number-88".into(), 88),
            ]
        );
    }
}
