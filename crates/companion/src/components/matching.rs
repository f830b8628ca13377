//! Number matching for a pushed request: the website shows a two-digit number, the phone
//! offers three, and only the right one leads on to the details and the PIN. A wrong pick
//! makes the server cancel the request (the push may not be the user's own doing).
use yew::prelude::*;

use super::request_parts::{RequestHead, RequestProps, deny_button, not_me, use_act};
use super::{error_line, use_autofocus, use_ctx};
use crate::api;
use crate::i18n::T;
use crate::state::Action;
use crate::view::{number_buttons, title};

/// The number screen (`#request[data-step=number]`): `#number-<n>` buttons in the
/// server's order, then who asks, "No, I don't approve" and "This wasn't me".
#[function_component]
pub fn MatchScreen(props: &RequestProps) -> Html {
    let ctx = use_ctx();
    let act = use_act(&props.request.session_id);
    // The heading, not a number, gets the focus: nothing is picked by a stray Enter.
    let focus = use_autofocus();
    let r = &props.request;
    let disabled = act.busy();
    let buttons = number_buttons(r.number_choices.as_deref().unwrap_or_default())
        .into_iter()
        .map(|(id, number)| {
            let (act, session_id) = (act.clone(), r.session_id.clone());
            let onclick = Callback::from(move |_| {
                let session_id = session_id.clone();
                act.run(
                    async move { api::match_number(&session_id, number).await },
                    Action::Matched,
                    || (),
                );
            });
            html! {
                <button {id} type="button" class="number" {disabled} {onclick}>{ number }</button>
            }
        });
    html! {
        <section id="request" class="screen" data-step="number"
            data-session={r.session_id.clone()} data-kind={r.kind.as_str()}>
            <p class="eyebrow" id="match-kind">{ title(r, ctx.lang) }</p>
            <h1 id="match-title" tabindex="-1" ref={focus}>{ ctx.t(T::PickNumber) }</h1>
            <p class="hint" id="match-hint">{ ctx.t(T::PickNumberHint) }</p>
            <div id="numbers" class="numbers" role="group" aria-labelledby="match-title"
                aria-describedby="match-hint">
                { for buttons }
            </div>
            { error_line(act.message(ctx.lang)) }
            <RequestHead request={r.clone()} />
            <div class="actions">{ deny_button(&ctx, &act, r, &props.device) }</div>
            { not_me(&ctx, &act, r) }
        </section>
    }
}
