//! The widget's ceremony as one explicit state machine: one `enum State`, one pure
//! reducer, no web APIs, so it is tested natively. The component renders with one match
//! on [`State`] and runs the effects (fetch, event stream, verification) around it.
use std::rc::Rc;

use tessera_protocol::{
    SignedApproval, VerifyError,
    api::{CancelReason, SessionEvent, SessionState, WidgetConfig},
    b64_decode,
};
use yew::Reducible;

/// A session the bank's backend opened for this page.
#[derive(Debug, Clone)]
pub struct Session {
    /// The configuration, exactly as the bank's backend sent it.
    pub config: Rc<WidgetConfig>,
    /// The decoded QR secret.
    pub qr_secret: Rc<Vec<u8>>,
    /// When the widget received the configuration (ms since the epoch, browser clock);
    /// the QR's `t` counts from here.
    pub started_ms: f64,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id() && self.started_ms == other.started_ms
    }
}

impl Session {
    /// Checks the configuration; `None` if its QR secret or root key is unusable.
    pub fn new(config: WidgetConfig, started_ms: f64) -> Option<Session> {
        let qr_secret = b64_decode(&config.session.qr_secret).filter(|s| !s.is_empty())?;
        config.pinned_roots()?;
        Some(Session {
            config: Rc::new(config),
            qr_secret: Rc::new(qr_secret),
            started_ms,
        })
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.config.session.session_id
    }

    /// Whole seconds since the widget received the session, at `now_ms`.
    pub fn elapsed_secs(&self, now_ms: f64) -> u64 {
        ((now_ms - self.started_ms) / 1000.0).max(0.0) as u64
    }

    /// The same session, expiring at `expires_at` (the server extended it).
    pub fn extended(&self, expires_at: u64) -> Session {
        let mut config = (*self.config).clone();
        config.session.expires_at = expires_at;
        Session {
            config: Rc::new(config),
            ..self.clone()
        }
    }

    /// The companion link the QR shows at `t` seconds.
    pub fn qr_link(&self, t: u64) -> String {
        let code = tessera_protocol::qr_code(&self.qr_secret, t);
        let server = self.config.server.trim_end_matches('/');
        format!("{server}/companion/#/scan/{}/{t}/{code}", self.id())
    }
}

/// What the phone is doing, while the widget waits (like BankID's hint codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// Waiting for the QR to be scanned or a push to be sent.
    Pending,
    /// A push went to the user's devices.
    PushSent,
    /// The phone opened a pushed request; the user picks the number the widget shows.
    Opened,
    /// The phone shows the request and its details; the user checks them and enters the
    /// PIN.
    AwaitingPin,
}

/// The push form's own progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// Nothing sent yet.
    Idle,
    /// The request is on its way to the server.
    Sending,
    /// The server accepted it, with the number the phone must pick (`None` if the
    /// answer carried none).
    Sent(Option<u8>),
    /// It could not be sent; the person may try again.
    Failed,
}

/// The widget's own reasons to stop, besides a refused approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The bank's backend did not give us a session.
    StartFailed,
    /// The session's QR secret or root key is unusable.
    ConfigInvalid,
    /// The event stream closed before a final state.
    ConnectionLost,
    /// The relay sent an event that is not a `SessionEvent`.
    RelayMalformed,
    /// The relay said "approved" without an approval.
    ResultMissing,
    /// The page is not a secure context (https, or a loopback host), so the browser
    /// offers no WebCrypto to verify an approval with: nothing starts that could only
    /// end refused, after the person approved on the phone.
    InsecurePage,
}

/// Why the widget stopped without logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The approval was refused by verification.
    Verify(VerifyError),
    /// The bank's backend refused to open the session, with its `ApiError` code (e.g.
    /// `payee_iban_invalid` when it refused the details).
    Bank(Rc<str>),
    /// Something else went wrong.
    Problem(Problem),
}

impl Failure {
    /// The stable code shown in `data-error` and small on screen.
    pub fn code(&self) -> &str {
        match self {
            Failure::Verify(e) => e.code(),
            Failure::Bank(code) => code,
            Failure::Problem(Problem::StartFailed) => "start_failed",
            Failure::Problem(Problem::ConfigInvalid) => "config_invalid",
            Failure::Problem(Problem::ConnectionLost) => "connection_lost",
            Failure::Problem(Problem::RelayMalformed) => "relay_malformed",
            Failure::Problem(Problem::ResultMissing) => "result_missing",
            Failure::Problem(Problem::InsecurePage) => "insecure_page",
        }
    }
}

/// Where the ceremony stands. One match on this decides what is on screen.
#[derive(Debug, Clone, PartialEq, Default)]
#[allow(missing_docs)] // variant fields are named for what they hold
pub enum State {
    /// Nothing started.
    #[default]
    Idle,
    /// Asking the bank's backend for a session.
    Starting,
    /// Showing the QR / push form and listening to the relay.
    Waiting {
        session: Session,
        hint: Hint,
        push: Push,
    },
    /// The relay delivered an approval; verifying it.
    Verifying {
        session: Session,
        result: SignedApproval,
    },
    /// The approval verified for this user.
    Verified { session: Session, user_id: String },
    /// The user typed the phone's offline code and the server accepted it (issue 17):
    /// no approval to verify here; the partner's backend checks the server's signed
    /// result (`result`, a JWT of its JWKS).
    ConfirmedOffline {
        session: Session,
        user_id: String,
        result: String,
    },
    /// The user denied on the phone.
    Denied,
    /// The session expired.
    Expired,
    /// The session was cancelled: here (`page`), on the phone, or for a reason the
    /// relay did not say.
    Cancelled(Option<CancelReason>),
    /// Stopped; not logged in.
    Failed(Failure),
}

/// What happened. Actions about a session carry its id; an action for any other session
/// than the current one (a late answer from a previous attempt) is ignored.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum Action {
    /// The person asked to log in (or for a new QR code).
    Start,
    /// The bank's backend answered with a configuration, received at `now_ms`.
    Loaded {
        config: Box<WidgetConfig>,
        now_ms: f64,
    },
    /// The bank's backend did not answer with a configuration; `bank_code` is its
    /// `ApiError` code if it answered with one.
    StartFailed { bank_code: Option<String> },
    /// This browser cannot verify approvals on this page ([`Problem::InsecurePage`]).
    Unsupported,
    /// The relay sent an event.
    Event {
        session_id: String,
        event: SessionEvent,
    },
    /// Something went wrong with the relay's stream.
    Trouble {
        session_id: String,
        problem: Problem,
    },
    /// The push form progressed.
    Push { session_id: String, push: Push },
    /// The person cancelled.
    Cancel,
    /// The page changed what it asks to approve: whatever the widget showed was about the
    /// old details, so it starts over (the component cancels a session it waited on).
    Reset,
    /// The clock ticked (Unix seconds), to expire the session on time.
    Tick { now_secs: u64 },
    /// The server accepted an offline code for the session (issue 17).
    AnsweredOffline {
        session_id: String,
        user_id: String,
        result: String,
    },
    /// The server gave the session more time (issue 17): it now expires at `expires_at`.
    Extended { session_id: String, expires_at: u64 },
    /// Verification accepted the approval.
    Verified { session_id: String, user_id: String },
    /// Verification refused the approval.
    Refused {
        session_id: String,
        error: VerifyError,
    },
}

impl State {
    /// The session being shown, if any.
    pub fn session(&self) -> Option<&Session> {
        match self {
            State::Waiting { session, .. }
            | State::Verifying { session, .. }
            | State::Verified { session, .. }
            | State::ConfirmedOffline { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The session whose relay events the widget listens to: only while waiting.
    pub fn listening(&self) -> Option<&Session> {
        match self {
            State::Waiting { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The machine-readable state for `data-state`.
    pub fn code(&self) -> &'static str {
        match self {
            State::Idle | State::Starting => "idle",
            State::Waiting {
                hint: Hint::Pending,
                ..
            } => "pending",
            State::Waiting {
                hint: Hint::PushSent,
                ..
            } => "push_sent",
            State::Waiting {
                hint: Hint::Opened, ..
            } => "opened",
            State::Waiting {
                hint: Hint::AwaitingPin,
                ..
            } => "awaiting_pin",
            State::Verifying { .. } => "verifying",
            State::Verified { .. } => "verified",
            State::ConfirmedOffline { .. } => "offline_confirmed",
            State::Denied => "denied",
            State::Expired => "expired",
            State::Cancelled(_) => "cancelled",
            State::Failed(_) => "error",
        }
    }

    /// The error code for `data-error`, when failed.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            State::Failed(failure) => Some(failure.code()),
            _ => None,
        }
    }

    /// Why the session was cancelled, for `data-reason`.
    pub fn cancel_reason(&self) -> Option<&'static str> {
        match self {
            State::Cancelled(reason) => reason.map(CancelReason::as_str),
            _ => None,
        }
    }

    /// The number the phone must pick, while it matters: a push was accepted with a
    /// number and the phone has not moved on to the PIN yet.
    pub fn push_number(&self) -> Option<u8> {
        match self {
            State::Waiting {
                hint: Hint::Pending | Hint::PushSent | Hint::Opened,
                push: Push::Sent(number),
                ..
            } => *number,
            _ => None,
        }
    }

    /// Whether the ceremony is over and may be started again.
    pub fn can_restart(&self) -> bool {
        matches!(
            self,
            State::Denied | State::Expired | State::Cancelled(_) | State::Failed(_)
        )
    }

    fn is_current(&self, session_id: &str) -> bool {
        self.session().is_some_and(|s| s.id() == session_id)
    }

    /// The state after `action`; `None` when the action changes nothing.
    pub fn next(&self, action: Action) -> Option<State> {
        use State::*;
        Some(match (self, action) {
            (Idle, Action::Start) => Starting,
            (s, Action::Start) if s.can_restart() => Starting,
            (Starting, Action::Loaded { config, now_ms }) => match Session::new(*config, now_ms) {
                Some(session) => Waiting {
                    session,
                    hint: Hint::Pending,
                    push: Push::Idle,
                },
                None => Failed(Failure::Problem(Problem::ConfigInvalid)),
            },
            (Starting, Action::Unsupported) => Failed(Failure::Problem(Problem::InsecurePage)),
            (Starting, Action::StartFailed { bank_code }) => Failed(match bank_code {
                Some(code) => Failure::Bank(code.into()),
                None => Failure::Problem(Problem::StartFailed),
            }),
            (Waiting { session, push, .. }, Action::Event { session_id, event })
                if session.id() == session_id =>
            {
                let session = session.clone();
                let push = *push;
                match (event.state, event.result) {
                    (SessionState::Pending, _) => Waiting {
                        session,
                        hint: Hint::Pending,
                        push,
                    },
                    (SessionState::PushSent, _) => Waiting {
                        session,
                        hint: Hint::PushSent,
                        push,
                    },
                    (SessionState::Opened, _) => Waiting {
                        session,
                        hint: Hint::Opened,
                        push,
                    },
                    (SessionState::AwaitingPin, _) => Waiting {
                        session,
                        hint: Hint::AwaitingPin,
                        push,
                    },
                    (SessionState::Approved, Some(result)) => Verifying { session, result },
                    (SessionState::Approved, None) => {
                        Failed(Failure::Problem(Problem::ResultMissing))
                    }
                    (SessionState::Denied, _) => Denied,
                    (SessionState::Expired, _) => Expired,
                    (SessionState::Cancelled, _) => Cancelled(event.reason),
                }
                .changed_from(self)?
            }
            (
                Waiting { .. },
                Action::Trouble {
                    session_id,
                    problem,
                },
            ) if self.is_current(&session_id) => Failed(Failure::Problem(problem)),
            (Waiting { session, hint, .. }, Action::Push { session_id, push })
                if session.id() == session_id =>
            {
                Waiting {
                    session: session.clone(),
                    hint: *hint,
                    push,
                }
            }
            (
                Waiting {
                    session,
                    hint,
                    push,
                },
                Action::Extended {
                    session_id,
                    expires_at,
                },
            ) if session.id() == session_id => Waiting {
                session: session.extended(expires_at),
                hint: *hint,
                push: *push,
            },
            (
                Waiting { session, .. },
                Action::AnsweredOffline {
                    session_id,
                    user_id,
                    result,
                },
            ) if session.id() == session_id => ConfirmedOffline {
                session: session.clone(),
                user_id,
                result,
            },
            (Waiting { .. }, Action::Cancel) => Cancelled(Some(CancelReason::Page)),
            (Idle, Action::Reset) => return None,
            (_, Action::Reset) => Idle,
            (Waiting { session, .. }, Action::Tick { now_secs })
                if now_secs >= session.config.session.expires_at =>
            {
                Expired
            }
            (
                Verifying { session, .. },
                Action::Verified {
                    session_id,
                    user_id,
                },
            ) if session.id() == session_id => Verified {
                session: session.clone(),
                user_id,
            },
            (Verifying { session, .. }, Action::Refused { session_id, error })
                if session.id() == session_id =>
            {
                Failed(Failure::Verify(error))
            }
            _ => return None,
        })
    }

    /// `None` if a repeated event left the waiting state as it was (no re-render).
    fn changed_from(self, old: &State) -> Option<State> {
        (self != *old).then_some(self)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.next(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
