//! The certificate details: after activation and from the home menu.
use yew::prelude::*;

use super::{Ctx, use_autofocus, use_ctx};
use crate::certinfo::{CertView, format_date};
use crate::i18n::T;
use crate::state::Action;

/// The device certificate's subject, device id, serial, issuer, validity and fingerprint
/// as a list `#{id}`; a sentence (an alert) when none is stored.
pub fn cert_details(ctx: &Ctx, id: &'static str, certificates: &[String]) -> Html {
    let row = |label: T, value: String, class: &'static str| {
        html! {
            <div class="row"><dt>{ ctx.t(label) }</dt><dd class={class}>{ value }</dd></div>
        }
    };
    match CertView::from_chain(certificates) {
        Some(c) => html! {
            <dl {id}>
                { row(T::Subject, c.subject, "") }
                { row(T::DeviceId, c.device_id, "mono") }
                { row(T::Serial, c.serial, "mono") }
                { row(T::Issuer, c.issuer, "") }
                { row(T::ValidFrom, format_date(c.not_before, ctx.lang), "") }
                { row(T::ValidTo, format_date(c.not_after, ctx.lang), "") }
                { row(T::Fingerprint, c.fingerprint, "mono fingerprint") }
            </dl>
        },
        None => html! { <p {id} role="alert">{ ctx.t(T::CertMissing) }</p> },
    }
}

/// Props: the stored chain.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// `[device, issuer]` certificates as the server issued them.
    pub certificates: Vec<String>,
}

/// Subject, device id, serial, issuer, validity and fingerprint of the device certificate.
#[function_component]
pub fn Certificate(props: &Props) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let dispatch = ctx.dispatch.clone();
    let onclick = Callback::from(move |_| dispatch.dispatch(Action::Home));
    let details = cert_details(&ctx, "cert-details", &props.certificates);
    html! {
        <section id="certificate" class="screen">
            <h1 tabindex="-1" ref={focus}>{ ctx.t(T::CertTitle) }</h1>
            { details }
            <p class="hint">{ ctx.t(T::CertNote) }</p>
            if crate::biometrics::enabled() {
                <p id="cert-biometrics" class="notice">{ ctx.t(T::BiometricsOn) }</p>
            }
            <button id="btn-continue" class="primary" {onclick}>{ ctx.t(T::Continue) }</button>
        </section>
    }
}
