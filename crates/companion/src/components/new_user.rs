//! NEW USER (flow A) as a wizard: one step per screen in the seed's order, `#btn-next`
//! forward and `#btn-back` back (nothing typed is lost), the step's heading focused, and
//! at the end one activation request that carries the terms, the security questions and
//! the new password. The steps and their checks are [`crate::wizard`].
use tessera_protocol::{
    SECURITY_ANSWERS, SECURITY_QUESTIONS,
    api::Credential,
    pin::{PinProblem, pin_problem},
};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::activate::{Draft, new_request, send_activation};
use super::field::Field;
use super::{Ctx, error_line, focus, use_ctx};
use crate::i18n::{T, Texts};
use crate::keystore;
use crate::state::Action;
use crate::wizard::{Entries, Entry, Step, Wizard, WizardAction, password_checklist};

/// Sends the wizard's activation request; a refusal goes back to the wizard.
fn send(entries: Entries, wizard: UseReducerDispatcher<Wizard>, ctx: &Ctx) {
    let Ok(setup) = entries.setup() else {
        return;
    };
    let dispatch = ctx.dispatch.clone();
    let biometrics_pin = entries.biometrics.then(|| entries.pin.clone());
    spawn_local(async move {
        let draft = Draft {
            user_id: entries.user_id.trim().into(),
            password: entries.password,
            credential: Credential::ActivationCode(entries.code.trim().into()),
            pin: entries.pin,
            device_name: entries.device_name.trim().into(),
            setup: Some(setup),
        };
        let sent = match new_request(draft).await {
            Ok(request) => send_activation(request, dispatch, biometrics_pin).await,
            Err(failure) => Err(failure),
        };
        if let Err(failure) = sent {
            keystore::delete_key().await;
            wizard.dispatch(WizardAction::Failed(failure));
        }
    });
}

/// A text input of the wizard: its value lives in the wizard.
fn on_set(wizard: &UseReducerDispatcher<Wizard>, entry: Entry) -> Callback<InputEvent> {
    let wizard = wizard.clone();
    Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        wizard.dispatch(WizardAction::Set(entry, input.value()));
    })
}

/// The wizard's screen, `#new-user[data-step=…]`.
#[function_component]
pub fn NewUser() -> Html {
    let ctx = use_ctx();
    let wizard = use_reducer(Wizard::default);
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(wizard.step, move |_| focus(&heading));
    }
    {
        let (entries, dispatcher, ctx) = (wizard.entries.clone(), wizard.dispatcher(), ctx.clone());
        use_effect_with(wizard.sending, move |&sending| {
            if sending {
                send(entries, dispatcher, &ctx);
            }
        });
    }

    let step = wizard.step;
    let sending = wizard.sending;
    let onsubmit = {
        let dispatcher = wizard.dispatcher();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatcher.dispatch(if step == Step::Password {
                WizardAction::Send
            } else {
                WizardAction::Next
            });
        })
    };
    let on_back = {
        let (dispatcher, dispatch) = (wizard.dispatcher(), ctx.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if step == Step::Credentials {
                dispatch.dispatch(Action::CancelActivation);
            } else {
                dispatcher.dispatch(WizardAction::Back);
            }
        })
    };

    let forward = |id: &'static str, label: T, disabled: bool| {
        html! {
            <button {id} type="submit" class="primary" {disabled} aria-busy={sending.to_string()}>
                { ctx.t(if sending { T::Working } else { label }) }
            </button>
        }
    };
    let button = match step {
        Step::Terms => forward("btn-next", T::Confirm, !wizard.entries.terms),
        Step::Biometrics => {
            let label = if wizard.entries.biometrics {
                T::Next
            } else {
                T::Later
            };
            forward("btn-biometrics-later", label, false)
        }
        Step::Review => forward("btn-questions-confirm", T::QuestionsConfirm, false),
        Step::Password => forward("btn-next", T::Submit, sending),
        _ => forward("btn-next", T::Next, false),
    };
    let message = wizard.problem.as_ref().map(|e| e.message(ctx.lang));
    let progress = ctx
        .lang
        .tn(T::StepOf, format!("{}/{}", step.number(), Step::ALL.len()));
    html! {
        <section id="new-user" class="screen wizard" data-step={step.id()}>
            <p id="wizard-progress" class="eyebrow">{ progress }</p>
            <h1 id="step-title" tabindex="-1" ref={heading} aria-describedby="wizard-progress">
                { ctx.t(step.title()) }
            </h1>
            <form id="wizard-form" novalidate=true {onsubmit}>
                { step_body(&ctx, &wizard) }
                { error_line(message) }
                if sending {
                    <p id="wizard-status" class="waiting-inline" role="status">{ ctx.t(T::Working) }</p>
                }
                <div class="actions">
                    { button }
                    <button id="btn-back" type="button" class="secondary" onclick={on_back} disabled={sending}>
                        { ctx.t(T::Back) }
                    </button>
                </div>
            </form>
        </section>
    }
}

/// What the step on screen asks for.
fn step_body(ctx: &Ctx, wizard: &UseReducerHandle<Wizard>) -> Html {
    let e = &wizard.entries;
    let d = wizard.dispatcher();
    let disabled = wizard.sending;
    let value = |entry: Entry| Some(AttrValue::from(e.get(entry).to_string()));
    match wizard.step {
        Step::Credentials => html! {
            <>
                <p>{ ctx.t(T::CredentialsText) }</p>
                <Field id="act-user-id" label={T::UserId} autocomplete="username"
                    value={value(Entry::UserId)} oninput={on_set(&d, Entry::UserId)} />
                <Field id="act-password" label={T::Password} kind="password" autocomplete="current-password"
                    value={value(Entry::Password)} oninput={on_set(&d, Entry::Password)} />
            </>
        },
        Step::Terms => {
            let onchange = Callback::from(move |ev: Event| {
                let input: HtmlInputElement = ev.target_unchecked_into();
                d.dispatch(WizardAction::Terms(input.checked()));
            });
            html! {
                <>
                    <div id="terms-text" class="terms" tabindex="0" role="document">
                        <p>{ ctx.t(T::TermsText) }</p>
                    </div>
                    <div class="switch">
                        <input type="checkbox" role="switch" id="terms-accept" checked={e.terms}
                            aria-describedby="terms-text" {onchange} />
                        <label for="terms-accept">{ ctx.t(T::TermsAccept) }</label>
                    </div>
                </>
            }
        }
        Step::Code => html! {
            <>
                <p id="code-text">{ ctx.t(T::CodeText) }</p>
                <Field id="act-code" label={T::ActivationCode} autocomplete="one-time-code"
                    value={value(Entry::Code)} oninput={on_set(&d, Entry::Code)} describedby="code-text" />
            </>
        },
        Step::Biometrics => {
            let onchange = Callback::from(move |ev: Event| {
                let input: HtmlInputElement = ev.target_unchecked_into();
                d.dispatch(WizardAction::Biometrics(input.checked()));
            });
            html! {
                <>
                    <p id="biometrics-text">{ ctx.t(T::BiometricsText) }</p>
                    <div class="switch">
                        <input type="checkbox" role="switch" id="act-biometrics" checked={e.biometrics}
                            aria-describedby="biometrics-text" {onchange} />
                        <label for="act-biometrics">{ ctx.t(T::BiometricsAfter) }</label>
                    </div>
                </>
            }
        }
        Step::Pin => {
            // A trivial PIN is refused as soon as its sixth digit is typed.
            let trivial =
                wizard.problem.is_none() && pin_problem(&e.pin) == Some(PinProblem::Trivial);
            html! {
                <>
                    <p>{ ctx.t(T::PinText) }</p>
                    <Field id="act-pin" label={T::NewPin} hint={T::PinHint} kind="password" pin=true
                        value={value(Entry::Pin)} oninput={on_set(&d, Entry::Pin)} />
                    if trivial {
                        <p id="pin-problem" class="error" role="alert">{ ctx.t(T::PinTrivial) }</p>
                    }
                    <Field id="act-pin-confirm" label={T::PinConfirm} kind="password" pin=true
                        value={value(Entry::PinConfirm)} oninput={on_set(&d, Entry::PinConfirm)} />
                </>
            }
        }
        Step::Questions => html! {
            <>
                <p id="questions-text">{ ctx.t(T::QuestionsText) }</p>
                { for (0..SECURITY_ANSWERS).map(|i| question(ctx, e, &d, i)) }
            </>
        },
        Step::Review => html! {
            <>
                <p>{ ctx.t(T::ReviewText) }</p>
                <dl id="questions-review">
                    { for e.questions.iter().zip(&e.answers).map(|(q, a)| html! {
                        <div class="row">
                            <dt>{ q.map(|q| ctx.lang.question(q)).unwrap_or_default() }</dt>
                            <dd>{ a.trim().to_string() }</dd>
                        </div>
                    }) }
                </dl>
            </>
        },
        Step::Name => html! {
            <Field id="act-device-name" label={T::DeviceName} hint={T::DeviceNameHint}
                value={value(Entry::DeviceName)} oninput={on_set(&d, Entry::DeviceName)} />
        },
        Step::Password => {
            let checklist =
                password_checklist(&e.new_password, &e.new_password_confirm, &e.user_id);
            html! {
                <>
                    <p>{ ctx.t(T::PasswordText) }</p>
                    <Field id="new-password" label={T::NewPassword} kind="password" autocomplete="new-password"
                        value={value(Entry::NewPassword)} oninput={on_set(&d, Entry::NewPassword)}
                        describedby="password-checklist" {disabled} />
                    <Field id="new-password-confirm" label={T::NewPasswordConfirm} kind="password"
                        autocomplete="new-password" value={value(Entry::NewPasswordConfirm)}
                        oninput={on_set(&d, Entry::NewPasswordConfirm)} {disabled} />
                    <ul id="password-checklist" class="checklist" aria-label={ctx.t(T::PasswordRules)}>
                        { for checklist.into_iter().map(|(rule, ok)| html! {
                            <li data-ok={ok.to_string()}>
                                <span class="mark" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                                { ctx.t(rule) }
                                <span class="sr-only">{ " (" }{ ctx.t(if ok { T::CheckMet } else { T::CheckNotMet }) }{ ")" }</span>
                            </li>
                        }) }
                    </ul>
                </>
            }
        }
    }
}

/// Question `i`: the list of questions (`#question-i`, those chosen in the other lists
/// disabled) and the answer (`#answer-i`).
fn question(ctx: &Ctx, e: &Entries, d: &UseReducerDispatcher<Wizard>, i: usize) -> Html {
    let chosen = e.questions[i];
    let taken = e.taken_elsewhere(i);
    let onchange = {
        let d = d.clone();
        Callback::from(move |ev: Event| {
            let select: HtmlSelectElement = ev.target_unchecked_into();
            d.dispatch(WizardAction::Question(i, select.value().parse().ok()));
        })
    };
    let (select_id, answer_id) = (format!("question-{i}"), format!("answer-{i}"));
    html! {
        <fieldset class="question">
            <legend>{ ctx.lang.tn(T::QuestionN, i + 1) }</legend>
            <div class="field">
                <label for={select_id.clone()} class="sr-only">{ ctx.lang.tn(T::QuestionN, i + 1) }</label>
                <select id={select_id} {onchange}>
                    <option value="" selected={chosen.is_none()}>{ ctx.t(T::ChooseQuestion) }</option>
                    { for (0..SECURITY_QUESTIONS.len()).filter_map(|q| u8::try_from(q).ok()).map(|q| html! {
                        <option value={q.to_string()} selected={chosen == Some(q)} disabled={taken.contains(&q)}>
                            { ctx.lang.question(q) }
                        </option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for={answer_id.clone()}>{ ctx.lang.tn(T::AnswerN, i + 1) }</label>
                <input id={answer_id.clone()} name={answer_id} type="text" autocomplete="off"
                    spellcheck="false" value={e.answers[i].clone()}
                    oninput={on_set(d, Entry::Answer(i))} />
            </div>
        </fieldset>
    }
}
