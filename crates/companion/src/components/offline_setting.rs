//! "Set up offline codes" in Settings (issue 17): a device activated before offline codes
//! existed, or whose setup failed, derives its key with the PIN here (new activations do
//! it on their own).
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::Field;
use super::{alert_line, input_value, use_ctx};
use crate::i18n::{T, Texts};

/// The section `#offline-setting`: `#offline-setup-pin`, `#btn-offline-setup`,
/// `#offline-setup-error`, `#offline-setup-state`.
#[function_component]
pub fn OfflineSetting() -> Html {
    let ctx = use_ctx();
    let pin = use_node_ref();
    let busy = use_state_eq(|| false);
    let done = use_state_eq(|| false);
    let error = use_state_eq(|| None::<String>);
    let onsubmit = {
        let (pin, busy, done, error) = (pin.clone(), busy.clone(), done.clone(), error.clone());
        let lang = ctx.lang;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input_value(&pin);
            if !crate::pin::is_pin_shape(&typed) {
                error.set(Some(lang.t(T::ErrPinShape).to_owned()));
                return;
            }
            busy.set(true);
            let (busy, done, error) = (busy.clone(), done.clone(), error.clone());
            spawn_local(async move {
                match crate::offline_code::provision(typed).await {
                    Ok(()) => {
                        error.set(None);
                        done.set(true);
                    }
                    Err(failure) => error.set(Some(failure.message(lang))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section id="offline-setting" class="setting" aria-labelledby="offline-setup-title">
            <h2 id="offline-setup-title">{ ctx.t(T::OfflineSetup) }</h2>
            <form id="offline-setup-form" novalidate=true {onsubmit}>
                <Field id="offline-setup-pin" label={T::YourPin} hint={T::OfflineSetupHint}
                    kind="password" pin=true node={pin} autocomplete="off" disabled={*busy} />
                { alert_line("offline-setup-error", (*error).clone()) }
                <button id="btn-offline-setup" type="submit" class="secondary" disabled={*busy}
                    aria-busy={busy.to_string()}>
                    { ctx.t(if *busy { T::Working } else { T::OfflineSetup }) }
                </button>
            </form>
            <p id="offline-setup-state" class="notice" role="status">
                { if *done { ctx.t(T::OfflineSetupDone) } else { "" } }</p>
        </section>
    }
}
