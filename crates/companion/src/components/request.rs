//! A request to check and answer: what it is ("Confirm a payment"), who asks and from
//! which website, the details big and plain, what location goes with it if the user shares
//! one, then biometrics (when on) or the PIN to approve; or deny, or "This wasn't me".
use std::future::Future;
use std::rc::Rc;

use tessera_protocol::{Decision, Kind, api::DeviceRequest};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field::Field;
use super::request_parts::{
    Proof, RequestHead, RequestProps, answer, deny_button, not_me, use_act,
};
use super::{error_line, use_autofocus, use_ctx};
use crate::biometrics;
use crate::errors::Failure;
use crate::geolocation::{Sharing, coarse_position};
use crate::i18n::{T, Texts};
use crate::pin::is_pin_shape;
use crate::state::{Device, Outcome};
use crate::storage;
use crate::view::{Row, detail_rows, title};

/// The request screen (`#request[data-step=pin]`).
#[function_component]
pub fn RequestScreen(props: &RequestProps) -> Html {
    let ctx = use_ctx();
    let act = use_act(&props.request.session_id);
    let r = &props.request;
    let rows = detail_rows(r, ctx.lang);
    // A login has nothing to read: the PIN field gets the focus. Details are read first,
    // from the title down, and the page does not scroll past the amount.
    let (focus, other) = (use_autofocus(), use_node_ref());
    let (title_ref, pin_ref) = if r.kind == Kind::Login && rows.is_some() {
        (other, focus)
    } else {
        (focus, other)
    };

    let sharing = use_sharing();

    let onsubmit = {
        let (act, request, device, pin_ref, sharing) = (
            act.clone(),
            props.request.clone(),
            props.device.clone(),
            pin_ref.clone(),
            sharing.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = pin_ref.cast::<HtmlInputElement>();
            let pin = input.as_ref().map(|i| i.value()).unwrap_or_default();
            if !is_pin_shape(&pin) {
                act.refuse(T::ErrPinShape);
                retry_pin(input.as_ref());
                return;
            }
            let approved = act.ended(Outcome::Approved);
            let call = approve(&request, &device, &sharing, Proof::Pin(pin));
            act.run(call, move |()| approved, move || retry_pin(input.as_ref()));
        })
    };
    // With biometrics on, the platform's prompt comes first; the PIN form stays below as
    // the fallback (a refused or cancelled prompt leaves the request open).
    let biometric = biometrics::enabled().then(|| {
        let busy = act.busy();
        let (act, request, device, sharing) = (
            act.clone(),
            props.request.clone(),
            props.device.clone(),
            sharing.clone(),
        );
        let onclick = Callback::from(move |_: MouseEvent| {
            let approved = act.ended(Outcome::Approved);
            let call = approve(&request, &device, &sharing, Proof::Biometric);
            act.run(call, move |()| approved, || ());
        });
        html! {
            <>
                <button id="btn-approve-biometric" type="button" class="primary"
                    disabled={busy} {onclick}>{ ctx.t(T::ApproveBiometric) }</button>
                <p id="or-pin" class="hint">{ ctx.t(T::OrPin) }</p>
            </>
        }
    });

    let disabled = act.busy();
    let deny = deny_button(&ctx, &act, r, &props.device);
    let body = match rows {
        // Details that cannot be shown safely are not shown, and cannot be approved.
        None => html! {
            <>
                <p id="req-unsafe" class="error" role="alert">{ ctx.t(T::ReqUnsafe) }</p>
                <RequestHead request={r.clone()} />
                { error_line(act.message(ctx.lang)) }
                <div class="actions">{ deny }</div>
            </>
        },
        Some(rows) => html! {
            <>
                if !rows.is_empty() {
                    <dl id="req-details" class="details" aria-label={ctx.t(T::DetailsLabel)}>
                        { for rows.iter().map(|row| detail(&ctx, row)) }
                    </dl>
                    <p class="hint">{ ctx.t(if r.kind == Kind::Sign { T::FingerprintHint } else { T::ReqCheckDetails }) }</p>
                }
                <RequestHead request={r.clone()} />
                { sharing_line(&ctx, *sharing) }
                { for biometric }
                <form id="request-form" novalidate=true {onsubmit}>
                    <Field id="req-pin" label={T::YourPin} kind="password" pin=true node={pin_ref}
                        autocomplete="off" {disabled} />
                    { error_line(act.message(ctx.lang)) }
                    <div class="actions">
                        <button id="btn-approve" type="submit" class="primary" {disabled}>{ ctx.t(T::Approve) }</button>
                        { deny }
                    </div>
                </form>
            </>
        },
    };
    html! {
        <section id="request" class="screen" data-step="pin"
            data-session={r.session_id.clone()} data-kind={r.kind.as_str()}>
            <h1 id="req-title" tabindex="-1" ref={title_ref}>{ title(r, ctx.lang) }</h1>
            { body }
            { not_me(&ctx, &act, r) }
        </section>
    }
}

/// Approves `request` with `proof` and the location the user shares, if any.
fn approve(
    request: &Rc<DeviceRequest>,
    device: &Rc<Device>,
    sharing: &UseStateHandle<Sharing>,
    proof: Proof,
) -> impl Future<Output = Result<(), Failure>> + 'static {
    let (request, device, sharing) = (request.clone(), device.clone(), sharing.clone());
    async move {
        // Approved before the first reading came back: ask again (the browser answers
        // from the same reading) and show what goes.
        let shared = match *sharing {
            Sharing::Asking => {
                let now = coarse_position().await;
                sharing.set(now);
                now
            }
            shown => shown,
        };
        answer(request, device, Decision::Approve, proof, shared.location()).await
    }
}

/// Clears the PIN field and puts the keyboard back in it. It is enabled here, before the
/// re-render that would enable it anyway: a disabled field cannot take the focus.
fn retry_pin(input: Option<&HtmlInputElement>) {
    if let Some(input) = input {
        input.set_value("");
        input.set_disabled(false);
        let _ = input.focus();
    }
}

/// One line of the details: label, then the value.
pub(super) fn detail(ctx: &super::Ctx, row: &Row) -> Html {
    html! {
        <div class="row">
            <dt>{ ctx.t(row.label) }</dt>
            <dd id={row.id} class={row.class}>{ &row.value }</dd>
        </div>
    }
}

/// What sharing the location comes to for this request: `Off` if the user did not turn it
/// on; otherwise one reading, asked for as the request opens, so the user sees what goes
/// before approving.
#[hook]
fn use_sharing() -> UseStateHandle<Sharing> {
    let sharing = use_state(|| {
        if storage::load_geolocation() {
            Sharing::Asking
        } else {
            Sharing::Off
        }
    });
    {
        let sharing = sharing.clone();
        use_effect_with((), move |_| {
            if *sharing == Sharing::Asking {
                spawn_local(async move { sharing.set(coarse_position().await) });
            }
        });
    }
    sharing
}

/// `#req-location[data-state=asking|shared|unavailable]`, a polite live region: what
/// location goes with the approval. Nothing when the user does not share one.
fn sharing_line(ctx: &super::Ctx, sharing: Sharing) -> Html {
    let (state, text) = match sharing {
        Sharing::Off => return html! {},
        Sharing::Asking => ("asking", ctx.t(T::ReqLocAsking).to_owned()),
        Sharing::Shared(location) => ("shared", ctx.lang.tn(T::ReqLocShared, location)),
        Sharing::Unavailable => ("unavailable", ctx.t(T::ReqLocUnavailable).to_owned()),
    };
    html! {
        <p id="req-location" class="hint location" data-state={state} role="status"
            aria-live="polite">{ text }</p>
    }
}
