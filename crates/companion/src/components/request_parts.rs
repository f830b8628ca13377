//! What the number screen and the request screen share: a call about the open request
//! and its error line ([`Act`]), who asks and from where with the time left
//! ([`RequestHead`]), and the two ways out, "No, I don't approve" ([`deny_button`]) and
//! "This wasn't me" ([`not_me`]).
use std::future::Future;
use std::rc::Rc;

use tessera_protocol::{
    CoarseLocation, Decision, UserVerification,
    api::{DeviceRequest, RespondRequest},
    assemble,
};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{Ctx, use_ctx, use_seconds_left};
use crate::approval::approval_signing_input;
use crate::errors::{Failure, FormError};
use crate::i18n::{Lang, T, Texts};
use crate::state::{Action, Device, Outcome, State};
use crate::{api, biometrics, keystore};

/// Props of both request screens: the open request and the device answering it.
#[derive(Properties, PartialEq)]
pub struct RequestProps {
    /// What the server sent: with `number_choices` on the number screen, without on the
    /// request screen.
    pub request: Rc<DeviceRequest>,
    /// This device.
    pub device: Rc<Device>,
}

/// A screen's calls about one open request: while one is under way the buttons are
/// disabled; a failure that leaves the request open shows in the error line.
#[derive(Clone, PartialEq)]
pub struct Act {
    session_id: AttrValue,
    busy: UseStateHandle<bool>,
    error: UseStateHandle<Option<FormError>>,
    dispatch: UseReducerDispatcher<State>,
}

/// The [`Act`] of the request `session_id`.
#[hook]
pub fn use_act(session_id: &str) -> Act {
    let ctx = use_ctx();
    Act {
        session_id: AttrValue::from(session_id.to_string()),
        busy: use_state(|| false),
        error: use_state(|| None),
        dispatch: ctx.dispatch,
    }
}

impl Act {
    /// Whether a call is under way.
    pub fn busy(&self) -> bool {
        *self.busy
    }

    /// The error line's text, if any.
    pub fn message(&self, lang: Lang) -> Option<String> {
        (*self.error).as_ref().map(|e| e.message(lang))
    }

    /// Shows a check made here in the error line.
    pub fn refuse(&self, key: T) {
        self.error.set(Some(FormError::Local(key)));
    }

    /// The action that ends this request with `outcome`.
    pub fn ended(&self, outcome: Outcome) -> Action {
        Action::Answered {
            session_id: self.session_id.to_string(),
            outcome,
        }
    }

    /// Runs `call` unless one is under way. Success dispatches `done(answer)`; a failure
    /// that ends the request shows its result; any other failure goes to the error line
    /// and `failed` runs (to clear and focus the PIN, say).
    pub fn run<V: 'static>(
        &self,
        call: impl Future<Output = Result<V, Failure>> + 'static,
        done: impl FnOnce(V) -> Action + 'static,
        failed: impl FnOnce() + 'static,
    ) {
        if *self.busy {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        let act = self.clone();
        spawn_local(async move {
            match call.await {
                Ok(answer) => act.dispatch.dispatch(done(answer)),
                Err(failure) => match failure.final_outcome() {
                    Some(outcome) => act.dispatch.dispatch(act.ended(outcome)),
                    None => {
                        act.error.set(Some(FormError::Server(failure)));
                        act.busy.set(false);
                        failed();
                    }
                },
            }
        });
    }
}

/// How the user confirms an answer: nothing (a denial), the PIN, or biometrics.
pub enum Proof {
    /// A denial needs none.
    Nothing,
    /// The PIN as typed.
    Pin(String),
    /// The platform authenticator.
    Biometric,
}

/// Signs the answer to `request` with the device key (an approval with the coarse
/// `location` if the user shares it), has the platform confirm it when `proof` is
/// biometric (the assertion signs this very approval), and sends it.
pub async fn answer(
    request: Rc<DeviceRequest>,
    device: Rc<Device>,
    decision: Decision,
    proof: Proof,
    location: Option<CoarseLocation>,
) -> Result<(), Failure> {
    let uv = match proof {
        Proof::Biometric => UserVerification::Biometric,
        _ => UserVerification::Pin,
    };
    let now = api::now_secs();
    let input = approval_signing_input(&request, &device, decision, uv, location, now);
    let signature = keystore::sign(input.as_bytes()).await?;
    let approval = assemble(&input, &signature).map_err(|_| Failure::Key)?;
    let (pin, biometric) = match proof {
        Proof::Nothing => (None, None),
        Proof::Pin(pin) => (Some(pin), None),
        Proof::Biometric => (None, Some(biometrics::confirm(&approval).await?)),
    };
    let respond = RespondRequest {
        approval,
        pin,
        biometric,
    };
    api::respond(&request.session_id, &respond).await.map(drop)
}

/// "No, I don't approve" (`#btn-deny`): signs and sends a denial; no PIN, no number.
pub fn deny_button(ctx: &Ctx, act: &Act, request: &Rc<DeviceRequest>, device: &Rc<Device>) -> Html {
    let onclick = {
        let (act, request, device) = (act.clone(), request.clone(), device.clone());
        Callback::from(move |_| {
            let denied = act.ended(Outcome::Denied);
            let call = answer(
                request.clone(),
                device.clone(),
                Decision::Deny,
                Proof::Nothing,
                None,
            );
            act.run(call, move |()| denied, || ());
        })
    };
    html! {
        <button id="btn-deny" type="button" class="secondary" disabled={act.busy()} {onclick}>
            { ctx.t(T::Deny) }
        </button>
    }
}

/// "This wasn't me" (`#btn-not-me`), set apart from the answers: the server cancels the
/// request and records a fraud report for the partner.
pub fn not_me(ctx: &Ctx, act: &Act, request: &DeviceRequest) -> Html {
    let onclick = {
        let act = act.clone();
        let (session_id, partner) = (request.session_id.clone(), request.partner_name.clone());
        Callback::from(move |_| {
            let reported = act.ended(Outcome::Reported {
                partner: partner.clone(),
            });
            let session_id = session_id.clone();
            act.run(
                async move { api::report(&session_id).await },
                move |()| reported,
                || (),
            );
        })
    };
    html! {
        <div class="not-me">
            <button id="btn-not-me" type="button" class="report" disabled={act.busy()} {onclick}>
                <span class="report-icon" aria-hidden="true">{ "⚑" }</span>
                <span class="report-text">
                    <strong>{ ctx.t(T::NotMe) }</strong>
                    <span>{ ctx.t(T::NotMeHint) }</span>
                </span>
            </button>
        </div>
    }
}

/// Props of [`RequestHead`].
#[derive(Properties, PartialEq)]
pub struct HeadProps {
    /// The open request.
    pub request: Rc<DeviceRequest>,
}

/// Who asks (`#req-partner`), from which website (`#req-origin`), and the time left;
/// when it runs out the request ends as closed.
#[function_component]
pub fn RequestHead(props: &HeadProps) -> Html {
    let ctx = use_ctx();
    let r = &props.request;
    let left = use_seconds_left(r.expires_at);
    {
        let (dispatch, session_id) = (ctx.dispatch.clone(), r.session_id.clone());
        use_effect_with(left == 0, move |&expired| {
            if expired {
                dispatch.dispatch(Action::Answered {
                    session_id,
                    outcome: Outcome::Closed,
                });
            }
        });
    }
    html! {
        <div class="head">
            <dl class="asker">
                <div class="row"><dt>{ ctx.t(T::ReqFrom) }</dt>
                    <dd id="req-partner" class="partner">{ &r.partner_name }</dd></div>
                <div class="row"><dt>{ ctx.t(T::ReqWebsite) }</dt>
                    <dd id="req-origin" class="origin">{ &r.origin }</dd></div>
                // A CIBA request's binding message, the same the partner shows.
                if let Some(message) = &r.binding_message {
                    <div class="row"><dt>{ ctx.t(T::ReqMessage) }</dt>
                        <dd id="req-binding">{ message }</dd></div>
                }
            </dl>
            <p class="hint">{ ctx.t(T::ReqCheck) }</p>
            <p id="req-countdown" class={classes!("countdown", (left <= 15).then_some("urgent"))}
                role="timer">{ ctx.lang.tn(T::ExpiresIn, left) }</p>
            // Screen readers hear the time left every ten seconds, not every second.
            <p class="sr-only" aria-live="polite" aria-atomic="true">
                { ctx.lang.tn(T::ExpiresIn, left.div_ceil(10) * 10) }</p>
        </div>
    }
}
