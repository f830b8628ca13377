//! What the page does with a verified approval: posts it to the bank's backend, which
//! verifies it again against its own record, and shows the answer in `#bank-result`; or
//! the server's signed result of the phone's offline code, which the backend verifies.
use std::rc::Rc;

use serde::{Serialize, de::DeserializeOwned};
use tessera_protocol::{CoarseLocation, SignedApproval, api::ApiError};
use tessera_widget::{Approved, OfflineConfirmed, net};
use yew::{platform::spawn_local, prelude::*};

#[derive(Serialize)]
struct Completion<'a> {
    session_id: &'a str,
    result: &'a SignedApproval,
}

#[derive(Serialize)]
struct OfflineCompletion<'a> {
    session_id: &'a str,
    result: &'a str,
}

/// The bank's backend did not take the approval.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// It answered with an `ApiError` (`details_mismatch`, `replayed`, …).
    Refused { code: String, message: String },
    /// It did not answer, or answered something else.
    Unreachable,
}

/// Where the page stands with the bank's backend.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// Nothing sent yet.
    Idle,
    /// Posted; waiting for the answer.
    Checking,
    /// The bank's answer.
    Done(T),
    /// Not taken.
    Failed(Refusal),
}

/// Posts `body` to `url` and answers the body text of a 2xx response.
async fn complete(url: &str, body: &str) -> Result<String, Refusal> {
    match net::post(url, body, None).await {
        Ok((200..=299, text)) => Ok(text),
        Ok((_, text)) => Err(tessera_ui::parse_json::<ApiError>(&text).map_or(
            Refusal::Unreachable,
            |e| Refusal::Refused {
                code: e.code,
                message: e.message,
            },
        )),
        Err(_) => Err(Refusal::Unreachable),
    }
}

/// Sets `step` to `Checking`, posts `body` to `url`, then sets `step` to what `read`
/// makes of the answer's text.
fn submit<T: 'static>(
    step: &UseStateHandle<Step<T>>,
    url: &'static str,
    body: String,
    read: impl FnOnce(&str) -> Result<T, Refusal> + 'static,
) {
    step.set(Step::Checking);
    let step = step.clone();
    spawn_local(async move {
        let answer = complete(url, &body).await;
        step.set(match answer.and_then(|text| read(&text)) {
            Ok(done) => Step::Done(done),
            Err(refusal) => Step::Failed(refusal),
        });
    });
}

/// The widget's `on_approved` for a page: posts the verified approval to the backend's
/// `url` and sets `step` to `Checking`, then to what `read` makes of the answer's text.
pub fn on_approved<T: 'static>(
    step: &UseStateHandle<Step<T>>,
    url: &'static str,
    read: impl Fn(&str, &Approved) -> Result<T, Refusal> + 'static,
) -> Callback<Approved> {
    let (step, read) = (step.clone(), Rc::new(read));
    Callback::from(move |approved: Approved| {
        let body = net::json(&Completion {
            session_id: &approved.session_id,
            result: &approved.result,
        });
        let read = Rc::clone(&read);
        submit(&step, url, body, move |text| read(text, &approved));
    })
}

/// The widget's `on_offline` for a page: posts the server's signed result of the phone's
/// offline code to the backend's `url`, like [`on_approved`].
pub fn on_offline<T: 'static>(
    step: &UseStateHandle<Step<T>>,
    url: &'static str,
    read: impl Fn(&str) -> Result<T, Refusal> + 'static,
) -> Callback<OfflineConfirmed> {
    let (step, read) = (step.clone(), Rc::new(read));
    Callback::from(move |confirmed: OfflineConfirmed| {
        let body = net::json(&OfflineCompletion {
            session_id: &confirmed.session_id,
            result: &confirmed.result,
        });
        let read = Rc::clone(&read);
        submit(&step, url, body, move |text| read(text));
    })
}

/// The backend's answer `text` read as a `T`; a body that is not what the backend should
/// send is [`Refusal::Unreachable`].
pub fn answer<T: DeserializeOwned>(text: &str) -> Result<T, Refusal> {
    tessera_ui::parse_json(text).ok_or(Refusal::Unreachable)
}

/// `#bank-result` for `step`, once something was sent: `checking`, the page's own
/// `done` state and content, `refused` or `error`; and a polite announcement of the end
/// (a live region that is always there, so screen readers hear its changes).
pub fn result<T>(
    step: &Step<T>,
    checking: &str,
    done: impl FnOnce(&T) -> (&'static str, Html, String),
) -> Html {
    let shown = match step {
        Step::Idle => None,
        Step::Checking => Some(("checking", html! { <p>{ checking }</p> }, String::new())),
        Step::Done(answer) => Some(done(answer)),
        Step::Failed(Refusal::Refused { code, message }) => Some((
            "refused",
            html! {
                <p>{ format!("Demo Bank refused: {message} ") }<code>{ code.clone() }</code></p>
            },
            "Demo Bank refused.".to_owned(),
        )),
        Step::Failed(Refusal::Unreachable) => Some((
            "error",
            html! { <p>{ "Demo Bank's server did not answer." }</p> },
            "Demo Bank's server did not answer.".to_owned(),
        )),
    };
    let (section, announce) = match shown {
        Some((state, content, announce)) => (
            html! {
                <section id="bank-result" class={classes!("bank-result", format!("bank-result--{state}"))}
                    data-state={state}>{ content }</section>
            },
            announce,
        ),
        None => (html! {}, String::new()),
    };
    html! {
        <>
            { section }
            // Visually hidden by widget.css; the widget's own status already spoke.
            <div class="tessera-sr" aria-live="polite">{ announce }</div>
        </>
    }
}

/// `#bank-location`: where the phone said it was, if its user shares that ("approved near
/// 49.6° N, 6.1° E"); nothing otherwise. The tenths are in `data-lat`/`data-lon`.
pub fn near(location: Option<CoarseLocation>) -> Html {
    match location {
        Some(l) => html! {
            <p id="bank-location" data-lat={l.lat_tenths().to_string()}
                data-lon={l.lon_tenths().to_string()}>
                { format!("Approved near {l}, as the phone reported it.") }
            </p>
        },
        None => html! {},
    }
}
