//! Home: waits for pushed requests over server-sent events and opens the next one.
use tessera_protocol::api::DeviceRequest;
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::spawn_local;
use web_sys::{EventSource, MessageEvent};
use yew::prelude::*;

use super::{use_autofocus, use_ctx};
use crate::api;
use crate::i18n::T;
use crate::state::{Action, State, next_request};

/// Props: the device name and the sessions already answered here.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The name the user gave this device.
    pub device_name: AttrValue,
    /// Sessions answered here (not reopened).
    pub handled: Vec<String>,
}

/// Fetches a pushed request (marking it opened) and shows it.
pub fn open_pushed(dispatch: UseReducerDispatcher<State>, session_id: String) {
    dispatch.dispatch(Action::Opening);
    spawn_local(async move {
        match api::open(&session_id).await {
            Ok(request) => dispatch.dispatch(Action::Opened(request)),
            Err(failure) => dispatch.dispatch(Action::Failed(failure.problem())),
        }
    });
}

/// Listens to `/v1/device/events` while mounted; calls `on_requests` with each list.
#[hook]
pub(crate) fn use_device_events(on_requests: Callback<Vec<DeviceRequest>>) {
    use_effect_with((), move |_| {
        let source = EventSource::new("/v1/device/events").ok();
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data().as_string().unwrap_or_default();
            if let Some(list) = tessera_ui::parse_json::<Vec<DeviceRequest>>(&data) {
                on_requests.emit(list);
            }
        });
        if let Some(source) = &source {
            let _ = source
                .add_event_listener_with_callback("requests", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(source) = source {
                source.close();
            }
            drop(listener);
        }
    });
}

/// "Waiting for requests", with the device name and the menu.
#[function_component]
pub fn Home(props: &Props) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let opening = use_mut_ref(|| false);
    {
        let (dispatch, handled, opening) =
            (ctx.dispatch.clone(), props.handled.clone(), opening.clone());
        use_device_events(Callback::from(move |list: Vec<DeviceRequest>| {
            if *opening.borrow() {
                return;
            }
            if let Some(request) = next_request(&list, &handled, api::now_secs()) {
                *opening.borrow_mut() = true;
                open_pushed(dispatch.clone(), request.session_id.clone());
            }
        }));
    }
    let dispatch = ctx.dispatch.clone();
    let on_cert = Callback::from(move |_| dispatch.dispatch(Action::ShowCertificate));
    let dispatch = ctx.dispatch.clone();
    let on_devices = Callback::from(move |_| dispatch.dispatch(Action::ShowDevices));
    let dispatch = ctx.dispatch.clone();
    let on_settings = Callback::from(move |_| dispatch.dispatch(Action::ShowSettings));
    html! {
        <section id="home" class="screen">
            <h1 tabindex="-1" ref={focus}>{ ctx.t(T::HomeTitle) }</h1>
            <p class="device"><span class="muted">{ ctx.t(T::ThisDevice) }{ ": " }</span>
                <strong id="device-name">{ props.device_name.clone() }</strong></p>
            <div class="pulse" aria-hidden="true"></div>
            <p>{ ctx.t(T::HomeText) }</p>
            <super::notify::PushSetting home=true />
            <super::code_entry::CodeEntry />
            <nav class="menu" aria-label={ctx.t(T::Menu)}>
                <button id="btn-cert" class="secondary" onclick={on_cert}>{ ctx.t(T::CertDetails) }</button>
                <button id="btn-devices" class="secondary" onclick={on_devices}>{ ctx.t(T::DevicesTitle) }</button>
                <button id="btn-settings" class="secondary" onclick={on_settings}>{ ctx.t(T::SettingsTitle) }</button>
            </nav>
        </section>
    }
}
