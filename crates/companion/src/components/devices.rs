//! "My devices": the user's devices with status, activation and last use; suspend or
//! remove one after a confirmation that says what follows; the way to a backup.
use std::rc::Rc;

use tessera_protocol::api::DeviceSummary;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{error_line, focus, use_autofocus, use_ctx};
use crate::errors::FormError;
use crate::i18n::T;
use crate::lifecycle::{DeviceAction, device_rows};
use crate::state::{Action, Device};
use crate::{api, keystore, storage};

/// Props: this device.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The device in the user's hand (marked "this device").
    pub device: Rc<Device>,
}

/// An action the user asked for and must confirm.
#[derive(Clone, PartialEq)]
struct Asked {
    action: DeviceAction,
    id: String,
    name: String,
}

/// The screen's state, for the confirmed action's callback.
#[derive(Clone)]
struct Handles {
    list: UseStateHandle<Option<Vec<DeviceSummary>>>,
    asked: UseStateHandle<Option<Asked>>,
    done: UseStateHandle<Option<String>>,
    error: UseStateHandle<Option<FormError>>,
    busy: UseStateHandle<bool>,
}

/// Gives the focus to the element with this id, if there is one.
fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Loads the list into `list`, or says why not.
fn load(
    list: UseStateHandle<Option<Vec<DeviceSummary>>>,
    error: UseStateHandle<Option<FormError>>,
) {
    spawn_local(async move {
        match api::devices().await {
            Ok(devices) => list.set(Some(devices)),
            Err(failure) => error.set(Some(FormError::Server(failure))),
        }
    });
}

/// The list `#device-list`, each `#device-<id>` with `#suspend-<id>` and `#remove-<id>`;
/// the confirmation `#confirm-action` with `#btn-confirm-action`; `#btn-backup`, `#btn-back`.
#[function_component]
pub fn DevicesScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let heading = use_autofocus();
    let question = use_node_ref();
    let list = use_state(|| None::<Vec<DeviceSummary>>);
    let asked = use_state(|| None::<Asked>);
    let done = use_state(|| None::<String>);
    let error = use_state(|| None::<FormError>);
    let busy = use_state(|| false);

    {
        let (list, error) = (list.clone(), error.clone());
        use_effect_with((), move |_| load(list, error));
    }
    {
        let question = question.clone();
        use_effect_with((*asked).clone(), move |asked| {
            if asked.is_some() {
                focus(&question);
            }
        });
    }

    let ask = |action: DeviceAction, id: String, name: String| {
        let (asked, done, error) = (asked.clone(), done.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            done.set(None);
            error.set(None);
            asked.set(Some(Asked {
                action,
                id: id.clone(),
                name: name.clone(),
            }));
        })
    };
    let on_cancel = {
        let asked = asked.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = &*asked {
                focus_id(&format!("{}-{}", a.action.name(), a.id));
            }
            asked.set(None);
        })
    };
    let on_confirm = {
        let handles = Handles {
            list: list.clone(),
            asked: asked.clone(),
            done: done.clone(),
            error: error.clone(),
            busy: busy.clone(),
        };
        let (this_id, dispatch, lang) = (
            props.device.device_id.clone(),
            ctx.dispatch.clone(),
            ctx.lang,
        );
        Callback::from(move |_: MouseEvent| {
            let Some(a) = (*handles.asked).clone() else {
                return;
            };
            if *handles.busy {
                return;
            }
            handles.busy.set(true);
            let Handles {
                list,
                asked,
                done,
                error,
                busy,
            } = handles.clone();
            let (this_id, dispatch) = (this_id.clone(), dispatch.clone());
            spawn_local(async move {
                let result = api::device_action(&a.id, a.action).await;
                busy.set(false);
                asked.set(None);
                match result {
                    Ok(_) if a.action == DeviceAction::Remove && a.id == this_id => {
                        // This device is gone: forget it here, and its key.
                        storage::clear_device();
                        keystore::delete_key().await;
                        dispatch.dispatch(Action::Forget);
                    }
                    Ok(devices) => {
                        list.set(Some(devices));
                        done.set(Some(a.action.done(&a.name, lang)));
                    }
                    Err(failure) => {
                        // Someone else changed it meanwhile: show the list as it is now.
                        if failure.code() == "device_unchanged" {
                            load(list, error.clone());
                        }
                        error.set(Some(FormError::Server(failure)));
                    }
                }
            });
        })
    };
    let on_backup = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ShowBackup))
    };
    let on_back = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Home))
    };

    let disabled = *busy;
    let this_id = props.device.device_id.as_str();
    let confirmation = |a: &Asked| {
        let question_text = a.action.question(&a.name, a.id == this_id, ctx.lang);
        let danger = if a.action == DeviceAction::Remove {
            "danger"
        } else {
            "primary"
        };
        html! {
            <div id="confirm-action" class="panel confirm" role="group" aria-labelledby="confirm-question"
                data-action={a.action.name()}>
                <p id="confirm-question" tabindex="-1" ref={question.clone()}>{ question_text }</p>
                <button id="btn-confirm-action" class={danger} onclick={on_confirm.clone()} {disabled}
                    aria-busy={disabled.to_string()}>
                    { ctx.t(if disabled { T::Working } else { a.action.confirm_label() }) }
                </button>
                <button id="btn-cancel-action" class="secondary" onclick={on_cancel.clone()} {disabled}>
                    { ctx.t(T::Cancel) }
                </button>
            </div>
        }
    };
    let devices = match &*list {
        None if error.is_none() => html! {
            <p id="devices-loading" class="waiting-inline" role="status">{ ctx.t(T::Loading) }</p>
        },
        None => html! {},
        Some(devices) => html! {
            <ul id="device-list" class="device-list">
                { for device_rows(devices, Some(this_id), ctx.lang).into_iter().map(|row| {
                    let asking = asked.as_ref().filter(|a| a.id == row.id);
                    html! {
                        <li id={format!("device-{}", row.id)} class="device-card"
                            data-this-device={row.this_device.to_string()}>
                            <h2 class="device-name">
                                { row.name.clone() }
                                if row.this_device {
                                    { " " }<span class="this-device">{ ctx.t(T::ThisDeviceMark) }</span>
                                }
                            </h2>
                            <p class="device-status">{ row.status }</p>
                            <p class="device-facts">
                                <span>{ row.activated.clone() }</span>
                                <span class="last-used">{ row.last_used.clone() }</span>
                            </p>
                            if !row.actions.is_empty() {
                                <div class="device-actions">
                                    { for row.actions.iter().map(|&action| {
                                        let label = match action {
                                            DeviceAction::Suspend => T::Suspend,
                                            DeviceAction::Remove => T::Remove,
                                        };
                                        html! {
                                            <button id={format!("{}-{}", action.name(), row.id)}
                                                class={if action == DeviceAction::Remove { "secondary danger-outline" } else { "secondary" }}
                                                aria-label={format!("{} {}", ctx.t(label), row.name)}
                                                onclick={ask(action, row.id.clone(), row.name.clone())}
                                                {disabled}>
                                                { ctx.t(label) }
                                            </button>
                                        }
                                    }) }
                                </div>
                            }
                            if let Some(a) = asking {
                                { confirmation(a) }
                            }
                        </li>
                    }
                }) }
            </ul>
        },
    };
    let message = (*error).as_ref().map(|e| e.message(ctx.lang));
    html! {
        <section id="devices" class="screen">
            <h1 id="devices-title" tabindex="-1" ref={heading}>{ ctx.t(T::DevicesTitle) }</h1>
            <p>{ ctx.t(T::DevicesIntro) }</p>
            <p id="devices-status" role="status">{ (*done).clone().unwrap_or_default() }</p>
            { error_line(message) }
            { devices }
            <nav class="menu" aria-label="Menu">
                <button id="btn-backup" class="secondary" onclick={on_backup}>{ ctx.t(T::BackupTitle) }</button>
                <button id="btn-back" class="secondary" onclick={on_back}>{ ctx.t(T::Back) }</button>
            </nav>
        </section>
    }
}
