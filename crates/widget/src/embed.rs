//! The JS API partners call (`Tessera.mount`, through the loader in `web/embed/`):
//! mounts the [`Widget`] on an element of the partner's page.
//!
//! ```js
//! const handle = Tessera.mount(element, {
//!   config,            // the WidgetConfig JSON the partner's backend answered, or:
//!   configUrl, configBody, // a same-origin backend route POSTed to on "Log in"
//!   kind,              // "login" | "confirm" | "sign" (texts before the config names it)
//!   lang,              // "en" | "fr" | "de" | "nl" (default: the browser's)
//!   onResult,          // ({ session_id, result, user_id }) after the wasm verification passed
//!   onError,           // ({ code, message }) once a session ended without one
//!   onOffline,         // ({ session_id, user_id, result }) once the server took the
//!                      // phone's offline code: `result` is its JWT, for the backend
//!                      // to verify (tessera_protocol::offline::verify_offline_result)
//! });
//! handle.cancel();     // unmounts; a session still waited on is cancelled at the relay
//! ```
use serde::{Deserialize, Serialize};
use tessera_protocol::{Kind, SignedApproval};
use wasm_bindgen::prelude::*;
use yew::{AppHandle, AttrValue, Callback};

use crate::{Approved, Ended, Lang, OfflineConfirmed, Widget, WidgetProps};

/// What `onResult` receives: only ever built from a verified approval.
#[derive(Serialize)]
struct ResultDetail<'a> {
    session_id: &'a str,
    result: &'a SignedApproval,
    user_id: &'a str,
}

/// What `onOffline` receives: the server's word, which the partner's backend verifies.
#[derive(Serialize)]
struct OfflineDetail<'a> {
    session_id: &'a str,
    user_id: &'a str,
    result: &'a str,
}

/// What `onError` receives.
#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

/// The one field of a `WidgetConfig` read before the widget parses it.
#[derive(Deserialize)]
struct KindOf {
    kind: Kind,
}

/// A mounted widget, returned by `Tessera.mount`.
#[wasm_bindgen]
pub struct MountHandle {
    app: Option<AppHandle<Widget>>,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the widget; a session it still waits on is cancelled at the relay, so no
    /// phone keeps a request nobody watches. Calling it again does nothing.
    pub fn cancel(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

fn field(options: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn text_field(options: &JsValue, name: &str) -> Option<String> {
    field(options, name).and_then(|v| v.as_string())
}

fn function_field(options: &JsValue, name: &str) -> Result<Option<js_sys::Function>, JsValue> {
    match field(options, name) {
        None => Ok(None),
        Some(v) => v
            .dyn_into::<js_sys::Function>()
            .map(Some)
            .map_err(|_| JsValue::from_str(&format!("Tessera.mount: {name} must be a function"))),
    }
}

/// Calls `f` with the JSON of `detail` parsed into a JS object.
/// Calls the page's callback `f`, if it gave one, with `detail` as a plain JS object.
fn call_with(f: &Option<js_sys::Function>, detail: &impl Serialize) {
    let Some(f) = f else { return };
    let json = serde_json::to_string(detail).unwrap_or_else(|_| "null".into());
    if let Ok(value) = js_sys::JSON::parse(&json) {
        // An exception in the page's callback is the page's; the widget carries on.
        let _ = f.call1(&JsValue::NULL, &value);
    }
}

fn parse_kind(kind: Option<String>) -> Result<Kind, JsValue> {
    match kind.as_deref() {
        None | Some("login") => Ok(Kind::Login),
        Some("confirm") => Ok(Kind::Confirm),
        Some("sign") => Ok(Kind::Sign),
        Some(other) => Err(JsValue::from_str(&format!(
            "Tessera.mount: kind must be login, confirm or sign, not {other}"
        ))),
    }
}

/// `Tessera.mount(element, options)`: see the module documentation.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<MountHandle, JsValue> {
    let config = match field(&options, "config") {
        None => None,
        Some(v) if v.is_string() => v.as_string(),
        Some(v) => js_sys::JSON::stringify(&v).ok().and_then(|s| s.as_string()),
    };
    let config_url = text_field(&options, "configUrl");
    if config.is_none() && config_url.is_none() {
        return Err(JsValue::from_str(
            "Tessera.mount: give config (the WidgetConfig your backend answered) or configUrl",
        ));
    }
    let kind = match text_field(&options, "kind") {
        Some(kind) => parse_kind(Some(kind))?,
        // The config names its kind (a config that does not parse fails at the start).
        None => config
            .as_deref()
            .and_then(tessera_ui::parse_json::<KindOf>)
            .map_or(Kind::Login, |c| c.kind),
    };
    let lang = text_field(&options, "lang").map_or_else(Lang::from_browser, |t| Lang::from_tag(&t));
    let on_result = function_field(&options, "onResult")?;
    let on_error = function_field(&options, "onError")?;
    let on_offline = function_field(&options, "onOffline")?;
    let on_approved = Callback::from(move |approved: Approved| {
        call_with(
            &on_result,
            &ResultDetail {
                session_id: &approved.session_id,
                result: &approved.result,
                user_id: approved.verified.user_id(),
            },
        );
    });
    let on_error = Callback::from(move |ended: Ended| {
        call_with(
            &on_error,
            &ErrorDetail {
                code: &ended.code,
                message: &ended.message,
            },
        );
    });
    let on_offline = Callback::from(move |confirmed: OfflineConfirmed| {
        call_with(
            &on_offline,
            &OfflineDetail {
                session_id: &confirmed.session_id,
                user_id: &confirmed.user_id,
                result: &confirmed.result,
            },
        );
    });
    let props = WidgetProps {
        session_url: AttrValue::from(config_url.unwrap_or_default()),
        session_body: AttrValue::from(
            text_field(&options, "configBody").unwrap_or_else(|| "{}".into()),
        ),
        config: config.map(AttrValue::from),
        on_error,
        kind,
        on_approved,
        on_offline,
        lang,
    };
    let app = yew::Renderer::<Widget>::with_root_and_props(element, props).render();
    Ok(MountHandle { app: Some(app) })
}
