//! The screens that end a flow: the result of an answer, a request that could not be
//! opened, and the short wait while one is opened.
use yew::prelude::*;

use super::pending::start_again;
use super::{use_autofocus, use_ctx, waiting};
use crate::i18n::{T, Texts};
use crate::state::{Action, Outcome, Problem};

/// Props of the result screen.
#[derive(Properties, PartialEq)]
pub struct ResultProps {
    /// How the request ended.
    pub outcome: Outcome,
}

/// "Approved", "Denied", "Device locked", "Request closed", "Request cancelled" (wrong
/// number) or "Reported", then back home.
#[function_component]
pub fn ResultScreen(props: &ResultProps) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let (title, text, badge): (T, String, &str) = match &props.outcome {
        Outcome::Approved => (T::ResApproved, ctx.t(T::ResApprovedText).into(), "✓"),
        Outcome::Denied => (T::ResDenied, ctx.t(T::ResDeniedText).into(), "✕"),
        Outcome::Locked => (T::ResLocked, ctx.t(T::ResLockedText).into(), "!"),
        Outcome::Closed => (T::ResClosed, ctx.t(T::ResClosedText).into(), "–"),
        Outcome::WrongNumber => (T::ResWrongNumber, ctx.t(T::ResWrongNumberText).into(), "!"),
        Outcome::Reported { partner } => (
            T::ResReported,
            ctx.lang.tn(T::ResReportedText, partner),
            "⚑",
        ),
    };
    let dispatch = ctx.dispatch.clone();
    let onclick = Callback::from(move |_| dispatch.dispatch(Action::Home));
    html! {
        <section id="result" class={classes!("screen", "result", props.outcome.attr())}
            data-result={props.outcome.attr()}>
            <div class="badge" aria-hidden="true">{ badge }</div>
            <h1 tabindex="-1" ref={focus}>{ ctx.t(title) }</h1>
            <p id="result-text" role="status">{ text }</p>
            <button id="btn-home" class="primary" {onclick}>{ ctx.t(T::BackHome) }</button>
        </section>
    }
}

/// Props of the problem screen.
#[derive(Properties, PartialEq)]
pub struct ProblemProps {
    /// What went wrong.
    pub problem: Problem,
}

/// Why a scanned or pushed request could not be opened, or the SMS link of a restore
/// could not finish it.
#[function_component]
pub fn ProblemScreen(props: &ProblemProps) -> Html {
    let ctx = use_ctx();
    let focus = use_autofocus();
    let text = match props.problem {
        Problem::QrStale => T::ErrQrStale,
        Problem::QrInvalid => T::ErrQrInvalid,
        Problem::DeviceInactive => T::ErrDeviceInactive,
        Problem::NoDevice => T::ErrNoDevice,
        Problem::NotFound => T::ErrNotFound,
        Problem::Network => T::ErrNetwork,
        Problem::Unexpected => T::ErrUnexpected,
        Problem::LinkExpired => T::ErrLinkExpired,
        Problem::LinkInvalid => T::ErrLinkInvalid,
        Problem::LinkElsewhere => T::ErrLinkElsewhere,
    };
    let title = if props.problem.about_activation() {
        T::ActProblemTitle
    } else {
        T::ProblemTitle
    };
    let dispatch = ctx.dispatch.clone();
    let button = if props.problem.about_activation() {
        // Start again: this restore cannot be finished (here).
        let onclick = start_again(&dispatch);
        html! { <button id="btn-activate" class="primary" {onclick}>{ ctx.t(T::StartAgain) }</button> }
    } else if props.problem == Problem::NoDevice {
        // The welcome screen: NEW USER or LOG IN.
        let onclick = Callback::from(move |_| dispatch.dispatch(Action::Home));
        html! { <button id="btn-activate" class="primary" {onclick}>{ ctx.t(T::ActivateDevice) }</button> }
    } else {
        let onclick = Callback::from(move |_| dispatch.dispatch(Action::Home));
        html! { <button id="btn-home" class="primary" {onclick}>{ ctx.t(T::BackHome) }</button> }
    };
    html! {
        <section id="problem" class="screen" data-problem={props.problem.attr()}>
            <h1 tabindex="-1" ref={focus}>{ ctx.t(title) }</h1>
            <p id="form-error" class="error" role="alert">{ ctx.t(text) }</p>
            { button }
        </section>
    }
}

/// While a request is being fetched.
#[function_component]
pub fn OpeningScreen() -> Html {
    waiting("opening", use_ctx().t(T::Opening))
}
