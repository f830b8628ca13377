//! The restore part of the activation form (flow E): the backup file, opened in the
//! browser with the password typed above it, what it holds, and the user's confirmation.
use std::rc::Rc;

use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{pause, use_ctx};
use crate::backup::Contents;
use crate::i18n::{T, Texts};
use crate::lifecycle::{RestoreError, backup_rows, open_backup};

/// Where the restore part of the form stands.
#[derive(Clone, PartialEq)]
pub enum Restore {
    /// No file picked.
    None,
    /// Reading and decrypting the file.
    Opening,
    /// Opened: shown, waiting for the user's confirmation.
    Opened(Rc<Contents>),
    /// Confirmed: the PIN and name come next.
    Confirmed(Rc<Contents>),
    /// The file could not be used.
    Failed(RestoreError),
}

/// Reads the picked file and opens it with the password typed.
pub fn open_file(
    file: &NodeRef,
    password: String,
    user_id: String,
    restore: UseStateHandle<Restore>,
) {
    let picked = file
        .cast::<HtmlInputElement>()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    let Some(picked) = picked else {
        restore.set(Restore::None);
        return;
    };
    if password.is_empty() {
        restore.set(Restore::Failed(RestoreError::PasswordFirst));
        return;
    }
    restore.set(Restore::Opening);
    spawn_local(async move {
        let text = JsFuture::from(picked.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        let Some(text) = text else {
            restore.set(Restore::Failed(RestoreError::FileRead));
            return;
        };
        // Argon2id holds the thread for a moment: show "Opening the backup…" first.
        pause().await;
        restore.set(match open_backup(&text, &password, &user_id) {
            Ok(contents) => Restore::Opened(Rc::new(contents)),
            Err(error) => Restore::Failed(error),
        });
    });
}

/// Props of the restore part.
#[derive(Properties, PartialEq)]
pub struct RestoreProps {
    pub restore: Restore,
    pub file: NodeRef,
    pub preview: NodeRef,
    pub on_file: Callback<Event>,
    pub on_retry: Callback<MouseEvent>,
    pub on_confirm: Callback<MouseEvent>,
    pub disabled: bool,
}

/// The restore part: the file, then what it holds and the confirmation.
#[function_component]
pub fn RestorePart(props: &RestoreProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let disabled = props.disabled;
    let contents = |c: &Contents| {
        html! {
            <dl id="restore-contents">
                { for backup_rows(c, lang).into_iter().map(|(label, value)| html! {
                    <div class="row"><dt>{ lang.t(label) }</dt><dd>{ value }</dd></div>
                }) }
            </dl>
        }
    };
    let state = match &props.restore {
        Restore::None => html! {},
        Restore::Opening => html! {
            <p id="restore-status" class="waiting-inline" role="status">{ lang.t(T::OpeningBackup) }</p>
        },
        Restore::Failed(error) => html! {
            <>
                <div id="restore-error" class="error" role="alert">{ error.message(lang) }</div>
                <button id="btn-restore-open" type="button" class="secondary"
                    onclick={props.on_retry.clone()} {disabled}>
                    { lang.t(T::TryAgain) }
                </button>
            </>
        },
        Restore::Opened(c) => html! {
            <div id="restore-preview" class="panel">
                <h2 id="restore-title" tabindex="-1" ref={props.preview.clone()}>{ lang.t(T::BackupHolds) }</h2>
                { contents(c) }
                <p>{ lang.t(T::RestoreQuestion) }</p>
                <button id="btn-restore-confirm" type="button" class="primary"
                    onclick={props.on_confirm.clone()} {disabled}>
                    { lang.t(T::RestoreConfirm) }
                </button>
            </div>
        },
        Restore::Confirmed(c) => html! {
            <div id="restore-preview" class="panel">
                { contents(c) }
                <p id="restore-confirmed" role="status">{ lang.t(T::RestoreConfirmed) }</p>
            </div>
        },
    };
    html! {
        <>
            <div class="field">
                <label for="restore-file">{ lang.t(T::BackupFile) }</label>
                <p class="hint" id="restore-file-hint">{ lang.t(T::BackupFileHint) }</p>
                <input id="restore-file" name="restore-file" type="file" accept=".json,application/json"
                    ref={props.file.clone()} onchange={props.on_file.clone()}
                    aria-describedby="restore-file-hint"
                    disabled={disabled || props.restore == Restore::Opening} />
            </div>
            { state }
        </>
    }
}
