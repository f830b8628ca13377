//! A request: who asks, from which website, for what; approve with the PIN or deny.
use std::rc::Rc;

use tessera_protocol::{
    Decision, Kind,
    api::{DeviceRequest, RespondRequest},
    assemble,
};
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field::Field;
use super::{use_autofocus, use_ctx};
use crate::approval::approval_signing_input;
use crate::errors::Failure;
use crate::i18n::{T, Texts};
use crate::pin::is_pin_shape;
use crate::state::{Action, Device, Outcome};
use crate::{api, keystore};

/// Props: the request and the device answering it.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the server sent.
    pub request: Rc<DeviceRequest>,
    /// This device.
    pub device: Rc<Device>,
}

/// Seconds until `expires_at`, updated every second.
#[hook]
fn use_seconds_left(expires_at: u64) -> u64 {
    let left = use_state(|| expires_at.saturating_sub(api::now_secs()));
    {
        let left = left.clone();
        use_effect_with(expires_at, move |&expires_at| {
            let tick = Closure::<dyn Fn()>::new(move || {
                left.set(expires_at.saturating_sub(api::now_secs()))
            });
            let window = web_sys::window();
            let id = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    tick.as_ref().unchecked_ref(),
                    1000,
                )
                .ok()
            });
            move || {
                if let (Some(w), Some(id)) = (window, id) {
                    w.clear_interval_with_handle(id);
                }
                drop(tick);
            }
        });
    }
    *left
}

/// Signs the answer with the device key and sends it.
async fn answer(
    request: &DeviceRequest,
    device: &Device,
    decision: Decision,
    pin: Option<String>,
) -> Result<(), Failure> {
    let input = approval_signing_input(request, device, decision, api::now_secs());
    let signature = keystore::sign(input.as_bytes()).await?;
    let approval = assemble(&input, &signature).map_err(|_| Failure::Key)?;
    api::respond(&request.session_id, &RespondRequest { approval, pin })
        .await
        .map(|_| ())
}

/// The request screen.
#[function_component]
pub fn RequestScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let pin_ref = use_autofocus();
    let error = use_state(|| None::<Result<Failure, T>>);
    let busy = use_state(|| false);
    let left = use_seconds_left(props.request.expires_at);
    let sid = props.request.session_id.clone();
    {
        let (dispatch, sid) = (ctx.dispatch.clone(), sid.clone());
        use_effect_with(left == 0, move |&expired| {
            if expired {
                dispatch.dispatch(Action::Answered {
                    session_id: sid,
                    outcome: Outcome::Closed,
                });
            }
        });
    }

    let send = {
        let (request, device, pin_ref) =
            (props.request.clone(), props.device.clone(), pin_ref.clone());
        let (error, busy, dispatch) = (error.clone(), busy.clone(), ctx.dispatch.clone());
        Callback::from(move |decision: Decision| {
            if *busy {
                return;
            }
            let input = pin_ref.cast::<HtmlInputElement>();
            let pin = input.as_ref().map(|i| i.value()).unwrap_or_default();
            if decision == Decision::Approve && !is_pin_shape(&pin) {
                error.set(Some(Err(T::ErrPinShape)));
                return;
            }
            busy.set(true);
            let pin = (decision == Decision::Approve).then_some(pin);
            let (request, device, error, busy, dispatch) = (
                request.clone(),
                device.clone(),
                error.clone(),
                busy.clone(),
                dispatch.clone(),
            );
            spawn_local(async move {
                let outcome = match answer(&request, &device, decision, pin).await {
                    Ok(()) if decision == Decision::Approve => Ok(Outcome::Approved),
                    Ok(()) => Ok(Outcome::Denied),
                    Err(failure) => failure.respond_outcome().ok_or(failure),
                };
                match outcome {
                    Ok(outcome) => dispatch.dispatch(Action::Answered {
                        session_id: request.session_id.clone(),
                        outcome,
                    }),
                    Err(failure) => {
                        if let Some(input) = input {
                            input.set_value("");
                            let _ = input.focus();
                        }
                        error.set(Some(Ok(failure)));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let onsubmit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(Decision::Approve);
        })
    };
    let on_deny = Callback::from(move |_| send.emit(Decision::Deny));

    let r = &props.request;
    let kind = match r.kind {
        Kind::Login => T::KindLogin,
        Kind::Confirm => T::KindConfirm,
        Kind::Sign => T::KindSign,
    };
    let message = (*error).as_ref().map(|e| match e {
        Ok(failure) => failure.message(ctx.lang),
        Err(key) => ctx.t(*key).to_string(),
    });
    let disabled = *busy;
    html! {
        <section id="request" class="screen" data-session={sid}>
            <p class="eyebrow">{ ctx.t(T::ReqFrom) }</p>
            <h1 id="req-partner">{ &r.partner_name }</h1>
            <p class="label" id="req-origin-label">{ ctx.t(T::ReqWebsite) }</p>
            <p id="req-origin" class="origin" aria-labelledby="req-origin-label">{ &r.origin }</p>
            <p class="hint">{ ctx.t(T::ReqCheck) }</p>
            <p class="label">{ ctx.t(T::ReqAsks) }</p>
            <p id="req-kind" class="kind">{ ctx.t(kind) }</p>
            <p id="req-countdown" class={classes!("countdown", (left <= 15).then_some("urgent"))}
                role="timer">{ ctx.lang.tn(T::ExpiresIn, left) }</p>
            // Screen readers hear the time left every ten seconds, not every second.
            <p class="sr-only" aria-live="polite" aria-atomic="true">
                { ctx.lang.tn(T::ExpiresIn, left.div_ceil(10) * 10) }</p>
            <form id="request-form" novalidate=true {onsubmit}>
                <Field id="req-pin" label={T::YourPin} kind="password" pin=true node={pin_ref}
                    autocomplete="off" {disabled} />
                <div id="form-error" class="error" role="alert" hidden={message.is_none()}>
                    { message.unwrap_or_default() }
                </div>
                <div class="actions">
                    <button id="btn-approve" type="submit" class="primary" {disabled}>{ ctx.t(T::Approve) }</button>
                    <button id="btn-deny" type="button" class="secondary" {disabled} onclick={on_deny}>{ ctx.t(T::Deny) }</button>
                </div>
            </form>
        </section>
    }
}
