//! The language picker: a labelled `<select>` of the four languages.
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::Lang;

/// Props of [`LangPicker`].
#[derive(Properties, PartialEq)]
pub struct LangPickerProps {
    /// The language shown.
    pub lang: Lang,
    /// The visible label, in `lang` ("Language", "Langue", …).
    pub label: AttrValue,
    /// The `<select>`'s id (the label points at it).
    pub id: AttrValue,
    /// The class of the wrapping `<div>`.
    pub class: AttrValue,
    /// Called with the language picked.
    pub on_change: Callback<Lang>,
}

/// `<div class><label for=id>label</label><select id>…</select></div>`.
#[component]
pub fn LangPicker(props: &LangPickerProps) -> Html {
    let on_change = props
        .on_change
        .reform(|e: Event| Lang::from_tag(&e.target_unchecked_into::<HtmlSelectElement>().value()));
    html! {
        <div class={props.class.clone()}>
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <select id={props.id.clone()} onchange={on_change}>
                { for Lang::ALL.into_iter().map(|l| html! {
                    <option value={l.tag()} lang={l.tag()} selected={l == props.lang}>{ l.name() }</option>
                }) }
            </select>
        </div>
    }
}
