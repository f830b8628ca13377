//! "Replace a device": the user has two devices already (the most there may be); they
//! pick, by name and last use, the one this browser replaces, and the activation request
//! goes again naming it. The server stops that device in the same transaction.
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::activate::send_activation;
use super::{error_line, use_autofocus, use_ctx};
use crate::errors::FormError;
use crate::i18n::T;
use crate::keystore;
use crate::lifecycle::{Replace, device_rows};
use crate::state::Action;

/// Props: the request to send again and the devices to choose from.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the server's `device_limit` answer listed.
    pub replace: Rc<Replace>,
}

/// The devices as radio buttons `#replace-<id>`, `#btn-replace` and `#btn-replace-cancel`.
#[function_component]
pub fn ReplaceScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let picked = use_state(|| None::<String>);
    let error = use_state(|| None::<FormError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (picked, error, busy) = (picked.clone(), error.clone(), busy.clone());
        let (replace, dispatch) = (props.replace.clone(), ctx.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let Some(device_id) = (*picked).clone() else {
                error.set(Some(FormError::Local(T::ReplacePick)));
                return;
            };
            error.set(None);
            busy.set(true);
            let request = replace.retry.replacing(&device_id);
            let (error, busy, dispatch) = (error.clone(), busy.clone(), dispatch.clone());
            spawn_local(async move {
                // The key stays: the user may pick again, or cancel.
                if let Err(failure) = send_activation(request, dispatch, None).await {
                    error.set(Some(FormError::Server(failure)));
                    busy.set(false);
                }
            });
        })
    };
    let on_cancel = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                keystore::delete_key().await;
                dispatch.dispatch(Action::CancelActivation);
            });
        })
    };

    let disabled = *busy;
    let rows = device_rows(&props.replace.devices, None, ctx.lang);
    let message = (*error).as_ref().map(|e| e.message(ctx.lang));
    html! {
        <section id="replace" class="screen">
            <h1 id="replace-title" tabindex="-1" ref={focus}>{ ctx.t(T::ReplaceTitle) }</h1>
            <p id="replace-text">{ ctx.t(T::ReplaceText) }</p>
            <form id="replace-form" novalidate=true {onsubmit}>
                <fieldset class="choices devices" aria-describedby="replace-text">
                    <legend>{ ctx.t(T::ReplaceLegend) }</legend>
                    { for rows.into_iter().map(|row| {
                        let id = format!("replace-{}", row.id);
                        let details = format!("{id}-details");
                        let onchange = {
                            let (picked, device_id) = (picked.clone(), row.id.clone());
                            Callback::from(move |_: Event| picked.set(Some(device_id.clone())))
                        };
                        html! {
                            <div class="choice device">
                                <input type="radio" name="replace" id={id.clone()} value={row.id.clone()}
                                    checked={picked.as_deref() == Some(row.id.as_str())}
                                    aria-describedby={details.clone()} {onchange} {disabled} />
                                <label for={id}>
                                    <strong class="device-name">{ row.name }</strong>
                                    <span id={details} class="device-facts">
                                        <span class="last-used">{ row.last_used }</span>
                                        <span>{ row.activated }</span>
                                        <span>{ row.status }</span>
                                    </span>
                                </label>
                            </div>
                        }
                    }) }
                </fieldset>
                { error_line(message) }
                <button id="btn-replace" type="submit" class="primary" {disabled} aria-busy={disabled.to_string()}>
                    { ctx.t(if disabled { T::Working } else { T::ReplaceButton }) }
                </button>
                <button id="btn-replace-cancel" type="button" class="secondary" onclick={on_cancel} {disabled}>
                    { ctx.t(T::Cancel) }
                </button>
            </form>
        </section>
    }
}
