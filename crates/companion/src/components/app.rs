//! The root: reads the stored device (or the activation waiting for its SMS or for the
//! Scan's second mosaic), follows scan
//! and SMS confirm links in the location hash, and renders the one screen the state
//! machine chose.
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::Ctx;
use super::activate::{Activate, finish};
use super::backup::BackupScreen;
use super::certificate::Certificate;
use super::devices::DevicesScreen;
use super::home::Home;
use super::matching::MatchScreen;
use super::new_user::NewUser;
use super::newer::NewerRequest;
use super::offline::OfflineNotice;
use super::offline_code::OfflineCodeScreen;
use super::outcome::{OpeningScreen, ProblemScreen, ResultScreen};
use super::pending::{ConfirmingScreen, PendingScreen};
use super::replace::ReplaceScreen;
use super::request::RequestScreen;
use super::scan_confirm::ScanConfirmScreen;
use super::settings::SettingsScreen;
use super::welcome::Welcome;
use crate::i18n::{Lang, T, Texts};
use crate::scan::{parse_confirm_hash, parse_scan_hash};
use crate::state::{Action, Screen, State};
use crate::{api, keystore, storage};
use tessera_protocol::api::{ActivationConfirm, ScanRequest};
use tessera_protocol::offline::OfflineChallenge;
use tessera_ui::LangPicker;

/// A link in the location hash.
enum Link {
    /// A QR scanned.
    Scan(ScanRequest),
    /// The SMS link of a restore.
    Confirm(ActivationConfirm),
    /// A notification tapped: the pushed session to open (`crate::push`).
    Open(String),
    /// The widget's offline QR (issue 17).
    Offline(OfflineChallenge),
}

/// The link in the location hash, if any; removes it from the address bar so a reload
/// does not send a stale code, or a used secret, again.
fn take_link() -> Option<Link> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let link = parse_scan_hash(&hash)
        .map(Link::Scan)
        .or_else(|| parse_confirm_hash(&hash).map(Link::Confirm))
        .or_else(|| crate::push::parse_open_hash(&hash).map(Link::Open))
        .or_else(|| OfflineChallenge::from_hash(&hash).map(Link::Offline))?;
    let path = location.pathname().ok()? + &location.search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    Some(link)
}

/// Finishes the restore the SMS link names, if this browser started it (the state
/// machine says which screen); then the certificate details, as after any activation.
fn confirm_link(dispatch: UseReducerDispatcher<State>, link: ActivationConfirm) {
    dispatch.dispatch(Action::Confirming {
        activation_id: link.activation_id.clone(),
    });
    let Some(pending) = storage::load_pending().filter(|p| p.activation_id == link.activation_id)
    else {
        return;
    };
    spawn_local(async move {
        match api::confirm(&link).await {
            Ok(activated) => finish(&dispatch, activated, pending.user_id, pending.device_name),
            Err(failure) => dispatch.dispatch(Action::Failed(failure.confirm_problem())),
        }
    });
}

/// Follows a link: opens a scanned request, or finishes a restore.
fn follow(dispatch: UseReducerDispatcher<State>, link: Link, activated: bool) {
    match link {
        Link::Scan(scan) if activated => open_scanned(dispatch, scan),
        Link::Scan(_) => dispatch.dispatch(Action::Opening), // shows "activate first"
        Link::Confirm(_) if activated => {}
        Link::Confirm(confirm) => confirm_link(dispatch, confirm),
        Link::Open(session_id) if activated => super::home::open_pushed(dispatch, session_id),
        Link::Open(_) => {}
        Link::Offline(challenge) => dispatch.dispatch(Action::OfflineChallenge(challenge)),
    }
}

/// Asks the server for the scanned request and shows it.
fn open_scanned(dispatch: UseReducerDispatcher<State>, scan: ScanRequest) {
    dispatch.dispatch(Action::Opening);
    spawn_local(async move {
        match api::scan(&scan).await {
            Ok(request) => dispatch.dispatch(Action::Opened(request)),
            Err(failure) => dispatch.dispatch(Action::Failed(failure.problem())),
        }
    });
}

/// The one screen the state machine chose.
pub fn screen(state: &State) -> Html {
    match (&state.screen, state.device.clone()) {
        (Screen::Starting, _) => html! {},
        (Screen::Welcome, _) => html! { <Welcome /> },
        (Screen::NewUser, _) => html! { <NewUser /> },
        (Screen::Activate(path), _) => html! { <Activate initial={*path} /> },
        (Screen::ScanConfirm(second), _) => html! { <ScanConfirmScreen second={second.clone()} /> },
        (Screen::Replace(replace), _) => html! { <ReplaceScreen replace={replace.clone()} /> },
        (Screen::Pending(pending), _) => html! { <PendingScreen pending={pending.clone()} /> },
        (Screen::Confirming, _) => html! { <ConfirmingScreen /> },
        (Screen::Devices, Some(d)) => html! { <DevicesScreen device={d} /> },
        (Screen::Backup, Some(d)) => html! { <BackupScreen device={d} /> },
        (Screen::Settings, Some(d)) => html! { <SettingsScreen device={d} /> },
        (Screen::Certificate, Some(d)) => {
            html! { <Certificate certificates={d.certificates.clone()} /> }
        }
        (Screen::Home, Some(d)) => {
            html! { <Home device_name={d.name.clone()} handled={state.handled.clone()} /> }
        }
        (Screen::Opening, _) => html! { <OpeningScreen /> },
        // A newer request to the user cancels the one on screen: it is opened instead.
        (Screen::Match(r), Some(d)) => html! { <>
            <MatchScreen key={r.session_id.clone()} request={r.clone()} device={d} />
            <NewerRequest current={r.session_id.clone()} handled={state.handled.clone()} />
        </> },
        (Screen::Request(r), Some(d)) => html! { <>
            <RequestScreen key={r.session_id.clone()} request={r.clone()} device={d} />
            <NewerRequest current={r.session_id.clone()} handled={state.handled.clone()} />
        </> },
        (Screen::Result(outcome), _) => html! { <ResultScreen outcome={outcome.clone()} /> },
        (Screen::Problem(problem), _) => html! { <ProblemScreen problem={*problem} /> },
        (Screen::OfflineCode(challenge), _) => html! {
            <OfflineCodeScreen challenge={challenge.clone()} />
        },
        (
            Screen::Certificate
            | Screen::Home
            | Screen::Match(_)
            | Screen::Request(_)
            | Screen::Devices
            | Screen::Backup
            | Screen::Settings,
            None,
        ) => html! { <Welcome /> },
    }
}

/// The companion app.
#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let lang = use_state(storage::load_lang);

    // Start: a device counts only if its key is still in IndexedDB.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let mut device = storage::load_device();
                let mut pending = storage::load_pending();
                let mut scan = storage::load_scan_second();
                let waiting = pending.is_some() || scan.is_some();
                if (device.is_some() || waiting) && !keystore::has_key().await {
                    storage::clear_device();
                    storage::clear_pending();
                    storage::clear_scan_second();
                    (device, pending, scan) = (None, None, None);
                }
                if device.is_some() && waiting {
                    storage::clear_pending();
                    storage::clear_scan_second();
                    (pending, scan) = (None, None);
                }
                let link = take_link();
                let activated = device.is_some();
                dispatch.dispatch(Action::Started {
                    device,
                    scanned: matches!(link, Some(Link::Scan(_))),
                    pending,
                    scan,
                });
                if let Some(link) = link {
                    follow(dispatch, link, activated);
                }
            });
        });
    }
    // A QR scanned, or an SMS link opened, while the app is open changes only the hash.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(link) = take_link() {
                    follow(dispatch.clone(), link, storage::load_device().is_some());
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    // The document's language follows the picker.
    use_effect_with(*lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |picked: Lang| {
            storage::save_lang(picked);
            lang.set(picked);
        })
    };
    let ctx = Ctx {
        lang: *lang,
        dispatch: state.dispatcher(),
        set_lang: on_lang.clone(),
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <header class="bar">
                <span class="brand" aria-hidden="true">{ "Tessera" }</span>
                <LangPicker lang={*lang} label={lang.t(T::Language)} id="lang-select" class="lang"
                    on_change={on_lang} />
            </header>
            <main id="main"><OfflineNotice />{ screen(&state) }</main>
        </ContextProvider<Ctx>>
    }
}
