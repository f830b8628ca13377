//! The Scan part of the activation form (flow C): the first mosaic, made for the user ID
//! typed, and the field for the Scan's answer.
use tessera_protocol::api::ScanChallenge;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::Field;
use super::mosaic::Mosaic;
use super::use_ctx;
use crate::api;
use crate::errors::FormError;
use crate::i18n::T;

/// Where the Scan part of the form stands (flow C, the first mosaic).
#[derive(Clone, PartialEq)]
pub enum ScanPart {
    /// No mosaic asked for yet.
    None,
    /// Asking the server for one.
    Loading,
    /// On screen, made for this user ID.
    Ready {
        challenge: ScanChallenge,
        user_id: String,
    },
    /// None could be shown, or the one shown can no longer be answered.
    Failed(FormError),
}

/// Asks the server for a first mosaic for the user ID typed.
pub fn start_scan(user_id: &str, part: UseStateHandle<ScanPart>) {
    let user_id = user_id.trim().to_string();
    if user_id.is_empty() {
        part.set(ScanPart::Failed(FormError::Local(T::UserIdFirst)));
        return;
    }
    part.set(ScanPart::Loading);
    spawn_local(async move {
        part.set(match api::scan_start(&user_id).await {
            Ok(challenge) => ScanPart::Ready { challenge, user_id },
            Err(failure) => ScanPart::Failed(FormError::Server(failure)),
        });
    });
}

/// Props of the Scan part.
#[derive(Properties, PartialEq)]
pub struct ScanProps {
    pub part: ScanPart,
    pub response: NodeRef,
    pub on_start: Callback<MouseEvent>,
    pub disabled: bool,
}

/// The Scan part: the mosaic (`#scan-mosaic`), the Scan's code (`#scan-response`), and
/// `#btn-scan-start` for the first or a new mosaic.
#[function_component]
pub fn ScanPartView(props: &ScanProps) -> Html {
    let ctx = use_ctx();
    let disabled = props.disabled;
    let start = |label: T, class: &'static str| {
        html! {
            <button id="btn-scan-start" type="button" {class} onclick={props.on_start.clone()} {disabled}>
                { ctx.t(label) }
            </button>
        }
    };
    let body = match &props.part {
        ScanPart::None => start(T::ScanStart, "primary"),
        ScanPart::Loading => html! {
            <p id="scan-status" class="waiting-inline" role="status">{ ctx.t(T::MosaicLoading) }</p>
        },
        ScanPart::Ready { challenge, .. } => html! {
            <>
                <Mosaic challenge={challenge.clone()} />
                <Field id="scan-response" label={T::ScanResponse} node={props.response.clone()}
                    digits={6} autocomplete="one-time-code" {disabled} />
                { start(T::ScanNew, "secondary") }
            </>
        },
        ScanPart::Failed(error) => html! {
            <>
                <div id="scan-error" class="error" role="alert">{ error.message(ctx.lang) }</div>
                { start(T::ScanNew, "secondary") }
            </>
        },
    };
    html! {
        <div id="scan-part" class="panel" aria-labelledby="scan-title">
            <h2 id="scan-title">{ ctx.t(T::MosaicTitle) }</h2>
            <p class="hint">{ ctx.t(T::ScanNoPassword) }</p>
            { body }
        </div>
    }
}
