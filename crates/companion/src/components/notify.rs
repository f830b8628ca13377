//! Notifications and installing the app (issue 16): `#push` says where this device stands
//! and turns Web Push on or off; `#install` offers the browser's install dialog when there
//! is one. On Home (after activation) only while notifications are not on; in Settings
//! always.
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_ctx;
use crate::push::{self, P, PushStatus};

/// Props: whether this is the Home card (hidden once notifications are on).
#[derive(Properties, PartialEq)]
pub struct Props {
    #[prop_or_default]
    pub home: bool,
}

/// The notifications setting.
#[function_component]
pub fn PushSetting(props: &Props) -> Html {
    let ctx = use_ctx();
    // None while asking the server (or when it cannot be reached: nothing to offer).
    let status = use_state(|| None::<PushStatus>);
    let vapid_key = use_state(String::new);
    let busy = use_state(|| false);
    {
        let (status, vapid_key) = (status.clone(), vapid_key.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                if let Some((now, settings)) = push::current().await {
                    vapid_key.set(settings.vapid_key);
                    status.set(Some(now));
                }
            });
        });
    }
    let onclick = {
        let (status, vapid_key, busy, lang) =
            (status.clone(), vapid_key.clone(), busy.clone(), ctx.lang);
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (status, key, busy, was) =
                (status.clone(), (*vapid_key).clone(), busy.clone(), *status);
            spawn_local(async move {
                let next = if was == Some(PushStatus::On) {
                    match push::turn_off().await {
                        Ok(()) => PushStatus::Off,
                        Err(_) => PushStatus::On,
                    }
                } else {
                    push::turn_on(&key, lang).await
                };
                status.set(Some(next));
                busy.set(false);
            });
        })
    };
    let Some(now) = *status else {
        return html! {};
    };
    if props.home && now == PushStatus::On {
        return html! {};
    }
    let t = |key| push::text(ctx.lang, key);
    let (said, button) = match now {
        PushStatus::On => (t(P::On), Some(P::TurnOff)),
        PushStatus::Off => (t(P::Explain), Some(P::TurnOn)),
        PushStatus::Failed => (t(P::Failed), Some(P::TurnOn)),
        PushStatus::Denied => (t(P::Denied), None),
        PushStatus::Unsupported => (t(P::Unsupported), None),
    };
    html! {
        <section id="push" class="setting" aria-labelledby="push-title" data-state={now.name()}>
            <h2 id="push-title">{ t(P::Title) }</h2>
            <p id="push-state" role="status">{ said }</p>
            if let Some(button) = button {
                <button id="btn-push" class={if button == P::TurnOn { "primary" } else { "secondary" }}
                    disabled={*busy} aria-busy={busy.to_string()} {onclick}>{ t(button) }</button>
            }
            <InstallOffer />
        </section>
    }
}

/// The install button, while the browser offers one (Chromium; iOS installs from the
/// Share menu, which the Unsupported text explains).
#[function_component]
fn InstallOffer() -> Html {
    let ctx = use_ctx();
    let offered = use_state(push::can_install);
    if !*offered {
        return html! {};
    }
    let onclick = {
        let offered = offered.clone();
        Callback::from(move |_: MouseEvent| {
            let offered = offered.clone();
            spawn_local(async move {
                push::install().await;
                offered.set(push::can_install());
            });
        })
    };
    html! {
        <div id="install">
            <p class="hint">{ push::text(ctx.lang, P::InstallText) }</p>
            <button id="btn-install" class="secondary" {onclick}>{ push::text(ctx.lang, P::Install) }</button>
        </div>
    }
}
