//! The Scan's second mosaic (flow C, step 8): made by the server from this device's new
//! key, so the code the user's Scan shows for it vouches for exactly this key. The answer
//! activates the device; an expired or used mosaic means starting again. A reload comes
//! back here: the app keeps the mosaic (never the PIN) until the activation ends.
use std::rc::Rc;

use tessera_protocol::api::ScanConfirm;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::activate::finish;
use super::field::Field;
use super::mosaic::Mosaic;
use super::{error_line, input_value, use_autofocus, use_ctx};
use crate::errors::FormError;
use crate::i18n::T;
use crate::lifecycle::{ScanSecond, scan_response};
use crate::state::Action;
use crate::{api, keystore, storage};

/// Props: the second mosaic and for whom.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the server answered to the first mosaic.
    pub second: Rc<ScanSecond>,
}

/// `#scan-confirm`: the mosaic, `#scan-response`, `#btn-next`; `#btn-start-again`.
#[function_component]
pub fn ScanConfirmScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let heading = use_autofocus();
    let response = use_node_ref();
    let error = use_state(|| None::<FormError>);
    let gone = use_state(|| false);
    let busy = use_state(|| false);

    let onsubmit = {
        let (response, error, gone, busy) =
            (response.clone(), error.clone(), gone.clone(), busy.clone());
        let (second, dispatch) = (props.second.clone(), ctx.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy || *gone {
                return;
            }
            let confirm = match scan_response(&input_value(&response)) {
                Ok(code) => ScanConfirm {
                    challenge_id: second.challenge.challenge_id.clone(),
                    response: code,
                },
                Err(t) => {
                    error.set(Some(FormError::Local(t)));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (error, gone, busy) = (error.clone(), gone.clone(), busy.clone());
            let (second, dispatch) = (second.clone(), dispatch.clone());
            spawn_local(async move {
                match api::scan_confirm(&confirm).await {
                    Ok(activated) => finish(
                        &dispatch,
                        activated,
                        second.user_id.clone(),
                        second.device_name.clone(),
                    ),
                    Err(failure) => {
                        gone.set(failure.scan_gone());
                        error.set(Some(FormError::Server(failure)));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let on_restart = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                storage::clear_scan_second();
                keystore::delete_key().await;
                dispatch.dispatch(Action::LogIn(None));
            });
        })
    };

    let disabled = *busy;
    let message = (*error).as_ref().map(|e| e.message(ctx.lang));
    let restart_class = if *gone { "primary" } else { "secondary" };
    html! {
        <section id="scan-confirm" class="screen">
            <h1 id="scan-confirm-title" tabindex="-1" ref={heading}>{ ctx.t(T::ScanSecondTitle) }</h1>
            <p id="scan-confirm-text">{ ctx.t(T::ScanSecondText) }</p>
            <form id="scan-confirm-form" novalidate=true {onsubmit}>
                <Mosaic challenge={props.second.challenge.clone()} />
                if !*gone {
                    <Field id="scan-response" label={T::ScanResponse} node={response} digits={6}
                        autocomplete="one-time-code" {disabled} />
                }
                { error_line(message) }
                if !*gone {
                    <button id="btn-next" type="submit" class="primary" {disabled} aria-busy={disabled.to_string()}>
                        { ctx.t(if disabled { T::Working } else { T::Next }) }
                    </button>
                }
                <button id="btn-start-again" type="button" class={restart_class} onclick={on_restart} {disabled}>
                    { ctx.t(T::StartAgain) }
                </button>
            </form>
        </section>
    }
}
