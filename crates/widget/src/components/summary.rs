//! What is being confirmed or signed, as the bank's backend sent it, written the way the
//! phone writes it, so the person can compare the two screens.
use tessera_protocol::{Details, group_iban};
use tessera_ui::{format_amount, group_hex};
use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// The summary `tessera-details` of a payment (amount, payee, IBAN in groups of four,
/// reference, and the payer's account if named) or a document (name and SHA-256 in groups
/// of four).
pub fn details_summary(details: &Details, lang: Lang) -> Html {
    // Names and references may be written right to left; `dir="auto"` isolates each.
    let row = |label: Text, value: String, class: &'static str| {
        html! {
            <div class="tessera-details__row">
                <dt>{ t(lang, label) }</dt>
                <dd class={class} dir="auto">{ value }</dd>
            </div>
        }
    };
    let (heading, rows) = match details {
        Details::Transaction(tx) => (
            Text::PaymentHeading,
            html! {
                <>
                    { row(Text::Amount, format_amount(lang, tx.amount_minor, &tx.currency), "tessera-details__amount") }
                    { row(Text::Payee, tx.payee_name.clone(), "") }
                    { row(Text::Iban, group_iban(&tx.payee_iban), "tessera-details__code") }
                    { row(Text::Reference, tx.reference.clone(), "") }
                    if let Some(payer) = &tx.payer_iban {
                        { row(Text::FromAccount, group_iban(payer), "tessera-details__code") }
                    }
                </>
            },
        ),
        Details::Document(doc) => (
            Text::DocumentHeading,
            html! {
                <>
                    { row(Text::DocumentName, doc.name.clone(), "") }
                    { row(Text::Fingerprint, group_hex(&doc.sha256), "tessera-details__code") }
                </>
            },
        ),
    };
    html! {
        <section id="tessera-details" class="tessera-details" aria-labelledby="tessera-details-title">
            <h3 id="tessera-details-title" class="tessera-details__title">{ t(lang, heading) }</h3>
            <p class="tessera-details__note">{ t(lang, Text::CompareNote) }</p>
            <dl class="tessera-details__list">{ rows }</dl>
        </section>
    }
}
