//! The language picker: a labelled `<select>`.
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{Lang, Text, t};

/// Props of [`LangPicker`].
#[derive(Properties, PartialEq)]
pub struct LangPickerProps {
    /// The language shown.
    pub lang: Lang,
    /// Called with the language picked.
    pub on_change: Callback<Lang>,
}

/// A `<select id="tessera-lang">` with a visible label.
#[component]
pub fn LangPicker(props: &LangPickerProps) -> Html {
    let on_change = props.on_change.reform(|e: Event| {
        let tag = e.target_unchecked_into::<HtmlSelectElement>().value();
        Lang::from_tag(&tag)
    });
    html! {
        <div class="tessera-lang">
            <label for="tessera-lang">{ t(props.lang, Text::Language) }</label>
            <select id="tessera-lang" onchange={on_change}>
                { for Lang::ALL.into_iter().map(|l| html! {
                    <option value={l.tag()} lang={l.tag()} selected={l == props.lang}>{ l.name() }</option>
                }) }
            </select>
        </div>
    }
}
