//! A restore or a Token activation waits for its SMS link (flows E step 7, B step 8); and the short wait while the link
//! is being confirmed.
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{use_autofocus, use_ctx, waiting};
use crate::certinfo::format_date;
use crate::i18n::{T, Texts};
use crate::lifecycle::PendingActivation;
use crate::state::{Action, State};
use crate::{api, keystore, storage};

/// Props: the pending restore.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What the server answered, and for whom.
    pub pending: Rc<PendingActivation>,
}

/// "Start again": forgets the activation that waits (and its key) and opens LOG IN.
pub fn start_again(dispatch: &UseReducerDispatcher<State>) -> Callback<MouseEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |_: MouseEvent| {
        let dispatch = dispatch.clone();
        spawn_local(async move {
            storage::clear_pending();
            keystore::delete_key().await;
            dispatch.dispatch(Action::LogIn(None));
        });
    })
}

/// Where the SMS went and until when its link works; "Start again" forgets this restore
/// (and its key).
#[function_component]
pub fn PendingScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let pending = &props.pending;
    let expired = pending.expired(api::now_secs());
    let on_restart = start_again(&ctx.dispatch);
    let class = if expired { "primary" } else { "secondary" };
    html! {
        <section id="pending" class="screen" data-expired={expired.to_string()}>
            <div class="badge" aria-hidden="true">{ "✉" }</div>
            <h1 id="pending-title" tabindex="-1" ref={focus}>{ ctx.t(T::PendingTitle) }</h1>
            <p id="pending-text">{ ctx.lang.tn(T::PendingText, &pending.phone_hint) }</p>
            if expired {
                <p id="pending-expired" class="error" role="alert">{ ctx.t(T::PendingExpired) }</p>
            } else {
                <p id="pending-until">
                    { ctx.lang.tn(T::PendingUntil, format_date(pending.expires_at, ctx.lang)) }
                </p>
                <p class="hint">{ ctx.t(T::PendingNoSms) }</p>
            }
            <button id="btn-start-again" {class} onclick={on_restart}>{ ctx.t(T::StartAgain) }</button>
        </section>
    }
}

/// While the SMS link is being confirmed.
#[function_component]
pub fn ConfirmingScreen() -> Html {
    waiting("confirming", use_ctx().t(T::Finishing))
}
