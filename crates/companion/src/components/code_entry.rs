//! "Type a code" (issue 17): for someone who cannot scan the QR, the widget shows a short
//! code; typed here, it opens the very session it names, which the phone then shows and
//! signs (partner, origin, details) exactly as after a scan. One field, paste allowed
//! (WCAG 3.3.8), spaces, dashes and lower case accepted.
use tessera_protocol::access::normalize_short_code;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::Field;
use super::{alert_line, input_value, use_ctx};
use crate::api;
use crate::errors::Failure;
use crate::i18n::T;
use crate::state::Action;

/// What the server said about a code, in words for the person.
fn refusal(failure: &Failure) -> T {
    match failure.code() {
        "code_malformed" => T::CodeMalformed,
        "code_unknown" => T::CodeUnknown,
        "too_many_wrong_codes" => T::CodeTooMany,
        "session_closed" => T::CodeSessionTaken,
        _ if matches!(failure, Failure::Network) => T::ErrNetwork,
        _ => T::CodeUnknown,
    }
}

/// The form, ids `code-form`, `code-input`, `btn-code`, `code-error`.
#[function_component]
pub fn CodeEntry() -> Html {
    let ctx = use_ctx();
    let input = use_node_ref();
    let error = use_state_eq(|| None::<T>);
    let busy = use_state_eq(|| false);
    let onsubmit = {
        let (input, error, busy, dispatch) = (
            input.clone(),
            error.clone(),
            busy.clone(),
            ctx.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input_value(&input);
            if normalize_short_code(&typed).is_none() {
                return error.set(Some(T::CodeMalformed));
            }
            error.set(None);
            busy.set(true);
            let (error, busy, dispatch) = (error.clone(), busy.clone(), dispatch.clone());
            spawn_local(async move {
                match api::enter_code(&typed).await {
                    Ok(request) => dispatch.dispatch(Action::Opened(request)),
                    Err(failure) => error.set(Some(refusal(&failure))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="setting" aria-labelledby="code-title">
            <h2 id="code-title">{ ctx.t(T::CodeTitle) }</h2>
            <form id="code-form" novalidate=true {onsubmit}>
                <Field id="code-input" label={T::CodeLabel} hint={T::CodeHint} node={input}
                    autocomplete="one-time-code" disabled={*busy} />
                { alert_line("code-error", (*error).map(|t| ctx.t(t).to_owned())) }
                <button id="btn-code" type="submit" class="secondary" disabled={*busy}
                    aria-busy={busy.to_string()}>
                    { ctx.t(if *busy { T::Working } else { T::CodeOpen }) }
                </button>
            </form>
        </section>
    }
}
