//! The widget: one match on [`State`] decides what is on screen; effects around it.
use std::rc::Rc;

use tessera_protocol::{
    SignedApproval, VerifiedApproval,
    api::{PushRequest, WidgetConfig},
};
use yew::{platform::spawn_local, prelude::*};

use tessera_ui::LangPicker;

use super::{Countdown, PushForm, QrPanel};
use crate::{
    hooks::{use_clock, use_session_events},
    i18n::{Lang, Text, error_text, t, tf},
    net,
    state::{Action, Hint, Push, Session, State},
    verify,
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

/// Props of [`Widget`].
#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    /// The bank backend's route that opens a session and answers a `WidgetConfig`.
    #[prop_or(AttrValue::Static("/bank/session"))]
    pub session_url: AttrValue,
    /// Called once an approval verified, never before.
    #[prop_or_default]
    pub on_approved: Callback<Approved>,
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

    let start = {
        let (dispatch, url) = (dispatch.clone(), props.session_url.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Start);
            let (dispatch, url) = (dispatch.clone(), url.clone());
            spawn_local(async move {
                let loaded = net::post_json::<WidgetConfig>(&url, "{}", None).await;
                dispatch.emit(match loaded {
                    Ok(config) => Action::Loaded {
                        config,
                        now_ms: js_sys::Date::now(),
                    },
                    Err(_) => Action::StartFailed,
                });
            });
        })
    };
    let lang_now = *lang;
    let body = match &*state {
        State::Idle | State::Starting => {
            let busy = *state == State::Starting;
            html! {
                <button id="tessera-start" class="tessera-btn tessera-btn--primary" onclick={start} disabled={busy}>
                    { t(lang_now, if busy { Text::Starting } else { Text::Start }) }
                </button>
            }
        }
        State::Waiting {
            session,
            hint,
            push,
        } => waiting(session, *hint, *push, elapsed, lang_now, &dispatch),
        State::Verifying { .. } => html! { <div class="tessera-spinner" aria-hidden="true"></div> },
        State::Verified { .. } => {
            html! { <div class="tessera-done" aria-hidden="true">{ "✓" }</div> }
        }
        State::Denied | State::Expired | State::Cancelled | State::Failed(_) => {
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
    html! {
        <section class="tessera" lang={lang_now.tag()} aria-labelledby="tessera-title">
            <header class="tessera__head">
                <h2 id="tessera-title" class="tessera__title">{ t(lang_now, Text::Title) }</h2>
                <LangPicker lang={lang_now} label={t(lang_now, Text::Language)} id="tessera-lang"
                    class="tessera-lang" on_change={Callback::from(move |l| lang.set(l))} />
            </header>
            { status(&state, lang_now) }
            <div class="tessera__body">{ body }</div>
        </section>
    }
}

/// The status line: `data-state`, `data-error`, the message and the error code.
fn status(state: &State, lang: Lang) -> Html {
    let message = match state {
        State::Idle => t(lang, Text::Intro).into(),
        State::Starting => t(lang, Text::Starting).into(),
        State::Waiting {
            hint: Hint::Pending,
            ..
        } => t(lang, Text::Pending).into(),
        State::Waiting {
            hint: Hint::PushSent,
            ..
        } => t(lang, Text::PushSent).into(),
        State::Waiting {
            hint: Hint::Opened, ..
        } => t(lang, Text::Opened).into(),
        State::Verifying { .. } => t(lang, Text::Verifying).into(),
        State::Verified { user_id, .. } => tf(lang, Text::LoggedInAs, user_id),
        State::Denied => t(lang, Text::Denied).into(),
        State::Expired => t(lang, Text::Expired).into(),
        State::Cancelled => t(lang, Text::Cancelled).into(),
        State::Failed(failure) => error_text(lang, failure.code()).into(),
    };
    let code = state.error_code();
    let class = classes!(
        "tessera__status",
        format!("tessera__status--{}", state.code())
    );
    html! {
        <div id="tessera-status" class={class} role="status" aria-live="polite"
            aria-busy={(*state == State::Starting).then_some("true")}
            data-state={state.code()} data-error={code}>
            <p class="tessera__message">{ message }</p>
            if let Some(code) = code {
                <p class="tessera__code">{ tf(lang, Text::ErrorCode, code) }</p>
            }
        </div>
    }
}

/// The waiting screen: QR (until the phone opened the request), countdown, push, cancel.
fn waiting(
    session: &Session,
    hint: Hint,
    push: Push,
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
                let ok = net::post_ok(&url, &net::json(&PushRequest { user_id }), token).await;
                let push = if ok { Push::Sent } else { Push::Failed };
                dispatch.emit(Action::Push { session_id, push });
            });
        })
    };
    let on_cancel = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Cancel);
            let config = Rc::clone(&config);
            spawn_local(async move {
                let id = &config.session.session_id;
                let url = format!("{}/v1/sessions/{id}/cancel", server(&config));
                net::post_ok(&url, "{}", Some(&config.session.watch_token)).await;
            });
        })
    };
    html! {
        <>
            if hint == Hint::Opened {
                <div class="tessera-phone" aria-hidden="true">{ "📱" }</div>
            } else {
                <QrPanel link={AttrValue::from(session.qr_link(elapsed))} {lang} />
            }
            <Countdown {remaining} {total} {lang} />
            if hint != Hint::Opened {
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
        if let Some((session, result)) = verifying {
            let session_id = session.id().to_owned();
            match verify::check(
                &session.config,
                result,
                &verify::page_origin(),
                verify::now_secs(),
            ) {
                Ok(verified) => {
                    let user_id = verified.user_id().to_owned();
                    dispatch.emit(Action::Verified {
                        session_id: session_id.clone(),
                        user_id,
                    });
                    on_approved.emit(Approved {
                        session_id,
                        result: result.clone(),
                        verified,
                    });
                }
                Err(error) => dispatch.emit(Action::Refused { session_id, error }),
            }
        }
    });
}
