//! The companion's state machine: one `Screen` decides what is on screen, and every
//! change goes through [`State::reduce`]. Pure: no browser APIs, tested natively.
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use tessera_protocol::{api::DeviceRequest, offline::OfflineChallenge};
use yew::Reducible;

use crate::lifecycle::{Path, PendingActivation, Replace, ScanSecond};
pub use crate::outcome::{Outcome, Problem};

/// What this browser knows about its activation (kept in localStorage; not secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Device id.
    pub device_id: String,
    /// The user this device belongs to.
    pub user_id: String,
    /// The name the user gave it.
    pub name: String,
    /// `[device certificate, issuer certificate]`.
    pub certificates: Vec<String>,
}

/// What is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Reading storage and the key store.
    Starting,
    /// No device yet: NEW USER or LOG IN.
    Welcome,
    /// NEW USER (flow A): the wizard.
    NewUser,
    /// LOG IN: the activation form, with the way chosen at first (if any).
    Activate(Option<Path>),
    /// A Scan activation shows its second mosaic (flow C, step 8).
    ScanConfirm(Rc<ScanSecond>),
    /// The user has two devices already: pick the one this browser replaces.
    Replace(Rc<Replace>),
    /// A restore waits for the user to open the link sent by SMS.
    Pending(Rc<PendingActivation>),
    /// The SMS link was opened: finishing the activation.
    Confirming,
    /// The certificate details.
    Certificate,
    /// Waiting for pushed requests.
    Home,
    /// The user's devices, to suspend or remove one, and the way to a backup.
    Devices,
    /// Making an encrypted backup file.
    Backup,
    /// The settings: certificate, PIN, name, biometrics, support, version.
    Settings,
    /// Fetching a scanned or pushed request.
    Opening,
    /// A pushed request not matched yet: the user picks the number the website shows
    /// among the request's `number_choices`.
    Match(Rc<DeviceRequest>),
    /// A request for the user to check and approve with the PIN, or deny.
    Request(Rc<DeviceRequest>),
    /// How the last request ended.
    Result(Outcome),
    /// A request could not be opened.
    Problem(Problem),
    /// The widget's offline QR was read (issue 17): what it asks, the PIN, the code.
    OfflineCode(Rc<OfflineChallenge>),
}

/// The whole state of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// What is on screen.
    pub screen: Screen,
    /// This browser's device, once activated.
    pub device: Option<Rc<Device>>,
    /// Sessions answered here, so a pushed list that still names them does not reopen them.
    pub handled: Vec<String>,
    /// A restore waiting for its SMS link (a browser without a device only).
    pub pending: Option<Rc<PendingActivation>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            screen: Screen::Starting,
            device: None,
            handled: Vec::new(),
            pending: None,
        }
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Storage was read: the device (if the key is still there), whether a QR was
    /// scanned, a restore waiting for its SMS link, and a Scan activation waiting for its
    /// second mosaic's answer (the page was reloaded on it).
    Started {
        device: Option<Device>,
        scanned: bool,
        pending: Option<PendingActivation>,
        scan: Option<ScanSecond>,
    },
    /// The user tapped LOG IN (no way chosen yet), "Activate this device" (the activation
    /// code) or "Start again".
    LogIn(Option<Path>),
    /// The user tapped NEW USER.
    NewUser,
    /// The Scan's first mosaic was answered: the server shows the second.
    ScanSecond(ScanSecond),
    /// The server answered `device_limit`: the user picks a device to replace.
    NeedsReplacement(Replace),
    /// The server answered a restore with `pending`: the user waits for the SMS.
    ActivationPending(PendingActivation),
    /// The SMS link of the activation `activation_id` was opened.
    Confirming { activation_id: String },
    /// The user gave up this activation.
    CancelActivation,
    /// Activation succeeded.
    Activated(Device),
    /// Show the user's devices.
    ShowDevices,
    /// Show the backup screen.
    ShowBackup,
    /// Show the settings.
    ShowSettings,
    /// This device was renamed (on the server already).
    Renamed(String),
    /// This device was removed: forget it.
    Forget,
    /// Show the certificate details.
    ShowCertificate,
    /// Back to the home screen.
    Home,
    /// A scanned or pushed request is being fetched.
    Opening,
    /// The request arrived: with number choices it asks for the number first.
    Opened(DeviceRequest),
    /// The user picked the right number; the server sent the request to check and
    /// approve.
    Matched(DeviceRequest),
    /// The user answered (or the session ended) with this outcome.
    Answered {
        session_id: String,
        outcome: Outcome,
    },
    /// Opening failed.
    Failed(Problem),
    /// The widget's offline QR was read.
    OfflineChallenge(OfflineChallenge),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let activated = self.device.is_some();
        next.screen = match action {
            Action::Started {
                device,
                scanned,
                pending,
                scan,
            } => {
                next.device = device.map(Rc::new);
                next.pending = pending.filter(|_| next.device.is_none()).map(Rc::new);
                match (next.device.is_some(), scanned, &next.pending, scan) {
                    (true, true, ..) => Screen::Opening,
                    (true, false, ..) => Screen::Home,
                    (false, true, ..) => Screen::Problem(Problem::NoDevice),
                    (false, false, Some(pending), _) => Screen::Pending(pending.clone()),
                    (false, false, None, Some(scan)) => Screen::ScanConfirm(Rc::new(scan)),
                    (false, false, None, None) => Screen::Welcome,
                }
            }
            Action::LogIn(path) if !activated => {
                next.pending = None;
                Screen::Activate(path)
            }
            Action::NewUser if !activated => {
                next.pending = None;
                Screen::NewUser
            }
            Action::ScanSecond(second) if !activated && self.activating() => {
                Screen::ScanConfirm(Rc::new(second))
            }
            Action::NeedsReplacement(replace) if !activated && self.activating() => {
                Screen::Replace(Rc::new(replace))
            }
            Action::ActivationPending(pending) if !activated && self.activating() => {
                let pending = Rc::new(pending);
                next.pending = Some(pending.clone());
                Screen::Pending(pending)
            }
            Action::Confirming { activation_id } if !activated => match &self.pending {
                Some(p) if p.activation_id == activation_id => Screen::Confirming,
                _ => Screen::Problem(Problem::LinkElsewhere),
            },
            Action::CancelActivation if !activated => {
                next.pending = None;
                Screen::Welcome
            }
            Action::Activated(device) => {
                next.device = Some(Rc::new(device));
                next.pending = None;
                Screen::Certificate
            }
            Action::ShowCertificate if activated => Screen::Certificate,
            Action::Home if activated => Screen::Home,
            Action::Home => match &self.pending {
                Some(pending) => Screen::Pending(pending.clone()),
                None => Screen::Welcome,
            },
            Action::ShowDevices if activated => Screen::Devices,
            Action::ShowBackup if activated => Screen::Backup,
            Action::ShowSettings if activated => Screen::Settings,
            Action::Renamed(name) => match &self.device {
                Some(device) => {
                    next.device = Some(Rc::new(Device {
                        name,
                        ..(**device).clone()
                    }));
                    self.screen.clone()
                }
                None => return self,
            },
            Action::Forget => {
                next.device = None;
                next.pending = None;
                next.handled.clear();
                Screen::Welcome
            }
            Action::OfflineChallenge(challenge) if activated => {
                Screen::OfflineCode(Rc::new(challenge))
            }
            Action::OfflineChallenge(_) => Screen::Problem(Problem::NoDevice),
            Action::Opening if activated => Screen::Opening,
            Action::Opening => Screen::Problem(Problem::NoDevice),
            // A pushed request must not pull the user away from another screen.
            Action::Opened(request)
                if matches!(self.screen, Screen::Home | Screen::Opening)
                    && !self.handled.contains(&request.session_id) =>
            {
                if request.number_choices.is_some() {
                    Screen::Match(Rc::new(request))
                } else {
                    Screen::Request(Rc::new(request))
                }
            }
            // Only the request whose number was being picked moves on to its PIN.
            Action::Matched(request) if matches!(&self.screen, Screen::Match(r) if r.session_id == request.session_id) => {
                Screen::Request(Rc::new(request))
            }
            Action::Answered {
                session_id,
                outcome,
            } => {
                if !next.handled.contains(&session_id) {
                    next.handled.push(session_id);
                }
                Screen::Result(outcome)
            }
            Action::Failed(problem)
                if matches!(self.screen, Screen::Opening | Screen::Confirming) =>
            {
                Screen::Problem(problem)
            }
            _ => return self,
        };
        Rc::new(next)
    }
}

impl State {
    /// Whether an activation request may be on its way: from the LOG IN form, the wizard
    /// or the replace screen.
    fn activating(&self) -> bool {
        matches!(
            self.screen,
            Screen::Activate(_) | Screen::Replace(_) | Screen::NewUser
        )
    }
}

/// The pushed request to open next: the first one neither answered here nor expired.
pub fn next_request<'a>(
    pending: &'a [DeviceRequest],
    handled: &[String],
    now: u64,
) -> Option<&'a DeviceRequest> {
    pending
        .iter()
        .find(|r| r.expires_at > now && !handled.contains(&r.session_id))
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
