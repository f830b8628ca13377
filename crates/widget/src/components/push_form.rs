//! "Send to my phone": the user id form for a push instead of a scan.
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::{
    i18n::{Lang, Text, t},
    state::Push,
};

/// Props of [`PushForm`].
#[derive(Properties, PartialEq)]
pub struct PushFormProps {
    /// The language.
    pub lang: Lang,
    /// How the last push went.
    pub push: Push,
    /// Called with the user id to push to.
    pub on_send: Callback<String>,
}

/// The form: label, input `tessera-user-id`, button `tessera-push`, and its outcome.
#[component]
pub fn PushForm(props: &PushFormProps) -> Html {
    let input = use_node_ref();
    let onsubmit = {
        let (input, on_send) = (input.clone(), props.on_send.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let user_id = field.value().trim().to_owned();
                if !user_id.is_empty() {
                    on_send.emit(user_id);
                }
            }
        })
    };
    let lang = props.lang;
    let sending = props.push == Push::Sending;
    let note = match props.push {
        Push::Sent(_) => {
            html! { <p class="tessera-note" id="tessera-push-note">{ t(lang, Text::PushDone) }</p> }
        }
        Push::Failed => html! {
            <p class="tessera-note tessera-note--bad" id="tessera-push-note">{ t(lang, Text::PushFailed) }</p>
        },
        _ => html! {},
    };
    html! {
        <form class="tessera-push" {onsubmit}>
            <p class="tessera-or">{ t(lang, Text::Or) }</p>
            <label for="tessera-user-id">{ t(lang, Text::UserId) }</label>
            <div class="tessera-push__row">
                <input id="tessera-user-id" ref={input} type="text" name="user_id"
                    autocomplete="username" autocapitalize="none" spellcheck="false" required=true />
                <button id="tessera-push" type="submit" class="tessera-btn" disabled={sending}>
                    { t(lang, if sending { Text::Sending } else { Text::SendPush }) }
                </button>
            </div>
            { note }
        </form>
    }
}
