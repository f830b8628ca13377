//! The Demo Bank's login page: the bank's header, a login card with the Tessera widget,
//! and, once the widget verified an approval, the bank backend's own answer.
use serde::{Deserialize, Serialize};
use tessera_protocol::SignedApproval;
use tessera_widget::{Approved, Lang, Widget, net};
use yew::{platform::spawn_local, prelude::*};

#[derive(Serialize)]
struct LoginRequest<'a> {
    session_id: &'a str,
    result: &'a SignedApproval,
}

#[derive(Deserialize)]
struct LoginAnswer {
    user_id: String,
}

/// What the bank's backend said about the approval.
#[derive(Clone, PartialEq)]
enum Bank {
    Idle,
    Checking,
    LoggedIn(String),
    Refused { code: String, message: String },
    Unreachable,
}

#[component]
fn App() -> Html {
    let bank = use_state(|| Bank::Idle);
    let on_approved = {
        let bank = bank.clone();
        Callback::from(move |approved: Approved| {
            bank.set(Bank::Checking);
            let bank = bank.clone();
            spawn_local(async move {
                let body = LoginRequest {
                    session_id: &approved.session_id,
                    result: &approved.result,
                };
                let answer =
                    net::post_json::<LoginAnswer>("/bank/login", &net::json(&body), None).await;
                bank.set(match answer {
                    Ok(LoginAnswer { user_id }) => Bank::LoggedIn(user_id),
                    Err(net::FetchError::Api(e)) => Bank::Refused {
                        code: e.code,
                        message: e.message,
                    },
                    Err(_) => Bank::Unreachable,
                });
            });
        })
    };
    let (state, result) = match &*bank {
        Bank::Idle => ("idle", html! {}),
        Bank::Checking => (
            "checking",
            html! { <p>{ "Demo Bank is checking your login…" }</p> },
        ),
        Bank::LoggedIn(user) => (
            "logged_in",
            html! {
                <>
                    <h2>{ format!("Welcome, {user}") }</h2>
                    <p>{ "Demo Bank verified the approval again on its server. You are logged in." }</p>
                    <ul class="accounts">
                        <li><span>{ "Current account" }</span><strong>{ "€ 2,431.18" }</strong></li>
                        <li><span>{ "Savings" }</span><strong>{ "€ 12,050.00" }</strong></li>
                    </ul>
                </>
            },
        ),
        Bank::Refused { code, message } => (
            "refused",
            html! {
                <p>{ format!("Demo Bank refused the login: {message} ") }<code>{ code.clone() }</code></p>
            },
        ),
        Bank::Unreachable => (
            "error",
            html! { <p>{ "Demo Bank's server did not answer." }</p> },
        ),
    };
    // Announced politely; the widget's own status already said "logged in as".
    let announce = match &*bank {
        Bank::LoggedIn(user) => format!("Demo Bank: welcome, {user}."),
        Bank::Refused { .. } | Bank::Unreachable => "Demo Bank refused the login.".to_owned(),
        _ => String::new(),
    };
    html! {
        <>
            <header class="bank-bar">
                <span class="bank-logo" aria-hidden="true">{ "DB" }</span>
                <span class="bank-name">{ "Demo Bank" }</span>
            </header>
            <main class="bank-main">
                <h1>{ "Online banking" }</h1>
                <p class="bank-lead">{ "Log in securely with your phone. No password needed." }</p>
                <div class="bank-card"><Widget {on_approved} lang={Lang::from_browser()} /></div>
                // Only once the page sent something to the bank's backend.
                if *bank != Bank::Idle {
                    <section id="bank-result" class={classes!("bank-result", format!("bank-result--{state}"))}
                        data-state={state}>{ result }</section>
                }
                // Visually hidden by widget.css, which this page loads anyway.
                <div class="tessera-sr" aria-live="polite">{ announce }</div>
            </main>
            <footer class="bank-foot">{ "Demo Bank is a demonstration partner site of Tessera." }</footer>
        </>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
