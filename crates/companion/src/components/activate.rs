//! The activation form: user id, password, activation code, new PIN twice, device name.
use tessera_protocol::{
    api::{ActivationRequest, Credential, activation_message},
    b64_encode,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field::Field;
use super::{error_line, use_autofocus, use_ctx};
use crate::errors::{Failure, FormError};
use crate::i18n::T;
use crate::pin::{PinError, check_new_pin};
use crate::state::{Action, Device};
use crate::{api, keystore, storage};

fn value(node: &NodeRef) -> String {
    node.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Generates the device key, proves possession, and asks the server for a certificate.
async fn activate(
    user_id: String,
    password: String,
    code: String,
    pin: String,
    name: String,
) -> Result<Device, Failure> {
    let public_key = b64_encode(&keystore::generate().await?);
    let proof = b64_encode(&keystore::sign(&activation_message(&user_id, &public_key)).await?);
    let request = ActivationRequest {
        user_id: user_id.clone(),
        password,
        credential: Credential::ActivationCode(code),
        pin,
        device_name: name.clone(),
        public_key,
        proof,
        replace_device_id: None,
    };
    let activated = api::activate(&request).await?;
    Ok(Device {
        device_id: activated.device_id,
        user_id,
        name,
        certificates: activated.certificates,
    })
}

/// The form; on success the device is stored and the certificate details are shown.
#[function_component]
pub fn Activate() -> Html {
    let ctx = use_ctx();
    let user = use_autofocus();
    let password = use_node_ref();
    let code = use_node_ref();
    let pin = use_node_ref();
    let confirm = use_node_ref();
    let name = use_node_ref();
    let error = use_state(|| None::<FormError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (user, password, code, pin, confirm, name) = (
            user.clone(),
            password.clone(),
            code.clone(),
            pin.clone(),
            confirm.clone(),
            name.clone(),
        );
        let (error, busy, dispatch) = (error.clone(), busy.clone(), ctx.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let values = [&user, &password, &code, &pin, &confirm, &name].map(value);
            let [u, p, c, new_pin, again, n] = values;
            let local = if [&u, &p, &c, &n].iter().any(|v| v.trim().is_empty()) {
                Some(T::Required)
            } else {
                check_new_pin(&new_pin, &again).err().map(|e| match e {
                    PinError::Length => T::PinLength,
                    PinError::Trivial => T::PinTrivial,
                    PinError::Mismatch => T::PinMismatch,
                })
            };
            if let Some(key) = local {
                error.set(Some(FormError::Local(key)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (error, busy, dispatch) = (error.clone(), busy.clone(), dispatch.clone());
            spawn_local(async move {
                match activate(
                    u.trim().into(),
                    p,
                    c.trim().into(),
                    new_pin,
                    n.trim().into(),
                )
                .await
                {
                    Ok(device) => {
                        storage::save_device(&device);
                        dispatch.dispatch(Action::Activated(device));
                    }
                    Err(failure) => {
                        keystore::delete_key().await;
                        error.set(Some(FormError::Server(failure)));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let message = (*error).as_ref().map(|e| e.message(ctx.lang));
    let disabled = *busy;
    html! {
        <section id="activate" class="screen">
            <h1>{ ctx.t(T::ActTitle) }</h1>
            <p>{ ctx.t(T::ActIntro) }</p>
            <form id="activation-form" novalidate=true {onsubmit}>
                <Field id="act-user-id" label={T::UserId} node={user} autocomplete="username" {disabled} />
                <Field id="act-password" label={T::Password} kind="password" node={password}
                    autocomplete="current-password" {disabled} />
                <Field id="act-code" label={T::ActivationCode} hint={T::ActivationCodeHint} node={code}
                    autocomplete="one-time-code" {disabled} />
                <Field id="act-pin" label={T::NewPin} hint={T::PinHint} kind="password" pin=true node={pin} {disabled} />
                <Field id="act-pin-confirm" label={T::PinConfirm} kind="password" pin=true node={confirm} {disabled} />
                <Field id="act-device-name" label={T::DeviceName} hint={T::DeviceNameHint} node={name} {disabled} />
                { error_line(message) }
                <button id="act-submit" type="submit" class="primary" {disabled} aria-busy={disabled.to_string()}>
                    { ctx.t(if disabled { T::Working } else { T::Submit }) }
                </button>
            </form>
        </section>
    }
}
