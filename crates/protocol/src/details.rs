//! Transaction and document details, and their one canonical encoding (PSD2 dynamic
//! linking: the approval signs SHA-256 of exactly these bytes).
//!
//! Canonical encoding, version 1: the ASCII bytes `tessera-details/1`, then one record per
//! field in the order below, each `tag (1 byte) || length (u32, big endian) || value
//! (UTF-8)`. Text must already be valid ([`Details::validated`]): NFC, no controls, no
//! bidi or invisible characters, single script; IBANs in electronic form.
//! - transaction: `T` marker record (empty), `a` amount in minor units as decimal
//!   digits, `c` ISO 4217 currency, `n` payee name, `i` payee IBAN, `r` reference, and
//!   `p` payer IBAN only if present.
//! - document: `D` marker record (empty), `n` document name, `h` SHA-256 of the document
//!   as 64 lowercase hex digits.
//!
//! Length prefixes make the encoding unambiguous whatever the values contain.
use alloc::{string::String, vec::Vec};

use serde::{Deserialize, Serialize};

use crate::{Kind, TextProblem, normalize_iban, sha256, text_problem};

/// The longest payee name, reference or document name (SEPA allows 70 characters for a
/// name; 140 for remittance information, which we keep to 70 to fit a phone screen).
pub const MAX_TEXT_CHARS: usize = 70;

/// A payment to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// Amount in the currency's minor unit (cents for EUR).
    pub amount_minor: u64,
    /// ISO 4217 alphabetic code, e.g. `EUR`.
    pub currency: String,
    /// Who is paid, as the user will read it.
    pub payee_name: String,
    /// The payee's IBAN.
    pub payee_iban: String,
    /// The payment reference.
    pub reference: String,
    /// The account paid from, if the partner names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_iban: Option<String>,
}

/// A document to sign; the document itself never leaves the user's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// The file name shown to the user.
    pub name: String,
    /// SHA-256 of the document, 64 hex digits.
    pub sha256: String,
}

/// What a `confirm` or `sign` session asks the user to approve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Details {
    /// A payment (`confirm`).
    Transaction(Transaction),
    /// A document (`sign`).
    Document(Document),
}

/// Why details are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailsProblem {
    /// The amount is zero.
    Amount,
    /// The currency is not three capital letters.
    Currency,
    /// The payee name cannot be shown safely.
    PayeeName(TextProblem),
    /// The reference cannot be shown safely.
    Reference(TextProblem),
    /// The payee's IBAN is malformed or fails its check digits.
    PayeeIban,
    /// The payer's IBAN is malformed or fails its check digits.
    PayerIban,
    /// The document name cannot be shown safely.
    DocumentName(TextProblem),
    /// The document digest is not 64 hex digits.
    DocumentDigest,
    /// A `confirm` session without a transaction, or a `sign` session without a document.
    Missing,
    /// Details that do not belong to the session's kind (any for `login`).
    Unexpected,
}

impl DetailsProblem {
    /// The stable code the server answers with, e.g. `payee_name_bidi`.
    pub fn code(self) -> &'static str {
        use DetailsProblem::*;
        use TextProblem as T;
        let text = |field: [&'static str; 6], p: TextProblem| match p {
            T::Length => field[0],
            T::NotNormalized => field[1],
            T::Control => field[2],
            T::Bidi => field[3],
            T::Invisible => field[4],
            T::MixedScript => field[5],
        };
        match self {
            Amount => "amount_invalid",
            Currency => "currency_invalid",
            PayeeName(p) => text(
                [
                    "payee_name_length",
                    "payee_name_not_nfc",
                    "payee_name_control",
                    "payee_name_bidi",
                    "payee_name_invisible",
                    "payee_name_mixed_script",
                ],
                p,
            ),
            Reference(p) => text(
                [
                    "reference_length",
                    "reference_not_nfc",
                    "reference_control",
                    "reference_bidi",
                    "reference_invisible",
                    "reference_mixed_script",
                ],
                p,
            ),
            PayeeIban => "payee_iban_invalid",
            PayerIban => "payer_iban_invalid",
            DocumentName(p) => text(
                [
                    "document_name_length",
                    "document_name_not_nfc",
                    "document_name_control",
                    "document_name_bidi",
                    "document_name_invisible",
                    "document_name_mixed_script",
                ],
                p,
            ),
            DocumentDigest => "document_digest_invalid",
            Missing => "details_missing",
            Unexpected => "details_unexpected",
        }
    }
}

impl core::fmt::Display for DetailsProblem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use DetailsProblem::*;
        let (field, problem) = match self {
            Amount => return f.write_str("the amount must be at least one minor unit"),
            Currency => return f.write_str("the currency must be an ISO 4217 code such as EUR"),
            PayeeIban => {
                return f.write_str("the payee's IBAN is malformed or its check digits are wrong");
            }
            PayerIban => {
                return f.write_str("the payer's IBAN is malformed or its check digits are wrong");
            }
            DocumentDigest => {
                return f.write_str("the document digest must be SHA-256 as 64 hex digits");
            }
            Missing => return f.write_str("confirm needs a transaction and sign a document"),
            Unexpected => {
                return f.write_str("these details do not belong to this kind of session");
            }
            PayeeName(p) => ("payee name", p),
            Reference(p) => ("reference", p),
            DocumentName(p) => ("document name", p),
        };
        let why = match problem {
            TextProblem::Length => "must have 1 to 70 characters and no surrounding spaces",
            TextProblem::NotNormalized => "must be in Unicode NFC",
            TextProblem::Control => "contains a control character",
            TextProblem::Bidi => "contains a bidirectional control that can disguise it",
            TextProblem::Invisible => "contains an invisible character",
            TextProblem::MixedScript => "mixes scripts like a look-alike spoof (Unicode TR 39)",
        };
        write!(f, "the {field} {why}")
    }
}

/// The details a session of `kind` carries, checked and in their one form: a transaction
/// for `confirm`, a document for `sign`, none for `login`.
pub fn details_for(
    kind: Kind,
    details: Option<Details>,
) -> Result<Option<Details>, DetailsProblem> {
    match (kind, details) {
        (Kind::Login, None) => Ok(None),
        (Kind::Login, Some(_)) => Err(DetailsProblem::Unexpected),
        (_, None) => Err(DetailsProblem::Missing),
        (kind, Some(details)) if details.kind() != kind => Err(DetailsProblem::Unexpected),
        (_, Some(details)) => details.validated().map(Some),
    }
}

fn check_text(
    text: &str,
    problem: fn(TextProblem) -> DetailsProblem,
) -> Result<(), DetailsProblem> {
    text_problem(text, MAX_TEXT_CHARS).map_or(Ok(()), |p| Err(problem(p)))
}

impl Details {
    /// The kind of session these details belong to.
    pub fn kind(&self) -> Kind {
        match self {
            Details::Transaction(_) => Kind::Confirm,
            Details::Document(_) => Kind::Sign,
        }
    }

    /// Checks the details and brings IBANs and the digest into their one form.
    pub fn validated(self) -> Result<Details, DetailsProblem> {
        match self {
            Details::Transaction(mut t) => {
                if t.amount_minor == 0 {
                    return Err(DetailsProblem::Amount);
                }
                if t.currency.len() != 3 || !t.currency.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(DetailsProblem::Currency);
                }
                check_text(&t.payee_name, DetailsProblem::PayeeName)?;
                check_text(&t.reference, DetailsProblem::Reference)?;
                t.payee_iban =
                    normalize_iban(&t.payee_iban).map_err(|_| DetailsProblem::PayeeIban)?;
                t.payer_iban = match t.payer_iban {
                    Some(iban) => {
                        Some(normalize_iban(&iban).map_err(|_| DetailsProblem::PayerIban)?)
                    }
                    None => None,
                };
                Ok(Details::Transaction(t))
            }
            Details::Document(mut d) => {
                check_text(&d.name, DetailsProblem::DocumentName)?;
                if d.sha256.len() != 64 || !d.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(DetailsProblem::DocumentDigest);
                }
                d.sha256.make_ascii_lowercase();
                Ok(Details::Document(d))
            }
        }
    }

    /// The canonical encoding (see the module documentation).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::from(&b"tessera-details/1"[..]);
        let mut field = |tag: u8, value: &[u8]| {
            out.push(tag);
            // Values are bounded far below 4 GiB by validation and body limits.
            out.extend_from_slice(&(value.len() as u32).to_be_bytes());
            out.extend_from_slice(value);
        };
        match self {
            Details::Transaction(t) => {
                field(b'T', b"");
                field(b'a', itoa(t.amount_minor).as_bytes());
                field(b'c', t.currency.as_bytes());
                field(b'n', t.payee_name.as_bytes());
                field(b'i', t.payee_iban.as_bytes());
                field(b'r', t.reference.as_bytes());
                if let Some(payer) = &t.payer_iban {
                    field(b'p', payer.as_bytes());
                }
            }
            Details::Document(d) => {
                field(b'D', b"");
                field(b'n', d.name.as_bytes());
                field(b'h', d.sha256.as_bytes());
            }
        }
        out
    }

    /// SHA-256 of the canonical encoding: what the approval's `dd` claim carries.
    pub fn digest(&self) -> [u8; 32] {
        sha256(&self.canonical_bytes())
    }
}

fn itoa(mut value: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (value % 10) as u8);
        value /= 10;
        if value == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::b64_encode;

    /// Computed independently (Python hashlib) from the byte layout in the module docs.
    const PINNED_DIGEST: &str = "0Xhzhv3eRjYSy9VkLGQzJ4gApK_W1a7twkfL3B6_MWE";

    fn payment() -> Details {
        Details::Transaction(Transaction {
            amount_minor: 12_345,
            currency: "EUR".into(),
            payee_name: "Zoë Müller".into(),
            payee_iban: "lu28 0019 4006 4475 0000".into(),
            reference: "Invoice 2026-042".into(),
            payer_iban: None,
        })
    }

    #[test]
    fn canonical_encoding_is_pinned() {
        let details = payment().validated().unwrap();
        let mut expected = Vec::from(&b"tessera-details/1"[..]);
        for (tag, value) in [
            (b'T', ""),
            (b'a', "12345"),
            (b'c', "EUR"),
            (b'n', "Zoë Müller"),
            (b'i', "LU280019400644750000"),
            (b'r', "Invoice 2026-042"),
        ] {
            expected.push(tag);
            expected.extend_from_slice(&(value.len() as u32).to_be_bytes());
            expected.extend_from_slice(value.as_bytes());
        }
        assert_eq!(details.canonical_bytes(), expected);
        // "Zoë Müller" in NFC is 12 bytes: ë and ü are one code point each.
        assert_eq!("Zoë Müller".len(), 12);
        // Pinned: a change of this digest is a change of the encoding, which needs a new
        // version tag, never a silent edit.
        assert_eq!(b64_encode(&details.digest()), PINNED_DIGEST);
    }

    #[test]
    fn any_change_of_amount_currency_or_payee_changes_the_digest() {
        let base = payment().validated().unwrap();
        let Details::Transaction(t) = base.clone() else {
            unreachable!()
        };
        let variants = [
            Transaction {
                amount_minor: 12_346,
                ..t.clone()
            },
            Transaction {
                currency: "USD".into(),
                ..t.clone()
            },
            Transaction {
                payee_name: "Zoe Muller".into(),
                ..t.clone()
            },
            Transaction {
                payee_iban: "BE68539007547034".into(),
                ..t.clone()
            },
            Transaction {
                reference: "Invoice 2026-043".into(),
                ..t.clone()
            },
            Transaction {
                payer_iban: Some("BE68539007547034".into()),
                ..t.clone()
            },
        ];
        for variant in variants {
            assert_ne!(Details::Transaction(variant).digest(), base.digest());
        }
    }

    #[test]
    fn unsafe_or_malformed_details_are_refused() {
        let Details::Transaction(t) = payment() else {
            unreachable!()
        };
        let refused = |t: Transaction| Details::Transaction(t).validated().unwrap_err();
        assert_eq!(
            refused(Transaction {
                amount_minor: 0,
                ..t.clone()
            }),
            DetailsProblem::Amount
        );
        assert_eq!(
            refused(Transaction {
                currency: "eur".into(),
                ..t.clone()
            }),
            DetailsProblem::Currency
        );
        assert_eq!(
            refused(Transaction {
                payee_iban: "LU28 0019 4006 4475 0001".into(),
                ..t.clone()
            }),
            DetailsProblem::PayeeIban
        );
        assert_eq!(
            refused(Transaction {
                payer_iban: Some("XX00".into()),
                ..t.clone()
            }),
            DetailsProblem::PayerIban
        );
        assert_eq!(
            refused(Transaction {
                payee_name: "Zoe\u{0308} Müller".into(),
                ..t.clone()
            }),
            DetailsProblem::PayeeName(TextProblem::NotNormalized)
        );
        assert_eq!(
            refused(Transaction {
                payee_name: "P\u{0430}yPal".into(),
                ..t.clone()
            }),
            DetailsProblem::PayeeName(TextProblem::MixedScript)
        );
        assert_eq!(
            refused(Transaction {
                reference: "Ref\u{202E}evil".into(),
                ..t
            }),
            DetailsProblem::Reference(TextProblem::Bidi)
        );

        let document = |name: &str, sha256: &str| {
            Details::Document(Document {
                name: name.into(),
                sha256: sha256.into(),
            })
        };
        assert_eq!(
            document("form.pdf", "abc").validated(),
            Err(DetailsProblem::DocumentDigest)
        );
        assert_eq!(
            document("form\u{200B}.pdf", &"a".repeat(64)).validated(),
            Err(DetailsProblem::DocumentName(TextProblem::Invisible))
        );
        let valid = document("Tax form 2026.pdf", &"AB".repeat(32))
            .validated()
            .unwrap();
        assert_eq!(valid, document("Tax form 2026.pdf", &"ab".repeat(32)));
        assert_eq!(valid.kind(), Kind::Sign);
    }

    #[test]
    fn details_must_fit_the_session_kind() {
        let document = Details::Document(Document {
            name: "form.pdf".into(),
            sha256: "ab".repeat(32),
        });
        assert_eq!(details_for(Kind::Login, None), Ok(None));
        assert_eq!(
            details_for(Kind::Login, Some(payment())),
            Err(DetailsProblem::Unexpected)
        );
        assert_eq!(
            details_for(Kind::Confirm, None),
            Err(DetailsProblem::Missing)
        );
        assert_eq!(
            details_for(Kind::Confirm, Some(document.clone())),
            Err(DetailsProblem::Unexpected)
        );
        assert_eq!(
            details_for(Kind::Sign, Some(payment())),
            Err(DetailsProblem::Unexpected)
        );
        assert_eq!(
            details_for(Kind::Confirm, Some(payment())),
            Ok(Some(payment().validated().unwrap()))
        );
        assert_eq!(
            details_for(Kind::Sign, Some(document.clone())),
            Ok(Some(document))
        );
    }

    #[test]
    fn every_problem_has_its_own_code() {
        use TextProblem as T;
        let texts = [
            T::Length,
            T::NotNormalized,
            T::Control,
            T::Bidi,
            T::Invisible,
            T::MixedScript,
        ];
        let mut problems = alloc::vec![
            DetailsProblem::Amount,
            DetailsProblem::Currency,
            DetailsProblem::PayeeIban,
            DetailsProblem::PayerIban,
            DetailsProblem::DocumentDigest,
            DetailsProblem::Missing,
            DetailsProblem::Unexpected,
        ];
        for t in texts {
            problems.extend([
                DetailsProblem::PayeeName(t),
                DetailsProblem::Reference(t),
                DetailsProblem::DocumentName(t),
            ]);
        }
        let mut codes: Vec<&str> = problems.iter().map(|p| p.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), problems.len());
        assert!(alloc::format!("{}", DetailsProblem::PayeeName(T::Bidi)).contains("payee name"));
    }

    #[test]
    fn details_travel_as_tagged_json_and_refuse_unknown_fields() {
        let json = serde_json::to_string(&payment()).unwrap();
        assert!(
            json.starts_with(r#"{"transaction":{"amount_minor":12345"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Details>(&json).unwrap(), payment());
        let extra = json.replacen("\"amount_minor\"", "\"fee\":1,\"amount_minor\"", 1);
        assert!(serde_json::from_str::<Details>(&extra).is_err());
    }
}
