//! "Back up": the password (it encrypts the file), a new restore secret from the server,
//! the file encrypted here (`crate::backup`), and the link to download it.
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::field::Field;
use super::{error_line, focus, input_value, pause, use_autofocus, use_ctx};
use crate::api;
use crate::backup::{BackupError, Contents, encrypt, file_name};
use crate::errors::FormError;
use crate::i18n::{Lang, T};
use crate::lifecycle::RestoreError;
use crate::state::{Action, Device};

/// Props: this device.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The device making the backup (its user and name go into the file).
    pub device: Rc<Device>,
}

/// Where the backup stands.
#[derive(Clone, PartialEq)]
enum Step {
    /// Waiting for the password.
    Form,
    /// Asking the server, then encrypting.
    Working,
    /// The file, ready: its name and a `data:` URL of its text.
    Ready { name: String, href: String },
}

/// What went wrong.
#[derive(Clone, PartialEq)]
enum Problem {
    /// A check or an answer of the server.
    Form(FormError),
    /// The encryption (no randomness).
    Backup(BackupError),
}

impl Problem {
    fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Form(e) => e.message(lang),
            Problem::Backup(e) => RestoreError::Backup(*e).message(lang),
        }
    }
}

/// `#backup-password`, `#btn-backup-create`, then `#download-backup`.
#[function_component]
pub fn BackupScreen(props: &Props) -> Html {
    let ctx = use_ctx();
    let heading = use_autofocus();
    let password = use_node_ref();
    let ready = use_node_ref();
    let step = use_state(|| Step::Form);
    let problem = use_state(|| None::<Problem>);

    {
        let ready = ready.clone();
        use_effect_with((*step).clone(), move |step| {
            if matches!(step, Step::Ready { .. }) {
                focus(&ready);
            }
        });
    }

    let onsubmit = {
        let (password, step, problem) = (password.clone(), step.clone(), problem.clone());
        let (device, lang) = (props.device.clone(), ctx.lang);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *step == Step::Working {
                return;
            }
            let secret = input_value(&password);
            if secret.is_empty() {
                problem.set(Some(Problem::Form(FormError::Local(T::PasswordRequired))));
                return;
            }
            problem.set(None);
            step.set(Step::Working);
            let (step, problem, device) = (step.clone(), problem.clone(), device.clone());
            spawn_local(async move {
                let issued = match api::backup().await {
                    Ok(issued) => issued,
                    Err(failure) => {
                        problem.set(Some(Problem::Form(FormError::Server(failure))));
                        step.set(Step::Form);
                        return;
                    }
                };
                let contents = Contents::new(
                    &issued.user_id,
                    &device.name,
                    lang.tag(),
                    &issued.restore_secret,
                    issued.created_at,
                );
                // Argon2id holds the thread for a moment: show "Encrypting…" first.
                pause().await;
                match encrypt(&contents, &secret) {
                    Ok(text) => step.set(Step::Ready {
                        name: file_name(&issued.user_id),
                        href: format!(
                            "data:application/json;charset=utf-8,{}",
                            js_sys::encode_uri_component(&text)
                        ),
                    }),
                    Err(error) => {
                        problem.set(Some(Problem::Backup(error)));
                        step.set(Step::Form);
                    }
                }
            });
        })
    };
    let on_back = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ShowDevices))
    };

    let working = *step == Step::Working;
    let message = (*problem).as_ref().map(|p| p.message(ctx.lang));
    let body = match &*step {
        Step::Ready { name, href } => html! {
            <div id="backup-ready" class="panel">
                <p id="backup-ready-text" tabindex="-1" ref={ready} role="status">{ ctx.t(T::BackupReady) }</p>
                <a id="download-backup" class="button primary" href={href.clone()} download={name.clone()}>
                    { ctx.t(T::DownloadBackup) }
                </a>
                <p class="hint mono">{ name.clone() }</p>
            </div>
        },
        _ => html! {
            <form id="backup-form" novalidate=true {onsubmit}>
                <Field id="backup-password" label={T::BackupPassword} hint={T::BackupPasswordHint}
                    kind="password" node={password} autocomplete="current-password" disabled={working} />
                { error_line(message) }
                <button id="btn-backup-create" type="submit" class="primary" disabled={working}
                    aria-busy={working.to_string()}>
                    { ctx.t(if working { T::Encrypting } else { T::BackupCreate }) }
                </button>
                if working {
                    <p id="backup-status" class="waiting-inline" role="status">{ ctx.t(T::Encrypting) }</p>
                }
            </form>
        },
    };
    html! {
        <section id="backup" class="screen">
            <h1 id="backup-title" tabindex="-1" ref={heading}>{ ctx.t(T::BackupTitle) }</h1>
            <p id="backup-intro">{ ctx.t(T::BackupIntro) }</p>
            { body }
            <button id="btn-back" class="secondary" onclick={on_back} disabled={working}>{ ctx.t(T::Back) }</button>
        </section>
    }
}
