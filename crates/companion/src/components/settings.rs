//! Settings, the seed's self-service (FLOWS.md, "What the phone app is for"): the
//! certificate details, a new PIN, this device's name, geolocation (off unless turned
//! on), biometrics (off unless turned on, with the PIN), the helpdesk's contact details,
//! the app's version, and the ways to My devices and Back up. The checks are
//! [`crate::settings`].
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::certificate::cert_details;
use super::field::Field;
use super::{Ctx, alert_line, input_value, use_autofocus, use_ctx};
use crate::errors::FormError;
use crate::i18n::{T, Texts};
use crate::settings::{SUPPORT_EMAIL, SUPPORT_PHONE, VERSION, pin_change, rename, tel_href};
use crate::state::{Action, Device};
use crate::{api, biometrics, storage};

/// Props: this device.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The device in the user's hand.
    pub device: Rc<Device>,
}

/// What a small form shows under its fields.
#[derive(Clone, PartialEq)]
enum Said {
    Nothing,
    Working,
    Done(String),
    Failed(FormError),
}

impl Said {
    fn error(&self, ctx: &Ctx) -> Option<String> {
        match self {
            Said::Failed(e) => Some(e.message(ctx.lang)),
            _ => None,
        }
    }

    fn done(&self) -> String {
        match self {
            Said::Done(text) => text.clone(),
            _ => String::new(),
        }
    }
}

/// Empties the inputs behind `nodes` (PINs do not stay on screen once used).
fn clear(nodes: &[NodeRef]) {
    for node in nodes {
        if let Some(input) = node.cast::<HtmlInputElement>() {
            input.set_value("");
        }
    }
}

/// `#settings`: `#settings-cert`, `#pin-old`/`#pin-new`/`#pin-new-confirm`/`#btn-pin-change`
/// (`#pin-changed`), `#rename`/`#btn-rename` (`#rename-done`), `#toggle-geolocation`
/// (`data-state` on or off), `#toggle-biometrics` ([`BiometricsSetting`]), `#support`,
/// `#app-version`, `#btn-devices`, `#btn-backup`, `#btn-back`.
#[function_component]
pub fn SettingsScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let heading = use_autofocus();
    let (old, new, again, name) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let pin_said = use_state(|| Said::Nothing);
    let name_said = use_state(|| Said::Nothing);
    let geolocation = use_state(storage::load_geolocation);

    // The name field starts with this device's name.
    {
        let (name, current) = (name.clone(), props.device.name.clone());
        use_effect_with((), move |_| {
            if let Some(input) = name.cast::<HtmlInputElement>() {
                input.set_value(&current);
            }
        });
    }

    let on_pin = {
        let nodes = [old.clone(), new.clone(), again.clone()];
        let (said, lang) = (pin_said.clone(), ctx.lang);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *said == Said::Working {
                return;
            }
            let [o, n, a] = nodes.each_ref().map(input_value);
            let change = match pin_change(&o, &n, &a) {
                Ok(change) => change,
                Err(t) => return said.set(Said::Failed(FormError::Local(t))),
            };
            said.set(Said::Working);
            let (said, nodes) = (said.clone(), nodes.clone());
            spawn_local(async move {
                match api::change_pin(&change).await {
                    Ok(()) => {
                        // The server forgot the offline key derived with the old PIN.
                        let _ = crate::offline_code::provision(change.new_pin.clone()).await;
                        clear(&nodes);
                        said.set(Said::Done(lang.t(T::PinChanged).into()));
                    }
                    Err(failure) => said.set(Said::Failed(FormError::Server(failure))),
                }
            });
        })
    };
    let on_rename = {
        let (name, said, lang) = (name.clone(), name_said.clone(), ctx.lang);
        let (device, dispatch) = (props.device.clone(), ctx.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *said == Said::Working {
                return;
            }
            let request = match rename(&input_value(&name)) {
                Ok(request) => request,
                Err(t) => return said.set(Said::Failed(FormError::Local(t))),
            };
            said.set(Said::Working);
            let (said, device, dispatch) = (said.clone(), device.clone(), dispatch.clone());
            spawn_local(async move {
                match api::rename(&request).await {
                    Ok(()) => {
                        storage::save_device(&Device {
                            name: request.name.clone(),
                            ..(*device).clone()
                        });
                        said.set(Said::Done(lang.tn(T::Renamed, &request.name)));
                        dispatch.dispatch(Action::Renamed(request.name));
                    }
                    Err(failure) => said.set(Said::Failed(FormError::Server(failure))),
                }
            });
        })
    };
    // Stored at once: the next approval reads it.
    let on_geolocation = {
        let geolocation = geolocation.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            storage::save_geolocation(on);
            geolocation.set(on);
        })
    };
    let go = |action: Action| {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };

    let pin_busy = *pin_said == Said::Working;
    let name_busy = *name_said == Said::Working;
    html! {
        <section id="settings" class="screen">
            <h1 id="settings-title" tabindex="-1" ref={heading}>{ ctx.t(T::SettingsTitle) }</h1>

            <section class="setting" aria-labelledby="settings-cert-title">
                <h2 id="settings-cert-title">{ ctx.t(T::CertDetails) }</h2>
                { cert_details(&ctx, "settings-cert", &props.device.certificates) }
            </section>

            <section class="setting" aria-labelledby="pin-title">
                <h2 id="pin-title">{ ctx.t(T::ChangePin) }</h2>
                <form id="pin-form" novalidate=true onsubmit={on_pin}>
                    <Field id="pin-old" label={T::CurrentPin} kind="password" pin=true node={old}
                        autocomplete="current-password" disabled={pin_busy} />
                    <Field id="pin-new" label={T::NewPin} hint={T::PinHint} kind="password" pin=true
                        node={new} disabled={pin_busy} />
                    <Field id="pin-new-confirm" label={T::PinConfirm} kind="password" pin=true
                        node={again} disabled={pin_busy} />
                    { alert_line("pin-error", pin_said.error(&ctx)) }
                    <p id="pin-changed" class="notice" role="status">{ pin_said.done() }</p>
                    <button id="btn-pin-change" type="submit" class="primary" disabled={pin_busy}
                        aria-busy={pin_busy.to_string()}>
                        { ctx.t(if pin_busy { T::Working } else { T::ChangePin }) }
                    </button>
                </form>
            </section>

            <section class="setting" aria-labelledby="rename-title">
                <h2 id="rename-title">{ ctx.t(T::DeviceName) }</h2>
                <form id="rename-form" novalidate=true onsubmit={on_rename}>
                    <Field id="rename" label={T::DeviceName} hint={T::DeviceNameHint} node={name}
                        disabled={name_busy} />
                    { alert_line("rename-error", name_said.error(&ctx)) }
                    <p id="rename-done" class="notice" role="status">{ name_said.done() }</p>
                    <button id="btn-rename" type="submit" class="secondary" disabled={name_busy}
                        aria-busy={name_busy.to_string()}>
                        { ctx.t(if name_busy { T::Working } else { T::Rename }) }
                    </button>
                </form>
            </section>

            <section class="setting setting-soon" aria-label={ctx.t(T::Geolocation)}>
                <div class="switch">
                    <input type="checkbox" role="switch" id="toggle-geolocation" checked={*geolocation}
                        data-state={if *geolocation { "on" } else { "off" }}
                        aria-describedby="toggle-geolocation-note" onchange={on_geolocation} />
                    <label for="toggle-geolocation">{ ctx.t(T::Geolocation) }</label>
                </div>
                <p id="toggle-geolocation-note" class="hint">{ ctx.t(T::GeolocationHint) }</p>
            </section>

            <BiometricsSetting />

            <super::offline_setting::OfflineSetting />

            <super::notify::PushSetting />

            <section id="support" class="setting" aria-labelledby="support-title">
                <h2 id="support-title">{ ctx.t(T::Support) }</h2>
                <dl>
                    <div class="row"><dt>{ ctx.t(T::SupportPhone) }</dt>
                        <dd><a id="support-phone" href={tel_href(SUPPORT_PHONE)}>{ SUPPORT_PHONE }</a></dd></div>
                    <div class="row"><dt>{ ctx.t(T::SupportEmail) }</dt>
                        <dd><a id="support-email" href={format!("mailto:{SUPPORT_EMAIL}")}>{ SUPPORT_EMAIL }</a></dd></div>
                    <div class="row"><dt>{ ctx.t(T::SupportHoursLabel) }</dt>
                        <dd id="support-hours">{ ctx.t(T::SupportHours) }</dd></div>
                    <div class="row"><dt>{ ctx.t(T::AppVersion) }</dt>
                        <dd id="app-version" class="mono">{ VERSION }</dd></div>
                </dl>
            </section>

            <nav class="menu" aria-label={ctx.t(T::Menu)}>
                <button id="btn-devices" class="secondary" onclick={go(Action::ShowDevices)}>{ ctx.t(T::DevicesTitle) }</button>
                <button id="btn-backup" class="secondary" onclick={go(Action::ShowBackup)}>{ ctx.t(T::BackupTitle) }</button>
                <button id="btn-back" class="secondary" onclick={go(Action::Home)}>{ ctx.t(T::Back) }</button>
            </nav>
        </section>
    }
}

/// Biometrics on or off: `#toggle-biometrics` (a switch). Turning them on asks for the
/// PIN first (`#bio-pin`, `#btn-bio-enable`), then the platform's prompt; turning them off
/// deletes the credential on the server. `#bio-state` says which, `#bio-error` why not.
#[function_component]
pub fn BiometricsSetting() -> Html {
    let ctx = use_ctx();
    let on = use_state(biometrics::enabled);
    let asking = use_state(|| false);
    let said = use_state(|| Said::Nothing);
    let pin = use_node_ref();
    let busy = *said == Said::Working;

    let ontoggle = {
        let (on, asking, said) = (on.clone(), asking.clone(), said.clone());
        Callback::from(move |_: Event| {
            if *said == Said::Working {
                return;
            }
            said.set(Said::Nothing);
            if !*on {
                // Checking the switch only opens the PIN form; nothing is on yet.
                asking.set(!*asking);
                return;
            }
            said.set(Said::Working);
            let (on, said) = (on.clone(), said.clone());
            spawn_local(async move {
                match biometrics::disable().await {
                    Ok(()) => {
                        on.set(false);
                        said.set(Said::Nothing);
                    }
                    Err(failure) => said.set(Said::Failed(FormError::Server(failure))),
                }
            });
        })
    };
    let onsubmit = {
        let (on, asking, said, pin) = (on.clone(), asking.clone(), said.clone(), pin.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *said == Said::Working {
                return;
            }
            let typed = input_value(&pin);
            if !crate::pin::is_pin_shape(&typed) {
                return said.set(Said::Failed(FormError::Local(T::ErrPinShape)));
            }
            said.set(Said::Working);
            let (on, asking, said, pin) = (on.clone(), asking.clone(), said.clone(), pin.clone());
            spawn_local(async move {
                let result = biometrics::enable(typed).await;
                clear(std::slice::from_ref(&pin));
                match result {
                    Ok(()) => {
                        on.set(true);
                        asking.set(false);
                        said.set(Said::Nothing);
                    }
                    Err(failure) => said.set(Said::Failed(FormError::Server(failure))),
                }
            });
        })
    };

    let checked = *on || *asking;
    html! {
        <section id="biometrics" class="setting" aria-labelledby="bio-title"
            data-state={if *on { "on" } else { "off" }}>
            <h2 id="bio-title">{ ctx.t(T::StepBiometrics) }</h2>
            <div class="switch">
                <input type="checkbox" role="switch" id="toggle-biometrics" {checked}
                    disabled={busy} aria-describedby="bio-hint" onchange={ontoggle} />
                <label for="toggle-biometrics">{ ctx.t(T::StepBiometrics) }</label>
            </div>
            <p id="bio-hint" class="hint">{ ctx.t(T::BiometricsHint) }</p>
            if *asking && !*on {
                <form id="bio-form" novalidate=true {onsubmit}>
                    <Field id="bio-pin" label={T::YourPin} hint={T::BiometricsConfirm} kind="password"
                        pin=true node={pin} autocomplete="off" disabled={busy} />
                    <button id="btn-bio-enable" type="submit" class="primary" disabled={busy}
                        aria-busy={busy.to_string()}>
                        { ctx.t(if busy { T::Working } else { T::BiometricsTurnOn }) }
                    </button>
                </form>
            }
            { alert_line("bio-error", said.error(&ctx)) }
            <p id="bio-state" class="notice" role="status">
                { ctx.t(if *on { T::BiometricsOn } else { T::BiometricsOff }) }</p>
        </section>
    }
}
