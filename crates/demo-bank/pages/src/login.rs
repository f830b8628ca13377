//! `#/`: the login card with the Tessera widget, and, once the widget verified an
//! approval, the bank backend's own answer.
use serde::Deserialize;
use tessera_protocol::{CoarseLocation, UserVerification};
use tessera_widget::{Lang, Widget};
use yew::prelude::*;

use crate::backend::{Step, answer, near, on_approved, on_offline, result};

#[derive(Clone, Deserialize)]
struct LoginAnswer {
    user_id: String,
    uv: UserVerification,
    #[serde(default)]
    location: Option<CoarseLocation>,
    /// With the phone's offline code rather than its signature.
    #[serde(default)]
    offline: bool,
}

/// The login page.
#[component]
pub fn LoginPage() -> Html {
    let step = use_state(|| Step::<LoginAnswer>::Idle);
    let read = answer::<LoginAnswer>;
    let on_approved = on_approved(&step, "/bank/login", move |text, _| read(text));
    let on_offline = on_offline(&step, "/bank/login/offline", read);
    let outcome = result(&step, "Demo Bank is checking your login…", |answer| {
        let user = &answer.user_id;
        let (uv, how) = match (answer.offline, answer.uv) {
            (true, _) => ("offline", "the offline code it showed"),
            (false, UserVerification::Pin) => ("pin", "your PIN"),
            (false, UserVerification::Biometric) => ("biometric", "biometrics"),
        };
        (
            "logged_in",
            html! {
                <>
                    <h2>{ format!("Welcome, {user}") }</h2>
                    <p>{ if answer.offline {
                        "Demo Bank checked Tessera's signed confirmation of your code on its server. You are logged in."
                    } else {
                        "Demo Bank verified the approval again on its server. You are logged in."
                    } }</p>
                    <p id="bank-uv" data-uv={uv}>{ format!("You confirmed on your phone with {how}.") }</p>
                    { near(answer.location) }
                    <ul class="accounts">
                        <li><span>{ "Current account" }</span><strong>{ "€ 2,431.18" }</strong></li>
                        <li><span>{ "Savings" }</span><strong>{ "€ 12,050.00" }</strong></li>
                    </ul>
                </>
            },
            format!("Demo Bank: welcome, {user}."),
        )
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Online banking" }</h1>
            <p class="bank-lead">{ "Log in securely with your phone. No password needed." }</p>
            <div class="bank-card"><Widget {on_approved} {on_offline} lang={Lang::from_browser()} /></div>
            { outcome }
        </>
    }
}
