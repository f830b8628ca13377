//! A labelled input with an optional hint, the same on every form.
use yew::prelude::*;

use super::use_ctx;
use crate::i18n::T;

/// Props of a form field.
#[derive(Properties, PartialEq, Clone)]
pub struct Props {
    /// Element id (the end-to-end tests rely on it).
    pub id: AttrValue,
    /// Label text.
    pub label: T,
    /// A hint under the label.
    #[prop_or_default]
    pub hint: Option<T>,
    /// Input type.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// `autocomplete` value.
    #[prop_or(AttrValue::Static("off"))]
    pub autocomplete: AttrValue,
    /// Six-digit PIN field: numeric keyboard, at most six characters.
    #[prop_or_default]
    pub pin: bool,
    /// A code of this many digits: numeric keyboard, no length limit (a pasted code may
    /// hold spaces); `pin` is `digits = 6` with at most six characters.
    #[prop_or_default]
    pub digits: Option<u8>,
    /// The value, for an input whose text lives in a state (the wizard); `None` leaves it
    /// to the browser.
    #[prop_or_default]
    pub value: Option<AttrValue>,
    /// The id of an element that says more (a checklist), besides the hint.
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    /// The input's node, to read its value or focus it.
    #[prop_or_default]
    pub node: NodeRef,
    /// Called on every keystroke with the new value.
    #[prop_or_default]
    pub oninput: Option<Callback<InputEvent>>,
    /// Disabled while a request is on its way.
    #[prop_or_default]
    pub disabled: bool,
}

/// `<label>`, hint and `<input>`, wired with `for`/`aria-describedby`.
#[function_component]
pub fn Field(props: &Props) -> Html {
    let ctx = use_ctx();
    let hint_id = format!("{}-hint", props.id);
    let digits = if props.pin { Some(6) } else { props.digits };
    let (inputmode, pattern) = match digits {
        Some(n) => (Some("numeric"), Some(format!("[0-9]{{{n}}}"))),
        None => (None, None),
    };
    let maxlength = props.pin.then_some("6");
    let describedby = [
        props.hint.map(|_| hint_id.clone()),
        props.describedby.as_ref().map(|d| d.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ ctx.t(props.label) }</label>
            if let Some(hint) = props.hint {
                <p class="hint" id={hint_id.clone()}>{ ctx.t(hint) }</p>
            }
            <input id={props.id.clone()} name={props.id.clone()} type={props.kind.clone()}
                ref={props.node.clone()} autocomplete={props.autocomplete.clone()}
                {inputmode} {maxlength} {pattern} required=true disabled={props.disabled}
                value={props.value.clone()}
                aria-describedby={(!describedby.is_empty()).then_some(describedby)}
                autocapitalize="off" spellcheck="false"
                oninput={props.oninput.clone()} />
        </div>
    }
}
