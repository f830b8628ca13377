//! The language picker shown on every screen.
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::use_ctx;
use crate::i18n::{Lang, T};

/// Props: what to do when the user picks a language.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Called with the picked language.
    pub on_change: Callback<Lang>,
}

/// A labelled `<select>` of the four languages.
#[function_component]
pub fn LangPicker(props: &Props) -> Html {
    let ctx = use_ctx();
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        let code = e.target_unchecked_into::<HtmlSelectElement>().value();
        on_change.emit(Lang::from_tag(&code));
    });
    html! {
        <div class="lang">
            <label for="lang-select">{ ctx.t(T::Language) }</label>
            <select id="lang-select" {onchange}>
                { for Lang::ALL.iter().map(|l| html! {
                    <option value={l.code()} lang={l.code()} selected={*l == ctx.lang}>{ l.native_name() }</option>
                }) }
            </select>
        </div>
    }
}
