//! The activation form, as the seed's LOG IN: user ID and password, then how this device
//! is added — the user's Token (flow B), their Scan (flow C: a mosaic, no password), the
//! activation code, a backup file (flow E, opened here with the password and confirmed)
//! or, at the bottom, the helpdesk's security code after a lost device (flow D) — then the
//! new PIN twice and the device name. What the server answers decides the next screen:
//! the certificate, the device to replace, the wait for the SMS link (Token, backup) or
//! the second mosaic (Scan).
use std::rc::Rc;

use tessera_protocol::{
    api::{Activated, ActivationRequest, Credential, NewUserSetup, activation_message},
    b64_encode,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::activate_restore::{Restore, RestorePart, open_file};
use super::activate_scan::{ScanPart, ScanPartView, start_scan};
use super::field::Field;
use super::{error_line, focus, input_value, use_autofocus, use_ctx};
use crate::errors::{Failure, FormError};
use crate::i18n::{Lang, T};
use crate::lifecycle::{
    ActivationAnswer, Path, PendingActivation, Replace, Retry, ScanSecond, scan_response,
    security_code, token_code,
};
use crate::pin::{PinError, check_new_pin};
use crate::state::{Action, Device, State};
use crate::{api, keystore, storage};

/// What a new activation request carries besides the key and its proof.
pub struct Draft {
    /// User id.
    pub user_id: String,
    /// The password (empty for a Scan).
    pub password: String,
    /// What proves the user may add a device.
    pub credential: Credential,
    /// The new PIN.
    pub pin: String,
    /// The device's name.
    pub device_name: String,
    /// A new user's setup (flow A).
    pub setup: Option<NewUserSetup>,
}

/// Generates the device key and proves possession of it: the request to send.
pub async fn new_request(draft: Draft) -> Result<ActivationRequest, Failure> {
    let Draft {
        user_id,
        password,
        credential,
        pin,
        device_name,
        setup,
    } = draft;
    let public_key = b64_encode(&keystore::generate().await?);
    let proof = b64_encode(&keystore::sign(&activation_message(&user_id, &public_key)).await?);
    Ok(ActivationRequest {
        user_id,
        password,
        credential,
        pin,
        device_name,
        public_key,
        proof,
        replace_device_id: None,
        setup,
    })
}

/// Sends an activation request (from the form, the wizard, or again from the replace
/// screen) and moves on: stores the device and shows the certificate, stores the pending
/// activation and shows the wait for the SMS, shows the Scan's second mosaic, or asks
/// which device to replace (the key stays for the retry). An error is left to the caller.
pub async fn send_activation(
    request: ActivationRequest,
    dispatch: UseReducerDispatcher<State>,
    biometrics_pin: Option<String>,
) -> Result<(), Failure> {
    match api::activate(&request).await? {
        ActivationAnswer::Activated(activated) => {
            // Flow A's biometrics step: now that the device exists, its PIN confirms
            // them. A refusal or a cancelled prompt is no reason to fail the activation:
            // the certificate screen says whether they are on; Settings can retry.
            if let Some(pin) = biometrics_pin {
                let _ = crate::biometrics::enable(pin).await;
            }
            // The offline code's key, derived with the PIN just chosen (issue 17). A
            // failure leaves offline codes off; Settings can set them up later.
            let _ = crate::offline_code::provision(request.pin.clone()).await;
            finish(&dispatch, activated, request.user_id, request.device_name)
        }
        ActivationAnswer::Pending(pending) => {
            let pending = PendingActivation::new(&request, pending);
            storage::save_pending(&pending);
            dispatch.dispatch(Action::ActivationPending(pending));
        }
        ActivationAnswer::Scan(challenge) => {
            let second = ScanSecond::new(&request, challenge);
            storage::save_scan_second(&second);
            dispatch.dispatch(Action::ScanSecond(second));
        }
        ActivationAnswer::Replace(devices) => {
            dispatch.dispatch(Action::NeedsReplacement(Replace {
                retry: Retry(Rc::new(request)),
                devices,
            }));
        }
    }
    Ok(())
}

/// Stores the device the server activated (forgetting any restore that waited) and
/// shows its certificate details.
pub fn finish(
    dispatch: &UseReducerDispatcher<State>,
    activated: Activated,
    user_id: String,
    name: String,
) {
    let device = Device {
        device_id: activated.device_id,
        user_id,
        name,
        certificates: activated.certificates,
    };
    storage::save_device(&device);
    storage::clear_pending();
    storage::clear_scan_second();
    dispatch.dispatch(Action::Activated(device));
}

/// The credential the chosen way carries, or what is missing.
fn credential(
    path: Path,
    typed: &str,
    restore: &Restore,
    scan: &ScanPart,
    user_id: &str,
) -> Result<Credential, FormError> {
    let local = FormError::Local;
    match path {
        Path::Code if typed.trim().is_empty() => Err(local(T::Required)),
        Path::Code => Ok(Credential::ActivationCode(typed.trim().into())),
        Path::Token => token_code(typed).map(Credential::Token).map_err(local),
        Path::LostDevice => security_code(typed)
            .map(Credential::SecurityCode)
            .map_err(local),
        Path::Restore => match restore {
            Restore::Confirmed(c) => Ok(Credential::Backup(c.restore_secret.clone())),
            _ => Err(local(T::RestoreFirst)),
        },
        Path::Scan => match scan {
            ScanPart::Ready {
                challenge,
                user_id: made_for,
            } if made_for == user_id.trim() => scan_response(typed)
                .map(|response| Credential::Scan {
                    challenge_id: challenge.challenge_id.clone(),
                    response,
                })
                .map_err(local),
            ScanPart::Ready { .. } => Err(local(T::ScanOtherUser)),
            _ => Err(local(T::ScanFirst)),
        },
    }
}

/// The PIN rules' sentence.
pub fn pin_text(error: PinError) -> T {
    match error {
        PinError::Length => T::PinLength,
        PinError::Trivial => T::PinTrivial,
        PinError::Mismatch => T::PinMismatch,
    }
}

/// Props of the form.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The way chosen when the form opens (`None` on LOG IN: the user picks).
    #[prop_or_default]
    pub initial: Option<Path>,
}

/// The form; see the module documentation.
#[function_component]
pub fn Activate(props: &Props) -> Html {
    let ctx = use_ctx();
    let user = use_autofocus();
    let password = use_node_ref();
    let code = use_node_ref();
    let file = use_node_ref();
    let preview = use_node_ref();
    let pin = use_node_ref();
    let confirm = use_node_ref();
    let name = use_node_ref();
    let path = use_state(|| props.initial);
    let restore = use_state(|| Restore::None);
    let scan = use_state(|| ScanPart::None);
    let error = use_state(|| None::<FormError>);
    let busy = use_state(|| false);

    // An opened backup is read from its heading; a confirmed one moves on to the PIN,
    // with the backed-up device's name offered for this one.
    {
        let (preview, pin, name) = (preview.clone(), pin.clone(), name.clone());
        use_effect_with((*restore).clone(), move |restore| match restore {
            Restore::Opened(_) => focus(&preview),
            Restore::Confirmed(contents) => {
                if let Some(input) = name.cast::<HtmlInputElement>()
                    && input.value().is_empty()
                {
                    input.set_value(&contents.device_name);
                }
                focus(&pin);
            }
            _ => {}
        });
    }

    let on_path = |picked: Path| {
        let (path, restore, error) = (path.clone(), restore.clone(), error.clone());
        let (scan, user) = (scan.clone(), user.clone());
        Callback::from(move |_: Event| {
            path.set(Some(picked));
            restore.set(Restore::None);
            error.set(None);
            // The Scan's first mosaic comes at once when the user ID is there.
            let typed = input_value(&user);
            if picked == Path::Scan && *scan == ScanPart::None && !typed.trim().is_empty() {
                start_scan(&typed, scan.clone());
            }
        })
    };
    let on_scan_start = {
        let (scan, user) = (scan.clone(), user.clone());
        Callback::from(move |_: MouseEvent| start_scan(&input_value(&user), scan.clone()))
    };
    let open = {
        let (file, password, user, restore) = (
            file.clone(),
            password.clone(),
            user.clone(),
            restore.clone(),
        );
        Callback::from(move |()| {
            open_file(
                &file,
                input_value(&password),
                input_value(&user),
                restore.clone(),
            )
        })
    };
    let on_file = open.reform(|_: Event| ());
    let on_retry = open.reform(|_: MouseEvent| ());
    let on_confirm = {
        let (restore, set_lang) = (restore.clone(), ctx.set_lang.clone());
        Callback::from(move |_: MouseEvent| {
            if let Restore::Opened(contents) = &*restore {
                set_lang.emit(Lang::from_tag(&contents.lang));
                restore.set(Restore::Confirmed(contents.clone()));
            }
        })
    };

    let onsubmit = {
        let nodes = [&user, &password, &code, &pin, &confirm, &name].map(Clone::clone);
        let (path, restore, scan) = (path.clone(), restore.clone(), scan.clone());
        let (error, busy, dispatch) = (error.clone(), busy.clone(), ctx.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(chosen) = *path else {
                return;
            };
            if *busy {
                return;
            }
            let [u, p, c, new_pin, again, n] = nodes.each_ref().map(input_value);
            let p = if chosen.needs_password() {
                p
            } else {
                String::new()
            };
            let checked = if u.trim().is_empty()
                || n.trim().is_empty()
                || (chosen.needs_password() && p.is_empty())
            {
                Err(FormError::Local(T::Required))
            } else {
                credential(chosen, &c, &restore, &scan, &u).and_then(|credential| {
                    check_new_pin(&new_pin, &again)
                        .map(|()| credential)
                        .map_err(|e| FormError::Local(pin_text(e)))
                })
            };
            let credential = match checked {
                Ok(credential) => credential,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (error, busy, dispatch, scan) =
                (error.clone(), busy.clone(), dispatch.clone(), scan.clone());
            spawn_local(async move {
                let draft = Draft {
                    user_id: u.trim().into(),
                    password: p,
                    credential,
                    pin: new_pin,
                    device_name: n.trim().into(),
                    setup: None,
                };
                let sent = match new_request(draft).await {
                    Ok(request) => send_activation(request, dispatch, None).await,
                    Err(failure) => Err(failure),
                };
                if let Err(failure) = sent {
                    keystore::delete_key().await;
                    if chosen == Path::Scan && failure.scan_gone() {
                        // That mosaic is over: the Scan part says so and offers a new one.
                        scan.set(ScanPart::Failed(FormError::Server(failure)));
                    } else {
                        error.set(Some(FormError::Server(failure)));
                    }
                    busy.set(false);
                }
            });
        })
    };

    let message = (*error).as_ref().map(|e| e.message(ctx.lang));
    let disabled = *busy;
    let chosen = *path;
    let restore_ready = matches!(*restore, Restore::Confirmed(_));
    let second = match chosen {
        None => html! {},
        Some(Path::Code) => html! {
            <Field key="act-code" id="act-code" label={T::ActivationCode} hint={T::ActivationCodeHint} node={code}
                autocomplete="one-time-code" {disabled} />
        },
        Some(Path::Token) => html! {
            <Field key="act-token-code" id="act-token-code" label={T::TokenCode} hint={T::TokenCodeHint} node={code}
                digits={6} autocomplete="one-time-code" {disabled} />
        },
        Some(Path::Scan) => html! {
            <ScanPartView part={(*scan).clone()} response={code} on_start={on_scan_start} {disabled} />
        },
        Some(Path::LostDevice) => html! {
            <Field key="act-security-code" id="act-security-code" label={T::SecurityCode} hint={T::SecurityCodeHint}
                node={code} digits={8} autocomplete="one-time-code" {disabled} />
        },
        Some(Path::Restore) => html! {
            <RestorePart restore={(*restore).clone()} {file} {preview} {on_file} {on_retry}
                {on_confirm} {disabled} />
        },
    };
    let rest = chosen.is_some_and(|p| p != Path::Restore || restore_ready);
    let password_hidden = chosen.is_some_and(|p| !p.needs_password());
    html! {
        <section id="activate" class="screen" data-path={chosen.map(Path::id)}>
            <h1>{ ctx.t(T::ActTitle) }</h1>
            <p>{ ctx.t(T::ActIntro) }</p>
            <form id="activation-form" novalidate=true {onsubmit}>
                <Field id="act-user-id" label={T::UserId} node={user.clone()} autocomplete="username" {disabled} />
                // Kept (hidden) for a Scan, so what was typed is there on the way back.
                <div hidden={password_hidden}>
                    <Field id="act-password" label={T::Password} kind="password" node={password}
                        autocomplete="current-password" {disabled} />
                </div>
                <fieldset id="act-path" class="choices">
                    <legend>{ ctx.t(T::PathLegend) }</legend>
                    { for Path::ALL.into_iter().map(|p| html! {
                        <div class={classes!("choice", (p == Path::LostDevice).then_some("choice-apart"))}>
                            <input type="radio" name="act-path" id={p.id()} value={p.id()}
                                checked={Some(p) == chosen} onchange={on_path(p)} {disabled} />
                            <label for={p.id()}>{ ctx.t(p.label()) }</label>
                        </div>
                    }) }
                </fieldset>
                { second }
                if rest {
                    <Field id="act-pin" label={T::NewPin} hint={T::PinHint} kind="password" pin=true node={pin} {disabled} />
                    <Field id="act-pin-confirm" label={T::PinConfirm} kind="password" pin=true node={confirm} {disabled} />
                    <Field id="act-device-name" label={T::DeviceName} hint={T::DeviceNameHint} node={name} {disabled} />
                }
                { error_line(message) }
                if rest {
                    <button id="act-submit" type="submit" class="primary" {disabled} aria-busy={disabled.to_string()}>
                        { ctx.t(if disabled { T::Working } else { T::Submit }) }
                    </button>
                }
            </form>
        </section>
    }
}
