//! The screens (one per file) and the hooks they share.
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::api;
use crate::i18n::{Lang, T, Texts};
use crate::state::State;

pub mod activate;
pub mod activate_restore;
pub mod activate_scan;
pub mod app;
pub mod backup;
pub mod certificate;
pub mod code_entry;
pub mod devices;
pub mod field;
pub mod home;
pub mod matching;
pub mod mosaic;
pub mod new_user;
pub mod newer;
pub mod notify;
pub mod offline;
pub mod offline_code;
pub mod offline_setting;
pub mod outcome;
pub mod pending;
pub mod replace;
pub mod request;
pub mod request_parts;
pub mod scan_confirm;
pub mod settings;
pub mod welcome;

/// What every screen needs: the language and the way to change the state.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    /// The interface language.
    pub lang: Lang,
    /// Sends actions to the state machine.
    pub dispatch: UseReducerDispatcher<State>,
    /// Changes (and remembers) the interface language.
    pub set_lang: Callback<Lang>,
}

impl Ctx {
    /// The text for `key` in the current language.
    pub fn t(&self, key: T) -> &'static str {
        self.lang.t(key)
    }
}

/// The app context; every screen is rendered inside its provider.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("screens are rendered inside the App's ContextProvider")
}

/// A node ref whose element gets the keyboard focus when the screen appears, so screen
/// readers and keyboards start at the first field or the heading.
#[hook]
pub fn use_autofocus() -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| focus(&node));
    }
    node
}

/// A form's error line (`#form-error`), announced when its text changes; hidden when
/// there is nothing to say.
pub fn error_line(message: Option<String>) -> Html {
    alert_line("form-error", message)
}

/// An error line with its own id, for a screen with more than one form.
pub fn alert_line(id: &'static str, message: Option<String>) -> Html {
    html! {
        <div {id} class="error" role="alert" hidden={message.is_none()}>
            { message.unwrap_or_default() }
        </div>
    }
}

/// The value of the input behind `node` (empty if it is not mounted).
pub fn input_value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Gives the keyboard focus to the element behind `node`, if it is mounted.
pub fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Waits a moment so the browser paints what was just rendered (a "Please wait…")
/// before a computation that holds the page's only thread (Argon2id).
pub async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Seconds until `expires_at`, updated every second.
#[hook]
pub fn use_seconds_left(expires_at: u64) -> u64 {
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

/// A screen that only says what is under way (`role=status`).
pub fn waiting(id: &'static str, text: &'static str) -> Html {
    html! {
        <section {id} class="screen" aria-busy="true">
            <p class="waiting" role="status">{ text }</p>
        </section>
    }
}
