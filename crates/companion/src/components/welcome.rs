//! The first screen of a browser that is not a device yet: the seed's two entries, NEW
//! USER (flow A) and LOG IN (flows B to E), and "Activate this device" for an account
//! already set up with an activation code.
use yew::prelude::*;

use super::{use_autofocus, use_ctx};
use crate::i18n::T;
use crate::lifecycle::Path;
use crate::state::Action;

/// `#btn-new-user`, `#btn-login` and `#btn-activate`.
#[function_component]
pub fn Welcome() -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let go = |action: Action| {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    html! {
        <section id="welcome" class="screen">
            <h1 id="welcome-title" tabindex="-1" ref={focus}>{ ctx.t(T::WelcomeTitle) }</h1>
            <p>{ ctx.t(T::WelcomeText) }</p>
            <div class="entry">
                <button id="btn-new-user" class="primary" aria-describedby="new-user-hint"
                    onclick={go(Action::NewUser)}>{ ctx.t(T::NewUser) }</button>
                <p id="new-user-hint" class="hint">{ ctx.t(T::NewUserHint) }</p>
            </div>
            <div class="entry">
                <button id="btn-login" class="primary" aria-describedby="login-hint"
                    onclick={go(Action::LogIn(None))}>{ ctx.t(T::LogIn) }</button>
                <p id="login-hint" class="hint">{ ctx.t(T::LogInHint) }</p>
            </div>
            <div class="entry entry-quiet">
                <p id="activate-hint" class="hint">{ ctx.t(T::ActivateAliasHint) }</p>
                <button id="btn-activate" class="secondary" aria-describedby="activate-hint"
                    onclick={go(Action::LogIn(Some(Path::Code)))}>{ ctx.t(T::ActivateDevice) }</button>
            </div>
        </section>
    }
}
