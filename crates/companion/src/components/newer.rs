//! One pending request per user (issue 17): while a request is on screen, a newer one
//! pushed to the user has cancelled it on the server (reason `superseded`), so the phone
//! opens the newer one instead of letting the user answer a request that is gone. Renders
//! nothing; listens to the same event stream as the home screen.
use tessera_protocol::api::DeviceRequest;
use yew::prelude::*;

use super::{
    home::{open_pushed, use_device_events},
    use_ctx,
};
use crate::{api, state::next_request};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The session on screen.
    pub current: AttrValue,
    /// Sessions answered here (not reopened).
    pub handled: Vec<String>,
}

#[function_component]
pub fn NewerRequest(props: &Props) -> Html {
    let ctx = use_ctx();
    let opening = use_mut_ref(|| false);
    let (dispatch, current, handled) = (
        ctx.dispatch.clone(),
        props.current.to_string(),
        props.handled.clone(),
    );
    use_device_events(Callback::from(move |list: Vec<DeviceRequest>| {
        if *opening.borrow() {
            return;
        }
        let newer = next_request(&list, &handled, api::now_secs())
            .filter(|request| request.session_id != current);
        if let Some(request) = newer {
            *opening.borrow_mut() = true;
            open_pushed(dispatch.clone(), request.session_id.clone());
        }
    }));
    html! {}
}
