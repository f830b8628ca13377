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
    /// The daily part handed one of its device's screens over (`#go=`).
    Go(Action),
    /// In the daily part: any other hash, for the setup part to read.
    Setup(String),
}

/// The links only the setup part follows: a restore's SMS link, an offline code, a screen.
const SETUP_LINKS: [&str; 3] = ["#/confirm/", "#/offline/", "#go="];

/// The link in the location hash, if any; removes it from the address bar so a reload
/// does not send a stale code, or a used secret, again. The daily part reads only the
/// links it follows (a scan, a notification) and hands any other on as it is.
fn take_link<P: Part>() -> Option<Link> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let link = parse_scan_hash(&hash)
        .map(Link::Scan)
        .or_else(|| crate::push::parse_open_hash(&hash).map(Link::Open));
    let link = if P::DAILY {
        let setup_link = SETUP_LINKS.iter().any(|prefix| hash.starts_with(prefix));
        link.or_else(|| setup_link.then(|| Link::Setup(hash.clone())))
    } else {
        link.or_else(|| parse_confirm_hash(&hash).map(Link::Confirm))
            .or_else(|| OfflineChallenge::from_hash(&hash).map(Link::Offline))
            .or_else(|| parse_go_hash(&hash).map(Link::Go))
    }?;
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
fn follow<P: Part>(dispatch: UseReducerDispatcher<State>, link: Link, activated: bool) {
    match link {
        Link::Scan(scan) if activated => open_scanned(dispatch, scan),
        Link::Scan(_) => dispatch.dispatch(Action::Opening), // shows "activate first"
        Link::Open(session_id) if activated => super::home::open_pushed(dispatch, session_id),
        Link::Open(_) => {}
        Link::Setup(hash) => crate::part::move_to_setup(&hash),
        // Only the setup part reads these (take_link): the daily part links none of it.
        _ if P::DAILY => {}
        Link::Confirm(_) if activated => {}
        Link::Confirm(confirm) => confirm_link(dispatch, confirm),
        Link::Offline(challenge) => dispatch.dispatch(Action::OfflineChallenge(challenge)),
        Link::Go(action) => dispatch.dispatch(action),
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

/// The screens of the daily part: home, requests and their outcome; `None` for a screen
/// only the setup part has.
pub fn daily_screen(state: &State) -> Option<Html> {
    Some(match (&state.screen, state.device.clone()) {
        (Screen::Starting, _) => html! {},
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
        _ => return None,
    })
}

/// The screens only the setup part has: activation, restore, devices, backup, settings,
/// certificate details, offline codes, and the welcome screen of a browser without a
/// device.
fn setup_screen(state: &State) -> Html {
    match (&state.screen, state.device.clone()) {
        (Screen::Welcome, _) => html! { <Welcome /> },
        (Screen::NewUser, _) => html! { <NewUser /> },
        (Screen::Activate(path), _) => html! { <Activate initial={*path} /> },
        (Screen::ScanConfirm(second), _) => html! { <ScanConfirmScreen second={second.clone()} /> },
        (Screen::Replace(replace), _) => html! { <ReplaceScreen replace={replace.clone()} /> },
        (Screen::Pending(pending), _) => html! { <PendingScreen pending={pending.clone()} /> },
        (Screen::Confirming, _) => html! { <ConfirmingScreen /> },
        (Screen::Devices, Some(d)) => html! { <DevicesScreen device={d} /> },
        (Screen::Settings, Some(d)) => html! { <SettingsScreen device={d} /> },
        (Screen::Certificate, Some(d)) => {
            html! { <Certificate certificates={d.certificates.clone()} /> }
        }
        (Screen::Backup, Some(d)) => html! { <BackupScreen device={d} /> },
        (Screen::OfflineCode(challenge), _) => html! {
            <OfflineCodeScreen challenge={challenge.clone()} />
        },
        // The daily screens, and those that need a device when there is none.
        _ => html! { <Welcome /> },
    }
}

/// The one screen the state machine chose (every screen: the setup part's).
pub fn screen(state: &State) -> Html {
    daily_screen(state).unwrap_or_else(|| setup_screen(state))
}

/// The location hash that opens `screen` in the setup part (`crate::part`).
fn setup_hash(screen: &Screen) -> String {
    match screen {
        Screen::Devices => GO_DEVICES.into(),
        Screen::Backup => GO_BACKUP.into(),
        Screen::Settings => GO_SETTINGS.into(),
        Screen::Certificate => GO_CERTIFICATE.into(),
        // Welcome (the device was removed), and what only a browser without a device sees:
        // the setup part finds it again in storage. (The daily part hands an offline
        // code's link on unread: `take_link`.)
        _ => String::new(),
    }
}

/// The hashes with which the daily part hands a screen of a device over to the setup part.
const GO_DEVICES: &str = "#go=devices";
const GO_BACKUP: &str = "#go=backup";
const GO_SETTINGS: &str = "#go=settings";
const GO_CERTIFICATE: &str = "#go=certificate";

/// The screen a `#go=` hash asks for.
fn parse_go_hash(hash: &str) -> Option<Action> {
    match hash {
        GO_DEVICES => Some(Action::ShowDevices),
        GO_BACKUP => Some(Action::ShowBackup),
        GO_SETTINGS => Some(Action::ShowSettings),
        GO_CERTIFICATE => Some(Action::ShowCertificate),
        _ => None,
    }
}

/// Which screens a build of the app has. The daily part (`tessera-companion`, what the
/// phone loads to show its home screen and answer a request) leaves the rare flows to the
/// setup part (`tessera-companion-setup`, under `setup/`), which has every screen; they
/// hand over through localStorage and IndexedDB, which both read, and a location hash.
pub trait Part: 'static {
    /// Whether this is the daily part: without a device it moves to the setup part.
    const DAILY: bool;
    /// The screen for `state`; `None` if the setup part shows it.
    fn screen(state: &State) -> Option<Html>;
}

/// The setup part: every screen.
pub struct Setup;

impl Part for Setup {
    const DAILY: bool = false;
    fn screen(state: &State) -> Option<Html> {
        Some(screen(state))
    }
}

/// The daily part: see [`daily_screen`].
pub struct Daily;

impl Part for Daily {
    const DAILY: bool = true;
    fn screen(state: &State) -> Option<Html> {
        daily_screen(state)
    }
}

/// The companion with every screen (the setup part).
pub type App = Companion<Setup>;

/// Props of [`ToSetup`].
#[derive(Properties, PartialEq)]
struct ToSetupProps {
    /// The location hash the setup part opens with.
    hash: String,
}

/// Replaces this page by the setup part, which shows the screen `hash` names.
#[function_component]
fn ToSetup(props: &ToSetupProps) -> Html {
    let ctx = super::use_ctx();
    use_effect_with(props.hash.clone(), |hash| crate::part::move_to_setup(hash));
    super::waiting("to-setup", ctx.t(T::Loading))
}

/// The companion app, with the screens of part `P`.
#[function_component]
pub fn Companion<P: Part>() -> Html {
    let state = use_reducer(State::default);
    let lang = use_state(storage::load_lang);

    // Start: a device counts only if its key is still in IndexedDB.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if P::DAILY && (storage::load_device().is_none() || !keystore::has_key().await) {
                    // The setup part reads the same storage (and forgets a device whose
                    // key is gone), and follows the same link.
                    crate::part::move_to_setup(&crate::part::location_hash());
                    return;
                }
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
                let link = take_link::<P>();
                let activated = device.is_some();
                dispatch.dispatch(Action::Started {
                    device,
                    scanned: matches!(link, Some(Link::Scan(_))),
                    pending,
                    scan,
                });
                if let Some(link) = link {
                    follow::<P>(dispatch, link, activated);
                }
            });
        });
    }
    // A QR scanned, or an SMS link opened, while the app is open changes only the hash.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(link) = take_link::<P>() {
                    follow::<P>(dispatch.clone(), link, storage::load_device().is_some());
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
            <main id="main"><OfflineNotice />{
                P::screen(&state).unwrap_or_else(|| html! {
                    <ToSetup hash={setup_hash(&state.screen)} />
                })
            }</main>
        </ContextProvider<Ctx>>
    }
}
