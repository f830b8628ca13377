//! The offline code screen (issue 17): the phone has no network and opened the widget's
//! offline QR. It shows what is asked exactly as a request (who, which website, the
//! details), takes the PIN, and shows the 8 digits to type on the website. Nothing is
//! sent: the code is computed here, and only the server can tell whether it is right.
use std::rc::Rc;

use tessera_protocol::{api::DeviceRequest, offline::OfflineChallenge};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::Field;
use super::request::detail;
use super::{alert_line, input_value, use_autofocus, use_ctx};
use crate::i18n::T;
use crate::pin::is_pin_shape;
use crate::state::Action;
use crate::view::{detail_rows, title};

/// Props: the challenge the QR carried.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// As read from the link, its details checked.
    pub challenge: Rc<OfflineChallenge>,
}

/// The challenge as a request, to show it with the request screen's own words.
fn as_request(c: &OfflineChallenge) -> DeviceRequest {
    DeviceRequest {
        session_id: c.session_id.clone(),
        nonce: c.nonce.clone(),
        partner_id: c.partner_id.clone(),
        partner_name: c.partner_id.clone(),
        origin: c.origin.clone(),
        kind: c.kind,
        details: c.details.clone(),
        number_choices: None,
        binding_message: None,
        expires_at: 0,
    }
}

/// The screen, `#offline`: `#offline-pin`, `#btn-offline-code`, then `#offline-code`.
#[function_component]
pub fn OfflineCodeScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let heading = use_autofocus();
    let pin = use_node_ref();
    let code = use_state_eq(|| None::<String>);
    let error = use_state_eq(|| None::<T>);
    let request = as_request(&props.challenge);
    // The link's details were checked when it was read; should they still not be
    // showable, no code is offered for them (fail closed, like the request screen).
    let rows = detail_rows(&request, ctx.lang);
    let safe = rows.is_some();
    let rows = rows.unwrap_or_default();
    let onsubmit = {
        let (pin, code, error, challenge) = (
            pin.clone(),
            code.clone(),
            error.clone(),
            props.challenge.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input_value(&pin);
            if !is_pin_shape(&typed) {
                return error.set(Some(T::ErrPinShape));
            }
            error.set(None);
            let (code, error, challenge) = (code.clone(), error.clone(), challenge.clone());
            spawn_local(async move {
                match crate::offline_code::code(&challenge, &typed).await {
                    Ok(digits) => code.set(Some(digits)),
                    Err(_) => error.set(Some(T::OfflineNoKey)),
                }
            });
        })
    };
    let dispatch = ctx.dispatch.clone();
    let on_done = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Home));
    let c = &props.challenge;
    html! {
        <section id="offline" class="screen">
            <h1 tabindex="-1" ref={heading}>{ title(&request, ctx.lang) }</h1>
            <p class="hint">{ ctx.t(T::OfflineIntro) }</p>
            <dl class="asker">
                <div class="row"><dt>{ ctx.t(T::ReqFrom) }</dt>
                    <dd id="offline-partner" class="partner">{ &c.partner_id }</dd></div>
                <div class="row"><dt>{ ctx.t(T::ReqWebsite) }</dt>
                    <dd id="offline-origin" class="origin">{ &c.origin }</dd></div>
            </dl>
            if !rows.is_empty() {
                <dl id="req-details" class="details" aria-label={ctx.t(T::DetailsLabel)}>
                    { for rows.iter().map(|row| detail(&ctx, row)) }
                </dl>
            }
            if let Some(digits) = &*code {
                <div class="offline-code" role="status">
                    <p id="offline-code-label">{ ctx.t(T::OfflineCodeLabel) }</p>
                    <p id="offline-code" class="code" data-code={digits.clone()}
                        aria-describedby="offline-code-label">
                        { format!("{} {}", &digits[..4], &digits[4..]) }
                    </p>
                </div>
                <div class="actions">
                    <button id="btn-offline-done" class="secondary" onclick={on_done}>{ ctx.t(T::BackHome) }</button>
                </div>
            } else if !safe {
                <p id="offline-unsafe" class="error" role="alert">{ ctx.t(T::ReqUnsafe) }</p>
            } else {
                <form id="offline-form" novalidate=true {onsubmit}>
                    <Field id="offline-pin" label={T::YourPin} kind="password" pin=true node={pin}
                        autocomplete="off" />
                    { alert_line("offline-error", (*error).map(|t| ctx.t(t).to_owned())) }
                    <div class="actions">
                        <button id="btn-offline-code" type="submit" class="primary">{ ctx.t(T::OfflineShow) }</button>
                    </div>
                </form>
            }
        </section>
    }
}
