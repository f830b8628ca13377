//! The screens (one per file) and the hooks they share.
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::{Lang, T, Texts};
use crate::state::State;

pub mod activate;
pub mod app;
pub mod certificate;
pub mod field;
pub mod home;
pub mod matching;
pub mod outcome;
pub mod request;
pub mod request_parts;
pub mod welcome;

/// What every screen needs: the language and the way to change the state.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    /// The interface language.
    pub lang: Lang,
    /// Sends actions to the state machine.
    pub dispatch: UseReducerDispatcher<State>,
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
        use_effect_with((), move |_| {
            if let Some(element) = node.cast::<HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    node
}

/// A form's error line (`#form-error`), announced when its text changes; hidden when
/// there is nothing to say.
pub fn error_line(message: Option<String>) -> Html {
    html! {
        <div id="form-error" class="error" role="alert" hidden={message.is_none()}>
            { message.unwrap_or_default() }
        </div>
    }
}
