//! Time left before the session expires: a progress bar and the seconds, with a polite
//! announcement only every 30 seconds and in the last 10 (not every tick).
use yew::prelude::*;

use crate::i18n::{Lang, Text, tf};

/// Props of [`Countdown`].
#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// Seconds left.
    pub remaining: u64,
    /// Seconds the session had when it started.
    pub total: u64,
    /// The language.
    pub lang: Lang,
}

/// The countdown, id `tessera-countdown`.
#[component]
pub fn Countdown(props: &CountdownProps) -> Html {
    let CountdownProps {
        remaining,
        total,
        lang,
    } = *props;
    let clock = format!("{}:{:02}", remaining / 60, remaining % 60);
    let announce = if remaining == 10 || (remaining % 30 == 0 && remaining > 0) {
        tf(lang, Text::SecondsLeft, &remaining.to_string())
    } else {
        String::new()
    };
    let urgent = if remaining <= 10 {
        "tessera-countdown tessera-countdown--urgent"
    } else {
        "tessera-countdown"
    };
    html! {
        <div id="tessera-countdown" class={urgent} data-remaining={remaining.to_string()}>
            <progress class="tessera-countdown__bar" max={total.max(1).to_string()}
                value={remaining.to_string()} aria-hidden="true"></progress>
            <span class="tessera-countdown__text" role="timer">
                { tf(lang, Text::ExpiresIn, &clock) }
            </span>
            <span class="tessera-sr" aria-live="polite">{ announce }</span>
        </div>
    }
}
