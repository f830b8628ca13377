//! `#/transfer`: a transfer form; the widget below confirms exactly what the form says,
//! and once it verified the approval the bank's backend books the transfer.
use std::rc::Rc;

use serde::Deserialize;
use tessera_protocol::{CoarseLocation, Kind, Transaction, group_iban};
use tessera_ui::format_amount;
use tessera_widget::{Lang, Widget, net};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::{
    amount::parse_amount,
    backend::{Refusal, Step, answer, near, on_approved, result},
};

/// The currencies the form offers.
const CURRENCIES: [&str; 4] = ["EUR", "CHF", "USD", "GBP"];

/// What the person typed, as typed.
#[derive(Debug, Clone, PartialEq)]
struct Form {
    amount: String,
    currency: String,
    payee: String,
    iban: String,
    reference: String,
}

impl Default for Form {
    /// A sensible demo transfer.
    fn default() -> Self {
        Form {
            amount: "250.00".into(),
            currency: "EUR".into(),
            payee: "Zoë Müller".into(),
            iban: "LU28 0019 4006 4475 0000".into(),
            reference: "Invoice 2026-042".into(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Amount,
    Currency,
    Payee,
    Iban,
    Reference,
}

impl Reducible for Form {
    type Action = (Field, String);

    fn reduce(self: Rc<Self>, (field, value): (Field, String)) -> Rc<Self> {
        let mut form = (*self).clone();
        *match field {
            Field::Amount => &mut form.amount,
            Field::Currency => &mut form.currency,
            Field::Payee => &mut form.payee,
            Field::Iban => &mut form.iban,
            Field::Reference => &mut form.reference,
        } = value;
        Rc::new(form)
    }
}

impl Form {
    /// The transaction to confirm. An amount that cannot be read goes as zero, which the
    /// bank refuses (`amount_invalid`) like any other detail it cannot accept.
    fn transaction(&self) -> Transaction {
        Transaction {
            amount_minor: parse_amount(&self.amount, &self.currency).unwrap_or(0),
            currency: self.currency.clone(),
            payee_name: nfc(self.payee.trim()),
            payee_iban: self.iban.trim().to_owned(),
            reference: nfc(self.reference.trim()),
            payer_iban: None,
        }
    }
}

/// `text` in Unicode NFC, as the bank demands: some keyboards and pastes give
/// decomposed letters (`e` + `◌̈`), which look the same. The browser normalises, so the
/// page carries no Unicode tables.
fn nfc(text: &str) -> String {
    String::from(js_sys::JsString::from(text).normalize("NFC"))
}

/// What the bank answers once it booked the transfer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Booked {
    booked: bool,
    #[serde(default)]
    user_id: String,
    amount_minor: u64,
    currency: String,
    payee_name: String,
    #[serde(default)]
    payee_iban: String,
    #[serde(default)]
    location: Option<CoarseLocation>,
}

/// The transfer page.
#[component]
pub fn TransferPage() -> Html {
    let form = use_reducer(Form::default);
    let step = use_state(|| Step::<Booked>::Idle);
    let set = |field: Field| {
        let form = form.dispatcher();
        Callback::from(move |e: InputEvent| {
            form.dispatch((field, e.target_unchecked_into::<HtmlInputElement>().value()));
        })
    };
    let on_currency = {
        let form = form.dispatcher();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            form.dispatch((Field::Currency, value));
        })
    };
    let on_approved = on_approved(&step, "/bank/transfer/confirm", |text, _| {
        match answer::<Booked>(text)? {
            booked if booked.booked => Ok(booked),
            _ => Err(Refusal::Refused {
                code: "not_booked".into(),
                message: "the transfer was not booked.".into(),
            }),
        }
    });
    // A new form means a new transfer: whatever the bank said about the last one goes.
    {
        let step = step.clone();
        use_effect_with(form.clone(), move |_| step.set(Step::Idle));
    }
    let amount_error = parse_amount(&form.amount, &form.currency).err();
    let body = AttrValue::from(net::json(&form.transaction()));
    let outcome = result(&step, "Demo Bank is booking your transfer…", |booked| {
        let amount = format_amount(Lang::En, booked.amount_minor, &booked.currency);
        let to = if booked.payee_iban.is_empty() {
            booked.payee_name.clone()
        } else {
            format!("{} ({})", booked.payee_name, group_iban(&booked.payee_iban))
        };
        let by = if booked.user_id.is_empty() {
            String::new()
        } else {
            format!(", confirmed by {} on their phone", booked.user_id)
        };
        (
            "booked",
            html! {
                <>
                    <h2>{ "Transfer booked" }</h2>
                    <p>{ format!("{amount} to {to}{by}.") }</p>
                    { near(booked.location) }
                    <p>{ "Demo Bank verified the approval again on its server, against the transfer it recorded." }</p>
                </>
            },
            format!("Demo Bank booked {amount} to {}.", booked.payee_name),
        )
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Transfer" }</h1>
            <p class="bank-lead">{ "Send money and confirm it on your phone: your phone shows exactly what you confirm." }</p>
            <div class="bank-columns">
                <form class="bank-card bank-form" aria-labelledby="transfer-title" novalidate=true
                    onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    <h2 id="transfer-title">{ "New transfer" }</h2>
                    <div class="bank-field bank-field--amount">
                        <label for="transfer-amount">{ "Amount" }</label>
                        <div class="bank-amount">
                            <input id="transfer-amount" type="text" inputmode="decimal" autocomplete="off"
                                value={form.amount.clone()} oninput={set(Field::Amount)}
                                aria-invalid={amount_error.is_some().then_some("true")}
                                aria-describedby={amount_error.is_some().then_some("transfer-amount-error")} />
                            <select id="transfer-currency" aria-label="Currency" onchange={on_currency}>
                                { for CURRENCIES.iter().map(|c| html! {
                                    <option value={*c} selected={form.currency == *c}>{ *c }</option>
                                }) }
                            </select>
                        </div>
                        if let Some(error) = amount_error {
                            <p id="transfer-amount-error" class="bank-field__error">{ error.message() }</p>
                        }
                    </div>
                    <div class="bank-field">
                        <label for="transfer-payee">{ "Payee" }</label>
                        <input id="transfer-payee" type="text" autocomplete="off" spellcheck="false"
                            value={form.payee.clone()} oninput={set(Field::Payee)} />
                    </div>
                    <div class="bank-field">
                        <label for="transfer-iban">{ "Payee's IBAN" }</label>
                        <input id="transfer-iban" type="text" autocomplete="off" spellcheck="false"
                            autocapitalize="characters" class="bank-mono"
                            value={form.iban.clone()} oninput={set(Field::Iban)} />
                    </div>
                    <div class="bank-field">
                        <label for="transfer-reference">{ "Reference" }</label>
                        <input id="transfer-reference" type="text" autocomplete="off"
                            value={form.reference.clone()} oninput={set(Field::Reference)} />
                    </div>
                    <p class="bank-tip">
                        { "Try it: change one digit of the IBAN, or paste a payee with hidden characters. Demo Bank refuses them before any phone sees them." }
                    </p>
                </form>
                <div class="bank-card">
                    // A change of the form starts the widget over (and cancels a session
                    // it waited on): what is confirmed is always what the form says.
                    <Widget session_url="/bank/transfer" session_body={body}
                        kind={Kind::Confirm} {on_approved} lang={Lang::from_browser()} />
                </div>
            </div>
            { outcome }
        </>
    }
}
