//! For people who cannot scan the animated QR (WCAG 2.2.1, issue 17): "I can't scan"
//! shows a short code to type into the companion, "More time" extends the session (the
//! server bounds how often), and on a phone "Open Tessera on this phone" switches to the
//! companion with the session (the same link the QR shows; in a new tab, so the page
//! keeps waiting where the phone's browser opens it instead of the installed app). Each step is announced in a
//! polite live region, and every control is a plain button or link.
use std::rc::Rc;

use tessera_protocol::access::{Extended, ShortCodeIssued, group_short_code};
use yew::{platform::spawn_local, prelude::*};

use super::offline::OfflinePanel;
use crate::{
    i18n::{Lang, Text, t},
    net,
    state::Session,
};

/// Props of [`AccessPanel`].
#[derive(Properties, PartialEq)]
pub struct AccessPanelProps {
    /// The session waited on.
    pub session: Session,
    /// The companion link the QR shows now, for the same-device button.
    pub link: AttrValue,
    /// Whether the phone still has to find the session (no phone has it yet): the code
    /// and the same-device button only matter then.
    pub finding: bool,
    /// The language.
    pub lang: Lang,
    /// Called with the new expiry once the server extended the session.
    pub on_extended: Callback<u64>,
    /// Called with the user id and the server's signed result once an offline code was
    /// accepted.
    pub on_offline: Callback<(String, String)>,
}

/// What the panel last did, for its note and its announcement.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    None,
    /// A code to type, as the server gave it.
    Code(String),
    /// The server would give no (more) code.
    CodeFailed,
    /// The session was extended.
    Extended,
    /// The session cannot be extended any more.
    NoMoreTime,
}

/// The panel, ids `tessera-same-device`, `tessera-cant-scan`, `tessera-short-code`,
/// `tessera-more-time`, `tessera-access-note`.
#[component]
pub fn AccessPanel(props: &AccessPanelProps) -> Html {
    let note = use_state_eq(|| Note::None);
    let code = use_state_eq(|| None::<String>);
    let busy = use_state_eq(|| false);
    let lang = props.lang;
    // Both buttons POST to the session with its watch token, mark the panel busy, and
    // turn the answer (or its absence) into a note.
    let ask = |path: &'static str, on_answer: Callback<Option<String>>| {
        let (config, busy) = (Rc::clone(&props.session.config), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (config, busy, on_answer) = (Rc::clone(&config), busy.clone(), on_answer.clone());
            busy.set(true);
            spawn_local(async move {
                let server = config.server.trim_end_matches('/');
                let url = format!("{server}/v1/sessions/{}/{path}", config.session.session_id);
                let token = Some(config.session.watch_token.as_str());
                on_answer.emit(match net::post(&url, "{}", token).await {
                    Ok((200..=299, text)) => Some(text),
                    _ => None,
                });
                busy.set(false);
            });
        })
    };
    let on_code = ask("code", {
        let (note, code) = (note.clone(), code.clone());
        Callback::from(move |answer: Option<String>| {
            match answer.and_then(|text| tessera_ui::parse_json::<ShortCodeIssued>(&text)) {
                Some(issued) => {
                    code.set(Some(issued.code.clone()));
                    note.set(Note::Code(issued.code));
                }
                None => note.set(Note::CodeFailed),
            }
        })
    });
    let on_more_time = ask("extend", {
        let (note, on_extended) = (note.clone(), props.on_extended.clone());
        Callback::from(move |answer: Option<String>| {
            match answer.and_then(|text| tessera_ui::parse_json::<Extended>(&text)) {
                Some(extended) => {
                    on_extended.emit(extended.expires_at);
                    note.set(Note::Extended);
                }
                None => note.set(Note::NoMoreTime),
            }
        })
    });
    let shown = (*code).as_ref().filter(|_| props.finding);
    let announcement = match &*note {
        Note::Code(code) if props.finding => format!(
            "{} {}",
            t(lang, Text::ShortCodeIntro),
            spelled(&group_short_code(code))
        ),
        Note::CodeFailed => t(lang, Text::ShortCodeFailed).to_owned(),
        Note::Extended => t(lang, Text::MoreTimeDone).to_owned(),
        Note::NoMoreTime => t(lang, Text::MoreTimeRefused).to_owned(),
        _ => String::new(),
    };
    let bad = matches!(*note, Note::CodeFailed | Note::NoMoreTime);
    html! {
        <div class="tessera-access">
            if props.finding {
                <a id="tessera-same-device" class="tessera-btn tessera-btn--primary tessera-same-device"
                    href={props.link.clone()} target="_blank" rel="noopener">
                    { t(lang, Text::SameDevice) }
                </a>
            }
            if let Some(code) = shown {
                <div class="tessera-short-code">
                    <p id="tessera-short-code-label" class="tessera-short-code__label">
                        { t(lang, Text::ShortCodeIntro) }
                    </p>
                    <p id="tessera-short-code" class="tessera-short-code__value" data-code={code.clone()}
                        aria-describedby="tessera-short-code-label">{ group_short_code(code) }</p>
                </div>
            }
            <div class="tessera-access__row">
                if props.finding {
                    <button id="tessera-cant-scan" type="button" class="tessera-btn" onclick={on_code}
                        disabled={*busy}>
                        { t(lang, if shown.is_some() { Text::NewShortCode } else { Text::CantScan }) }
                    </button>
                }
                <button id="tessera-more-time" type="button" class="tessera-btn" onclick={on_more_time}
                    disabled={*busy}>{ t(lang, Text::MoreTime) }</button>
            </div>
            if props.finding {
                <OfflinePanel session={props.session.clone()} {lang}
                    on_answered={props.on_offline.clone()} />
            }
            // One live region; the code itself is on screen above, so its announcement
            // (spelled out) is for screen readers only.
            <p id="tessera-access-note" aria-live="polite" data-note={note_code(&note)}
                class={match *note {
                    Note::Code(_) => classes!("tessera-sr"),
                    _ => classes!("tessera-note", bad.then_some("tessera-note--bad")),
                }}>{ announcement }</p>
        </div>
    }
}

/// The note's state for tests (`data-note`).
fn note_code(note: &Note) -> Option<&'static str> {
    match note {
        Note::None => None,
        Note::Code(_) => Some("code"),
        Note::CodeFailed => Some("code_failed"),
        Note::Extended => Some("extended"),
        Note::NoMoreTime => Some("no_more_time"),
    }
}

/// The code one character at a time, so a screen reader spells it instead of reading a
/// word ("A B C D, E F G H").
fn spelled(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '-' {
                ",".to_owned()
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::spelled;

    #[test]
    fn codes_are_spelled_for_screen_readers() {
        assert_eq!(spelled("AB2D-EFGH"), "A B 2 D, E F G H");
    }
}
