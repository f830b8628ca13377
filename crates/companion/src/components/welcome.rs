//! The first screen of a browser that is not a device yet.
use yew::prelude::*;

use super::{use_autofocus, use_ctx};
use crate::i18n::T;
use crate::state::Action;

/// Title, what the app is for, and the button to activate.
#[function_component]
pub fn Welcome() -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let dispatch = ctx.dispatch.clone();
    let onclick = Callback::from(move |_| dispatch.dispatch(Action::BeginActivation));
    html! {
        <section id="welcome" class="screen">
            <h1>{ ctx.t(T::WelcomeTitle) }</h1>
            <p>{ ctx.t(T::WelcomeText) }</p>
            <button id="btn-activate" class="primary" ref={focus} {onclick}>{ ctx.t(T::ActivateDevice) }</button>
        </section>
    }
}
