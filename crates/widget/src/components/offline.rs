//! "My phone has no network" (issue 17): a still QR that carries what is asked to the
//! phone (`OfflineChallenge`), which shows it and computes an 8-digit code with the PIN;
//! the person types the user ID and the code here, the server checks them, and the widget
//! hands the page the server's signed result. The QR does not change: no time limit but
//! the session's, which "More time" extends.
use std::rc::Rc;

use tessera_protocol::offline::{OfflineAccepted, OfflineAnswer, OfflineChallenge};
use tessera_ui::{EcLevel, qr_svg};
use web_sys::HtmlInputElement;
use yew::{platform::spawn_local, prelude::*};

use crate::{
    i18n::{Lang, Text, t},
    net,
    state::Session,
    verify,
};

/// Props of [`OfflinePanel`].
#[derive(Properties, PartialEq)]
pub struct OfflinePanelProps {
    /// The session waited on.
    pub session: Session,
    /// The language.
    pub lang: Lang,
    /// Called with the user id and the server's signed result once a code was accepted.
    pub on_answered: Callback<(String, String)>,
}

/// What the last answer came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Nothing,
    Sending,
    /// Wrong code (or user, or PIN on the phone).
    Wrong,
    /// Too many wrong codes for this session.
    TooMany,
    /// Not an 8-digit code.
    Malformed,
    /// The server could not be asked.
    Failed,
}

/// The panel: `tessera-offline` opens it; `tessera-offline-qr`, `tessera-offline-user`,
/// `tessera-offline-code`, `tessera-offline-submit`, `tessera-offline-note`.
#[component]
pub fn OfflinePanel(props: &OfflinePanelProps) -> Html {
    let open = use_state_eq(|| false);
    let said = use_state_eq(|| Said::Nothing);
    let (user, code) = (use_node_ref(), use_node_ref());
    let lang = props.lang;
    let link = use_memo(props.session.clone(), |session| {
        let config = &session.config;
        OfflineChallenge {
            session_id: config.session.session_id.clone(),
            nonce: config.session.nonce.clone(),
            partner_id: config.session.partner_id.clone(),
            origin: verify::page_origin(),
            kind: config.kind,
            details: config.details.clone(),
        }
        .link(&config.server)
    });
    let svg = use_memo(Rc::clone(&link), |link| {
        qr_svg(link, EcLevel::L).unwrap_or_default()
    });
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onsubmit = {
        let (config, said, on_answered) = (
            Rc::clone(&props.session.config),
            said.clone(),
            props.on_answered.clone(),
        );
        let (user, code) = (user.clone(), code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|i| i.value().trim().to_owned())
                    .unwrap_or_default()
            };
            let answer = OfflineAnswer {
                user_id: value(&user),
                code: value(&code),
            };
            if answer.user_id.is_empty()
                || tessera_protocol::offline::normalize_offline_code(&answer.code).is_none()
            {
                return said.set(Said::Malformed);
            }
            said.set(Said::Sending);
            let (config, said, on_answered) =
                (Rc::clone(&config), said.clone(), on_answered.clone());
            spawn_local(async move {
                let server = config.server.trim_end_matches('/');
                let url = format!("{server}/v1/sessions/{}/offline", config.session.session_id);
                let token = Some(config.session.watch_token.as_str());
                let reply = net::post(&url, &net::json(&answer), token).await;
                match reply {
                    Ok((200, text)) => match tessera_ui::parse_json::<OfflineAccepted>(&text) {
                        Some(accepted) => on_answered.emit((answer.user_id, accepted.result)),
                        None => said.set(Said::Failed),
                    },
                    Ok((401, _)) => said.set(Said::Wrong),
                    Ok((429, _)) => said.set(Said::TooMany),
                    Ok((400, _)) => said.set(Said::Malformed),
                    _ => said.set(Said::Failed),
                }
            });
        })
    };
    let note = match *said {
        Said::Nothing | Said::Sending => None,
        Said::Wrong => Some(Text::OfflineWrong),
        Said::TooMany => Some(Text::OfflineTooMany),
        Said::Malformed => Some(Text::OfflineMalformed),
        Said::Failed => Some(Text::OfflineFailed),
    };
    let sending = *said == Said::Sending;
    html! {
        <div class="tessera-offline">
            <button id="tessera-offline" type="button" class="tessera-btn" onclick={toggle}
                aria-expanded={open.to_string()} aria-controls="tessera-offline-panel">
                { t(lang, Text::OfflineOpen) }
            </button>
            if *open {
                <div id="tessera-offline-panel" class="tessera-offline__panel">
                    <p id="tessera-offline-intro">{ t(lang, Text::OfflineIntro) }</p>
                    <figure class="tessera-qr">
                        <div id="tessera-offline-qr" class="tessera-qr__code" role="img"
                            aria-label={t(lang, Text::OfflineQrAlt)} data-qr-link={(*link).clone()}>
                            { Html::from_html_unchecked(AttrValue::from((*svg).clone())) }
                        </div>
                    </figure>
                    <form class="tessera-push" {onsubmit}>
                        <label for="tessera-offline-user">{ t(lang, Text::UserId) }</label>
                        <input id="tessera-offline-user" ref={user} type="text" autocomplete="username"
                            autocapitalize="none" spellcheck="false" required=true />
                        <label for="tessera-offline-code">{ t(lang, Text::OfflineCodeLabel) }</label>
                        <div class="tessera-push__row">
                            <input id="tessera-offline-code" ref={code} type="text" inputmode="numeric"
                                autocomplete="one-time-code" required=true
                                aria-describedby="tessera-offline-intro" />
                            <button id="tessera-offline-submit" type="submit" class="tessera-btn"
                                disabled={sending}>{ t(lang, Text::OfflineSubmit) }</button>
                        </div>
                        <p id="tessera-offline-note" role="alert"
                            class={classes!("tessera-note", note.map(|_| "tessera-note--bad"))}>
                            { note.map(|n| t(lang, n)).unwrap_or_default() }
                        </p>
                    </form>
                </div>
            }
        </div>
    }
}
