//! The widget: one match on [`State`] decides what is on screen; effects around it.
use std::rc::Rc;

use tessera_protocol::{
    Kind, SignedApproval, VerifiedApproval,
    api::{CancelReason, PushAccepted, PushRequest, WidgetConfig},
};
use yew::{platform::spawn_local, prelude::*};

use tessera_ui::LangPicker;

use super::access::AccessPanel;
use super::countdown::Countdown;
use super::push_form::PushForm;
use super::qr::QrPanel;
use super::summary::details_summary;
use crate::{
    hooks::{use_clock, use_session_events},
    i18n::{Lang, Text, bank_error_text, error_text, t, tf},
    net,
    state::{Action, Failure, Hint, Problem, Push, Session, State},
    timing, verify,
};

/// A verified approval, handed to the page so it can post it to its backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Approved {
    /// The session id.
    pub session_id: String,
    /// What the relay delivered, for the bank's backend to verify again.
    pub result: SignedApproval,
    /// What the widget verified.
    pub verified: VerifiedApproval,
}

/// The phone's offline code, taken by the server: its signed result, for the bank's
/// backend to verify against Tessera's JWKS and use up
/// (`tessera_protocol::offline::verify_offline_result`). The widget cannot verify it
/// itself: Tessera vouches for the code, the phone signed nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct OfflineConfirmed {
    /// The session id.
    pub session_id: String,
    /// The user id the person typed, as the server matched it.
    pub user_id: String,
    /// The server's signed result (a JWT).
    pub result: String,
}

/// Why a session ended without a verified approval, for the page (`onError`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ended {
    /// A stable code: `denied`, `expired`, `cancelled`, or the error code the widget shows
    /// (`start_failed`, `connection_lost`, a verification error such as `origin_mismatch`, …).
    pub code: String,
    /// What the widget says about it, in its current language.
    pub message: String,
}

/// Props of [`Widget`].
#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    /// The bank backend's route that opens a session and answers a `WidgetConfig`.
    #[prop_or(AttrValue::Static("/bank/session"))]
    pub session_url: AttrValue,
    /// The JSON text POSTed to `session_url`: what the page asks to confirm or sign (the
    /// bank's backend decides what the session carries, and the widget shows and checks
    /// exactly what it answered). When it changes, the widget starts over.
    #[prop_or(AttrValue::Static("{}"))]
    pub session_body: AttrValue,
    /// A `WidgetConfig` (JSON) the partner's backend already created: the widget starts
    /// with it at once instead of POSTing to `session_url`, and offers no new attempt (a
    /// session is good for one ceremony; the page mounts again with a new one).
    #[prop_or_default]
    pub config: Option<AttrValue>,
    /// Called once when a session ends without a verified approval.
    #[prop_or_default]
    pub on_error: Callback<Ended>,
    /// What the page asks for, for the texts until the bank's answer names the kind.
    #[prop_or(Kind::Login)]
    pub kind: Kind,
    /// Called once an approval verified, never before.
    #[prop_or_default]
    pub on_approved: Callback<Approved>,
    /// Called once the server took the phone's offline code.
    #[prop_or_default]
    pub on_offline: Callback<OfflineConfirmed>,
    /// The initial language; the picker changes it.
    #[prop_or_default]
    pub lang: Lang,
}

/// The Tessera login widget.
#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let state = use_reducer(State::default);
    let lang = use_state_eq(|| props.lang);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
    let on_tick = dispatch.reform(|now_secs| Action::Tick { now_secs });
    let elapsed = use_clock(state.listening().map(|s| s.started_ms), on_tick);
    use_session_events(state.listening().cloned(), dispatch.clone());
    use_verification(&state, &dispatch, &props.on_approved);
    use_cancel_on_unmount(state.listening());
    {
        // New details from the page: start over, cancelling a session for the old ones.
        let (dispatch, waited) = (
            dispatch.clone(),
            state.listening().map(|s| Rc::clone(&s.config)),
        );
        use_effect_with(props.session_body.clone(), move |_| {
            if let Some(config) = waited {
                cancel(config);
            }
            dispatch.emit(Action::Reset);
        });
    }

    use_given_config(props.config.clone(), &dispatch);
    use_effect_with((), |()| {
        timing::mark(timing::READY);
        super::qr::warm_up();
    });
    {
        // Tells the page once when the server took an offline code.
        let confirmed = match &*state {
            State::ConfirmedOffline {
                session,
                user_id,
                result,
            } => Some(OfflineConfirmed {
                session_id: session.id().to_owned(),
                user_id: user_id.clone(),
                result: result.clone(),
            }),
            _ => None,
        };
        let on_offline = props.on_offline.clone();
        use_effect_with(confirmed, move |confirmed| {
            if let Some(confirmed) = confirmed {
                on_offline.emit(confirmed.clone());
            }
        });
    }
    {
        // Tells the page once when a session ended without a verified approval.
        let ended = ended(&state, props.kind, *lang);
        let on_error = props.on_error.clone();
        use_effect_with(ended, move |ended| {
            if let Some(ended) = ended {
                on_error.emit(ended.clone());
            }
        });
    }

    let start = {
        let dispatch = dispatch.clone();
        let (url, body) = (props.session_url.clone(), props.session_body.clone());
        Callback::from(move |_: MouseEvent| {
            timing::mark(timing::START);
            if !start_session(&dispatch) {
                return;
            }
            let (dispatch, url, body) = (dispatch.clone(), url.clone(), body.clone());
            spawn_local(async move {
                let loaded = net::post_json::<WidgetConfig>(&url, &body, None).await;
                dispatch.emit(match loaded {
                    Ok(config) => Action::Loaded {
                        config: Box::new(config),
                        now_ms: js_sys::Date::now(),
                    },
                    Err(net::FetchError::Api(e)) => Action::StartFailed {
                        bank_code: Some(e.code),
                    },
                    Err(_) => Action::StartFailed { bank_code: None },
                });
            });
        })
    };
    let lang_now = *lang;
    // The bank's answer names the kind; until then, the page's word for it.
    let kind = state.session().map_or(props.kind, |s| s.config.kind);
    let body = match &*state {
        State::Idle | State::Starting => {
            let busy = *state == State::Starting;
            html! {
                <button id="tessera-start" class="tessera-btn tessera-btn--primary" onclick={start} disabled={busy}>
                    { t(lang_now, if busy { Text::Starting } else { Text::start(kind) }) }
                </button>
            }
        }
        State::Waiting {
            session,
            hint,
            push,
        } => waiting(
            session,
            (*hint, *push, state.push_number()),
            elapsed,
            lang_now,
            &dispatch,
        ),
        State::Verifying { .. } => html! { <div class="tessera-spinner" aria-hidden="true"></div> },
        State::Verified { .. } | State::ConfirmedOffline { .. } => {
            html! { <div class="tessera-done" aria-hidden="true">{ "✓" }</div> }
        }
        // Trying again cannot help: the bank must serve the page over https.
        State::Failed(Failure::Problem(Problem::InsecurePage)) => html! {},
        // A given config is one session: the page mounts again with a new one.
        State::Denied | State::Expired | State::Cancelled(_) | State::Failed(_)
            if props.config.is_some() =>
        {
            html! {}
        }
        State::Denied | State::Expired | State::Cancelled(_) | State::Failed(_) => {
            let label = if *state == State::Expired {
                Text::NewQr
            } else {
                Text::TryAgain
            };
            html! {
                <button id="tessera-new-qr" class="tessera-btn tessera-btn--primary" onclick={start}>
                    { t(lang_now, label) }
                </button>
            }
        }
    };
    let details = state
        .session()
        .and_then(|s| s.config.details.as_ref())
        .map(|d| details_summary(d, lang_now));
    html! {
        <section class="tessera" lang={lang_now.tag()} aria-labelledby="tessera-title">
            <header class="tessera__head">
                <h2 id="tessera-title" class="tessera__title">{ t(lang_now, Text::title(kind)) }</h2>
                <LangPicker lang={lang_now} label={t(lang_now, Text::Language)} id="tessera-lang"
                    class="tessera-lang" on_change={Callback::from(move |l| lang.set(l))} />
            </header>
            { status(&state, kind, lang_now) }
            { for details }
            <div class="tessera__body">{ body }</div>
        </section>
    }
}

/// The status line: `data-state`, `data-error`, `data-reason`, the message and the error
/// code.
fn status(state: &State, kind: Kind, lang: Lang) -> Html {
    let message = message(state, kind, lang);
    let code = state.error_code();
    let class = classes!(
        "tessera__status",
        format!("tessera__status--{}", state.code())
    );
    html! {
        <div id="tessera-status" class={class} role="status" aria-live="polite"
            aria-busy={(*state == State::Starting).then_some("true")}
            data-state={state.code()} data-error={code.map(str::to_owned)}
            data-reason={state.cancel_reason()}
            data-offline-result={match state {
                State::ConfirmedOffline { result, .. } => Some(result.clone()),
                _ => None,
            }}>
            <p class="tessera__message">{ message }</p>
            if let Some(code) = code {
                <p class="tessera__code">{ tf(lang, Text::ErrorCode, code) }</p>
            }
        </div>
    }
}

/// How a session ended without a verified approval, or `None` while it has not.
fn ended(state: &State, kind: Kind, lang: Lang) -> Option<Ended> {
    let code = match state {
        State::Denied | State::Expired | State::Cancelled(_) => state.code(),
        State::Failed(failure) => failure.code(),
        _ => return None,
    };
    Some(Ended {
        code: code.to_owned(),
        message: message(state, kind, lang),
    })
}

/// The status line's message.
fn message(state: &State, kind: Kind, lang: Lang) -> String {
    let text = |which| t(lang, which).to_owned();
    // After a session ended without success, say what did not happen.
    let not_done = |text: &str| format!("{text} {}", t(lang, Text::not_done(kind)));
    match state {
        State::Idle => text(Text::intro(kind)),
        State::Starting => text(Text::Starting),
        State::Waiting { session, hint, .. } => match hint {
            Hint::Pending => text(Text::Pending),
            Hint::PushSent => text(Text::PushSent),
            Hint::Opened => match state.push_number() {
                Some(number) => tf(lang, Text::PickNumber, &format!("{number:02}")),
                None => text(Text::Opened),
            },
            Hint::AwaitingPin if session.config.details.is_some() => text(Text::AwaitingPinDetails),
            Hint::AwaitingPin => text(Text::AwaitingPin),
        },
        State::Verifying { .. } => text(Text::Verifying),
        State::Verified { user_id, .. } => tf(lang, Text::done(kind), user_id),
        State::ConfirmedOffline { user_id, .. } => tf(lang, Text::OfflineDone, user_id),
        State::Denied => not_done(t(lang, Text::Denied)),
        State::Expired => not_done(t(lang, Text::Expired)),
        State::Cancelled(reason) => not_done(t(
            lang,
            match reason {
                Some(CancelReason::WrongNumber) => Text::WrongNumber,
                Some(CancelReason::FraudReported) => Text::FraudReported,
                Some(CancelReason::Superseded) => Text::Superseded,
                _ => Text::Cancelled,
            },
        )),
        State::Failed(Failure::Bank(code)) => bank_error_text(lang, code).to_owned(),
        State::Failed(Failure::Problem(Problem::StartFailed | Problem::ConfigInvalid)) => {
            text(Text::ErrStart)
        }
        State::Failed(failure) => not_done(error_text(lang, failure.code(), kind)),
    }
}

/// The waiting screen: the QR, or the number to pick once a push was accepted, or a phone
/// once the phone has the request; countdown, push form, cancel.
fn waiting(
    session: &Session,
    (hint, push, number): (Hint, Push, Option<u8>),
    elapsed: u64,
    lang: Lang,
    dispatch: &Callback<Action>,
) -> Html {
    let config = Rc::clone(&session.config);
    let started = (session.started_ms / 1000.0) as u64;
    let expires_at = config.session.expires_at;
    let total = expires_at.saturating_sub(started);
    let remaining = total.saturating_sub(elapsed);
    let on_send = {
        let (dispatch, config) = (dispatch.clone(), Rc::clone(&config));
        Callback::from(move |user_id: String| {
            let session_id = config.session.session_id.clone();
            dispatch.emit(Action::Push {
                session_id: session_id.clone(),
                push: Push::Sending,
            });
            let (dispatch, config) = (dispatch.clone(), Rc::clone(&config));
            spawn_local(async move {
                let url = format!("{}/v1/sessions/{session_id}/push", server(&config));
                let token = Some(config.session.watch_token.as_str());
                let body = net::json(&PushRequest { user_id });
                // 202 with the number the phone must pick; any 2xx without one still
                // means sent.
                let push = match net::post(&url, &body, token).await {
                    Ok((200..=299, text)) => {
                        Push::Sent(tessera_ui::parse_json::<PushAccepted>(&text).map(|a| a.number))
                    }
                    _ => Push::Failed,
                };
                dispatch.emit(Action::Push { session_id, push });
            });
        })
    };
    let on_cancel = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Cancel);
            cancel(Rc::clone(&config));
        })
    };
    let on_extended = {
        let (dispatch, session_id) = (dispatch.clone(), session.id().to_owned());
        Callback::from(move |expires_at| {
            dispatch.emit(Action::Extended {
                session_id: session_id.clone(),
                expires_at,
            })
        })
    };
    let on_offline = {
        let (dispatch, session_id) = (dispatch.clone(), session.id().to_owned());
        Callback::from(move |(user_id, result): (String, String)| {
            dispatch.emit(Action::AnsweredOffline {
                session_id: session_id.clone(),
                user_id,
                result,
            })
        })
    };
    let on_phone = matches!(hint, Hint::Opened | Hint::AwaitingPin);
    let link = AttrValue::from(session.qr_link(elapsed));
    html! {
        <>
            if let Some(number) = number {
                <div class="tessera-number">
                    <p id="tessera-number-label" class="tessera-number__label">
                        { t(lang, Text::PickThisNumber) }
                    </p>
                    <p id="tessera-number" class="tessera-number__value"
                        aria-describedby="tessera-number-label">{ format!("{number:02}") }</p>
                </div>
            } else if on_phone {
                <div class="tessera-phone" aria-hidden="true">{ "📱" }</div>
            } else {
                <QrPanel link={link.clone()} {lang} />
            }
            <Countdown {remaining} {total} {lang} />
            // A pushed request is found already; a code or an app switch would not help.
            <AccessPanel session={session.clone()} {link} {lang} {on_extended} {on_offline}
                finding={!on_phone && number.is_none() && !matches!(push, Push::Sent(_))} />
            if !on_phone {
                <PushForm {lang} {push} {on_send} />
            }
            <button id="tessera-cancel" type="button" class="tessera-btn tessera-btn--quiet" onclick={on_cancel}>
                { t(lang, Text::Cancel) }
            </button>
        </>
    }
}

fn server(config: &WidgetConfig) -> &str {
    config.server.trim_end_matches('/')
}

/// Tells the relay the session is cancelled (the phone then shows it so).
fn cancel(config: Rc<WidgetConfig>) {
    spawn_local(async move {
        let id = &config.session.session_id;
        let url = format!("{}/v1/sessions/{id}/cancel", server(&config));
        net::post_ok(&url, "{}", Some(&config.session.watch_token)).await;
    });
}

/// Starts a session, as the click on start and a page's own configuration both do;
/// `false` when this page cannot verify an approval ([`crate::state::Problem::InsecurePage`])
/// and the session must not go on.
fn start_session(dispatch: &Callback<Action>) -> bool {
    dispatch.emit(Action::Start);
    let available = verify::webcrypto_available();
    if !available {
        dispatch.emit(Action::Unsupported);
    }
    available
}

/// Starts at once with a configuration the page was given (`config`), when it has one.
#[hook]
fn use_given_config(config: Option<AttrValue>, dispatch: &Callback<Action>) {
    let dispatch = dispatch.clone();
    use_effect_with(config, move |config| {
        if let Some(config) = config {
            if !start_session(&dispatch) {
                return;
            }
            dispatch.emit(match tessera_ui::parse_json::<WidgetConfig>(config) {
                Some(config) => Action::Loaded {
                    config: Box::new(config),
                    now_ms: js_sys::Date::now(),
                },
                None => Action::StartFailed { bank_code: None },
            });
        }
    });
}

/// Cancels the session being waited on when the widget goes away (the page moved on, or
/// changed what it asks to approve), so no phone keeps a request that nobody watches.
#[hook]
fn use_cancel_on_unmount(listening: Option<&Session>) {
    let current = use_mut_ref(|| None);
    *current.borrow_mut() = listening.map(|s| Rc::clone(&s.config));
    use_effect_with((), move |()| {
        move || {
            if let Some(config) = current.borrow_mut().take() {
                cancel(config);
            }
        }
    });
}

/// Verifies an approval as soon as the state becomes `Verifying`, then tells the page.
#[hook]
fn use_verification(
    state: &UseReducerHandle<State>,
    dispatch: &Callback<Action>,
    on_approved: &Callback<Approved>,
) {
    let verifying = match &**state {
        State::Verifying { session, result } => Some((session.clone(), result.clone())),
        _ => None,
    };
    let (dispatch, on_approved) = (dispatch.clone(), on_approved.clone());
    use_effect_with(verifying, move |verifying| {
        // Set when the state leaves `Verifying` (a new start, a cancel) or the widget goes
        // away: a verdict that arrives after that is nobody's any more.
        let abandoned = Rc::new(std::cell::Cell::new(false));
        if let Some((session, result)) = verifying.clone() {
            let abandoned = Rc::clone(&abandoned);
            spawn_local(async move {
                let session_id = session.id().to_owned();
                let verdict = verify::check(
                    &session.config,
                    &result,
                    &verify::page_origin(),
                    verify::now_secs(),
                )
                .await;
                if abandoned.get() {
                    return;
                }
                match verdict {
                    Ok(verified) => {
                        let user_id = verified.user_id().to_owned();
                        dispatch.emit(Action::Verified {
                            session_id: session_id.clone(),
                            user_id,
                        });
                        on_approved.emit(Approved {
                            session_id,
                            result,
                            verified,
                        });
                    }
                    Err(error) => dispatch.emit(Action::Refused { session_id, error }),
                }
            });
        }
        move || abandoned.set(true)
    });
}
