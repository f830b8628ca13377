//! "You are offline" above every screen while the browser has no connection: the service
//! worker opens the app shell offline (issue 16), and without this the screens would only
//! fail one by one (no requests arrive, a scan cannot be opened).
use wasm_bindgen::{JsCast, closure::Closure};
use yew::prelude::*;

use super::use_ctx;
use crate::push::{self, P};

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The offline notice; nothing while online.
#[function_component]
pub fn OfflineNotice() -> Html {
    let ctx = use_ctx();
    let is_online = use_state(online);
    {
        let is_online = is_online.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || is_online.set(online()));
            let window = web_sys::window();
            if let Some(w) = &window {
                for event in ["online", "offline"] {
                    let _ = w
                        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(w) = window {
                    for event in ["online", "offline"] {
                        let _ = w.remove_event_listener_with_callback(
                            event,
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
            }
        });
    }
    // The live region is always there, so screen readers announce the change.
    html! {
        <p id="offline" class="notice" role="status">
            if !*is_online { { push::text(ctx.lang, P::Offline) } }
        </p>
    }
}
