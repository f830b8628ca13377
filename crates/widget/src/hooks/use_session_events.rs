//! Listens to the relay's server-sent events for the session being waited on, and closes
//! the stream as soon as the widget stops waiting.
use tessera_protocol::api::SessionEvent;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{Event, EventSource, MessageEvent};
use yew::prelude::*;

use crate::state::{Action, Problem, Session};

/// Opens `EventSource` on `{server}/v1/sessions/{id}/events?watch={token}` while
/// `session` is `Some`, and dispatches every `state` event.
#[hook]
pub fn use_session_events(session: Option<Session>, dispatch: Callback<Action>) {
    use_effect_with(session, move |session| {
        let stream = session.as_ref().and_then(|s| open(s, dispatch));
        move || {
            if let Some((source, _listeners)) = stream {
                source.close();
            }
        }
    });
}

type Listeners = (Closure<dyn Fn(MessageEvent)>, Closure<dyn Fn(Event)>);

fn open(session: &Session, dispatch: Callback<Action>) -> Option<(EventSource, Listeners)> {
    let config = &session.config;
    let url = format!(
        "{}/v1/sessions/{}/events?watch={}",
        config.server.trim_end_matches('/'),
        session.id(),
        config.session.watch_token
    );
    let session_id = session.id().to_owned();
    // Constructed on every use, never cached: whatever `window.EventSource` is now.
    let Ok(source) = EventSource::new(&url) else {
        dispatch.emit(Action::Trouble {
            session_id,
            problem: Problem::ConnectionLost,
        });
        return None;
    };
    let on_state = {
        let (dispatch, session_id) = (dispatch.clone(), session_id.clone());
        Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
            let data = message.data().as_string().unwrap_or_default();
            let session_id = session_id.clone();
            dispatch.emit(match tessera_ui::parse_json::<SessionEvent>(&data) {
                Some(event) => Action::Event { session_id, event },
                None => Action::Trouble {
                    session_id,
                    problem: Problem::RelayMalformed,
                },
            });
        })
    };
    let on_error = {
        let source = source.clone();
        Closure::<dyn Fn(Event)>::new(move |_: Event| {
            // The browser retries on its own while CONNECTING; CLOSED means it gave up.
            if source.ready_state() == EventSource::CLOSED {
                let session_id = session_id.clone();
                dispatch.emit(Action::Trouble {
                    session_id,
                    problem: Problem::ConnectionLost,
                });
            }
        })
    };
    let added = source
        .add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref())
        .and_then(|()| {
            source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref())
        });
    if added.is_err() {
        source.close();
        return None;
    }
    Some((source, (on_state, on_error)))
}
