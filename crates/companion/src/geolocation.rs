//! The coarse location an approval carries when the user turned geolocation on in the
//! settings: the browser's position, rounded to tenths of a degree here, on the phone,
//! before it is signed. Bindings to the geolocation part of `browser.js`.
use js_sys::Float64Array;
use tessera_protocol::CoarseLocation;
use wasm_bindgen::prelude::*;

/// How long an approval waits for a position before it goes without one.
pub const TIMEOUT_MS: u32 = 5_000;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = currentPosition)]
    async fn js_current_position(timeout_ms: u32) -> JsValue;
}

/// What sharing the location came to for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// The setting is off: nothing is asked, nothing shared.
    Off,
    /// Asking the browser.
    Asking,
    /// This rounded location goes with the approval.
    Shared(CoarseLocation),
    /// The browser refused, timed out or gave nonsense: the approval goes without one.
    Unavailable,
}

impl Sharing {
    /// The location to sign, if any.
    pub fn location(self) -> Option<CoarseLocation> {
        match self {
            Sharing::Shared(location) => Some(location),
            _ => None,
        }
    }
}

/// The phone's position rounded to tenths, or `Unavailable`.
pub async fn coarse_position() -> Sharing {
    let value = js_current_position(TIMEOUT_MS).await;
    if !value.is_object() {
        return Sharing::Unavailable;
    }
    match Float64Array::new(&value).to_vec()[..] {
        [latitude, longitude] => CoarseLocation::from_degrees(latitude, longitude)
            .map_or(Sharing::Unavailable, Sharing::Shared),
        _ => Sharing::Unavailable,
    }
}
